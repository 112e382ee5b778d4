package secretstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/jsonx"
	"github.com/openhands-go/sdk/internal/store"
	"github.com/stretchr/testify/require"
)

var ctx = context.Background()

type variant struct {
	name string
	c    *cipher.Cipher
	st   func(t *testing.T) store.Store
}

func variants() []variant {
	mem := func(t *testing.T) store.Store { return store.NewMemory() }
	file := func(t *testing.T) store.Store { return newFileStore(t, t.TempDir()) }
	return []variant{
		{"memory/nokey", nil, mem},
		{"memory/key", keyA, mem},
		{"file/nokey", nil, file},
		{"file/key", keyA, file},
	}
}

func TestValidName(t *testing.T) {
	cases := map[string]bool{
		"A": true, "a": true, "abc_DEF_123": true, strings.Repeat("a", 64): true,
		"": false, "1A": false, "_A": false, "A-B": false, "A B": false, "ABC\n": false,
		strings.Repeat("a", 65): false, "Ä": false, "A.B": false, "A/B": false,
	}
	for n, want := range cases {
		require.Equal(t, want, ValidName(n), "%q", n)
	}
}

func TestPutGetListDelete(t *testing.T) {
	for _, v := range variants() {
		t.Run(v.name, func(t *testing.T) {
			st := v.st(t)
			s := New(st, v.c, nil)

			items, err := s.List(ctx)
			require.NoError(t, err)
			require.NotNil(t, items)
			require.Empty(t, items)
			_, err = s.Get(ctx, "GITHUB_TOKEN")
			require.ErrorIs(t, err, ErrNotFound)
			require.ErrorIs(t, s.Delete(ctx, "GITHUB_TOKEN"), ErrNotFound)
			_, _, err = st.Read(ctx, store.SecretsFile)
			require.ErrorIs(t, err, store.ErrNotExist, "a failed delete creates no file")

			require.NoError(t, s.Put(ctx, "GITHUB_TOKEN", "ghp_123", sp("GitHub PAT")))
			require.NoError(t, s.Put(ctx, "OPENAI_API_KEY", "sk-ü€😀", nil))
			got, err := s.Get(ctx, "GITHUB_TOKEN")
			require.NoError(t, err)
			require.Equal(t, "ghp_123", got)
			got, err = s.Get(ctx, "OPENAI_API_KEY")
			require.NoError(t, err)
			require.Equal(t, "sk-ü€😀", got)

			items, err = s.List(ctx)
			require.NoError(t, err)
			require.Equal(t, []Item{{"GITHUB_TOKEN", sp("GitHub PAT")}, {"OPENAI_API_KEY", nil}}, items)

			// A fresh instance on the same store reads the same thing.
			s2 := New(st, v.c, nil)
			got, err = s2.Get(ctx, "OPENAI_API_KEY")
			require.NoError(t, err)
			require.Equal(t, "sk-ü€😀", got)

			require.NoError(t, s.Delete(ctx, "GITHUB_TOKEN"))
			_, err = s.Get(ctx, "GITHUB_TOKEN")
			require.ErrorIs(t, err, ErrNotFound)
			require.ErrorIs(t, s.Delete(ctx, "GITHUB_TOKEN"), ErrNotFound)
			items, err = s2.List(ctx)
			require.NoError(t, err)
			require.Equal(t, []string{"OPENAI_API_KEY"}, names(items))

			// Invalid names.
			require.ErrorIs(t, s.Put(ctx, "1BAD", "x", nil), ErrInvalidName)
			_, err = s.Get(ctx, "../x")
			require.ErrorIs(t, err, ErrNotFound)
			require.ErrorIs(t, s.Delete(ctx, "BAD NAME"), ErrNotFound)
			require.ErrorIs(t, s.Put(ctx, "U", "bad\xff", nil), ErrInvalidUTF8)
			require.ErrorIs(t, s.Put(ctx, "U", "ok", sp("bad\xc3")), ErrInvalidUTF8)
			_, err = s.Get(ctx, "U")
			require.ErrorIs(t, err, ErrNotFound)

			// Mutating a returned description does not touch the store.
			require.NoError(t, s.Put(ctx, "D", "v", sp("desc")))
			items, err = s.List(ctx)
			require.NoError(t, err)
			*items[1].Description = "changed"
			items, err = s.List(ctx)
			require.NoError(t, err)
			require.Equal(t, "desc", *items[1].Description)
		})
	}
}

