package model

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/jsonx"
)

// obj parses a JSON object literal.
func obj(t testing.TB, s string) *jsonx.Object {
	t.Helper()
	o, err := jsonx.ParseObject([]byte(s))
	require.NoError(t, err)
	return o
}

// val parses any JSON literal.
func val(t testing.TB, s string) any {
	t.Helper()
	v, err := jsonx.Parse([]byte(s))
	require.NoError(t, err)
	return v
}

// get follows a dotted path through objects.
func get(doc any, path string) (any, bool) {
	cur := doc
	for _, k := range strings.Split(path, ".") {
		o, ok := cur.(*jsonx.Object)
		if !ok || o == nil {
			return nil, false
		}
		cur, ok = o.Get(k)
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

// requireJSON asserts that got equals the JSON literal want (member order
// ignored, numbers by value).
func requireJSON(t testing.TB, want string, got any) {
	t.Helper()
	w := val(t, want)
	if !jsonx.Equal(w, got) {
		gb, _ := jsonx.Marshal(got)
		require.Failf(t, "documents differ", "want %s\n got %s", want, gb)
	}
}

// requireKeys asserts the exact member order of an object.
func requireKeys(t testing.TB, o *jsonx.Object, keys ...string) {
	t.Helper()
	require.Equal(t, keys, append([]string{}, o.Keys()...))
}

// validationTypes returns the error types of a *ValidationError.
func validationTypes(t testing.TB, err error) []string {
	t.Helper()
	var ve *ValidationError
	require.True(t, errors.As(err, &ve), "want *ValidationError, got %v", err)
	out := make([]string, len(ve.Items))
	for i, it := range ve.Items {
		out[i] = it.Type
	}
	return out
}

// requireInvalid asserts a validation error containing an item of typ at loc
// (loc written as a dotted path; "" means the document itself).
func requireInvalid(t testing.TB, err error, typ, loc string) {
	t.Helper()
	requireInvalidAt(t, err, typ, loc, false)
}

// requireInvalidUnder is requireInvalid for an item at or below loc.
func requireInvalidUnder(t testing.TB, err error, typ, loc string) {
	t.Helper()
	requireInvalidAt(t, err, typ, loc, true)
}

func requireInvalidAt(t testing.TB, err error, typ, loc string, prefix bool) {
	t.Helper()
	var ve *ValidationError
	require.True(t, errors.As(err, &ve), "want *ValidationError, got %v", err)
	var seen []string
	for _, it := range ve.Items {
		parts := make([]string, len(it.Loc))
		for i, p := range it.Loc {
			switch x := p.(type) {
			case string:
				parts[i] = x
			case int:
				parts[i] = itoa(x)
			}
		}
		l := strings.Join(parts, ".")
		if it.Type == typ && (l == loc || prefix && strings.HasPrefix(l, loc+".")) {
			return
		}
		seen = append(seen, it.Type+"@"+l)
	}
	require.Failf(t, "error item not found", "want %s@%s, have %v", typ, loc, seen)
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

var (
	keyA = cipher.New("model-test-key-A")
	keyB = cipher.New("model-test-key-B")
)

func encrypt(t testing.TB, c *cipher.Cipher, s string) string {
	t.Helper()
	tok, err := c.Encrypt(s)
	require.NoError(t, err)
	return tok
}

func decrypt(t testing.TB, c *cipher.Cipher, tok string) string {
	t.Helper()
	s, err := c.Decrypt(tok)
	require.NoError(t, err)
	return s
}
