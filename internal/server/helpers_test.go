package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/jsonx"
	"github.com/openhands-go/sdk/internal/store"
	"github.com/stretchr/testify/require"
)

const (
	testSessionKey = "sess-key-Zq8mW3"
	testSecretKey  = "server-secret-key-Lk2p"
)

// logBuffer is a concurrency-safe log sink.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// faultStore wraps a store to inject failures.
type faultStore struct {
	store.Store
	mu        sync.Mutex
	failWrite map[string]bool
	failRead  map[string]bool
	busy      map[string]bool
	panicStat bool
	reads     map[string]int // Store.Read calls per name
}

func newFaultStore() *faultStore {
	return &faultStore{Store: store.NewMemory(), failWrite: map[string]bool{}, failRead: map[string]bool{}, busy: map[string]bool{}, reads: map[string]int{}}
}

func (f *faultStore) set(m map[string]bool, k string, v bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m[k] = v
}

func (f *faultStore) get(m map[string]bool, k string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return m[k]
}

var errInjected = errors.New("injected I/O failure")

func (f *faultStore) Read(ctx context.Context, name string) ([]byte, store.Version, error) {
	f.mu.Lock()
	f.reads[name]++
	f.mu.Unlock()
	if f.get(f.failRead, name) {
		return nil, store.Version{}, errInjected
	}
	return f.Store.Read(ctx, name)
}

func (f *faultStore) Stat(ctx context.Context, name string) (store.Version, error) {
	f.mu.Lock()
	p := f.panicStat
	f.mu.Unlock()
	if p {
		panic("injected panic")
	}
	return f.Store.Stat(ctx, name)
}

func (f *faultStore) Locked(ctx context.Context, lock string, fn func(tx store.Tx) error) error {
	if f.get(f.busy, lock) {
		return fmt.Errorf("%w: %s", store.ErrBusy, lock)
	}
	return f.Store.Locked(ctx, lock, func(tx store.Tx) error { return fn(&faultTx{Tx: tx, f: f}) })
}

type faultTx struct {
	store.Tx
	f *faultStore
}

func (t *faultTx) Read(name string) ([]byte, error) {
	if t.f.get(t.f.failRead, name) {
		return nil, errInjected
	}
	return t.Tx.Read(name)
}

func (t *faultTx) Write(name string, data []byte) error {
	if t.f.get(t.f.failWrite, name) {
		return errInjected
	}
	return t.Tx.Write(name, data)
}

// readCount returns how many times Store.Read was called for name.
func (f *faultStore) readCount(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reads[name]
}

// harness is a server behind httptest with a client that does not follow
// redirects.
type harness struct {
	t      testing.TB
	srv    *Server
	ts     *httptest.Server
	client *http.Client
	st     store.Store
	logs   *logBuffer
	key    string // sent as X-Session-API-Key by do (empty: none)
	cipher *cipher.Cipher
}

type hopt func(*Config)

func withKeys(keys ...string) hopt { return func(c *Config) { c.SessionAPIKeys = keys } }
func withNoSecretKey() hopt        { return func(c *Config) { c.SecretKey = nil } }
func withStore(st store.Store) hopt {
	return func(c *Config) { c.Store = st }
}
func withMaxBody(n int64) hopt { return func(c *Config) { c.MaxBodyBytes = n } }
func withDebug() hopt          { return func(c *Config) { c.Debug = true } }

