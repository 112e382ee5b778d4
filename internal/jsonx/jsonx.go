// Package jsonx is the server's JSON document model: objects keep the order
// of their members (so output follows the upstream declaration order), numbers
// keep their literal text (so 8.0 stays 8.0), and parsing is strict where the
// standard library is lenient: duplicate member names, invalid UTF-8, trailing
// data and excessive nesting are errors.
//
// Values are: nil, bool, string, json.Number, []any and *Object.
package jsonx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of arrays and objects Parse accepts.
const MaxDepth = 512

// Object is a JSON object that remembers the order of its members.
type Object struct {
	keys []string
	vals map[string]any
}

// NewObject returns an empty object.
func NewObject() *Object { return &Object{vals: map[string]any{}} }

// Obj builds an object from alternating key, value arguments.
func Obj(kv ...any) *Object {
	o := &Object{vals: make(map[string]any, len(kv)/2)}
	for i := 0; i+1 < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

// Len is the number of members.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.keys)
}

// Keys returns the member names in order. The slice must not be modified.
func (o *Object) Keys() []string {
	if o == nil {
		return nil
	}
	return o.keys
}

// Get returns the member's value and whether it is present.
func (o *Object) Get(k string) (any, bool) {
	if o == nil {
		return nil, false
	}
	v, ok := o.vals[k]
	return v, ok
}

// Has reports whether the member is present (its value may be null).
func (o *Object) Has(k string) bool { _, ok := o.Get(k); return ok }

// Value returns the member's value, nil when absent.
func (o *Object) Value(k string) any { v, _ := o.Get(k); return v }

// Object returns the member as an object, or nil when absent or not an object.
func (o *Object) Object(k string) *Object { v, _ := o.Get(k); ob, _ := v.(*Object); return ob }

// String returns the member as a string and whether it is one.
func (o *Object) String(k string) (string, bool) { v, _ := o.Get(k); s, ok := v.(string); return s, ok }

