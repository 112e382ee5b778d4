package jsonx

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// identical reports whether two parsed values are the same tree: same
// types, same member order, same strings and number literals.
func identical(a, b any) bool {
	switch x := a.(type) {
	case *Object:
		y, ok := b.(*Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for i := 0; i < x.Len(); i++ {
			kx, vx := x.At(i)
			ky, vy := y.At(i)
			if kx != ky || !identical(vx, vy) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) || (x == nil) != (y == nil) {
			return false
		}
		for i := range x {
			if !identical(x[i], y[i]) {
				return false
			}
		}
		return true
	default:
		return a == b
	}
}

// referenceString is the original rune-by-rune string writer, kept as the
// specification of appendString.
func referenceString(s string, ascii bool) string {
	var b bytes.Buffer
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || (ascii && r > 0x7e) || r == 0x2028 || r == 0x2029:
			if r > 0xffff {
				r1, r2 := surrogates(r)
				b.Write(appendU(nil, r1))
				b.Write(appendU(nil, r2))
			} else {
				b.Write(appendU(nil, r))
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// checkAgainstReference fails when the one-pass decoder accepts data that
// the reference decoder rejects or decodes differently, or when the fast
// path rejects a document the reference accepts (not wrong, but a lost
// optimisation worth knowing about).
func checkAgainstReference(t *testing.T, data []byte) {
	t.Helper()
	fast, ok := parseFast(data)
	ref, err := parseReference(data)
	if ok {
		require.NoError(t, err, "fast path accepted what the reference rejects: %q", data)
		require.True(t, identical(fast, ref), "fast path decoded %q differently", data)
	} else if err == nil {
		t.Fatalf("fast path rejected a valid document: %q", data)
	}
	for _, ascii := range []bool{false, true} {
		if s, isStr := ref.(string); isStr {
			require.Equal(t, referenceString(s, ascii), string(appendString(nil, s, ascii)))
		}
	}
}

func TestParseFastMatchesReference(t *testing.T) {
	docs := []string{
		`{}`, `[]`, `""`, `0`, `-0`, `-0.0e-0`, `1E+2`, `12.5e10`, `true`, `false`, `null`,
		` {"a" : [ 1 , 2 ] , "b" : { } } `, "\t\r\n[\n]\n",
		`"\"\\\/\b\f\n\r\t\u0000\u001f\u00e9\u2028"`,
		`"\ud83d\ude00"`, `"\ud800"`, `"\udc00"`, `"\ud800\u0041"`, `"\ud800\ud800\udc00"`, `"\uD83D\uDE00x"`,
		`{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10}`,
		`{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"a":10}`,
		`{"a":1,"\u0061":2}`, `{"k":[{"x":1,"x":2}]}`,
		"\"\x7f\"", `"é"`, `"😀"`,
		// rejected by both
		``, ` `, `{`, `[1,]`, `{"a":1,}`, `01`, `1.`, `.5`, `1e`, `-`, `+1`, `tru`, `nul`, `"\x"`, `"\'"`,
		`"\u12"`, `"\u12g4"`, "\"a\x01\"", `{"a" 1}`, `{1:2}`, `[1 2]`, `1 2`, `{} {}`, `"abc`, "\xef\xbb\xbf{}",
		"\v1", "1\v", `NaN`, `Infinity`, `-Infinity`,
		strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth),
		strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1),
		`{"big":` + strings.Repeat(`{"x":`, 600) + `1` + strings.Repeat(`}`, 600) + `}`,
	}
	for _, d := range docs {
		checkAgainstReference(t, []byte(d))
	}
	// Large objects exercise the member index, large documents the string
	// copying mode.
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < 3000; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"key` + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + strings.Repeat("y", i/26) + `":"` + strings.Repeat("v", 30) + `"`)
	}
	b.WriteString("}")
	checkAgainstReference(t, []byte(b.String()))
	dup := strings.TrimSuffix(b.String(), "}") + `,"keya":1}`
	checkAgainstReference(t, []byte(dup))
	_, err := Parse([]byte(dup))
	require.ErrorContains(t, err, `duplicate object key "keya"`)
}

func TestAppendStringMatchesReference(t *testing.T) {
	for _, s := range []string{
		"", "plain", "q\"b\\s/", "\x00\x01\x1f\x7f", "\n\r\t\b\f", "é\u2028\u2029😀", "\xff", "a\xc3", "\xed\xa0\x80",
		"\uFFFD", "<>&", strings.Repeat("ab\x00", 50),
	} {
		for _, ascii := range []bool{false, true} {
			require.Equal(t, referenceString(s, ascii), string(appendString(nil, s, ascii)), "%q ascii=%v", s, ascii)
		}
	}
}

func TestObjectIndex(t *testing.T) {
	o := NewObject()
	for i := 0; i < 100; i++ {
		o.Set(string(rune('A'+i%50))+strings.Repeat("k", i/50), i)
	}
	require.Equal(t, 100, o.Len())
	for i := 0; i < 100; i++ {
		v, ok := o.Get(string(rune('A'+i%50)) + strings.Repeat("k", i/50))
		require.True(t, ok)
		require.Equal(t, i, v)
	}
	c := o.Clone()
	for i := 0; i < 95; i++ {
		o.Delete(o.Keys()[0])
	}
	require.Equal(t, 5, o.Len())
	require.Equal(t, 100, c.Len(), "the clone keeps its members")
	k, v := c.At(99)
	require.Equal(t, "rk", k)
	require.Equal(t, 99, v)
	c.Set("new", 1)
	require.Equal(t, 1, c.Value("new"))
	require.False(t, o.Has("new"))
	s := c.CloneShallow()
	s.Set("A", "changed")
	require.Equal(t, 0, c.Value("A"))
	require.True(t, Equal(NewObjectSize(20), NewObject()))
}

// FuzzParseFast: the one-pass decoder and the reference decoder agree on
// every input, and appendString matches the reference string writer.
func FuzzParseFast(f *testing.F) {
	for _, s := range []string{
		`{"a":[1,2.5e-3,"x\u00e9\ud800"],"b":{"c":null,"d":true}}`, `"\ud83d\ude00"`, `{"a":1,"a":2}`,
		`[` + strings.Repeat(`{"k":1},`, 20) + `0]`, "\"\xff\"", `-0.0E+00`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkAgainstReference(t, data)
		if utf8.Valid(data) || len(data) < 64 {
			for _, ascii := range []bool{false, true} {
				require.Equal(t, referenceString(string(data), ascii), string(appendString(nil, string(data), ascii)))
			}
		}
		var std any
		if json.Unmarshal(data, &std) != nil {
			if _, err := Parse(data); err == nil {
				t.Fatalf("Parse accepted what encoding/json rejects: %q", data)
			}
		}
	})
}

func TestShapeObjects(t *testing.T) {
	names := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
	sh, err := NewShape(names)
	require.NoError(t, err)
	require.Equal(t, 10, sh.Len())
	_, err = NewShape([]string{"x", "y", "x"})
	require.Error(t, err)

	vals := func() []any {
		v := make([]any, len(names))
		for i := range v {
			v[i] = json.Number(string(rune('0' + i)))
		}
		return v
	}
	o1, o2 := sh.Object(vals()), sh.Object(vals())
	require.Equal(t, `{"a":0,"b":1,"c":2,"d":3,"e":4,"f":5,"g":6,"h":7,"i":8,"j":9}`, compactString(t, o1))
	require.Panics(t, func() { sh.Object(nil) })

	// Changing one object (the shared index is copied first) never shows
	// in the shape or in another object built from it.
	o1.Set("new", true)
	o1.Delete("a")
	o1.Set("b", "B")
	require.Equal(t, `{"b":"B","c":2,"d":3,"e":4,"f":5,"g":6,"h":7,"i":8,"j":9,"new":true}`, compactString(t, o1))
	require.Equal(t, `{"a":0,"b":1,"c":2,"d":3,"e":4,"f":5,"g":6,"h":7,"i":8,"j":9}`, compactString(t, o2))
	for _, k := range names {
		require.True(t, o2.Has(k), k)
	}
	require.False(t, o2.Has("new"))
	o3 := sh.Object(vals())
	require.Equal(t, 0, o3.Index("a"))
	require.False(t, o3.Has("new"))

	// Values-only copies share names (and shape) but not values.
	w := o2.WithValues(vals())
	w.Set("c", nil)
	require.Equal(t, json.Number("2"), o2.Value("c"))
	w.Set("z", 1)
	require.False(t, o2.Has("z"))
	require.Panics(t, func() { o2.WithValues(nil) })
	require.Equal(t, 0, (*Object)(nil).WithValues(nil).Len())
	require.Equal(t, -1, (*Object)(nil).Index("a"))

	// Names that need escaping are encoded member by member.
	esc, err := NewShape([]string{"é", "q\"", "\x7f"})
	require.NoError(t, err)
	o := esc.Object([]any{1, 2, 3})
	b, err := MarshalFile(o)
	require.NoError(t, err)
	require.Equal(t, "{\n  \"\\u00e9\": 1,\n  \"q\\\"\": 2,\n  \"\\u007f\": 3\n}", string(b))
	require.Equal(t, "{\"é\":1,\"q\\\"\":2,\"\x7f\":3}", compactString(t, o))
}

func TestNewObjectFrom(t *testing.T) {
	o, ok := NewObjectFrom([]string{"a", "b"}, []any{1, 2})
	require.True(t, ok)
	require.Equal(t, `{"a":1,"b":2}`, compactString(t, o))
	_, ok = NewObjectFrom([]string{"a", "a"}, []any{1, 2})
	require.False(t, ok)
	_, ok = NewObjectFrom([]string{"a"}, nil)
	require.False(t, ok)
	keys := make([]string, 20)
	for i := range keys {
		keys[i] = strings.Repeat("k", i+1)
	}
	o, ok = NewObjectFrom(keys, make([]any, 20))
	require.True(t, ok)
	require.Equal(t, 19, o.Index(strings.Repeat("k", 20)))
	keys[5] = keys[17]
	_, ok = NewObjectFrom(keys, make([]any, 20))
	require.False(t, ok)
}

func TestAppendMarshalFileReversible(t *testing.T) {
	deep := func(n int) any {
		var v any = json.Number("1")
		for i := 0; i < n; i++ {
			v = []any{v}
		}
		return v
	}
	tests := []struct {
		name string
		v    any
		want bool
	}{
		{"document", mustParse(t, `{"a":[1,-2.5e3,"é\u2028"],"b":{"c":null,"d":true},"e":{}}`), true},
		{"deepest", deep(MaxDepth), true},
		{"too deep", deep(MaxDepth + 1), false},
		{"invalid UTF-8 value", Obj("a", "\xff"), false},
		{"invalid UTF-8 name", Obj("\xc3", 1), false},
		{"empty number", Obj("a", json.Number("")), false},
		{"bad number", Obj("a", json.Number("01")), false},
		{"Go int", Obj("a", 1), false},
		{"Go float", []any{1.5}, false},
		{"nil object", Obj("a", (*Object)(nil)), false},
		{"nil array", Obj("a", []any(nil)), false},
		{"strings", Obj("a", []string{"x"}), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, rev, err := AppendMarshalFileReversible([]byte("prefix"), tc.v)
			require.NoError(t, err)
			require.Equal(t, tc.want, rev)
			file, err := MarshalFile(tc.v)
			require.NoError(t, err)
			require.Equal(t, "prefix"+string(file), string(out))
			if rev {
				back, err := Parse(file)
				require.NoError(t, err)
				require.True(t, identical(tc.v, back))
			}
		})
	}
	_, _, err := AppendMarshalFileReversible(nil, math.NaN())
	require.Error(t, err)
	b, err := AppendMarshal([]byte("x"), Obj("a", 1))
	require.NoError(t, err)
	require.Equal(t, `x{"a":1}`, string(b))
	b, err = AppendMarshal([]byte("x"), struct{}{})
	require.Error(t, err)
	require.Nil(t, b)
}

// FuzzMarshalFileReversible: whenever the encoder says the file text
// parses back exactly, it does.
func FuzzMarshalFileReversible(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":"\u00e9"}],"c":-0.5e-3}`))
	f.Add([]byte(`[[[[["x"]]]]]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Parse(data)
		if err != nil {
			return
		}
		out, rev, err := AppendMarshalFileReversible(nil, v)
		require.NoError(t, err)
		require.True(t, rev, "a parsed document is always reversible: %q", data)
		back, err := Parse(out)
		require.NoError(t, err)
		require.True(t, identical(v, back))
	})
}
