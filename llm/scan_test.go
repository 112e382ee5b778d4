package llm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// referenceParseObject is the token-by-token member splitter the scanner
// replaced; the differential tests below hold the scanner to it.
func referenceParseObject(data []byte) ([]member, error) {
	if !json.Valid(data) {
		return nil, errors.New("invalid JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, errors.New("expected a JSON object")
	}
	var out []member
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, errors.New("invalid JSON object")
		}
		key := tok.(string)
		if seen[key] {
			return nil, fmt.Errorf("duplicate member %q", key)
		}
		seen[key] = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, errors.New("invalid JSON object")
		}
		var c bytes.Buffer
		if err := json.Compact(&c, raw); err != nil {
			return nil, errors.New("invalid JSON object")
		}
		out = append(out, member{key: key, value: c.Bytes()})
	}
	if _, err := dec.Token(); err != nil {
		return nil, errors.New("invalid JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the JSON object")
	}
	return out, nil
}

// referenceDecode is the former UnmarshalJSON: reference members, then the
// field decoders.
func referenceDecode(data []byte) (*LLM, error) {
	members, err := referenceParseObject(data)
	if err != nil {
		return nil, err
	}
	fields := fieldTable()
	out := Default()
	for _, m := range members {
		f, ok := lookupField(&fields, m.key)
		if !ok {
			out.unknown = append(out.unknown, m)
			continue
		}
		// The reference decodes strings through encoding/json only.
		if err := referenceDecodeValue(f.ptr(out), m.value, f.name); err != nil {
			return nil, fmt.Errorf("llm: field %q: %w", f.name, err)
		}
	}
	return out, nil
}

func referenceDecodeValue(p any, raw json.RawMessage, name string) error {
	switch v := p.(type) {
	case *string, **string:
		if isNull(raw) {
			if pp, ok := v.(**string); ok {
				*pp = nil
				return nil
			}
		}
		if jsonKind(raw) != "a string" {
			return decodeValue(p, raw, name) // same type error
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		if sp, ok := v.(*string); ok {
			*sp = s
		} else {
			*v.(**string) = &s
		}
		return nil
	}
	return decodeValue(p, raw, name)
}

func lookupField(fields *[numFields]field, name string) (field, bool) {
	for _, f := range fields {
		if f.name == name {
			return f, true
		}
	}
	return field{}, false
}

var scanSeeds = []string{
	`{}`,
	` { "model" : "m" , "api_key":"k" } `,
	`{"m\u006fdel":"escaped key","api_key":"k"}`,
	`{"model":"a\"b\\c\u00e9\n","base_url":"x y"}`,
	`{"model":"\xff\xfe bad utf8","usage_id":"ok"}`,
	`{"model":"ünïcödé","ünknown":"ключ","x\ud83d\ude00":1}`,
	`{"future":{"a":[1, 2 ,{"b":"}]\""}], "c" : null},"model":"m","zz":[ ]}`,
	`{"extra_headers":{"A":"1","B":null},"capability_overrides":{"v":true},"litellm_extra_body":{"n":1e400,"s":"x"}}`,
	`{"extra_headers":{},"capability_overrides":{ },"litellm_extra_body":{}}`,
	`{"timeout":120.0,"num_retries":3e0,"seed":-1,"temperature":0,"top_p":1E-2}`,
	`{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"n":14,"o":15,"p":16,"q":17,"r":18,"a":19}`,
	`{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"n":14,"o":15,"p":16,"q":17,"r":18,"s":19}`,
	`{"model":"a","mod\u0065l":"b"}`,
	`{"x":1,"x":2}`,
	`{"temperature":"hot","model":"a","model":"b"}`,
	`[]`, `"s"`, `1`, `null`, ``, `{`, `{"model":"a"} {}`, `{"model":}`,
}

func TestScannerMatchesReference(t *testing.T) {
	for _, in := range scanSeeds {
		t.Run(in, func(t *testing.T) { checkAgainstReference(t, []byte(in)) })
	}
	// A full emitted object, in declaration order and reversed.
	full, err := Default().PlaintextJSON()
	require.NoError(t, err)
	checkAgainstReference(t, full)
	members, err := parseObject(full)
	require.NoError(t, err)
	var b strings.Builder
	b.WriteByte('{')
	for i := len(members) - 1; i >= 0; i-- {
		if i != len(members)-1 {
			b.WriteByte(',')
		}
		writeKey(&b, members[i].key)
		b.Write(members[i].value)
	}
	b.WriteByte('}')
	checkAgainstReference(t, []byte(b.String()))
}

func writeKey(b *strings.Builder, k string) {
	enc, _ := json.Marshal(k)
	b.Write(enc)
	b.WriteByte(':')
}

func checkAgainstReference(t *testing.T, data []byte) {
	t.Helper()
	if string(bytes.TrimSpace(data)) == "null" {
		return
	}
	want, wantErr := referenceDecode(data)
	var got LLM
	gotErr := got.UnmarshalJSON(data)
	if wantErr != nil {
		require.Error(t, gotErr, "reference failed with %v", wantErr)
		if strings.Contains(wantErr.Error(), "duplicate member") || strings.Contains(wantErr.Error(), "field ") {
			require.Contains(t, gotErr.Error(), strings.TrimPrefix(wantErr.Error(), "llm: "))
		}
		return
	}
	require.NoError(t, gotErr)
	require.Equal(t, want, &got)

	refMembers, err := referenceParseObject(data)
	require.NoError(t, err)
	members, err := parseObject(data)
	require.NoError(t, err)
	require.Equal(t, refMembers, members)
	for _, m := range refMembers {
		require.True(t, HasMember(data, m.key), m.key)
	}
}

func FuzzScannerMatchesReference(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkAgainstReference(t, data) })
}

func TestHasMember(t *testing.T) {
	cases := []struct {
		in   string
		name string
		want bool
	}{
		{`{"model":"m"}`, "model", true},
		{`{"mod\u0065l":"m"}`, "model", true},
		{`{"api_key":"k"}`, "model", false},
		{`{"llm":{"model":"nested"}}`, "model", false},
		{`{"x":"\"model\":1"}`, "model", false},
		{`{"future":1}`, "future", true},
		{`{"model":"a","model":"b"}`, "model", false},
		{`[{"model":1}]`, "model", false},
		{`{"model":`, "model", false},
		{``, "model", false},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, HasMember([]byte(tc.in), tc.name), tc.in)
	}
}

func TestManyUnknownMembersNotQuadratic(t *testing.T) {
	var b strings.Builder
	b.WriteByte('{')
	const n = 20000
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"k%d":%d`, i, i)
	}
	b.WriteString(`,"k7":0}`)
	var l LLM
	err := l.UnmarshalJSON([]byte(b.String()))
	require.ErrorContains(t, err, `duplicate member "k7"`)

	ok := strings.TrimSuffix(b.String(), `,"k7":0}`) + "}"
	require.NoError(t, l.UnmarshalJSON([]byte(ok)))
	require.Len(t, l.Unknown(), n)
}
