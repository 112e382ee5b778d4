package jsonx

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func mustParse(t testing.TB, s string) any {
	t.Helper()
	v, err := Parse([]byte(s))
	require.NoError(t, err, "input: %q", s)
	return v
}

func compactString(t testing.TB, v any) string {
	t.Helper()
	b, err := Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// ---------------------------------------------------------------------------
// Parse

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantMsg string
		offset  int64 // -1: do not check
	}{
		{"duplicate key", `{"a":1,"a":2}`, "duplicate object key", -1},
		{"duplicate key after unescaping", `{"a":1,"\u0061":2}`, "duplicate object key", -1},
		{"nested duplicate key", `{"x":[{"k":1,"k":null}]}`, "duplicate object key", -1},
		{"invalid UTF-8 in string", "{\"a\":\"\xff\"}", "invalid UTF-8", 6},
		{"invalid UTF-8 in key", "{\"\xc3\":1}", "invalid UTF-8", 2},
		{"UTF-8 encoded surrogate", "\"\xed\xa0\x80\"", "invalid UTF-8", 1},
		{"overlong encoding", "\"\xc0\xaf\"", "invalid UTF-8", 1},
		{"trailing object", `{} {}`, "unexpected data after", -1},
		{"trailing garbage", `{"a":1}x`, "after", -1},
		{"trailing scalar", `1 2`, "after", -1},
		{"trailing close bracket", `[1]]`, "", -1},
		{"truncated object", `{"a":`, "", -1},
		{"truncated array", `[1,`, "", -1},
		{"unterminated string", `"abc`, "", -1},
		{"bare word", `nul`, "", -1},
		{"single quotes", `{'a':1}`, "", -1},
		{"trailing comma", `{"a":1,}`, "", -1},
		{"NaN literal", `NaN`, "", -1},
		{"leading zero", `01`, "", -1},
		{"non-string key", `{1:2}`, "", -1},
		{"lone close", `}`, "", -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := Parse([]byte(tc.in))
			require.Error(t, err)
			require.Nil(t, v)
			var se *SyntaxError
			require.True(t, errors.As(err, &se), "want *SyntaxError, got %T: %v", err, err)
			require.Contains(t, err.Error(), tc.wantMsg)
			if tc.offset >= 0 {
				require.Equal(t, tc.offset, se.Offset)
			}
		})
	}
}

func TestParseEmpty(t *testing.T) {
	for _, in := range []string{"", " ", "\n\t\r "} {
		_, err := Parse([]byte(in))
		require.ErrorIs(t, err, ErrEmpty, "%q", in)
	}
	_, err := Parse(nil)
	require.ErrorIs(t, err, ErrEmpty)
}

func TestParseDepth(t *testing.T) {
	deep := func(n int, open, close string) []byte {
		return []byte(strings.Repeat(open, n) + strings.Repeat(close, n))
	}
	// Exactly MaxDepth levels parse; one more does not.
	_, err := Parse(deep(MaxDepth, "[", "]"))
	require.NoError(t, err)
	_, err = Parse(deep(MaxDepth+1, "[", "]"))
	require.Error(t, err)
	require.Contains(t, err.Error(), "nesting deeper than 512")

	// 10,000 levels (arrays, objects, unbalanced) fail with an error, not a
	// stack overflow.
	for _, in := range [][]byte{
		deep(10000, "[", "]"),
		deep(10000, `{"a":`, "}"),
		[]byte(strings.Repeat("[", 10000)),
		[]byte(strings.Repeat(`{"a":[`, 10000)),
	} {
		_, err := Parse(in)
		var se *SyntaxError
		require.True(t, errors.As(err, &se), "got %v", err)
		require.Contains(t, se.Msg, "nesting")
	}

	// Brackets inside strings do not count.
	s := `["` + strings.Repeat("[{", 1000) + `\"\\"]`
	v := mustParse(t, s)
	require.Len(t, v.([]any), 1)
}

func TestParseValues(t *testing.T) {
	v := mustParse(t, `{"s":"x\u00e9\ud83d\ude00","n":-1.5e3,"t":true,"f":false,"z":null,"a":[1,"2",[]],"o":{}}`)
	o := v.(*Object)
	require.Equal(t, []string{"s", "n", "t", "f", "z", "a", "o"}, o.Keys())
	s, ok := o.String("s")
	require.True(t, ok)
	require.Equal(t, "xé😀", s)
	require.Equal(t, json.Number("-1.5e3"), o.Value("n"))
	require.Equal(t, true, o.Value("t"))
	require.Equal(t, false, o.Value("f"))
	z, present := o.Get("z")
	require.True(t, present)
	require.Nil(t, z)
	require.Equal(t, []any{json.Number("1"), "2", []any{}}, o.Value("a"))
	require.Equal(t, 0, o.Object("o").Len())

	for _, scalar := range []string{`"x"`, `1`, `true`, `null`, `[]`} {
		_, err := Parse([]byte(scalar))
		require.NoError(t, err, scalar)
	}
}

