package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/openhands-go/sdk/llm"
)

// Benchmarks compare each method with a baseline that performs the same GET
// requests, with the same headers, over a bare net/http client with one
// reused connection, reading each body and decoding it with encoding/json
// into a plain map (the minimum any client does). Run with
//
//	go test -run '^$' -bench . -benchmem ./workspace/
//
// and compare BenchmarkX with BenchmarkXBaseline (target: ≤ 1.15×).

// benchSettingsBody is a realistic GET /api/settings answer (full default
// agent document, as the server emits it).
func benchSettingsBody(active string) []byte {
	l := llm.Default()
	l.Model = "openai/gpt-4o"
	l.APIKey = "sk-bench-key"
	lj, err := l.PlaintextJSON()
	if err != nil {
		panic(err)
	}
	agent := `{"schema_version":5,"agent_kind":"openhands","agent":"CodeActAgent","llm":` + string(lj) + `,"tools":null,` +
		`"enable_sub_agents":false,"enable_switch_llm_tool":true,"tool_concurrency_limit":1,` +
		`"mcp_config":{"github":{"command":"uvx","args":["mcp-server-github"],"env":{"GITHUB_TOKEN":"ghp-bench"},"enabled":true}},` +
		`"agent_context":{"skills":[],"system_message_suffix":null,"user_message_suffix":null,"load_user_skills":false,"load_public_skills":false,` +
		`"marketplace_path":"marketplaces/default.json","registered_marketplaces":[],"load_project_skills":false,"load_memory":false,"disabled_skills":[],` +
		`"secrets":null,"current_datetime":"2026-01-01T12:00:00.000000Z"},` +
		`"condenser":{"enabled":true,"max_size":240,"condenser_kind":"llm_summarizing","max_tokens":null,"keep_first":2,"minimum_progress":0.1,` +
		`"hard_context_reset_max_retries":5,"hard_context_reset_context_scaling":0.8},` +
		`"verification":{"critic_enabled":false,"critic_mode":"finish_and_message","enable_iterative_refinement":false,"critic_threshold":0.6,` +
		`"max_refinement_iterations":3,"critic_server_url":null,"critic_model_name":null,"critic_api_key":null}}`
	return []byte(`{"agent_settings":` + agent + `,"conversation_settings":{"schema_version":1,"max_iterations":500,"confirmation_mode":false,"security_analyzer":"llm"},` +
		`"llm_api_key_is_set":true,"active_profile":` + active + `,"active_agent_profile_id":null,"misc_settings":{}}`)
}