func TestNoValueRules(t *testing.T) {
	cases := []struct {
		value  string
		stored bool
	}{
		{"", false},
		{" ", false},
		{"\t\r\n ", false},
		{"\u3000\u00a0\u2003", false},
		{"\x1c\x1f", false}, // Python str.isspace
		{"**********", false},
		{"*********", true},
		{"***********", true},
		{" x ", true},
		{"\x00", true},
	}
	for _, v := range variants() {
		t.Run(v.name, func(t *testing.T) {
			st := v.st(t)
			s := New(st, v.c, nil)
			for i, c := range cases {
				name := fmt.Sprintf("S%d", i)
				require.NoError(t, s.Put(ctx, name, c.value, sp("d")))
				got, err := s.Get(ctx, name)
				if c.stored {
					require.NoError(t, err, "%q", c.value)
					require.Equal(t, c.value, got)
					require.NotNil(t, storedSecret(t, st, name))
				} else {
					require.ErrorIs(t, err, ErrNotFound, "%q", c.value)
					require.Nil(t, storedSecret(t, st, name), "%q stored as null", c.value)
				}
			}
			items, err := s.List(ctx)
			require.NoError(t, err)
			require.Len(t, items, len(cases), "no-value secrets are still listed")
		})
	}
}

func TestUpsertKeepsPositionAndReplacesDescription(t *testing.T) {
	for _, v := range variants() {
		t.Run(v.name, func(t *testing.T) {
			s := New(v.st(t), v.c, nil)
			require.NoError(t, s.Put(ctx, "A", "a", sp("da")))
			require.NoError(t, s.Put(ctx, "B", "b", sp("db")))
			require.NoError(t, s.Put(ctx, "C", "c", sp("dc")))
			require.NoError(t, s.Put(ctx, "A", "a2", nil)) // omitted description → null
			items, err := s.List(ctx)
			require.NoError(t, err)
			require.Equal(t, []Item{{"A", nil}, {"B", sp("db")}, {"C", sp("dc")}}, items)
			got, err := s.Get(ctx, "A")
			require.NoError(t, err)
			require.Equal(t, "a2", got)
			// Delete then re-create: goes last.
			require.NoError(t, s.Delete(ctx, "A"))
			require.NoError(t, s.Put(ctx, "A", "a3", nil))
			items, err = s.List(ctx)
			require.NoError(t, err)
			require.Equal(t, []string{"B", "C", "A"}, names(items))
		})
	}
}

// TestPlanBatchSemantics applies one batch directly: ops in order, each with
// its own result, positions as if applied one at a time.
func TestPlanBatchSemantics(t *testing.T) {
	st := store.NewMemory()
	s := New(st, nil, nil)
	for _, n := range []string{"A", "B", "C"} {
		require.NoError(t, s.Put(ctx, n, "v"+n, nil))
	}
	d, err := s.current(ctx)
	require.NoError(t, err)
	put := func(n, v string) *op { return &op{name: n, put: &entry{name: n, secret: sp(v)}} }
	del := func(n string) *op { return &op{del: true, name: n} }
	batch := []*op{del("B"), put("B", "b2"), put("D", "d"), del("D"), put("D", "d2"), put("A", "a2"), del("X"), del("C"), del("C")}
	results := make([]error, len(batch))
	p, err := s.plan(d, batch, results)
	require.NoError(t, err)
	require.Equal(t, []error{nil, nil, nil, nil, nil, nil, ErrNotFound, nil, ErrNotFound}, results)
	var order []string
	for _, e := range p.entries {
		order = append(order, e.name+"="+*e.secret)
	}
	require.Equal(t, []string{"A=a2", "B=b2", "D=d2"}, order)
	// The plan did not touch the cached document.
	require.Len(t, d.entries, 3)
	require.Equal(t, "vC", *d.byName["C"].secret)

	// Only failing deletes: nothing to write.
	results = make([]error, 1)
	p, err = s.plan(d, []*op{del("NOPE")}, results)
	require.NoError(t, err)
	require.Nil(t, p)
	require.Equal(t, []error{ErrNotFound}, results)
}

func TestFileFormatMatchesMarshalFile(t *testing.T) {
	st := store.NewMemory()
	s := New(st, nil, nil)
	require.NoError(t, s.Put(ctx, "GITHUB_TOKEN", "ghp_ü\"\\\n", sp("GitHub PAT é")))
	require.NoError(t, s.Put(ctx, "EMPTY_ONE", "", nil))
	raw := readRaw(t, st)
	want, err := jsonx.MarshalFile(jsonx.Obj("custom_secrets", jsonx.Obj(
		"GITHUB_TOKEN", jsonx.Obj("name", "GITHUB_TOKEN", "secret", "ghp_ü\"\\\n", "description", "GitHub PAT é"),
		"EMPTY_ONE", jsonx.Obj("name", "EMPTY_ONE", "secret", nil, "description", nil),
	)))
	require.NoError(t, err)
	require.Equal(t, string(want), string(raw))
	require.NotContains(t, string(raw), "ü", "ASCII only")

	// With versions, after a delete down to nothing.
	writeRaw(t, st, []byte(`{"custom_secrets": {"A": "x"}, "_credential_versions": {"Z": "vz"}}`))
	require.NoError(t, s.Delete(ctx, "A"))
	want, err = jsonx.MarshalFile(jsonx.Obj("custom_secrets", jsonx.NewObject(), "_credential_versions", jsonx.Obj("Z", "vz")))
	require.NoError(t, err)
	require.Equal(t, string(want), string(readRaw(t, st)))
}