func TestParseObject(t *testing.T) {
	o, err := ParseObject([]byte(` {"a":1} `))
	require.NoError(t, err)
	require.Equal(t, 1, o.Len())
	for _, in := range []string{`[]`, `1`, `"s"`, `null`} {
		_, err := ParseObject([]byte(in))
		var se *SyntaxError
		require.True(t, errors.As(err, &se), in)
		require.Contains(t, se.Msg, "not an object")
	}
	_, err = ParseObject([]byte(``))
	require.ErrorIs(t, err, ErrEmpty)
}

func TestOrderPreservation(t *testing.T) {
	in := `{"z":1,"a":{"y":2,"b":3,"m":[{"q":1,"c":2}]},"m":null}`
	v := mustParse(t, in)
	require.Equal(t, []string{"z", "a", "m"}, v.(*Object).Keys())
	require.Equal(t, []string{"y", "b", "m"}, v.(*Object).Object("a").Keys())
	require.Equal(t, in, compactString(t, v))
}

func TestNumberLiteralPreservation(t *testing.T) {
	for _, lit := range []string{
		"8.0", "8", "-0", "-0.0", "1e5", "1E+05", "1.50", "0.1",
		"123456789012345678901234567890", "9007199254740993", "1e400", "-1.5e-300",
	} {
		v := mustParse(t, `{"n":`+lit+`}`)
		require.Equal(t, json.Number(lit), v.(*Object).Value("n"))
		require.Equal(t, `{"n":`+lit+`}`, compactString(t, v))
		f, err := MarshalFile(v)
		require.NoError(t, err)
		require.Equal(t, "{\n  \"n\": "+lit+"\n}", string(f))
	}
}

// ---------------------------------------------------------------------------
// Marshal / MarshalFile

func TestMarshalFileFormat(t *testing.T) {
	v := mustParse(t, `{"a":1,"b":[1,"x",{"c":null}],"e":{},"f":[],"g":{"h":true}}`)
	b, err := MarshalFile(v)
	require.NoError(t, err)
	want := `{
  "a": 1,
  "b": [
    1,
    "x",
    {
      "c": null
    }
  ],
  "e": {},
  "f": [],
  "g": {
    "h": true
  }
}`
	require.Equal(t, want, string(b))
	require.False(t, strings.HasSuffix(string(b), "\n"), "no trailing newline")
}

func TestMarshalFileEscaping(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"é", `"\u00e9"`},
		{"日本", `"\u65e5\u672c"`},
		{"😀", `"\ud83d\ude00"`},          // surrogate pair, lower-case hex
		{"\U0010FFFF", `"\udbff\udfff"`}, // highest code point
		{"a\"b\\c/", `"a\"b\\c/"`},
		{"\n\r\t\b\f", `"\n\r\t\b\f"`},
		{"\x00\x01\x1f", `"\u0000\u0001\u001f"`},
		{"\x7f", `"\u007f"`}, // Python's ensure_ascii escapes DEL too
		{"~ <>&", `"~ <>&"`},
		{"\u2028\u2029", `"\u2028\u2029"`},
		{"bad\xffutf8", `"bad\ufffdutf8"`},
	}
	for _, tc := range tests {
		b, err := MarshalFile(tc.in)
		require.NoError(t, err)
		require.Equal(t, tc.want, string(b), "%q", tc.in)
		for _, c := range b {
			require.Less(t, c, byte(0x80), "MarshalFile output must be ASCII")
		}
		// And it parses back to the same string (invalid UTF-8 excepted).
		if !strings.Contains(tc.in, "\xff") {
			require.Equal(t, tc.in, mustParse(t, string(b)))
		}
	}
	// Keys are escaped too.
	b, err := MarshalFile(Obj("ключ", "é"))
	require.NoError(t, err)
	require.Equal(t, "{\n  \"\\u043a\\u043b\\u044e\\u0447\": \"\\u00e9\"\n}", string(b))
}

