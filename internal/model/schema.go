package model

import (
	"encoding/json"

	"github.com/openhands-go/sdk/internal/jsonx"
)

// The data model is described by a small table of types (this file) that
// drives validation (validate.go), secret rendering (render.go), default
// documents and the schema metadata endpoints (schemadoc.go). The tables are
// built once at package initialisation and never modified afterwards.

// kind is the JSON shape a typ accepts.
type kind uint8

const (
	kAny    kind = iota // any JSON value, kept as is
	kString             // JSON string
	kInt                // JSON number with an integral value
	kNumber             // any JSON number
	kBool               // JSON boolean
	kModel              // object validated against a *model
	kUnion              // object validated against a discriminated *union
	kArray              // array of elem
	kMap                // object: string keys → elem
	kObject             // opaque JSON object, kept as is
	kAlt                // one of alts, chosen by the JSON type of the input
)

// secretKind says how a string in a secret position is treated on input
// (server-api.md §3.5, data-model.md §10).
type secretKind uint8

const (
	noSecret       secretKind = iota
	secretField               // single field: undecryptable token → null
	secretEntry               // map entry: blank or undecryptable → entry dropped
	secretVerbatim            // map entry: blank → dropped, undecryptable → kept verbatim
)

// bound is a numeric constraint (pydantic ge/gt/le/lt).
type bound struct {
	op  string // "ge", "gt", "le" or "lt"
	lit string // the bound as upstream writes it ("0", "0.0", "1")
	val float64
}

// typ describes the accepted values of one position in a document.
type typ struct {
	kind     kind
	nullable bool
	enum     []string // literal string choices (kString only)
	minLen   int      // minimum string length in characters
	bounds   []bound
	model    *model
	union    *union
	elem     *typ   // kArray, kMap
	alts     []*typ // kAlt
	secret   secretKind
	// secretKey, for a kMap whose elem is a secret, selects the keys whose
	// values are secret; the others are validated as plain strings.
	secretKey func(key string) bool
	plainElem *typ
	// checkStr (kString) and checkArr (kArray) return a value_error message
	// for an otherwise valid value.
	checkStr func(s string) string
	checkArr func(a []any) string
	// norm rewrites a valid string (LookupSecret URL resolution).
	norm func(s string) string
	// hasSecret is true when a secret can occur at or below this position,
	// hasNorm when a string with norm can.
	hasSecret bool
	hasNorm   bool
}

// extraMode says what happens to members that are not declared fields.
type extraMode uint8

const (
	extraIgnore extraMode = iota // dropped
	extraForbid                  // validation error
	extraAllow                   // kept after the declared fields
)

// field is one declared member of a model.
type field struct {
	name string
	t    *typ
	def  func() any // fresh default value; nil means required
	// computed produces an output-only member from the raw input
	// (LLM is_subscription); such fields are never validated.
	computed func(in *jsonx.Object) any
	meta     *fieldMeta   // schema metadata; nil = not exported as a field
	section  *sectionMeta // explicit schema section
	// defEmpty: the default is null or {} (set by newModel for compact
	// models, whose defaults are constants).
	defEmpty bool
}

// model is an object type with declared fields in output order.
type model struct {
	name   string
	fields []*field
	names  []string // field names in order
	index  map[string]*field
	shape  *jsonx.Shape // the field names, shared by every output object
	extra  extraMode
	// before runs on the raw object before field validation and returns the
	// object to validate (a copy when it changes anything), or nil after
	// recording an error (at v's current path, the model's location).
	before func(v *vctx, in *jsonx.Object) *jsonx.Object
	// after runs on the validated output when the fields had no errors.
	after func(v *vctx, m *model, out *jsonx.Object)
	// compact drops null and {} members from the output (MCP objects).
	compact   bool
	hasSecret bool
}

// union is a set of models discriminated by one string member.
type union struct {
	name     string
	disc     string
	fallback string            // tag used when the member is missing; "" = required
	alias    map[string]string // legacy tag → canonical tag
	tags     []string
	variants map[string]*model
}

// fieldMeta is the schema metadata of a field (upstream SettingsFieldMetadata).
type fieldMeta struct {
	label      string // "" → humanised field name
	desc       string // "" → null
	prominence string // "" → minor
	dependsOn  []string
	variant    string
}

// sectionMeta is the schema metadata of a section (upstream
// SettingsSectionMetadata).
type sectionMeta struct {
	key     string
	label   string
	variant string
	optIn   bool // only nested fields with metadata are exported
}

// ---- builders ---------------------------------------------------------

func tString() *typ { return &typ{kind: kString} }
func tInt() *typ    { return &typ{kind: kInt} }
func tNumber() *typ { return &typ{kind: kNumber} }
func tBool() *typ   { return &typ{kind: kBool} }
func tObject() *typ { return &typ{kind: kObject} }

func tEnum(values ...string) *typ { return &typ{kind: kString, enum: values} }

func tModel(m *model) *typ { return &typ{kind: kModel, model: m} }
func tUnion(u *union) *typ { return &typ{kind: kUnion, union: u} }
func tArray(e *typ) *typ   { return &typ{kind: kArray, elem: e} }
func tMap(e *typ) *typ     { return &typ{kind: kMap, elem: e} }
func tAlt(a ...*typ) *typ  { return &typ{kind: kAlt, alts: a} }

