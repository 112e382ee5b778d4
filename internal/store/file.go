//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// File is the on-disk Store (persistence.md §1–§4, stricter where noted):
//   - the data directory and every missing parent are created 0700, and the
//     directory holding a file is chmod-ed 0700 on every write and lock;
//   - every write goes to a same-directory temp file created
//     O_WRONLY|O_CREAT|O_EXCL 0600, is fsync-ed, renamed over the target,
//     and the directory is fsync-ed (upstream does no fsync);
//   - locks are an in-process lock plus flock(LOCK_EX) on the lock file
//     (created 0600, never deleted), so other processes using the same
//     directory (the upstream Python server included) are excluded;
//   - a written file's mtime is set to a unique nanosecond stamp so that its
//     Version differs from every earlier one even when the file system's
//     clock is coarse and an inode number is reused.
type File struct {
	dir   string
	log   *slog.Logger
	locks lockSet
	stamp atomic.Int64

	// busyTimeout is how long ProfilesLock is waited for (tests shorten it).
	busyTimeout time.Duration
	// hook, when set (tests only), is called at each step of an atomic
	// write with the step name and the temp path; an error aborts the write.
	hook func(step, tmp string) error
}

// NewFile returns a Store keeping its files under dir, which is created
// (mode 0700, missing parents too) if needed. log may be nil.
func NewFile(dir string, log *slog.Logger) (Store, error) { return newFile(dir, log) }

