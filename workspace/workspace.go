package workspace

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
	"github.com/hashicorp/go-retryablehttp"

	"github.com/openhands-go/sdk/secret"
)

// Header names used by the agent-server API.
const (
	// HeaderSessionAPIKey carries the session API key on every request when
	// a key is configured (omitted entirely otherwise).
	HeaderSessionAPIKey = "X-Session-API-Key"
	// HeaderExposeSecrets selects the exposure mode of GET /api/settings and
	// GET /api/profiles/{name}; it is sent only on calls that need it.
	HeaderExposeSecrets = "X-Expose-Secrets"
)

// Environment variables read by NewFromEnv.
const (
	// EnvAgentServerURL holds the agent-server base URL.
	EnvAgentServerURL = "AGENT_SERVER_URL"
	// EnvSessionAPIKeys0 holds the first session key of the server's list;
	// NewFromEnv prefers it over EnvSessionAPIKey.
	EnvSessionAPIKeys0 = "OH_SESSION_API_KEYS_0"
	// EnvSessionAPIKey holds the legacy single session key.
	EnvSessionAPIKey = "SESSION_API_KEY"
)

// Defaults of the transport (upstream RemoteWorkspace values).
const (
	// DefaultAttempts is the number of attempts in all (1 + 2 retries).
	DefaultAttempts = 3
	// DefaultMinWait is the first backoff wait; later waits double.
	DefaultMinWait = 1 * time.Second
	// DefaultMaxWait caps every wait, Retry-After included.
	DefaultMaxWait = 5 * time.Second
	// DefaultReadTimeout bounds the wait for a response's headers on the
	// default transport (upstream's 600 s read timeout).
	DefaultReadTimeout = 600 * time.Second
	// DefaultConnectTimeout bounds dialing on the default transport.
	DefaultConnectTimeout = 10 * time.Second
	// DefaultMaxIdleConnsPerHost is the idle-connection pool size per host of
	// the default transport (Go's own default of 2 makes concurrent callers
	// open new connections).
	DefaultMaxIdleConnsPerHost = 64
	// DefaultUserAgent is sent as User-Agent unless WithUserAgent says otherwise.
	DefaultUserAgent = "openhands-go-sdk/workspace"
	// MaxResponseBytes bounds the size of a response body read by the client.
	MaxResponseBytes = 64 << 20
)

// hostUndefined is upstream's placeholder for a sandbox that is not started.
const hostUndefined = "undefined"

const redactionMarker = secret.Marker

// Workspace is a client of one agent-server's Settings and Secrets API, the
// Go counterpart of the Python SDK's RemoteWorkspace settings methods.
//
// A Workspace is safe for concurrent use and reuses connections. It never
// prints its API key: every fmt verb, log/slog and encoding/json show the key
// as "**********".
type Workspace struct {
	host                                string // scheme://host[:port][/path], no trailing "/"
	workingDir                          string
	cred                                *credentials // behind a pointer so reflection-based printing shows an address
	userAgent                           []string     // shared, read-only value slice for User-Agent
	exposePlain, exposeEnc, contentJSON []string     // shared, read-only header values
	rc                                  *resty.Client
	inner                               *http.Client                      // the client retryablehttp uses for each attempt
	waitHook                            func(time.Duration) time.Duration // tests: replaces each computed wait
	llms                                *llmCache
	secretURLPrefix                     string // host + "/api/settings/secrets/"
}

// config collects the options of New.
type config struct {
	host       string
	apiKey     string
	workingDir string
	base       *http.Client
	attempts   int
	minWait    time.Duration
	maxWait    time.Duration
	timeout    time.Duration
	timeoutSet bool
	logger     *slog.Logger
	userAgent  string
	waitHook   func(time.Duration) time.Duration
	errs       []error
}

// Option configures a Workspace.
type Option func(*config)

// WithAPIKey sets the session API key sent as X-Session-API-Key on every
// request. An empty key means no header at all.
func WithAPIKey(key string) Option { return func(c *config) { c.apiKey = key } }

// WithHost overrides the host given to New (or read by NewFromEnv from
// AGENT_SERVER_URL).
func WithHost(host string) Option { return func(c *config) { c.host = host } }

// WithWorkingDir records the workspace's working directory (not used by the
// settings methods; kept for parity with upstream RemoteWorkspace).
func WithWorkingDir(dir string) Option { return func(c *config) { c.workingDir = dir } }

// WithHTTPClient supplies the base HTTP client. Its Transport (nil means a
// pooled default transport) performs every attempt beneath the retry layer,
// and its Timeout, when non-zero and WithTimeout is not given, becomes the
// per-attempt timeout. Its redirect policy and cookie jar are not used:
// redirects are never followed. A caller-supplied *http.Transport is used
// as is; give it a MaxIdleConnsPerHost suited to the expected concurrency.
func WithHTTPClient(c *http.Client) Option {
	return func(cfg *config) {
		if c == nil {
			cfg.errs = append(cfg.errs, errors.New("WithHTTPClient: nil client"))
			return
		}
		cfg.base = c
	}
}

