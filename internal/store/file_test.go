//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func mode(t *testing.T, p string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(p)
	require.NoError(t, err)
	return fi.Mode().Perm()
}

func dirNames(t *testing.T, d string) []string {
	t.Helper()
	ents, err := os.ReadDir(d)
	require.NoError(t, err)
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func TestFilePermissions(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	base := t.TempDir()
	dir := filepath.Join(base, "a", "b", "data")
	s, err := newFile(dir, nil)
	require.NoError(t, err)
	for _, d := range []string{filepath.Join(base, "a"), filepath.Join(base, "a", "b"), dir} {
		require.Equal(t, fs.FileMode(0o700), mode(t, d), d)
	}
	ctx := context.Background()

	// The data directory is chmod-ed back to 0700 on every write and lock.
	require.NoError(t, os.Chmod(dir, 0o755))
	write(t, s, SecretsFile, []byte("{}"))
	require.Equal(t, fs.FileMode(0o700), mode(t, dir))
	require.Equal(t, fs.FileMode(0o600), mode(t, filepath.Join(dir, SecretsFile)))
	require.Equal(t, fs.FileMode(0o600), mode(t, filepath.Join(dir, SettingsLock)))

	require.NoError(t, os.Chmod(dir, 0o755))
	require.NoError(t, s.Locked(ctx, SecretsLock, func(Tx) error { return nil }))
	require.Equal(t, fs.FileMode(0o700), mode(t, dir))
	require.Equal(t, fs.FileMode(0o600), mode(t, filepath.Join(dir, SecretsLock)))

	require.NoError(t, s.Locked(ctx, ProfilesLock, func(tx Tx) error { return tx.Write("profiles/p.json", []byte("{}")) }))
	require.Equal(t, fs.FileMode(0o700), mode(t, filepath.Join(dir, ProfilesDir)))
	require.Equal(t, fs.FileMode(0o600), mode(t, filepath.Join(dir, "profiles", "p.json")))
	require.Equal(t, fs.FileMode(0o600), mode(t, filepath.Join(dir, ProfilesLock)))

	// Lock files are never deleted and no temp file is left behind.
	require.Equal(t, []string{".secrets.lock", ".settings.lock", "profiles", "secrets.json"}, dirNames(t, dir))
	require.Equal(t, []string{".profiles.lock", "p.json"}, dirNames(t, filepath.Join(dir, "profiles")))
}

func TestFileRejectsNonDirectory(t *testing.T) {
	p := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(p, nil, 0o600))
	_, err := NewFile(p, nil)
	require.Error(t, err)
	_, err = NewFile("", nil)
	require.Error(t, err)
}

func TestFileTempFiles(t *testing.T) {
	pid := strconv.Itoa(os.Getpid())
	cases := []struct {
		name    string
		lock    string
		pattern string
	}{
		{SecretsFile, SecretsLock, `^secrets\.tmp\.` + pid + `\.[0-9a-f]{8}$`},
		{SettingsFile, SettingsLock, `^settings\.tmp\.` + pid + `\.[0-9a-f]{8}$`},
		{"profiles/fast.json", ProfilesLock, `^tmp[0-9a-f]{8}\.tmp$`},
	}
	steps := []string{"write", "sync", "rename"}
	for _, c := range cases {
		for _, failAt := range append([]string{""}, steps...) {
			t.Run(c.name+"/fail="+failAt, func(t *testing.T) {
				s, err := newFile(t.TempDir(), nil)
				require.NoError(t, err)
				ctx := context.Background()
				require.NoError(t, s.Locked(ctx, c.lock, func(tx Tx) error { return tx.Write(c.name, []byte("old")) }))
				injected := errors.New("injected")
				var seen []string
				s.hook = func(step, tmp string) error {
					seen = append(seen, step)
					require.Regexp(t, regexp.MustCompile(c.pattern), filepath.Base(tmp))
					require.Equal(t, filepath.Dir(filepath.Join(s.dir, c.name)), filepath.Dir(tmp), "temp beside the target")
					require.Equal(t, fs.FileMode(0o600), mode(t, tmp), "temp never readable by others")
					if step == failAt {
						return injected
					}
					return nil
				}
				err = s.Locked(ctx, c.lock, func(tx Tx) error { return tx.Write(c.name, []byte("new")) })
				b, _, rerr := s.Read(ctx, c.name)
				require.NoError(t, rerr)
				if failAt == "" {
					require.NoError(t, err)
					require.Equal(t, steps, seen)
					require.Equal(t, "new", string(b))
				} else {
					require.ErrorIs(t, err, injected)
					require.Equal(t, "old", string(b), "a failed write leaves the old content")
				}
				d := filepath.Dir(filepath.Join(s.dir, c.name))
				for _, n := range dirNames(t, d) {
					require.NotRegexp(t, `tmp`, n, "temp file left behind")
				}
			})
		}
	}
}