func (t *typ) null() *typ { t.nullable = true; return t }

func (t *typ) min(n int) *typ { t.minLen = n; return t }

func (t *typ) sec(k secretKind) *typ { t.secret = k; return t }

func (t *typ) ge(lit string) *typ { return t.bound("ge", lit) }
func (t *typ) gt(lit string) *typ { return t.bound("gt", lit) }
func (t *typ) le(lit string) *typ { return t.bound("le", lit) }
func (t *typ) lt(lit string) *typ { return t.bound("lt", lit) }

func (t *typ) bound(op, lit string) *typ {
	var f float64
	if err := json.Unmarshal([]byte(lit), &f); err != nil {
		panic("model: bad bound literal " + lit) // static table, caught by tests
	}
	t.bounds = append(t.bounds, bound{op: op, lit: lit, val: f})
	return t
}

func (t *typ) checkedStr(fn func(string) string) *typ { t.checkStr = fn; return t }

func (t *typ) checkedArr(fn func([]any) string) *typ { t.checkArr = fn; return t }

// fld builds a field with a default value (cloned on every use).
func fld(name string, t *typ, def any) *field {
	return &field{name: name, t: t, def: constDefault(def)}
}

// req builds a required field.
func req(name string, t *typ) *field { return &field{name: name, t: t} }

// fldFn builds a field whose default is computed on every use.
func fldFn(name string, t *typ, def func() any) *field {
	return &field{name: name, t: t, def: def}
}

func constDefault(v any) func() any {
	return func() any { return jsonx.Clone(v) }
}

func (f *field) m(meta fieldMeta) *field { f.meta = &meta; return f }

func (f *field) in(s sectionMeta) *field { f.section = &s; return f }

// newModel builds a model and indexes its fields.
func newModel(name string, extra extraMode, fields ...*field) *model {
	m := &model{name: name, fields: fields, extra: extra, index: make(map[string]*field, len(fields))}
	names := make([]string, len(fields))
	for i, f := range fields {
		m.index[f.name] = f
		names[i] = f.name
	}
	shape, err := jsonx.NewShape(names)
	if err != nil {
		panic("model: duplicate field in " + name) // static table, caught by tests
	}
	m.shape, m.names = shape, names
	return m
}

// setCompact makes m drop null and {} members from its output. Defaults of
// compact models are constants; the empty ones are noted so that
// validation does not build them only to drop them.
func (m *model) setCompact() {
	m.compact = true
	for _, f := range m.fields {
		f.defEmpty = f.def != nil && emptyMember(f.def())
	}
}

func newUnion(name, disc, fallback string, variants ...*model) *union {
	u := &union{name: name, disc: disc, fallback: fallback, variants: map[string]*model{}}
	for _, m := range variants {
		tag := m.index[disc].t.enum[0]
		u.tags = append(u.tags, tag)
		u.variants[tag] = m
	}
	return u
}

// defaults returns a fresh document with every defaulted field.
func (m *model) defaults() *jsonx.Object {
	vals := make([]any, len(m.fields))
	empty := jsonx.NewObject()
	dropped := false
	for i, f := range m.fields {
		switch {
		case f.computed != nil:
			vals[i] = f.computed(empty)
		case f.def != nil:
			vals[i] = f.def()
		default:
			vals[i], dropped = droppedT{}, true
		}
		if m.compact && emptyMember(vals[i]) {
			vals[i], dropped = droppedT{}, true
		}
	}
	if dropped {
		return buildKept(m.names, vals)
	}
	return m.shape.Object(vals)
}

func (m *model) defaultFn() func() any { return func() any { return m.defaults() } }

// defaultVariant returns the defaults of the union's fallback variant.
func (u *union) defaultFn() func() any {
	return func() any { return u.variants[u.fallback].defaults() }
}

// ---- secret marking ---------------------------------------------------

// markSecrets computes hasSecret and hasNorm bottom-up and prepares plain
// map elements. The schema has no cycles.
func markSecrets(t *typ) bool {
	h, _ := mark(t)
	return h
}

// mark sets t.hasSecret and t.hasNorm and returns them.
func mark(t *typ) (secret, norm bool) {
	if t == nil {
		return false, false
	}
	h, n := t.secret != noSecret, t.norm != nil
	or := func(hs, ns bool) { h, n = h || hs, n || ns }
	switch t.kind {
	case kModel:
		or(markModel(t.model))
	case kUnion:
		for _, tag := range t.union.tags {
			or(markModel(t.union.variants[tag]))
		}
	case kArray, kMap:
		or(mark(t.elem))
		if t.secretKey != nil && t.plainElem == nil {
			p := *t.elem
			p.secret = noSecret
			p.hasSecret = false
			t.plainElem = &p
		}
	case kAlt:
		for _, a := range t.alts {
			or(mark(a))
		}
	}
	t.hasSecret, t.hasNorm = h, n
	return h, n
}

func markModel(m *model) (secret, norm bool) {
	for _, f := range m.fields {
		if f.computed == nil {
			h, n := mark(f.t)
			secret, norm = secret || h, norm || n
		}
	}
	m.hasSecret = secret
	return secret, norm
}
