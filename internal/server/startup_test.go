package server

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/internal/store"
)

func TestStartupWarnsOnceAboutUndecryptableValues(t *testing.T) {
	st := store.NewMemory()
	keyA, keyB := "key-A", "key-B"
	a, err := New(Config{SecretKey: &keyA, Store: st})
	require.NoError(t, err)
	ts := httptest.NewServer(a)
	for _, req := range []struct{ method, path, body string }{
		{"PATCH", "/api/settings", `{"agent_settings_diff":{"llm":{"model":"m","api_key":"sk-A-llm"},"mcp_config":{"s":{"command":"x","env":{"T":"env-A"}}}}}`},
		{"POST", "/api/profiles/p1", `{"llm":{"model":"m","api_key":"sk-A-profile"}}`},
		{"PUT", "/api/settings/secrets", `{"name":"S1","value":"secret-A"}`},
	} {
		r, err := http.NewRequest(req.method, ts.URL+req.path, strings.NewReader(req.body))
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(r)
		require.NoError(t, err)
		resp.Body.Close()
		require.Less(t, resp.StatusCode, 300, req.path)
	}
	ts.Close()

	var logs bytes.Buffer
	_, err = New(Config{SecretKey: &keyB, Store: st, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	require.NoError(t, err)
	out := logs.String()
	require.Equal(t, 1, strings.Count(out, "do not decrypt under the configured key (OH_SECRET_KEY changed?)"), out)
	require.Contains(t, out, "count=3 files=2", "llm key + MCP env in settings, profile key")
	require.Equal(t, 1, strings.Count(out, "secrets.json holds values that do not decrypt"), out)
	for _, leak := range []string{"sk-A-llm", "env-A", "sk-A-profile", "secret-A", keyA, keyB} {
		require.NotContains(t, out, leak)
	}

	// The same key: no warning at all.
	logs.Reset()
	_, err = New(Config{SecretKey: &keyA, Store: st, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	require.NoError(t, err)
	require.NotContains(t, logs.String(), "do not decrypt")
}
