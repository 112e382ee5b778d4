package workspacetest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/workspace/workspacetest"
)

func do(t *testing.T, srv *workspacetest.Server, method, path, key string, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	if key != "" {
		req.Header.Set("X-Session-API-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestDefaultsRequireRandomKey(t *testing.T) {
	srv := workspacetest.NewServer(t)
	require.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"))
	require.Len(t, srv.APIKey, 43)
	other := workspacetest.NewServer(t)
	require.NotEqual(t, srv.APIKey, other.APIKey)

	code, _ := do(t, srv, "GET", "/api/settings", "", "")
	require.Equal(t, 401, code)
	code, _ = do(t, srv, "GET", "/api/settings", srv.APIKey, "")
	require.Equal(t, 200, code)
	_, ok := srv.SecretKey()
	require.True(t, ok)
	require.NotContains(t, fmt.Sprintf("%v %+v %#v", srv, srv, srv), srv.APIKey)
}

func TestSeedingAndOptions(t *testing.T) {
	srv := workspacetest.NewServer(t,
		workspacetest.WithAPIKey("fixed-key"),
		workspacetest.WithSettings(map[string]any{"agent_settings_diff": map[string]any{"llm": map[string]any{"model": "m-1", "api_key": "sk-seeded"}}}),
		workspacetest.WithSecret("MY_TOKEN", "tok-value", "a token"),
	)
	require.Equal(t, "fixed-key", srv.APIKey)
	code, body := do(t, srv, "GET", "/api/settings/secrets/MY_TOKEN", "fixed-key", "")
	require.Equal(t, 200, code)
	require.Equal(t, "tok-value", body)

	code, body = do(t, srv, "GET", "/api/settings", "fixed-key", "")
	require.Equal(t, 200, code)
	var s struct {
		AgentSettings struct {
			LLM struct {
				Model  string  `json:"model"`
				APIKey *string `json:"api_key"`
			} `json:"llm"`
		} `json:"agent_settings"`
		Set bool `json:"llm_api_key_is_set"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &s))
	require.Equal(t, "m-1", s.AgentSettings.LLM.Model)
	require.Equal(t, "**********", *s.AgentSettings.LLM.APIKey)
	require.True(t, s.Set)
}

func TestWithoutAuthAndWithoutSecretKey(t *testing.T) {
	srv := workspacetest.NewServer(t, workspacetest.WithoutAuth(), workspacetest.WithoutSecretKey(),
		workspacetest.WithSettings(map[string]any{"agent_settings_diff": map[string]any{"llm": map[string]any{"model": "m", "api_key": "sk"}}}))
	require.Empty(t, srv.APIKey)
	code, _ := do(t, srv, "GET", "/api/settings", "", "")
	require.Equal(t, 200, code)
	req, _ := http.NewRequest("GET", srv.URL+"/api/settings", nil)
	req.Header.Set("X-Expose-Secrets", "encrypted")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 503, resp.StatusCode)
}

func TestBadSeedFailsStart(t *testing.T) {
	_, err := workspacetest.Start(workspacetest.WithSecret("1bad", "v", ""))
	require.Error(t, err)
	require.NotContains(t, err.Error(), "v\"")
}

func TestFileBacked(t *testing.T) {
	dir := t.TempDir()
	srv, err := workspacetest.Start(workspacetest.WithDataDir(dir), workspacetest.WithSecretKey("k1"), workspacetest.WithAPIKey("a"))
	require.NoError(t, err)
	code, _ := do(t, srv, "PUT", "/api/settings/secrets", "a", `{"name":"PERSISTED","value":"v1"}`)
	require.Equal(t, 200, code)
	require.NoError(t, srv.Close())

	srv2 := workspacetest.NewServer(t, workspacetest.WithDataDir(dir), workspacetest.WithSecretKey("k1"), workspacetest.WithAPIKey("a"))
	code, body := do(t, srv2, "GET", "/api/settings/secrets/PERSISTED", "a", "")
	require.Equal(t, 200, code)
	require.Equal(t, "v1", body)
}

// BenchmarkNewServerToHealthy measures workspacetest.Start → first 200 from
// /health → Close, beside BenchmarkHTTPTestServerBaseline doing the same with
// a trivial httptest.Server.
func BenchmarkNewServerToHealthy(b *testing.B) {
	client := &http.Client{}
	for i := 0; i < b.N; i++ {
		srv, err := workspacetest.Start()
		if err != nil {
			b.Fatal(err)
		}
		resp, err := client.Get(srv.URL + "/health")
		if err != nil || resp.StatusCode != 200 {
			b.Fatal(err)
		}
		resp.Body.Close()
		b.StopTimer()
		srv.Close()
		b.StartTimer()
	}
}

func BenchmarkHTTPTestServerBaseline(b *testing.B) {
	client := &http.Client{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"status":"ok"}`) })
	for i := 0; i < b.N; i++ {
		srv := httptest.NewServer(h)
		resp, err := client.Get(srv.URL + "/health")
		if err != nil || resp.StatusCode != 200 {
			b.Fatal(err)
		}
		resp.Body.Close()
		b.StopTimer()
		srv.Close()
		b.StartTimer()
	}
}