// Set assigns a member, appending it when new and keeping its place otherwise.
func (o *Object) Set(k string, v any) {
	if o.vals == nil {
		o.vals = map[string]any{}
	}
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

// Delete removes a member if present.
func (o *Object) Delete(k string) {
	if o == nil {
		return
	}
	if _, ok := o.vals[k]; !ok {
		return
	}
	delete(o.vals, k)
	for i, kk := range o.keys {
		if kk == k {
			o.keys = append(o.keys[:i:i], o.keys[i+1:]...)
			break
		}
	}
}

// Clone returns a deep copy.
func (o *Object) Clone() *Object {
	if o == nil {
		return nil
	}
	c := &Object{keys: append([]string(nil), o.keys...), vals: make(map[string]any, len(o.vals))}
	for k, v := range o.vals {
		c.vals[k] = Clone(v)
	}
	return c
}

// Clone deep-copies any JSON value. Values of other types are returned as is.
func Clone(v any) any {
	switch t := v.(type) {
	case *Object:
		return t.Clone()
	case []any:
		c := make([]any, len(t))
		for i, e := range t {
			c[i] = Clone(e)
		}
		return c
	default:
		return v
	}
}

// Equal reports whether two JSON values are equal. Object member order is
// ignored; numbers compare by numeric value.
func Equal(a, b any) bool {
	switch x := a.(type) {
	case *Object:
		y, ok := b.(*Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, k := range x.Keys() {
			yv, ok := y.Get(k)
			if !ok || !Equal(x.vals[k], yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case json.Number, int, int64, float64:
		xs, ok1 := numberLiteral(a)
		ys, ok2 := numberLiteral(b)
		if !ok1 || !ok2 {
			return false
		}
		return numbersEqual(xs, ys)
	default:
		return a == b
	}
}

// numberLiteral returns the JSON literal of a number value (json.Number or a
// Go int, int64 or finite float64).
func numberLiteral(v any) (string, bool) {
	switch t := v.(type) {
	case json.Number:
		return string(t), true
	case int:
		return strconv.Itoa(t), true
	case int64:
		return strconv.FormatInt(t, 10), true
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return "", false
		}
		return strconv.FormatFloat(t, 'g', -1, 64), true
	}
	return "", false
}

func isIntLiteral(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// numbersEqual compares two number literals the way Python compares the
// values json.loads makes of them: integers exactly, floats as float64, and
// an integer against a float exactly (so 2**53+1 != 2**53 and 1 == 1.0).
func numbersEqual(x, y string) bool {
	if x == y {
		return true
	}
	xi, yi := isIntLiteral(x), isIntLiteral(y)
	switch {
	case xi && yi:
		return canonicalInt(x) == canonicalInt(y)
	case xi || yi:
		if yi {
			x, y = y, x
		}
		f, err := strconv.ParseFloat(y, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return false
		}
		if math.IsInf(f, 0) || len(x) > 330 {
			return false // no integer equals inf; huge integers exceed every float
		}
		n, ok := new(big.Int).SetString(x, 10)
		if !ok {
			return false
		}
		return new(big.Float).SetInt(n).Cmp(big.NewFloat(f)) == 0
	default:
		fx, e1 := strconv.ParseFloat(x, 64)
		fy, e2 := strconv.ParseFloat(y, 64)
		if (e1 != nil && !errors.Is(e1, strconv.ErrRange)) || (e2 != nil && !errors.Is(e2, strconv.ErrRange)) {
			return false
		}
		return fx == fy
	}
}

// canonicalInt normalises an integer literal: JSON forbids leading zeros, so
// only "-0" needs care (and leading zeros from Go-built json.Number values).
func canonicalInt(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(strings.TrimPrefix(s, "-"), "0")
	if s == "" {
		return "0"
	}
	if neg {
		return "-" + s
	}
	return s
}

// SyntaxError describes why a document did not parse. Offset is the byte
// offset where the problem was found.
type SyntaxError struct {
	Msg    string
	Offset int64
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%s (at byte %d)", e.Msg, e.Offset) }

// ErrEmpty is returned by Parse for an empty or whitespace-only document.
var ErrEmpty = errors.New("empty JSON document")

// Parse decodes one JSON document. Objects become *Object, numbers json.Number.
// Duplicate member names, invalid UTF-8, nesting deeper than MaxDepth and
// anything after the document are errors (*SyntaxError or ErrEmpty).
func Parse(data []byte) (any, error) {
	if !utf8.Valid(data) {
		return nil, &SyntaxError{Msg: "invalid UTF-8 in JSON document", Offset: int64(invalidUTF8At(data))}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, ErrEmpty
	}
	if err := checkDepth(data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	p := parser{dec: dec}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &SyntaxError{Msg: "unexpected data after the JSON document", Offset: dec.InputOffset()}
	}
	return v, nil
}

// ParseObject parses a document whose top level must be an object.
func ParseObject(data []byte) (*Object, error) {
	v, err := Parse(data)
	if err != nil {
		return nil, err
	}
	o, ok := v.(*Object)
	if !ok {
		return nil, &SyntaxError{Msg: "JSON document is not an object", Offset: 0}
	}
	return o, nil
}

func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// checkDepth scans brackets outside strings so that hostile nesting is
// rejected before the decoder recurses into it.
func checkDepth(data []byte) error {
	depth, inStr, esc := 0, false, false
	for i, c := range data {
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '{', '[':
			depth++
			if depth > MaxDepth {
				return &SyntaxError{Msg: fmt.Sprintf("JSON nesting deeper than %d levels", MaxDepth), Offset: int64(i)}
			}
		case '}', ']':
			depth--
		}
	}
	return nil
}

type parser struct{ dec *json.Decoder }

func (p *parser) wrap(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &SyntaxError{Msg: se.Error(), Offset: se.Offset}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &SyntaxError{Msg: "unexpected end of JSON input", Offset: p.dec.InputOffset()}
	}
	return &SyntaxError{Msg: err.Error(), Offset: p.dec.InputOffset()}
}

func (p *parser) value() (any, error) {
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.wrap(err)
	}
	return p.fromToken(tok)
}

func (p *parser) fromToken(tok json.Token) (any, error) {
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := NewObject()
			for p.dec.More() {
				kt, err := p.dec.Token()
				if err != nil {
					return nil, p.wrap(err)
				}
				k, ok := kt.(string)
				if !ok {
					return nil, &SyntaxError{Msg: "object key is not a string", Offset: p.dec.InputOffset()}
				}
				if o.Has(k) {
					return nil, &SyntaxError{Msg: fmt.Sprintf("duplicate object key %q", k), Offset: p.dec.InputOffset()}
				}
				v, err := p.value()
				if err != nil {
					return nil, err
				}
				o.Set(k, v)
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, p.wrap(err)
			}
			return o, nil
		case '[':
			arr := []any{}
			for p.dec.More() {
				v, err := p.value()
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, p.wrap(err)
			}
			return arr, nil
		default:
			return nil, &SyntaxError{Msg: "unexpected " + t.String(), Offset: p.dec.InputOffset()}
		}
	case json.Number, string, bool, nil:
		return t, nil
	default:
		return nil, &SyntaxError{Msg: fmt.Sprintf("unexpected token %v", tok), Offset: p.dec.InputOffset()}
	}
}