func TestLegacyEntryForms(t *testing.T) {
	raw := `{
	  "custom_secrets": {
	    "A": "plain",
	    "B": {"secret": null, "description": "b"},
	    "C": {"description": "c"},
	    "D": 5, "E": [1], "F": null, "G": true,
	    "H": {"name": "WRONG", "secret": "h", "description": "x", "extra": 1},
	    "I": {"name": "I", "secret": "   ", "description": null}
	  },
	  "unknown_top": {"x": 1}
	}`
	for _, v := range variants() {
		t.Run(v.name, func(t *testing.T) {
			st := v.st(t)
			writeRaw(t, st, []byte(raw))
			s := New(st, v.c, nil)
			items, err := s.List(ctx)
			require.NoError(t, err)
			require.Equal(t, []Item{{"A", nil}, {"B", sp("b")}, {"C", sp("c")}, {"H", sp("x")}, {"I", nil}}, items)
			got, err := s.Get(ctx, "A")
			require.NoError(t, err)
			require.Equal(t, "plain", got, "legacy plaintext is read even with a key")
			got, err = s.Get(ctx, "H")
			require.NoError(t, err)
			require.Equal(t, "h", got)
			for _, n := range []string{"B", "C", "D", "E", "F", "G", "I"} {
				_, err := s.Get(ctx, n)
				require.ErrorIs(t, err, ErrNotFound, n)
			}

			require.NoError(t, s.Put(ctx, "NEW", "n", nil))
			doc := fileDoc(t, st)
			require.Equal(t, []string{"custom_secrets"}, doc.Keys(), "unknown top-level keys dropped")
			cs := doc.Object("custom_secrets")
			require.Equal(t, []string{"A", "B", "C", "H", "I", "NEW"}, cs.Keys())
			for _, n := range cs.Keys() {
				require.Equal(t, []string{"name", "secret", "description"}, cs.Object(n).Keys())
				nm, _ := cs.Object(n).String("name")
				require.Equal(t, n, nm, "the map key is authoritative")
			}
			require.Nil(t, cs.Object("I").Value("secret"), "blank normalised to null")
			if v.c != nil {
				// Legacy plaintext is encrypted at the next write.
				for _, n := range []string{"A", "H", "NEW"} {
					sv, _ := cs.Object(n).String("secret")
					require.True(t, cipher.LooksLikeToken(sv), n)
				}
			} else {
				sv, _ := cs.Object("A").String("secret")
				require.Equal(t, "plain", sv)
			}
			s2 := New(st, v.c, nil)
			for n, want := range map[string]string{"A": "plain", "H": "h", "NEW": "n"} {
				got, err := s2.Get(ctx, n)
				require.NoError(t, err)
				require.Equal(t, want, got)
			}
		})
	}
}

func TestUnloadableFile(t *testing.T) {
	cases := map[string]string{
		"not json":           `not json`,
		"empty":              ``,
		"array":              `[]`,
		"string":             `"x"`,
		"truncated":          `{"custom_secrets": {"A": "x"`,
		"trailing":           `{} {}`,
		"custom not object":  `{"custom_secrets": []}`,
		"custom null":        `{"custom_secrets": null}`,
		"invalid name":       `{"custom_secrets": {"1bad": "x"}}`,
		"name with newline":  `{"custom_secrets": {"ABC\n": "x"}}`,
		"secret number":      `{"custom_secrets": {"A": {"secret": 5}}}`,
		"secret object":      `{"custom_secrets": {"A": {"secret": {}}}}`,
		"description number": `{"custom_secrets": {"A": {"secret": "x", "description": 5}}}`,
		"duplicate keys":     `{"custom_secrets": {"A": "x", "A": "y"}}`,
		"invalid utf8":       "{\"custom_secrets\": {\"A\": \"\xff\"}}",
	}
	for name, raw := range cases {
		for _, v := range variants() {
			t.Run(name+"/"+v.name, func(t *testing.T) {
				st := v.st(t)
				writeRaw(t, st, []byte(raw))
				logs := &logBuf{}
				s := New(st, v.c, logs.logger())
				items, err := s.List(ctx)
				require.NoError(t, err)
				require.NotNil(t, items)
				require.Empty(t, items)
				_, err = s.Get(ctx, "A")
				require.ErrorIs(t, err, ErrNotFound)
				require.ErrorIs(t, s.Put(ctx, "A", "new", nil), ErrCorrupt)
				require.ErrorIs(t, s.Put(ctx, "B", "new", nil), ErrCorrupt)
				require.ErrorIs(t, s.Delete(ctx, "A"), ErrCorrupt)
				require.ErrorIs(t, s.Delete(ctx, "ZZZ"), ErrCorrupt)
				require.Equal(t, raw, string(readRaw(t, st)), "an unloadable file is never overwritten")
				require.Equal(t, 1, countLines(logs.String(), "cannot be loaded"), "logged once per version")
				require.NotContains(t, logs.String(), `"x"`)
			})
		}
	}
}