// WithRetry sets the retry policy: attempts in all (≥ 1; 1 disables
// retries) and the exponential backoff bounds (wait n is
// min(maxWait, max(minWait, minWait·2^(n-1)))). A Retry-After header on
// 429/503 is honoured but capped at maxWait. Zero waits retry immediately.
// The default is 3 attempts, 1 s, 5 s.
func WithRetry(attempts int, minWait, maxWait time.Duration) Option {
	return func(c *config) {
		if attempts < 1 {
			c.errs = append(c.errs, fmt.Errorf("WithRetry: attempts must be at least 1, got %d", attempts))
			return
		}
		if minWait < 0 || maxWait < minWait {
			c.errs = append(c.errs, fmt.Errorf("WithRetry: need 0 <= minWait <= maxWait, got %v and %v", minWait, maxWait))
			return
		}
		c.attempts, c.minWait, c.maxWait = attempts, minWait, maxWait
	}
}

// WithTimeout sets the total timeout of each attempt (connect, send, read
// the whole answer); the context passed to a method remains the total
// budget, waits included. 0, the default, sets no whole-attempt timer (it
// costs a few percent of a loopback call); the default transport still
// bounds connecting (10 s) and the wait for response headers (600 s,
// upstream's read timeout).
func WithTimeout(d time.Duration) Option {
	return func(c *config) {
		if d < 0 {
			c.errs = append(c.errs, fmt.Errorf("WithTimeout: negative timeout %v", d))
			return
		}
		c.timeout, c.timeoutSet = d, true
	}
}

// WithLogger sets the logger for retry diagnostics (debug level: retries;
// error level: failed attempts). Headers are never logged. The default is
// silent.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithUserAgent sets the User-Agent header (default DefaultUserAgent).
func WithUserAgent(ua string) Option { return func(c *config) { c.userAgent = ua } }

