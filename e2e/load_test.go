package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/llm"
	"github.com/openhands-go/sdk/secret"
	"github.com/openhands-go/sdk/workspace"
	"github.com/openhands-go/sdk/workspace/workspacetest"
)

// openFDs counts this process's open file descriptors.
func openFDs(t testing.TB) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count file descriptors: %v", err)
	}
	return len(ents)
}

// TestLoadNoLeaks drives an in-process file-backed server with 64
// concurrent clients doing mixed reads and writes; no call may fail, and
// once the clients and the server are closed the goroutine and file
// descriptor counts return to their baseline.
func TestLoadNoLeaks(t *testing.T) {
	const clients = 64
	dur := 2500 * time.Millisecond
	if testing.Short() {
		dur = 700 * time.Millisecond
	}
	const tolerance = 3

	runtime.GC()
	baseG, baseFD := runtime.NumGoroutine(), openFDs(t)

	srv, err := workspacetest.Start(workspacetest.WithDataDir(t.TempDir()))
	require.NoError(t, err)
	closed := false
	defer func() {
		if !closed {
			_ = srv.Close()
		}
	}()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	// Seed a few profiles and secrets to read.
	seed, err := workspace.New(srv.URL, workspace.WithAPIKey(srv.APIKey))
	require.NoError(t, err)
	for i := 0; i < 4; i++ {
		l := llm.Default()
		l.Model = fmt.Sprintf("load-model-%d", i)
		l.APIKey = secret.Str(fmt.Sprintf("sk-load-%d", i))
		_, err := seed.SaveProfile(ctx, fmt.Sprintf("load-%d", i), l, true)
		require.NoError(t, err)
		_, err = seed.PutSecret(ctx, fmt.Sprintf("LOAD_SEED_%d", i), fmt.Sprintf("seed-value-%d", i), nil)
		require.NoError(t, err)
	}
	seed.CloseIdleConnections()

	ops := []struct {
		name string
		do   func(ws *workspace.Workspace, id, n int) error
	}{
		{"GetLLM", func(ws *workspace.Workspace, _, _ int) error { _, err := ws.GetLLM(ctx); return err }},
		{"GetLLM(profile)", func(ws *workspace.Workspace, _, n int) error {
			_, err := ws.GetLLM(ctx, workspace.FromProfile(fmt.Sprintf("load-%d", n%4)))
			return err
		}},
		{"GetSecrets", func(ws *workspace.Workspace, _, _ int) error { _, err := ws.GetSecrets(ctx); return err }},
		{"GetMCPConfig", func(ws *workspace.Workspace, _, _ int) error { _, err := ws.GetMCPConfig(ctx); return err }},
		{"Settings", func(ws *workspace.Workspace, _, n int) error {
			_, err := ws.Settings(ctx, []workspace.Exposure{workspace.Redacted, workspace.Encrypted, workspace.Plaintext}[n%3])
			return err
		}},
		{"PatchSettings", func(ws *workspace.Workspace, id, n int) error {
			_, err := ws.PatchSettings(ctx, workspace.SettingsPatch{MiscSettingsDiff: map[string]any{fmt.Sprintf("c%d", id): n}})
			return err
		}},
		{"PutSecret", func(ws *workspace.Workspace, id, n int) error {
			_, err := ws.PutSecret(ctx, fmt.Sprintf("LOAD_%d_%d", id, n%8), fmt.Sprintf("v-%d-%d", id, n), nil)
			return err
		}},
		{"SecretValue", func(ws *workspace.Workspace, _, n int) error {
			v, err := ws.SecretValue(ctx, fmt.Sprintf("LOAD_SEED_%d", n%4))
			if err == nil && v.Reveal() != fmt.Sprintf("seed-value-%d", n%4) {
				return fmt.Errorf("SecretValue: wrong value")
			}
			return err
		}},
		{"ListSecrets", func(ws *workspace.Workspace, _, _ int) error { _, err := ws.ListSecrets(ctx); return err }},
		{"ListProfiles", func(ws *workspace.Workspace, _, _ int) error { _, err := ws.ListProfiles(ctx); return err }},
		{"GetProfile", func(ws *workspace.Workspace, _, n int) error {
			_, err := ws.GetProfile(ctx, fmt.Sprintf("load-%d", n%4), workspace.Plaintext)
			return err
		}},
		{"SaveProfile", func(ws *workspace.Workspace, id, n int) error {
			l := llm.Default()
			l.Model = fmt.Sprintf("m-%d-%d", id, n)
			_, err := ws.SaveProfile(ctx, fmt.Sprintf("load-w%d", id%8), l, false)
			return err
		}},
	}

	var total, failed atomic.Int64
	var firstErr atomic.Value
	ws := make([]*workspace.Workspace, clients)
	for i := range ws {
		w, err := workspace.New(srv.URL, workspace.WithAPIKey(srv.APIKey), workspace.WithRetry(1, 0, 0))
		require.NoError(t, err)
		ws[i] = w
	}
	deadline := time.Now().Add(dur)
	var wg sync.WaitGroup
	for i := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(i), 7))
			for n := 0; time.Now().Before(deadline); n++ {
				op := ops[r.IntN(len(ops))]
				total.Add(1)
				if err := op.do(ws[i], i, n); err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Errorf("%s: %w", op.name, err))
				}
			}
		}()
	}
	wg.Wait()
	require.Zero(t, failed.Load(), "%d of %d calls failed under load; first: %v", failed.Load(), total.Load(), firstErr.Load())
	require.Greater(t, total.Load(), int64(clients), "the load did not run")

	for _, w := range ws {
		w.CloseIdleConnections()
	}
	require.NoError(t, srv.Close())
	closed = true

	var g, fd int
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		runtime.GC()
		g, fd = runtime.NumGoroutine(), openFDs(t)
		if g <= baseG+tolerance && fd <= baseFD+tolerance {
			break
		}
		if time.Since(start) > 5*time.Second {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("leak after load: goroutines %d (baseline %d), open fds %d (baseline %d)\n%s", g, baseG, fd, baseFD, buf)
		}
	}
	t.Logf("%d clients, %d calls in %v, 0 errors; goroutines %d→%d, fds %d→%d", clients, total.Load(), dur, baseG, g, baseFD, fd)
}