func TestLoadableEdgeFiles(t *testing.T) {
	cases := map[string][]string{
		`{}`:                     nil,
		`{"other": 1}`:           nil,
		`{"custom_secrets": {}}`: nil,
		`{"custom_secrets": {"A": "x"}, "_credential_versions": 5}`:        {"A"},
		`{"custom_secrets": {"A": "x"}, "_credential_versions": {"A": 5}}`: {"A"},
	}
	for raw, want := range cases {
		st := store.NewMemory()
		writeRaw(t, st, []byte(raw))
		s := New(st, nil, nil)
		items, err := s.List(ctx)
		require.NoError(t, err)
		require.Equal(t, want, nilIfEmpty(names(items)), raw)
		require.NoError(t, s.Put(ctx, "NEW", "v", nil), raw)
		require.False(t, fileDoc(t, st).Has("_credential_versions"), raw)
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

var versionRe = regexp.MustCompile(`^[A-Za-z0-9_-]{32}$`)

func TestCredentialVersions(t *testing.T) {
	st := store.NewMemory()
	writeRaw(t, st, []byte(`{
	  "custom_secrets": {"A": "a", "B": "b", "C": "c"},
	  "_credential_versions": {"A": "va", "B": "vb", "Z": "vz", "BAD": 5, "EMPTY": ""}
	}`))
	s := New(st, nil, nil)
	versions := func() *jsonx.Object { return fileDoc(t, st).Object("_credential_versions") }

	require.NoError(t, s.Put(ctx, "A", "a2", nil))
	vs := versions()
	require.Equal(t, []string{"A", "B", "Z"}, vs.Keys(), "invalid members dropped, order kept")
	va, _ := vs.String("A")
	require.NotEqual(t, "va", va)
	require.Regexp(t, versionRe, va)
	vb, _ := vs.String("B")
	require.Equal(t, "vb", vb)

	require.NoError(t, s.Put(ctx, "C", "c2", nil))
	require.False(t, versions().Has("C"), "no version is invented")

	require.NoError(t, s.Put(ctx, "B", "", nil)) // even a no-value PUT refreshes
	vb2, _ := versions().String("B")
	require.NotEqual(t, "vb", vb2)
	require.Regexp(t, versionRe, vb2)

	require.NoError(t, s.Put(ctx, "A", "a3", nil))
	va2, _ := versions().String("A")
	require.NotEqual(t, va, va2)

	require.NoError(t, s.Delete(ctx, "B"))
	require.Equal(t, []string{"A", "Z"}, versions().Keys())
	require.ErrorIs(t, s.Delete(ctx, "Z"), ErrNotFound, "a version alone is not a secret")
	require.Equal(t, []string{"A", "Z"}, versions().Keys())

	writeRaw(t, st, []byte(`{"custom_secrets": {"A": "a"}, "_credential_versions": {"A": "va"}}`))
	require.NoError(t, s.Delete(ctx, "A"))
	require.False(t, fileDoc(t, st).Has("_credential_versions"), "written only when non-empty")
}

func TestEncryptionAtRest(t *testing.T) {
	t.Run("key", func(t *testing.T) {
		st := store.NewMemory()
		s := New(st, keyA, nil)
		require.NoError(t, s.Put(ctx, "A", "plain-a", nil))
		sv := storedSecret(t, st, "A").(string)
		require.True(t, cipher.LooksLikeToken(sv))
		pt, err := keyA.Decrypt(sv)
		require.NoError(t, err)
		require.Equal(t, "plain-a", pt)
		require.NotContains(t, string(readRaw(t, st)), "plain-a")

		// A token valid under the key is stored unchanged and reads back decrypted.
		tok, err := keyA.Encrypt("restored")
		require.NoError(t, err)
		require.NoError(t, s.Put(ctx, "T", tok, nil))
		require.Equal(t, tok, storedSecret(t, st, "T"))
		got, err := s.Get(ctx, "T")
		require.NoError(t, err)
		require.Equal(t, "restored", got)

		// A token of another key is just a value: encrypted, returned literally.
		other, err := keyB.Encrypt("x")
		require.NoError(t, err)
		require.NoError(t, s.Put(ctx, "O", other, nil))
		require.NotEqual(t, other, storedSecret(t, st, "O"))
		got, err = s.Get(ctx, "O")
		require.NoError(t, err)
		require.Equal(t, other, got)

		// Other values are not re-encrypted by later writes.
		require.NoError(t, s.Put(ctx, "B", "b", nil))
		require.Equal(t, sv, storedSecret(t, st, "A"))
	})
	t.Run("nokey", func(t *testing.T) {
		st := store.NewMemory()
		logs := &logBuf{}
		s := New(st, nil, logs.logger())
		tok, err := keyA.Encrypt("x")
		require.NoError(t, err)
		require.NoError(t, s.Put(ctx, "T", tok, nil))
		require.NoError(t, s.Put(ctx, "P", "plain-p", nil))
		require.NoError(t, s.Put(ctx, "Q", "plain-q", nil))
		require.Equal(t, tok, storedSecret(t, st, "T"))
		require.Equal(t, "plain-p", storedSecret(t, st, "P"))
		got, err := s.Get(ctx, "T")
		require.NoError(t, err)
		require.Equal(t, tok, got, "without a key every string is literal")
		require.Equal(t, 1, countLines(logs.String(), "PLAINTEXT"), "one warning per instance")
		require.NotContains(t, logs.String(), "plain-p")
	})
}

// TestWrongKeyKeepsValues is the "safer than upstream" rule: values that do
// not decrypt under the current key are never returned and survive writes
// of other names byte for byte.
func TestWrongKeyKeepsValues(t *testing.T) {
	for _, mk := range []string{"memory", "file"} {
		t.Run(mk, func(t *testing.T) {
			var st store.Store
			dir := t.TempDir()
			if mk == "memory" {
				st = store.NewMemory()
			}
			open := func(c *cipher.Cipher, logs *logBuf) *Secrets {
				if mk == "file" {
					st = newFileStore(t, dir)
				}
				if logs == nil {
					return New(st, c, nil)
				}
				return New(st, c, logs.logger())
			}
			want := map[string]string{"A1": "value-one", "A2": "välue-two", "A3": "three"}
			sa := open(keyA, nil)
			for _, n := range []string{"A1", "A2", "A3"} {
				require.NoError(t, sa.Put(ctx, n, want[n], sp("d"+n)))
			}
			before := map[string]any{}
			for n := range want {
				before[n] = storedSecret(t, st, n)
			}

			logs := &logBuf{}
			sb := open(keyB, logs)
			for n := range want {
				_, err := sb.Get(ctx, n)
				require.ErrorIs(t, err, ErrNotFound, "an undecryptable value is never returned")
			}
			items, err := sb.List(ctx)
			require.NoError(t, err)
			require.Equal(t, []string{"A1", "A2", "A3"}, names(items))
			require.Contains(t, logs.String(), "count=3")
			require.Equal(t, 1, countLines(logs.String(), "do not decrypt"))

			require.NoError(t, sb.Put(ctx, "B1", "b-one", nil))
			require.NoError(t, sb.Put(ctx, "B2", "b-two", nil))
			require.NoError(t, sb.Delete(ctx, "B2"))
			require.NoError(t, sb.Put(ctx, "A3", "replaced-by-b", nil)) // that very name may be replaced
			require.Equal(t, 1, countLines(logs.String(), "do not decrypt"), "warned once per instance")
			for _, n := range []string{"A1", "A2"} {
				require.Equal(t, before[n], storedSecret(t, st, n), "kept byte for byte")
			}

			sa2 := open(keyA, nil)
			for _, n := range []string{"A1", "A2"} {
				got, err := sa2.Get(ctx, n)
				require.NoError(t, err)
				require.Equal(t, want[n], got)
			}
			_, err = sa2.Get(ctx, "A3")
			require.ErrorIs(t, err, ErrNotFound, "A3 now belongs to key B")
			_, err = sa2.Get(ctx, "B1")
			require.ErrorIs(t, err, ErrNotFound)
			items, err = sa2.List(ctx)
			require.NoError(t, err)
			require.Equal(t, []Item{{"A1", sp("dA1")}, {"A2", sp("dA2")}, {"A3", nil}, {"B1", nil}}, items)

			// Deleting an undecryptable value by name is allowed.
			require.NoError(t, sa2.Delete(ctx, "B1"))
			require.NotContains(t, logs.String(), "b-one")
			require.NotContains(t, logs.String(), "value-one")
		})
	}
}

func TestLargeFile(t *testing.T) {
	const n = 10000
	st := newFileStore(t, t.TempDir())
	writeRaw(t, st, bigFile(t, n, keyA))
	s := New(st, keyA, nil)
	items, err := s.List(ctx)
	require.NoError(t, err)
	require.Len(t, items, n)
	require.Equal(t, "S00000", items[0].Name)
	require.Equal(t, fmt.Sprintf("S%05d", n-1), items[n-1].Name)
	got, err := s.Get(ctx, "S04242")
	require.NoError(t, err)
	require.Equal(t, "value-4242", got)

	require.NoError(t, s.Put(ctx, "S00005", "changed", nil))
	require.NoError(t, s.Delete(ctx, "S00007"))
	require.NoError(t, s.Put(ctx, "NEW", "new", sp("d")))

	s2 := New(st, keyA, nil)
	items, err = s2.List(ctx)
	require.NoError(t, err)
	require.Len(t, items, n)
	require.Equal(t, "S00005", items[5].Name)
	require.Equal(t, "S00008", items[7].Name)
	require.Equal(t, "NEW", items[n-1].Name)
	for name, want := range map[string]string{"S00005": "changed", "NEW": "new", "S09999": "value-9999"} {
		got, err := s2.Get(ctx, name)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	// The rewrite is exactly what MarshalFile makes of the document.
	doc, err := jsonx.Parse(readRaw(t, st))
	require.NoError(t, err)
	again, err := jsonx.MarshalFile(doc)
	require.NoError(t, err)
	require.Equal(t, string(again), string(readRaw(t, st)))
}

// bigFile builds a secrets.json with n encrypted entries S00000…
func bigFile(t testing.TB, n int, c *cipher.Cipher) []byte {
	t.Helper()
	cs := jsonx.NewObject()
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("S%05d", i)
		tok, err := c.Encrypt(fmt.Sprintf("value-%d", i))
		require.NoError(t, err)
		cs.Set(name, jsonx.Obj("name", name, "secret", tok, "description", "description of "+name))
	}
	b, err := jsonx.MarshalFile(jsonx.Obj("custom_secrets", cs))
	require.NoError(t, err)
	return b
}

func TestGroupCommitConcurrentPuts(t *testing.T) {
	for _, mk := range []string{"memory", "file"} {
		t.Run(mk, func(t *testing.T) {
			var base store.Store = store.NewMemory()
			if mk == "file" {
				base = newFileStore(t, t.TempDir())
			}
			h := &hookStore{Store: base}
			s := New(h, keyA, nil)
			require.NoError(t, s.Put(ctx, "EXISTING", "e", nil))
			const n = 64
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					name := fmt.Sprintf("P%02d", i)
					errs[i] = s.Put(ctx, name, "value-"+name, sp(name))
					if i%4 == 0 {
						// Reads interleave with writes.
						if _, err := s.List(ctx); err != nil {
							errs[i] = err
						}
					}
				}(i)
			}
			wg.Wait()
			for _, err := range errs {
				require.NoError(t, err)
			}
			require.LessOrEqual(t, h.writeCount(), n+1)
			fresh := New(base, keyA, nil)
			items, err := fresh.List(ctx)
			require.NoError(t, err)
			require.Len(t, items, n+1)
			for i := 0; i < n; i++ {
				name := fmt.Sprintf("P%02d", i)
				got, err := fresh.Get(ctx, name)
				require.NoError(t, err)
				require.Equal(t, "value-"+name, got)
			}
		})
	}
}

