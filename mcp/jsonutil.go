package mcp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"sort"
	"strconv"

	"github.com/openhands-go/sdk/secret"
)

// objWriter builds a compact JSON object, skipping null and {} values.
type objWriter struct {
	b   bytes.Buffer
	n   int
	err error
}

func (w *objWriter) raw(key string, v []byte) {
	if w.err != nil || v == nil || string(v) == "null" || string(v) == "{}" {
		return
	}
	if w.n == 0 {
		w.b.WriteByte('{')
	} else {
		w.b.WriteByte(',')
	}
	w.n++
	writeString(&w.b, key)
	w.b.WriteByte(':')
	w.b.Write(v)
}

func (w *objWriter) str(key string, s *string) {
	if s != nil {
		w.raw(key, quote(*s))
	}
}

func (w *objWriter) secretStr(key string, s secret.Str, plain bool) {
	if !s.IsSet() {
		return
	}
	if plain {
		w.raw(key, quote(s.Reveal()))
	} else {
		w.raw(key, quote(secret.Marker))
	}
}

func (w *objWriter) float(key string, f *float64) {
	if f == nil {
		return
	}
	enc, err := floatJSON(*f)
	if err != nil {
		w.fail(fmt.Errorf("member %q: %w", key, err))
		return
	}
	w.raw(key, enc)
}

func (w *objWriter) boolean(key string, v *bool) {
	if v != nil {
		w.raw(key, []byte(strconv.FormatBool(*v)))
	}
}

func (w *objWriter) secretMap(key string, m map[string]secret.Str, plain bool) {
	if len(m) == 0 {
		return
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range sortedKeys(m) {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(&b, k)
		b.WriteByte(':')
		v := m[k]
		switch {
		case plain:
			writeString(&b, v.Reveal())
		case v.IsSet():
			writeString(&b, secret.Marker)
		default:
			writeString(&b, "")
		}
	}
	b.WriteByte('}')
	w.raw(key, b.Bytes())
}

func (w *objWriter) any(key string, v any) {
	if v == nil {
		return
	}
	enc, err := json.Marshal(v)
	if err != nil {
		w.fail(fmt.Errorf("member %q: value cannot be encoded as JSON", key))
		return
	}
	w.raw(key, enc)
}

func (w *objWriter) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

// bytes returns the object ("{}" when empty).
func (w *objWriter) bytes() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	if w.n == 0 {
		return []byte("{}"), nil
	}
	w.b.WriteByte('}')
	return w.b.Bytes(), nil
}

func quote(s string) []byte {
	enc, _ := json.Marshal(s)
	return enc
}

func writeString(b *bytes.Buffer, s string) { b.Write(quote(s)) }

// floatJSON prints integral values with ".0" like upstream.
func floatJSON(f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, errors.New("not a finite number")
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e16 {
		return []byte(strconv.FormatFloat(f, 'f', -1, 64) + ".0"), nil
	}
	return json.Marshal(f)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// members is a decoded JSON object: raw member values by name.
type members map[string]json.RawMessage

// parseObject splits a JSON object into members. Duplicate members are an
// error; errors never quote the input.
func parseObject(data []byte) (members, error) {
	if !json.Valid(data) {
		var raw json.RawMessage
		err := json.Unmarshal(data, &raw)
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("invalid JSON at offset %d", se.Offset)
		}
		return nil, errors.New("invalid JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, errors.New("expected a JSON object")
	}
	out := members{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, errors.New("invalid JSON object")
		}
		key, ok := tok.(string)
		if !ok {
			return nil, errors.New("invalid JSON object")
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("duplicate member %q", key)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, errors.New("invalid JSON object")
		}
		out[key] = raw
	}
	if _, err := dec.Token(); err != nil {
		return nil, errors.New("invalid JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the JSON object")
	}
	return out, nil
}

