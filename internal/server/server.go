// Package server is the Go reference implementation of the OpenHands
// agent-server "Settings and Secrets API" (spec server-api.md): settings,
// MCP servers, custom secrets and LLM profiles over HTTP, with the upstream
// status codes, error bodies, authentication and secret-exposure rules.
//
// A *Server is a plain http.Handler; mount it anywhere. Routing uses
// net/http.ServeMux method+path patterns, wrapped so that unknown paths,
// wrong methods and trailing slashes are answered as FastAPI does (JSON 404,
// JSON 405 with Allow, 307 to the path without the slash), all before
// authentication.
//
// Path parameters ({settings_key}, {name}) are single path segments matched
// on the escaped path and then percent-decoded, so an encoded slash stays
// inside its segment: POST /api/settings/mcp/a%2Fb addresses the MCP server
// key "a/b" (upstream, which matches on the decoded path, cannot address
// such keys). Paths that are not clean (//, /./, /../) answer 404.
package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/secretstore"
	"github.com/openhands-go/sdk/internal/store"
)

// DefaultMaxBodyBytes is the request body limit used when
// Config.MaxBodyBytes is zero (1 MiB).
const DefaultMaxBodyBytes = 1 << 20

// Version is reported by /server_info.
const Version = "0.1.0-go"