// TestGroupCommitBatches holds the first writer inside the lock while more
// operations queue, then checks they were written together, in order, with
// their own results.
func TestGroupCommitBatches(t *testing.T) {
	base := store.NewMemory()
	gate := make(chan struct{})
	h := &hookStore{Store: base, gate: gate, entered: make(chan struct{}, 1)}
	s := New(h, nil, nil)
	first := make(chan error, 1)
	go func() { first <- s.Put(ctx, "FIRST", "1", nil) }()
	<-h.entered // the leader holds the lock
	h.mu.Lock()
	h.gate = nil // later Locked calls pass straight through
	h.mu.Unlock()

	type res struct {
		i   int
		err error
	}
	ops := []func() error{
		func() error { return s.Put(ctx, "A", "a", nil) },
		func() error { return s.Delete(ctx, "NOPE") },
		func() error { return s.Put(ctx, "B", "b", nil) },
		func() error { return s.Delete(ctx, "A") },
		func() error { return s.Put(ctx, "A", "a2", nil) },
	}
	out := make(chan res, len(ops))
	for i, f := range ops {
		go func(i int, f func() error) { out <- res{i, f()} }(i, f)
		waitQueue(t, s, i+1)
	}
	close(gate) // release the first leader
	require.NoError(t, <-first)
	got := make([]error, len(ops))
	for range ops {
		r := <-out
		got[r.i] = r.err
	}
	require.Equal(t, []error{nil, ErrNotFound, nil, nil, nil}, got)
	require.Equal(t, 2, h.writeCount(), "queued operations are written once")
	items, err := s.List(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{"FIRST", "B", "A"}, names(items))
	v, err := s.Get(ctx, "A")
	require.NoError(t, err)
	require.Equal(t, "a2", v)
}

