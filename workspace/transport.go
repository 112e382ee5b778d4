package workspace

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
	"net/url"
	"syscall"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Exposure selects how GET /api/settings and GET /api/profiles/{name} render
// secrets (the X-Expose-Secrets header).
type Exposure int

const (
	// Redacted sends no X-Expose-Secrets header: set secrets come back as
	// "**********". Never send such a document back: the marker erases the
	// stored secret (the client refuses with ErrRedactedValue).
	Redacted Exposure = iota
	// Encrypted sends "X-Expose-Secrets: encrypted": secrets come back as
	// Fernet tokens under the server key, safe to send back.
	Encrypted
	// Plaintext sends "X-Expose-Secrets: plaintext": raw secret values.
	Plaintext
)

// String returns "redacted", "encrypted" or "plaintext".
func (e Exposure) String() string {
	switch e {
	case Redacted:
		return "redacted"
	case Encrypted:
		return "encrypted"
	case Plaintext:
		return "plaintext"
	}
	return fmt.Sprintf("Exposure(%d)", int(e))
}

// headerValue is the X-Expose-Secrets value ("" = no header).
func (e Exposure) headerValue() (string, error) {
	switch e {
	case Redacted:
		return "", nil
	case Encrypted:
		return "encrypted", nil
	case Plaintext:
		return "plaintext", nil
	}
	return "", fmt.Errorf("workspace: invalid exposure %d", int(e))
}

// Canonical MIME header keys (http.CanonicalHeaderKey) of the headers set
// per request; the map is filled directly to avoid per-call allocations.
const (
	canonSessionKey  = "X-Session-Api-Key" // http.CanonicalHeaderKey(HeaderSessionAPIKey)
	canonExpose      = "X-Expose-Secrets"
	canonUserAgent   = "User-Agent"
	canonContentType = "Content-Type"
)

// call is one API request.
type call struct {
	method  string
	path    string // escaped API path, e.g. "/api/settings"
	expose  Exposure
	body    []byte // nil: no body
	noRetry bool   // a request that is not safe to repeat
	scrub   []string
}

type noRetryKey struct{}

// do performs one API call through resty → retryablehttp → base transport
// and returns the body of a 2xx answer. Non-2xx answers are *APIError;
// transport failures are returned wrapped (errors.Is/As reach the cause).
func (w *Workspace) do(ctx context.Context, c *call) ([]byte, error) {
	if w == nil || w.rc == nil || w.host == "" {
		return nil, ErrHostNotSet
	}
	if ctx == nil {
		return nil, errors.New("workspace: nil context")
	}
	expose, err := c.expose.headerValue()
	if err != nil {
		return nil, err
	}
	if c.body != nil && hasInvalidUTF8Escape(c.body) {
		return nil, &opError{method: c.method, path: c.path, err: ErrInvalidUTF8}
	}
	if c.noRetry {
		ctx = context.WithValue(ctx, noRetryKey{}, true)
	}
	req := w.rc.R()
	req.SetContext(ctx)
	h := req.Header
	if w.cred != nil && w.cred.header != nil {
		h[canonSessionKey] = w.cred.header
	}
	if w.userAgent != nil {
		h[canonUserAgent] = w.userAgent
	}
	switch expose {
	case "plaintext":
		h[canonExpose] = w.exposePlain
	case "encrypted":
		h[canonExpose] = w.exposeEnc
	}
	if c.body != nil {
		h[canonContentType] = w.contentJSON
		req.SetBody(c.body)
	}
	resp, err := req.Execute(c.method, w.host+c.path)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) && ue.Err != nil {
			err = ue.Err
		}
		return nil, &opError{method: c.method, path: c.path, err: err}
	}
	status := resp.StatusCode()
	body, err := readBody(resp.RawResponse)
	if err != nil {
		return nil, &opError{method: c.method, path: c.path, err: err}
	}
	if status < 200 || status > 299 {
		return nil, newAPIError(c.method, c.path, status, body, w.scrubList(c.scrub))
	}
	return body, nil
}

// readBody reads a whole response body (exactly Content-Length bytes when
// known, so a single allocation) up to MaxResponseBytes, reading to EOF so
// the connection returns to the pool, and closes it.
func readBody(resp *http.Response) ([]byte, error) {
	if resp == nil || resp.Body == nil {
		return nil, nil
	}
	defer drain(resp.Body)
	if n := resp.ContentLength; n >= 0 && n <= MaxResponseBytes {
		buf := make([]byte, n)
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			return nil, err
		}
		return buf, nil
	}
	buf, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return nil, err
	}
	if len(buf) > MaxResponseBytes {
		return nil, fmt.Errorf("response body exceeds %d bytes", MaxResponseBytes)
	}
	return buf, nil
}

