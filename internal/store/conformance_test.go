package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// impl builds a fresh store of one implementation for the conformance suite.
type impl struct {
	name string
	new  func(t *testing.T) Store
	// setBusy shortens the ProfilesLock timeout.
	setBusy func(s Store, d time.Duration)
}

func impls() []impl {
	return []impl{
		{
			name:    "memory",
			new:     func(t *testing.T) Store { return NewMemory() },
			setBusy: func(s Store, d time.Duration) { s.(*Memory).busyTimeout = d },
		},
		{
			name: "file",
			new: func(t *testing.T) Store {
				s, err := NewFile(t.TempDir(), nil)
				require.NoError(t, err)
				return s
			},
			setBusy: func(s Store, d time.Duration) { s.(*File).busyTimeout = d },
		},
	}
}

func write(t *testing.T, s Store, name string, data []byte) {
	t.Helper()
	require.NoError(t, s.Locked(context.Background(), SettingsLock, func(tx Tx) error { return tx.Write(name, data) }))
}

// step is one row of the operation table.
type step struct {
	op      string // write, read, tread, remove, list, stat
	name    string
	data    string
	want    string   // content for read/tread
	wantL   []string // for list
	wantErr error
}

func TestConformanceOperationTable(t *testing.T) {
	steps := []step{
		{op: "read", name: "settings.json", wantErr: ErrNotExist},
		{op: "tread", name: "settings.json", wantErr: ErrNotExist},
		{op: "stat", name: "settings.json", want: "absent"},
		{op: "remove", name: "settings.json", wantErr: ErrNotExist},
		{op: "write", name: "settings.json", data: `{"a":1}`},
		{op: "stat", name: "settings.json", want: "present"},
		{op: "read", name: "settings.json", want: `{"a":1}`},
		{op: "tread", name: "settings.json", want: `{"a":1}`},
		{op: "write", name: "settings.json", data: ``},
		{op: "read", name: "settings.json", want: ``},
		{op: "write", name: "profiles/b.json", data: "b"},
		{op: "write", name: "profiles/a.json", data: "a"},
		{op: "write", name: "profiles/notes.txt", data: "n"},
		{op: "write", name: "profiles/sub/deep.json", data: "d"},
		{op: "list", name: "profiles", wantL: []string{"a.json", "b.json", "notes.txt"}},
		{op: "list", name: "profiles/sub", wantL: []string{"deep.json"}},
		{op: "list", name: "absent", wantL: []string{}},
		{op: "list", name: "", wantL: []string{"settings.json"}},
		{op: "remove", name: "profiles/a.json"},
		{op: "read", name: "profiles/a.json", wantErr: ErrNotExist},
		{op: "list", name: "profiles", wantL: []string{"b.json", "notes.txt"}},
		{op: "stat", name: "profiles/a.json", want: "absent"},
		{op: "read", name: "../escape", wantErr: ErrInvalidName},
		{op: "write", name: "/abs", data: "x", wantErr: ErrInvalidName},
		{op: "write", name: "a//b", data: "x", wantErr: ErrInvalidName},
		{op: "write", name: "a/../b", data: "x", wantErr: ErrInvalidName},
		{op: "write", name: `a\b`, data: "x", wantErr: ErrInvalidName},
		{op: "write", name: "a\x00b", data: "x", wantErr: ErrInvalidName},
		{op: "write", name: "", data: "x", wantErr: ErrInvalidName},
		{op: "stat", name: ".", wantErr: ErrInvalidName},
		{op: "list", name: "../x", wantErr: ErrInvalidName},
		{op: "remove", name: "..", wantErr: ErrInvalidName},
	}
	for _, im := range impls() {
		t.Run(im.name, func(t *testing.T) {
			s := im.new(t)
			defer s.Close()
			ctx := context.Background()
			for i, st := range steps {
				msg := fmt.Sprintf("step %d: %s %q", i, st.op, st.name)
				var err error
				switch st.op {
				case "write":
					err = s.Locked(ctx, SettingsLock, func(tx Tx) error { return tx.Write(st.name, []byte(st.data)) })
				case "remove":
					err = s.Locked(ctx, SettingsLock, func(tx Tx) error { return tx.Remove(st.name) })
				case "read":
					var b []byte
					var v Version
					b, v, err = s.Read(ctx, st.name)
					if err == nil {
						require.Equal(t, st.want, string(b), msg)
						require.NotEqual(t, Version{}, v, msg)
					}
				case "tread":
					err = s.Locked(ctx, SettingsLock, func(tx Tx) error {
						b, err := tx.Read(st.name)
						if err == nil {
							require.Equal(t, st.want, string(b), msg)
						}
						return err
					})
				case "list":
					err = s.Locked(ctx, ProfilesLock, func(tx Tx) error {
						l, err := tx.List(st.name)
						if err == nil {
							require.NotNil(t, l, msg)
							require.Equal(t, st.wantL, l, msg)
						}
						return err
					})
				case "stat":
					var v Version
					v, err = s.Stat(ctx, st.name)
					if err == nil {
						require.Equal(t, st.want == "absent", v == Version{}, msg)
					}
				default:
					t.Fatalf("bad op %s", st.op)
				}
				if st.wantErr != nil {
					require.ErrorIs(t, err, st.wantErr, msg)
				} else {
					require.NoError(t, err, msg)
				}
			}
		})
	}
}

