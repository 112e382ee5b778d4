package jsonx

import (
	"strings"
	"testing"
)

// FuzzParse: Parse never panics; a parsed document survives Marshal → Parse
// and MarshalFile → Parse unchanged (Equal, and byte-identical on a second
// Marshal, which also pins member order and number literals); MarshalFile
// output is pure ASCII.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		``, ` `, `null`, `true`, `0`, `-0.0`, `8.0`, `1e400`, `"x"`, `[]`, `{}`,
		`{"a":1,"b":[1,2,{"c":null}],"d":"\u00e9\ud83d\ude00\n\u0001"}`,
		`{"a":1,"a":2}`, `{"a":1}x`, "\"\xff\"", `[[[[[[[[]]]]]]]]`,
		strings.Repeat("[", 600) + strings.Repeat("]", 600),
		`{"schema_version":5,"llm":{"model":"m","api_key":"gAAAAAB="},"mcp_config":{"s":{"headers":{"Authorization":"Bearer x"}}}}`,
		`"\ud800"`, `"\u2028<>&"`, `{"":""}`, `[1,-2.5e-3,3E+7]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Parse(data)
		if err != nil {
			if v != nil {
				t.Fatalf("value returned with error %v", err)
			}
			return
		}
		compact, err := Marshal(v)
		if err != nil {
			t.Fatalf("Marshal of a parsed value failed: %v", err)
		}
		back, err := Parse(compact)
		if err != nil {
			t.Fatalf("Marshal output does not parse: %v\n%s", err, compact)
		}
		if !Equal(v, back) {
			t.Fatalf("Marshal round trip not Equal:\n%s", compact)
		}
		again, err := Marshal(back)
		if err != nil || string(again) != string(compact) {
			t.Fatalf("Marshal not stable:\n%s\n%s", compact, again)
		}

		file, err := MarshalFile(v)
		if err != nil {
			t.Fatalf("MarshalFile of a parsed value failed: %v", err)
		}
		for _, c := range file {
			if c >= 0x80 {
				t.Fatalf("MarshalFile output is not ASCII: %q", file)
			}
		}
		fromFile, err := Parse(file)
		if err != nil {
			t.Fatalf("MarshalFile output does not parse: %v\n%s", err, file)
		}
		if !Equal(v, fromFile) {
			t.Fatalf("MarshalFile round trip not Equal:\n%s", file)
		}
		if again, _ := Marshal(fromFile); string(again) != string(compact) {
			t.Fatalf("MarshalFile round trip changed order or literals:\n%s\n%s", compact, again)
		}

		if !Equal(v, Clone(v)) {
			t.Fatal("Clone not Equal to the original")
		}
	})
}
