package server

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRoutingBeforeAuth(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name     string
		method   string
		path     string
		hdr      []string
		status   int
		detail   string
		allow    string
		location string
	}{
		{name: "unknown path", method: "GET", path: "/nope", status: 404, detail: "Not Found"},
		{name: "unknown api path", method: "GET", path: "/api/nope", status: 404, detail: "Not Found"},
		{name: "unknown settings subpath", method: "GET", path: "/api/settings/nope/deeper", status: 404, detail: "Not Found"},
		{name: "wrong method settings", method: "PUT", path: "/api/settings", status: 405, detail: "Method Not Allowed", allow: "GET, HEAD, PATCH"},
		{name: "wrong method secrets", method: "DELETE", path: "/api/settings/secrets", status: 405, detail: "Method Not Allowed", allow: "GET, HEAD, PUT"},
		{name: "wrong method mcp", method: "GET", path: "/api/settings/mcp/x", status: 405, detail: "Method Not Allowed", allow: "POST, PATCH, DELETE"},
		{name: "wrong method health", method: "POST", path: "/health", status: 405, detail: "Method Not Allowed", allow: "GET, HEAD"},
		{name: "plain OPTIONS", method: "OPTIONS", path: "/api/settings", status: 405, detail: "Method Not Allowed", allow: "GET, HEAD, PATCH"},
		{name: "preflight OPTIONS", method: "OPTIONS", path: "/api/profiles", hdr: []string{"Origin", "http://x", "Access-Control-Request-Method", "GET"}, status: 405, detail: "Method Not Allowed", allow: "GET, HEAD"},
		{name: "OPTIONS unknown", method: "OPTIONS", path: "/api/nope", status: 404, detail: "Not Found"},
		{name: "trailing slash mcp", method: "POST", path: "/api/settings/mcp/github/", status: 307, location: "/api/settings/mcp/github"},
		{name: "trailing slash keeps query", method: "GET", path: "/api/settings/?a=1&b=2", status: 307, location: "/api/settings?a=1&b=2"},
		{name: "trailing slash secrets", method: "GET", path: "/api/settings/secrets/", status: 307, location: "/api/settings/secrets"},
		{name: "trailing slash other method", method: "DELETE", path: "/api/profiles/fast/", status: 307, location: "/api/profiles/fast"},
		{name: "trailing slash health", method: "GET", path: "/health/", status: 307, location: "/health"},
		{name: "empty mcp key", method: "POST", path: "/api/settings/mcp/", status: 404, detail: "Not Found"},
		{name: "double slash", method: "GET", path: "/api//settings", status: 404, detail: "Not Found"},
		{name: "dot segment", method: "GET", path: "/api/settings/../settings", status: 404, detail: "Not Found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// No session key: routing answers come before authentication.
			r := h.raw(tc.method, tc.path, "", tc.hdr...)
			require.Equal(t, tc.status, r.Status, "body: %s", r.Body)
			require.Empty(t, r.Header.Get("WWW-Authenticate"))
			if tc.detail != "" {
				r.requireDetail(t, tc.status, tc.detail)
			}
			if tc.allow != "" {
				require.Equal(t, tc.allow, r.Header.Get("Allow"))
			}
			if tc.location != "" {
				require.Equal(t, tc.location, r.Header.Get("Location"))
			}
		})
	}
}

