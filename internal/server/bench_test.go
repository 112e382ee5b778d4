package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/openhands-go/sdk/internal/store"
)

// benchSettingsServer returns a server whose settings hold a few secrets.
func benchSettingsServer(b *testing.B) *Server {
	b.Helper()
	k := testSecretKey
	srv, err := New(Config{SecretKey: &k, SessionAPIKeys: []string{testSessionKey}, Store: store.NewMemory()})
	if err != nil {
		b.Fatal(err)
	}
	rec := serve(srv, "PATCH", "/api/settings", `{"agent_settings_diff": {"llm": {"model": "openai/gpt-4o", "api_key": "sk-bench"}, "mcp_config": {"gh": {"command": "uvx", "env": {"GITHUB_TOKEN": "ghp-bench"}}}}}`,
		"X-Session-API-Key", testSessionKey)
	if rec.Code != 200 {
		b.Fatalf("seed PATCH: %d %s", rec.Code, rec.Body.String())
	}
	return srv
}

// bareHandler serves fixed bytes with the same headers the server sends.
func bareHandler(body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = []string{"application/json"}
		h["Content-Length"] = []string{strconv.Itoa(len(body))}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
	})
}

// runHTTP issues b.N sequential GETs over one kept-alive connection.
func runHTTP(b *testing.B, h http.Handler, hdr map[string]string, wantLen int) {
	ts := httptest.NewServer(h)
	defer ts.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	req, err := http.NewRequest("GET", ts.URL+"/api/settings", nil)
	if err != nil {
		b.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || int(n) != wantLen {
			b.Fatalf("status %d, %d bytes", resp.StatusCode, n)
		}
	}
}

func plaintextBytes(b *testing.B, srv *Server) []byte {
	rec := serve(srv, "GET", "/api/settings", "", "X-Session-API-Key", testSessionKey, "X-Expose-Secrets", "plaintext")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "sk-bench") {
		b.Fatalf("GET plaintext: %d %s", rec.Code, rec.Body.String())
	}
	return rec.Body.Bytes()
}

// BenchmarkGetSettingsPlaintext: GET /api/settings (plaintext mode, with
// auth) over HTTP. Compare with BenchmarkBareHandlerSameBytes.
func BenchmarkGetSettingsPlaintext(b *testing.B) {
	srv := benchSettingsServer(b)
	body := plaintextBytes(b, srv)
	runHTTP(b, srv, map[string]string{"X-Session-API-Key": testSessionKey, "X-Expose-Secrets": "plaintext"}, len(body))
}

// BenchmarkBareHandlerSameBytes: the baseline, a trivial handler writing the
// same response bytes.
func BenchmarkBareHandlerSameBytes(b *testing.B) {
	srv := benchSettingsServer(b)
	body := plaintextBytes(b, srv)
	runHTTP(b, bareHandler(body), map[string]string{"X-Session-API-Key": testSessionKey, "X-Expose-Secrets": "plaintext"}, len(body))
}

// BenchmarkGetSettingsRedacted: the default mode over HTTP.
func BenchmarkGetSettingsRedacted(b *testing.B) {
	srv := benchSettingsServer(b)
	rec := serve(srv, "GET", "/api/settings", "", "X-Session-API-Key", testSessionKey)
	runHTTP(b, srv, map[string]string{"X-Session-API-Key": testSessionKey}, rec.Body.Len())
}

// BenchmarkGetSettingsEncrypted: encrypted mode renders fresh tokens each
// time (not cached), shown for scale.
func BenchmarkGetSettingsEncrypted(b *testing.B) {
	srv := benchSettingsServer(b)
	hdr := map[string]string{"X-Session-API-Key": testSessionKey, "X-Expose-Secrets": "encrypted"}
	rec := serve(srv, "GET", "/api/settings", "", "X-Session-API-Key", testSessionKey, "X-Expose-Secrets", "encrypted")
	ts := httptest.NewServer(srv)
	defer ts.Close()
	client := ts.Client()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req, _ := http.NewRequest("GET", ts.URL+"/api/settings", nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || int(n) != rec.Body.Len() {
			b.Fatalf("status %d, %d bytes", resp.StatusCode, n)
		}
	}
}

// runInProcess serves b.N requests through a ResponseRecorder.
func runInProcess(b *testing.B, h http.Handler, hdr map[string]string) {
	req := httptest.NewRequest("GET", "/api/settings", nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkGetSettingsPlaintextInProcess is the handler cost alone.
func BenchmarkGetSettingsPlaintextInProcess(b *testing.B) {
	srv := benchSettingsServer(b)
	runInProcess(b, srv, map[string]string{"X-Session-API-Key": testSessionKey, "X-Expose-Secrets": "plaintext"})
}

// BenchmarkBareHandlerSameBytesInProcess is its baseline.
func BenchmarkBareHandlerSameBytesInProcess(b *testing.B) {
	srv := benchSettingsServer(b)
	runInProcess(b, bareHandler(plaintextBytes(b, srv)), map[string]string{"X-Session-API-Key": testSessionKey, "X-Expose-Secrets": "plaintext"})
}
