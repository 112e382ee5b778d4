package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/secret"
	"github.com/openhands-go/sdk/workspace"
)

// crashLedger records what was attempted and what the server acknowledged
// with a 2xx.
type crashLedger struct {
	mu sync.Mutex

	secretsTried map[string]string // name → value
	secretsAcked map[string]string
	miscTried    map[string]int // key → value
	miscAcked    map[string]int

	// The LLM writer is sequential: model i carries api key i.
	modelTried   int // highest attempted index (0: none)
	modelLastAck int // highest acknowledged index (0: none)
}

// newCrashClient returns a client that fails fast when the server is gone.
func newCrashClient(t testing.TB, url, key string) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.New(url,
		workspace.WithAPIKey(key),
		workspace.WithRetry(2, 2*time.Millisecond, 5*time.Millisecond),
		workspace.WithTimeout(5*time.Second))
	require.NoError(t, err)
	return ws
}

// tempFileRe matches the transient files of an atomic write
// (persistence.md §2): they may survive a SIGKILL but must never be taken
// for settings or secrets.
var tempFileRe = regexp.MustCompile(`^(settings|secrets)\.tmp\.[0-9]+\.[0-9a-f]{8}$`)

// checkDataDir verifies the on-disk state after a kill: settings.json and
// secrets.json (when present) parse as JSON objects, and every other entry
// is a lock file, the profiles directory or a recognisable temp file. It
// returns the number of temp files left behind.
func checkDataDir(t testing.TB, dir string) int {
	t.Helper()
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	temps := 0
	for _, e := range ents {
		name := e.Name()
		switch {
		case name == "settings.json" || name == "secrets.json":
			require.True(t, e.Type().IsRegular(), "%s is not a regular file", name)
			b, err := os.ReadFile(filepath.Join(dir, name))
			require.NoError(t, err)
			var doc map[string]any
			require.NoError(t, json.Unmarshal(b, &doc), "%s does not parse as a JSON object after SIGKILL (%d bytes)", name, len(b))
		case name == ".settings.lock" || name == ".secrets.lock" || name == "profiles":
		case tempFileRe.MatchString(name):
			temps++
		default:
			t.Fatalf("unexpected file %q in the data directory after SIGKILL", name)
		}
	}
	return temps
}

