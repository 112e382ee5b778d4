package model

import (
	"errors"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/jsonx"
)

// errEncrypt is returned when the cipher fails to produce a token. It never
// carries the value.
var errEncrypt = errors.New("model: cannot encrypt a secret value")

// renderer copies an internal document, rendering every secret for mode.
type renderer struct {
	mode Mode
	c    *cipher.Cipher
}

// value returns a rendered copy of in, which has type t. keep=false means
// the value is left out (a map entry or compact member with no value).
// Values that do not have the shape t describes are copied unchanged.
func (r *renderer) value(t *typ, in any) (any, bool, error) {
	if in == nil {
		return nil, true, nil
	}
	if !t.hasSecret {
		return jsonx.Clone(in), true, nil
	}
	switch x := in.(type) {
	case Sealed:
		if r.mode == AtRest {
			return x.Token, true, nil
		}
		return nil, t.secret == secretField, nil
	case string:
		sec := t.secret
		if t.kind == kAlt {
			for _, a := range t.alts {
				if a.kind == kString {
					sec = a.secret
				}
			}
		}
		if sec == noSecret {
			return x, true, nil
		}
		s, err := r.secret(x)
		return s, true, err
	}
	switch t.kind {
	case kModel:
		obj, ok := in.(*jsonx.Object)
		if !ok || obj == nil {
			return jsonx.Clone(in), true, nil
		}
		out, err := r.model(t.model, obj)
		return out, true, err
	case kUnion:
		obj, ok := in.(*jsonx.Object)
		if !ok || obj == nil {
			return jsonx.Clone(in), true, nil
		}
		m := t.union.variantOf(obj)
		if m == nil {
			return obj.Clone(), true, nil
		}
		out, err := r.model(m, obj)
		return out, true, err
	case kArray:
		arr, ok := in.([]any)
		if !ok {
			return jsonx.Clone(in), true, nil
		}
		out := make([]any, 0, len(arr))
		for _, e := range arr {
			val, keep, err := r.value(t.elem, e)
			if err != nil {
				return nil, false, err
			}
			if keep {
				out = append(out, val)
			}
		}
		return out, true, nil
	case kMap:
		obj, ok := in.(*jsonx.Object)
		if !ok || obj == nil {
			return jsonx.Clone(in), true, nil
		}
		out := jsonx.NewObject()
		for _, k := range obj.Keys() {
			et := t.elem
			if t.secretKey != nil && !t.secretKey(k) {
				et = t.plainElem
			}
			val, keep, err := r.value(et, obj.Value(k))
			if err != nil {
				return nil, false, err
			}
			if keep {
				out.Set(k, val)
			}
		}
		return out, true, nil
	case kAlt:
		for _, a := range t.alts {
			if accepts(a, in) {
				return r.value(a, in)
			}
		}
	}
	return jsonx.Clone(in), true, nil
}

// variantOf returns the model a validated object belongs to.
func (u *union) variantOf(obj *jsonx.Object) *model {
	tag := u.fallback
	if s, ok := obj.String(u.disc); ok {
		tag = s
	}
	if canon, ok := u.alias[tag]; ok {
		tag = canon
	}
	return u.variants[tag]
}

func (r *renderer) model(m *model, obj *jsonx.Object) (*jsonx.Object, error) {
	out := jsonx.NewObject()
	for _, k := range obj.Keys() {
		v := obj.Value(k)
		f := m.index[k]
		if f == nil || f.computed != nil {
			out.Set(k, jsonx.Clone(v))
			continue
		}
		val, keep, err := r.value(f.t, v)
		if err != nil {
			return nil, err
		}
		if keep {
			out.Set(k, val)
		}
	}
	if m.compact {
		compactObject(out)
	}
	return out, nil
}

// secret renders one set secret value.
func (r *renderer) secret(s string) (any, error) {
	switch r.mode {
	case Redacted:
		return Marker, nil
	case Plaintext:
		return s, nil
	case Encrypted, AtRest:
		if r.c == nil {
			if r.mode == AtRest {
				return s, nil
			}
			return nil, ErrNoCipher
		}
		tok, err := r.c.EncryptValue(s)
		if err != nil {
			return nil, errEncrypt
		}
		return tok, nil
	}
	return Marker, nil
}

// render renders doc of type t; doc must be an object.
func render(t *typ, doc *jsonx.Object, mode Mode, c *cipher.Cipher) (*jsonx.Object, error) {
	if doc == nil {
		return nil, errors.New("model: nil document")
	}
	r := renderer{mode: mode, c: c}
	out, _, err := r.value(t, doc)
	if err != nil {
		return nil, err
	}
	o, ok := out.(*jsonx.Object)
	if !ok {
		return nil, errors.New("model: document is not an object")
	}
	return o, nil
}

// RenderAgentSettings returns a copy of internal agent settings with secrets
// rendered for mode (every field present, declaration order).
func RenderAgentSettings(doc *jsonx.Object, mode Mode, c *cipher.Cipher) (*jsonx.Object, error) {
	return render(schemas.agentT, doc, mode, c)
}

// RenderLLM returns a copy of an internal LLM object with secrets rendered
// for mode.
func RenderLLM(doc *jsonx.Object, mode Mode, c *cipher.Cipher) (*jsonx.Object, error) {
	return render(schemas.llmT, doc, mode, c)
}

// RenderMCPServer returns a copy of an internal MCP server object with
// secrets rendered for mode (compact form).
func RenderMCPServer(doc *jsonx.Object, mode Mode, c *cipher.Cipher) (*jsonx.Object, error) {
	return render(schemas.mcpServerT, doc, mode, c)
}