func newHarness(t testing.TB, opts ...hopt) *harness {
	t.Helper()
	logs := &logBuffer{}
	sk := testSecretKey
	cfg := Config{
		SessionAPIKeys: []string{testSessionKey},
		SecretKey:      &sk,
		Store:          store.NewMemory(),
		Logger:         slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := New(cfg)
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	h := &harness{
		t:      t,
		srv:    srv,
		ts:     ts,
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		st:     cfg.Store,
		logs:   logs,
	}
	if len(cfg.SessionAPIKeys) > 0 {
		h.key = cfg.SessionAPIKeys[0]
	}
	if cfg.SecretKey != nil {
		h.cipher = cipher.New(*cfg.SecretKey)
	}
	return h
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// raw sends a request with exactly the given headers (pairs).
func (h *harness) raw(method, path, body string, hdr ...string) response {
	h.t.Helper()
	var rd io.Reader = http.NoBody
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.ts.URL+path, rd)
	require.NoError(h.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Add(hdr[i], hdr[i+1])
	}
	resp, err := h.client.Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(h.t, err)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// do sends a request with the harness session key.
func (h *harness) do(method, path, body string, hdr ...string) response {
	h.t.Helper()
	if h.key != "" {
		hdr = append([]string{"X-Session-API-Key", h.key}, hdr...)
	}
	return h.raw(method, path, body, hdr...)
}

// ok sends a request and requires the status.
func (h *harness) ok(status int, method, path, body string, hdr ...string) map[string]any {
	h.t.Helper()
	r := h.do(method, path, body, hdr...)
	require.Equal(h.t, status, r.Status, "%s %s: %s", method, path, r.Body)
	return r.JSON(h.t)
}

// settings returns GET /api/settings in mode ("" = redacted).
func (h *harness) settings(mode string) map[string]any {
	h.t.Helper()
	if mode == "" {
		return h.ok(200, "GET", "/api/settings", "")
	}
	return h.ok(200, "GET", "/api/settings", "", "X-Expose-Secrets", mode)
}

// patch sends PATCH /api/settings and requires 200.
func (h *harness) patch(body string) map[string]any {
	h.t.Helper()
	return h.ok(200, "PATCH", "/api/settings", body)
}

// putFile writes a file straight into the store.
func (h *harness) putFile(name string, data string) {
	h.t.Helper()
	require.NoError(h.t, h.st.Locked(context.Background(), store.SettingsLock, func(tx store.Tx) error {
		return tx.Write(name, []byte(data))
	}))
}

// file reads a file straight from the store ("" when absent).
func (h *harness) file(name string) string {
	h.t.Helper()
	data, _, err := h.st.Read(context.Background(), name)
	if errors.Is(err, store.ErrNotExist) {
		return ""
	}
	require.NoError(h.t, err)
	return string(data)
}

// JSON decodes the body as a JSON object.
func (r response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &m), "body: %s", r.Body)
	return m
}

// requireDetail checks a {"detail": "<text>"} answer.
func (r response) requireDetail(t testing.TB, status int, detail string) {
	t.Helper()
	require.Equal(t, status, r.Status, "body: %s", r.Body)
	require.Equal(t, "application/json", r.Header.Get("Content-Type"))
	require.Equal(t, map[string]any{"detail": detail}, r.JSON(t))
}

// requireEnvelope checks a 5xx HTTPException envelope.
func (r response) requireEnvelope(t testing.TB, status int, detail string) {
	t.Helper()
	require.Equal(t, status, r.Status, "body: %s", r.Body)
	require.Equal(t, map[string]any{"detail": "Internal Server Error", "exception": fmt.Sprintf("%d: %s", status, detail)}, r.JSON(t))
}

// requireItems checks a 422 list answer and returns its items.
func (r response) requireItems(t testing.TB) []map[string]any {
	t.Helper()
	require.Equal(t, 422, r.Status, "body: %s", r.Body)
	var m struct {
		Detail []map[string]any `json:"detail"`
	}
	require.NoError(t, json.Unmarshal(r.Body, &m), "body: %s", r.Body)
	require.NotEmpty(t, m.Detail, "body: %s", r.Body)
	return m.Detail
}

// at walks a decoded JSON document.
func at(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// has reports whether the object at path has key k.
func has(v any, k string, path ...string) bool {
	m, ok := at(v, path...).(map[string]any)
	if !ok {
		return false
	}
	_, ok = m[k]
	return ok
}

// mustJSON marshals v.
func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// mustParse parses JSON into the jsonx model.
func mustParse(t testing.TB, s string) any {
	t.Helper()
	v, err := jsonx.Parse([]byte(s))
	require.NoError(t, err)
	return v
}

// mustDecode converts a jsonx value to plain Go values.
func mustDecode(t testing.TB, v any) any {
	t.Helper()
	b, err := jsonx.Marshal(v)
	require.NoError(t, err)
	var out any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}