// MarshalJSON writes the object compactly, members in order.
func (o *Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := encode(&b, o, false, "", 0); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Marshal writes v compactly (no spaces, no HTML escaping), the way the
// server answers requests.
func Marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := encode(&b, v, false, "", 0); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// MarshalFile writes v as upstream writes its files: two-space indentation,
// ", " / ": " separators, non-ASCII escaped as \uXXXX, no trailing newline.
func MarshalFile(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := encode(&b, v, true, "  ", 0); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func newline(b *bytes.Buffer, indent string, level int) {
	b.WriteByte('\n')
	for i := 0; i < level; i++ {
		b.WriteString(indent)
	}
}

func encode(b *bytes.Buffer, v any, ascii bool, indent string, level int) error {
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if t {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case string:
		writeString(b, t, ascii)
	case json.Number:
		if t == "" {
			b.WriteByte('0')
		} else {
			b.WriteString(string(t))
		}
	case int:
		b.WriteString(strconv.Itoa(t))
	case int64:
		b.WriteString(strconv.FormatInt(t, 10))
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return fmt.Errorf("jsonx: cannot encode %v: not a JSON number", t)
		}
		b.WriteString(FormatFloat(t))
	case *Object:
		if t == nil {
			b.WriteString("null")
			return nil
		}
		if len(t.keys) == 0 {
			b.WriteString("{}")
			return nil
		}
		b.WriteByte('{')
		for i, k := range t.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			if indent != "" {
				newline(b, indent, level+1)
			}
			writeString(b, k, ascii)
			b.WriteByte(':')
			if indent != "" {
				b.WriteByte(' ')
			}
			if err := encode(b, t.vals[k], ascii, indent, level+1); err != nil {
				return err
			}
		}
		if indent != "" {
			newline(b, indent, level)
		}
		b.WriteByte('}')
	case []any:
		if len(t) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			if indent != "" {
				newline(b, indent, level+1)
			}
			if err := encode(b, e, ascii, indent, level+1); err != nil {
				return err
			}
		}
		if indent != "" {
			newline(b, indent, level)
		}
		b.WriteByte(']')
	case []string:
		arr := make([]any, len(t))
		for i, s := range t {
			arr[i] = s
		}
		return encode(b, arr, ascii, indent, level)
	case json.Marshaler:
		raw, err := t.MarshalJSON()
		if err != nil {
			return err
		}
		b.Write(raw)
	default:
		return fmt.Errorf("jsonx: cannot encode %T", v)
	}
	return nil
}

// FormatFloat formats a float the way Python's repr does: the shortest
// round-tripping digits, fixed notation for decimal exponents -4..15 (with a
// ".0" suffix on integral values, e.g. 1000000.0), scientific notation
// otherwise (1e+16, 1.5e-07), and "nan", "inf", "-inf".
func FormatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	sci := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(sci[strings.LastIndexByte(sci, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return sci
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

const hexDigits = "0123456789abcdef"

func writeString(b *bytes.Buffer, s string, ascii bool) {
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
				writeU(b, r1)
				writeU(b, r2)
			} else {
				writeU(b, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

func writeU(b *bytes.Buffer, r rune) {
	b.WriteString(`\u`)
	b.WriteByte(hexDigits[(r>>12)&0xf])
	b.WriteByte(hexDigits[(r>>8)&0xf])
	b.WriteByte(hexDigits[(r>>4)&0xf])
	b.WriteByte(hexDigits[r&0xf])
}

func surrogates(r rune) (rune, rune) {
	r -= 0x10000
	return 0xd800 + (r>>10)&0x3ff, 0xdc00 + r&0x3ff
}

// Truthy reports Python truthiness of a JSON value: null, false, "", 0,
// [] and {} are false; everything else is true.
func Truthy(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case string:
		return t != ""
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil {
			return true // out of range: ±Inf, never zero
		}
		return f != 0
	case int:
		return t != 0
	case int64:
		return t != 0
	case float64:
		return t != 0
	case []any:
		return len(t) > 0
	case *Object:
		return t.Len() > 0
	default:
		return true
	}
}
