package model

import (
	"encoding/json"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/jsonx"
)

// pathElem is one step of the location being validated: a member name or
// an array index.
type pathElem struct {
	key string
	idx int // -1 for a member name
}

// vctx carries the input rules and collects errors during one validation.
// path is the location of the value being validated; error locations are
// built from it only when an error is recorded.
type vctx struct {
	in   Input
	errs []ErrorItem
	path []pathElem
	buf  [12]pathElem
	// free is the unused rest of the current chunk that value slices of the
	// output are cut from (fewer, larger allocations); chunk is the size of
	// the next chunk.
	free  []any
	chunk int
}

// maxChunk bounds the chunks vals cuts value slices from.
const maxChunk = 256

// vals returns a zeroed slice of n values, capacity n, for the output.
// Slices share chunks, but each is capacity-limited, so appending to one
// never touches another.
func (v *vctx) vals(n int) []any {
	if n == 0 {
		return []any{}
	}
	if n > len(v.free) {
		if v.chunk == 0 {
			v.chunk = 32
		} else if v.chunk < maxChunk {
			v.chunk *= 2
		}
		if n > v.chunk {
			return make([]any, n)
		}
		v.free = make([]any, v.chunk)
	}
	s := v.free[:n:n]
	v.free = v.free[n:]
	return s
}

// validateTop validates doc against t and returns the output object or a
// *ValidationError. The input document is never modified, and the output
// shares no object or array with it.
func validateTop(t *typ, doc *jsonx.Object, in Input) (*jsonx.Object, error) {
	v := &vctx{in: in}
	v.path = v.buf[:0]
	var raw any
	if doc != nil {
		raw = doc
	}
	out, _ := v.value(t, raw)
	if len(v.errs) > 0 {
		return nil, &ValidationError{Items: v.errs}
	}
	o, ok := out.(*jsonx.Object)
	if !ok {
		return nil, &ValidationError{Items: []ErrorItem{{Type: "model_type", Loc: []any{}, Msg: "Input should be an object"}}}
	}
	return o, nil
}

func (v *vctx) push(k string) { v.path = append(v.path, pathElem{key: k, idx: -1}) }
func (v *vctx) pushIdx(i int) { v.path = append(v.path, pathElem{idx: i}) }
func (v *vctx) pop()          { v.path = v.path[:len(v.path)-1] }

// loc materialises the current path.
func (v *vctx) loc() []any {
	l := make([]any, len(v.path))
	for i, e := range v.path {
		if e.idx >= 0 {
			l[i] = e.idx
		} else {
			l[i] = e.key
		}
	}
	return l
}

// add records an error at the current path.
func (v *vctx) add(typ string, msg string, input any, ctx *jsonx.Object) {
	v.errs = append(v.errs, ErrorItem{Type: typ, Loc: v.loc(), Msg: msg, Input: input, Ctx: ctx})
}

// addAt records an error at member k of the current path.
func (v *vctx) addAt(k string, typ string, msg string, input any, ctx *jsonx.Object) {
	v.push(k)
	v.add(typ, msg, input, ctx)
	v.pop()
}

// modelError records a model-level value_error. The recorded input is the
// validated object with its secrets redacted, never raw secret values.
func (v *vctx) modelError(m *model, out *jsonx.Object, msg string) {
	r := renderer{mode: Redacted}
	input, _, _ := r.value(&typ{kind: kModel, model: m, hasSecret: m.hasSecret}, out)
	v.add("value_error", "Value error, "+msg, input, jsonx.Obj("error", msg))
}

