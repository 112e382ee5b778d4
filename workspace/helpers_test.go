package workspace

import (
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/mcp"
)

const (
	testHost = "http://agent.test:8000"
	testKey  = "test-key-0123456789"
)

// recorded is one request seen by the mock transport.
type recorded struct {
	Method string
	Path   string // escaped path
	Header http.Header
	Body   string
}

// fake dispatches requests on "METHOD escaped-path" to queues of responders
// (the last responder of a queue repeats) and records every request. It is
// installed as the BASE transport beneath the retry layer.
type fake struct {
	t      testing.TB
	mt     *httpmock.MockTransport
	mu     sync.Mutex
	reqs   []recorded
	routes map[string][]httpmock.Responder
}

func newFake(t testing.TB) *fake {
	f := &fake{t: t, mt: httpmock.NewMockTransport(), routes: map[string][]httpmock.Responder{}}
	f.mt.RegisterNoResponder(f.dispatch)
	return f
}

func (f *fake) on(method, path string, rs ...httpmock.Responder) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.routes[method+" "+path] = append(f.routes[method+" "+path], rs...)
}

func (f *fake) dispatch(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	path := req.URL.EscapedPath()
	f.mu.Lock()
	f.reqs = append(f.reqs, recorded{Method: req.Method, Path: path, Header: req.Header.Clone(), Body: string(body)})
	key := req.Method + " " + path
	q := f.routes[key]
	var r httpmock.Responder
	if len(q) > 0 {
		r = q[0]
		if len(q) > 1 {
			f.routes[key] = q[1:]
		}
	}
	f.mu.Unlock()
	if r == nil {
		return httpmock.NewStringResponse(404, `{"detail":"Not Found"}`), nil
	}
	return r(req)
}

func (f *fake) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.reqs...)
}

func (f *fake) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.reqs)
}

// withWaitHook records each computed backoff wait and sleeps 0 instead.
func withWaitHook(waits *[]time.Duration, mu *sync.Mutex) Option {
	return func(c *config) {
		c.waitHook = func(d time.Duration) time.Duration {
			mu.Lock()
			*waits = append(*waits, d)
			mu.Unlock()
			return 0
		}
	}
}

// newTestWS builds a Workspace over f's mock transport with instant retries
// (waits recorded in the returned slice).
func newTestWS(t testing.TB, f *fake, opts ...Option) (*Workspace, func() []time.Duration) {
	var waits []time.Duration
	var mu sync.Mutex
	all := append([]Option{WithAPIKey(testKey), WithHTTPClient(&http.Client{Transport: f.mt}), withWaitHook(&waits, &mu)}, opts...)
	w, err := New(testHost, all...)
	require.NoError(t, err)
	return w, func() []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Duration(nil), waits...)
	}
}

func jsonResp(status int, body string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(status, body)
		r.Header.Set("Content-Type", "application/json")
		return r, nil
	}
}

func textResp(status int, body string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(status, body)
		r.Header.Set("Content-Type", "text/plain; charset=utf-8")
		return r, nil
	}
}

// apiHeaders returns the request's headers minus the transport-level ones
// (User-Agent, Accept-Encoding, Content-Type, Content-Length, Accept), as a
// flat map, so tests can assert the exact API header set as upstream does.
func apiHeaders(h http.Header) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		switch k {
		case "User-Agent", "Accept-Encoding", "Content-Type", "Content-Length", "Accept":
			continue
		}
		out[k] = strings.Join(v, ",")
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Canned bodies.
const (
	llmPlainJSON = `{"model":"openai/gpt-4o","api_key":"sk-PLAINTEXT-LLM-KEY","base_url":"https://litellm.example.com","usage_id":"default"}`

	settingsRedactedNoProfile = `{"agent_settings":{"schema_version":5,"agent_kind":"openhands","llm":{"model":"openai/gpt-4o","api_key":"**********","usage_id":"default"},"mcp_config":{}},` +
		`"conversation_settings":{"schema_version":1,"max_iterations":500,"confirmation_mode":false,"security_analyzer":"llm"},` +
		`"llm_api_key_is_set":true,"active_profile":null,"active_agent_profile_id":null,"misc_settings":{}}`

	settingsPlainNoProfile = `{"agent_settings":{"schema_version":5,"agent_kind":"openhands","llm":` + llmPlainJSON + `,` +
		`"mcp_config":{"github":{"command":"uvx","args":["mcp-server-github"],"env":{"GITHUB_TOKEN":"ghp-PLAINTEXT-TOKEN"},"enabled":true},` +
		`"remote":{"url":"https://example.com/mcp","transport":"http","headers":{"X-Api-Key":"PLAINTEXT-HEADER-VALUE"},"enabled":false}}},` +
		`"conversation_settings":{"schema_version":1,"max_iterations":100,"confirmation_mode":true,"security_analyzer":null},` +
		`"llm_api_key_is_set":true,"active_profile":null,"active_agent_profile_id":null,"misc_settings":{"ui":{"theme":"dark"}}}`

	profileFast = `{"name":"fast","config":{"model":"openai/gpt-4o-mini","api_key":"sk-PROFILE-KEY","usage_id":"default","temperature":0.1},"api_key_set":true}`
)

func settingsWithActive(active string) string {
	return strings.Replace(settingsRedactedNoProfile, `"active_profile":null`, `"active_profile":`+active, 1)
}

func newHTTPClient(f *fake) *http.Client { return &http.Client{Transport: f.mt} }

func mcpServerCmd(cmd string) mcp.Server { return mcp.Server{Command: &cmd, Transport: strp("stdio")} }