// TestCrashSafety runs the standalone server on a file store, drives
// concurrent secret PUTs and settings PATCHes through the SDK, SIGKILLs the
// process at random moments and restarts it on the same directory. Every
// write acknowledged with a 2xx before a kill must read back exactly; the
// files must always parse; temp files must never be taken for data.
func TestCrashSafety(t *testing.T) {
	kills := 60
	if testing.Short() {
		kills = 20
	}
	bin := buildServer(t)
	dir := t.TempDir()
	sessionKey := "sess-" + randHex(t, 16)
	secretKey := "oh-secret-" + randHex(t, 16)
	env := childEnv(sessionKey, secretKey)
	runID := randHex(t, 4)

	led := &crashLedger{
		secretsTried: map[string]string{}, secretsAcked: map[string]string{},
		miscTried: map[string]int{}, miscAcked: map[string]int{},
	}
	var current atomic.Pointer[workspace.Workspace]
	var seq atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup

	// waitClient returns the live client, or nil when the test is over.
	waitClient := func() *workspace.Workspace {
		for {
			select {
			case <-stop:
				return nil
			default:
			}
			if ws := current.Load(); ws != nil {
				return ws
			}
			time.Sleep(time.Millisecond)
		}
	}
	opCtx := func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.Background(), 10*time.Second)
	}

	// Secret writers: unique name and value per operation.
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ws := waitClient()
				if ws == nil {
					return
				}
				n := seq.Add(1)
				name := fmt.Sprintf("CRASH_%s_%d", runID, n)
				value := fmt.Sprintf("value-%s-%d-%s", runID, n, strconv.FormatInt(rand.Int64(), 36))
				led.mu.Lock()
				led.secretsTried[name] = value
				led.mu.Unlock()
				ctx, cancel := opCtx()
				_, err := ws.PutSecret(ctx, name, value, nil)
				cancel()
				if err == nil {
					led.mu.Lock()
					led.secretsAcked[name] = value
					led.mu.Unlock()
				} else {
					requireNotServerBug(t, err)
				}
			}
		}()
	}
	// Misc writers: one new key per PATCH.
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ws := waitClient()
				if ws == nil {
					return
				}
				n := int(seq.Add(1))
				key := fmt.Sprintf("counter_%d", n)
				led.mu.Lock()
				led.miscTried[key] = n
				led.mu.Unlock()
				ctx, cancel := opCtx()
				_, err := ws.PatchSettings(ctx, workspace.SettingsPatch{MiscSettingsDiff: map[string]any{key: n}})
				cancel()
				if err == nil {
					led.mu.Lock()
					led.miscAcked[key] = n
					led.mu.Unlock()
				} else {
					requireNotServerBug(t, err)
				}
			}
		}()
	}
	// LLM writer: sequential, model i with api key i in the same PATCH.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 1; ; i++ {
			ws := waitClient()
			if ws == nil {
				return
			}
			led.mu.Lock()
			led.modelTried = i
			led.mu.Unlock()
			ctx, cancel := opCtx()
			_, err := ws.PatchSettings(ctx, workspace.SettingsPatch{AgentSettingsDiff: map[string]any{
				"llm": map[string]any{"model": crashModel(runID, i), "api_key": secret.Str(crashLLMKey(runID, i))},
			}})
			cancel()
			if err == nil {
				led.mu.Lock()
				led.modelLastAck = i
				led.mu.Unlock()
			} else {
				requireNotServerBug(t, err)
			}
		}
	}()

	temps := 0
	var childLogs strings.Builder // every child's stderr (JSON logs)
	for k := 0; k < kills; k++ {
		c, err := startChild(t, bin, dir, env)
		require.NoError(t, err, "restart %d", k)
		ws := newCrashClient(t, c.URL, sessionKey)
		current.Store(ws)
		time.Sleep(time.Duration(5+rand.IntN(56)) * time.Millisecond)
		require.NoError(t, c.kill(), "kill %d", k)
		childLogs.WriteString(c.stderr.String())
		current.Store(nil)
		ws.CloseIdleConnections()
		temps = checkDataDir(t, dir)
	}
	close(stop)
	wg.Wait()

	// Final start: everything acknowledged must be there, exactly.
	c, err := startChild(t, bin, dir, env)
	require.NoError(t, err)
	ws := newCrashClient(t, c.URL, sessionKey)
	defer ws.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	led.mu.Lock()
	defer led.mu.Unlock()
	require.NotEmpty(t, led.secretsAcked, "no secret PUT was acknowledged: the test proved nothing")
	require.NotEmpty(t, led.miscAcked, "no misc PATCH was acknowledged: the test proved nothing")

	for name, want := range led.secretsAcked {
		got, err := ws.SecretValue(ctx, name)
		require.NoError(t, err, "acknowledged secret %s lost after SIGKILL", name)
		require.Equal(t, want, got.Reveal(), "acknowledged secret %s reads back differently", name)
	}
	listed, err := ws.ListSecrets(ctx)
	require.NoError(t, err)
	recoveredSecrets := 0
	for _, it := range listed {
		_, tried := led.secretsTried[it.Name]
		require.True(t, tried, "secret %q was never written by the test (a temp file taken for data?)", it.Name)
		if _, ok := led.secretsAcked[it.Name]; ok {
			recoveredSecrets++
		}
	}

	st, err := ws.Settings(ctx, workspace.Plaintext)
	require.NoError(t, err)
	recoveredMisc := 0
	for key, want := range led.miscAcked {
		got, ok := st.MiscSettings[key]
		require.True(t, ok, "acknowledged misc_settings key %s lost after SIGKILL", key)
		require.Equal(t, float64(want), got, "misc_settings %s", key)
		recoveredMisc++
	}
	for key := range st.MiscSettings {
		_, tried := led.miscTried[key]
		require.True(t, tried, "misc_settings key %q was never written by the test", key)
	}

	// The LLM: the last acknowledged write, or a later attempted one, never
	// an older one; model and key from the same write.
	if led.modelLastAck > 0 {
		idx := -1
		for i := led.modelLastAck; i <= led.modelTried; i++ {
			if st.AgentSettings.LLM.Model == crashModel(runID, i) {
				idx = i
				break
			}
		}
		require.NotEqual(t, -1, idx, "LLM model %q is older than the last acknowledged write %d (lost update)",
			st.AgentSettings.LLM.Model, led.modelLastAck)
		require.Equal(t, crashLLMKey(runID, idx), st.AgentSettings.LLM.APIKey.Reveal(),
			"LLM api_key does not come from the same write as the model")
	}

	// The secret key encrypts values at rest: no acknowledged value in clear.
	raw, err := os.ReadFile(filepath.Join(dir, "secrets.json"))
	require.NoError(t, err)
	for name, v := range led.secretsAcked {
		require.NotContains(t, string(raw), v, "secret %s stored in plaintext", name)
	}
	require.NoError(t, c.stop())
	childLogs.WriteString(c.stderr.String())

	// The standalone server's logs never carry a key or a secret value.
	logs := childLogs.String()
	require.Contains(t, logs, `"msg":"agent-server started"`, "the children's logs were not captured")
	require.NotContains(t, logs, sessionKey, "session key in the server log")
	require.NotContains(t, logs, secretKey, "OH_SECRET_KEY in the server log")
	for _, v := range led.secretsTried {
		require.NotContains(t, logs, v, "secret value in the server log")
	}
	for i := 1; i <= led.modelTried; i++ {
		require.NotContains(t, logs, crashLLMKey(runID, i), "LLM key in the server log")
	}

	acked := len(led.secretsAcked) + len(led.miscAcked)
	recovered := recoveredSecrets + recoveredMisc
	t.Logf("%d SIGKILLs: acknowledged %d writes, recovered %d (secrets %d/%d, misc_settings keys %d/%d); "+
		"LLM: %d sequential model+key PATCHes acknowledged, final state from write %d or later, model and key consistent; "+
		"%d stale temp files in the data directory (never read as data)",
		kills, acked, recovered, recoveredSecrets, len(led.secretsAcked), recoveredMisc, len(led.miscAcked),
		led.modelLastAck, led.modelLastAck, temps)
	require.Equal(t, acked, recovered)
}

func crashModel(runID string, i int) string  { return fmt.Sprintf("crash-model-%s-%d", runID, i) }
func crashLLMKey(runID string, i int) string { return fmt.Sprintf("sk-crash-%s-%d", runID, i) }

// requireNotServerBug fails the test for an error a killed server cannot
// explain: any HTTP error status. Transport errors (refused, reset, EOF,
// timeouts) are expected while the process is being killed.
func requireNotServerBug(t testing.TB, err error) {
	var apiErr *workspace.APIError
	if errors.As(err, &apiErr) {
		t.Errorf("server answered an error while being crash-tested: %v", err)
	}
}