func TestUnauthenticatedEndpoints(t *testing.T) {
	h := newHarness(t)
	for path, want := range map[string]map[string]any{
		"/health": {"status": "ok"},
		"/alive":  {"status": "ok"},
		"/ready":  {"status": "ready"},
	} {
		r := h.raw("GET", path, "")
		require.Equal(t, 200, r.Status, path)
		require.Equal(t, "application/json", r.Header.Get("Content-Type"))
		require.Equal(t, want, r.JSON(t), path)
	}
	for _, path := range []string{"/", "/server_info"} {
		r := h.raw("GET", path, "")
		require.Equal(t, 200, r.Status, path)
		m := r.JSON(t)
		require.IsType(t, float64(0), m["uptime"])
		require.IsType(t, float64(0), m["idle_time"])
		require.GreaterOrEqual(t, m["uptime"].(float64), 0.0)
		require.GreaterOrEqual(t, m["idle_time"].(float64), 0.0)
		require.Equal(t, Version, m["version"])
		require.NotEmpty(t, m["title"])
	}
	r := h.raw("HEAD", "/health", "")
	require.Equal(t, 200, r.Status)
	require.Empty(t, r.Body)
}

// concretePath fills the wildcards of a route pattern.
func concretePath(pattern string) string {
	p := strings.ReplaceAll(pattern, "{settings_key}", "srv1")
	return strings.ReplaceAll(p, "{name}", "NAME_1")
}

func TestEveryAuthenticatedRouteRequiresKey(t *testing.T) {
	h := newHarness(t)
	routes := h.srv.Routes()
	require.NotEmpty(t, routes)
	authCount := 0
	bad := []struct {
		name string
		hdr  []string
	}{
		{"no key", nil},
		{"wrong key", []string{"X-Session-API-Key", "wrong"}},
		{"empty key", []string{"X-Session-API-Key", ""}},
		{"case differs", []string{"X-Session-API-Key", strings.ToUpper(testSessionKey)}},
		{"prefix of key", []string{"X-Session-API-Key", testSessionKey[:len(testSessionKey)-1]}},
		{"key plus suffix", []string{"X-Session-API-Key", testSessionKey + "x"}},
		{"bearer", []string{"Authorization", "Bearer " + testSessionKey}},
		{"authorization raw", []string{"Authorization", testSessionKey}},
		{"workspace cookie", []string{"Cookie", "oh_workspace_session_key=" + testSessionKey}},
		{"header-named cookie", []string{"Cookie", "X-Session-API-Key=" + testSessionKey}},
	}
	for _, rt := range routes {
		path := concretePath(rt.Pattern)
		if !rt.Auth {
			r := h.raw(rt.Method, path, "")
			require.Equal(t, 200, r.Status, "%s %s", rt.Method, path)
			continue
		}
		require.True(t, strings.HasPrefix(rt.Pattern, "/api/"), rt.Pattern)
		authCount++
		for _, b := range bad {
			r := h.raw(rt.Method, path, `{}`, b.hdr...)
			require.Equal(t, 401, r.Status, "%s %s (%s): %s", rt.Method, path, b.name, r.Body)
			require.Equal(t, map[string]any{"detail": "Unauthorized"}, r.JSON(t))
			require.Empty(t, r.Header.Get("WWW-Authenticate"))
		}
		r := h.raw(rt.Method, path, `{}`, "X-Session-API-Key", testSessionKey)
		require.NotEqual(t, 401, r.Status, "%s %s with key: %s", rt.Method, path, r.Body)
		require.Less(t, r.Status, 500, "%s %s with key: %s", rt.Method, path, r.Body)
		r = h.raw(rt.Method, path, `{}`, "x-session-api-key", testSessionKey)
		require.NotEqual(t, 401, r.Status, "lower-case header name")
	}
	require.Equal(t, 18, authCount)
}

func TestKeyRotationAndOpenServer(t *testing.T) {
	h := newHarness(t, withKeys("k-old", "k-new", ""))
	for _, k := range []string{"k-old", "k-new"} {
		r := h.raw("GET", "/api/settings", "", "X-Session-API-Key", k)
		require.Equal(t, 200, r.Status, k)
	}
	for _, k := range []string{"k-other", "k", "K-OLD"} {
		r := h.raw("GET", "/api/settings", "", "X-Session-API-Key", k)
		require.Equal(t, 401, r.Status, k)
	}
	// An empty configured key never matches (and an empty header is "no key").
	r := h.raw("GET", "/api/settings", "", "X-Session-API-Key", "")
	require.Equal(t, 401, r.Status)

	open := newHarness(t, withKeys())
	for _, rt := range open.srv.Routes() {
		r := open.raw(rt.Method, concretePath(rt.Pattern), `{}`)
		require.NotEqual(t, 401, r.Status, "%s %s", rt.Method, rt.Pattern)
	}
	open2 := newHarness(t, withKeys(""))
	require.Equal(t, 200, open2.raw("GET", "/api/settings", "").Status)
}