func (w *Workspace) scrubList(extra []string) []string {
	out := make([]string, 0, len(extra)+1)
	if k := w.key(); k.IsSet() {
		out = append(out, k.Reveal())
	}
	for _, s := range extra {
		if len(s) >= 4 { // scrubbing very short strings would mangle ordinary text
			out = append(out, s)
		}
	}
	return out
}

// checkRetry is the retryablehttp policy: retry 5xx and 429 answers,
// connection failures and timeouts; never 4xx, never after the caller's
// context ended, never a request marked not safe to repeat.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if cerr := ctx.Err(); cerr != nil {
		return false, cerr
	}
	if ctx.Value(noRetryKey{}) != nil {
		return false, nil
	}
	if err != nil {
		return retryableTransportErr(err), nil
	}
	return resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests, nil
}

// retryableTransportErr reports connection failures (dial, DNS, refused) and
// timeouts of any phase. Other transport errors (e.g. a reset mid-response)
// are not retried, as upstream.
func retryableTransportErr(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// errorHandler is retryablehttp.PassthroughErrorHandler (the final answer,
// a 5xx included, reaches the caller as a response rather than a "giving up
// after N attempts" error), except that a response accompanied by an error
// is closed: net/http would otherwise log "RoundTripper returned a response
// & error" to the standard logger.
func errorHandler(resp *http.Response, err error, n int) (*http.Response, error) {
	resp, err = retryablehttp.PassthroughErrorHandler(resp, err, n)
	if err != nil && resp != nil {
		drain(resp.Body)
		resp = nil
	}
	return resp, err
}

func drain(body io.ReadCloser) {
	if body == nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 1<<16))
	_ = body.Close()
}

// backoff is exponential (min·2^n) clamped to [min, max]; Retry-After on
// 429/503 is honoured but capped at max.
func (w *Workspace) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	d := retryablehttp.DefaultBackoff(minWait, maxWait, attempt, resp)
	if d > maxWait {
		d = maxWait
	}
	if d < minWait {
		d = minWait
	}
	if w.waitHook != nil {
		d = w.waitHook(d)
	}
	return d
}

// slogAdapter is a retryablehttp.LeveledLogger over slog. retryablehttp only
// logs method, URL (user info redacted), status, wait and error — never
// headers.
type slogAdapter struct{ l *slog.Logger }

// Error logs at error level.
func (a slogAdapter) Error(msg string, kv ...interface{}) { a.l.Error(msg, kv...) }

// Info logs at info level.
func (a slogAdapter) Info(msg string, kv ...interface{}) { a.l.Info(msg, kv...) }

// Debug logs at debug level.
func (a slogAdapter) Debug(msg string, kv ...interface{}) { a.l.Debug(msg, kv...) }

// Warn logs at warn level.
func (a slogAdapter) Warn(msg string, kv ...interface{}) { a.l.Warn(msg, kv...) }

// restyLogger routes resty's own messages (warnings are disabled and debug
// is never enabled) to slog at debug level, or nowhere.
type restyLogger struct{ l *slog.Logger }

// Errorf logs at debug level.
func (r restyLogger) Errorf(format string, v ...interface{}) { r.log(format, v...) }

// Warnf logs at debug level.
func (r restyLogger) Warnf(format string, v ...interface{}) { r.log(format, v...) }

// Debugf logs at debug level.
func (r restyLogger) Debugf(format string, v ...interface{}) { r.log(format, v...) }

func (r restyLogger) log(format string, v ...interface{}) {
	if r.l != nil {
		r.l.Debug("resty: " + fmt.Sprintf(format, v...))
	}
}

// hasInvalidUTF8Escape reports whether a JSON body produced by
// encoding/json had invalid UTF-8 in a string: the encoder silently writes
// each bad byte as the escape \ufffd (a genuine U+FFFD is written raw), so
// the escape, not itself preceded by an escaped backslash, gives it away.
func hasInvalidUTF8Escape(body []byte) bool {
	const esc = `\ufffd`
	for off := 0; ; {
		i := bytes.Index(body[off:], []byte(esc))
		if i < 0 {
			return false
		}
		i += off
		n := 0 // backslashes before the one starting the escape
		for j := i - 1; j >= 0 && body[j] == '\\'; j-- {
			n++
		}
		if n%2 == 0 {
			return true
		}
		off = i + len(esc)
	}
}

// marshalNoEscape is json.Marshal without HTML escaping and without the
// trailing newline.
func marshalNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
