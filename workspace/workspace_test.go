package workspace

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestNew_Host(t *testing.T) {
	ok := map[string]string{
		"http://h:8000/":              "http://h:8000",
		"http://h:8000///":            "http://h:8000",
		"https://x/runtime/abc":       "https://x/runtime/abc",
		"https://x/runtime/abc/":      "https://x/runtime/abc",
		"http://127.0.0.1:8000":       "http://127.0.0.1:8000",
		"  http://[::1]:8000/ ":       "http://[::1]:8000",
		"HTTP://Example.COM/base/":    "HTTP://Example.COM/base",
		"https://agent.example:443/a": "https://agent.example:443/a",
	}
	for in, want := range ok {
		w, err := New(in)
		require.NoError(t, err, in)
		require.Equal(t, want, w.Host(), in)
	}
	bad := []string{"", "   ", "/", "undefined", "undefined/", "ftp://h/x", "h:8000", "localhost",
		"http://", "http:///path", "://x", "http://%zz", "http://user:pw@h", "http://user@h",
		"http://h?q=1", "http://h/#frag", "http://h:99999", "http://h:0", "file:///etc/passwd", "ws://h"}
	for _, in := range bad {
		w, err := New(in)
		require.Error(t, err, "%q", in)
		require.Nil(t, w)
	}
	_, err := New("")
	require.ErrorIs(t, err, ErrHostNotSet)
	_, err = New("undefined")
	require.ErrorIs(t, err, ErrHostNotSet)
}

func TestNew_OptionErrors(t *testing.T) {
	tests := map[string]Option{
		"attempts 0":       WithRetry(0, time.Second, time.Second),
		"min > max":        WithRetry(3, 2*time.Second, time.Second),
		"negative min":     WithRetry(3, -1, time.Second),
		"negative timeout": WithTimeout(-time.Second),
		"nil http client":  WithHTTPClient(nil),
		"key with newline": WithAPIKey("abc\r\nX-Evil: 1"),
		"ua with newline":  WithUserAgent("ua\nx"),
	}
	for name, opt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := New("http://h", opt)
			require.Error(t, err)
			require.NotContains(t, err.Error(), "abc\r\n")
		})
	}
	w, err := New("http://h", nil, WithRetry(1, 0, 0), WithTimeout(0))
	require.NoError(t, err)
	require.NotNil(t, w)
}

func TestNewFromEnv(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		opts     []Option
		wantHost string
		wantKey  string
		wantErr  bool
	}{
		{name: "keys_0 preferred", env: map[string]string{EnvAgentServerURL: "http://e:1/", EnvSessionAPIKeys0: "k0", EnvSessionAPIKey: "legacy"}, wantHost: "http://e:1", wantKey: "k0"},
		{name: "legacy key", env: map[string]string{EnvAgentServerURL: "http://e:1", EnvSessionAPIKey: "legacy"}, wantHost: "http://e:1", wantKey: "legacy"},
		{name: "no key", env: map[string]string{EnvAgentServerURL: "http://e:1"}, wantHost: "http://e:1"},
		{name: "explicit options win", env: map[string]string{EnvAgentServerURL: "http://e:1", EnvSessionAPIKeys0: "k0"}, opts: []Option{WithHost("http://o:2"), WithAPIKey("explicit")}, wantHost: "http://o:2", wantKey: "explicit"},
		{name: "explicit empty key wins", env: map[string]string{EnvAgentServerURL: "http://e:1", EnvSessionAPIKeys0: "k0"}, opts: []Option{WithAPIKey("")}, wantHost: "http://e:1"},
		{name: "no host", env: map[string]string{}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range []string{EnvAgentServerURL, EnvSessionAPIKeys0, EnvSessionAPIKey} {
				t.Setenv(k, tc.env[k])
			}
			w, err := NewFromEnv(tc.opts...)
			if tc.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.wantHost, w.Host())
			if tc.wantKey == "" {
				require.False(t, w.HasAPIKey())
				require.Equal(t, map[string]string{}, w.AuthHeaders())
			} else {
				require.Equal(t, map[string]string{HeaderSessionAPIKey: tc.wantKey}, w.AuthHeaders())
			}
		})
	}
}

