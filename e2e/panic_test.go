package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/internal/server"
	"github.com/openhands-go/sdk/internal/store"
)

// oncePanicStore panics in the next store call after arm(), once.
type oncePanicStore struct {
	store.Store
	left atomic.Int32
}

func (p *oncePanicStore) arm() { p.left.Store(1) }

func (p *oncePanicStore) maybePanic(where string) {
	if p.left.Add(-1) == 0 {
		panic("injected store panic in " + where)
	}
}

func (p *oncePanicStore) Stat(ctx context.Context, name string) (store.Version, error) {
	p.maybePanic("Stat")
	return p.Store.Stat(ctx, name)
}

func (p *oncePanicStore) Read(ctx context.Context, name string) ([]byte, store.Version, error) {
	p.maybePanic("Read")
	return p.Store.Read(ctx, name)
}

func (p *oncePanicStore) Locked(ctx context.Context, lock string, fn func(tx store.Tx) error) error {
	p.maybePanic("Locked")
	return p.Store.Locked(ctx, lock, fn)
}

// TestPanicRecovery makes the store panic once inside each route's handler:
// the answer is the 500 envelope with an error_id, and the panic leaves no
// lock or queue held — the same request then succeeds at once.
func TestPanicRecovery(t *testing.T) {
	t.Parallel()
	const key = "panic-session-key"
	secretKey := "panic-secret-key"
	hc := &http.Client{Timeout: 3 * time.Second}
	t.Cleanup(hc.CloseIdleConnections)
	// newServer starts a fresh server (one per step, so a wedged store
	// cannot hide the next step's result) with a secret, an MCP server and
	// a profile already stored.
	newServer := func() (*oncePanicStore, string) {
		ps := &oncePanicStore{Store: store.NewMemory()}
		h, err := server.New(server.Config{SessionAPIKeys: []string{key}, SecretKey: &secretKey, Store: ps})
		require.NoError(t, err)
		ts := httptest.NewServer(h)
		t.Cleanup(ts.Close)
		return ps, ts.URL
	}
	send := func(base, method, path, body string) (int, []byte, error) {
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("X-Session-API-Key", key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}
	setup := []struct{ method, path, body string }{
		{"PUT", "/api/settings/secrets", `{"name":"PANIC_A","value":"v0"}`},
		{"POST", "/api/settings/mcp/existing", `{"command":"x"}`},
		{"POST", "/api/profiles/panicprof", `{"llm":{"model":"m","api_key":"k"}}`},
	}
	steps := []struct {
		method, path, body string
		ok                 int
	}{
		{"PUT", "/api/settings/secrets", `{"name":"PANIC_A","value":"v1"}`, 200},
		{"GET", "/api/settings/secrets/PANIC_A", ``, 200},
		{"GET", "/api/settings/secrets", ``, 200},
		{"DELETE", "/api/settings/secrets/PANIC_A", ``, 200},
		{"PATCH", "/api/settings", `{"misc_settings_diff":{"a":1}}`, 200},
		{"GET", "/api/settings", ``, 200},
		{"POST", "/api/settings/mcp/panicsvc", `{"command":"x"}`, 201},
		{"DELETE", "/api/settings/mcp/existing", ``, 200},
		{"POST", "/api/profiles/newprof", `{"llm":{"model":"m","api_key":"k"}}`, 201},
		{"GET", "/api/profiles", ``, 200},
		{"GET", "/api/profiles/panicprof", ``, 200},
		{"POST", "/api/profiles/panicprof/activate", ``, 200},
		{"DELETE", "/api/profiles/panicprof", ``, 200},
	}
	var problems []string
	for _, s := range steps {
		id := s.method + " " + s.path
		ps, base := newServer()
		for _, u := range setup {
			code, body, err := send(base, u.method, u.path, u.body)
			require.NoError(t, err)
			require.Less(t, code, 300, "setup %s %s: %s", u.method, u.path, body)
		}
		ps.arm()
		code, body, err := send(base, s.method, s.path, s.body)
		require.NoError(t, err, "%s with a panicking store", id)
		require.Equal(t, 500, code, "%s with a panicking store: %s", id, body)
		var env map[string]any
		require.NoError(t, json.Unmarshal(body, &env), "%s: %s", id, body)
		require.Equal(t, "Internal Server Error", env["detail"], "%s", id)
		require.Regexp(t, `^[0-9a-f]{32}$`, env["error_id"], "%s", id)
		require.NotContains(t, string(body), "injected store panic", "%s: the panic value is shown to the client", id)
		ps.left.Store(0)

		code, body, err = send(base, s.method, s.path, s.body)
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s hangs after a recovered panic: %v", id, err))
		case code != s.ok:
			problems = append(problems, fmt.Sprintf("%s after a recovered panic: %d %s (want %d)", id, code, body, s.ok))
		}
	}
	require.Empty(t, problems, "a recovered panic must leave no lock or queue held")
}
