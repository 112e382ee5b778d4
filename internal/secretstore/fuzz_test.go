package secretstore

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/store"
	"github.com/stretchr/testify/require"
)

// FuzzLoadPut loads arbitrary secrets.json content, then puts one secret:
// loading never panics, an unloadable file is never rewritten, and a
// successful put changes nothing but that one secret.
func FuzzLoadPut(f *testing.F) {
	tok, err := keyA.Encrypt("tok-a")
	require.NoError(f, err)
	seeds := []string{
		`{}`,
		`{"custom_secrets": {"A": "x", "B": {"secret": null}, "C": {"description": "d"}, "D": 5}}`,
		`{"custom_secrets": {"A": {"name": "Z", "secret": "` + tok + `", "description": "é"}}, "_credential_versions": {"A": "v", "X": 1}}`,
		`{"custom_secrets": {"A": "   ", "B": "**********", "C": "gAAAAAnope"}}`,
		`{"custom_secrets": []}`,
		`not json`,
		`{"custom_secrets": {"1x": "y"}}`,
	}
	for i, s := range seeds {
		f.Add([]byte(s), "NEW", "value", i%2 == 0)
		f.Add([]byte(s), "A", "", i%2 == 1)
	}
	f.Fuzz(func(t *testing.T, data []byte, name, value string, withKey bool) {
		if !ValidName(name) {
			name = "FUZZ"
		}
		var c *cipher.Cipher
		if withKey {
			c = keyA
		}
		st := store.NewMemory()
		writeRaw(t, st, data)
		s := New(st, c, nil)
		before, err := s.List(ctx)
		require.NoError(t, err)
		values := map[string]string{}
		for _, it := range before {
			if v, err := s.Get(ctx, it.Name); err == nil {
				values[it.Name] = v
			} else {
				require.ErrorIs(t, err, ErrNotFound)
			}
		}
		err = s.Put(ctx, name, value, nil)
		if !utf8.ValidString(value) {
			require.ErrorIs(t, err, ErrInvalidUTF8)
			return
		}
		if errors.Is(err, ErrCorrupt) {
			require.Empty(t, before)
			require.Equal(t, string(data), string(readRaw(t, st)))
			return
		}
		require.NoError(t, err)

		fresh := New(st, c, nil)
		after, err := fresh.List(ctx)
		require.NoError(t, err)
		want := []Item{}
		found := false
		for _, it := range before {
			if it.Name == name {
				it.Description = nil
				found = true
			}
			want = append(want, it)
		}
		if !found {
			want = append(want, Item{Name: name})
		}
		require.Equal(t, want, after)
		for _, it := range after {
			got, err := fresh.Get(ctx, it.Name)
			switch {
			case it.Name == name && noValue(value):
				require.ErrorIs(t, err, ErrNotFound)
			case it.Name == name:
				require.NoError(t, err)
				if c == nil || !cipher.LooksLikeToken(value) {
					require.Equal(t, value, got)
				}
			default:
				if v, ok := values[it.Name]; ok {
					require.NoError(t, err)
					require.Equal(t, v, got)
				} else {
					require.ErrorIs(t, err, ErrNotFound)
				}
			}
		}
	})
}

// FuzzValidName checks the secret name rule (server-api.md §5.1) against the
// spec's own regular expression, with Go's \z semantics (a trailing newline
// is rejected).
func FuzzValidName(f *testing.F) {
	for _, s := range []string{"A", "a_1", "1a", "a-b", "", "ABC\n", "Аb", strings.Repeat("a", 64), strings.Repeat("a", 65), "a\x00", "..%2F", "Z_"} {
		f.Add(s)
	}
	rule := regexp.MustCompile(`\A[a-zA-Z][a-zA-Z0-9_]{0,63}\z`)
	f.Fuzz(func(t *testing.T, name string) {
		if got, want := ValidName(name), rule.MatchString(name); got != want {
			t.Fatalf("ValidName(%q) = %v, the spec's rule says %v", name, got, want)
		}
	})
}
