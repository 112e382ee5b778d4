package server

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openhands-go/sdk/internal/jsonx"
)

// patchBenchBodies alternate so that every request really changes the
// stored settings (a small llm change plus a misc change).
var patchBenchBodies = [2]string{
	`{"agent_settings_diff": {"llm": {"model": "openai/gpt-4o", "temperature": 0.5}}, "misc_settings_diff": {"theme": "dark", "n": 1}}`,
	`{"agent_settings_diff": {"llm": {"model": "openai/gpt-4o-mini", "temperature": 0.25}}, "misc_settings_diff": {"theme": "light", "n": 2}}`,
}

// BenchmarkPatchSettingsMemory: PATCH /api/settings in process (memory
// store, secret key configured, a few stored secrets), a small
// agent_settings_diff.llm change plus a misc change. Compare with
// BenchmarkPatchBaselineDecodeEncode.
func BenchmarkPatchSettingsMemory(b *testing.B) {
	srv := benchSettingsServer(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest("PATCH", "/api/settings", strings.NewReader(patchBenchBodies[i&1]))
		req.Header.Set("X-Session-API-Key", testSessionKey)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("PATCH: %d %s", rec.Code, rec.Body.String())
		}
	}
}

// BenchmarkPatchBaselineDecodeEncode is the irreducible JSON work of the
// same request: parse the request body and encode the current settings
// document (the redacted SettingsResponse the PATCH answers).
func BenchmarkPatchBaselineDecodeEncode(b *testing.B) {
	srv := benchSettingsServer(b)
	rec := serve(srv, "GET", "/api/settings", "", "X-Session-API-Key", testSessionKey)
	if rec.Code != 200 {
		b.Fatalf("GET: %d %s", rec.Code, rec.Body.String())
	}
	doc, err := jsonx.ParseObject(rec.Body.Bytes())
	if err != nil {
		b.Fatal(err)
	}
	bodies := [2][]byte{[]byte(patchBenchBodies[0]), []byte(patchBenchBodies[1])}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := jsonx.Parse(bodies[i&1]); err != nil {
			b.Fatal(err)
		}
		if _, err := jsonx.Marshal(doc); err != nil {
			b.Fatal(err)
		}
	}
}
