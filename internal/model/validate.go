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

// vctx carries the input rules and collects errors during one validation.
type vctx struct {
	in   Input
	errs []ErrorItem
}

// validateTop validates doc against t and returns the output object or a
// *ValidationError. The input document is never modified.
func validateTop(t *typ, doc *jsonx.Object, in Input) (*jsonx.Object, error) {
	v := &vctx{in: in}
	var raw any
	if doc != nil {
		raw = doc
	}
	out, _ := v.value(t, raw, nil)
	if len(v.errs) > 0 {
		return nil, &ValidationError{Items: v.errs}
	}
	o, ok := out.(*jsonx.Object)
	if !ok {
		return nil, &ValidationError{Items: []ErrorItem{{Type: "model_type", Loc: []any{}, Msg: "Input should be an object"}}}
	}
	return o, nil
}

func at(loc []any, k any) []any {
	l := make([]any, len(loc)+1)
	copy(l, loc)
	l[len(loc)] = k
	return l
}

func (v *vctx) add(typ string, loc []any, msg string, input any, ctx *jsonx.Object) {
	l := make([]any, len(loc))
	copy(l, loc)
	v.errs = append(v.errs, ErrorItem{Type: typ, Loc: l, Msg: msg, Input: input, Ctx: ctx})
}

// modelError records a model-level value_error. The recorded input is the
// validated object with its secrets redacted, never raw secret values.
func (v *vctx) modelError(m *model, out *jsonx.Object, loc []any, msg string) {
	r := renderer{mode: Redacted}
	input, _, _ := r.value(&typ{kind: kModel, model: m, hasSecret: m.hasSecret}, out)
	v.add("value_error", loc, "Value error, "+msg, input, jsonx.Obj("error", msg))
}

