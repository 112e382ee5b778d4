package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"

	"github.com/openhands-go/sdk/llm"
	"github.com/openhands-go/sdk/mcp"
	"github.com/openhands-go/sdk/secret"
)

// Optional is a PATCH member that can be absent (the zero value), set to a
// value (Some), or explicitly null (Null, which clears the stored value).
type Optional[T any] struct {
	state optState
	value T
}

type optState uint8

const (
	optAbsent optState = iota
	optValue
	optNull
)

// Some returns an Optional holding v.
func Some[T any](v T) Optional[T] { return Optional[T]{state: optValue, value: v} }

// Null returns an Optional that is sent as JSON null.
func Null[T any]() Optional[T] { return Optional[T]{state: optNull} }

// IsPresent reports whether the member is sent (a value or null).
func (o Optional[T]) IsPresent() bool { return o.state != optAbsent }

// IsNull reports whether the member is sent as null.
func (o Optional[T]) IsNull() bool { return o.state == optNull }

// Get returns the value and whether there is one (false when absent or null).
func (o Optional[T]) Get() (T, bool) { return o.value, o.state == optValue }

// SettingsPatch is the body of PATCH /api/settings (data-model.md §1a).
//
// The three diffs are JSON objects (nil = absent). Their values may be any
// JSON-encodable Go value; secret-holding values of this SDK (secret.Str,
// map[string]secret.Str, llm.LLM, mcp.Server, mcp.Config, mcp.Auth (values
// or pointers), secret.StaticSecret, secret.LookupSecret) and json.RawMessage
// are sent with their REAL values when they appear directly or inside
// map[string]any / []any; inside other containers they encode redacted and
// the patch is refused. A value equal to the
// redaction marker "**********" anywhere makes PatchSettings fail with
// ErrRedactedValue before sending.
//
// Semantics (server-api.md §4.2): AgentSettingsDiff is an RFC 7386 merge
// patch (null deletes a key, resetting it to its default);
// ConversationSettingsDiff and MiscSettingsDiff are deep merges (top-level
// null is a value). Printing a SettingsPatch (fmt, slog, encoding/json)
// redacts secret-looking values.
type SettingsPatch struct {
	// AgentSettingsDiff is agent_settings_diff.
	AgentSettingsDiff map[string]any
	// ConversationSettingsDiff is conversation_settings_diff.
	ConversationSettingsDiff map[string]any
	// MiscSettingsDiff is misc_settings_diff.
	MiscSettingsDiff map[string]any
	// ActiveProfile is active_profile: Some(name) activates a profile (the
	// server loads its LLM unless AgentSettingsDiff carries "llm"), Null
	// clears the pointer.
	ActiveProfile Optional[string]
	// ActiveAgentProfileID is active_agent_profile_id (a UUID), or Null.
	ActiveAgentProfileID Optional[string]
}

// SetActiveProfile sets active_profile to name and returns p.
func (p *SettingsPatch) SetActiveProfile(name string) *SettingsPatch {
	p.ActiveProfile = Some(name)
	return p
}

// ClearActiveProfile sets active_profile to null and returns p.
func (p *SettingsPatch) ClearActiveProfile() *SettingsPatch {
	p.ActiveProfile = Null[string]()
	return p
}

// SetActiveAgentProfileID sets active_agent_profile_id and returns p.
func (p *SettingsPatch) SetActiveAgentProfileID(id string) *SettingsPatch {
	p.ActiveAgentProfileID = Some(id)
	return p
}

// ClearActiveAgentProfileID sets active_agent_profile_id to null and returns p.
func (p *SettingsPatch) ClearActiveAgentProfileID() *SettingsPatch {
	p.ActiveAgentProfileID = Null[string]()
	return p
}

