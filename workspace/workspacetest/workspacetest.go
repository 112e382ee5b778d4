// Package workspacetest runs the bundled Go reference agent-server in-process,
// in the spirit of net/http/httptest: a real server on a loopback port that
// speaks the agent-server Settings and Secrets API, started in milliseconds,
// for tests, examples and local tools.
//
//	srv := workspacetest.NewServer(t)
//	ws, _ := workspace.New(srv.URL, workspace.WithAPIKey(srv.APIKey))
//
// By default the server requires a random session API key (srv.APIKey),
// encrypts secrets with a random secret key, and keeps its data in memory.
package workspacetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openhands-go/sdk/internal/server"
	"github.com/openhands-go/sdk/internal/store"
)

// Server is a running in-process agent-server.
type Server struct {
	// URL is the base URL, "http://127.0.0.1:PORT", without a trailing slash.
	URL string
	// APIKey is the session API key the server requires; "" when auth is off.
	APIKey string
	// DataDir is the data directory of a file-backed server; "" in memory.
	DataDir string
	// Handler is the server's http.Handler, for mounting or direct calls.
	Handler http.Handler

	secretKey *string
	hs        *http.Server
	ln        net.Listener
	st        store.Store
	closeOnce sync.Once
	closeErr  error
}

type config struct {
	apiKeys      []string
	apiKeySet    bool
	secretKey    *string
	secretSet    bool
	dataDir      string
	logger       *slog.Logger
	seedSettings []json.RawMessage
	seedSecrets  []seedSecret
	addr         string
}

type seedSecret struct {
	Name        string  `json:"name"`
	Value       string  `json:"value"`
	Description *string `json:"description"`
}

// Option configures a Server.
type Option func(*config)

// WithAPIKey sets the session API key the server requires. An empty key
// turns authentication off (same as WithoutAuth).
func WithAPIKey(key string) Option {
	return func(c *config) {
		c.apiKeySet = true
		c.apiKeys = nil
		if key != "" {
			c.apiKeys = []string{key}
		}
	}
}

// WithAPIKeys accepts several session keys (key rotation); Server.APIKey is
// the first.
func WithAPIKeys(keys ...string) Option {
	return func(c *config) { c.apiKeySet = true; c.apiKeys = append([]string(nil), keys...) }
}

// WithoutAuth starts an open server: no session key is required.
func WithoutAuth() Option { return WithAPIKey("") }

// WithSecretKey sets OH_SECRET_KEY, the key secrets are encrypted with.
func WithSecretKey(key string) Option {
	return func(c *config) { c.secretSet = true; k := key; c.secretKey = &k }
}

// WithoutSecretKey runs the server with no secret key: secrets are kept in
// plaintext and the "encrypted" exposure mode answers 503, as upstream.
func WithoutSecretKey() Option { return func(c *config) { c.secretSet = true; c.secretKey = nil } }

// WithDataDir keeps the server's files in dir, in the upstream on-disk
// format, instead of memory.
func WithDataDir(dir string) Option { return func(c *config) { c.dataDir = dir } }

// WithLogger sends the server's logs to l (default: discarded).
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithAddr listens on addr instead of "127.0.0.1:0".
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }

// WithSettings seeds the settings with a PATCH /api/settings body (a
// SettingsUpdateRequest: any value that encodes to a JSON object, e.g.
// map[string]any{"agent_settings_diff": map[string]any{"llm": ...}}).
// Seeds are applied in order before NewServer returns.
func WithSettings(patch any) Option {
	return func(c *config) {
		raw, err := json.Marshal(patch)
		if err != nil {
			raw = []byte("invalid")
		}
		c.seedSettings = append(c.seedSettings, raw)
	}
}

// WithSecret seeds one custom secret.
func WithSecret(name, value, description string) Option {
	return func(c *config) {
		s := seedSecret{Name: name, Value: value}
		if description != "" {
			d := description
			s.Description = &d
		}
		c.seedSecrets = append(c.seedSecrets, s)
	}
}

