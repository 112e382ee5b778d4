package e2e

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/workspace"
)

// countingTransport counts the attempts that reach the transport.
type countingTransport struct {
	n    atomic.Int32
	base http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.base.RoundTrip(r)
}

// faultServer is an httptest server whose handler is h, counting requests.
func faultServer(t *testing.T, h func(n int32, w http.ResponseWriter, r *http.Request)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h(n.Add(1), w, r)
	}))
	t.Cleanup(ts.Close)
	return ts, &n
}

func faultClient(t *testing.T, url string, opts ...workspace.Option) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.New(url, append([]workspace.Option{workspace.WithAPIKey("fault-key")}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(ws.CloseIdleConnections)
	return ws
}

// TestClientFaults puts the client in front of misbehaving servers: every
// failure is a typed error, retries happen exactly where client.md §2 says,
// Retry-After is capped, a stalled attempt times out, and a cancelled
// context returns at once.
func TestClientFaults(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("connection refused: retried, then a typed error", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := ln.Addr().String()
		require.NoError(t, ln.Close())
		ct := &countingTransport{base: http.DefaultTransport.(*http.Transport).Clone()}
		ws := faultClient(t, "http://"+addr, workspace.WithHTTPClient(&http.Client{Transport: ct}),
			workspace.WithRetry(3, time.Millisecond, 2*time.Millisecond))
		_, err = ws.Settings(ctx, workspace.Redacted)
		require.Error(t, err)
		require.ErrorIs(t, err, syscall.ECONNREFUSED)
		var apiErr *workspace.APIError
		require.False(t, errors.As(err, &apiErr))
		require.Contains(t, err.Error(), "GET /api/settings")
		require.EqualValues(t, 3, ct.n.Load(), "a refused connection is retried (client.md §2)")
	})

	t.Run("connection dropped without an answer: a typed error, not retried", func(t *testing.T) {
		ts, n := faultServer(t, func(_ int32, w http.ResponseWriter, _ *http.Request) {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_ = conn.Close()
			}
		})
		ws := faultClient(t, ts.URL, workspace.WithRetry(3, time.Millisecond, 2*time.Millisecond))
		_, err := ws.Settings(ctx, workspace.Redacted)
		require.Error(t, err)
		require.True(t, errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET),
			"a dropped connection surfaces as EOF/reset, got %v", err)
		var apiErr *workspace.APIError
		require.False(t, errors.As(err, &apiErr))
		// client.md §2: "other transport errors (e.g. a connection reset
		// mid-response) are not retried".
		require.EqualValues(t, 1, n.Load())
	})

	t.Run("500 twice then 200: success after exactly 3 requests", func(t *testing.T) {
		ts, n := faultServer(t, func(i int32, w http.ResponseWriter, _ *http.Request) {
			if i <= 2 {
				http.Error(w, `{"detail":"Internal Server Error"}`, 500)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"secrets":[{"name":"A","description":null}]}`)
		})
		ws := faultClient(t, ts.URL, workspace.WithRetry(3, time.Millisecond, 2*time.Millisecond))
		items, err := ws.ListSecrets(ctx)
		require.NoError(t, err)
		require.Len(t, items, 1)
		require.EqualValues(t, 3, n.Load())
	})

	t.Run("gives up after its attempts with an APIError 500", func(t *testing.T) {
		ts, n := faultServer(t, func(_ int32, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(500)
			_, _ = io.WriteString(w, `{"detail":"Internal Server Error","exception":"boom","error_id":"0123456789abcdef0123456789abcdef"}`)
		})
		ws := faultClient(t, ts.URL, workspace.WithRetry(4, time.Millisecond, 2*time.Millisecond))
		_, err := ws.GetLLM(ctx)
		var apiErr *workspace.APIError
		require.ErrorAs(t, err, &apiErr)
		require.Equal(t, 500, apiErr.StatusCode)
		require.Equal(t, "0123456789abcdef0123456789abcdef", apiErr.ErrorID)
		require.True(t, apiErr.Temporary())
		require.EqualValues(t, 4, n.Load())
	})

	t.Run("429 with Retry-After: 3600: the wait is capped", func(t *testing.T) {
		ts, n := faultServer(t, func(i int32, w http.ResponseWriter, _ *http.Request) {
			if i == 1 {
				w.Header().Set("Retry-After", "3600")
				http.Error(w, `{"detail":"Too Many Requests"}`, 429)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"secrets":[]}`)
		})
		const maxWait = 300 * time.Millisecond
		ws := faultClient(t, ts.URL, workspace.WithRetry(3, time.Millisecond, maxWait))
		start := time.Now()
		_, err := ws.ListSecrets(ctx)
		elapsed := time.Since(start)
		require.NoError(t, err)
		require.EqualValues(t, 2, n.Load())
		require.GreaterOrEqual(t, elapsed, maxWait, "Retry-After was not honoured up to the cap")
		require.Less(t, elapsed, 5*time.Second, "Retry-After: 3600 was not capped")
	})

	t.Run("stalled server: per-attempt timeout, then an error", func(t *testing.T) {
		release := make(chan struct{})
		ts, n := faultServer(t, func(_ int32, _ http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		})
		defer close(release)
		ws := faultClient(t, ts.URL, workspace.WithTimeout(100*time.Millisecond),
			workspace.WithRetry(2, time.Millisecond, 2*time.Millisecond))
		start := time.Now()
		_, err := ws.Settings(ctx, workspace.Redacted)
		require.Error(t, err)
		var ne net.Error
		require.True(t, errors.As(err, &ne) && ne.Timeout(), "want a timeout error, got %v", err)
		require.EqualValues(t, 2, n.Load(), "a timed-out attempt is retried (client.md §2)")
		require.Less(t, time.Since(start), 5*time.Second)
	})

	t.Run("context cancelled mid-backoff: returns at once", func(t *testing.T) {
		ts, _ := faultServer(t, func(_ int32, w http.ResponseWriter, _ *http.Request) {
			http.Error(w, `{"detail":"Internal Server Error"}`, 500)
		})
		ws := faultClient(t, ts.URL, workspace.WithRetry(3, 10*time.Second, 10*time.Second))
		requireCancelReturnsFast(t, func(ctx context.Context) error {
			_, err := ws.Settings(ctx, workspace.Redacted)
			return err
		})
	})

	t.Run("context cancelled mid-request: returns at once", func(t *testing.T) {
		release := make(chan struct{})
		ts, _ := faultServer(t, func(_ int32, _ http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		})
		defer close(release)
		ws := faultClient(t, ts.URL, workspace.WithRetry(3, time.Millisecond, 2*time.Millisecond))
		requireCancelReturnsFast(t, func(ctx context.Context) error {
			_, err := ws.PutSecret(ctx, "STALL", "v", nil)
			return err
		})
	})
}

// requireCancelReturnsFast runs call, cancels its context 200 ms in, and
// requires it to return context.Canceled within 50 ms of the cancel.
func requireCancelReturnsFast(t *testing.T, call func(ctx context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- call(ctx) }()
	time.Sleep(200 * time.Millisecond)
	select {
	case err := <-errc:
		t.Fatalf("the call returned before the cancel: %v", err)
	default:
	}
	cancelled := time.Now()
	cancel()
	select {
	case err := <-errc:
		took := time.Since(cancelled)
		require.ErrorIs(t, err, context.Canceled)
		require.Less(t, took, 50*time.Millisecond, "returned %v after the cancel", took)
	case <-time.After(5 * time.Second):
		t.Fatal("the call did not return within 5s of the cancel")
	}
}