func newFile(dir string, log *slog.Logger) (*File, error) {
	if dir == "" {
		return nil, errors.New("store: empty data directory")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("store: data directory: %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f := &File{dir: abs, log: log, busyTimeout: ProfilesLockTimeout}
	if err := f.ensureDir(abs); err != nil {
		return nil, err
	}
	return f, nil
}

// Dir returns the absolute data directory.
func (f *File) Dir() string { return f.dir }

func (f *File) path(name string) string { return filepath.Join(f.dir, filepath.FromSlash(name)) }

// ensureDir creates d (and missing parents) with mode 0700 and chmods the
// data directory and d to 0700; a failing chmod only logs a warning.
func (f *File) ensureDir(d string) error {
	if err := mkdirAll0700(d); err != nil {
		return fmt.Errorf("store: create directory: %w", err)
	}
	dirs := []string{f.dir}
	if d != f.dir {
		dirs = append(dirs, d)
	}
	for _, x := range dirs {
		if err := os.Chmod(x, 0o700); err != nil {
			f.log.Warn("store: cannot set directory permissions to 0700", "dir", x, "error", err)
		}
	}
	return nil
}

// mkdirAll0700 is os.MkdirAll where every created directory gets mode 0700
// (explicitly chmod-ed, so the umask cannot widen or narrow it).
func mkdirAll0700(d string) error {
	fi, err := os.Stat(d)
	if err == nil {
		if !fi.IsDir() {
			return &fs.PathError{Op: "mkdir", Path: d, Err: syscall.ENOTDIR}
		}
		return nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if parent := filepath.Dir(d); parent != d {
		if err := mkdirAll0700(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(d, 0o700); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil
		}
		return err
	}
	return os.Chmod(d, 0o700)
}

// Read returns a file's content and the version of exactly those bytes.
func (f *File) Read(ctx context.Context, name string) ([]byte, Version, error) {
	if err := checkName(name); err != nil {
		return nil, Version{}, err
	}
	if err := ctx.Err(); err != nil {
		return nil, Version{}, err
	}
	fh, err := os.Open(f.path(name))
	if err != nil {
		return nil, Version{}, mapNotExist(err)
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return nil, Version{}, fmt.Errorf("store: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, Version{}, fmt.Errorf("store: %s is not a regular file", name)
	}
	data, err := readAll(fh, fi.Size())
	if err != nil {
		return nil, Version{}, fmt.Errorf("store: read %s: %w", name, err)
	}
	return data, versionOf(fi), nil
}

func readAll(r io.Reader, size int64) ([]byte, error) {
	buf := make([]byte, 0, size+512)
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

// Stat returns a file's current version (zero when absent).
func (f *File) Stat(ctx context.Context, name string) (Version, error) {
	if err := checkName(name); err != nil {
		return Version{}, err
	}
	if err := ctx.Err(); err != nil {
		return Version{}, err
	}
	fi, err := os.Stat(f.path(name))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Version{}, nil
		}
		return Version{}, fmt.Errorf("store: %w", err)
	}
	return versionOf(fi), nil
}

// versionOf derives a Version from inode, size, mtime and ctime.
func versionOf(fi fs.FileInfo) Version {
	v := Version{B: fi.Size(), C: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		v.A = int64(st.Ino)
		v.D = ctimeNanos(st)
	}
	if v == (Version{}) {
		v.A = 1 // never the "absent" version
	}
	return v
}

func mapNotExist(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return ErrNotExist
	}
	return fmt.Errorf("store: %w", err)
}

// Locked runs fn holding the in-process lock and flock on the lock file.
func (f *File) Locked(ctx context.Context, lock string, fn func(tx Tx) error) error {
	if err := checkName(lock); err != nil {
		return err
	}
	var timeout time.Duration
	if lock == ProfilesLock {
		timeout = f.busyTimeout
	}
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	release, err := f.locks.acquire(ctx, lock, timeout)
	if err != nil {
		return err
	}
	defer release()

	lockPath := f.path(lock)
	if err := f.ensureDir(filepath.Dir(lockPath)); err != nil {
		return err
	}
	lf, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store: open lock file: %w", err)
	}
	defer lf.Close()
	if err := flockWait(ctx, int(lf.Fd()), deadline, lock); err != nil {
		return err
	}
	defer func() { _ = syscall.Flock(int(lf.Fd()), syscall.LOCK_UN) }()

	tx := &fileTx{f: f}
	defer tx.done.Store(true)
	return fn(tx)
}

// flockWait takes an exclusive flock, polling so that ctx and the deadline
// are honoured.
func flockWait(ctx context.Context, fd int, deadline time.Time, name string) error {
	sleep := 100 * time.Microsecond
	for {
		err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return nil
		}
		if err != syscall.EWOULDBLOCK && err != syscall.EINTR {
			return fmt.Errorf("store: flock %s: %w", name, err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !deadline.IsZero() && time.Now().After(deadline) {
			return fmt.Errorf("%w: %s", ErrBusy, name)
		}
		t := time.NewTimer(sleep)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		if sleep < 10*time.Millisecond {
			sleep *= 2
		}
	}
}

// Close releases nothing: the file store keeps no descriptors open between
// calls. It exists to satisfy Store.
func (f *File) Close() error { return nil }

type fileTx struct {
	f    *File
	done atomic.Bool
}

func (t *fileTx) check(name string) error {
	if t.done.Load() {
		return ErrTxDone
	}
	return checkName(name)
}

func (t *fileTx) Read(name string) ([]byte, error) {
	if err := t.check(name); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(t.f.path(name))
	if err != nil {
		return nil, mapNotExist(err)
	}
	return data, nil
}

func (t *fileTx) Write(name string, data []byte) error {
	if err := t.check(name); err != nil {
		return err
	}
	return t.f.atomicWrite(name, data)
}

func (t *fileTx) Remove(name string) error {
	if err := t.check(name); err != nil {
		return err
	}
	p := t.f.path(name)
	if err := os.Remove(p); err != nil {
		return mapNotExist(err)
	}
	if err := syncDir(filepath.Dir(p)); err != nil {
		return fmt.Errorf("store: sync directory after removing %s: %w", name, err)
	}
	return nil
}

func (t *fileTx) List(dir string) ([]string, error) {
	if t.done.Load() {
		return nil, ErrTxDone
	}
	dir, err := checkDir(dir)
	if err != nil {
		return nil, err
	}
	p := t.f.dir
	if dir != "" {
		p = t.f.path(dir)
	}
	ents, err := os.ReadDir(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return []string{}, nil
		}
		return nil, fmt.Errorf("store: list %s: %w", dir, err)
	}
	names := make([]string, 0, len(ents))
	for _, e := range ents {
		if isLockFileName(e.Name()) {
			continue
		}
		typ := e.Type()
		if typ&fs.ModeType == 0 && typ.IsRegular() {
			names = append(names, e.Name())
		}
	}
	return names, nil // os.ReadDir sorts by name
}

// tempName returns the temp file name for a write of name (persistence.md
// §2–§3): "<stem>.tmp.<pid>.<8 hex>" beside the target, or
// "tmp<8 hex>.tmp" inside profiles/.
func tempName(name string) (string, error) {
	var rnd [4]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return "", err
	}
	hx := hex.EncodeToString(rnd[:])
	dir, base := path.Split(name)
	if strings.HasPrefix(name, ProfilesDir+"/") {
		return dir + "tmp" + hx + ".tmp", nil
	}
	stem := strings.TrimSuffix(base, path.Ext(base))
	if stem == "" {
		stem = base
	}
	return dir + stem + ".tmp." + strconv.Itoa(os.Getpid()) + "." + hx, nil
}