func TestMarshalCompact(t *testing.T) {
	v := Obj("a", "é😀<>&", "b", []any{json.Number("1"), nil, true}, "c", NewObject(), "d", "\x01\u2028\n")
	require.Equal(t, `{"a":"é😀<>&","b":[1,null,true],"c":{},"d":"\u0001\u2028\n"}`, compactString(t, v))

	raw, err := json.Marshal(v) // *Object implements json.Marshaler
	require.NoError(t, err)
	require.True(t, Equal(v, mustParse(t, string(raw))))
}

func TestMarshalGoValues(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{nil, `null`},
		{(*Object)(nil), `null`},
		{7, `7`},
		{int64(-9), `-9`},
		{1.0, `1.0`},
		{0.5, `0.5`},
		{[]string{"a", "b"}, `["a","b"]`},
		{json.Number(""), `0`},
		{json.RawMessage(`{"x":1}`), `{"x":1}`},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, compactString(t, tc.in), "%#v", tc.in)
	}
	for _, bad := range []any{math.NaN(), math.Inf(1), math.Inf(-1), map[string]any{}, struct{}{}, []int{1}} {
		_, err := Marshal(bad)
		require.Error(t, err, "%#v", bad)
		_, err = Marshal(Obj("k", []any{bad}))
		require.Error(t, err, "nested %#v", bad)
	}
}

func TestFormatFloat(t *testing.T) {
	// Expected values are Python's repr().
	tests := map[float64]string{
		0:                    "0.0",
		math.Copysign(0, -1): "-0.0",
		1:                    "1.0",
		-2.5:                 "-2.5",
		0.1:                  "0.1",
		1e6:                  "1000000.0",
		1234567890:           "1234567890.0",
		1e15:                 "1000000000000000.0",
		9999999999999998:     "9999999999999998.0",
		1e16:                 "1e+16",
		1.5e17:               "1.5e+17",
		1e100:                "1e+100",
		0.0001:               "0.0001",
		0.00001:              "1e-05",
		1.5e-7:               "1.5e-07",
		5e-324:               "5e-324",
		math.MaxFloat64:      "1.7976931348623157e+308",
		math.NaN():           "nan",
		math.Inf(1):          "inf",
		math.Inf(-1):         "-inf",
	}
	for f, want := range tests {
		require.Equal(t, want, FormatFloat(f), "%v", f)
	}
}

// ---------------------------------------------------------------------------
// Object operations

func TestSetAndDeleteOrder(t *testing.T) {
	o := Obj("a", 1, "b", 2, "c", 3)
	o.Set("b", 20) // existing: keeps its place
	require.Equal(t, []string{"a", "b", "c"}, o.Keys())
	require.Equal(t, 20, o.Value("b"))

	o.Set("d", 4) // new: appended
	require.Equal(t, []string{"a", "b", "c", "d"}, o.Keys())

	keys := o.Keys()
	o.Delete("a")
	require.Equal(t, []string{"b", "c", "d"}, o.Keys())
	require.Equal(t, []string{"a", "b", "c", "d"}, keys, "a Keys slice taken earlier is not disturbed")
	require.False(t, o.Has("a"))

	o.Set("a", 1) // re-added after delete: goes to the end
	require.Equal(t, []string{"b", "c", "d", "a"}, o.Keys())

	o.Delete("missing") // no-op
	o.Delete("d")
	o.Delete("a")
	require.Equal(t, []string{"b", "c"}, o.Keys())
	require.Equal(t, 2, o.Len())

	o.Set("n", nil)
	require.True(t, o.Has("n"), "a null member is present")
	require.Nil(t, o.Value("n"))
	require.Equal(t, `{"b":20,"c":3,"n":null}`, compactString(t, o))
}

func TestZeroAndNilObjects(t *testing.T) {
	var zero Object
	zero.Set("a", 1)
	require.Equal(t, []string{"a"}, zero.Keys())

	var nilObj *Object
	require.Equal(t, 0, nilObj.Len())
	require.Nil(t, nilObj.Keys())
	require.False(t, nilObj.Has("a"))
	_, ok := nilObj.Get("a")
	require.False(t, ok)
	require.Nil(t, nilObj.Object("a"))
	nilObj.Delete("a")
	require.Nil(t, nilObj.Clone())
}

func TestAccessors(t *testing.T) {
	o := mustParse(t, `{"s":"x","n":1,"o":{"k":1},"z":null}`).(*Object)
	s, ok := o.String("s")
	require.True(t, ok)
	require.Equal(t, "x", s)
	_, ok = o.String("n")
	require.False(t, ok)
	_, ok = o.String("missing")
	require.False(t, ok)
	require.NotNil(t, o.Object("o"))
	require.Nil(t, o.Object("s"))
	require.Nil(t, o.Object("z"))
	require.Nil(t, o.Value("missing"))

	odd := Obj("a", 1, "dangling")
	require.Equal(t, []string{"a"}, odd.Keys())
}

