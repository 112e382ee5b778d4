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
	"hash/maphash"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of arrays and objects Parse accepts.
const MaxDepth = 512

// linearMax is the largest member count searched linearly; bigger objects
// keep a hash index of their member positions.
const linearMax = 8

// hashSeed seeds the member index hash (random per process, so that member
// names cannot be chosen to collide). It is set at initialisation and only
// read afterwards.
var hashSeed = maphash.MakeSeed()

// Object is a JSON object that remembers the order of its members.
//
// Members are kept in two parallel slices. The keys slice is never written
// in place once it holds a member (Delete copies it), so clones may share it
// and a Keys slice handed out earlier is never disturbed. Objects with more
// than linearMax members also keep idx, an open-addressing table of member
// positions plus one (0 = empty slot) whose length is a power of two of at
// least twice the member count. An index marked shared belongs to a Shape
// (or to several objects) and is copied before it changes. shape is set
// while the members are exactly those of a Shape (for its pre-encoded
// names).
type Object struct {
	keys      []string
	vals      []any
	idx       []int32
	sharedIdx bool
	shape     *Shape
}

// Shape is an immutable list of distinct member names, with its index,
// that any number of objects can share (see Shape.Object). Building an
// object from a Shape costs one allocation for the values, whatever the
// member count.
type Shape struct {
	o Object
	// quoted holds the names as JSON strings, the same in every encoding
	// (nil when a name needs escaping).
	quoted []string
}

// NewShape returns the shape of the given member names; they must be
// distinct.
func NewShape(keys []string) (*Shape, error) {
	s := &Shape{o: Object{keys: append([]string(nil), keys...)}}
	if !s.o.reindex() {
		return nil, errors.New("jsonx: duplicate member name in shape")
	}
	s.o.sharedIdx = s.o.idx != nil
	s.quoted = make([]string, len(keys))
	for i, k := range keys {
		compact, valid := appendStringValid(nil, k, false)
		file, _ := appendStringValid(nil, k, true)
		if !valid || string(compact) != string(file) {
			s.quoted = nil
			break
		}
		s.quoted[i] = string(compact)
	}
	return s, nil
}

// Len is the number of member names.
func (s *Shape) Len() int { return len(s.o.keys) }

// Object returns an object whose members are the shape's names, in order,
// with vals as their values. The object takes ownership of vals, whose
// length must be s.Len() (Object panics otherwise). The object is an
// ordinary one: changing it never affects the shape or other objects.
func (s *Shape) Object(vals []any) *Object {
	if len(vals) != len(s.o.keys) {
		panic("jsonx: Shape.Object: wrong number of values")
	}
	return &Object{keys: s.o.keys, vals: vals, idx: s.o.idx, sharedIdx: s.o.sharedIdx, shape: s}
}

// NewObject returns an empty object.
func NewObject() *Object { return &Object{} }

// NewObjectSize returns an empty object with room for n members, so that
// building it member by member does not reallocate.
func NewObjectSize(n int) *Object {
	if n <= 0 {
		return &Object{}
	}
	o := &Object{keys: make([]string, 0, n), vals: make([]any, 0, n)}
	if n > linearMax {
		o.idx = make([]int32, tableSize(n))
	}
	return o
}

