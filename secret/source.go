package secret

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Resolver produces the plaintext value of a secret source.
type Resolver interface {
	// Resolve returns the plaintext secret value.
	Resolve(ctx context.Context) (string, error)
}

// Kind names of the SecretSource discriminator (`kind` member).
const (
	// KindStatic is the `kind` of a [StaticSecret].
	KindStatic = "StaticSecret"
	// KindLookup is the `kind` of a [LookupSecret].
	KindLookup = "LookupSecret"
)

// EnvInternalServerURL is the environment variable holding the base URL that
// relative LookupSecret URLs are resolved against.
const EnvInternalServerURL = "OH_INTERNAL_SERVER_URL"

// DefaultInternalServerURL is used when [EnvInternalServerURL] is unset or empty.
const DefaultInternalServerURL = "http://127.0.0.1:8000"

// StaticSecret is a SecretSource holding its value inline
// (`{"description": ..., "value": ..., "kind": "StaticSecret"}`).
//
// json.Marshal redacts Value; use [StaticSecret.PlaintextJSON] to send the
// real value.
type StaticSecret struct {
	// Description is optional human-readable text (JSON null when nil).
	Description *string
	// Value is the secret value (JSON null when empty).
	Value Str
}

// Resolve returns the inline value, or an error wrapping [ErrEmpty] when the
// value is empty.
func (s StaticSecret) Resolve(ctx context.Context) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if !s.Value.IsSet() {
		return "", fmt.Errorf("secret: static secret: %w", ErrEmpty)
	}
	return s.Value.Reveal(), nil
}

// MarshalJSON encodes the secret with the value redacted.
func (s StaticSecret) MarshalJSON() ([]byte, error) { return s.encode(false), nil }

// PlaintextJSON encodes the secret with the real value.
func (s StaticSecret) PlaintextJSON() ([]byte, error) { return s.encode(true), nil }

func (s StaticSecret) encode(plain bool) []byte {
	var b bytes.Buffer
	b.WriteString(`{"description":`)
	writeOptString(&b, s.Description)
	b.WriteString(`,"value":`)
	switch {
	case !s.Value.IsSet():
		b.WriteString("null")
	case plain:
		writeString(&b, s.Value.Reveal())
	default:
		writeString(&b, Marker)
	}
	b.WriteString(`,"kind":"` + KindStatic + `"}`)
	return b.Bytes()
}

// UnmarshalJSON decodes `{"description", "value", "kind"}`. `kind` may be
// omitted; when present it must be "StaticSecret". Unknown members are ignored.
func (s *StaticSecret) UnmarshalJSON(data []byte) error {
	if isNullJSON(data) {
		return nil // JSON null leaves the value unchanged (encoding/json convention)
	}
	var raw struct {
		Description json.RawMessage `json:"description"`
		Value       json.RawMessage `json:"value"`
		Kind        json.RawMessage `json:"kind"`
	}
	if err := decodeObject(data, &raw); err != nil {
		return fmt.Errorf("secret: StaticSecret: %w", err)
	}
	if err := checkKind(raw.Kind, KindStatic); err != nil {
		return fmt.Errorf("secret: StaticSecret: %w", err)
	}
	var out StaticSecret
	var err error
	if out.Description, err = decodeOptString(raw.Description); err != nil {
		return fmt.Errorf("secret: StaticSecret: member \"description\": %w", err)
	}
	if len(raw.Value) > 0 {
		if err := out.Value.UnmarshalJSON(raw.Value); err != nil {
			return fmt.Errorf("secret: StaticSecret: member \"value\": expected a string or null")
		}
	}
	*s = out
	return nil
}

// LookupSecret is a SecretSource whose value is fetched by an HTTP GET of URL
// with Headers (`{"description", "url", "headers", "kind": "LookupSecret"}`).
//
// The values of secret-looking header names (see [IsSecretHeaderName]) are
// redacted by json.Marshal, fmt and log/slog; [LookupSecret.PlaintextJSON]
// emits them in plaintext (the form sent to a conversation).
type LookupSecret struct {
	// Description is optional human-readable text (JSON null when nil).
	Description *string
	// URL is the absolute URL to GET.
	URL string
	// Headers are sent verbatim with the GET request.
	Headers map[string]string
}

// IsSecretHeaderName reports whether a header name looks secret: its upper-cased
// form contains AUTHORIZATION, COOKIE, CREDENTIAL, KEY, PASSWORD, SECRET,
// SESSION or TOKEN.
func IsSecretHeaderName(name string) bool {
	up := strings.ToUpper(name)
	// The upper-case substrings of data-model.md §9.2.
	for _, w := range [...]string{"AUTHORIZATION", "COOKIE", "CREDENTIAL", "KEY", "PASSWORD", "SECRET", "SESSION", "TOKEN"} {
		if strings.Contains(up, w) {
			return true
		}
	}
	return false
}