// Config configures a Server. The zero value is usable: no authentication,
// no encryption key, an in-memory store.
type Config struct {
	// SessionAPIKeys are the accepted X-Session-API-Key values; empty
	// disables authentication. Empty strings are ignored.
	SessionAPIKeys []string
	// SecretKey is the encryption key string (persistence.md §6.1); nil
	// means no key. An empty string is a key.
	SecretKey *string
	// Store keeps the files; nil selects store.NewMemory().
	Store store.Store
	// DataDir is the persistence directory resolved by ConfigFromEnv
	// (OH_PERSISTENCE_DIR or ~/.openhands). New does not use it: the caller
	// opens Store there.
	DataDir string
	// Logger receives audit and error lines; nil discards them.
	Logger *slog.Logger
	// MaxBodyBytes limits request bodies (413 above it); 0 means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Debug adds a "traceback" member to 5xx envelopes (env DEBUG).
	Debug bool
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// Route describes one endpoint: its method, its ServeMux path pattern and
// whether it requires X-Session-API-Key.
type Route struct {
	// Method is the HTTP method (a GET route also answers HEAD).
	Method string
	// Pattern is the path pattern; {name} wildcards are single segments.
	Pattern string
	// Auth says whether X-Session-API-Key is required.
	Auth bool
}

type handlerFunc func(w http.ResponseWriter, r *http.Request) error

type route struct {
	Route
	h handlerFunc
}

// Server serves the Settings and Secrets API. Safe for concurrent use.
type Server struct {
	log     *slog.Logger
	st      store.Store
	c       *cipher.Cipher
	secrets *secretstore.Secrets
	keys    [][sha256.Size]byte
	maxBody int64
	debug   bool
	now     func() time.Time
	started time.Time

	lastSeen atomic.Int64 // UnixNano of the latest /api request
	mux      *http.ServeMux
	routes   []route

	settings settingsCache
	schemas  schemaCache
}

// New builds a Server from cfg.
func New(cfg Config) (*Server, error) {
	if cfg.MaxBodyBytes < 0 {
		return nil, errors.New("server: MaxBodyBytes must not be negative")
	}
	s := &Server{
		log:     cfg.Logger,
		st:      cfg.Store,
		maxBody: cfg.MaxBodyBytes,
		debug:   cfg.Debug,
		now:     cfg.Now,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.st == nil {
		s.st = store.NewMemory()
	}
	if s.maxBody == 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	if s.now == nil {
		s.now = time.Now
	}
	if cfg.SecretKey != nil {
		s.c = cipher.New(*cfg.SecretKey)
	} else {
		s.log.Warn("OH_SECRET_KEY was not defined: secrets are stored in plaintext and encrypted exposure is unavailable")
	}
	for _, k := range cfg.SessionAPIKeys {
		if k == "" {
			continue
		}
		s.keys = append(s.keys, sha256.Sum256([]byte(k)))
	}
	s.started = s.now()
	s.lastSeen.Store(s.started.UnixNano())
	s.secrets = secretstore.New(s.st, s.c, s.log)
	s.routes = s.routeTable()
	s.mux = http.NewServeMux()
	for _, rt := range s.routes {
		p := rt.Pattern
		if p == "/" {
			p = "/{$}"
		}
		s.mux.Handle(rt.Method+" "+p, s.wrap(rt))
	}
	s.mux.HandleFunc(catchAll, s.noRoute)
	s.checkUndecryptable(context.Background())
	return s, nil
}

// routeTable is the API surface as data.
func (s *Server) routeTable() []route {
	r := func(method, pattern string, auth bool, h handlerFunc) route {
		return route{Route: Route{Method: method, Pattern: pattern, Auth: auth}, h: h}
	}
	return []route{
		r(http.MethodGet, "/", false, s.serverInfo),
		r(http.MethodGet, "/server_info", false, s.serverInfo),
		r(http.MethodGet, "/alive", false, s.alive),
		r(http.MethodGet, "/health", false, s.alive),
		r(http.MethodGet, "/ready", false, s.ready),
		r(http.MethodGet, "/openapi.json", false, s.openAPI),
		r(http.MethodGet, "/docs", false, docsPage("OpenHands Agent Server API")),
		r(http.MethodGet, "/redoc", false, docsPage("OpenHands Agent Server API (ReDoc)")),

		r(http.MethodGet, "/api/settings", true, s.getSettings),
		r(http.MethodPatch, "/api/settings", true, s.patchSettings),
		r(http.MethodGet, "/api/settings/agent-schema", true, s.agentSchema),
		r(http.MethodGet, "/api/settings/conversation-schema", true, s.conversationSchema),
		r(http.MethodPost, "/api/settings/mcp/{settings_key}", true, s.createMCP),
		r(http.MethodPatch, "/api/settings/mcp/{settings_key}", true, s.patchMCP),
		r(http.MethodDelete, "/api/settings/mcp/{settings_key}", true, s.deleteMCP),
		r(http.MethodGet, "/api/settings/secrets", true, s.listSecrets),
		r(http.MethodPut, "/api/settings/secrets", true, s.putSecret),
		r(http.MethodGet, "/api/settings/secrets/{name}", true, s.getSecret),
		r(http.MethodDelete, "/api/settings/secrets/{name}", true, s.deleteSecret),

		r(http.MethodGet, "/api/profiles", true, s.listProfiles),
		r(http.MethodGet, "/api/profiles/{name}", true, s.getProfile),
		r(http.MethodPost, "/api/profiles/{name}", true, s.saveProfile),
		r(http.MethodDelete, "/api/profiles/{name}", true, s.deleteProfile),
		r(http.MethodPost, "/api/profiles/{name}/rename", true, s.renameProfile),
		r(http.MethodPost, "/api/profiles/{name}/activate", true, s.activateProfile),
		r(http.MethodPost, "/api/profiles/{name}/validate", true, s.validateProfile),
	}
}

// Routes lists every endpoint (a copy), in registration order.
func (s *Server) Routes() []Route {
	out := make([]Route, len(s.routes))
	for i, rt := range s.routes {
		out[i] = rt.Route
	}
	return out
}

// wrap adds authentication and error rendering to a route handler.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.Auth {
			s.lastSeen.Store(s.now().UnixNano())
		}
		if rt.Auth && !s.authorized(r) {
			s.writeError(w, r, newHTTPError(http.StatusUnauthorized, detailUnauthorized))
			return
		}
		if err := rt.h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// authorized checks X-Session-API-Key against every configured key in
// constant time (digests of equal length, no early exit).
func (s *Server) authorized(r *http.Request) bool {
	if len(s.keys) == 0 {
		return true
	}
	got := headerValue(r.Header, "X-Session-Api-Key")
	if got == "" {
		return false
	}
	sum := sha256.Sum256([]byte(got))
	ok := 0
	for i := range s.keys {
		ok |= subtle.ConstantTimeCompare(sum[:], s.keys[i][:])
	}
	return ok == 1
}

// headerValue is Header.Get for an already canonical key (skips the
// canonicalisation on the hot path).
func headerValue(h http.Header, canonicalKey string) string {
	if v := h[canonicalKey]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// ServeHTTP routes the request: a matching route runs (auth, then the
// handler); otherwise 405 (path known, method not), 307 (path matches
// without its trailing slash) or 404. Panics become a 500 envelope.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rw := &responseWriter{ResponseWriter: w}
	defer s.recoverPanic(rw, r)
	if !isCleanPath(r.URL.EscapedPath()) {
		s.writeError(rw, r, newHTTPError(http.StatusNotFound, detailNotFound))
		return
	}
	s.mux.ServeHTTP(rw, r)
}

// catchAll is the ServeMux's "/" pattern: it runs when no route matches and
// decides between 405, 307 and 404 (FastAPI/Starlette order).
const catchAll = "/"

func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	esc := r.URL.EscapedPath()
	if allowed := s.allowedMethods(r, esc); len(allowed) > 0 {
		err := newHTTPError(http.StatusMethodNotAllowed, detailMethodNotAllowed)
		err.header = http.Header{"Allow": {strings.Join(allowed, ", ")}}
		s.writeError(w, r, err)
		return
	}
	if len(esc) > 1 && strings.HasSuffix(esc, "/") {
		if stripped := strings.TrimRight(esc, "/"); stripped != "" && len(s.allowedMethods(r, stripped)) > 0 {
			location := stripped
			if r.URL.RawQuery != "" {
				location += "?" + r.URL.RawQuery
			}
			w.Header().Set("Location", location)
			w.Header().Set("Content-Length", "0")
			w.WriteHeader(http.StatusTemporaryRedirect)
			return
		}
	}
	s.writeError(w, r, newHTTPError(http.StatusNotFound, detailNotFound))
}