// typeError records the pydantic error for a value of the wrong JSON type.
// Where a secret can occur, only scalar non-string inputs are echoed.
func (v *vctx) typeError(t *typ, in any) {
	if t.hasSecret || t.secret != noSecret {
		in = redactedExtra(in)
	}
	switch t.kind {
	case kString:
		if len(t.enum) > 0 {
			v.literalError(t, in)
			return
		}
		v.add("string_type", "Input should be a valid string", in, nil)
	case kInt:
		v.add("int_type", "Input should be a valid integer", in, nil)
	case kNumber:
		v.add("float_type", "Input should be a valid number", in, nil)
	case kBool:
		v.add("bool_type", "Input should be a valid boolean", in, nil)
	case kModel:
		v.add("model_type", "Input should be a valid dictionary or instance of "+t.model.name,
			in, jsonx.Obj("class_name", t.model.name))
	case kUnion:
		v.add("model_attributes_type", "Input should be a valid dictionary or object to extract fields from", in, nil)
	case kArray:
		v.add("list_type", "Input should be a valid list", in, nil)
	case kMap, kObject:
		v.add("dict_type", "Input should be a valid dictionary", in, nil)
	case kAlt:
		v.typeError(t.alts[0], in)
	default:
		v.add("value_error", "Value error, unexpected value", in, nil)
	}
}

