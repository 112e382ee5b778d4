// Package model is the reference server's settings data model: validation
// with defaults (a pydantic-like schema over jsonx documents), secret
// handling in every exposure mode, the settings/profile file codecs and the
// schema metadata endpoints. It does no I/O.
//
// Documents held in memory are "internal": validated, every field present in
// declaration order, secrets in plaintext, and secrets that did not decrypt
// at load kept as Sealed values.
package model

import (
	"errors"
	"fmt"
	"strings"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/jsonx"
)

// Marker is the redaction marker: exactly ten asterisks.
const Marker = "**********"

// Mode says how secrets are rendered.
type Mode int

const (
	// Redacted renders every set secret as Marker.
	Redacted Mode = iota
	// Encrypted renders every set secret as a fresh Fernet token (a value
	// that already is a token decrypting under the key is emitted as is).
	Encrypted
	// Plaintext renders raw values.
	Plaintext
	// AtRest is the on-disk form: Encrypted when a cipher is configured,
	// Plaintext otherwise; Sealed values are written back unchanged.
	AtRest
)

// ErrNoCipher is returned when Encrypted rendering meets a set secret and no
// cipher is configured (→ 503 "Encryption not available: ...").
var ErrNoCipher = errors.New("Encryption not available: OH_SECRET_KEY is not configured. Cannot return encrypted secrets.")

// Sealed is a secret that was read from disk as a Fernet token which does not
// decrypt under the current key. It counts as "not set" (null in every
// exposure mode, llm_api_key_is_set false) and is written back to disk byte
// for byte until a client replaces or deletes that value.
type Sealed struct{ Token string }

// MarshalJSON renders a Sealed value as null so it can never leak through a
// response by accident.
func (Sealed) MarshalJSON() ([]byte, error) { return []byte("null"), nil }

// Input says how secret strings arriving in a document are interpreted
// (server-api.md §3.5, persistence.md §6.3).
type Input struct {
	// Cipher is the server key; nil means no key (strings are taken literally).
	Cipher *cipher.Cipher
	// FromDisk selects the load rule: a token that does not decrypt becomes
	// Sealed instead of being dropped (the "safer than upstream" rule).
	FromDisk bool
	// Sealed counts how many Sealed values were produced (may be nil).
	Sealed *int
}

// ErrorItem is one pydantic-style validation error.
type ErrorItem struct {
	Type  string
	Loc   []any // strings and ints
	Msg   string
	Input any
	Ctx   *jsonx.Object
}

// ValidationError is a document that failed validation. Its Error text never
// contains input values.
type ValidationError struct{ Items []ErrorItem }

// Error lists the locations and messages of the items, never their inputs.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d validation error(s)", len(e.Items))
	for _, it := range e.Items {
		fmt.Fprintf(&b, "; %v: %s", it.Loc, it.Msg)
	}
	return b.String()
}

// Settings is the persisted settings document held in memory (internal form).
type Settings struct {
	Agent                *jsonx.Object // validated agent settings (either variant)
	Conversation         *jsonx.Object // validated conversation settings
	ActiveProfile        *string
	ActiveAgentProfileID *string
	Misc                 *jsonx.Object // opaque, never nil
}

// Format prints the error like Error for every verb (%v, %+v, %#v, %s, %q),
// so input values can never leak through fmt.
func (e *ValidationError) Format(f fmt.State, verb rune) { _, _ = fmt.Fprint(f, e.Error()) }

// String describes the item without its input value.
func (it ErrorItem) String() string { return fmt.Sprintf("%v: %s (%s)", it.Loc, it.Msg, it.Type) }

// Format prints the item without its input value for every verb.
func (it ErrorItem) Format(f fmt.State, verb rune) { _, _ = fmt.Fprint(f, it.String()) }

// String hides the token.
func (Sealed) String() string { return "<sealed secret>" }

// Format hides the token for every verb.
func (s Sealed) Format(f fmt.State, verb rune) { _, _ = fmt.Fprint(f, s.String()) }