func TestFileTwoInstancesNoLostUpdate(t *testing.T) {
	dir := t.TempDir()
	a, err := NewFile(dir, nil)
	require.NoError(t, err)
	b, err := NewFile(dir, nil)
	require.NoError(t, err)
	counterIncrements(t, []Store{a, b}, 8, 50, "counter.json")
}

func TestFileSeesOtherInstanceWrites(t *testing.T) {
	dir := t.TempDir()
	a, err := NewFile(dir, nil)
	require.NoError(t, err)
	b, err := NewFile(dir, nil)
	require.NoError(t, err)
	ctx := context.Background()
	write(t, a, SecretsFile, []byte("aaaa"))
	va, err := b.Stat(ctx, SecretsFile)
	require.NoError(t, err)
	write(t, b, SecretsFile, []byte("bbbb")) // same size
	vb, err := a.Stat(ctx, SecretsFile)
	require.NoError(t, err)
	require.NotEqual(t, va, vb)
	data, v, err := a.Read(ctx, SecretsFile)
	require.NoError(t, err)
	require.Equal(t, "bbbb", string(data))
	require.Equal(t, vb, v)
}

func TestFileFlockExcludesOtherInstance(t *testing.T) {
	dir := t.TempDir()
	a, err := newFile(dir, nil)
	require.NoError(t, err)
	b, err := newFile(dir, nil)
	require.NoError(t, err)
	b.busyTimeout = 50 * time.Millisecond
	held := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- a.Locked(context.Background(), ProfilesLock, func(Tx) error { close(held); <-release; return nil })
	}()
	<-held
	err = b.Locked(context.Background(), ProfilesLock, func(Tx) error { return nil })
	require.ErrorIs(t, err, ErrBusy)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	b.busyTimeout = 0
	err = b.Locked(ctx, ProfilesLock, func(Tx) error { return nil })
	require.ErrorIs(t, err, context.DeadlineExceeded)
	close(release)
	require.NoError(t, <-done)
	require.NoError(t, b.Locked(context.Background(), ProfilesLock, func(Tx) error { return nil }))
}

func TestFileReadErrors(t *testing.T) {
	dir := t.TempDir()
	s, err := NewFile(dir, nil)
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "adir"), 0o700))
	_, _, err = s.Read(ctx, "adir")
	require.Error(t, err)
	require.NotErrorIs(t, err, ErrNotExist)
	if os.Geteuid() != 0 {
		p := filepath.Join(dir, SecretsFile)
		require.NoError(t, os.WriteFile(p, []byte("{}"), 0o000))
		_, _, err = s.Read(ctx, SecretsFile)
		require.Error(t, err)
		require.NotErrorIs(t, err, ErrNotExist)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, _, err = s.Read(cctx, SecretsFile)
	require.ErrorIs(t, err, context.Canceled)
}

// TestFileCrossProcess runs real child processes incrementing the same
// counter through the file store as this process does.
func TestFileCrossProcess(t *testing.T) {
	if dir := os.Getenv("STORE_TEST_CHILD_DIR"); dir != "" {
		s, err := NewFile(dir, nil)
		require.NoError(t, err)
		for i := 0; i < 50; i++ {
			require.NoError(t, incr(s, "xproc.json"))
		}
		return
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	const children = 2
	cmds := make([]*exec.Cmd, children)
	for i := range cmds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFileCrossProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), "STORE_TEST_CHILD_DIR="+dir)
		require.NoError(t, cmd.Start())
		cmds[i] = cmd
	}
	s, err := NewFile(dir, nil)
	require.NoError(t, err)
	ctx := context.Background()
	for i := 0; i < 50; i++ {
		require.NoError(t, incr(s, "xproc.json"))
	}
	for _, c := range cmds {
		require.NoError(t, c.Wait())
	}
	b, _, err := s.Read(ctx, "xproc.json")
	require.NoError(t, err)
	require.Equal(t, fmt.Sprint(50+children*50), string(b))
}

func incr(s Store, name string) error {
	return s.Locked(context.Background(), SettingsLock, func(tx Tx) error {
		n := 0
		b, err := tx.Read(name)
		switch {
		case err == nil:
			if n, err = strconv.Atoi(string(b)); err != nil {
				return err
			}
		case !errors.Is(err, ErrNotExist):
			return err
		}
		return tx.Write(name, []byte(strconv.Itoa(n+1)))
	})
}
