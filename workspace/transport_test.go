package workspace

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/llm"
	"github.com/openhands-go/sdk/mcp"
)

const envelope503 = `{"detail":"Internal Server Error","exception":"503: Encryption not available: OH_SECRET_KEY is not configured. Cannot return encrypted secrets."}`

func TestRetry_5xxThreeAttemptsThenAPIError(t *testing.T) {
	for _, status := range []int{500, 501, 502, 503, 504} {
		f := newFake(t)
		f.on("GET", "/api/settings", jsonResp(status, envelope503))
		w, waits := newTestWS(t, f)
		_, err := w.Settings(context.Background(), Encrypted)
		var ae *APIError
		require.ErrorAs(t, err, &ae, "status %d", status)
		require.Equal(t, status, ae.StatusCode)
		require.Equal(t, "Internal Server Error", ae.Detail)
		require.Equal(t, "503: Encryption not available: OH_SECRET_KEY is not configured. Cannot return encrypted secrets.", ae.Exception)
		require.NotContains(t, err.Error(), "giving up")
		require.Equal(t, 3, f.count(), "3 attempts in all")
		require.Equal(t, []time.Duration{time.Second, 2 * time.Second}, waits(), "backoff 1 s then 2 s")
		for _, r := range f.requests() {
			require.Equal(t, "encrypted", r.Header.Get(HeaderExposeSecrets))
		}
	}
}

func TestRetry_SucceedsAfterTransientFailure(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/api/settings/secrets", jsonResp(502, `bad gateway`), jsonResp(500, `{}`), jsonResp(200, `{"secrets":[]}`))
	w, waits := newTestWS(t, f)
	got, err := w.GetSecrets(context.Background())
	require.NoError(t, err)
	require.Empty(t, got)
	require.Equal(t, 3, f.count())
	require.Len(t, waits(), 2)
}

func TestRetry_No4xxRetry(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 405, 409, 422} {
		f := newFake(t)
		f.on("GET", "/api/settings", jsonResp(status, `{"detail":"nope"}`))
		w, waits := newTestWS(t, f)
		_, err := w.Settings(context.Background(), Redacted)
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		require.Equal(t, status, ae.StatusCode)
		require.Equal(t, 1, f.count(), "status %d must not be retried", status)
		require.Empty(t, waits())
	}
}

func TestRetry_OnlyRequestsSafeToRepeat(t *testing.T) {
	l := llm.Default()
	l.APIKey = "sk-x"
	url := "https://m.example/mcp"
	tests := []struct {
		name     string
		method   string
		path     string
		call     func(w *Workspace) error
		attempts int
	}{
		{"MCP create POST", "POST", "/api/settings/mcp/gh", func(w *Workspace) error {
			_, err := w.CreateMCPServer(context.Background(), "gh", mcp.Server{URL: &url, Transport: strp("http")})
			return err
		}, 1},
		{"profile rename POST", "POST", "/api/profiles/a/rename", func(w *Workspace) error {
			_, err := w.RenameProfile(context.Background(), "a", "b")
			return err
		}, 1},
		{"profile save POST", "POST", "/api/profiles/a", func(w *Workspace) error {
			_, err := w.SaveProfile(context.Background(), "a", l, true)
			return err
		}, 3},
		{"profile activate POST", "POST", "/api/profiles/a/activate", func(w *Workspace) error {
			_, err := w.ActivateProfile(context.Background(), "a")
			return err
		}, 3},
		{"profile validate POST", "POST", "/api/profiles/a/validate", func(w *Workspace) error {
			_, err := w.ValidateProfile(context.Background(), "a", l)
			return err
		}, 3},
		{"PATCH settings", "PATCH", "/api/settings", func(w *Workspace) error {
			_, err := w.PatchSettings(context.Background(), SettingsPatch{MiscSettingsDiff: map[string]any{"a": 1}})
			return err
		}, 3},
		{"PUT secret", "PUT", "/api/settings/secrets", func(w *Workspace) error {
			_, err := w.PutSecret(context.Background(), "A", "value-123", nil)
			return err
		}, 3},
		{"DELETE secret", "DELETE", "/api/settings/secrets/A", func(w *Workspace) error {
			return w.DeleteSecret(context.Background(), "A")
		}, 3},
		{"DELETE MCP", "DELETE", "/api/settings/mcp/gh", func(w *Workspace) error {
			_, err := w.DeleteMCPServer(context.Background(), "gh")
			return err
		}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.on(tc.method, tc.path, jsonResp(500, `{"detail":"Internal Server Error","exception":"500: Failed to update settings"}`))
			w, _ := newTestWS(t, f)
			err := tc.call(w)
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			require.Equal(t, 500, ae.StatusCode)
			require.Equal(t, tc.attempts, f.count())
			reqs := f.requests()
			for _, r := range reqs[1:] {
				require.Equal(t, reqs[0].Body, r.Body, "retries resend the same body")
			}
		})
	}
}

