// Package secret holds the client-side secret value types of the OpenHands
// Settings and Secrets API: a redacting string type ([Str]), the two
// SecretSource kinds ([StaticSecret], [LookupSecret]) and [Environ], which turns
// resolved secrets into environment lines for a child process.
//
// Every type in this package redacts secret values whenever it is printed
// (fmt, all verbs), logged (log/slog) or encoded with encoding/json; the
// plaintext is only available through explicit calls ([Str.Reveal], the
// PlaintextJSON methods, Resolve and [Environ]).
//
// One hole cannot be closed by any Go type whose underlying kind is string:
// the fmt package prints the raw value when reporting a bad verb that is
// handled before formatters are consulted (%p, e.g. "%!p(secret.Str=...)").
// go vet reports such format strings; do not use %p with secret values.
package secret

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
)

// Marker is the redaction marker printed instead of a secret value. It is the
// same string the agent-server uses in redacted responses.
const Marker = "**********"

// Str is a string holding a secret value. Its plaintext is only available via
// [Str.Reveal]; formatting, logging and JSON/text marshalling print [Marker]
// when the value is set and nothing (or JSON null) when it is empty.
//
// The zero value is the empty (unset) secret.
type Str string

// Reveal returns the plaintext value. It is the only way to read the secret.
func (s Str) Reveal() string { return string(s) }

// IsSet reports whether the secret is non-empty.
func (s Str) IsSet() bool { return s != "" }

// redacted returns Marker when set and "" when empty.
func (s Str) redacted() string {
	if s == "" {
		return ""
	}
	return Marker
}

// String returns [Marker] when the secret is set and "" when it is empty.
func (s Str) String() string { return s.redacted() }

// GoString returns the Go-syntax form used by %#v, with the value redacted.
func (s Str) GoString() string { return strconv.Quote(s.redacted()) }

// Format implements [fmt.Formatter] so that every verb (%v, %+v, %#v, %s, %q,
// %x, %X, %d, ...) prints the redacted form. Width, precision and flags are
// honoured as for a plain string holding [Marker] (or "").
func (s Str) Format(f fmt.State, verb rune) {
	r := s.redacted()
	switch verb {
	case 'v':
		if f.Flag('#') {
			_, _ = fmt.Fprint(f, strconv.Quote(r))
			return
		}
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, 's'), r)
	case 's', 'q', 'x', 'X':
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), r)
	default:
		// Any other verb (%d, %t, %f, ...) is not meaningful for a string; print
		// the redacted text instead of fmt's "%!d(...)" which could echo input.
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, 's'), r)
	}
}

// LogValue implements [slog.LogValuer]: the secret is logged as [Marker] (or ""
// when empty).
func (s Str) LogValue() slog.Value { return slog.StringValue(s.redacted()) }

// MarshalJSON encodes the secret as "**********" when set and null when empty.
// Use Reveal (or a PlaintextJSON method of the containing type) to encode the
// real value.
func (s Str) MarshalJSON() ([]byte, error) {
	if s == "" {
		return []byte("null"), nil
	}
	return []byte(`"` + Marker + `"`), nil
}

// MarshalText returns the redacted form ([Marker], or empty when unset), so that
// text-based encoders never see the value.
func (s Str) MarshalText() ([]byte, error) { return []byte(s.redacted()), nil }

// UnmarshalJSON accepts a JSON string (the value) or null (the empty secret).
// Errors never contain the input.
func (s *Str) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		*s = ""
		return nil
	}
	var v string
	if err := json.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("secret: expected a JSON string or null")
	}
	*s = Str(v)
	return nil
}