// typeError records the pydantic error for a value of the wrong JSON type.
// Where a secret can occur, only scalar non-string inputs are echoed.
func (v *vctx) typeError(t *typ, in any, loc []any) {
	if t.hasSecret || t.secret != noSecret {
		in = redactedExtra(in)
	}
	switch t.kind {
	case kString:
		if len(t.enum) > 0 {
			v.literalError(t, in, loc)
			return
		}
		v.add("string_type", loc, "Input should be a valid string", in, nil)
	case kInt:
		v.add("int_type", loc, "Input should be a valid integer", in, nil)
	case kNumber:
		v.add("float_type", loc, "Input should be a valid number", in, nil)
	case kBool:
		v.add("bool_type", loc, "Input should be a valid boolean", in, nil)
	case kModel:
		v.add("model_type", loc, "Input should be a valid dictionary or instance of "+t.model.name,
			in, jsonx.Obj("class_name", t.model.name))
	case kUnion:
		v.add("model_attributes_type", loc, "Input should be a valid dictionary or object to extract fields from", in, nil)
	case kArray:
		v.add("list_type", loc, "Input should be a valid list", in, nil)
	case kMap, kObject:
		v.add("dict_type", loc, "Input should be a valid dictionary", in, nil)
	case kAlt:
		v.typeError(t.alts[0], in, loc)
	default:
		v.add("value_error", loc, "Value error, unexpected value", in, nil)
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

func (v *vctx) literalError(t *typ, in any, loc []any) {
	exp := quoteList(t.enum)
	v.add("literal_error", loc, "Input should be "+exp, in, jsonx.Obj("expected", exp))
}

// value validates one JSON value. keep=false means the value is to be dropped
// (map entries whose secret has no value). Errors are recorded in v.errs.
func (v *vctx) value(t *typ, in any, loc []any) (any, bool) {
	if in == nil {
		if t.nullable {
			return nil, true
		}
		if t.kind == kAlt {
			return v.value(t.alts[0], in, loc)
		}
		v.typeError(t, in, loc)
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
		v.typeError(t, nil, loc)
		return nil, true
	}
	switch t.kind {
	case kAny:
		return jsonx.Clone(in), true
	case kString:
		return v.str(t, in, loc)
	case kInt, kNumber:
		return v.number(t, in, loc), true
	case kBool:
		if _, ok := in.(bool); !ok {
			v.typeError(t, in, loc)
		}
		return in, true
	case kModel:
		obj, ok := in.(*jsonx.Object)
		if !ok || obj == nil {
			v.typeError(t, in, loc)
			return nil, true
		}
		return v.model(t.model, obj, loc), true
	case kUnion:
		return v.union(t, in, loc), true
	case kArray:
		arr, ok := in.([]any)
		if !ok {
			v.typeError(t, in, loc)
			return nil, true
		}
		out := make([]any, 0, len(arr))
		n := len(v.errs)
		for i, e := range arr {
			val, keep := v.value(t.elem, e, at(loc, i))
			if keep {
				out = append(out, val)
			}
		}
		if n == len(v.errs) && t.check != nil {
			if msg := t.check(out); msg != "" {
				v.add("value_error", loc, "Value error, "+msg, nil, jsonx.Obj("error", msg))
			}
		}
		return out, true
	case kMap:
		obj, ok := in.(*jsonx.Object)
		if !ok || obj == nil {
			v.typeError(t, in, loc)
			return nil, true
		}
		out := jsonx.NewObject()
		for _, k := range obj.Keys() {
			et := t.elem
			if t.secretKey != nil && !t.secretKey(k) {
				et = t.plainElem
			}
			val, keep := v.value(et, obj.Value(k), at(loc, k))
			if keep {
				out.Set(k, val)
			}
		}
		return out, true
	case kObject:
		obj, ok := in.(*jsonx.Object)
		if !ok || obj == nil {
			v.typeError(t, in, loc)
			return nil, true
		}
		return obj.Clone(), true
	case kAlt:
		for _, a := range t.alts {
			if accepts(a, in) {
				return v.value(a, in, loc)
			}
		}
		v.typeError(t, in, loc)
		return nil, true
	}
	v.typeError(t, in, loc)
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

func (v *vctx) str(t *typ, in any, loc []any) (any, bool) {
	s, ok := in.(string)
	if !ok {
		v.typeError(t, in, loc)
		return nil, true
	}
	if t.secret != noSecret {
		val, keep := v.secretInput(s, t.secret)
		s2, isStr := val.(string)
		if !keep || !isStr {
			return val, keep
		}
		s = s2
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
			v.literalError(t, in, loc)
			return nil, true
		}
	}
	if t.minLen > 0 && utf8.RuneCountInString(s) < t.minLen {
		plural := "s"
		if t.minLen == 1 {
			plural = ""
		}
		v.add("string_too_short", loc,
			"String should have at least "+strconv.Itoa(t.minLen)+" character"+plural,
			in, jsonx.Obj("min_length", json.Number(strconv.Itoa(t.minLen))))
		return nil, true
	}
	if t.check != nil {
		if msg := t.check(s); msg != "" {
			v.add("value_error", loc, "Value error, "+msg, in, jsonx.Obj("error", msg))
			return nil, true
		}
	}
	if t.norm != nil {
		s = t.norm(s)
	}
	return s, true
}

// secretInput applies the write/load rule of server-api.md §3.5 to one
// incoming secret string. It returns the value to store (a string, Sealed
// or nil) and whether to keep it (false only for map entries).
func (v *vctx) secretInput(s string, k secretKind) (any, bool) {
	noValue := func() (any, bool) {
		if k == secretField {
			return nil, true
		}
		return nil, false
	}
	if blankSecret(s) {
		return noValue()
	}
	c := v.in.Cipher
	if c == nil || !cipher.LooksLikeToken(s) {
		return s, true
	}
	plain, err := c.Decrypt(s)
	if err == nil {
		if blankSecret(plain) {
			return noValue()
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
		return s, true
	}
	return noValue()
}

// blankSecret reports the "no value" inputs: empty, whitespace, Marker.
func blankSecret(s string) bool { return s == Marker || strings.TrimSpace(s) == "" }

// maxSafeInt is 2^53: integral floats below it convert exactly.
const maxSafeInt = 1 << 53

func (v *vctx) number(t *typ, in any, loc []any) any {
	n, ok := in.(json.Number)
	if !ok {
		v.typeError(t, in, loc)
		return nil
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		v.add("finite_number", loc, "Input should be a finite number", in, nil)
		return nil
	}
	out := n
	if t.kind == kNumber {
		// A float field: stored and printed as Python prints a float
		// (data-model.md General rules: 8 → 8.0, 1e2 → 100.0).
		out = json.Number(pyFloat(f))
	}
	if t.kind == kInt && strings.ContainsAny(string(n), ".eE") {
		if f != math.Trunc(f) {
			v.add("int_from_float", loc, "Input should be a valid integer, got a number with a fractional part", in, nil)
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
			v.add(typ, loc, "Input should be "+word+" "+b.lit, in, jsonx.Obj(b.op, json.Number(b.lit)))
			return nil
		}
	}
	return out
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

func (v *vctx) model(m *model, obj *jsonx.Object, loc []any) any {
	if m.before != nil {
		obj = m.before(v, obj, loc)
		if obj == nil {
			return nil
		}
	}
	n := len(v.errs)
	out := jsonx.NewObject()
	for _, f := range m.fields {
		if f.computed != nil {
			out.Set(f.name, f.computed(obj))
			continue
		}
		raw, present := obj.Get(f.name)
		if !present {
			if f.def == nil {
				v.add("missing", at(loc, f.name), "Field required", redactedInput(m, obj), nil)
				continue
			}
			out.Set(f.name, f.def())
			continue
		}
		val, keep := v.value(f.t, raw, at(loc, f.name))
		if keep {
			out.Set(f.name, val)
		}
	}
	if m.extra != extraIgnore {
		for _, k := range obj.Keys() {
			if _, declared := m.index[k]; declared {
				continue
			}
			if m.extra == extraForbid {
				v.add("extra_forbidden", at(loc, k), "Extra inputs are not permitted", redactedExtra(obj.Value(k)), nil)
				continue
			}
			out.Set(k, jsonx.Clone(obj.Value(k)))
		}
	}
	if len(v.errs) != n {
		return nil
	}
	if m.compact {
		compactObject(out)
	}
	if m.after != nil {
		m.after(v, m, out, loc)
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

func (v *vctx) union(t *typ, in any, loc []any) any {
	u := t.union
	obj, ok := in.(*jsonx.Object)
	if !ok || obj == nil {
		v.typeError(t, in, loc)
		return nil
	}
	raw, present := obj.Get(u.disc)
	var tag string
	switch {
	case !present && u.fallback != "":
		tag = u.fallback
	case !present:
		d := "'" + u.disc + "'"
		v.add("union_tag_not_found", loc, "Unable to extract tag using discriminator "+d,
			nil, jsonx.Obj("discriminator", d))
		return nil
	default:
		s, isStr := raw.(string)
		if !isStr {
			v.tagError(u, raw, loc)
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
		v.tagError(u, raw, loc)
		return nil
	}
	return v.model(m, obj, at(loc, tag))
}

func (v *vctx) tagError(u *union, raw any, loc []any) {
	d := "'" + u.disc + "'"
	exp := strings.Join(quoteAll(u.tags), ", ")
	ctx := jsonx.Obj("discriminator", d, "expected_tags", exp)
	if s, ok := raw.(string); ok {
		ctx.Set("tag", s)
	}
	v.add("union_tag_invalid", loc,
		"Input tag found using "+d+" does not match any of the expected tags: "+exp, nil, ctx)
}

func quoteAll(values []string) []string {
	q := make([]string, len(values))
	for i, s := range values {
		q[i] = "'" + s + "'"
	}
	return q
}