// nextStamp returns a nanosecond time stamp strictly greater than every one
// this store handed out before.
func (f *File) nextStamp() int64 {
	now := time.Now().UnixNano()
	for {
		last := f.stamp.Load()
		s := now
		if s <= last {
			s = last + 1
		}
		if f.stamp.CompareAndSwap(last, s) {
			return s
		}
	}
}

func (f *File) step(step, tmp string) error {
	if f.hook != nil {
		return f.hook(step, tmp)
	}
	return nil
}

// atomicWrite replaces name with data: temp file (0600, O_EXCL) → write →
// unique mtime → fsync → rename → fsync directory. The temp file is removed
// on any error before the rename.
func (f *File) atomicWrite(name string, data []byte) (err error) {
	target := f.path(name)
	dir := filepath.Dir(target)
	if err := f.ensureDir(dir); err != nil {
		return err
	}
	var fh *os.File
	var tmp string
	for attempt := 0; ; attempt++ {
		tn, err := tempName(name)
		if err != nil {
			return fmt.Errorf("store: temp name: %w", err)
		}
		tmp = f.path(tn)
		fh, err = os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) || attempt >= 10 {
			return fmt.Errorf("store: create temp file for %s: %w", name, err)
		}
	}
	renamed := false
	defer func() {
		if fh != nil {
			_ = fh.Close()
		}
		if !renamed {
			_ = os.Remove(tmp)
		}
	}()
	if err := f.step("write", tmp); err != nil {
		return fmt.Errorf("store: write %s: %w", name, err)
	}
	if _, err := fh.Write(data); err != nil {
		return fmt.Errorf("store: write %s: %w", name, err)
	}
	ts := time.Unix(0, f.nextStamp())
	if err := os.Chtimes(tmp, ts, ts); err != nil {
		return fmt.Errorf("store: stamp %s: %w", name, err)
	}
	if err := f.step("sync", tmp); err != nil {
		return fmt.Errorf("store: sync %s: %w", name, err)
	}
	if err := fh.Sync(); err != nil {
		return fmt.Errorf("store: sync %s: %w", name, err)
	}
	cerr := fh.Close()
	fh = nil
	if cerr != nil {
		return fmt.Errorf("store: close %s: %w", name, cerr)
	}
	if err := f.step("rename", tmp); err != nil {
		return fmt.Errorf("store: rename %s: %w", name, err)
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("store: rename %s: %w", name, err)
	}
	renamed = true
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("store: sync directory of %s: %w", name, err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	serr := d.Sync()
	cerr := d.Close()
	if serr != nil {
		return serr
	}
	return cerr
}