func quoteList(values []string) string {
	q := make([]string, len(values))
	for i, s := range values {
		q[i] = "'" + s + "'"
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

func (v *vctx) literalError(t *typ, in any) {
	exp := quoteList(t.enum)
	v.add("literal_error", "Input should be "+exp, in, jsonx.Obj("expected", exp))
}

// droppedT marks a value that is left out of its object (a map entry whose
// secret has no value, or a compacted member).
type droppedT struct{}

// emptyMember reports the members compact models leave out: null and {}.
func emptyMember(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case *jsonx.Object:
		return x.Len() == 0
	}
	return false
}

// buildKept returns an object with the members names[i] whose value
// vals[i] is not droppedT, in order. The names are distinct. vals is
// reused for the kept values.
func buildKept(names []string, vals []any) *jsonx.Object {
	n := 0
	for _, val := range vals {
		if _, d := val.(droppedT); !d {
			n++
		}
	}
	keys := make([]string, 0, n)
	kept := vals[:0]
	for i, val := range vals {
		if _, d := val.(droppedT); !d {
			keys = append(keys, names[i])
			kept = append(kept, val)
		}
	}
	clear(vals[n:])
	out, ok := jsonx.NewObjectFrom(keys, kept)
	if !ok {
		panic("model: duplicate member names") // names are distinct by construction
	}
	return out
}

// value validates one JSON value at the current path. keep=false means the
// value is to be dropped (map entries whose secret has no value). Errors
// are recorded in v.errs. Strings and numbers that need no change are
// returned as the very interface value they came in.
func (v *vctx) value(t *typ, in any) (any, bool) {
	if in == nil {
		if t.nullable {
			return nil, true
		}
		if t.kind == kAlt {
			return v.value(t.alts[0], in)
		}
		v.typeError(t, in)
		return nil, true
	}
	if s, ok := in.(Sealed); ok {
		if t.kind == kAlt {
			for _, a := range t.alts {
				if a.secret != noSecret {
					return s, true
				}
			}
		}
		if t.secret != noSecret {
			return s, true
		}
		v.typeError(t, nil)
		return nil, true
	}
	switch t.kind {
	case kAny:
		return jsonx.Clone(in), true
	case kString:
		return v.str(t, in)
	case kInt, kNumber:
		return v.number(t, in), true
	case kBool:
		if _, ok := in.(bool); !ok {
			v.typeError(t, in)
		}
		return in, true
	case kModel:
		obj, ok := in.(*jsonx.Object)
		if !ok || obj == nil {
			v.typeError(t, in)
			return nil, true
		}
		return v.model(t.model, obj), true
	case kUnion:
		return v.union(t, in), true
	case kArray:
		arr, ok := in.([]any)
		if !ok {
			v.typeError(t, in)
			return nil, true
		}
		out := v.vals(len(arr))[:0]
		n := len(v.errs)
		for i, e := range arr {
			v.pushIdx(i)
			val, keep := v.value(t.elem, e)
			v.pop()
			if keep {
				out = append(out, val)
			}
		}
		if n == len(v.errs) && t.checkArr != nil {
			if msg := t.checkArr(out); msg != "" {
				v.add("value_error", "Value error, "+msg, nil, jsonx.Obj("error", msg))
			}
		}
		return out, true
	case kMap:
		obj, ok := in.(*jsonx.Object)
		if !ok || obj == nil {
			v.typeError(t, in)
			return nil, true
		}
		n := obj.Len()
		vals := v.vals(n)
		all := true
		for i := 0; i < n; i++ {
			k, raw := obj.At(i)
			et := t.elem
			if t.secretKey != nil && !t.secretKey(k) {
				et = t.plainElem
			}
			v.push(k)
			val, keep := v.value(et, raw)
			v.pop()
			if !keep {
				val, all = droppedT{}, false
			}
			vals[i] = val
		}
		if all {
			return obj.WithValues(vals), true
		}
		return buildKept(obj.Keys(), vals), true
	case kObject:
		obj, ok := in.(*jsonx.Object)
		if !ok || obj == nil {
			v.typeError(t, in)
			return nil, true
		}
		return obj.Clone(), true
	case kAlt:
		for _, a := range t.alts {
			if accepts(a, in) {
				return v.value(a, in)
			}
		}
		v.typeError(t, in)
		return nil, true
	}
	v.typeError(t, in)
	return nil, true
}

// accepts reports whether the JSON type of in matches the kind of t.
func accepts(t *typ, in any) bool {
	switch in.(type) {
	case string:
		return t.kind == kString
	case bool:
		return t.kind == kBool
	case json.Number:
		return t.kind == kInt || t.kind == kNumber
	case []any:
		return t.kind == kArray
	case *jsonx.Object:
		switch t.kind {
		case kModel, kUnion, kMap, kObject:
			return true
		}
	}
	return t.kind == kAny
}

func (v *vctx) str(t *typ, in any) (any, bool) {
	s, ok := in.(string)
	if !ok {
		v.typeError(t, in)
		return nil, true
	}
	out := in
	if t.secret != noSecret {
		val, keep := v.secretInput(in, s, t.secret)
		s2, isStr := val.(string)
		if !keep || !isStr {
			return val, keep
		}
		s, out = s2, val
	}
	if len(t.enum) > 0 {
		found := false
		for _, e := range t.enum {
			if e == s {
				found = true
				break
			}
		}
		if !found {
			v.literalError(t, in)
			return nil, true
		}
	}
	if t.minLen > 0 && utf8.RuneCountInString(s) < t.minLen {
		plural := "s"
		if t.minLen == 1 {
			plural = ""
		}
		v.add("string_too_short",
			"String should have at least "+strconv.Itoa(t.minLen)+" character"+plural,
			in, jsonx.Obj("min_length", json.Number(strconv.Itoa(t.minLen))))
		return nil, true
	}
	if t.checkStr != nil {
		if msg := t.checkStr(s); msg != "" {
			v.add("value_error", "Value error, "+msg, in, jsonx.Obj("error", msg))
			return nil, true
		}
	}
	if t.norm != nil {
		if n := t.norm(s); n != s {
			return n, true
		}
	}
	return out, true
}

// secretInput applies the write/load rule of server-api.md §3.5 to one
// incoming secret string s (in is s as it came in). It returns the value to
// store (a string, Sealed or nil) and whether to keep it (false only for
// map entries).
func (v *vctx) secretInput(in any, s string, k secretKind) (any, bool) {
	if blankSecret(s) {
		return nil, k == secretField
	}
	c := v.in.Cipher
	if c == nil || !cipher.LooksLikeToken(s) {
		return in, true
	}
	plain, err := c.Decrypt(s)
	if err == nil {
		if blankSecret(plain) {
			return nil, k == secretField
		}
		return plain, true
	}
	if v.in.FromDisk {
		if v.in.Sealed != nil {
			*v.in.Sealed++
		}
		return Sealed{Token: s}, true
	}
	if k == secretVerbatim {
		return in, true
	}
	return nil, k == secretField
}

// blankSecret reports the "no value" inputs: empty, whitespace, Marker.
func blankSecret(s string) bool { return s == Marker || strings.TrimSpace(s) == "" }

// maxSafeInt is 2^53: integral floats below it convert exactly.
const maxSafeInt = 1 << 53

func (v *vctx) number(t *typ, in any) any {
	n, ok := in.(json.Number)
	if !ok {
		v.typeError(t, in)
		return nil
	}
	f, isInt := smallInt(string(n))
	var err error
	if !isInt {
		f, err = strconv.ParseFloat(string(n), 64)
	}
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		v.add("finite_number", "Input should be a finite number", in, nil)
		return nil
	}
	out := in
	if t.kind == kNumber && !isPyFloatLiteral(string(n)) {
		// A float field: stored and printed as Python prints a float
		// (data-model.md General rules: 8 → 8.0, 1e2 → 100.0).
		out = json.Number(pyFloat(f))
	}
	if t.kind == kInt && !isInt && strings.ContainsAny(string(n), ".eE") {
		if f != math.Trunc(f) {
			v.add("int_from_float", "Input should be a valid integer, got a number with a fractional part", in, nil)
			return nil
		}
		if math.Abs(f) < maxSafeInt {
			out = json.Number(strconv.FormatInt(int64(f), 10))
		} else {
			out = json.Number(new(big.Float).SetFloat64(f).Text('f', 0))
		}
	}
	for _, b := range t.bounds {
		var okb bool
		var typ, word string
		switch b.op {
		case "ge":
			okb, typ, word = f >= b.val, "greater_than_equal", "greater than or equal to"
		case "gt":
			okb, typ, word = f > b.val, "greater_than", "greater than"
		case "le":
			okb, typ, word = f <= b.val, "less_than_equal", "less than or equal to"
		case "lt":
			okb, typ, word = f < b.val, "less_than", "less than"
		}
		if !okb {
			v.add(typ, "Input should be "+word+" "+b.lit, in, jsonx.Obj(b.op, json.Number(b.lit)))
			return nil
		}
	}
	return out
}