// encode renders the wire body with plaintext secrets.
func (p SettingsPatch) encode() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	n := 0
	member := func(name string, v []byte) {
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		b.WriteString(strconv.Quote(name))
		b.WriteByte(':')
		b.Write(v)
	}
	for _, d := range []struct {
		name string
		m    map[string]any
	}{
		{"agent_settings_diff", p.AgentSettingsDiff},
		{"conversation_settings_diff", p.ConversationSettingsDiff},
		{"misc_settings_diff", p.MiscSettingsDiff},
	} {
		if d.m == nil {
			continue
		}
		v, err := plaintextValue(d.m)
		if err != nil {
			return nil, fmt.Errorf("workspace: %s: %w", d.name, err)
		}
		enc, err := marshalNoEscape(v)
		if err != nil {
			return nil, fmt.Errorf("workspace: %s: value cannot be encoded as JSON", d.name)
		}
		member(d.name, enc)
	}
	for _, o := range []struct {
		name string
		v    Optional[string]
	}{
		{"active_profile", p.ActiveProfile},
		{"active_agent_profile_id", p.ActiveAgentProfileID},
	} {
		switch o.v.state {
		case optNull:
			member(o.name, []byte("null"))
		case optValue:
			enc, _ := marshalNoEscape(o.v.value)
			member(o.name, enc)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// plaintextValue converts a Go value into a JSON-ready tree in which the
// SDK's redacting types contribute their real values.
func plaintextValue(v any) (any, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			c, err := plaintextValue(e)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			c, err := plaintextValue(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case secret.Str:
		if !t.IsSet() {
			return nil, nil
		}
		return t.Reveal(), nil
	case *secret.Str:
		if t == nil || !t.IsSet() {
			return nil, nil
		}
		return t.Reveal(), nil
	case map[string]secret.Str:
		if t == nil {
			return nil, nil
		}
		out := make(map[string]any, len(t))
		for k, s := range t {
			out[k] = s.Reveal()
		}
		return out, nil
	case *llm.LLM:
		if t == nil {
			return nil, nil
		}
		return rawPlain(t.PlaintextJSON())
	case llm.LLM:
		return rawPlain(t.PlaintextJSON())
	case mcp.Server:
		return rawPlain(t.PlaintextJSON())
	case *mcp.Server:
		if t == nil {
			return nil, nil
		}
		return rawPlain(t.PlaintextJSON())
	case mcp.Config:
		return rawPlain(t.PlaintextJSON())
	case map[string]mcp.Server:
		return rawPlain(mcp.Config(t).PlaintextJSON())
	case mcp.Auth:
		return rawPlain(t.PlaintextJSON())
	case *mcp.Auth:
		if t == nil {
			return nil, nil
		}
		return rawPlain(t.PlaintextJSON())
	case secret.StaticSecret:
		return rawPlain(t.PlaintextJSON())
	case secret.LookupSecret:
		return rawPlain(t.PlaintextJSON())
	case json.RawMessage:
		if !json.Valid(t) {
			return nil, errors.New("invalid json.RawMessage value")
		}
		return t, nil
	}
	return v, nil
}

func rawPlain(b []byte, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return json.RawMessage(b), nil
}

// redactedTree is the printable form of a patch: encoded with the SDK types'
// own (redacting) JSON, then every secret-looking value replaced by the
// marker (keys such as api_key, value, password, *token*, *secret*, and every
// value under env, headers or secrets).
func redactedTree(v any) any {
	enc, err := json.Marshal(v)
	if err != nil {
		return "<unencodable>"
	}
	t, err := decodeAny(enc)
	if err != nil {
		return "<unencodable>"
	}
	return redactWalk(t, false)
}

func isSecretKey(k string) bool {
	switch strings.ToLower(k) {
	case "value", "password":
		return true
	}
	return secret.IsSecretHeaderName(k)
}

func isSecretContainer(k string) bool {
	switch strings.ToLower(k) {
	case "env", "environment", "headers", "secrets", "extra_headers":
		return true
	}
	return false
}

func redactWalk(v any, all bool) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			switch {
			case all || isSecretContainer(k):
				t[k] = redactWalk(e, true)
			case isSecretKey(k):
				if s, ok := e.(string); ok && s != "" {
					t[k] = redactionMarker
				} else {
					t[k] = redactWalk(e, true)
				}
			default:
				t[k] = redactWalk(e, false)
			}
		}
		return t
	case []any:
		for i, e := range t {
			t[i] = redactWalk(e, all)
		}
		return t
	case string:
		if all && t != "" {
			return redactionMarker
		}
		return t
	}
	return v
}