func TestConformanceVersions(t *testing.T) {
	for _, im := range impls() {
		t.Run(im.name, func(t *testing.T) {
			s := im.new(t)
			ctx := context.Background()
			seen := map[Version]bool{{}: true}
			for i := 0; i < 20; i++ {
				// Same bytes every time: the version must still change.
				write(t, s, SecretsFile, []byte("same content"))
				v, err := s.Stat(ctx, SecretsFile)
				require.NoError(t, err)
				require.False(t, seen[v], "version repeated at write %d", i)
				seen[v] = true
				_, rv, err := s.Read(ctx, SecretsFile)
				require.NoError(t, err)
				require.Equal(t, v, rv, "Read and Stat disagree")
				v2, err := s.Stat(ctx, SecretsFile)
				require.NoError(t, err)
				require.Equal(t, v, v2, "Stat changed without a write")
			}
			// Remove and re-create: a new version, never an old one.
			require.NoError(t, s.Locked(ctx, SecretsLock, func(tx Tx) error { return tx.Remove(SecretsFile) }))
			v, err := s.Stat(ctx, SecretsFile)
			require.NoError(t, err)
			require.Equal(t, Version{}, v)
			write(t, s, SecretsFile, []byte("same content"))
			v, err = s.Stat(ctx, SecretsFile)
			require.NoError(t, err)
			require.False(t, seen[v])
		})
	}
}

func TestConformanceTxSemantics(t *testing.T) {
	for _, im := range impls() {
		t.Run(im.name, func(t *testing.T) {
			s := im.new(t)
			ctx := context.Background()
			boom := errors.New("boom")
			var leaked Tx
			err := s.Locked(ctx, SettingsLock, func(tx Tx) error {
				leaked = tx
				require.NoError(t, tx.Write("settings.json", []byte("one")))
				b, err := tx.Read("settings.json")
				require.NoError(t, err)
				require.Equal(t, "one", string(b))
				// Lock-free reads see writes made inside the transaction.
				b, _, err = s.Read(ctx, "settings.json")
				require.NoError(t, err)
				require.Equal(t, "one", string(b))
				return boom
			})
			require.ErrorIs(t, err, boom)
			b, _, err := s.Read(ctx, "settings.json")
			require.NoError(t, err)
			require.Equal(t, "one", string(b), "writes before an error are kept")

			_, err = leaked.Read("settings.json")
			require.ErrorIs(t, err, ErrTxDone)
			require.ErrorIs(t, leaked.Write("settings.json", []byte("x")), ErrTxDone)
			require.ErrorIs(t, leaked.Remove("settings.json"), ErrTxDone)
			_, err = leaked.List("")
			require.ErrorIs(t, err, ErrTxDone)

			// Returned slices are copies.
			b[0] = 'X'
			b2, _, err := s.Read(ctx, "settings.json")
			require.NoError(t, err)
			require.Equal(t, "one", string(b2))
			data := []byte("two")
			require.NoError(t, s.Locked(ctx, SettingsLock, func(tx Tx) error { return tx.Write("settings.json", data) }))
			data[0] = 'X'
			b2, _, err = s.Read(ctx, "settings.json")
			require.NoError(t, err)
			require.Equal(t, "two", string(b2))

			// Locked with an invalid lock name.
			require.ErrorIs(t, s.Locked(ctx, "../x.lock", func(Tx) error { return nil }), ErrInvalidName)
		})
	}
}

func TestConformanceLockedExclusive(t *testing.T) {
	for _, im := range impls() {
		t.Run(im.name, func(t *testing.T) {
			s := im.new(t)
			counterIncrements(t, []Store{s}, 8, 50, "counter")
		})
	}
}

// counterIncrements runs goroutines × per read-modify-write increments of a
// counter file through Locked, spreading goroutines over the stores, and
// checks that no update was lost.
func counterIncrements(t *testing.T, stores []Store, goroutines, per int, name string) {
	t.Helper()
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*per)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(s Store) {
			defer wg.Done()
			for i := 0; i < per; i++ {
				errs <- s.Locked(ctx, SettingsLock, func(tx Tx) error {
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
		}(stores[g%len(stores)])
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	b, _, err := stores[0].Read(ctx, name)
	require.NoError(t, err)
	require.Equal(t, strconv.Itoa(goroutines*per), string(b))
}

func TestConformanceLockWaitRespectsContextAndBusy(t *testing.T) {
	for _, im := range impls() {
		t.Run(im.name, func(t *testing.T) {
			s := im.new(t)
			im.setBusy(s, 50*time.Millisecond)
			for _, lock := range []string{SecretsLock, ProfilesLock} {
				held := make(chan struct{})
				release := make(chan struct{})
				done := make(chan error, 1)
				go func() {
					done <- s.Locked(context.Background(), lock, func(Tx) error {
						close(held)
						<-release
						return nil
					})
				}()
				<-held
				if lock == ProfilesLock {
					err := s.Locked(context.Background(), lock, func(Tx) error { return nil })
					require.ErrorIs(t, err, ErrBusy)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
				err := s.Locked(ctx, lock, func(Tx) error { return nil })
				cancel()
				if lock == ProfilesLock {
					require.Error(t, err)
				} else {
					require.ErrorIs(t, err, context.DeadlineExceeded)
				}
				close(release)
				require.NoError(t, <-done)
				// Free again.
				require.NoError(t, s.Locked(context.Background(), lock, func(Tx) error { return nil }))
			}
		})
	}
}

func TestConformanceLocksAreIndependent(t *testing.T) {
	for _, im := range impls() {
		t.Run(im.name, func(t *testing.T) {
			s := im.new(t)
			ctx := context.Background()
			err := s.Locked(ctx, SettingsLock, func(Tx) error {
				// A different lock can be taken while one is held.
				return s.Locked(ctx, SecretsLock, func(tx Tx) error { return tx.Write(SecretsFile, []byte("x")) })
			})
			require.NoError(t, err)
		})
	}
}
