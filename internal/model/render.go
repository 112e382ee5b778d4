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
// With share set, parts of the document that hold no secret are not copied
// but shared with the input: for output that is encoded and dropped at
// once, never for documents handed to callers.
//
// With check set (AtRest only), ok is cleared when loading the rendered
// document back would not give the internal document (see
// AppendSettingsFileReusable): a secret that is blank or, with a cipher,
// looks like a token, a Sealed value without a cipher, or a LookupSecret
// URL that resolving would change.
type renderer struct {
	mode  Mode
	c     *cipher.Cipher
	share bool
	check bool
	ok    bool
}

// copy returns v itself when sharing, a deep copy otherwise.
func (r *renderer) copy(v any) any {
	if r.share {
		return v
	}
	return jsonx.Clone(v)
}

// value returns a rendered copy of in, which has type t. keep=false means
// the value is left out (a map entry or compact member with no value).
// Values that do not have the shape t describes are copied unchanged.
func (r *renderer) value(t *typ, in any) (any, bool, error) {
	if in == nil {
		return nil, true, nil
	}
	if !t.hasSecret && !(r.check && t.hasNorm) {
		return r.copy(in), true, nil
	}
	switch x := in.(type) {
	case Sealed:
		if r.check && (r.c == nil || !cipher.LooksLikeToken(x.Token)) {
			r.ok = false
		}
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
		if r.check && t.norm != nil && !lookupURLIsAbsolute(x) {
			r.ok = false
		}
		if sec == noSecret {
			return in, true, nil
		}
		if r.check && (blankSecret(x) || (r.c != nil && cipher.LooksLikeToken(x))) {
			r.ok = false
		}
		s, err := r.secret(in, x)
		return s, true, err
	}
	switch t.kind {
	case kModel:
		obj, ok := in.(*jsonx.Object)
		if !ok || obj == nil {
			return r.copy(in), true, nil
		}
		out, err := r.model(t.model, obj)
		return out, true, err
	case kUnion:
		obj, ok := in.(*jsonx.Object)
		if !ok || obj == nil {
			return r.copy(in), true, nil
		}
		m := t.union.variantOf(obj)
		if m == nil {
			return r.copy(obj), true, nil
		}
		out, err := r.model(m, obj)
		return out, true, err
	case kArray:
		arr, ok := in.([]any)
		if !ok {
			return r.copy(in), true, nil
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
			return r.copy(in), true, nil
		}
		n := obj.Len()
		vals := make([]any, n)
		all := true
		for i := 0; i < n; i++ {
			k, v := obj.At(i)
			et := t.elem
			if t.secretKey != nil && !t.secretKey(k) {
				et = t.plainElem
			}
			val, keep, err := r.value(et, v)
			if err != nil {
				return nil, false, err
			}
			if !keep {
				val, all = droppedT{}, false
			}
			vals[i] = val
		}
		if all {
			return obj.WithValues(vals), true, nil
		}
		return buildKept(obj.Keys(), vals), true, nil
	case kAlt:
		for _, a := range t.alts {
			if accepts(a, in) {
				return r.value(a, in)
			}
		}
	}
	return r.copy(in), true, nil
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
	n := obj.Len()
	vals := make([]any, n)
	all := true
	for i := 0; i < n; i++ {
		k, v := obj.At(i)
		var f *field
		if i < len(m.fields) && m.fields[i].name == k {
			f = m.fields[i] // internal documents follow declaration order
		} else {
			f = m.index[k]
		}
		if f == nil || f.computed != nil {
			vals[i] = r.copy(v)
		} else {
			val, keep, err := r.value(f.t, v)
			if err != nil {
				return nil, err
			}
			if !keep {
				val, all = droppedT{}, false
			}
			vals[i] = val
		}
		if m.compact && emptyMember(vals[i]) {
			vals[i], all = droppedT{}, false
		}
	}
	if all {
		return obj.WithValues(vals), nil
	}
	return buildKept(obj.Keys(), vals), nil
}

// secret renders one set secret value s (in is s as an interface value).
func (r *renderer) secret(in any, s string) (any, error) {
	switch r.mode {
	case Redacted:
		return Marker, nil
	case Plaintext:
		return in, nil
	case Encrypted, AtRest:
		if r.c == nil {
			if r.mode == AtRest {
				return in, nil
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

// render renders doc of type t; doc must be an object. With share, the
// result shares the parts without secrets with doc (see renderer).
func render(t *typ, doc *jsonx.Object, mode Mode, c *cipher.Cipher, share bool) (*jsonx.Object, error) {
	if doc == nil {
		return nil, errors.New("model: nil document")
	}
	r := renderer{mode: mode, c: c, share: share}
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
	return render(schemas.agentT, doc, mode, c, false)
}

// RenderLLM returns a copy of an internal LLM object with secrets rendered
// for mode.
func RenderLLM(doc *jsonx.Object, mode Mode, c *cipher.Cipher) (*jsonx.Object, error) {
	return render(schemas.llmT, doc, mode, c, false)
}

// RenderMCPServer returns a copy of an internal MCP server object with
// secrets rendered for mode (compact form).
func RenderMCPServer(doc *jsonx.Object, mode Mode, c *cipher.Cipher) (*jsonx.Object, error) {
	return render(schemas.mcpServerT, doc, mode, c, false)
}