func benchSecretsBody() []byte {
	var b strings.Builder
	b.WriteString(`{"secrets":[`)
	for i, n := range []string{"GITHUB_TOKEN", "GITLAB_TOKEN", "BITBUCKET_TOKEN", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "SLACK_TOKEN", "NPM_TOKEN", "PYPI_TOKEN"} {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"name":"` + n + `","description":"token for ` + n + `"}`)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

func benchServer(b *testing.B) *httptest.Server {
	settingsRedacted := benchSettingsBody("null")
	settingsPlain := settingsRedacted // same size; content irrelevant for timing
	secrets := benchSecretsBody()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(HeaderSessionAPIKey) != testKey {
			w.WriteHeader(401)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/settings":
			if r.Header.Get(HeaderExposeSecrets) == "plaintext" {
				_, _ = w.Write(settingsPlain)
				return
			}
			_, _ = w.Write(settingsRedacted)
		case "/api/settings/secrets":
			_, _ = w.Write(secrets)
		default:
			w.WriteHeader(404)
		}
	}))
	b.Cleanup(srv.Close)
	return srv
}

func baselineClient() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, MaxConnsPerHost: 1}}
}

// baselineGET does one GET with the given headers, reads the body and
// decodes it into a map.
func baselineGET(b *testing.B, c *http.Client, url string, expose bool) {
	req, err := http.NewRequestWithContext(context.Background(), "GET", url, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set(HeaderSessionAPIKey, testKey)
	req.Header.Set("User-Agent", DefaultUserAgent)
	if expose {
		req.Header.Set(HeaderExposeSecrets, "plaintext")
	}
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		b.Fatalf("status %d err %v", resp.StatusCode, err)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkGetSecrets(b *testing.B) {
	srv := benchServer(b)
	w, err := New(srv.URL, WithAPIKey(testKey))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got, err := w.GetSecrets(ctx)
		if err != nil || len(got) != 8 {
			b.Fatal(err, len(got))
		}
	}
}

func BenchmarkGetSecretsBaseline(b *testing.B) {
	srv := benchServer(b)
	c := baselineClient()
	url := srv.URL + "/api/settings/secrets"
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		baselineGET(b, c, url, false)
	}
}

// BenchmarkGetLLM is the legacy path: GET /api/settings (redacted), then
// GET /api/settings (plaintext) and the LLM decode.
func BenchmarkGetLLM(b *testing.B) {
	srv := benchServer(b)
	w, err := New(srv.URL, WithAPIKey(testKey))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l, err := w.GetLLM(ctx)
		if err != nil || l.Model != "openai/gpt-4o" {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetLLMBaseline(b *testing.B) {
	srv := benchServer(b)
	c := baselineClient()
	url := srv.URL + "/api/settings"
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		baselineGET(b, c, url, false)
		baselineGET(b, c, url, true)
	}
}

// paired runs sdk and base alternately (order flipped every iteration) in
// the same loop, so that both see the same machine load, and reports each
// one's mean time per call and their ratio.
func paired(b *testing.B, sdk, base func()) {
	var tSDK, tBase time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			t0 := time.Now()
			sdk()
			t1 := time.Now()
			base()
			tSDK += t1.Sub(t0)
			tBase += time.Since(t1)
		} else {
			t0 := time.Now()
			base()
			t1 := time.Now()
			sdk()
			tBase += t1.Sub(t0)
			tSDK += time.Since(t1)
		}
	}
	b.ReportMetric(float64(tSDK.Nanoseconds())/float64(b.N), "sdk-ns/call")
	b.ReportMetric(float64(tBase.Nanoseconds())/float64(b.N), "baseline-ns/call")
	b.ReportMetric(float64(tSDK)/float64(tBase), "ratio")
}

// BenchmarkGetSecretsPaired interleaves GetSecrets with its baseline.
func BenchmarkGetSecretsPaired(b *testing.B) {
	srv := benchServer(b)
	w, err := New(srv.URL, WithAPIKey(testKey))
	if err != nil {
		b.Fatal(err)
	}
	c := baselineClient()
	url := srv.URL + "/api/settings/secrets"
	ctx := context.Background()
	paired(b, func() {
		if got, err := w.GetSecrets(ctx); err != nil || len(got) != 8 {
			b.Fatal(err)
		}
	}, func() { baselineGET(b, c, url, false) })
}

// BenchmarkGetLLMPaired interleaves GetLLM with its baseline.
func BenchmarkGetLLMPaired(b *testing.B) {
	srv := benchServer(b)
	w, err := New(srv.URL, WithAPIKey(testKey))
	if err != nil {
		b.Fatal(err)
	}
	c := baselineClient()
	url := srv.URL + "/api/settings"
	ctx := context.Background()
	paired(b, func() {
		if _, err := w.GetLLM(ctx); err != nil {
			b.Fatal(err)
		}
	}, func() {
		baselineGET(b, c, url, false)
		baselineGET(b, c, url, true)
	})
}

// staticTransport answers every request with body, in memory: the
// benchmarks below measure the client's own per-call cost without the
// loopback network and server time that dominate the benchmarks above.
type staticTransport struct{ body []byte }

func (s staticTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: 200, ProtoMajor: 1, ProtoMinor: 1, Request: r,
		Header:        http.Header{"Content-Type": {"application/json"}},
		ContentLength: int64(len(s.body)),
		Body:          io.NopCloser(bytes.NewReader(s.body)),
	}, nil
}

// BenchmarkGetSecretsInMemory is GetSecrets (resty → retryablehttp →
// transport, decode, LookupSecret construction) over an in-memory
// transport.
func BenchmarkGetSecretsInMemory(b *testing.B) {
	w, err := New("http://h:1", WithAPIKey(testKey), WithHTTPClient(&http.Client{Transport: staticTransport{benchSecretsBody()}}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if got, err := w.GetSecrets(ctx); err != nil || len(got) != 8 {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetSecretsInMemoryBaseline is the baseline: the same GET over a
// bare net/http client and the same transport, decoded into a map.
func BenchmarkGetSecretsInMemoryBaseline(b *testing.B) {
	c := &http.Client{Transport: staticTransport{benchSecretsBody()}}
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		req, err := http.NewRequestWithContext(ctx, "GET", "http://h:1/api/settings/secrets", nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set(HeaderSessionAPIKey, testKey)
		req.Header.Set("User-Agent", DefaultUserAgent)
		resp, err := c.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetLLMInMemory is the legacy GetLLM path (two settings GETs)
// over an in-memory transport.
func BenchmarkGetLLMInMemory(b *testing.B) {
	w, err := New("http://h:1", WithAPIKey(testKey), WithHTTPClient(&http.Client{Transport: staticTransport{benchSettingsBody("null")}}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := w.GetLLM(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetLLMInMemoryBaseline is the baseline: the same two GETs over
// a bare net/http client and the same transport, each decoded into a map.
func BenchmarkGetLLMInMemoryBaseline(b *testing.B) {
	c := &http.Client{Transport: staticTransport{benchSettingsBody("null")}}
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, expose := range []bool{false, true} {
			req, err := http.NewRequestWithContext(ctx, "GET", "http://h:1/api/settings", nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set(HeaderSessionAPIKey, testKey)
			req.Header.Set("User-Agent", DefaultUserAgent)
			if expose {
				req.Header.Set(HeaderExposeSecrets, "plaintext")
			}
			resp, err := c.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if err != nil {
				b.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(body, &m); err != nil {
				b.Fatal(err)
			}
		}
	}
}
