package workspace_test

// Benchmarks of GetSecrets and GetLLM against the in-process reference
// server, each beside a bare net/http baseline doing the same GETs with the
// same headers and equivalent decoding. Both sides use one keep-alive
// connection for the whole run (reported as the "conns" metric).
//
//	go test -run='^$' -bench='GetSecrets|GetLLM' -benchmem -count=3 ./workspace/

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openhands-go/sdk/llm"
	"github.com/openhands-go/sdk/secret"
	"github.com/openhands-go/sdk/workspace"
	"github.com/openhands-go/sdk/workspace/workspacetest"
)

// ibSecrets is the number of secrets seeded for the benchmarks.
const ibSecrets = 10

// ibServer starts a server seeded with ibSecrets secrets and an LLM
// (active_profile unset: GetLLM takes the legacy two-GET path).
func ibServer(b *testing.B) *workspacetest.Server {
	b.Helper()
	opts := []workspacetest.Option{workspacetest.WithSettings(map[string]any{
		"agent_settings_diff": map[string]any{"llm": map[string]any{
			"model":    "anthropic/claude-sonnet-4-5-20250929",
			"api_key":  "sk-bench-0123456789abcdef",
			"base_url": "https://llm-proxy.example.com",
		}},
	})}
	for i := 0; i < ibSecrets; i++ {
		opts = append(opts, workspacetest.WithSecret(fmt.Sprintf("SECRET_%02d", i), fmt.Sprintf("value-%02d", i), "benchmark secret"))
	}
	return workspacetest.NewServer(b, opts...)
}

// ibTransport is a keep-alive transport (net/http defaults) that
// counts the connections it dials.
func ibTransport(dials *atomic.Int64) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return d.DialContext(ctx, network, addr)
	}
	return t
}

// ibWorkspace builds a Workspace on a counting keep-alive transport.
func ibWorkspace(b *testing.B, srv *workspacetest.Server, dials *atomic.Int64) *workspace.Workspace {
	b.Helper()
	ws, err := workspace.New(srv.URL,
		workspace.WithAPIKey(srv.APIKey),
		workspace.WithHTTPClient(&http.Client{Transport: ibTransport(dials)}))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(ws.CloseIdleConnections)
	return ws
}

// ibBareClient is the baseline client: net/http with a keep-alive transport.
type ibBareClient struct {
	c    *http.Client
	base string
	key  string
}

func ibNewBareClient(b *testing.B, srv *workspacetest.Server, dials *atomic.Int64) *ibBareClient {
	b.Helper()
	c := &http.Client{Transport: ibTransport(dials), Timeout: 600 * time.Second}
	b.Cleanup(c.CloseIdleConnections)
	return &ibBareClient{c: c, base: srv.URL, key: srv.APIKey}
}

// get performs a GET with the session key (and X-Expose-Secrets when
// expose is non-empty) and returns the body of a 200.
func (c *ibBareClient) get(ctx context.Context, path, expose string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set(workspace.HeaderSessionAPIKey, c.key)
	req.Header.Set("User-Agent", workspace.DefaultUserAgent)
	if expose != "" {
		req.Header.Set(workspace.HeaderExposeSecrets, expose)
	}
	resp, err := c.c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d", path, resp.StatusCode)
	}
	return body, nil
}

// bareSecrets is the baseline of GetSecrets: list, decode, and build the
// map of lookup URLs.
func (c *ibBareClient) bareSecrets(ctx context.Context) (map[string]string, error) {
	body, err := c.get(ctx, "/api/settings/secrets", "")
	if err != nil {
		return nil, err
	}
	var list struct {
		Secrets []struct {
			Name        string  `json:"name"`
			Description *string `json:"description"`
		} `json:"secrets"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(list.Secrets))
	prefix := c.base + "/api/settings/secrets/"
	for _, s := range list.Secrets {
		out[s.Name] = prefix + s.Name
	}
	return out, nil
}

// bareLLM is the baseline of GetLLM's legacy path: GET /api/settings
// (redacted) to read active_profile, then GET /api/settings with
// X-Expose-Secrets: plaintext and decode agent_settings.llm into llm.LLM.
func (c *ibBareClient) bareLLM(ctx context.Context) (*llm.LLM, error) {
	body, err := c.get(ctx, "/api/settings", "")
	if err != nil {
		return nil, err
	}
	var first struct {
		ActiveProfile *string `json:"active_profile"`
	}
	if err := json.Unmarshal(body, &first); err != nil {
		return nil, err
	}
	if first.ActiveProfile != nil && *first.ActiveProfile != "" {
		return nil, fmt.Errorf("unexpected active profile")
	}
	body, err = c.get(ctx, "/api/settings", "plaintext")
	if err != nil {
		return nil, err
	}
	var second struct {
		AgentSettings struct {
			LLM json.RawMessage `json:"llm"`
		} `json:"agent_settings"`
	}
	if err := json.Unmarshal(body, &second); err != nil {
		return nil, err
	}
	l := new(llm.LLM)
	if err := json.Unmarshal(second.AgentSettings.LLM, l); err != nil {
		return nil, err
	}
	return l, nil
}

func ibReportConns(b *testing.B, dials *atomic.Int64) {
	b.ReportMetric(float64(dials.Load()), "conns")
}

// BenchmarkGetSecretsSDK measures ws.GetSecrets (10 secrets).
func BenchmarkGetSecretsSDK(b *testing.B) {
	srv := ibServer(b)
	var dials atomic.Int64
	ws := ibWorkspace(b, srv, &dials)
	ctx := context.Background()
	var m map[string]secret.LookupSecret
	var err error
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m, err = ws.GetSecrets(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if len(m) != ibSecrets {
		b.Fatalf("got %d secrets", len(m))
	}
	ibReportConns(b, &dials)
}

// BenchmarkGetSecretsBareHTTP is the baseline of BenchmarkGetSecretsSDK.
func BenchmarkGetSecretsBareHTTP(b *testing.B) {
	srv := ibServer(b)
	var dials atomic.Int64
	c := ibNewBareClient(b, srv, &dials)
	ctx := context.Background()
	var m map[string]string
	var err error
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m, err = c.bareSecrets(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if len(m) != ibSecrets {
		b.Fatalf("got %d secrets", len(m))
	}
	ibReportConns(b, &dials)
}

// BenchmarkGetLLMSDK measures ws.GetLLM on the legacy path (two GETs).
func BenchmarkGetLLMSDK(b *testing.B) {
	srv := ibServer(b)
	var dials atomic.Int64
	ws := ibWorkspace(b, srv, &dials)
	ctx := context.Background()
	var l *llm.LLM
	var err error
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if l, err = ws.GetLLM(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if l.APIKey.Reveal() != "sk-bench-0123456789abcdef" {
		b.Fatal("wrong LLM")
	}
	ibReportConns(b, &dials)
}

// BenchmarkGetLLMBareHTTP is the baseline of BenchmarkGetLLMSDK.
func BenchmarkGetLLMBareHTTP(b *testing.B) {
	srv := ibServer(b)
	var dials atomic.Int64
	c := ibNewBareClient(b, srv, &dials)
	ctx := context.Background()
	var l *llm.LLM
	var err error
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if l, err = c.bareLLM(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if l.APIKey.Reveal() != "sk-bench-0123456789abcdef" {
		b.Fatal("wrong LLM")
	}
	ibReportConns(b, &dials)
}
