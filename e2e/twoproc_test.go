package e2e

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/llm"
	"github.com/openhands-go/sdk/secret"
	"github.com/openhands-go/sdk/workspace"
)

// TestTwoProcessesOneDirectory runs two standalone servers on one data
// directory and writes concurrently through both: secrets with distinct
// names, misc_settings keys and LLM profiles. At the end every
// write is present, with its exact value, when read through either process:
// the cross-process locks and cache invalidation lose no update.
func TestTwoProcessesOneDirectory(t *testing.T) {
	perWriter := 25
	if testing.Short() {
		perWriter = 10
	}
	const writersPerProc = 3
	const profilesPerProc = 20 // 2×20 stays under the limit of 50 profiles

	bin := buildServer(t)
	dir := t.TempDir()
	sessionKey := "sess-" + randHex(t, 16)
	env := childEnv(sessionKey, "oh-secret-"+randHex(t, 16))
	run := randHex(t, 4)

	var clients [2]*workspace.Workspace
	for p := range clients {
		c, err := startChild(t, bin, dir, env)
		require.NoError(t, err)
		ws, err := workspace.New(c.URL, workspace.WithAPIKey(sessionKey),
			workspace.WithRetry(1, 0, 0), workspace.WithTimeout(30*time.Second))
		require.NoError(t, err)
		clients[p] = ws
		t.Cleanup(ws.CloseIdleConnections)
		t.Cleanup(func() { _ = c.stop() })
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	type secretWrite struct{ name, value string }
	var (
		mu       sync.Mutex
		secrets  []secretWrite
		misc     = map[string]string{}
		profiles = map[string]string{} // name → api key
	)
	var wg sync.WaitGroup
	errc := make(chan error, 2*writersPerProc*3+2)
	for p, ws := range clients {
		for w := 0; w < writersPerProc; w++ {
			wg.Add(2)
			go func() { // secrets
				defer wg.Done()
				for i := 0; i < perWriter; i++ {
					sw := secretWrite{fmt.Sprintf("TWO_%s_P%d_W%d_%d", run, p, w, i), fmt.Sprintf("v-%s-%d-%d-%d", run, p, w, i)}
					if _, err := ws.PutSecret(ctx, sw.name, sw.value, nil); err != nil {
						errc <- fmt.Errorf("PutSecret %s via process %d: %w", sw.name, p, err)
						return
					}
					mu.Lock()
					secrets = append(secrets, sw)
					mu.Unlock()
				}
			}()
			go func() { // misc_settings keys
				defer wg.Done()
				for i := 0; i < perWriter; i++ {
					k, v := fmt.Sprintf("p%d_w%d_%d", p, w, i), fmt.Sprintf("%s-%d-%d-%d", run, p, w, i)
					if _, err := ws.PatchSettings(ctx, workspace.SettingsPatch{MiscSettingsDiff: map[string]any{k: v}}); err != nil {
						errc <- fmt.Errorf("PatchSettings %s via process %d: %w", k, p, err)
						return
					}
					mu.Lock()
					misc[k] = v
					mu.Unlock()
				}
			}()
		}
		wg.Add(1)
		go func() { // LLM profiles
			defer wg.Done()
			for i := 0; i < profilesPerProc; i++ {
				name := fmt.Sprintf("two-p%d-%d", p, i)
				key := fmt.Sprintf("sk-two-%s-%d-%d", run, p, i)
				l := llm.Default()
				l.Model = "model-" + name
				l.APIKey = secret.Str(key)
				if _, err := ws.SaveProfile(ctx, name, l, true); err != nil {
					errc <- fmt.Errorf("SaveProfile %s via process %d: %w", name, p, err)
					return
				}
				mu.Lock()
				profiles[name] = key
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		require.NoError(t, err)
	}
	require.Len(t, secrets, 2*writersPerProc*perWriter)
	require.Len(t, misc, 2*writersPerProc*perWriter)
	require.Len(t, profiles, 2*profilesPerProc)

	for p, ws := range clients {
		for _, sw := range secrets {
			got, err := ws.SecretValue(ctx, sw.name)
			require.NoError(t, err, "secret %s lost (read through process %d)", sw.name, p)
			require.Equal(t, sw.value, got.Reveal(), "secret %s via process %d", sw.name, p)
		}
		listed, err := ws.ListSecrets(ctx)
		require.NoError(t, err)
		require.Len(t, listed, len(secrets), "secrets listed through process %d", p)

		st, err := ws.Settings(ctx, workspace.Redacted)
		require.NoError(t, err)
		for k, v := range misc {
			require.Equal(t, v, st.MiscSettings[k], "misc_settings %s lost (read through process %d)", k, p)
		}
		require.Len(t, st.MiscSettings, len(misc))

		pl, err := ws.ListProfiles(ctx)
		require.NoError(t, err)
		names := map[string]bool{}
		for _, pi := range pl.Profiles {
			names[pi.Name] = true
		}
		for name, key := range profiles {
			require.True(t, names[name], "profile %s lost (listed through process %d)", name, p)
			prof, err := ws.GetProfile(ctx, name, workspace.Plaintext)
			require.NoError(t, err)
			require.Equal(t, key, prof.Config.APIKey.Reveal(), "profile %s api_key via process %d", name, p)
			require.Equal(t, "model-"+name, prof.Config.Model)
		}
	}
	t.Logf("two processes, one directory: %d secrets, %d misc_settings keys, %d profiles written concurrently; all present through both",
		len(secrets), len(misc), len(profiles))
}
