package jsonscan

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestSkipValue(t *testing.T) {
	for _, c := range []struct{ doc, first string }{
		{`"a\"b" , 1`, `"a\"b"`},
		{`"a\\" ,1`, `"a\\"`},
		{`{"x":[1,{"y":"}"}],"z":"\\\""} tail`, `{"x":[1,{"y":"}"}],"z":"\\\""}`},
		{`[[],{}] ,`, `[[],{}]`},
		{`-1.5e3,`, `-1.5e3`},
		{`true]`, `true`},
		{`null}`, `null`},
	} {
		if got := c.doc[:SkipValue([]byte(c.doc), 0)]; got != c.first {
			t.Errorf("SkipValue(%q) took %q, want %q", c.doc, got, c.first)
		}
	}
	if got := SkipSpace([]byte(" \t\r\nx"), 0); got != 4 {
		t.Errorf("SkipSpace = %d", got)
	}
}

func TestPlainString(t *testing.T) {
	for raw, want := range map[string]bool{"abc": true, "": true, "é": true, `a\n`: false, "\xff": false, `\u00e9`: false} {
		if got := PlainString([]byte(raw)); got != want {
			t.Errorf("PlainString(%q) = %v, want %v", raw, got, want)
		}
	}
}

// FuzzSkipValue: on any valid JSON value followed by a separator, SkipValue
// stops exactly at the end of the value.
func FuzzSkipValue(f *testing.F) {
	for _, s := range []string{`"x"`, `{"a":[1,"]"]}`, `"\\\""`, `[{"\"":{}}]`, `12`, `false`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v any
		if json.Unmarshal([]byte(s), &v) != nil {
			return
		}
		var buf bytes.Buffer
		if json.Compact(&buf, []byte(s)) != nil {
			return
		}
		doc := append(buf.Bytes(), ',')
		if got := SkipValue(doc, 0); got != len(doc)-1 {
			t.Fatalf("SkipValue(%q) = %d, want %d", doc, got, len(doc)-1)
		}
	})
}