func TestCloneIndependence(t *testing.T) {
	orig := mustParse(t, `{"a":{"b":[1,{"c":"d"}]},"e":[[1]],"f":"s"}`).(*Object)
	want := compactString(t, orig)
	c := orig.Clone()
	require.True(t, Equal(orig, c))

	c.Object("a").Value("b").([]any)[1].(*Object).Set("c", "changed")
	c.Object("a").Value("b").([]any)[0] = "changed"
	c.Value("e").([]any)[0].([]any)[0] = "changed"
	c.Object("a").Set("new", 1)
	c.Delete("f")
	require.Equal(t, want, compactString(t, orig), "original untouched")

	// The package-level Clone handles every value type.
	arr := []any{Obj("x", 1), []any{2}}
	ac := Clone(arr).([]any)
	ac[0].(*Object).Set("x", 9)
	ac[1].([]any)[0] = 9
	require.Equal(t, `[{"x":1},[2]]`, compactString(t, arr))
	require.Equal(t, "s", Clone("s"))
	require.Nil(t, Clone(nil))
	require.Equal(t, json.Number("1.0"), Clone(json.Number("1.0")))
}

func TestEqual(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{`{"a":1,"b":2}`, `{"b":2,"a":1}`, true}, // member order ignored
		{`[1,2]`, `[2,1]`, false},                // array order matters
		{`{"a":1}`, `{"a":1,"b":null}`, false},   // absent != null
		{`{"a":null}`, `{"b":null}`, false},
		{`1`, `1.0`, true},
		{`1`, `1e0`, true},
		{`100`, `1E2`, true},
		{`0`, `-0`, true},
		{`0.0`, `-0.0`, true},
		{`0.1`, `0.10`, true},
		{`1`, `2`, false},
		{`9007199254740993`, `9007199254740992`, false}, // integers compare exactly
		{`9007199254740993`, `9007199254740992.0`, false},
		{`9007199254740992`, `9007199254740992.0`, true},
		{`123456789012345678901234567890`, `123456789012345678901234567890`, true},
		{`123456789012345678901234567891`, `123456789012345678901234567890`, false},
		{`1e400`, `2e400`, true}, // both overflow to inf, as in Python
		{`1e400`, `1`, false},
		{`1` + strings.Repeat("0", 400), `1e400`, false},
		{`1e-400`, `0`, true},
		{`1`, `"1"`, false},
		{`true`, `1`, false},
		{`null`, `false`, false},
		{`null`, `null`, true},
		{`""`, `null`, false},
		{`[]`, `{}`, false},
		{`{"a":[{"b":[1,{"c":2.0}]}]}`, `{"a":[{"b":[1,{"c":2}]}]}`, true},
		{`{"a":[{"b":[1,{"c":2.5}]}]}`, `{"a":[{"b":[1,{"c":2}]}]}`, false},
	}
	for _, tc := range tests {
		a, b := mustParse(t, tc.a), mustParse(t, tc.b)
		require.Equal(t, tc.want, Equal(a, b), "%s vs %s", tc.a, tc.b)
		require.Equal(t, tc.want, Equal(b, a), "%s vs %s (swapped)", tc.b, tc.a)
	}

	// Go-built numbers compare with parsed ones.
	require.True(t, Equal(5, json.Number("5")))
	require.True(t, Equal(json.Number("5.0"), int64(5)))
	require.True(t, Equal(2.5, json.Number("2.5")))
	require.False(t, Equal(math.NaN(), math.NaN()))
	require.False(t, Equal(5, "5"))
	require.True(t, Equal(Obj("a", 1), mustParse(t, `{"a":1.0}`)))
}

func TestTruthy(t *testing.T) {
	for _, c := range []struct {
		v    any
		want bool
	}{
		{nil, false}, {false, false}, {true, true}, {"", false}, {"x", true},
		{json.Number("0"), false}, {json.Number("0.0"), false}, {json.Number("-0"), false},
		{json.Number("2"), true}, {json.Number("1e999"), true},
		{[]any{}, false}, {[]any{nil}, true}, {NewObject(), false}, {Obj("a", nil), true},
		{0, false}, {3, true}, {0.0, false},
	} {
		if got := Truthy(c.v); got != c.want {
			t.Errorf("Truthy(%#v) = %v, want %v", c.v, got, c.want)
		}
	}
}
