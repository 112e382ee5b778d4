package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzCheckName: every accepted name stays inside the data directory and
// round-trips through the memory store.
func FuzzCheckName(f *testing.F) {
	for _, s := range []string{"settings.json", "profiles/a.json", "../x", "a/../b", "/abs", "a//b", ".", "..", "a\\b", "", "...", ".x/y", "a/./b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if err := checkName(name); err != nil {
			require.ErrorIs(t, err, ErrInvalidName)
			return
		}
		const base = "/data"
		p := filepath.Join(base, filepath.FromSlash(name))
		require.True(t, strings.HasPrefix(p, base+"/"), "%q escapes to %q", name, p)
		m := newMemory()
		ctx := context.Background()
		require.NoError(t, m.Locked(ctx, SettingsLock, func(tx Tx) error { return tx.Write(name, []byte(name)) }))
		b, _, err := m.Read(ctx, name)
		require.NoError(t, err)
		require.Equal(t, name, string(b))
	})
}