// Obj builds an object from alternating key, value arguments.
func Obj(kv ...any) *Object {
	o := NewObjectSize(len(kv) / 2)
	for i := 0; i+1 < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

// tableSize is the index length for n members: a power of two >= 2n.
func tableSize(n int) int {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	return size
}

// find returns the position of member k, or -1.
func (o *Object) find(k string) int {
	if o.idx == nil {
		for i, kk := range o.keys {
			if kk == k {
				return i
			}
		}
		return -1
	}
	mask := uint64(len(o.idx) - 1)
	for h := maphash.String(hashSeed, k) & mask; ; h = (h + 1) & mask {
		p := o.idx[h]
		if p == 0 {
			return -1
		}
		if o.keys[p-1] == k {
			return int(p - 1)
		}
	}
}

// ownIndex makes the index private to o before it changes.
func (o *Object) ownIndex() {
	if o.sharedIdx {
		o.idx = append([]int32(nil), o.idx...)
		o.sharedIdx = false
	}
}

// insert adds position i to the index; it reports false (and changes
// nothing) when a member with the same name is already indexed.
func (o *Object) insert(i int) bool {
	o.ownIndex()
	k := o.keys[i]
	mask := uint64(len(o.idx) - 1)
	for h := maphash.String(hashSeed, k) & mask; ; h = (h + 1) & mask {
		p := o.idx[h]
		if p == 0 {
			o.idx[h] = int32(i + 1)
			return true
		}
		if o.keys[p-1] == k {
			return false
		}
	}
}

// reindex rebuilds the index for the current members (none for small
// objects). It reports false when two members have the same name.
func (o *Object) reindex() bool {
	n := len(o.keys)
	o.sharedIdx = false
	if n <= linearMax {
		o.idx = nil
		for i := 1; i < n; i++ {
			for j := 0; j < i; j++ {
				if o.keys[i] == o.keys[j] {
					return false
				}
			}
		}
		return true
	}
	o.idx = make([]int32, tableSize(n))
	for i := range o.keys {
		if !o.insert(i) {
			return false
		}
	}
	return true
}

// NewObjectFrom returns the object whose members are keys[i]: vals[i], in
// order, taking ownership of both slices (which must have the same
// length), or false when two keys are equal.
func NewObjectFrom(keys []string, vals []any) (*Object, bool) {
	if len(keys) != len(vals) {
		return nil, false
	}
	n := len(keys)
	o := &Object{keys: keys[:n:n], vals: vals[:n:n]}
	if !o.reindex() {
		return nil, false
	}
	return o, true
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

// At returns the name and value of the i-th member (0 <= i < Len).
func (o *Object) At(i int) (string, any) { return o.keys[i], o.vals[i] }

// Index returns the position of member k, or -1 when it is absent.
func (o *Object) Index(k string) int {
	if o == nil {
		return -1
	}
	return o.find(k)
}

// Get returns the member's value and whether it is present.
func (o *Object) Get(k string) (any, bool) {
	if o == nil {
		return nil, false
	}
	if i := o.find(k); i >= 0 {
		return o.vals[i], true
	}
	return nil, false
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
	if o.idx == nil {
		for i, kk := range o.keys {
			if kk == k {
				o.vals[i] = v
				return
			}
		}
		o.keys = append(o.keys, k)
		o.vals = append(o.vals, v)
		o.shape = nil
		if len(o.keys) > linearMax {
			o.reindex()
		}
		return
	}
	mask := uint64(len(o.idx) - 1)
	h := maphash.String(hashSeed, k) & mask
	for ; ; h = (h + 1) & mask {
		p := o.idx[h]
		if p == 0 {
			break
		}
		if o.keys[p-1] == k {
			o.vals[p-1] = v
			return
		}
	}
	o.keys = append(o.keys, k)
	o.vals = append(o.vals, v)
	o.shape = nil
	n := len(o.keys)
	if 2*n > len(o.idx) {
		o.reindex()
		return
	}
	o.ownIndex()
	o.idx[h] = int32(n)
}

// Delete removes a member if present.
func (o *Object) Delete(k string) {
	if o == nil {
		return
	}
	i := o.find(k)
	if i < 0 {
		return
	}
	o.keys = append(o.keys[:i:i], o.keys[i+1:]...)
	o.shape = nil
	copy(o.vals[i:], o.vals[i+1:])
	o.vals[len(o.vals)-1] = nil
	o.vals = o.vals[:len(o.vals)-1]
	if o.idx != nil {
		o.reindex()
	}
}

// Clone returns a deep copy.
func (o *Object) Clone() *Object {
	if o == nil {
		return nil
	}
	c := o.CloneShallow()
	for i, v := range c.vals {
		switch v.(type) {
		case *Object, []any:
			c.vals[i] = Clone(v)
		}
	}
	return c
}

// CloneShallow returns a copy of the object whose member values are shared
// with o (nested objects and arrays are not copied).
func (o *Object) CloneShallow() *Object {
	if o == nil {
		return nil
	}
	var vals []any
	if len(o.keys) > 0 {
		vals = make([]any, len(o.keys))
		copy(vals, o.vals)
	}
	return o.WithValues(vals)
}

// WithValues returns a new object with o's member names, in order, and vals
// as their values. The new object takes ownership of vals, whose length
// must be o.Len() (WithValues panics otherwise); o is not changed.
func (o *Object) WithValues(vals []any) *Object {
	n := o.Len()
	if len(vals) != n {
		panic("jsonx: WithValues: wrong number of values")
	}
	if n == 0 {
		return &Object{}
	}
	c := &Object{keys: o.keys[:n:n], vals: vals, shape: o.shape}
	switch {
	case o.sharedIdx:
		c.idx, c.sharedIdx = o.idx, true
	case o.idx != nil:
		c.idx = append([]int32(nil), o.idx...)
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
		for i := 0; i < x.Len(); i++ {
			yv, ok := y.Get(x.keys[i])
			if !ok || !Equal(x.vals[i], yv) {
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
	if v, ok := parseFast(data); ok {
		return v, nil
	}
	return parseReference(data)
}

// parseReference is the reference decoder (encoding/json's tokenizer plus
// the checks above). Parse uses it for every document parseFast does not
// accept, so errors, messages and offsets come from here.
func parseReference(data []byte) (any, error) {
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

// sharedStringMax is the largest document whose strings are slices of one
// copy of the document; strings of bigger documents are copied one by one
// so that a small value kept from a big body does not pin all of it.
const sharedStringMax = 64 << 10

// fastParser decodes valid JSON documents in one pass. It accepts exactly
// what parseReference accepts and builds the same values; on anything else
// (including duplicate member names and excessive nesting) it gives up and
// Parse runs parseReference, which reports the error.
type fastParser struct {
	s     string
	i     int
	depth int
	copy  bool     // copy strings instead of slicing s
	keys  []string // scratch stack of member names of open objects
	vals  []any    // scratch stack of values of open objects and arrays
}

func parseFast(data []byte) (any, bool) {
	if len(data) == 0 || !utf8.Valid(data) {
		return nil, false
	}
	p := fastParser{s: string(data), copy: len(data) > sharedStringMax}
	p.ws()
	v, ok := p.value()
	if !ok {
		return nil, false
	}
	p.ws()
	if p.i != len(p.s) {
		return nil, false
	}
	return v, true
}

func (p *fastParser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *fastParser) value() (any, bool) {
	if p.i >= len(p.s) {
		return nil, false
	}
	switch c := p.s[p.i]; c {
	case '{':
		return p.object()
	case '[':
		return p.array()
	case '"':
		s, ok := p.str()
		if !ok {
			return nil, false
		}
		return s, true
	case 't':
		if strings.HasPrefix(p.s[p.i:], "true") {
			p.i += 4
			return true, true
		}
	case 'f':
		if strings.HasPrefix(p.s[p.i:], "false") {
			p.i += 5
			return false, true
		}
	case 'n':
		if strings.HasPrefix(p.s[p.i:], "null") {
			p.i += 4
			return nil, true
		}
	default:
		if c == '-' || (c >= '0' && c <= '9') {
			return p.number()
		}
	}
	return nil, false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// validNumber reports whether s is a JSON number literal.
func validNumber(s string) bool { return scanNumber(s, 0) == len(s) }

// scanNumber returns the end of the number literal
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? starting at s[i], or -1.
func scanNumber(s string, i int) int {
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i >= len(s):
		return -1
	case s[i] == '0':
		i++
	case s[i] >= '1' && s[i] <= '9':
		for i++; i < len(s) && isDigit(s[i]); i++ {
		}
	default:
		return -1
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || !isDigit(s[i]) {
			return -1
		}
		for i++; i < len(s) && isDigit(s[i]); i++ {
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || !isDigit(s[i]) {
			return -1
		}
		for i++; i < len(s) && isDigit(s[i]); i++ {
		}
	}
	return i
}

// number scans -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and keeps
// its literal text.
func (p *fastParser) number() (any, bool) {
	start := p.i
	i := scanNumber(p.s, start)
	if i < 0 {
		return nil, false
	}
	p.i = i
	lit := p.s[start:i]
	if p.copy {
		lit = strings.Clone(lit)
	}
	return json.Number(lit), true
}

// str decodes the string starting at p.s[p.i] == '"'.
func (p *fastParser) str() (string, bool) {
	s := p.s
	start := p.i + 1
	for i := start; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			p.i = i + 1
			if p.copy {
				return strings.Clone(s[start:i]), true
			}
			return s[start:i], true
		case c == '\\':
			return p.strEscaped(start, i)
		case c < 0x20:
			return "", false
		}
	}
	return "", false
}

// strEscaped decodes a string with escapes the way encoding/json does: a
// \u escape of a surrogate that does not form a pair with the next \u
// escape becomes U+FFFD.
func (p *fastParser) strEscaped(start, i int) (string, bool) {
	s := p.s
	b := make([]byte, 0, len(s[start:i])+16)
	b = append(b, s[start:i]...)
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			p.i = i + 1
			return string(b), true
		case c < 0x20:
			return "", false
		case c != '\\':
			b = append(b, c)
			i++
			continue
		}
		if i+1 >= len(s) {
			return "", false
		}
		switch s[i+1] {
		case '"', '\\', '/':
			b = append(b, s[i+1])
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			rr := hex4(s, i)
			if rr < 0 {
				return "", false
			}
			i += 6
			if utf16.IsSurrogate(rr) {
				if dec := utf16.DecodeRune(rr, hex4(s, i)); dec != unicode.ReplacementChar {
					i += 6
					b = utf8.AppendRune(b, dec)
					continue
				}
				rr = unicode.ReplacementChar
			}
			b = utf8.AppendRune(b, rr)
			continue
		default:
			return "", false
		}
		i += 2
	}
	return "", false
}

// hex4 decodes the escape \uXXXX at s[i:], or returns -1.
func hex4(s string, i int) rune {
	if i+6 > len(s) || s[i] != '\\' || s[i+1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range []byte(s[i+2 : i+6]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

func (p *fastParser) object() (any, bool) {
	p.i++
	if p.depth++; p.depth > MaxDepth {
		return nil, false
	}
	baseK, baseV := len(p.keys), len(p.vals)
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		p.depth--
		return &Object{}, true
	}
	for {
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return nil, false
		}
		k, ok := p.str()
		if !ok {
			return nil, false
		}
		p.ws()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, false
		}
		p.i++
		p.ws()
		v, ok := p.value()
		if !ok {
			return nil, false
		}
		p.keys = append(p.keys, k)
		p.vals = append(p.vals, v)
		p.ws()
		if p.i >= len(p.s) {
			return nil, false
		}
		if p.s[p.i] == ',' {
			p.i++
			p.ws()
			continue
		}
		if p.s[p.i] != '}' {
			return nil, false
		}
		p.i++
		break
	}
	n := len(p.keys) - baseK
	o := &Object{keys: make([]string, n), vals: make([]any, n)}
	copy(o.keys, p.keys[baseK:])
	copy(o.vals, p.vals[baseV:])
	clear(p.vals[baseV:])
	p.keys, p.vals = p.keys[:baseK], p.vals[:baseV]
	if !o.reindex() {
		return nil, false // duplicate member name
	}
	p.depth--
	return o, true
}

func (p *fastParser) array() (any, bool) {
	p.i++
	if p.depth++; p.depth > MaxDepth {
		return nil, false
	}
	base := len(p.vals)
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		p.depth--
		return []any{}, true
	}
	for {
		v, ok := p.value()
		if !ok {
			return nil, false
		}
		p.vals = append(p.vals, v)
		p.ws()
		if p.i >= len(p.s) {
			return nil, false
		}
		if p.s[p.i] == ',' {
			p.i++
			p.ws()
			continue
		}
		if p.s[p.i] != ']' {
			return nil, false
		}
		p.i++
		break
	}
	arr := make([]any, len(p.vals)-base)
	copy(arr, p.vals[base:])
	clear(p.vals[base:])
	p.vals = p.vals[:base]
	p.depth--
	return arr, true
}

// MarshalJSON writes the object compactly, members in order.
func (o *Object) MarshalJSON() ([]byte, error) {
	e := encoder{b: make([]byte, 0, 256)}
	if err := e.value(o, 0); err != nil {
		return nil, err
	}
	return e.b, nil
}

// Marshal writes v compactly (no spaces, no HTML escaping), the way the
// server answers requests.
func Marshal(v any) ([]byte, error) { return AppendMarshal(make([]byte, 0, 1024), v) }

// AppendMarshal appends what Marshal writes for v to dst. On error it
// returns nil and the error.
func AppendMarshal(dst []byte, v any) ([]byte, error) {
	e := encoder{b: dst}
	if err := e.value(v, 0); err != nil {
		return nil, err
	}
	return e.b, nil
}

// MarshalFile writes v as upstream writes its files: two-space indentation,
// ", " / ": " separators, non-ASCII escaped as \uXXXX, no trailing newline.
func MarshalFile(v any) ([]byte, error) { return AppendMarshalFile(make([]byte, 0, 4096), v) }

// AppendMarshalFile appends what MarshalFile writes for v to dst. On error
// it returns nil and the error.
func AppendMarshalFile(dst []byte, v any) ([]byte, error) {
	out, _, err := AppendMarshalFileReversible(dst, v)
	return out, err
}

// AppendMarshalFileReversible is AppendMarshalFile that also reports
// whether Parse of the appended text is certain to give back a value
// identical to v (same types, member order, strings and number literals).
// That holds when v is made only of nil, bool, string, json.Number,
// non-nil []any and non-nil *Object values, every string and member name
// is valid UTF-8 (invalid bytes are written as U+FFFD), every json.Number
// is a JSON number literal, and the nesting is at most MaxDepth deep.
func AppendMarshalFileReversible(dst []byte, v any) (out []byte, reversible bool, err error) {
	e := encoder{b: dst, ascii: true, indent: "  ", exact: true}
	if err := e.value(v, 0); err != nil {
		return nil, false, err
	}
	return e.b, e.exact, nil
}

// encoder appends JSON text to b. exact is cleared when Parse of the text
// would not give back the encoded value exactly (see
// AppendMarshalFileReversible).
type encoder struct {
	b      []byte
	ascii  bool   // escape everything outside printable ASCII
	indent string // "" = compact
	exact  bool
}

// str appends a string or member name.
func (e *encoder) str(s string) {
	var valid bool
	e.b, valid = appendStringValid(e.b, s, e.ascii)
	if !valid {
		e.exact = false
	}
}

// newlineSpaces serves newline for two-space indentation.
const newlineSpaces = "\n                                                                "

func (e *encoder) newline(level int) {
	if e.indent == "  " && 1+2*level <= len(newlineSpaces) {
		e.b = append(e.b, newlineSpaces[:1+2*level]...)
		return
	}
	e.b = append(e.b, '\n')
	for i := 0; i < level; i++ {
		e.b = append(e.b, e.indent...)
	}
}

func (e *encoder) value(v any, level int) error {
	switch t := v.(type) {
	case nil:
		e.b = append(e.b, "null"...)
	case bool:
		if t {
			e.b = append(e.b, "true"...)
		} else {
			e.b = append(e.b, "false"...)
		}
	case string:
		e.str(t)
	case json.Number:
		if !validNumber(string(t)) {
			e.exact = false
		}
		if t == "" {
			e.b = append(e.b, '0')
		} else {
			e.b = append(e.b, t...)
		}
	case int:
		e.exact = false
		e.b = strconv.AppendInt(e.b, int64(t), 10)
	case int64:
		e.exact = false
		e.b = strconv.AppendInt(e.b, t, 10)
	case float64:
		e.exact = false
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return fmt.Errorf("jsonx: cannot encode %v: not a JSON number", t)
		}
		e.b = append(e.b, FormatFloat(t)...)
	case *Object:
		if t == nil {
			e.exact = false
			e.b = append(e.b, "null"...)
			return nil
		}
		if level >= MaxDepth {
			e.exact = false
		}
		if len(t.keys) == 0 {
			e.b = append(e.b, "{}"...)
			return nil
		}
		var quoted []string
		if t.shape != nil {
			quoted = t.shape.quoted
		}
		e.b = append(e.b, '{')
		for i, k := range t.keys {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			if e.indent != "" {
				e.newline(level + 1)
			}
			if quoted != nil {
				e.b = append(e.b, quoted[i]...)
			} else {
				e.str(k)
			}
			e.b = append(e.b, ':')
			if e.indent != "" {
				e.b = append(e.b, ' ')
			}
			if err := e.value(t.vals[i], level+1); err != nil {
				return err
			}
		}
		if e.indent != "" {
			e.newline(level)
		}
		e.b = append(e.b, '}')
	case []any:
		if t == nil || level >= MaxDepth {
			e.exact = false
		}
		if len(t) == 0 {
			e.b = append(e.b, "[]"...)
			return nil
		}
		e.b = append(e.b, '[')
		for i, el := range t {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			if e.indent != "" {
				e.newline(level + 1)
			}
			if err := e.value(el, level+1); err != nil {
				return err
			}
		}
		if e.indent != "" {
			e.newline(level)
		}
		e.b = append(e.b, ']')
	case []string:
		e.exact = false
		arr := make([]any, len(t))
		for i, s := range t {
			arr[i] = s
		}
		return e.value(arr, level)
	case json.Marshaler:
		e.exact = false
		raw, err := t.MarshalJSON()
		if err != nil {
			return err
		}
		e.b = append(e.b, raw...)
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

// appendString appends s as a JSON string. Printable ASCII other than '"'
// and '\' is copied as is (DEL too unless ascii), the usual control
// characters get their short escapes, other control characters, U+2028,
// U+2029 and (with ascii) everything outside ASCII get \uXXXX escapes
// (surrogate pairs above U+FFFF). Each byte of invalid UTF-8 stands for
// U+FFFD, as ranging over the string yields it.
func appendString(b []byte, s string, ascii bool) []byte {
	b, _ = appendStringValid(b, s, ascii)
	return b
}

// appendStringValid is appendString that also reports whether s is valid
// UTF-8.
func appendStringValid(b []byte, s string, ascii bool) ([]byte, bool) {
	valid := true
	b = append(b, '"')
	start := 0 // s[start:i] is pending verbatim output
	for i := 0; i < len(s); {
		// Skip eight plain bytes at a time: none below 0x20, none of '"'
		// and '\', none from 0x7f up.
		for i+8 <= len(s) {
			w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
				uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
			if hasLess(w, 0x20)|hasZeroByte(w^(lsb*'"'))|hasZeroByte(w^(lsb*'\\'))|hasZeroByte(w^(lsb*0x7f))|(w&msb) != 0 {
				break
			}
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (c != 0x7f || !ascii) {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"':
				b = append(b, '\\', '"')
			case '\\':
				b = append(b, '\\', '\\')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = appendU(b, rune(c))
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			valid = false
		}
		switch {
		case ascii:
			b = append(b, s[start:i]...)
			if r > 0xffff {
				r1, r2 := surrogates(r)
				b = appendU(b, r1)
				b = appendU(b, r2)
			} else {
				b = appendU(b, r)
			}
		case r == 0x2028 || r == 0x2029:
			b = append(b, s[start:i]...)
			b = appendU(b, r)
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = utf8.AppendRune(b, utf8.RuneError)
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"'), valid
}

// Byte-parallel tests on the eight bytes of a word.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// hasZeroByte is non-zero when a byte of w is zero.
func hasZeroByte(w uint64) uint64 { return (w - lsb) & ^w & msb }

// hasLess is non-zero when a byte of w is below n (n <= 128).
func hasLess(w uint64, n uint64) uint64 { return (w - lsb*n) & ^w & msb }

func appendU(b []byte, r rune) []byte {
	return append(b, '\\', 'u', hexDigits[(r>>12)&0xf], hexDigits[(r>>8)&0xf], hexDigits[(r>>4)&0xf], hexDigits[r&0xf])
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
