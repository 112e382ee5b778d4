package secret_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/secret"
)

// recorded is what a test server saw.
type recorded struct {
	mu      sync.Mutex
	method  string
	path    string
	query   string
	headers http.Header
	body    []byte
	hits    int
}

func (r *recorded) snapshot() (string, string, http.Header, []byte, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.method, r.path, r.headers.Clone(), r.body, r.hits
}

func newServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request)) (*httptest.Server, *recorded) {
	t.Helper()
	rec := &recorded{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.method, rec.path, rec.query, rec.headers, rec.body = r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body
		rec.hits++
		rec.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, rec
}

func TestLookupResolveSuccess(t *testing.T) {
	cases := []struct {
		name        string
		contentType string
		body        []byte
		want        string
	}{
		{"utf-8 with unicode and trailing newline", "text/plain; charset=utf-8", []byte("tök€n ✓ \n"), "tök€n ✓ \n"},
		{"no content type defaults to utf-8", "", []byte("  spaced\r\n"), "  spaced\r\n"},
		{"json content type without charset", "application/json", []byte(`"quoted"`), `"quoted"`},
		{"uppercase charset", "text/plain; charset=UTF-8", []byte("ü"), "ü"},
		{"latin-1", "text/plain; charset=ISO-8859-1", []byte{'c', 0xe9, 0xff}, "cé\u00ff"},
		{"latin1 alias", "text/plain; charset=latin1", []byte{0xe4}, "ä"},
		{"us-ascii", "text/plain; charset=us-ascii", []byte("abc"), "abc"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, rec := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if tc.contentType != "" {
					w.Header().Set("Content-Type", tc.contentType)
				} else {
					w.Header()["Content-Type"] = nil // suppress sniffing
				}
				_, _ = w.Write(tc.body)
			})
			l := secret.LookupSecret{
				URL:     srv.URL + "/api/settings/secrets/GITHUB_TOKEN",
				Headers: map[string]string{"X-Session-API-Key": "sess-key", "Accept": "text/plain"},
			}
			v, err := l.Resolve(context.Background())
			require.NoError(t, err)
			require.Equal(t, tc.want, v)

			method, path, hdr, body, hits := rec.snapshot()
			require.Equal(t, http.MethodGet, method)
			require.Equal(t, "/api/settings/secrets/GITHUB_TOKEN", path)
			require.Equal(t, []string{"sess-key"}, hdr["X-Session-Api-Key"])
			require.Equal(t, []string{"text/plain"}, hdr["Accept"])
			require.Empty(t, body)
			require.Equal(t, 1, hits)
		})
	}
}

func TestLookupResolveHeadersExactly(t *testing.T) {
	srv, rec := newServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "v") })
	l := secret.LookupSecret{URL: srv.URL + "/x", Headers: map[string]string{}}
	_, err := l.ResolveWith(context.Background(), srv.Client())
	require.NoError(t, err)
	_, _, hdr, _, _ := rec.snapshot()
	for name := range hdr {
		// Only transport-level headers may appear when none are stored.
		require.Contains(t, []string{"User-Agent", "Accept-Encoding"}, name)
	}
	require.Empty(t, hdr.Get("X-Session-API-Key"))
	require.Empty(t, hdr.Get("Authorization"))
}