// smallInt parses an integer literal of at most 15 digits (exactly
// representable, so the result equals strconv.ParseFloat's).
func smallInt(s string) (float64, bool) {
	neg := s != "" && s[0] == '-'
	if neg {
		s = s[1:]
	}
	if s == "" || len(s) > 15 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	f := float64(n)
	if neg {
		f = -f
	}
	return f, true
}

// isPyFloatLiteral reports literals that pyFloat would print unchanged, so
// that they need no formatting: -?(0|[1-9][0-9]*)\.[0-9]+ without
// exponent, without trailing zeros in the fraction (except a lone ".0"),
// with at most 15 digits in all (every such decimal is the shortest text of
// its float) and, below 1, at most three zeros after the point before the
// first significant digit (Python switches to exponent form below 1e-4).
func isPyFloatLiteral(s string) bool {
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	dot := strings.IndexByte(s, '.')
	if dot < 1 || dot == len(s)-1 || len(s)-1 > 15 {
		return false
	}
	intPart, frac := s[:dot], s[dot+1:]
	for i := 0; i < len(s); i++ {
		if i != dot && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	if len(intPart) > 1 && intPart[0] == '0' {
		return false
	}
	if frac[len(frac)-1] == '0' {
		return frac == "0"
	}
	if intPart == "0" {
		zeros := len(frac) - len(strings.TrimLeft(frac, "0"))
		return zeros <= 3
	}
	return true
}

// pyFloat formats a finite float like Python's repr(float): the shortest
// text that round-trips, always with a decimal point or an exponent, in
// fixed notation for decimal exponents -4 <= x < 16 and as d.ddde±XX
// otherwise (8 → "8.0", 1.5e-05, 1e+16).
func pyFloat(f float64) string {
	if f == 0 {
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	exp, err := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if err != nil || exp < -4 || exp >= 16 {
		return e
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsRune(s, '.') {
		s += ".0"
	}
	return s
}

// member returns the value of member name of obj. *next is where the
// member is expected (objects usually list their members in declaration
// order); it moves past the member found.
func member(obj *jsonx.Object, name string, next *int) (any, bool) {
	if *next < obj.Len() {
		if k, val := obj.At(*next); k == name {
			*next++
			return val, true
		}
	}
	i := obj.Index(name)
	if i < 0 {
		return nil, false
	}
	*next = i + 1
	_, val := obj.At(i)
	return val, true
}

func (v *vctx) model(m *model, obj *jsonx.Object) any {
	if m.before != nil {
		obj = m.before(v, obj)
		if obj == nil {
			return nil
		}
	}
	n := len(v.errs)
	vals := v.vals(len(m.fields))
	found, next, dropped := 0, 0, false
	for i, f := range m.fields {
		if f.computed != nil {
			vals[i] = f.computed(obj)
			continue
		}
		raw, present := member(obj, f.name, &next)
		if !present {
			switch {
			case f.def == nil:
				v.addAt(f.name, "missing", "Field required", redactedInput(m, obj), nil)
				vals[i], dropped = droppedT{}, true
			case m.compact && f.defEmpty:
				vals[i], dropped = droppedT{}, true // compacted away below anyway
			default:
				vals[i] = f.def()
			}
			continue
		}
		found++
		v.push(f.name)
		val, keep := v.value(f.t, raw)
		v.pop()
		if !keep {
			val, dropped = droppedT{}, true
		}
		vals[i] = val
	}
	var extra []int // positions of kept undeclared members
	if m.extra != extraIgnore && found < obj.Len() {
		for i := 0; i < obj.Len(); i++ {
			k, raw := obj.At(i)
			if _, declared := m.index[k]; declared {
				continue
			}
			if m.extra == extraForbid {
				v.addAt(k, "extra_forbidden", "Extra inputs are not permitted", redactedExtra(raw), nil)
				continue
			}
			extra = append(extra, i)
		}
	}
	if len(v.errs) != n {
		return nil
	}
	if m.compact {
		for i, val := range vals {
			if emptyMember(val) {
				vals[i], dropped = droppedT{}, true
			}
		}
	}
	var out *jsonx.Object
	if dropped {
		out = buildKept(m.names, vals)
	} else {
		out = m.shape.Object(vals)
	}
	for _, i := range extra {
		k, raw := obj.At(i)
		if val := jsonx.Clone(raw); !m.compact || !emptyMember(val) {
			out.Set(k, val)
		}
	}
	if m.after != nil {
		m.after(v, m, out)
	}
	return out
}

// redactedInput is the "input" of a missing-field error: the raw object
// without anything that could be a secret value.
func redactedInput(m *model, obj *jsonx.Object) any {
	if !m.hasSecret {
		return obj.Clone()
	}
	return nil
}

// redactedExtra keeps only scalar non-string inputs of extra members (an
// unknown member of an MCP object may well hold a credential).
func redactedExtra(v any) any {
	switch v.(type) {
	case bool, json.Number, nil:
		return v
	}
	return "<redacted>"
}

func (v *vctx) union(t *typ, in any) any {
	u := t.union
	obj, ok := in.(*jsonx.Object)
	if !ok || obj == nil {
		v.typeError(t, in)
		return nil
	}
	raw, present := obj.Get(u.disc)
	var tag string
	switch {
	case !present && u.fallback != "":
		tag = u.fallback
	case !present:
		d := "'" + u.disc + "'"
		v.add("union_tag_not_found", "Unable to extract tag using discriminator "+d,
			nil, jsonx.Obj("discriminator", d))
		return nil
	default:
		s, isStr := raw.(string)
		if !isStr {
			v.tagError(u, raw)
			return nil
		}
		tag = s
	}
	if canon, ok := u.alias[tag]; ok {
		c := obj.Clone()
		c.Set(u.disc, canon)
		obj, tag = c, canon
	}
	m := u.variants[tag]
	if m == nil {
		v.tagError(u, raw)
		return nil
	}
	v.push(tag)
	out := v.model(m, obj)
	v.pop()
	return out
}

func (v *vctx) tagError(u *union, raw any) {
	d := "'" + u.disc + "'"
	exp := strings.Join(quoteAll(u.tags), ", ")
	ctx := jsonx.Obj("discriminator", d, "expected_tags", exp)
	if s, ok := raw.(string); ok {
		ctx.Set("tag", s)
	}
	v.add("union_tag_invalid",
		"Input tag found using "+d+" does not match any of the expected tags: "+exp, nil, ctx)
}

func quoteAll(values []string) []string {
	q := make([]string, len(values))
	for i, s := range values {
		q[i] = "'" + s + "'"
	}
	return q
}
