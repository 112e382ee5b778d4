package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/openhands-go/sdk/internal/store"
)

func fuzzServer(tb testing.TB) *Server {
	tb.Helper()
	k := testSecretKey
	srv, err := New(Config{SecretKey: &k, Store: store.NewMemory(), MaxBodyBytes: 1 << 16})
	if err != nil {
		tb.Fatal(err)
	}
	return srv
}

func serve(srv *Server, method, path, body string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}

// FuzzPatchSettings: any PATCH body is answered without a 5xx, and whatever
// the server accepted can be loaded back (no write ever makes settings.json
// unloadable).
func FuzzPatchSettings(f *testing.F) {
	seeds := []string{
		``, `{}`, `null`, `[]`, `"x"`, `{"agent_settings_diff": null}`,
		`{"agent_settings_diff": {"llm": {"model": "m", "api_key": "sk"}}}`,
		`{"agent_settings_diff": {"agent_kind": "acp", "acp_model": null}}`,
		`{"agent_settings_diff": {"agent_kind": "llm"}}`,
		`{"agent_settings_diff": {"agent_kind": 0}}`,
		`{"agent_settings_diff": {"condenser": {"condenser_kind": "no_op"}}}`,
		`{"agent_settings_diff": {"mcp_config": {"s": {"command": "c", "env": {"A": null}}}}}`,
		`{"agent_settings_diff": {"mcp_config": {"mcpServers": {"x": {"command": "c"}}}}}`,
		`{"agent_settings_diff": {"schema_version": 1, "mcp_config": {"mcpServers": {"x": {"command": "c"}}}}}`,
		`{"agent_settings_diff": {"tools": null, "agent_context": {"secrets": {"A": "b"}}}}`,
		`{"conversation_settings_diff": {"max_iterations": null}}`,
		`{"conversation_settings_diff": {"security_analyzer": null, "schema_version": 0}}`,
		`{"misc_settings_diff": {"a": {"b": null}, "c": [1, {"d": null}]}}`,
		`{"active_profile": "p", "agent_settings_diff": {"llm": {"model": "x"}}}`,
		`{"active_profile": "missing"}`,
		`{"active_agent_profile_id": "12345678-1234-1234-1234-1234567890ab"}`,
		`{"a": 1, "a": 2}`,
		"{\"misc_settings_diff\": {\"\xff\": 1}}",
		strings.Repeat("[", 600) + strings.Repeat("]", 600),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	srv := fuzzServer(f)
	f.Fuzz(func(t *testing.T, body string) {
		rec := serve(srv, "PATCH", "/api/settings", body)
		if rec.Code >= 500 {
			t.Fatalf("PATCH %q → %d %s", body, rec.Code, rec.Body.String())
		}
		for _, mode := range []string{"", "plaintext", "encrypted"} {
			get := serve(srv, "GET", "/api/settings", "", "X-Expose-Secrets", mode)
			if get.Code != http.StatusOK {
				t.Fatalf("GET after PATCH %q → %d %s", body, get.Code, get.Body.String())
			}
		}
		e, err := srv.currentSettings(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if e.state == settingsUnloadable {
			t.Fatalf("PATCH %q left an unloadable settings file", body)
		}
	})
}

// FuzzWriteEndpoints: MCP, secret and profile writes never answer 5xx.
func FuzzWriteEndpoints(f *testing.F) {
	f.Add(uint8(0), "k", `{"command": "c"}`)
	f.Add(uint8(1), "k", `{"env": {"A": null}, "enabled": null}`)
	f.Add(uint8(2), "k", ``)
	f.Add(uint8(3), "n", `{"name": "A", "value": "v", "description": null}`)
	f.Add(uint8(4), "p", `{"llm": {"model": "m", "api_key": "k"}, "include_secrets": false}`)
	f.Add(uint8(5), "p", `{"new_name": "q"}`)
	f.Add(uint8(6), "p", ``)
	f.Add(uint8(7), "p", `{"llm": {"model": "m"}}`)
	f.Add(uint8(8), "A", ``)
	srv := fuzzServer(f)
	f.Fuzz(func(t *testing.T, sel uint8, name, body string) {
		seg := strings.NewReplacer("/", "%2F", "?", "%3F", "#", "%23", "%", "%25").Replace(name)
		if seg == "" || strings.ContainsAny(seg, " \t\r\n\x00") || seg == "." || seg == ".." {
			seg = "x"
		}
		reqs := []struct{ method, path string }{
			{"POST", "/api/settings/mcp/" + seg},
			{"PATCH", "/api/settings/mcp/" + seg},
			{"DELETE", "/api/settings/mcp/" + seg},
			{"PUT", "/api/settings/secrets"},
			{"POST", "/api/profiles/" + seg},
			{"POST", "/api/profiles/" + seg + "/rename"},
			{"POST", "/api/profiles/" + seg + "/activate"},
			{"POST", "/api/profiles/" + seg + "/validate"},
			{"GET", "/api/settings/secrets/" + seg},
		}
		r := reqs[int(sel)%len(reqs)]
		if _, err := url.ParseRequestURI(r.path); err != nil {
			t.Skip("not a request target")
		}
		rec := serve(srv, r.method, r.path, body)
		if rec.Code >= 500 {
			t.Fatalf("%s %s %q → %d %s", r.method, r.path, body, rec.Code, rec.Body.String())
		}
	})
}
