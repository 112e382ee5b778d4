package store

import (
	"context"
	"fmt"
	"path"
	"strings"
	"sync"
	"time"
)

// lockSet is a set of in-process exclusive locks keyed by name whose
// acquisition can be abandoned (context, timeout). Locks are created on first
// use and kept for the life of the store (there are only a handful of names).
type lockSet struct {
	mu    sync.Mutex
	locks map[string]chan struct{}
}

func (l *lockSet) get(name string) chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.locks == nil {
		l.locks = map[string]chan struct{}{}
	}
	ch, ok := l.locks[name]
	if !ok {
		ch = make(chan struct{}, 1)
		l.locks[name] = ch
	}
	return ch
}

// acquire takes the named lock, waiting until ctx is done or, when timeout is
// positive, until the timeout elapses (ErrBusy). It returns the release func.
func (l *lockSet) acquire(ctx context.Context, name string, timeout time.Duration) (func(), error) {
	ch := l.get(name)
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	default:
	}
	var expire <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expire = t.C
	}
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-expire:
		return nil, fmt.Errorf("%w: %s", ErrBusy, name)
	}
}

// checkName validates a file or lock name: a clean, relative,
// slash-separated path that stays inside the data directory.
func checkName(name string) error {
	if name == "" || name == "." || strings.HasPrefix(name, "/") ||
		strings.ContainsAny(name, "\\\x00") || path.Clean(name) != name ||
		name == ".." || strings.HasPrefix(name, "../") {
		return fmt.Errorf("%w: %q", ErrInvalidName, name)
	}
	return nil
}

// checkDir validates a directory name for List: "" or "." is the data
// directory itself, anything else must be a valid name.
func checkDir(dir string) (string, error) {
	if dir == "" || dir == "." {
		return "", nil
	}
	if err := checkName(dir); err != nil {
		return "", err
	}
	return dir, nil
}

// isLockFileName reports whether a base name follows the lock-file
// convention (".<something>.lock"); such files are not listed.
func isLockFileName(base string) bool {
	return strings.HasPrefix(base, ".") && strings.HasSuffix(base, ".lock")
}
