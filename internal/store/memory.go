package store

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"
)

// Memory is an in-memory Store for tests and for servers without a data
// directory. Versions come from one store-wide counter, so every write (and
// every re-creation after a removal) yields a version never seen before.
type Memory struct {
	mu    sync.RWMutex
	files map[string]memFile
	seq   int64
	locks lockSet

	// busyTimeout is how long ProfilesLock is waited for (tests shorten it).
	busyTimeout time.Duration
}

type memFile struct {
	data []byte
	ver  Version
}

// NewMemory returns an empty in-memory store.
func NewMemory() Store { return newMemory() }

func newMemory() *Memory {
	return &Memory{files: map[string]memFile{}, busyTimeout: ProfilesLockTimeout}
}

// Read returns a copy of a file's content and its version.
func (m *Memory) Read(ctx context.Context, name string) ([]byte, Version, error) {
	if err := checkName(name); err != nil {
		return nil, Version{}, err
	}
	if err := ctx.Err(); err != nil {
		return nil, Version{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	f, ok := m.files[name]
	if !ok {
		return nil, Version{}, ErrNotExist
	}
	return clone(f.data), f.ver, nil
}

// Stat returns the current version of a file (zero when absent).
func (m *Memory) Stat(ctx context.Context, name string) (Version, error) {
	if err := checkName(name); err != nil {
		return Version{}, err
	}
	if err := ctx.Err(); err != nil {
		return Version{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.files[name].ver, nil
}

// Locked runs fn holding the named lock (in-process only).
func (m *Memory) Locked(ctx context.Context, lock string, fn func(tx Tx) error) error {
	if err := checkName(lock); err != nil {
		return err
	}
	var timeout time.Duration
	if lock == ProfilesLock {
		timeout = m.busyTimeout
	}
	release, err := m.locks.acquire(ctx, lock, timeout)
	if err != nil {
		return err
	}
	defer release()
	tx := &memTx{m: m}
	defer tx.finish()
	return fn(tx)
}

// Close does nothing.
func (m *Memory) Close() error { return nil }

type memTx struct {
	m    *Memory
	mu   sync.Mutex
	done bool
}

func (t *memTx) finish() {
	t.mu.Lock()
	t.done = true
	t.mu.Unlock()
}

func (t *memTx) check(name string) error {
	t.mu.Lock()
	done := t.done
	t.mu.Unlock()
	if done {
		return ErrTxDone
	}
	return checkName(name)
}

func (t *memTx) Read(name string) ([]byte, error) {
	if err := t.check(name); err != nil {
		return nil, err
	}
	t.m.mu.RLock()
	defer t.m.mu.RUnlock()
	f, ok := t.m.files[name]
	if !ok {
		return nil, ErrNotExist
	}
	return clone(f.data), nil
}

func (t *memTx) Write(name string, data []byte) error {
	if err := t.check(name); err != nil {
		return err
	}
	t.m.mu.Lock()
	defer t.m.mu.Unlock()
	t.m.seq++
	t.m.files[name] = memFile{data: clone(data), ver: Version{A: t.m.seq}}
	return nil
}

func (t *memTx) Remove(name string) error {
	if err := t.check(name); err != nil {
		return err
	}
	t.m.mu.Lock()
	defer t.m.mu.Unlock()
	if _, ok := t.m.files[name]; !ok {
		return ErrNotExist
	}
	delete(t.m.files, name)
	return nil
}

func (t *memTx) List(dir string) ([]string, error) {
	t.mu.Lock()
	done := t.done
	t.mu.Unlock()
	if done {
		return nil, ErrTxDone
	}
	dir, err := checkDir(dir)
	if err != nil {
		return nil, err
	}
	prefix := ""
	if dir != "" {
		prefix = dir + "/"
	}
	t.m.mu.RLock()
	defer t.m.mu.RUnlock()
	names := []string{}
	for k := range t.m.files {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		base := k[len(prefix):]
		if strings.Contains(base, "/") || isLockFileName(base) {
			continue
		}
		names = append(names, base)
	}
	sort.Strings(names)
	return names, nil
}

// clone copies b, never returning nil.
func clone(b []byte) []byte {
	c := make([]byte, len(b))
	copy(c, b)
	return c
}
