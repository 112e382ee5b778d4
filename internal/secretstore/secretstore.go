// Package secretstore keeps the custom secrets (secrets.json, persistence.md
// §5.2) on top of a store.Store: values encrypted at rest, decrypted only
// when one value is asked for, concurrent writes batched into one durable
// write.
package secretstore

import (
	"context"
	"errors"
	"log/slog"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/store"
)

var (
	// ErrNotFound: no such secret, its value is null/undecryptable, or the
	// file is missing or unloadable (one generic case, server-api.md §5.4).
	ErrNotFound = errors.New("Secret not found")
	// ErrCorrupt: secrets.json exists but cannot be loaded (writes refuse).
	ErrCorrupt = errors.New("Secrets file is corrupted or encrypted with a different key")
)

// Item is one listed secret: never a value.
type Item struct {
	Name        string
	Description *string
}

// Secrets is the custom-secrets repository. Safe for concurrent use.
type Secrets struct {
	st  store.Store
	c   *cipher.Cipher
	log *slog.Logger
}

// New returns the repository; c may be nil (no key: plaintext at rest).
func New(st store.Store, c *cipher.Cipher, log *slog.Logger) *Secrets {
	return &Secrets{st: st, c: c, log: log}
}

var errTODO = errors.New("secretstore: not implemented yet")

// List returns names and descriptions in file order; a missing or unloadable
// file gives an empty list and no error.
func (s *Secrets) List(ctx context.Context) ([]Item, error) { return nil, errTODO }

// Get returns one plaintext value, or ErrNotFound. Other errors are I/O.
func (s *Secrets) Get(ctx context.Context, name string) (string, error) { return "", errTODO }

// Put creates or replaces a secret (value and description). Blank values and
// the redaction marker are stored as null. ErrCorrupt when the file exists
// but cannot be loaded; other errors are I/O ("Failed to save secret").
func (s *Secrets) Put(ctx context.Context, name, value string, description *string) error {
	return errTODO
}

// Delete removes a secret: ErrNotFound when absent, ErrCorrupt when the file
// cannot be loaded.
func (s *Secrets) Delete(ctx context.Context, name string) error { return errTODO }
