package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/internal/server"
	"github.com/openhands-go/sdk/internal/store"
	"github.com/openhands-go/sdk/workspace/workspacetest"
)

// requireCleanAnswer checks the promise for hostile input: the status is one
// of want, never a 5xx, and a 4xx carries a JSON body with a non-empty
// "detail".
func requireCleanAnswer(t testing.TB, what string, r rawResp, want ...int) {
	t.Helper()
	require.Less(t, r.Status, 500, "%s: server error %d: %s", what, r.Status, clipBytes(r.Body))
	require.Contains(t, want, r.Status, "%s: status %d: %s", what, r.Status, clipBytes(r.Body))
	if r.Status >= 400 {
		require.Equal(t, "application/json", r.Header.Get("Content-Type"), "%s", what)
		_, err := detailOf(r.Body)
		require.NoError(t, err, "%s", what)
	}
}

// chunked hides a reader's length so the request is sent chunked.
type chunked struct{ r io.Reader }

func (c chunked) Read(p []byte) (int, error) { return c.r.Read(p) }

// TestHostileInput sends hostile requests over real HTTP to an in-process
// server: bad secret names on every secrets route, broken and oversized
// bodies on every body-taking route, a value of the wrong JSON type in every
// settings field, bad X-Expose-Secrets values, and clients that send their
// headers or body one byte at a time. Every answer is a 4xx (or a
// documented 2xx/307) with a JSON detail, never a 5xx, panic or hang, and the
// server stays healthy.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	logs := &syncBuffer{}
	srv := workspacetest.NewServer(t, workspacetest.WithLogger(slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	hc := noRedirectClient()
	t.Cleanup(hc.CloseIdleConnections)
	key := srv.APIKey
	do := func(method, path string, body io.Reader, hdr map[string]string) rawResp {
		return rawDo(t, hc, method, srv.URL+path, key, body, hdr)
	}
	str := func(s string) io.Reader { return strings.NewReader(s) }

	t.Run("secret names", func(t *testing.T) {
		names := []struct{ why, name string }{
			{"leading digit", "1ABC"},
			{"hyphen", "A-B"},
			{"65 characters", "A" + strings.Repeat("b", 64)},
			{"Cyrillic look-alike А", "\u0410BC"},
			{"Cyrillic look-alike inside", "ABC\u0430"},
			{"path traversal", "../settings"},
			{"encoded traversal", "..%2Fsettings.json"},
			{"NUL", "A\x00B"},
			{"newline", "A\nB"},
			{"space", "A B"},
			{"10 KB", "A" + strings.Repeat("x", 10<<10)},
		}
		for _, c := range names {
			body, err := json.Marshal(map[string]string{"name": c.name, "value": "hostile-value"})
			require.NoError(t, err)
			r := do(http.MethodPut, "/api/settings/secrets", bytes.NewReader(body), nil)
			requireCleanAnswer(t, "PUT "+c.why, r, 422)
			p := "/api/settings/secrets/" + url.PathEscape(c.name)
			requireCleanAnswer(t, "GET "+c.why, do(http.MethodGet, p, nil, nil), 422)
			requireCleanAnswer(t, "DELETE "+c.why, do(http.MethodDelete, p, nil, nil), 422)
		}
		// Empty name: only expressible in the PUT body; the empty path
		// segment is the list route with a trailing slash (307, spec §1).
		requireCleanAnswer(t, "PUT empty name", do(http.MethodPut, "/api/settings/secrets", str(`{"name":"","value":"v"}`), nil), 422)
		requireCleanAnswer(t, "GET empty name", do(http.MethodGet, "/api/settings/secrets/", nil, nil), 307)
		requireCleanAnswer(t, "DELETE empty name", do(http.MethodDelete, "/api/settings/secrets/", nil, nil), 307)
		// Raw traversal that is not a clean path never reaches a handler.
		for _, p := range []string{"/api/settings/secrets/../settings", "/api/settings/secrets/..%2F..%2Fsettings.json", "/api/settings/secrets/%2e%2e"} {
			r := do(http.MethodGet, p, nil, nil)
			requireCleanAnswer(t, "GET "+p, r, 404, 422)
		}
		// Nothing was stored by any of these.
		r := do(http.MethodGet, "/api/settings/secrets", nil, nil)
		requireCleanAnswer(t, "list", r, 200)
		require.JSONEq(t, `{"secrets":[]}`, string(r.Body))
	})

	t.Run("bodies", func(t *testing.T) {
		nest := func(open, mid, cl string, n int) string {
			return strings.Repeat(open, n) + mid + strings.Repeat(cl, n)
		}
		big := `{"misc_settings_diff":{"k":"` + strings.Repeat("x", (1<<20)+16) + `"}}`
		bodies := []struct {
			why  string
			body func() io.Reader
			want []int
		}{
			{"malformed", func() io.Reader { return str(`{not json}`) }, []int{422}},
			{"truncated", func() io.Reader { return str(`{"misc_settings_diff": {"a": [1, 2`) }, []int{422}},
			{"only an opening brace", func() io.Reader { return str(`{`) }, []int{422}},
			{"trailing garbage", func() io.Reader { return str(`{"name":"A","value":"v"} x`) }, []int{422}},
			{"10000-level object nesting", func() io.Reader { return str(nest(`{"a":`, `1`, `}`, 10000)) }, []int{422}},
			{"10000-level array nesting", func() io.Reader { return str(nest(`[`, ``, `]`, 10000)) }, []int{422}},
			{"invalid UTF-8", func() io.Reader { return str("{\"name\":\"A\",\"value\":\"\xff\xfe\"}") }, []int{422}},
			{"lone surrogate escape", func() io.Reader { return str(`{"name":"A","value":"\ud800"}`) }, []int{200, 201, 400, 422}},
			{"oversized (Content-Length)", func() io.Reader { return str(big) }, []int{413}},
			{"oversized (chunked)", func() io.Reader { return chunked{str(big)} }, []int{413}},
			{"top level array", func() io.Reader { return str(`[]`) }, []int{422}},
			{"top level string", func() io.Reader { return str(`"x"`) }, []int{422}},
			{"top level number", func() io.Reader { return str(`42`) }, []int{422}},
			{"top level null", func() io.Reader { return str(`null`) }, []int{422}},
			{"empty", func() io.Reader { return str(``) }, []int{422}},
			{"whitespace", func() io.Reader { return str(" \n\t ") }, []int{422}},
			// Python's json keeps the last duplicate; a strict parser rejects.
			{"duplicate keys", func() io.Reader {
				return str(`{"name":"DUP","name":"DUP2","value":"a","value":"b","llm":{"model":"m"},"llm":{"model":"m2"},"new_name":"x","new_name":"y","misc_settings_diff":{"a":1},"misc_settings_diff":{"b":2},"command":"x","command":"y"}`)
			}, []int{200, 201, 400, 404, 409, 422}},
		}
		routes := []struct{ method, path string }{
			{http.MethodPatch, "/api/settings"},
			{http.MethodPut, "/api/settings/secrets"},
			{http.MethodPost, "/api/profiles/hostile"},
			{http.MethodPost, "/api/profiles/hostile/rename"},
			{http.MethodPost, "/api/settings/mcp/hostile"},
			{http.MethodPatch, "/api/settings/mcp/hostile"},
		}
		for _, rt := range routes {
			for _, b := range bodies {
				r := do(rt.method, rt.path, b.body(), nil)
				requireCleanAnswer(t, fmt.Sprintf("%s %s with %s body", rt.method, rt.path, b.why), r, b.want...)
			}
		}
	})

	t.Run("wrong type in every settings field", func(t *testing.T) {
		r := do(http.MethodGet, "/api/settings", nil, nil)
		requireCleanAnswer(t, "GET settings", r, 200)
		var doc map[string]any
		require.NoError(t, json.Unmarshal(r.Body, &doc))

		// Fields whose type is certain: a wrong type must be a 422.
		mustReject := map[string]bool{
			"agent_settings_diff.schema_version":                 true,
			"agent_settings_diff.llm.model":                      true,
			"agent_settings_diff.llm.num_retries":                true,
			"agent_settings_diff.llm.timeout":                    true,
			"agent_settings_diff.llm.stream":                     true,
			"agent_settings_diff.enable_sub_agents":              true,
			"agent_settings_diff.tool_concurrency_limit":         true,
			"agent_settings_diff.mcp_config":                     true,
			"agent_settings_diff.condenser.max_size":             true,
			"agent_settings_diff.verification.critic_threshold":  true,
			"conversation_settings_diff.max_iterations":          true,
			"conversation_settings_diff.confirmation_mode":       true,
			"conversation_settings_diff.schema_version":          true,
			"agent_settings_diff.agent_context.load_user_skills": true,
		}
		var accepted []string
		cases, rejected := 0, 0
		for _, section := range []struct{ doc, diff string }{
			{"agent_settings", "agent_settings_diff"},
			{"conversation_settings", "conversation_settings_diff"},
		} {
			sub, ok := doc[section.doc].(map[string]any)
			require.True(t, ok, "GET /api/settings has no %s object", section.doc)
			for _, leaf := range settingsLeaves(sub, nil) {
				pathStr := section.diff + "." + strings.Join(leaf.path, ".")
				for i, wrong := range wrongValues(leaf.value) {
					cases++
					diff := nestValue(leaf.path, wrong)
					body, err := json.Marshal(map[string]any{section.diff: diff})
					require.NoError(t, err)
					r := do(http.MethodPatch, "/api/settings", bytes.NewReader(body), nil)
					what := fmt.Sprintf("PATCH %s = %s", pathStr, clipBytes(mustJSON(t, wrong)))
					if i == 0 && mustReject[pathStr] {
						requireCleanAnswer(t, what, r, 422)
					} else {
						requireCleanAnswer(t, what, r, 200, 422)
					}
					if r.Status == 200 {
						accepted = append(accepted, what)
						// Put the original value back; the settings must
						// still load and accept it.
						restore, err := json.Marshal(map[string]any{section.diff: nestValue(leaf.path, leaf.value)})
						require.NoError(t, err)
						requireCleanAnswer(t, "restore "+pathStr, do(http.MethodPatch, "/api/settings", bytes.NewReader(restore), nil), 200)
					} else {
						rejected++
						require.Equal(t, "Settings validation failed", mustDetail(t, r), "%s", what)
					}
					requireCleanAnswer(t, "GET after "+what, do(http.MethodGet, "/api/settings", nil, nil), 200)
				}
			}
		}
		require.Greater(t, cases, 100, "the settings documents have fewer leaves than expected")
		sort.Strings(accepted)
		t.Logf("%d wrong-type PATCHes: %d rejected with 422, %d accepted (fields that take any JSON or coerce):\n  %s",
			cases, rejected, len(accepted), strings.Join(accepted, "\n  "))
	})

	t.Run("X-Expose-Secrets", func(t *testing.T) {
		requireCleanAnswer(t, "save profile", do(http.MethodPost, "/api/profiles/expose-prof", str(`{"llm":{"model":"m","api_key":"sk-x"}}`), nil), 201)
		for _, v := range []string{"bogus", "plain", "encryptedx", "1", "yes", "redacted", "plaintext,encrypted"} {
			for _, p := range []string{"/api/settings", "/api/profiles/expose-prof"} {
				r := do(http.MethodGet, p, nil, map[string]string{"X-Expose-Secrets": v})
				requireCleanAnswer(t, fmt.Sprintf("GET %s X-Expose-Secrets: %s", p, v), r, 400)
				require.Contains(t, mustDetail(t, r), "Invalid X-Expose-Secrets header value")
			}
		}
	})

	t.Run("slow client", func(t *testing.T) {
		// The in-process server's http.Server has ReadHeaderTimeout 10 s:
		// a client trickling its headers one byte per 100 ms is cut off.
		t.Run("headers", func(t *testing.T) {
			t.Parallel()
			closedAfter := trickle(t, srv.URL, "GET /health HTTP/1.1\r\nHost: x\r\n", "X-Slow: "+strings.Repeat("a", 4096), 16*time.Second)
			require.Less(t, closedAfter, 15*time.Second, "the server kept a header-trickling connection open")
		})
		// A client that sends its headers at once and then trickles the
		// body must be cut off too (a handler blocked in reading the body
		// forever is a hang).
		t.Run("body", func(t *testing.T) {
			t.Parallel()
			head := "PUT /api/settings/secrets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
				"X-Session-API-Key: " + key + "\r\nContent-Length: 100000\r\n\r\n"
			closedAfter := trickle(t, srv.URL, head, `{"name":"SLOW","value":"`+strings.Repeat("a", 99000), 16*time.Second)
			require.Less(t, closedAfter, 15*time.Second,
				"BUG: the in-process server (workspacetest) has no ReadTimeout: a client trickling a request body holds a handler forever")
		})
	})

	t.Run("server still healthy", func(t *testing.T) {
		r := rawDo(t, hc, http.MethodGet, srv.URL+"/health", "", nil, nil)
		require.Equal(t, 200, r.Status)
		require.NotContains(t, logs.String(), "panic", "a hostile request made a handler panic")
		require.NotContains(t, logs.String(), "Unhandled", "a hostile request caused an unhandled error")
	})
}

// trickle opens a raw connection, writes head at once and then slow one
// byte per 100 ms, and returns how long the server took to close the
// connection (limit if it never did).
func trickle(t *testing.T, baseURL, head, slow string, limit time.Duration) time.Duration {
	t.Helper()
	u, err := url.Parse(baseURL)
	require.NoError(t, err)
	conn, err := net.Dial("tcp", u.Host)
	require.NoError(t, err)
	defer conn.Close()
	start := time.Now()
	_, err = conn.Write([]byte(head))
	require.NoError(t, err)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for i := 0; i < len(slow); i++ {
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
			}
			if _, err := conn.Write([]byte{slow[i]}); err != nil {
				return
			}
		}
	}()
	require.NoError(t, conn.SetReadDeadline(start.Add(limit)))
	got, err := io.ReadAll(conn)
	elapsed := time.Since(start)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return limit
	}
	// Whatever the server said before closing must not be a 5xx.
	if m := regexp.MustCompile(`^HTTP/1\.1 (\d{3})`).FindSubmatch(got); m != nil {
		require.NotEqual(t, byte('5'), m[1][0], "server answered %s", got)
	}
	return elapsed
}