// redactedHeaders returns a copy of h with secret-looking values replaced by
// Marker (nil stays nil).
func redactedHeaders(h map[string]string) map[string]string {
	if h == nil {
		return nil
	}
	out := make(map[string]string, len(h))
	for k, v := range h {
		if IsSecretHeaderName(k) {
			v = Marker
		}
		out[k] = v
	}
	return out
}

// MarshalJSON encodes the lookup with secret-looking header values redacted.
func (l LookupSecret) MarshalJSON() ([]byte, error) { return l.encode(false), nil }

// PlaintextJSON encodes the lookup with real header values.
func (l LookupSecret) PlaintextJSON() ([]byte, error) { return l.encode(true), nil }

func (l LookupSecret) encode(plain bool) []byte {
	var b bytes.Buffer
	b.WriteString(`{"description":`)
	writeOptString(&b, l.Description)
	b.WriteString(`,"url":`)
	writeString(&b, l.URL)
	b.WriteString(`,"headers":{`)
	keys := make([]string, 0, len(l.Headers))
	for k := range l.Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(&b, k)
		b.WriteByte(':')
		v := l.Headers[k]
		if !plain && IsSecretHeaderName(k) {
			v = Marker
		}
		writeString(&b, v)
	}
	b.WriteString(`},"kind":"` + KindLookup + `"}`)
	return b.Bytes()
}

// UnmarshalJSON decodes a LookupSecret. `url` is required; `kind` may be
// omitted but must be "LookupSecret" when present. Header values that are
// empty, whitespace-only or equal to [Marker] are dropped (data-model.md §9.2).
// A relative URL (no scheme and no host) is resolved against
// $OH_INTERNAL_SERVER_URL (default http://127.0.0.1:8000). Unknown members
// are ignored.
func (l *LookupSecret) UnmarshalJSON(data []byte) error {
	if isNullJSON(data) {
		return nil // JSON null leaves the value unchanged (encoding/json convention)
	}
	var raw struct {
		Description json.RawMessage `json:"description"`
		URL         json.RawMessage `json:"url"`
		Headers     json.RawMessage `json:"headers"`
		Kind        json.RawMessage `json:"kind"`
	}
	if err := decodeObject(data, &raw); err != nil {
		return fmt.Errorf("secret: LookupSecret: %w", err)
	}
	if err := checkKind(raw.Kind, KindLookup); err != nil {
		return fmt.Errorf("secret: LookupSecret: %w", err)
	}
	var out LookupSecret
	var err error
	if out.Description, err = decodeOptString(raw.Description); err != nil {
		return fmt.Errorf("secret: LookupSecret: member \"description\": %w", err)
	}
	if len(raw.URL) == 0 || string(raw.URL) == "null" {
		return errors.New("secret: LookupSecret: member \"url\" is required")
	}
	if err := json.Unmarshal(raw.URL, &out.URL); err != nil {
		return errors.New("secret: LookupSecret: member \"url\": expected a string")
	}
	out.URL = ResolveRelativeURL(out.URL)
	if len(raw.Headers) > 0 && string(raw.Headers) != "null" {
		var h map[string]*string
		if err := json.Unmarshal(raw.Headers, &h); err != nil {
			return errors.New("secret: LookupSecret: member \"headers\": expected an object of strings")
		}
		out.Headers = make(map[string]string, len(h))
		for k, v := range h {
			if v == nil || strings.TrimSpace(*v) == "" || *v == Marker {
				continue
			}
			out.Headers[k] = *v
		}
	}
	if out.Headers == nil {
		out.Headers = map[string]string{}
	}
	*l = out
	return nil
}

// ResolveRelativeURL returns u unchanged when it has a scheme or a host;
// otherwise it is joined to $OH_INTERNAL_SERVER_URL (default
// http://127.0.0.1:8000): base without trailing "/" + "/" + u without
// leading "/".
func ResolveRelativeURL(u string) string {
	p, err := url.Parse(u)
	if err == nil && (p.Scheme != "" || p.Host != "") {
		return u
	}
	if err != nil && strings.Contains(u, "://") {
		// Unparseable but clearly absolute: leave it for the request to fail.
		return u
	}
	base := os.Getenv(EnvInternalServerURL)
	if base == "" {
		base = DefaultInternalServerURL
	}
	return strings.TrimRight(base, "/") + "/" + strings.TrimLeft(u, "/")
}