func waitQueue(t *testing.T, s *Secrets, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		s.qmu.Lock()
		defer s.qmu.Unlock()
		return len(s.queue) == n
	}, 10*time.Second, time.Millisecond)
}

func TestCancelWhileQueued(t *testing.T) {
	base := store.NewMemory()
	gate := make(chan struct{})
	h := &hookStore{Store: base, gate: gate, entered: make(chan struct{}, 1)}
	s := New(h, nil, nil)
	first := make(chan error, 1)
	go func() { first <- s.Put(ctx, "FIRST", "1", nil) }()
	<-h.entered
	h.mu.Lock()
	h.gate = nil
	h.mu.Unlock()

	cctx, cancel := context.WithCancel(ctx)
	queued := make(chan error, 1)
	go func() { queued <- s.Put(cctx, "CANCELLED", "x", nil) }()
	waitQueue(t, s, 1)
	cancel()
	require.ErrorIs(t, <-queued, context.Canceled)
	close(gate)
	require.NoError(t, <-first)
	_, err := s.Get(ctx, "CANCELLED")
	require.ErrorIs(t, err, ErrNotFound, "a cancelled queued op is not applied")
}

// TestLeaderContextExpiryRequeues: a leader whose context ends while it
// waits for the lock fails alone; the operations it took are handed on.
func TestLeaderContextExpiryRequeues(t *testing.T) {
	st := store.NewMemory()
	s := New(st, nil, nil)
	held := make(chan struct{})
	release := make(chan struct{})
	holder := make(chan error, 1)
	go func() {
		holder <- st.Locked(ctx, store.SecretsLock, func(store.Tx) error { close(held); <-release; return nil })
	}()
	<-held

	lctx, cancel := context.WithCancel(ctx)
	leader := make(chan error, 1)
	go func() { leader <- s.Put(lctx, "LEADER", "l", nil) }()
	require.Eventually(t, func() bool {
		s.qmu.Lock()
		defer s.qmu.Unlock()
		return len(s.leader) == 1 && len(s.queue) == 0
	}, 10*time.Second, time.Millisecond)
	follower := make(chan error, 1)
	go func() { follower <- s.Put(ctx, "FOLLOWER", "f", nil) }()
	waitQueue(t, s, 1)
	cancel()
	require.ErrorIs(t, <-leader, context.Canceled)
	close(release)
	require.NoError(t, <-holder)
	require.NoError(t, <-follower)
	items, err := s.List(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{"FOLLOWER"}, names(items))
}