func TestRequestPathAppendedToHostPath(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/runtime/abc/api/settings/secrets", jsonResp(200, `{"secrets":[{"name":"GITHUB_TOKEN","description":null}]}`))
	w, err := New("https://x/runtime/abc/", WithHTTPClient(&http.Client{Transport: f.mt}), WithAPIKey("k"))
	require.NoError(t, err)
	got, err := w.GetSecrets(context.Background())
	require.NoError(t, err)
	require.Equal(t, "https://x/runtime/abc/api/settings/secrets/GITHUB_TOKEN", got["GITHUB_TOKEN"].URL)
	require.Equal(t, "/runtime/abc/api/settings/secrets", f.requests()[0].Path)
}

func TestNoAPIKey_HeaderOmitted(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/api/settings", jsonResp(200, settingsRedactedNoProfile), jsonResp(200, settingsPlainNoProfile))
	w, _ := newTestWS(t, f, WithAPIKey(""))
	_, err := w.GetLLM(context.Background())
	require.NoError(t, err)
	reqs := f.requests()
	require.Len(t, reqs, 2)
	require.Equal(t, map[string]string{}, apiHeaders(reqs[0].Header))
	require.Equal(t, map[string]string{"X-Expose-Secrets": "plaintext"}, apiHeaders(reqs[1].Header))
	_, present := reqs[0].Header["X-Session-Api-Key"]
	require.False(t, present, "header omitted entirely, never sent empty")
}

func TestUserAgent(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/api/settings/secrets", jsonResp(200, `{"secrets":[]}`))
	w, _ := newTestWS(t, f, WithUserAgent("my-tool/1.0"))
	_, err := w.ListSecrets(context.Background())
	require.NoError(t, err)
	require.Equal(t, "my-tool/1.0", f.requests()[0].Header.Get("User-Agent"))
}

func TestRedirectNotFollowed(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/api/settings", func(*http.Request) (*http.Response, error) {
		r := &http.Response{StatusCode: 307, Header: http.Header{"Location": {"http://evil.test/steal"}}, Body: http.NoBody}
		return r, nil
	})
	w, _ := newTestWS(t, f)
	_, err := w.Settings(context.Background(), Plaintext)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, 307, ae.StatusCode)
	require.Equal(t, 1, f.count())
}

// TestConcurrentUseReusesConnections runs many concurrent callers against a
// real server and checks every request reuses a small pool of connections.
func TestConcurrentUseReusesConnections(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Header.Get(HeaderSessionAPIKey) != testKey {
			rw.WriteHeader(401)
			_, _ = io.WriteString(rw, `{"detail":"Unauthorized"}`)
			return
		}
		time.Sleep(time.Millisecond) // keep callers overlapping
		rw.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(rw, `{"secrets":[{"name":"A","description":null},{"name":"B","description":"b"}]}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	opts := []Option{WithAPIKey(testKey)}
	if os.Getenv("WS_TEST_GO_DEFAULT_TRANSPORT") != "" { // mutation check: Go's default pool of 2
		opts = append(opts, WithHTTPClient(&http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}))
	}
	w, err := New(srv.URL, opts...)
	require.NoError(t, err)
	// Rounds of concurrent calls separated by a barrier, so that all
	// connections are idle at the same time between rounds: a pool of 2 idle
	// connections per host (Go's default) would close and re-dial most of
	// them every round.
	const workers, rounds = 8, 10
	for round := 0; round < rounds; round++ {
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for i := 0; i < workers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := w.GetSecrets(context.Background(), "B")
				if err == nil && (len(got) != 1 || got["B"].Headers[HeaderSessionAPIKey] != testKey) {
					err = fmt.Errorf("unexpected result %v", got)
				}
				if err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
	}
	t.Logf("connections opened: %d", conns.Load())
	require.LessOrEqual(t, conns.Load(), int64(2*workers), "connections are pooled and reused (a few extra may be dialled while the pool warms up)")
	w.CloseIdleConnections()
}

func TestWorkspaceAccessors(t *testing.T) {
	w, err := New("http://h/", WithWorkingDir("/workspace/project"), WithAPIKey("k"))
	require.NoError(t, err)
	require.Equal(t, "/workspace/project", w.WorkingDir())
	require.True(t, w.HasAPIKey())
	h := w.AuthHeaders()
	h[HeaderSessionAPIKey] = "mutated"
	require.Equal(t, "k", w.AuthHeaders()[HeaderSessionAPIKey], "AuthHeaders returns a copy")
	var nilWS *Workspace
	require.Equal(t, "", nilWS.Host())
	require.Equal(t, "", nilWS.WorkingDir())
	require.False(t, nilWS.HasAPIKey())
	require.True(t, strings.HasPrefix(w.String(), "workspace.Workspace{"))
}
