package workspace

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/go-resty/resty/v2"
	"github.com/hashicorp/go-retryablehttp"
)

func scratchGet(b *testing.B, c *http.Client, url string) {
	req, _ := http.NewRequestWithContext(context.Background(), "GET", url, nil)
	req.Header.Set(HeaderSessionAPIKey, testKey)
	resp, err := c.Do(req)
	if err != nil { b.Fatal(err) }
	_, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
}

func BenchmarkScratchBare(b *testing.B) {
	srv := benchServer(b)
	c := &http.Client{Transport: defaultTransport()}
	for i := 0; i < b.N; i++ { scratchGet(b, c, srv.URL+"/api/settings/secrets") }
}
func BenchmarkScratchBareTimeout(b *testing.B) {
	srv := benchServer(b)
	c := &http.Client{Transport: defaultTransport(), Timeout: DefaultTimeout}
	for i := 0; i < b.N; i++ { scratchGet(b, c, srv.URL+"/api/settings/secrets") }
}
func BenchmarkScratchRetryable(b *testing.B) {
	srv := benchServer(b)
	rh := &retryablehttp.Client{HTTPClient: &http.Client{Transport: defaultTransport()}, RetryMax: 2, CheckRetry: checkRetry, Backoff: retryablehttp.DefaultBackoff}
	c := rh.StandardClient()
	for i := 0; i < b.N; i++ { scratchGet(b, c, srv.URL+"/api/settings/secrets") }
}
func BenchmarkScratchResty(b *testing.B) {
	srv := benchServer(b)
	rc := resty.NewWithClient(&http.Client{Transport: defaultTransport()})
	for i := 0; i < b.N; i++ {
		r := rc.R(); r.Header[canonSessionKey] = []string{testKey}
		_, err := r.Execute("GET", srv.URL+"/api/settings/secrets")
		if err != nil { b.Fatal(err) }
	}
}
func BenchmarkScratchFull(b *testing.B) {
	srv := benchServer(b)
	w, _ := New(srv.URL, WithAPIKey(testKey))
	for i := 0; i < b.N; i++ {
		_, err := w.do(context.Background(), &call{method: "GET", path: "/api/settings/secrets"})
		if err != nil { b.Fatal(err) }
	}
}
