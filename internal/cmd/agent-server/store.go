package main

import (
	"log/slog"

	"github.com/openhands-go/sdk/internal/store"
)

// openFileStore opens the on-disk store. Until the file store lands the
// standalone server keeps its data in memory and says so.
func openFileStore(dir string, log *slog.Logger) (store.Store, error) {
	log.Warn("file store not available yet: data is kept in memory", "data_dir", dir)
	return store.NewMemory(), nil
}