// New returns a client of the agent-server at host, e.g.
// "http://localhost:8000" or "https://x/runtime/abc" (request paths are
// appended to the host's path). Trailing "/" characters are stripped. An
// empty host, "undefined", an unparsable URL, a scheme other than http(s), a
// URL without host, or one carrying user info, a query or a fragment is an
// error.
func New(host string, opts ...Option) (*Workspace, error) {
	cfg := config{
		host:      host,
		attempts:  DefaultAttempts,
		minWait:   DefaultMinWait,
		maxWait:   DefaultMaxWait,
		userAgent: DefaultUserAgent,
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return newWorkspace(cfg)
}

// NewFromEnv is New with the host taken from AGENT_SERVER_URL and the session
// key from OH_SESSION_API_KEYS_0, else SESSION_API_KEY. Explicit options
// (WithHost, WithAPIKey, ...) win over the environment.
func NewFromEnv(opts ...Option) (*Workspace, error) {
	key := os.Getenv(EnvSessionAPIKeys0)
	if key == "" {
		key = os.Getenv(EnvSessionAPIKey)
	}
	all := make([]Option, 0, len(opts)+1)
	all = append(all, WithAPIKey(key))
	all = append(all, opts...)
	return New(os.Getenv(EnvAgentServerURL), all...)
}

// normalizeHost validates host and strips trailing slashes.
func normalizeHost(host string) (string, error) {
	h := strings.TrimSpace(host)
	h = strings.TrimRight(h, "/")
	if h == "" || h == hostUndefined {
		return "", ErrHostNotSet
	}
	u, err := url.Parse(h)
	if err != nil {
		return "", errors.New("workspace: host is not a valid URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("workspace: host scheme must be http or https, got %q", u.Scheme)
	}
	if u.Host == "" || u.Hostname() == "" {
		return "", errors.New("workspace: host URL has no host name")
	}
	if u.User != nil {
		return "", errors.New("workspace: host URL must not carry user info; use WithAPIKey")
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return "", errors.New("workspace: host URL must not carry a query or fragment")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", errors.New("workspace: host URL has an invalid port")
		}
	}
	return h, nil
}

func newWorkspace(cfg config) (*Workspace, error) {
	if len(cfg.errs) > 0 {
		return nil, fmt.Errorf("workspace: %w", errors.Join(cfg.errs...))
	}
	host, err := normalizeHost(cfg.host)
	if err != nil {
		return nil, err
	}
	if strings.ContainsAny(cfg.apiKey, "\r\n\x00") {
		return nil, errors.New("workspace: API key contains a control character")
	}
	if strings.ContainsAny(cfg.userAgent, "\r\n\x00") {
		return nil, errors.New("workspace: user agent contains a control character")
	}

	var transport http.RoundTripper
	timeout := cfg.timeout
	if cfg.base != nil {
		transport = cfg.base.Transport
		if !cfg.timeoutSet && cfg.base.Timeout > 0 {
			timeout = cfg.base.Timeout
		}
	}
	if transport == nil {
		transport = defaultTransport()
	}

	w := &Workspace{
		host:            host,
		workingDir:      cfg.workingDir,
		cred:            &credentials{key: secret.Str(cfg.apiKey)},
		waitHook:        cfg.waitHook,
		llms:            &llmCache{},
		secretURLPrefix: host + secretsPath + "/",
		exposePlain:     []string{"plaintext"},
		exposeEnc:       []string{"encrypted"},
		contentJSON:     []string{"application/json"},
	}
	if cfg.apiKey != "" {
		w.cred.header = []string{cfg.apiKey}
	}
	if cfg.userAgent != "" {
		w.userAgent = []string{cfg.userAgent}
	}

	w.inner = &http.Client{
		Transport:     transport,
		Timeout:       timeout,
		CheckRedirect: noRedirect,
	}
	rh := &retryablehttp.Client{
		HTTPClient:   w.inner,
		RetryWaitMin: cfg.minWait,
		RetryWaitMax: cfg.maxWait,
		RetryMax:     cfg.attempts - 1,
		CheckRetry:   checkRetry,
		Backoff:      w.backoff,
		ErrorHandler: errorHandler, // PassthroughErrorHandler + close on error
	}
	if cfg.logger != nil {
		rh.Logger = slogAdapter{cfg.logger}
	}
	// Logger stays nil otherwise: retryablehttp's default logger writes to
	// stderr.
	outer := rh.StandardClient()
	outer.CheckRedirect = noRedirect

	rc := resty.NewWithClient(outer)
	rc.SetLogger(restyLogger{cfg.logger})
	rc.SetDisableWarn(true)
	rc.SetDebug(false)
	rc.SetRetryCount(0)
	rc.SetDoNotParseResponse(true) // do reads (and closes) every body itself
	w.rc = rc
	return w, nil
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// defaultTransport is a pooled transport with upstream's connect timeout and
// a per-host idle pool large enough for concurrent callers.
func defaultTransport() *http.Transport {
	// Built from scratch rather than cloned from http.DefaultTransport, which
	// a program (or httpmock.Activate) may have replaced.
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: DefaultConnectTimeout, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          4 * DefaultMaxIdleConnsPerHost,
		MaxIdleConnsPerHost:   DefaultMaxIdleConnsPerHost,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   DefaultConnectTimeout,
		ExpectContinueTimeout: time.Second,
		// A server that accepts a request and never answers is cut off
		// after upstream's read timeout even when the caller's context has
		// no deadline (WithTimeout bounds whole attempts more tightly).
		ResponseHeaderTimeout: DefaultReadTimeout,
	}
}

// Host returns the normalised host URL (no trailing "/").
func (w *Workspace) Host() string {
	if w == nil {
		return ""
	}
	return w.host
}

// WorkingDir returns the working directory given with WithWorkingDir.
func (w *Workspace) WorkingDir() string {
	if w == nil {
		return ""
	}
	return w.workingDir
}

// HasAPIKey reports whether a session key is configured.
func (w *Workspace) HasAPIKey() bool { return w != nil && w.key().IsSet() }

// cache returns the LLM decode cache (nil for a zero Workspace: no caching).
func (w *Workspace) cache() *llmCache {
	if w == nil {
		return nil
	}
	return w.llms
}

// credentials holds the session key.
type credentials struct {
	key    secret.Str
	header []string // shared, read-only value slice for HeaderSessionAPIKey; nil without key
}

// key returns the session key ("" for a zero Workspace).
func (w *Workspace) key() secret.Str {
	if w.cred == nil {
		return ""
	}
	return w.cred.key
}

// AuthHeaders returns a fresh copy of the authentication headers:
// {"X-Session-API-Key": key}, or an empty map without a key. The map holds
// the key in plaintext; do not log it.
func (w *Workspace) AuthHeaders() map[string]string {
	if w == nil || !w.key().IsSet() {
		return map[string]string{}
	}
	return map[string]string{HeaderSessionAPIKey: w.key().Reveal()}
}

// CloseIdleConnections closes idle connections of the underlying transport.
func (w *Workspace) CloseIdleConnections() {
	if w != nil && w.inner != nil {
		w.inner.CloseIdleConnections()
	}
}

// String describes the workspace with the key redacted.
func (w Workspace) String() string {
	return fmt.Sprintf("workspace.Workspace{host: %q, api_key: %q, working_dir: %q}",
		w.host, w.key().String(), w.workingDir)
}

// GoString is the %#v form, with the key redacted.
func (w Workspace) GoString() string { return w.String() }

// Format implements fmt.Formatter: every verb prints String() (%q quotes it).
// Value receiver, so that printing a dereferenced Workspace is safe too.
func (w Workspace) Format(f fmt.State, verb rune) {
	s := w.String()
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	_, _ = f.Write([]byte(s))
}

// LogValue implements slog.LogValuer with the key redacted.
func (w Workspace) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("host", w.host),
		slog.String("api_key", w.key().String()),
		slog.String("working_dir", w.workingDir),
	)
}

// MarshalJSON encodes the public description with the key redacted.
func (w Workspace) MarshalJSON() ([]byte, error) {
	var key any
	if w.key().IsSet() {
		key = redactionMarker
	}
	return marshalNoEscape(map[string]any{"host": w.host, "api_key": key, "working_dir": w.workingDir})
}
