package main

import (
	"log/slog"

	"github.com/openhands-go/sdk/internal/store"
)

// openFileStore opens the on-disk store in the upstream layout.
func openFileStore(dir string, log *slog.Logger) (store.Store, error) {
	return store.NewFile(dir, log)
}
