package secretstore

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/jsonx"
	"github.com/openhands-go/sdk/internal/store"
	"github.com/stretchr/testify/require"
)

// logBuf collects log output for assertions (safe for concurrent use).
type logBuf struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuf) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func countLines(s, sub string) int {
	n := 0
	for _, line := range bytes.Split([]byte(s), []byte("\n")) {
		if bytes.Contains(line, []byte(sub)) {
			n++
		}
	}
	return n
}

// hookStore wraps a store to count writes, inject failures and hold a
// transaction open.
type hookStore struct {
	store.Store
	mu        sync.Mutex
	writes    int
	failWrite error
	statErr   error
	// gate, when set, is waited on inside Locked before fn runs; entered
	// is signalled when a Locked call is waiting there.
	gate    chan struct{}
	entered chan struct{}
	// afterWrite, when set, is signalled after a successful Write, which
	// then waits for resume.
	afterWrite chan struct{}
	resume     chan struct{}
}

func (h *hookStore) Stat(ctx context.Context, name string) (store.Version, error) {
	h.mu.Lock()
	err := h.statErr
	h.mu.Unlock()
	if err != nil {
		return store.Version{}, err
	}
	return h.Store.Stat(ctx, name)
}

func (h *hookStore) Locked(ctx context.Context, lock string, fn func(tx store.Tx) error) error {
	return h.Store.Locked(ctx, lock, func(tx store.Tx) error {
		h.mu.Lock()
		gate, entered := h.gate, h.entered
		h.mu.Unlock()
		if gate != nil {
			if entered != nil {
				entered <- struct{}{}
			}
			<-gate
		}
		return fn(&hookTx{Tx: tx, h: h})
	})
}

func (h *hookStore) writeCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.writes
}

type hookTx struct {
	store.Tx
	h *hookStore
}

func (t *hookTx) Write(name string, data []byte) error {
	t.h.mu.Lock()
	err := t.h.failWrite
	if err == nil {
		t.h.writes++
	}
	t.h.mu.Unlock()
	if err != nil {
		return err
	}
	if err := t.Tx.Write(name, data); err != nil {
		return err
	}
	if t.h.afterWrite != nil {
		t.h.afterWrite <- struct{}{}
		<-t.h.resume
	}
	return nil
}

func newFileStore(t testing.TB, dir string) store.Store {
	t.Helper()
	st, err := store.NewFile(dir, nil)
	require.NoError(t, err)
	return st
}

// writeRaw replaces secrets.json with raw bytes.
func writeRaw(t testing.TB, st store.Store, data []byte) {
	t.Helper()
	require.NoError(t, st.Locked(context.Background(), store.SecretsLock, func(tx store.Tx) error {
		return tx.Write(store.SecretsFile, data)
	}))
}

func readRaw(t testing.TB, st store.Store) []byte {
	t.Helper()
	b, _, err := st.Read(context.Background(), store.SecretsFile)
	require.NoError(t, err)
	return b
}

// fileDoc parses secrets.json as written.
func fileDoc(t testing.TB, st store.Store) *jsonx.Object {
	t.Helper()
	o, err := jsonx.ParseObject(readRaw(t, st))
	require.NoError(t, err)
	return o
}

// storedSecret returns the raw "secret" member of an entry in the file.
func storedSecret(t testing.TB, st store.Store, name string) any {
	t.Helper()
	e := fileDoc(t, st).Object("custom_secrets").Object(name)
	require.NotNil(t, e, "entry %s missing from file", name)
	v, ok := e.Get("secret")
	require.True(t, ok)
	return v
}

func names(items []Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Name
	}
	return out
}

func sp(s string) *string { return &s }

var keyA, keyB = cipher.New("key-A"), cipher.New("key-B")
