// Package store is where the reference server keeps its files: a small
// interface over named blobs with per-lock transactions, implemented in memory
// and on disk (same layout, locks and atomic writes as upstream).
package store

import (
	"context"
	"errors"
	"time"
)

// ErrNotExist is returned when a file is absent.
var ErrNotExist = errors.New("store: file does not exist")

// ErrBusy is returned by Locked when the lock could not be acquired within
// the lock's timeout (ProfilesLockTimeout for ProfilesLock); the server
// answers 503 "Profile store is busy. Please retry.".
var ErrBusy = errors.New("store: lock is busy")

// ErrInvalidName is returned for a file, directory or lock name that is not a
// clean relative slash-separated path inside the data directory.
var ErrInvalidName = errors.New("store: invalid name")

// ErrTxDone is returned by a Tx used after its Locked call returned.
var ErrTxDone = errors.New("store: transaction already finished")

// ProfilesLockTimeout is how long Locked waits for ProfilesLock before it
// gives up with ErrBusy (upstream's filelock timeout). Other locks wait until
// the context is done.
const ProfilesLockTimeout = 30 * time.Second

// Lock names, as upstream names its lock files.
const (
	SettingsLock = ".settings.lock"
	SecretsLock  = ".secrets.lock"
	ProfilesLock = "profiles/.profiles.lock"
)

// File names.
const (
	SettingsFile = "settings.json"
	SecretsFile  = "secrets.json"
	ProfilesDir  = "profiles"
)

// Version identifies the content of a file: two reads that return equal
// versions returned equal bytes. The zero Version means "absent".
type Version struct {
	A, B, C, D int64
}

// Store keeps files named by slash-separated paths relative to the data
// directory ("settings.json", "secrets.json", "profiles/fast.json").
// Implementations are safe for concurrent use.
type Store interface {
	// Read returns a file's content without taking any lock (writers replace
	// files atomically, so a read never sees a half-written file).
	// ErrNotExist when absent.
	Read(ctx context.Context, name string) ([]byte, Version, error)
	// Stat returns the current Version of a file cheaply (zero when absent),
	// so callers can keep caches keyed by it.
	Stat(ctx context.Context, name string) (Version, error)
	// Locked runs fn while holding the named lock exclusively: serialised
	// within the process and, for the file store, across processes with
	// flock on the lock file. Writes made through tx are durable when
	// Locked returns nil; they are applied as they are made, so an error
	// returned by fn does not undo earlier writes. Waiting for the lock
	// respects ctx (its error is returned); ProfilesLock gives up with
	// ErrBusy after ProfilesLockTimeout.
	Locked(ctx context.Context, lock string, fn func(tx Tx) error) error
	// Close releases resources.
	Close() error
}

// Tx is the view of the store inside Locked.
type Tx interface {
	// Read returns a file's content; ErrNotExist when absent.
	Read(name string) ([]byte, error)
	// Write replaces a file atomically (temp file 0600 → write → fsync →
	// rename → fsync dir for the file store), creating missing directories
	// (0700). data is not retained after Write returns.
	Write(name string, data []byte) error
	// Remove deletes a file; ErrNotExist when absent.
	Remove(name string) error
	// List returns the names of the regular files directly inside dir
	// (base names, sorted); an absent dir gives an empty list.
	List(dir string) ([]string, error)
}