func TestRetry_429RetryAfterCapped(t *testing.T) {
	resp := func(status int) httpmock.Responder {
		return func(*http.Request) (*http.Response, error) {
			r := httpmock.NewStringResponse(status, `{"detail":"slow down"}`)
			r.Header.Set("Retry-After", "3600")
			return r, nil
		}
	}
	for _, status := range []int{429, 503} {
		f := newFake(t)
		f.on("GET", "/api/settings/secrets", resp(status), resp(status), jsonResp(200, `{"secrets":[]}`))
		w, waits := newTestWS(t, f)
		_, err := w.ListSecrets(context.Background())
		require.NoError(t, err)
		require.Equal(t, 3, f.count(), "429 and 503 are retried")
		require.Equal(t, []time.Duration{DefaultMaxWait, DefaultMaxWait}, waits(), "Retry-After honoured but capped at the max wait")
	}

	// Real sleeping, small bounds: Retry-After: 3600 must not make the call
	// wait an hour.
	f := newFake(t)
	f.on("GET", "/api/settings/secrets", resp(429))
	w, err := New(testHost, WithHTTPClient(&http.Client{Transport: f.mt}), WithRetry(3, time.Millisecond, 5*time.Millisecond))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = w.ListSecrets(ctx)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, 429, ae.StatusCode)
	require.NoError(t, ctx.Err(), "finished long before the context deadline")
	require.Equal(t, 3, f.count())
}

func TestRetry_ContextCancelDuringBackoffReturnsPromptly(t *testing.T) {
	f := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cancelled := make(chan time.Time, 1)
	f.on("GET", "/api/settings", func(*http.Request) (*http.Response, error) {
		go func() {
			time.Sleep(20 * time.Millisecond) // well inside the 1 s backoff
			cancelled <- time.Now()
			cancel()
		}()
		return httpmock.NewStringResponse(503, envelope503), nil
	})
	// Default policy: 1 s then 2 s waits, real timers.
	w, err := New(testHost, WithHTTPClient(&http.Client{Transport: f.mt}))
	require.NoError(t, err)
	_, err = w.Settings(ctx, Plaintext)
	returned := time.Now()
	require.ErrorIs(t, err, context.Canceled)
	at := <-cancelled
	require.Less(t, returned.Sub(at), 50*time.Millisecond, "returns promptly once the context is cancelled")
	require.Equal(t, 1, f.count())
}

func TestRetry_ContextDeadlineIsTotalBudget(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/api/settings", jsonResp(503, envelope503))
	w, err := New(testHost, WithHTTPClient(&http.Client{Transport: f.mt}))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err = w.Settings(ctx, Redacted)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Equal(t, 1, f.count())
}

func TestRetry_ConnectionErrors(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	dns := &net.DNSError{Err: "no such host", Name: "agent.test", IsNotFound: true}
	timeout := &net.OpError{Op: "read", Net: "tcp", Err: timeoutErr{}}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: &os.SyscallError{Syscall: "read", Err: syscall.ECONNRESET}}
	tests := []struct {
		name     string
		err      error
		attempts int
	}{
		{"connection refused", refused, 3},
		{"dns", dns, 3},
		{"timeout", timeout, 3},
		{"reset mid-response is not retried", reset, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.on("GET", "/api/settings/secrets", httpmock.NewErrorResponder(tc.err))
			w, _ := newTestWS(t, f)
			_, err := w.GetSecrets(context.Background())
			require.Error(t, err)
			require.Equal(t, tc.attempts, f.count())
			var ne net.Error
			require.ErrorAs(t, err, &ne, "net.Error kept through wrapping")
			var ae *APIError
			require.False(t, errors.As(err, &ae))
			require.Contains(t, err.Error(), "agent-server: GET /api/settings/secrets: ")
			require.NotContains(t, err.Error(), testKey)
		})
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestRetry_RealConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	var waits []time.Duration
	var mu sync.Mutex
	w, err := New("http://"+addr, WithAPIKey(testKey), withWaitHook(&waits, &mu))
	require.NoError(t, err)
	_, err = w.GetMCPConfig(context.Background())
	require.Error(t, err)
	require.ErrorIs(t, err, syscall.ECONNREFUSED)
	var ne net.Error
	require.ErrorAs(t, err, &ne)
	require.Len(t, waits, 2, "connection refused retried: 3 attempts")
}