func TestLookupResolveFailures(t *testing.T) {
	const sess = "very-secret-session-key"
	cases := []struct {
		name     string
		status   int
		body     string
		ctype    string
		sentinel error
		msg      string
	}{
		{"401", http.StatusUnauthorized, `{"detail":"Unauthorized"}`, "", secret.ErrUnauthorized, "session key"},
		{"403", http.StatusForbidden, "", "", secret.ErrForbidden, "HTTP 403"},
		{"404", http.StatusNotFound, `{"detail":"Secret not found"}`, "", secret.ErrNotFound, "HTTP 404"},
		{"500", http.StatusInternalServerError, "boom", "", secret.ErrStatus, "HTTP 500"},
		{"302 not followed", http.StatusFound, "", "", secret.ErrStatus, "HTTP 302"},
		{"204 empty body", http.StatusNoContent, "", "", secret.ErrEmpty, "no value"},
		{"200 empty body", http.StatusOK, "", "", secret.ErrEmpty, "no value"},
		{"unsupported charset", http.StatusOK, "x", "text/plain; charset=shift_jis", secret.ErrCharset, "shift_jis"},
		{"ascii with high bytes", http.StatusOK, "\xff", "text/plain; charset=ascii", secret.ErrCharset, "us-ascii"},
		{"too large", http.StatusOK, strings.Repeat("a", secret.MaxValueBytes+1), "", secret.ErrTooLarge, "too large"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var redirected atomic.Int32
			var srv *httptest.Server
			srv, _ = newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/target" {
					redirected.Add(1)
					_, _ = io.WriteString(w, "should-not-be-read")
					return
				}
				if tc.status == http.StatusFound {
					http.Redirect(w, r, srv.URL+"/target", http.StatusFound)
					return
				}
				if tc.ctype != "" {
					w.Header().Set("Content-Type", tc.ctype)
				}
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			})
			l := secret.LookupSecret{
				URL:     srv.URL + "/api/settings/secrets/X?token=query-secret-value",
				Headers: map[string]string{"X-Session-API-Key": sess},
			}
			v, err := l.Resolve(context.Background())
			require.Error(t, err)
			require.Empty(t, v)
			require.ErrorIs(t, err, tc.sentinel)
			var re *secret.ResolveError
			require.ErrorAs(t, err, &re)
			require.Equal(t, tc.status, re.Status)
			require.Equal(t, srv.URL+"/api/settings/secrets/X?token=", re.URL)
			require.Contains(t, err.Error(), tc.msg)
			require.NotContains(t, err.Error(), sess)
			require.NotContains(t, err.Error(), "query-secret-value")
			require.NotContains(t, err.Error(), "should-not-be-read")
			require.Zero(t, redirected.Load())
			if tc.status >= 300 {
				require.ErrorIs(t, err, secret.ErrStatus)
			} else {
				require.False(t, errors.Is(err, secret.ErrStatus))
			}
		})
	}
}

func TestLookupResolveTimeoutAndTransport(t *testing.T) {
	release := make(chan struct{})
	srv, _ := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	l := secret.LookupSecret{URL: srv.URL + "/slow", Headers: map[string]string{"Authorization": "Bearer tkn-secret"}}
	_, err := l.Resolve(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var re *secret.ResolveError
	require.ErrorAs(t, err, &re)
	require.Zero(t, re.Status)
	require.NotContains(t, err.Error(), "tkn-secret")

	// Connection refused: closed server.
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	_, err = secret.LookupSecret{URL: deadURL + "/x?k=qv"}.Resolve(context.Background())
	require.ErrorAs(t, err, &re)
	require.NotContains(t, err.Error(), "qv")

	// Invalid URL.
	_, err = secret.LookupSecret{URL: "http://[::1"}.Resolve(context.Background())
	require.ErrorAs(t, err, &re)

	// Cancelled context.
	cctx, ccancel := context.WithCancel(context.Background())
	ccancel()
	_, err = secret.LookupSecret{URL: srv.URL + "/x"}.Resolve(cctx)
	require.ErrorIs(t, err, context.Canceled)
}

func TestLookupResolveRelativeURL(t *testing.T) {
	srv, rec := newServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "rel-value") })
	t.Setenv(secret.EnvInternalServerURL, srv.URL+"/")
	v, err := secret.LookupSecret{URL: "/api/settings/secrets/REL", Headers: map[string]string{"X-Session-API-Key": "k"}}.Resolve(context.Background())
	require.NoError(t, err)
	require.Equal(t, "rel-value", v)
	_, path, hdr, _, _ := rec.snapshot()
	require.Equal(t, "/api/settings/secrets/REL", path)
	require.Equal(t, "k", hdr.Get("X-Session-API-Key"))
}

func TestResolveErrorURLRedaction(t *testing.T) {
	srv, _ := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) })
	u := strings.Replace(srv.URL, "http://", "http://user:pw-secret@", 1) + "/p?a=1&b=secret-b#frag-secret"
	_, err := secret.LookupSecret{URL: u}.Resolve(context.Background())
	require.ErrorIs(t, err, secret.ErrNotFound)
	for _, s := range []string{"pw-secret", "secret-b", "frag-secret", "user:"} {
		require.NotContains(t, err.Error(), s)
	}
	require.Contains(t, err.Error(), "/p?a=&b=")
}

