package secret

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// LookupTimeout is the total time allowed for one LookupSecret GET, as in the
// agent-server (data-model.md §9.3).
const LookupTimeout = 30 * time.Second

// MaxValueBytes is the largest response body accepted as a secret value.
const MaxValueBytes = 1 << 20

// Sentinel errors reported (wrapped) by resolution; test with errors.Is.
var (
	// ErrUnauthorized: the server answered 401 — the session key
	// (X-Session-API-Key header) is missing or wrong.
	ErrUnauthorized = errors.New("unauthorized: the session key (X-Session-API-Key header) is missing or wrong")
	// ErrForbidden: the server answered 403.
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound: the server answered 404 (the secret does not exist or has no value).
	ErrNotFound = errors.New("secret not found")
	// ErrStatus matches every non-2xx answer (including 3xx: redirects are not followed).
	ErrStatus = errors.New("unexpected HTTP status")
	// ErrEmpty: the secret has no value (empty body, empty static value).
	ErrEmpty = errors.New("secret has no value")
	// ErrTooLarge: the response body exceeds MaxValueBytes.
	ErrTooLarge = errors.New("secret value too large")
	// ErrCharset: the response declares a charset this package cannot decode.
	ErrCharset = errors.New("unsupported response charset")
)

// ResolveError describes a failed LookupSecret resolution. Its message never
// contains header values, query values or the secret.
type ResolveError struct {
	// URL is the request URL without user info, query values or fragment.
	URL string
	// Status is the HTTP status code, or 0 when no response was received.
	Status int
	// Err is the cause: a sentinel (ErrUnauthorized, ErrForbidden,
	// ErrNotFound, ErrStatus, ErrEmpty, ErrTooLarge, ErrCharset) or a
	// transport error (e.g. wrapping context.DeadlineExceeded).
	Err error
}

// Error implements error.
func (e *ResolveError) Error() string {
	var b strings.Builder
	b.WriteString("secret: lookup GET ")
	b.WriteString(e.URL)
	if e.Status != 0 {
		b.WriteString(": HTTP ")
		b.WriteString(strconv.Itoa(e.Status))
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *ResolveError) Unwrap() error { return e.Err }

// Is makes every status failure match [ErrStatus].
func (e *ResolveError) Is(target error) bool {
	return target == ErrStatus && e.Status != 0 && (e.Status < 200 || e.Status > 299)
}

// safeURL strips user info, query values (keeping the keys) and the fragment.
func safeURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.IndexAny(raw, "?#"); i >= 0 {
			raw = raw[:i]
		}
		if i := strings.Index(raw, "@"); i >= 0 {
			raw = raw[i+1:]
		}
		return raw
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.RawQuery != "" {
		q, _ := url.ParseQuery(u.RawQuery)
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, url.QueryEscape(k)+"=")
		}
		sort.Strings(keys)
		u.RawQuery = strings.Join(keys, "&")
	}
	return u.String()
}

// Resolve fetches the value with http.DefaultClient's transport; see
// [LookupSecret.ResolveWith].
func (l LookupSecret) Resolve(ctx context.Context) (string, error) {
	return l.ResolveWith(ctx, nil)
}