// lookupView is the redacted, method-free mirror of LookupSecret used by fmt.
// Description holds the text (not the pointer) so that it prints usefully.
type lookupView struct {
	Description any
	URL         string
	Headers     map[string]string
}

// String returns the redacted %v form.
func (l LookupSecret) String() string { return fmt.Sprintf("%v", l) }

// GoString returns the redacted %#v form.
func (l LookupSecret) GoString() string { return fmt.Sprintf("%#v", l) }

// Format implements [fmt.Formatter]: every verb prints the secret with the
// values of secret-looking headers replaced by [Marker].
func (l LookupSecret) Format(f fmt.State, verb rune) {
	v := lookupView{URL: l.URL, Headers: redactedHeaders(l.Headers)}
	if l.Description != nil {
		v.Description = *l.Description
	}
	if verb == 'v' && f.Flag('#') {
		s := fmt.Sprintf("%#v", v)
		s = strings.Replace(s, "secret.lookupView", "secret.LookupSecret", 1)
		_, _ = fmt.Fprint(f, s)
		return
	}
	switch verb {
	case 'q', 'x', 'X':
	default:
		verb = 'v'
	}
	_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), v)
}

// LogValue implements [slog.LogValuer] with secret-looking header values
// redacted.
func (l LookupSecret) LogValue() slog.Value {
	attrs := []slog.Attr{}
	if l.Description != nil {
		attrs = append(attrs, slog.String("description", *l.Description))
	}
	attrs = append(attrs, slog.String("url", l.URL))
	h := redactedHeaders(l.Headers)
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	hattrs := make([]any, 0, len(keys))
	for _, k := range keys {
		hattrs = append(hattrs, slog.String(k, h[k]))
	}
	attrs = append(attrs, slog.Group("headers", hattrs...))
	return slog.GroupValue(attrs...)
}

// --- small JSON helpers -----------------------------------------------------

func writeString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s) // strings always encode
	b.Write(enc)
}

func writeOptString(b *bytes.Buffer, s *string) {
	if s == nil {
		b.WriteString("null")
		return
	}
	writeString(b, *s)
}

// decodeObject decodes a JSON object into dst, reporting a value-free error.
func decodeObject(data []byte, dst any) error {
	d := bytes.TrimSpace(data)
	if len(d) == 0 || d[0] != '{' {
		return errors.New("expected a JSON object")
	}
	if err := json.Unmarshal(d, dst); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return errors.New("invalid JSON at offset " + strconv.FormatInt(se.Offset, 10))
		}
		return errors.New("invalid JSON object")
	}
	return nil
}

func decodeOptString(raw json.RawMessage) (*string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, errors.New("expected a string or null")
	}
	return &s, nil
}

func checkKind(raw json.RawMessage, want string) error {
	if len(raw) == 0 {
		return nil
	}
	var k string
	if err := json.Unmarshal(raw, &k); err != nil || k != want {
		return fmt.Errorf("member \"kind\" must be %q", want)
	}
	return nil
}

// staticView is the redacted, method-free mirror of StaticSecret used by fmt.
type staticView struct {
	Description any
	Value       string
}

// String returns the redacted %v form.
func (s StaticSecret) String() string { return fmt.Sprintf("%v", s) }

// GoString returns the redacted %#v form.
func (s StaticSecret) GoString() string { return fmt.Sprintf("%#v", s) }

// Format implements [fmt.Formatter]: every verb prints the secret with Value
// redacted (it is also defined for *StaticSecret, so pointers nested in other
// values never fall back to raw printing).
func (s StaticSecret) Format(f fmt.State, verb rune) {
	v := staticView{Value: s.Value.redacted()}
	if s.Description != nil {
		v.Description = *s.Description
	}
	if verb == 'v' && f.Flag('#') {
		out := fmt.Sprintf("%#v", v)
		out = strings.Replace(out, "secret.staticView", "secret.StaticSecret", 1)
		_, _ = fmt.Fprint(f, out)
		return
	}
	switch verb {
	case 'q', 'x', 'X':
	default:
		verb = 'v'
	}
	_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), v)
}

// LogValue implements [slog.LogValuer] with the value redacted.
func (s StaticSecret) LogValue() slog.Value {
	attrs := []slog.Attr{}
	if s.Description != nil {
		attrs = append(attrs, slog.String("description", *s.Description))
	}
	attrs = append(attrs, slog.String("value", s.Value.redacted()))
	return slog.GroupValue(attrs...)
}

// isNullJSON reports whether data is the JSON literal null.
func isNullJSON(data []byte) bool { return string(bytes.TrimSpace(data)) == "null" }