// allow reports the first member not in allowed (sorted for determinism).
func (m members) allow(allowed ...string) error {
	for _, k := range sortedKeys(m) {
		ok := false
		for _, a := range allowed {
			if k == a {
				ok = true
				break
			}
		}
		if !ok {
			return fmt.Errorf("unknown member %q", k)
		}
	}
	return nil
}

func jsonKind(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

func memberErr(key, want string, raw json.RawMessage) error {
	return fmt.Errorf("member %q: expected %s, got %s", key, want, jsonKind(raw))
}

// optString decodes a string-or-null member (absent → nil).
func (m members) optString(key string) (*string, error) {
	raw, ok := m[key]
	if !ok || string(raw) == "null" {
		return nil, nil
	}
	if jsonKind(raw) != "a string" {
		return nil, memberErr(key, "a string or null", raw)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, memberErr(key, "a string or null", raw)
	}
	return &s, nil
}

func (m members) secretStr(key string) (secret.Str, error) {
	s, err := m.optString(key)
	if err != nil || s == nil {
		return "", err
	}
	return secret.Str(*s), nil
}

func (m members) optFloat(key string) (*float64, error) {
	raw, ok := m[key]
	if !ok || string(raw) == "null" {
		return nil, nil
	}
	if jsonKind(raw) != "a number" {
		return nil, memberErr(key, "a number or null", raw)
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return nil, fmt.Errorf("member %q: number out of range", key)
	}
	return &f, nil
}

func (m members) optBool(key string) (*bool, error) {
	raw, ok := m[key]
	if !ok || string(raw) == "null" {
		return nil, nil
	}
	switch string(raw) {
	case "true":
		v := true
		return &v, nil
	case "false":
		v := false
		return &v, nil
	}
	return nil, memberErr(key, "a boolean or null", raw)
}

// secretMap decodes an object of strings (null → nil, {} → nil).
func (m members) secretMap(key string) (map[string]secret.Str, error) {
	raw, ok := m[key]
	if !ok || string(raw) == "null" {
		return nil, nil
	}
	if jsonKind(raw) != "an object" {
		return nil, memberErr(key, "an object of strings or null", raw)
	}
	var sm map[string]*string
	if err := json.Unmarshal(raw, &sm); err != nil {
		return nil, fmt.Errorf("member %q: expected an object of strings", key)
	}
	if len(sm) == 0 {
		return nil, nil
	}
	out := make(map[string]secret.Str, len(sm))
	for k, v := range sm {
		if v == nil {
			return nil, fmt.Errorf("member %q: value of %q: expected a string, got null", key, k)
		}
		out[k] = secret.Str(*v)
	}
	return out, nil
}

// anyMap decodes an object (null → nil, {} → nil) keeping numbers exact.
func (m members) anyMap(key string) (map[string]any, error) {
	raw, ok := m[key]
	if !ok || string(raw) == "null" {
		return nil, nil
	}
	if jsonKind(raw) != "an object" {
		return nil, memberErr(key, "an object or null", raw)
	}
	v, err := decodeAny(raw)
	if err != nil {
		return nil, fmt.Errorf("member %q: invalid object", key)
	}
	out := v.(map[string]any)
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func decodeAny(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// formatJSON implements fmt.Formatter for the types of this package: every
// verb prints the redacted JSON (from enc); %#v prefixes the type name.
func formatJSON(f fmt.State, verb rune, typeName string, enc func() ([]byte, error)) {
	b, err := enc()
	s := string(b)
	if err != nil {
		s = "<unencodable: " + err.Error() + ">"
	}
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, typeName+s)
		return
	}
	switch verb {
	case 's', 'q', 'x', 'X':
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), s)
	default:
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, 's'), s)
	}
}

func logJSON(enc func() ([]byte, error)) slog.Value {
	b, err := enc()
	if err != nil {
		return slog.StringValue("<unencodable>")
	}
	return slog.StringValue(string(b))
}

// isNullJSON reports whether data is the JSON literal null.
func isNullJSON(data []byte) bool { return string(bytes.TrimSpace(data)) == "null" }
