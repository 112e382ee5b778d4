package e2e

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/internal/server"
	"github.com/openhands-go/sdk/internal/store"
)

// publicRoutes are the only routes the spec exempts from the session key
// (server-api.md §2.3). Any other route without auth in the route table is
// a failure.
var publicRoutes = map[string]bool{
	"GET /":             true,
	"GET /server_info":  true,
	"GET /alive":        true,
	"GET /health":       true,
	"GET /ready":        true,
	"GET /openapi.json": true,
	"GET /docs":         true,
	"GET /redoc":        true,
}

// concretePath fills the {param} segments of a ServeMux pattern with valid
// values.
func concretePath(pattern string) string {
	r := strings.NewReplacer("{settings_key}", "authsvc", "{name}", "AUTH_NAME")
	return r.Replace(pattern)
}

// TestAuthEveryRoute walks the server's own route table: every route that is
// not on the spec's public list requires X-Session-API-Key (401 without it,
// with a wrong one, with the key only as a Bearer token or only in a cookie)
// and is not 401 with the right key. A route added without auth fails the
// test because the set is computed from the table.
func TestAuthEveryRoute(t *testing.T) {
	t.Parallel()
	const key = "auth-session-key-Qx81"
	const other = "auth-other-key-Zm42"
	secretKey := "auth-secret-key"
	h, err := server.New(server.Config{SessionAPIKeys: []string{key, other}, SecretKey: &secretKey, Store: store.NewMemory()})
	require.NoError(t, err)

	routes := h.Routes()
	require.NotEmpty(t, routes)
	authed := 0
	for _, rt := range routes {
		id := rt.Method + " " + rt.Pattern
		if publicRoutes[id] {
			require.False(t, rt.Auth, "%s is public in the spec but requires the key", id)
		} else {
			require.True(t, rt.Auth, "%s is not on the spec's public list but does not require X-Session-API-Key", id)
		}
	}

	send := func(method, path string, mutate func(*http.Request)) *httptest.ResponseRecorder {
		var body *strings.Reader
		if method == http.MethodGet || method == http.MethodDelete {
			body = strings.NewReader("")
		} else {
			body = strings.NewReader(`{}`)
		}
		req := httptest.NewRequest(method, path, body)
		req.Header.Set("Content-Type", "application/json")
		if mutate != nil {
			mutate(req)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}

	for _, rt := range routes {
		path := concretePath(rt.Pattern)
		id := rt.Method + " " + rt.Pattern
		if !rt.Auth {
			rec := send(rt.Method, path, nil)
			require.Equal(t, http.StatusOK, rec.Code, "public route %s without a key", id)
			continue
		}
		authed++
		bad := []struct {
			why    string
			mutate func(*http.Request)
		}{
			{"no key", nil},
			{"empty key", func(r *http.Request) { r.Header.Set("X-Session-API-Key", "") }},
			{"wrong key", func(r *http.Request) { r.Header.Set("X-Session-API-Key", "wrong-"+key) }},
			{"key with a trailing space", func(r *http.Request) { r.Header.Set("X-Session-API-Key", key+" ") }},
			{"key in another case", func(r *http.Request) { r.Header.Set("X-Session-API-Key", strings.ToUpper(key)) }},
			{"key prefix", func(r *http.Request) { r.Header.Set("X-Session-API-Key", key[:len(key)-1]) }},
			{"Authorization: Bearer", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+key) }},
			{"cookie oh_workspace_session_key", func(r *http.Request) {
				r.AddCookie(&http.Cookie{Name: "oh_workspace_session_key", Value: key})
			}},
			{"cookie session_api_key", func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "session_api_key", Value: key}) }},
			{"key as a query parameter", func(r *http.Request) {
				q := r.URL.Query()
				q.Set("session_api_key", key)
				r.URL.RawQuery = q.Encode()
			}},
		}
		for _, b := range bad {
			rec := send(rt.Method, path, b.mutate)
			require.Equal(t, http.StatusUnauthorized, rec.Code, "%s with %s", id, b.why)
			require.JSONEq(t, `{"detail":"Unauthorized"}`, rec.Body.String(), "%s with %s", id, b.why)
			require.Empty(t, rec.Header().Get("WWW-Authenticate"), "%s with %s", id, b.why)
		}
		for _, k := range []string{key, other} {
			rec := send(rt.Method, path, func(r *http.Request) { r.Header.Set("X-Session-API-Key", k) })
			require.NotEqual(t, http.StatusUnauthorized, rec.Code, "%s with a valid key", id)
			require.Less(t, rec.Code, 500, "%s with a valid key: %s", id, rec.Body.String())
		}
	}
	require.Greater(t, authed, 10, "the route table has fewer authenticated routes than the spec")
	t.Logf("%d routes: %d authenticated, each checked with 10 kinds of bad credentials and 2 valid keys", len(routes), authed)
}