// ResolveWith fetches the value exactly as the agent-server does
// (data-model.md §9.3): an HTTP GET of URL (a relative URL is resolved
// against $OH_INTERNAL_SERVER_URL) with exactly the stored Headers, no body,
// a 30 s timeout on top of ctx, redirects not followed, no retries. Any 2xx
// succeeds; the body is decoded per the Content-Type charset (UTF-8 by
// default; utf-8, us-ascii and iso-8859-1/latin-1 are supported) and returned
// untrimmed. An empty body is [ErrEmpty].
//
// c supplies the transport (and cookie jar); nil means http.DefaultClient. Its
// redirect policy is overridden so that no redirect is followed. Failures are
// *[ResolveError].
func (l LookupSecret) ResolveWith(ctx context.Context, c *http.Client) (string, error) {
	target := ResolveRelativeURL(l.URL)
	fail := func(status int, err error) (string, error) {
		return "", &ResolveError{URL: safeURL(target), Status: status, Err: err}
	}
	if c == nil {
		c = http.DefaultClient
	}
	cc := *c
	cc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	ctx, cancel := context.WithTimeout(ctx, LookupTimeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return fail(0, errors.New("invalid URL"))
	}
	req.Header = make(http.Header, len(l.Headers))
	for k, v := range l.Headers {
		// Header names are case-insensitive on the wire; the canonical form
		// keeps Header.Get working for server-side handlers in tests.
		req.Header[http.CanonicalHeaderKey(k)] = []string{v}
	}
	resp, err := cc.Do(req)
	if err != nil {
		return fail(0, transportErr(ctx, err))
	}
	defer func() { _ = resp.Body.Close() }()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		switch resp.StatusCode {
		case http.StatusUnauthorized:
			return fail(resp.StatusCode, ErrUnauthorized)
		case http.StatusForbidden:
			return fail(resp.StatusCode, ErrForbidden)
		case http.StatusNotFound:
			return fail(resp.StatusCode, ErrNotFound)
		default:
			return fail(resp.StatusCode, ErrStatus)
		}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxValueBytes+1))
	if err != nil {
		return fail(resp.StatusCode, transportErr(ctx, err))
	}
	if len(body) > MaxValueBytes {
		return fail(resp.StatusCode, fmt.Errorf("%w (more than %d bytes)", ErrTooLarge, MaxValueBytes))
	}
	if len(body) == 0 {
		return fail(resp.StatusCode, ErrEmpty)
	}
	text, err := decodeBody(body, resp.Header.Get("Content-Type"))
	if err != nil {
		return fail(resp.StatusCode, err)
	}
	return text, nil
}

// transportErr strips the *url.Error wrapper (whose message repeats the full
// URL, query included) and makes a context deadline visible to errors.Is.
func transportErr(ctx context.Context, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		return fmt.Errorf("%w (%v)", ctxErr, err)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w (%v)", context.DeadlineExceeded, err)
	}
	return err
}

// decodeBody decodes body according to the charset parameter of contentType.
func decodeBody(body []byte, contentType string) (string, error) {
	charset := "utf-8"
	if contentType != "" {
		if _, params, err := mime.ParseMediaType(contentType); err == nil || errors.Is(err, mime.ErrInvalidMediaParameter) {
			if cs, ok := params["charset"]; ok && cs != "" {
				charset = strings.ToLower(strings.TrimSpace(cs))
			}
		}
	}
	switch charset {
	case "utf-8", "utf8":
		return string(body), nil
	case "us-ascii", "ascii":
		for _, c := range body {
			if c >= utf8.RuneSelf {
				return "", fmt.Errorf("%w: body is not valid us-ascii", ErrCharset)
			}
		}
		return string(body), nil
	case "iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "iso_8859-1":
		r := make([]rune, len(body))
		for i, c := range body {
			r[i] = rune(c)
		}
		return string(r), nil
	default:
		return "", fmt.Errorf("%w %q", ErrCharset, charset)
	}
}

// validEnvName reports whether name matches [A-Za-z_][A-Za-z0-9_]*.
func validEnvName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_', 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// Environ resolves every secret and returns "NAME=value" lines sorted by name,
// ready for exec.Cmd.Env (append them to os.Environ() to keep the parent
// environment).
//
// The returned strings contain the secrets in PLAINTEXT — that is their
// purpose. Do not log or print them; hand them to the child process only.
//
// Names must be valid environment variable names ([A-Za-z_][A-Za-z0-9_]*).
// Secrets are resolved in name order; the first failure stops resolution and
// is returned as an error naming the secret (never its value), wrapping the
// cause. Values containing a NUL byte are rejected.
func Environ[S Resolver](ctx context.Context, secrets map[string]S) ([]string, error) {
	names := make([]string, 0, len(secrets))
	for name := range secrets {
		if !validEnvName(name) {
			return nil, fmt.Errorf("secret: %q is not a valid environment variable name", name)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]string, 0, len(names))
	for _, name := range names {
		s := secrets[name]
		if isNil(s) {
			return nil, fmt.Errorf("secret: resolve %s: nil secret source", name)
		}
		v, err := s.Resolve(ctx)
		if err != nil {
			return nil, fmt.Errorf("secret: resolve %s: %w", name, err)
		}
		if strings.IndexByte(v, 0) >= 0 {
			return nil, fmt.Errorf("secret: resolve %s: value contains a NUL byte", name)
		}
		out = append(out, name+"="+v)
	}
	return out, nil
}

// isNil reports whether a Resolver value is nil (interface or pointer-like).
func isNil(r any) bool {
	if r == nil {
		return true
	}
	v := reflect.ValueOf(r)
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
		return v.IsNil()
	}
	return false
}
