//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package store

import (
	"errors"
	"log/slog"
)

// NewFile is not available on this platform (no flock): use NewMemory.
func NewFile(dir string, log *slog.Logger) (Store, error) {
	return nil, errors.New("store: the file store needs flock, unavailable on this platform")
}