func TestEnvironChildProcess(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("sh not available")
	}
	srv, _ := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Session-API-Key") != "sk" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = io.WriteString(w, "looked up ✓ $HOME 'q'")
	})
	secrets := map[string]secret.Resolver{
		"MY_PROJECT_TOKEN": secret.LookupSecret{URL: srv.URL + "/api/settings/secrets/MY_PROJECT_TOKEN", Headers: map[string]string{"X-Session-API-Key": "sk"}},
		"A_STATIC":         secret.StaticSecret{Value: "static=value"},
	}
	env, err := secret.Environ(context.Background(), secrets)
	require.NoError(t, err)
	require.Equal(t, []string{"A_STATIC=static=value", "MY_PROJECT_TOKEN=looked up ✓ $HOME 'q'"}, env)

	cmd := exec.Command("sh", "-c", `printf '%s|%s' "$MY_PROJECT_TOKEN" "$A_STATIC"`)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	require.NoError(t, err)
	require.Equal(t, "looked up ✓ $HOME 'q'|static=value", string(out))
}

func TestEnvironGenericMap(t *testing.T) {
	env, err := secret.Environ(context.Background(), map[string]secret.StaticSecret{"B": {Value: "2"}, "A": {Value: "1"}, "_C9": {Value: "3"}})
	require.NoError(t, err)
	require.Equal(t, []string{"A=1", "B=2", "_C9=3"}, env)

	env, err = secret.Environ[secret.Resolver](context.Background(), nil)
	require.NoError(t, err)
	require.Empty(t, env)
}

func TestEnvironErrors(t *testing.T) {
	srv, _ := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) })
	cases := []struct {
		name     string
		secrets  map[string]secret.Resolver
		contains string
		sentinel error
	}{
		{"invalid name", map[string]secret.Resolver{"1BAD": secret.StaticSecret{Value: "v4l"}}, `"1BAD" is not a valid`, nil},
		{"name with =", map[string]secret.Resolver{"A=B": secret.StaticSecret{Value: "v4l"}}, "not a valid", nil},
		{"lookup fails", map[string]secret.Resolver{
			"GOOD":    secret.StaticSecret{Value: "v4l"},
			"MISSING": secret.LookupSecret{URL: srv.URL + "/x", Headers: map[string]string{"X-Session-API-Key": "sess-v4l"}},
		}, "resolve MISSING", secret.ErrNotFound},
		{"empty static", map[string]secret.Resolver{"EMPTY": secret.StaticSecret{}}, "resolve EMPTY", secret.ErrEmpty},
		{"nil source", map[string]secret.Resolver{"NIL": nil}, "resolve NIL: nil", nil},
		{"nil pointer source", map[string]secret.Resolver{"NILP": (*secret.LookupSecret)(nil)}, "resolve NILP: nil", nil},
		{"NUL in value", map[string]secret.Resolver{"NUL": secret.StaticSecret{Value: "a\x00v4l"}}, "NUL", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env, err := secret.Environ(context.Background(), tc.secrets)
			require.Error(t, err)
			require.Nil(t, env)
			require.Contains(t, err.Error(), tc.contains)
			require.NotContains(t, err.Error(), "v4l")
			if tc.sentinel != nil {
				require.ErrorIs(t, err, tc.sentinel)
			}
		})
	}
}

func ExampleLookupSecret_Resolve() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Session-API-Key") != "session-key" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ghp_example")
	}))
	defer srv.Close()

	l := secret.LookupSecret{
		URL:     srv.URL + "/api/settings/secrets/GITHUB_TOKEN",
		Headers: map[string]string{"X-Session-API-Key": "session-key"},
	}
	v, err := l.Resolve(context.Background())
	fmt.Println(v, err)
	// Printing the lookup never shows the session key.
	fmt.Println(strings.Contains(fmt.Sprint(l), "session-key"))

	l.Headers["X-Session-API-Key"] = "wrong"
	_, err = l.Resolve(context.Background())
	fmt.Println(errors.Is(err, secret.ErrUnauthorized))
	// Output:
	// ghp_example <nil>
	// false
	// true
}