// allowedMethods lists the methods that have a route for the escaped path.
func (s *Server) allowedMethods(r *http.Request, escPath string) []string {
	u, err := url.Parse(escPath)
	if err != nil || u.Path == "" || !strings.HasPrefix(escPath, "/") {
		return nil
	}
	probeMethods := [...]string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}
	var out []string
	for _, m := range probeMethods {
		probe := &http.Request{Method: m, URL: u, Host: r.Host, Header: http.Header{}}
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != catchAll {
			out = append(out, m)
		}
	}
	return out
}

// isCleanPath reports whether ServeMux would serve p without redirecting it
// to a cleaned form.
func isCleanPath(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c == p
}

// recoverPanic turns a handler panic into the unhandled-error envelope.
func (s *Server) recoverPanic(rw *responseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	var err error
	if re, ok := v.(runtime.Error); ok {
		err = &internalError{msg: "panic: " + re.Error()}
	} else {
		err = &internalError{msg: fmt.Sprintf("panic: %T", v)}
	}
	stack := string(debug.Stack())
	if rw.wrote {
		id := newErrorID()
		s.log.Error("Unhandled panic after the response started", "method", r.Method, "path", r.URL.Path, "error_id", id, "error", exceptionText(err), "stack", stack)
		return
	}
	s.writeUnhandled(rw, r, err, stack)
}

// responseWriter remembers whether the header was written.
type responseWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *responseWriter) WriteHeader(code int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *responseWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// clientHost is the peer address without the port (for audit lines).
func clientHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		if r.RemoteAddr == "" {
			return "unknown"
		}
		return r.RemoteAddr
	}
	return host
}