func TestRequestBodyErrors(t *testing.T) {
	h := newHarness(t, withMaxBody(4096))
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	tests := []struct {
		name  string
		body  string
		typ   string
		loc   []any
		input any
	}{
		{"invalid json", `{"agent_settings_diff": `, "json_invalid", nil, map[string]any{}},
		{"trailing garbage", `{} x`, "json_invalid", nil, map[string]any{}},
		{"duplicate keys", `{"active_profile": null, "active_profile": null}`, "json_invalid", nil, map[string]any{}},
		{"invalid utf8", "{\"misc_settings_diff\": {\"a\": \"\xff\"}}", "json_invalid", nil, map[string]any{}},
		{"whitespace only", "   ", "json_invalid", nil, map[string]any{}},
		{"list body", `[1, 2]`, "model_attributes_type", []any{"body"}, []any{1.0, 2.0}},
		{"string body", `"x"`, "model_attributes_type", []any{"body"}, "x"},
		{"null body", `null`, "model_attributes_type", []any{"body"}, nil},
		{"empty body", ``, "missing", []any{"body"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do("PATCH", "/api/settings", tc.body)
			items := r.requireItems(t)
			require.Len(t, items, 1)
			it := items[0]
			require.Equal(t, tc.typ, it["type"])
			require.Equal(t, tc.input, it["input"])
			if tc.typ == "json_invalid" {
				require.Equal(t, "JSON decode error", it["msg"])
				loc := it["loc"].([]any)
				require.Len(t, loc, 2)
				require.Equal(t, "body", loc[0])
				require.IsType(t, float64(0), loc[1])
				require.IsType(t, "", at(it, "ctx", "error"))
			} else {
				require.Equal(t, tc.loc, it["loc"])
			}
		})
	}
	t.Run("deep nesting", func(t *testing.T) {
		big := newHarness(t)
		items := big.do("PATCH", "/api/settings", `{"misc_settings_diff": {"a": `+deep+`}}`).requireItems(t)
		require.Equal(t, "json_invalid", items[0]["type"])
	})
	t.Run("too large", func(t *testing.T) {
		body := `{"misc_settings_diff": {"a": "` + strings.Repeat("x", 5000) + `"}}`
		h.do("PATCH", "/api/settings", body).requireDetail(t, 413, "Request body too large")
		h.do("PUT", "/api/settings/secrets", body).requireDetail(t, 413, "Request body too large")
		// Limit is inclusive of the limit itself.
		ok := `{"misc_settings_diff": {"a": "` + strings.Repeat("x", 4000) + `"}}`
		require.Equal(t, 200, h.do("PATCH", "/api/settings", ok).Status)
	})
}