func TestRetry_PerAttemptTimeout(t *testing.T) {
	f := newFake(t)
	slow := func(req *http.Request) (*http.Response, error) {
		select {
		case <-req.Context().Done():
			return nil, req.Context().Err()
		case <-time.After(5 * time.Second):
			return httpmock.NewStringResponse(200, `{"secrets":[]}`), nil
		}
	}
	f.on("GET", "/api/settings/secrets", slow, slow, jsonResp(200, `{"secrets":[{"name":"A","description":null}]}`))
	w, _ := newTestWS(t, f, WithTimeout(20*time.Millisecond))
	got, err := w.GetSecrets(context.Background())
	require.NoError(t, err)
	require.Contains(t, got, "A")
	require.Equal(t, 3, f.count(), "per-attempt timeouts are retried")
}

func TestRetry_CustomPolicy(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/api/settings", jsonResp(500, `{}`))
	w, waits := newTestWS(t, f, WithRetry(5, 100*time.Millisecond, 300*time.Millisecond))
	_, err := w.Settings(context.Background(), Redacted)
	require.Error(t, err)
	require.Equal(t, 5, f.count())
	ms := time.Millisecond
	require.Equal(t, []time.Duration{100 * ms, 200 * ms, 300 * ms, 300 * ms}, waits())

	f2 := newFake(t)
	f2.on("GET", "/api/settings", jsonResp(500, `{}`))
	w2, _ := newTestWS(t, f2, WithRetry(1, 0, 0))
	_, err = w2.Settings(context.Background(), Redacted)
	require.Error(t, err)
	require.Equal(t, 1, f2.count())
}

func TestLogger_NeverLogsSecrets(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f := newFake(t)
	f.on("GET", "/api/settings", jsonResp(503, envelope503), jsonResp(200, settingsPlainNoProfile))
	w, _ := newTestWS(t, f, WithLogger(logger))
	_, err := w.GetMCPConfig(context.Background())
	require.NoError(t, err)
	out := buf.String()
	require.Contains(t, out, "retrying request", "retries are logged at debug level")
	for _, s := range []string{testKey, "ghp-PLAINTEXT-TOKEN", "sk-PLAINTEXT-LLM-KEY", "PLAINTEXT-HEADER-VALUE"} {
		require.NotContains(t, out, s)
	}
}

func TestSilentByDefault(t *testing.T) {
	// retryablehttp's default logger writes to stderr; ours must be nil
	// unless WithLogger is given, and resty's debug mode is off.
	w, err := New(testHost)
	require.NoError(t, err)
	rt, ok := w.rc.GetClient().Transport.(*retryablehttp.RoundTripper)
	require.True(t, ok, "resty runs on retryablehttp's StandardClient")
	require.Nil(t, rt.Client.Logger)
	require.Equal(t, 0, w.rc.RetryCount, "retries live only in retryablehttp")
	require.False(t, w.rc.Debug)
	require.Equal(t, DefaultAttempts-1, rt.Client.RetryMax)
	require.Same(t, w.inner, rt.Client.HTTPClient)
	tr, ok := w.inner.Transport.(*http.Transport)
	require.True(t, ok)
	require.Equal(t, DefaultMaxIdleConnsPerHost, tr.MaxIdleConnsPerHost)

	w2, err := New(testHost, WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	require.NoError(t, err)
	rt2 := w2.rc.GetClient().Transport.(*retryablehttp.RoundTripper)
	_, isLeveled := rt2.Client.Logger.(retryablehttp.LeveledLogger)
	require.True(t, isLeveled)
}

func strp(s string) *string { return &s }