func TestTwoInstancesOnOneDirectory(t *testing.T) {
	dir := t.TempDir()
	a := New(newFileStore(t, dir), keyA, nil)
	b := New(newFileStore(t, dir), keyA, nil)
	require.NoError(t, a.Put(ctx, "X", "x1", nil))
	got, err := b.Get(ctx, "X")
	require.NoError(t, err)
	require.Equal(t, "x1", got)
	require.NoError(t, b.Put(ctx, "X", "x2", nil)) // same size as x1
	got, err = a.Get(ctx, "X")
	require.NoError(t, err)
	require.Equal(t, "x2", got, "a change by another process is seen")

	const goroutines, per = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*per)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			s := a
			if g%2 == 1 {
				s = b
			}
			for i := 0; i < per; i++ {
				errs <- s.Put(ctx, fmt.Sprintf("G%d_%d", g, i), fmt.Sprintf("v%d_%d", g, i), nil)
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	fresh := New(newFileStore(t, dir), keyA, nil)
	items, err := fresh.List(ctx)
	require.NoError(t, err)
	require.Len(t, items, goroutines*per+1, "no update lost")
	for g := 0; g < goroutines; g++ {
		for i := 0; i < per; i++ {
			got, err := a.Get(ctx, fmt.Sprintf("G%d_%d", g, i))
			require.NoError(t, err)
			require.Equal(t, fmt.Sprintf("v%d_%d", g, i), got)
		}
	}
}

func TestIOErrors(t *testing.T) {
	t.Run("write fails", func(t *testing.T) {
		base := store.NewMemory()
		h := &hookStore{Store: base}
		s := New(h, nil, nil)
		require.NoError(t, s.Put(ctx, "A", "a", nil))
		boom := errors.New("disk full")
		h.mu.Lock()
		h.failWrite = boom
		h.mu.Unlock()
		err := s.Put(ctx, "B", "secret-b", nil)
		require.ErrorIs(t, err, boom)
		require.NotErrorIs(t, err, ErrCorrupt)
		require.NotContains(t, err.Error(), "secret-b")
		require.ErrorIs(t, s.Delete(ctx, "A"), boom)
		require.ErrorIs(t, s.Delete(ctx, "NOPE"), ErrNotFound)
		_, err = s.Get(ctx, "B")
		require.ErrorIs(t, err, ErrNotFound, "a failed write is not visible")
		got, err := s.Get(ctx, "A")
		require.NoError(t, err)
		require.Equal(t, "a", got)
	})
	t.Run("stat fails", func(t *testing.T) {
		h := &hookStore{Store: store.NewMemory(), statErr: errors.New("EIO")}
		s := New(h, nil, nil)
		_, err := s.Get(ctx, "A")
		require.Error(t, err)
		require.NotErrorIs(t, err, ErrNotFound)
		_, err = s.List(ctx)
		require.Error(t, err)
		err = s.Put(ctx, "A", "a", nil)
		require.Error(t, err)
		require.NotErrorIs(t, err, ErrCorrupt)
	})
	t.Run("unreadable file", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root reads anything")
		}
		dir := t.TempDir()
		st := newFileStore(t, dir)
		s := New(st, nil, nil)
		require.NoError(t, s.Put(ctx, "A", "a", nil))
		require.NoError(t, os.Chmod(filepath.Join(dir, store.SecretsFile), 0))
		s2 := New(st, nil, nil)
		_, err := s2.Get(ctx, "A")
		require.Error(t, err)
		require.NotErrorIs(t, err, ErrNotFound)
		_, err = s2.List(ctx)
		require.Error(t, err)
		err = s2.Put(ctx, "B", "b", nil)
		require.Error(t, err)
		require.NotErrorIs(t, err, ErrCorrupt)
	})
}