// leaf is one leaf of a settings document: a scalar, null, an array or an
// empty object.
type leaf struct {
	path  []string
	value any
}

// settingsLeaves lists the leaves of doc in a stable order.
func settingsLeaves(doc map[string]any, prefix []string) []leaf {
	keys := make([]string, 0, len(doc))
	for k := range doc {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []leaf
	for _, k := range keys {
		p := append(append([]string(nil), prefix...), k)
		if m, ok := doc[k].(map[string]any); ok && len(m) > 0 {
			out = append(out, settingsLeaves(m, p)...)
			continue
		}
		out = append(out, leaf{path: p, value: doc[k]})
	}
	return out
}

// wrongValues returns values of a JSON type other than v's (the first is
// the "obvious" wrong scalar).
func wrongValues(v any) []any {
	obj := map[string]any{"wrong": []any{1}}
	switch v.(type) {
	case string:
		return []any{12345, obj}
	case float64:
		return []any{"not-a-number", obj}
	case bool:
		return []any{"not-a-bool", []any{1}}
	case []any:
		return []any{"not-a-list", 12345}
	case map[string]any:
		return []any{"not-an-object", []any{1}}
	default: // null: the type is unknown, send shapes no scalar field takes
		return []any{obj, []any{obj}}
	}
}

// nestValue builds {"a": {"b": v}} for path [a b].
func nestValue(path []string, v any) any {
	for i := len(path) - 1; i >= 0; i-- {
		v = map[string]any{path[i]: v}
	}
	return v
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// mustDetail returns the string detail of an error body.
func mustDetail(t testing.TB, r rawResp) string {
	t.Helper()
	d, err := detailOf(r.Body)
	require.NoError(t, err)
	s, _ := d.(string)
	return s
}

// FuzzHostileRequests sends arbitrary method, path, headers and body to the
// server's handler directly: never a 5xx (a handler panic becomes a 500),
// and every 4xx is JSON with a detail.
func FuzzHostileRequests(f *testing.F) {
	sessionKey, secretKey := "fuzz-session-key", "fuzz-secret-key"
	h, err := server.New(server.Config{SessionAPIKeys: []string{sessionKey}, SecretKey: &secretKey, Store: store.NewMemory()})
	require.NoError(f, err)

	seeds := []struct {
		method, path, expose string
		body                 string
	}{
		{"GET", "/api/settings", "", ""},
		{"GET", "/api/settings", "plaintext", ""},
		{"PATCH", "/api/settings", "", `{"agent_settings_diff":{"llm":{"model":"m","api_key":"k"}}}`},
		{"PATCH", "/api/settings", "", `{"agent_settings_diff":{"agent_kind":"acp","acp_command":[1]}}`},
		{"PATCH", "/api/settings", "", `{"conversation_settings_diff":{"max_iterations":null}}`},
		{"PATCH", "/api/settings", "", `{"active_profile":"nope"}`},
		{"PATCH", "/api/settings", "", `{"agent_settings_diff":{"mcp_config":{"s":{"url":"http://x","auth":{"strategy":"bearer","value":"t"}}}}}`},
		{"PUT", "/api/settings/secrets", "", `{"name":"A","value":"v","description":null}`},
		{"GET", "/api/settings/secrets/A", "", ""},
		{"DELETE", "/api/settings/secrets/A%00", "", ""},
		{"POST", "/api/settings/mcp/srv", "", `{"command":"x","env":{"K":"gAAAAAbad"}}`},
		{"PATCH", "/api/settings/mcp/srv", "", `{"env":{"K":null}}`},
		{"DELETE", "/api/settings/mcp/srv", "", ""},
		{"POST", "/api/profiles/p1", "", `{"llm":{"model":"m","api_key":"k"},"include_secrets":"yes"}`},
		{"POST", "/api/profiles/p1/rename", "", `{"new_name":"p2"}`},
		{"POST", "/api/profiles/p2/activate", "", ``},
		{"GET", "/api/profiles/p2", "encrypted", ""},
		{"GET", "/api/profiles/..%2F..%2Fsettings", "", ""},
		{"OPTIONS", "/api/settings", "", ""},
		{"PROPFIND", "/api/settings/", "", ""},
		{"GET", "/api/settings/secrets/" + strings.Repeat("A", 70), "", ""},
		{"PATCH", "/api/settings", "", strings.Repeat("[", 600)},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.expose, true, []byte(s.body))
	}
	tokenRe := regexp.MustCompile(`^[A-Za-z]{1,12}$`)
	f.Fuzz(func(t *testing.T, method, path, expose string, withKey bool, body []byte) {
		if !tokenRe.MatchString(method) || !strings.HasPrefix(path, "/") {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, method, "http://agent.test"+path, bytes.NewReader(body))
		if err != nil {
			return
		}
		if withKey {
			req.Header.Set("X-Session-API-Key", sessionKey)
		}
		if expose != "" {
			req.Header.Set("X-Expose-Secrets", expose)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Less(t, rec.Code, 500, "%s %q → %d: %s", method, path, rec.Code, clipBytes(rec.Body.Bytes()))
		if rec.Code >= 400 {
			require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			_, err := detailOf(rec.Body.Bytes())
			require.NoError(t, err, "%s %q → %d", method, path, rec.Code)
		}
	})
}