func (p SettingsPatch) redactedJSON() []byte {
	m := map[string]any{}
	if p.AgentSettingsDiff != nil {
		m["agent_settings_diff"] = redactedTree(p.AgentSettingsDiff)
	}
	if p.ConversationSettingsDiff != nil {
		m["conversation_settings_diff"] = redactedTree(p.ConversationSettingsDiff)
	}
	if p.MiscSettingsDiff != nil {
		m["misc_settings_diff"] = redactedTree(p.MiscSettingsDiff)
	}
	for name, o := range map[string]Optional[string]{"active_profile": p.ActiveProfile, "active_agent_profile_id": p.ActiveAgentProfileID} {
		switch o.state {
		case optNull:
			m[name] = nil
		case optValue:
			m[name] = o.value
		}
	}
	b, err := marshalNoEscape(m)
	if err != nil {
		return []byte("{}")
	}
	return b
}

// String returns the patch as JSON with secret-looking values redacted.
func (p SettingsPatch) String() string { return "workspace.SettingsPatch" + string(p.redactedJSON()) }

// GoString is String.
func (p SettingsPatch) GoString() string { return p.String() }

// Format implements fmt.Formatter: every verb prints String().
func (p SettingsPatch) Format(f fmt.State, verb rune) { writeFormatted(f, verb, p.String()) }

// LogValue implements slog.LogValuer (redacted JSON).
func (p SettingsPatch) LogValue() slog.Value { return slog.StringValue(string(p.redactedJSON())) }

// MarshalJSON encodes the patch with secret-looking values redacted (it is a
// printable form, not the wire body: PatchSettings sends the real values).
func (p SettingsPatch) MarshalJSON() ([]byte, error) { return p.redactedJSON(), nil }

// --- marker guard --------------------------------------------------------

// findMarker returns the dotted path of the first value equal to the
// redaction marker in a JSON document ("" and false when there is none).
func findMarker(body []byte) (string, bool) {
	if !bytes.Contains(body, []byte(redactionMarker)) {
		return "", false
	}
	v, err := decodeAny(body)
	if err != nil {
		return "", false
	}
	return markerWalk(v, "")
}

func markerWalk(v any, path string) (string, bool) {
	switch t := v.(type) {
	case string:
		return path, t == redactionMarker
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if at, ok := markerWalk(t[k], p); ok {
				return at, true
			}
		}
	case []any:
		for i, e := range t {
			if at, ok := markerWalk(e, path+"["+strconv.Itoa(i)+"]"); ok {
				return at, true
			}
		}
	}
	return "", false
}

// guard refuses a body carrying the marker as a value.
func guard(c *call) error {
	if at, ok := findMarker(c.body); ok {
		where := ""
		if at != "" {
			where = " (at " + at + ")"
		}
		return &opError{method: c.method, path: c.path, err: fmt.Errorf("%w%s", ErrRedactedValue, where)}
	}
	return nil
}

// --- PATCH /api/settings -------------------------------------------------

// PatchSettings sends PATCH /api/settings and returns the updated settings
// (redacted, as the server answers). A body carrying "**********" as a value
// is refused with ErrRedactedValue before sending. Retried like any PATCH
// (the same patch applied twice gives the same result).
func (w *Workspace) PatchSettings(ctx context.Context, patch SettingsPatch) (*Settings, error) {
	body, err := patch.encode()
	if err != nil {
		return nil, err
	}
	c := &call{method: "PATCH", path: "/api/settings", body: body}
	return w.settingsWrite(ctx, c)
}

// SetLLM replaces the agent's LLM: PATCH /api/settings with
// agent_settings_diff.llm = the plaintext LLM. An LLM fetched with Redacted
// exposure (api_key "**********") is refused with ErrRedactedValue.
func (w *Workspace) SetLLM(ctx context.Context, l *llm.LLM) (*Settings, error) {
	if l == nil {
		return nil, errors.New("workspace: SetLLM: nil LLM")
	}
	return w.PatchSettings(ctx, SettingsPatch{AgentSettingsDiff: map[string]any{"llm": l}})
}

// settingsWrite sends a write answered with a SettingsResponse.
func (w *Workspace) settingsWrite(ctx context.Context, c *call) (*Settings, error) {
	if w == nil || w.host == "" {
		return nil, ErrHostNotSet
	}
	if err := guard(c); err != nil {
		return nil, err
	}
	body, err := w.do(ctx, c)
	if err != nil {
		return nil, err
	}
	return w.parseSettings(c, body)
}