func TestFileMatchesUpstreamShape(t *testing.T) {
	// The persistence.md §5.2 example loads as documented.
	raw := `{
  "custom_secrets": {
    "GITHUB_TOKEN": {"name": "GITHUB_TOKEN", "secret": "ghp_x", "description": "GitHub PAT"},
    "EMPTY_ONE": {"name": "EMPTY_ONE", "secret": null, "description": null}
  },
  "_credential_versions": {"GITHUB_TOKEN": "Xq3aaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}
}`
	st := store.NewMemory()
	writeRaw(t, st, []byte(raw))
	s := New(st, nil, nil)
	items, err := s.List(ctx)
	require.NoError(t, err)
	b, err := json.Marshal(items)
	require.NoError(t, err)
	require.JSONEq(t, `[{"Name":"GITHUB_TOKEN","Description":"GitHub PAT"},{"Name":"EMPTY_ONE","Description":null}]`, string(b))
}

// TestCancelLeaderAndTakenFollower: both the leader and a follower whose op
// the leader had taken give up while the lock is held elsewhere; neither
// hangs and nothing is applied.
func TestCancelLeaderAndTakenFollower(t *testing.T) {
	st := store.NewMemory()
	s := New(st, nil, nil)
	held := make(chan struct{})
	release := make(chan struct{})
	holder := make(chan error, 1)
	go func() {
		holder <- st.Locked(ctx, store.SecretsLock, func(store.Tx) error { close(held); <-release; return nil })
	}()
	<-held

	s.leader <- struct{}{} // keep both callers queued
	c1, cancel1 := context.WithCancel(ctx)
	c2, cancel2 := context.WithCancel(ctx)
	out := make(chan error, 2)
	go func() { out <- s.Put(c1, "ONE", "1", nil) }()
	waitQueue(t, s, 1)
	go func() { out <- s.Put(c2, "TWO", "2", nil) }()
	waitQueue(t, s, 2)
	<-s.leader
	waitQueue(t, s, 0) // one of them leads with both ops, blocked on the lock
	cancel1()
	cancel2()
	for i := 0; i < 2; i++ {
		select {
		case err := <-out:
			require.ErrorIs(t, err, context.Canceled)
		case <-time.After(10 * time.Second):
			t.Fatal("a cancelled Put hangs")
		}
	}
	close(release)
	require.NoError(t, <-holder)
	items, err := s.List(ctx)
	require.NoError(t, err)
	require.Empty(t, items)
	s.qmu.Lock()
	require.Empty(t, s.queue)
	s.qmu.Unlock()
}

// TestReadsDuringCommitUseCache: while a write is between the rename and the
// cache update, readers see the previous state from the cache (the Put has
// not returned) instead of re-parsing the file.
func TestReadsDuringCommitUseCache(t *testing.T) {
	h := &hookStore{Store: newFileStore(t, t.TempDir())}
	s := New(h, keyA, nil)
	require.NoError(t, s.Put(ctx, "OLD", "o", nil))
	h.afterWrite = make(chan struct{})
	h.resume = make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- s.Put(ctx, "NEW", "n", nil) }()
	<-h.afterWrite // secrets.json already replaced on disk
	s.mu.RLock()
	before := s.doc
	s.mu.RUnlock()
	items, err := s.List(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{"OLD"}, names(items))
	_, err = s.Get(ctx, "NEW")
	require.ErrorIs(t, err, ErrNotFound)
	s.mu.RLock()
	require.Same(t, before, s.doc, "no re-parse while our own write is in flight")
	s.mu.RUnlock()
	close(h.resume)
	require.NoError(t, <-done)
	got, err := s.Get(ctx, "NEW")
	require.NoError(t, err)
	require.Equal(t, "n", got)
	// Another instance sees the file itself.
	items, err = New(h.Store, keyA, nil).List(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{"OLD", "NEW"}, names(items))
}