func randomKey() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("workspacetest: crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewServer starts a server for the duration of a test and closes it through
// t.Cleanup. It fails the test if the server cannot start.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatalf("workspacetest: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Start starts a server outside of a test (examples, tools); the caller must
// Close it.
func Start(opts ...Option) (*Server, error) {
	c := &config{addr: "127.0.0.1:0"}
	for _, o := range opts {
		o(c)
	}
	if !c.apiKeySet {
		c.apiKeys = []string{randomKey()}
	}
	if !c.secretSet {
		k := randomKey()
		c.secretKey = &k
	}
	if c.logger == nil {
		c.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	var st store.Store
	if c.dataDir != "" {
		fs, err := store.NewFile(c.dataDir, c.logger)
		if err != nil {
			return nil, err
		}
		st = fs
	} else {
		st = store.NewMemory()
	}
	h, err := server.New(server.Config{
		SessionAPIKeys: c.apiKeys,
		SecretKey:      c.secretKey,
		Store:          st,
		Logger:         c.logger,
		DataDir:        c.dataDir,
	})
	if err != nil {
		st.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		st.Close()
		return nil, err
	}
	s := &Server{
		URL:       "http://" + ln.Addr().String(),
		DataDir:   c.dataDir,
		Handler:   h,
		secretKey: c.secretKey,
		ln:        ln,
		st:        st,
		hs: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       10 * time.Second,
			IdleTimeout:       60 * time.Second,
			ErrorLog:          slog.NewLogLogger(c.logger.Handler(), slog.LevelWarn),
		},
	}
	if len(c.apiKeys) > 0 {
		s.APIKey = c.apiKeys[0]
	}
	go func() { _ = s.hs.Serve(ln) }()
	if err := s.seed(c); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// SecretKey returns the server's secret key and whether one is set.
func (s *Server) SecretKey() (string, bool) {
	if s.secretKey == nil {
		return "", false
	}
	return *s.secretKey, true
}

// Close shuts the server down and waits for in-flight requests.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := s.hs.Shutdown(ctx)
		if cerr := s.st.Close(); err == nil {
			err = cerr
		}
		s.closeErr = err
	})
	return s.closeErr
}

// Format keeps the session key out of fmt output.
func (s *Server) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "workspacetest.Server{URL: %q, auth: %t}", s.URL, s.APIKey != "")
}

// LogValue keeps the session key out of log/slog output.
func (s *Server) LogValue() slog.Value {
	return slog.GroupValue(slog.String("url", s.URL), slog.Bool("auth", s.APIKey != ""))
}

// MarshalJSON keeps the session key out of encoding/json output.
func (s *Server) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		URL     string `json:"url"`
		Auth    bool   `json:"auth"`
		DataDir string `json:"data_dir,omitempty"`
	}{s.URL, s.APIKey != "", s.DataDir})
}

func (s *Server) seed(c *config) error {
	client := &http.Client{Timeout: 10 * time.Second}
	do := func(method, path string, body []byte) error {
		req, err := http.NewRequest(method, s.URL+path, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		if s.APIKey != "" {
			req.Header.Set("X-Session-API-Key", s.APIKey)
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("seeding %s %s: %d %s", method, path, resp.StatusCode, strings.TrimSpace(string(msg)))
		}
		return nil
	}
	for _, p := range c.seedSettings {
		if err := do(http.MethodPatch, "/api/settings", p); err != nil {
			return err
		}
	}
	for _, sec := range c.seedSecrets {
		body, err := json.Marshal(sec)
		if err != nil {
			return err
		}
		if err := do(http.MethodPut, "/api/settings/secrets", body); err != nil {
			return errors.New(strings.ReplaceAll(err.Error(), sec.Value, "**********"))
		}
	}
	return nil
}