func TestValidationInputIsSanitized(t *testing.T) {
	h := newHarness(t)
	r := h.do("POST", "/api/settings/mcp/x", `{"transport": "stdio", "env": {"TOKEN": "tok-Secret1"}, "headers": {"X-Thing": "hdr-Secret2"}, "description": "d"}`)
	items := r.requireItems(t)
	require.NotContains(t, string(r.Body), "tok-Secret1")
	require.NotContains(t, string(r.Body), "hdr-Secret2")
	require.Equal(t, "body", items[0]["loc"].([]any)[0])

	r = h.do("POST", "/api/profiles/p1", `{"llm": {"model": "", "api_key": "sk-Secret3", "aws_secret_access_key": "aws-Secret4"}}`)
	r.requireItems(t)
	require.NotContains(t, string(r.Body), "sk-Secret3")
	require.NotContains(t, string(r.Body), "aws-Secret4")

	r = h.do("PUT", "/api/settings/secrets", `{"value": "val-Secret5"}`)
	items = r.requireItems(t)
	require.Equal(t, []any{"body", "name"}, items[0]["loc"])
	require.NotContains(t, string(r.Body), "val-Secret5")

	r = h.do("PUT", "/api/settings/secrets", `{"name": "OK", "value": ["val-Secret6"]}`)
	items = r.requireItems(t)
	require.Equal(t, []any{"body", "value"}, items[0]["loc"])
	require.NotContains(t, string(r.Body), "val-Secret6")
}

func TestSanitizeInput(t *testing.T) {
	in := map[string]any{
		"name":        "visible",
		"api_key":     "s1",
		"X-Token":     map[string]any{"nested": "s2"},
		"Cookie":      nil,
		"Environment": map[string]any{"A": "s3", "B": []any{"s4", map[string]any{"c": 1.0}}},
		"headers":     map[string]any{"h": "s5"},
		"list":        []any{map[string]any{"password": "s6", "author": "kept"}},
		"value":       "s7",
	}
	v := mustParse(t, mustJSON(t, in))
	out := sanitizeInput(v)
	got := mustDecode(t, out)
	require.Equal(t, map[string]any{
		"name":        "visible",
		"api_key":     "<redacted>",
		"X-Token":     "<redacted>",
		"Cookie":      "<redacted>",
		"Environment": map[string]any{"A": "<redacted>", "B": []any{"<redacted>", map[string]any{"c": "<redacted>"}}},
		"headers":     map[string]any{"h": "<redacted>"},
		"list":        []any{map[string]any{"password": "<redacted>", "author": "kept"}},
		"value":       "<redacted>",
	}, got)
}

func TestPanicBecomesEnvelope(t *testing.T) {
	for _, debug := range []bool{false, true} {
		fs := newFaultStore()
		opts := []hopt{withStore(fs)}
		if debug {
			opts = append(opts, withDebug())
		}
		h := newHarness(t, opts...)
		fs.panicStat = true
		r := h.do("GET", "/api/settings", "")
		require.Equal(t, 500, r.Status, "body: %s", r.Body)
		require.Equal(t, "application/json", r.Header.Get("Content-Type"))
		m := r.JSON(t)
		require.Equal(t, "Internal Server Error", m["detail"])
		require.NotEmpty(t, m["exception"])
		require.Regexp(t, regexp.MustCompile(`^[0-9a-f]{32}$`), m["error_id"])
		_, hasTB := m["traceback"]
		require.Equal(t, debug, hasTB)
		require.Contains(t, h.logs.String(), m["error_id"].(string))
		// The server keeps serving.
		fs.mu.Lock()
		fs.panicStat = false
		fs.mu.Unlock()
		require.Equal(t, 200, h.do("GET", "/api/settings", "").Status)
	}
}

func TestUnhandledReadErrorHasErrorID(t *testing.T) {
	fs := newFaultStore()
	h := newHarness(t, withStore(fs))
	h.putFile("settings.json", "{}")
	fs.set(fs.failRead, "settings.json", true)
	r := h.do("GET", "/api/settings", "")
	require.Equal(t, 500, r.Status)
	m := r.JSON(t)
	require.Equal(t, "Internal Server Error", m["detail"])
	require.Regexp(t, `^[0-9a-f]{32}$`, m["error_id"])
}

func TestNewRejectsNegativeBodyLimit(t *testing.T) {
	_, err := New(Config{MaxBodyBytes: -1})
	require.Error(t, err)
	srv, err := New(Config{})
	require.NoError(t, err)
	require.Equal(t, int64(DefaultMaxBodyBytes), srv.maxBody)
	var _ http.Handler = srv
}
