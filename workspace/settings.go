package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/openhands-go/sdk/llm"
	"github.com/openhands-go/sdk/mcp"
)

// Agent kinds (the agent_settings.agent_kind discriminator).
const (
	// AgentKindOpenHands is the default OpenHands agent.
	AgentKindOpenHands = "openhands"
	// AgentKindACP is an ACP agent (its llm is used only for cost attribution).
	AgentKindACP = "acp"
)

// AgentSettingsSchemaVersion is the newest agent_settings schema version this
// client understands; a newer document is an error.
const AgentSettingsSchemaVersion = 5

// Settings is the SettingsResponse of GET/PATCH /api/settings and the MCP
// endpoints (data-model.md §1).
//
// Printing a Settings (any fmt verb, log/slog, encoding/json) never shows a
// secret: the LLM and MCP values redact themselves and the raw documents are
// not printed.
type Settings struct {
	// AgentSettings is the typed view of agent_settings.
	AgentSettings AgentSettings
	// ConversationSettings is conversation_settings.
	ConversationSettings ConversationSettings
	// LLMAPIKeyIsSet is llm_api_key_is_set.
	LLMAPIKeyIsSet bool
	// ActiveProfile is the active LLM profile name, nil when none.
	ActiveProfile *string
	// ActiveAgentProfileID is the active agent profile UUID, nil when none.
	ActiveAgentProfileID *string
	// MiscSettings is the opaque client-owned misc_settings object.
	MiscSettings map[string]any
}

// AgentSettings is the typed view of agent_settings (both variants). The full
// document, as received (secrets per the requested exposure), is available
// through Raw.
type AgentSettings struct {
	// SchemaVersion is the document's schema_version (after client-side
	// migration, the current version).
	SchemaVersion int
	// AgentKind is AgentKindOpenHands or AgentKindACP.
	AgentKind string
	// LLM is agent_settings.llm (for ACP: the attribution LLM); defaults when
	// absent.
	LLM *llm.LLM
	// MCPConfig is agent_settings.mcp_config (never nil).
	MCPConfig mcp.Config

	raw *rawDoc
}

// Raw returns a copy of the agent_settings document as received from the
// server (before client-side migration). It holds secrets in the exposure
// mode of the request — plaintext for Plaintext; do not log it.
func (a AgentSettings) Raw() json.RawMessage {
	if a.raw == nil {
		return nil
	}
	return append(json.RawMessage(nil), a.raw.b...)
}

// rawDoc holds a raw document behind a pointer, so that reflection-based
// printing of an AgentSettings nested in an unexported field shows only an
// address.
type rawDoc struct{ b []byte }

// IsACP reports whether the agent is the ACP variant.
func (a AgentSettings) IsACP() bool { return a.AgentKind == AgentKindACP }

// ConversationSettings is conversation_settings (data-model.md §7).
type ConversationSettings struct {
	// SchemaVersion is schema_version (1).
	SchemaVersion int `json:"schema_version"`
	// MaxIterations is max_iterations (≥ 1, default 500).
	MaxIterations int `json:"max_iterations"`
	// ConfirmationMode is confirmation_mode (default false).
	ConfirmationMode bool `json:"confirmation_mode"`
	// SecurityAnalyzer is "llm", "none" or nil (default "llm").
	SecurityAnalyzer *string `json:"security_analyzer"`
}

// DefaultConversationSettings returns the defaults of data-model.md §7.
func DefaultConversationSettings() ConversationSettings {
	s := "llm"
	return ConversationSettings{SchemaVersion: 1, MaxIterations: 500, SecurityAnalyzer: &s}
}

// settingsWire is SettingsResponse on the wire: each member's raw value (a
// sub-slice of the body; nil when absent).
type settingsWire struct {
	AgentSettings        json.RawMessage
	ConversationSettings json.RawMessage
	LLMAPIKeyIsSet       json.RawMessage
	ActiveProfile        json.RawMessage
	ActiveAgentProfileID json.RawMessage
	MiscSettings         json.RawMessage
}

// jsonShape is the first byte of a member's JSON value (0: absent).
type jsonShape byte

func shapeOf(raw json.RawMessage) jsonShape {
	if len(raw) == 0 {
		return 0
	}
	return jsonShape(raw[0])
}

// invalid builds an ErrInvalidResponse error for a 2xx body of c.
func invalid(c *call, format string, args ...any) error {
	return &opError{method: c.method, path: c.path, err: fmt.Errorf("%w: "+format, append([]any{ErrInvalidResponse}, args...)...)}
}

// checkSettingsShapes validates the SettingsResponse members: required
// agent_settings and conversation_settings objects and llm_api_key_is_set
// boolean; optional string-or-null pointers and misc_settings object.
func checkSettingsShapes(c *call, agent, conv, keySet, active, agentProfile, misc jsonShape) error {
	switch {
	case agent != '{':
		return invalid(c, "member %q is required and must be an object", "agent_settings")
	case conv != '{':
		return invalid(c, "member %q is required and must be an object", "conversation_settings")
	case keySet != 't' && keySet != 'f':
		return invalid(c, "member %q is required and must be a boolean", "llm_api_key_is_set")
	case active != 0 && active != 'n' && active != '"':
		return invalid(c, "member %q must be a string or null", "active_profile")
	case agentProfile != 0 && agentProfile != 'n' && agentProfile != '"':
		return invalid(c, "member %q must be a string or null", "active_agent_profile_id")
	case misc != 0 && misc != 'n' && misc != '{':
		return invalid(c, "member %q must be an object", "misc_settings")
	}
	return nil
}

// probeActiveProfile validates a SettingsResponse and returns its
// active_profile without decoding the settings documents.
func probeActiveProfile(c *call, body []byte) (*string, error) {
	w, err := parseSettingsEnvelope(c, body)
	if err != nil {
		return nil, err
	}
	return optString(w.ActiveProfile), nil
}

// parseSettingsEnvelope validates the SettingsResponse members without
// decoding agent_settings: one validity check of the body, then a light
// scan that only slices the members out (keys match exactly, as upstream's
// pydantic model; a repeated key keeps its last value).
func parseSettingsEnvelope(c *call, body []byte) (*settingsWire, error) {
	if !isObject(body) {
		return nil, invalid(c, "body is not a JSON object")
	}
	if !json.Valid(body) {
		return nil, invalid(c, "malformed JSON")
	}
	var w settingsWire
	sc, _ := open(body, '{')
	for sc.more() {
		k, v := sc.member()
		switch {
		case keyIs(k, "agent_settings"):
			w.AgentSettings = v
		case keyIs(k, "conversation_settings"):
			w.ConversationSettings = v
		case keyIs(k, "llm_api_key_is_set"):
			w.LLMAPIKeyIsSet = v
		case keyIs(k, "active_profile"):
			w.ActiveProfile = v
		case keyIs(k, "active_agent_profile_id"):
			w.ActiveAgentProfileID = v
		case keyIs(k, "misc_settings"):
			w.MiscSettings = v
		}
	}
	if err := checkSettingsShapes(c, shapeOf(w.AgentSettings), shapeOf(w.ConversationSettings), shapeOf(w.LLMAPIKeyIsSet),
		shapeOf(w.ActiveProfile), shapeOf(w.ActiveAgentProfileID), shapeOf(w.MiscSettings)); err != nil {
		return nil, err
	}
	return &w, nil
}

func optString(raw json.RawMessage) *string {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	s, err := stringValue(raw)
	if err != nil {
		return nil
	}
	return &s
}

// parseSettings decodes a full SettingsResponse.
func (w *Workspace) parseSettings(c *call, body []byte) (*Settings, error) {
	env, err := parseSettingsEnvelope(c, body)
	if err != nil {
		return nil, err
	}
	agent, err := parseValidAgentSettings(env.AgentSettings, partLLM|partMCP|partRaw, w.cache())
	if err != nil {
		return nil, &opError{method: c.method, path: c.path, err: err}
	}
	conv, err := parseConversationSettings(env.ConversationSettings)
	if err != nil {
		return nil, &opError{method: c.method, path: c.path, err: err}
	}
	s := &Settings{
		AgentSettings:        *agent,
		ConversationSettings: conv,
		LLMAPIKeyIsSet:       string(env.LLMAPIKeyIsSet) == "true",
		ActiveProfile:        optString(env.ActiveProfile),
		ActiveAgentProfileID: optString(env.ActiveAgentProfileID),
		MiscSettings:         map[string]any{},
	}
	if isObject(env.MiscSettings) {
		if err := json.Unmarshal(env.MiscSettings, &s.MiscSettings); err != nil {
			return nil, invalid(c, "member %q: malformed JSON", "misc_settings")
		}
	}
	return s, nil
}

func parseConversationSettings(raw json.RawMessage) (ConversationSettings, error) {
	cs := DefaultConversationSettings()
	var w struct {
		SchemaVersion    json.RawMessage `json:"schema_version"`
		MaxIterations    *int            `json:"max_iterations"`
		ConfirmationMode *bool           `json:"confirmation_mode"`
		SecurityAnalyzer json.RawMessage `json:"security_analyzer"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return cs, fmt.Errorf("%w: conversation_settings: a member has the wrong type", ErrInvalidResponse)
	}
	v, err := schemaVersion(w.SchemaVersion)
	if err != nil {
		return cs, fmt.Errorf("%w: conversation_settings: %v", ErrInvalidResponse, err)
	}
	if v > 1 {
		return cs, fmt.Errorf("%w: conversation_settings: schema_version %d is newer than supported (1)", ErrInvalidResponse, v)
	}
	if w.MaxIterations != nil {
		if *w.MaxIterations < 1 {
			return cs, fmt.Errorf("%w: conversation_settings: max_iterations must be >= 1", ErrInvalidResponse)
		}
		cs.MaxIterations = *w.MaxIterations
	}
	if w.ConfirmationMode != nil {
		cs.ConfirmationMode = *w.ConfirmationMode
	}
	if len(w.SecurityAnalyzer) > 0 {
		if string(w.SecurityAnalyzer) == "null" {
			cs.SecurityAnalyzer = nil
		} else {
			var s string
			if json.Unmarshal(w.SecurityAnalyzer, &s) != nil {
				return cs, fmt.Errorf("%w: conversation_settings: security_analyzer must be a string or null", ErrInvalidResponse)
			}
			cs.SecurityAnalyzer = &s
		}
	}
	return cs, nil
}

// schemaVersion reads a schema_version member: missing/null → 0; a boolean,
// a non-integer or a negative number is an error.
func schemaVersion(raw json.RawMessage) (int, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	s := string(raw)
	if s == "true" || s == "false" || s[0] == '"' || s[0] == '{' || s[0] == '[' {
		return 0, errors.New("schema_version must be an integer")
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		// Accept an integral float such as 5.0.
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != float64(int(f)) {
			return 0, errors.New("schema_version must be an integer")
		}
		n = int(f)
	}
	if n < 0 {
		return 0, errors.New("schema_version must not be negative")
	}
	return n, nil
}

// agentParts selects what parseAgentSettings decodes.
type agentParts uint8

const (
	partLLM agentParts = 1 << iota // decode and validate llm
	partMCP                        // decode and validate mcp_config
	partRaw                        // keep raw (which the caller hands over) for AgentSettings.Raw
)

// agentWire is the fast-path view of a current (schema 5) agent_settings
// document: the raw values of the members the client types (sub-slices of
// the document; nil when absent).
type agentWire struct {
	SchemaVersion json.RawMessage
	AgentKind     json.RawMessage
	LLM           json.RawMessage
	MCPConfig     json.RawMessage
}

// parseAgentSettings runs the client-side migration (persistence.md §8.2)
// and decodes the requested typed members. A current document takes a fast
// path that copies only llm and mcp_config; an older one is migrated as a
// whole.
func parseAgentSettings(raw json.RawMessage, parts agentParts, cache *llmCache) (*AgentSettings, error) {
	if !isObject(raw) {
		return nil, fmt.Errorf("%w: agent_settings: must be a JSON object", ErrInvalidResponse)
	}
	if !json.Valid(raw) {
		return nil, fmt.Errorf("%w: agent_settings: malformed JSON object", ErrInvalidResponse)
	}
	return parseValidAgentSettings(raw, parts, cache)
}

// parseValidAgentSettings is parseAgentSettings for a document already
// known to be valid JSON (the agent_settings member of a body that
// parseSettingsEnvelope accepted).
func parseValidAgentSettings(raw json.RawMessage, parts agentParts, cache *llmCache) (*AgentSettings, error) {
	if !isObject(raw) {
		return nil, fmt.Errorf("%w: agent_settings: must be a JSON object", ErrInvalidResponse)
	}
	var wire agentWire
	sc, _ := open(raw, '{')
	for sc.more() {
		k, v := sc.member()
		switch {
		case keyIs(k, "schema_version"):
			wire.SchemaVersion = v
		case keyIs(k, "agent_kind"):
			wire.AgentKind = v
		case keyIs(k, "llm"):
			wire.LLM = v
		case keyIs(k, "mcp_config"):
			wire.MCPConfig = v
		}
	}
	v, err := schemaVersion(wire.SchemaVersion)
	if err != nil {
		return nil, fmt.Errorf("%w: agent_settings: %v", ErrInvalidResponse, err)
	}
	var kind string
	if v < AgentSettingsSchemaVersion {
		doc, err := decodeObjectMap(raw)
		if err != nil {
			return nil, fmt.Errorf("%w: agent_settings: %v", ErrInvalidResponse, err)
		}
		if err := migrateAgentSettings(doc); err != nil {
			return nil, fmt.Errorf("%w: agent_settings: %v", ErrInvalidResponse, err)
		}
		_ = json.Unmarshal(doc["agent_kind"], &kind) // migrateAgentSettings guarantees a string
		wire.LLM, wire.MCPConfig = doc["llm"], doc["mcp_config"]
	} else {
		if v > AgentSettingsSchemaVersion {
			return nil, fmt.Errorf("%w: agent_settings: schema_version %d is newer than supported (%d)", ErrInvalidResponse, v, AgentSettingsSchemaVersion)
		}
		switch {
		case len(wire.AgentKind) == 0:
			kind = AgentKindOpenHands
		case string(wire.AgentKind) == "null":
			// kind stays "": an unknown agent_kind below
		default:
			k, err := stringValue(wire.AgentKind)
			if err != nil {
				return nil, fmt.Errorf("%w: agent_settings: agent_kind must be a string", ErrInvalidResponse)
			}
			kind = k
		}
		switch kind {
		case "llm":
			kind = AgentKindOpenHands
		case AgentKindOpenHands, AgentKindACP:
		default:
			return nil, fmt.Errorf("%w: agent_settings: unknown agent_kind %q", ErrInvalidResponse, kind)
		}
	}
	a := &AgentSettings{
		SchemaVersion: AgentSettingsSchemaVersion,
		AgentKind:     kind,
		MCPConfig:     mcp.Config{},
	}
	if parts&partRaw != 0 {
		a.raw = &rawDoc{b: raw}
	}
	if parts&partLLM != 0 {
		if len(wire.LLM) > 0 && string(wire.LLM) != "null" {
			l, hasModel, err := cache.decodeSupplied(wire.LLM)
			if err != nil {
				return nil, fmt.Errorf("%w: agent_settings.llm: %v", ErrInvalidResponse, err)
			}
			if !hasModel {
				return nil, fmt.Errorf("%w: agent_settings.llm: %v", ErrInvalidResponse, errModelRequired)
			}
			a.LLM = l
			a.LLM.Normalize()
			if err := a.LLM.Validate(); err != nil {
				return nil, fmt.Errorf("%w: agent_settings.llm: %v", ErrInvalidResponse, err)
			}
		} else {
			a.LLM = llm.Default()
		}
	}
	if parts&partMCP != 0 && len(wire.MCPConfig) > 0 && string(wire.MCPConfig) != "null" {
		if err := a.MCPConfig.UnmarshalJSON(wire.MCPConfig); err != nil {
			return nil, fmt.Errorf("%w: agent_settings.mcp_config: %v", ErrInvalidResponse, err)
		}
		if a.MCPConfig == nil {
			a.MCPConfig = mcp.Config{}
		}
		if err := a.MCPConfig.Validate(); err != nil {
			return nil, fmt.Errorf("%w: agent_settings.mcp_config: %v", ErrInvalidResponse, err)
		}
	}
	return a, nil
}

// decodeObjectMap splits a JSON object into its members (values raw).
func decodeObjectMap(raw json.RawMessage) (map[string]json.RawMessage, error) {
	if !isObject(raw) {
		return nil, errors.New("must be a JSON object")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, errors.New("malformed JSON object")
	}
	return m, nil
}

func isObject(raw []byte) bool {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	return len(raw) > 0 && raw[0] == '{'
}

// --- printing safety -------------------------------------------------------

// summary is the printable (redacted) form of a Settings.
func (s Settings) summary() string {
	var b strings.Builder
	b.WriteString("workspace.Settings{agent_kind: ")
	b.WriteString(strconv.Quote(s.AgentSettings.AgentKind))
	if s.AgentSettings.LLM != nil {
		b.WriteString(", llm: ")
		b.WriteString(s.AgentSettings.LLM.String())
	}
	b.WriteString(", mcp_servers: ")
	b.WriteString(strconv.Itoa(len(s.AgentSettings.MCPConfig)))
	fmt.Fprintf(&b, ", max_iterations: %d, confirmation_mode: %t", s.ConversationSettings.MaxIterations, s.ConversationSettings.ConfirmationMode)
	fmt.Fprintf(&b, ", llm_api_key_is_set: %t", s.LLMAPIKeyIsSet)
	b.WriteString(", active_profile: ")
	b.WriteString(optQuote(s.ActiveProfile))
	b.WriteString(", active_agent_profile_id: ")
	b.WriteString(optQuote(s.ActiveAgentProfileID))
	b.WriteString("}")
	return b.String()
}

func optQuote(p *string) string {
	if p == nil {
		return "null"
	}
	return strconv.Quote(*p)
}

// String returns a redacted summary.
func (s Settings) String() string { return s.summary() }

// GoString returns a redacted summary.
func (s Settings) GoString() string { return s.summary() }

// Format implements fmt.Formatter: every verb prints the redacted summary.
func (s Settings) Format(f fmt.State, verb rune) { writeFormatted(f, verb, s.summary()) }

// LogValue implements slog.LogValuer with the redacted summary.
func (s Settings) LogValue() slog.Value { return slog.StringValue(s.summary()) }

// MarshalJSON encodes the SettingsResponse shape with secrets redacted; the
// agent_settings member carries only the typed members (schema_version,
// agent_kind, llm, mcp_config). Use AgentSettings.Raw for the full document.
func (s Settings) MarshalJSON() ([]byte, error) {
	misc := s.MiscSettings
	if misc == nil {
		misc = map[string]any{}
	}
	return marshalNoEscape(struct {
		AgentSettings        AgentSettings        `json:"agent_settings"`
		ConversationSettings ConversationSettings `json:"conversation_settings"`
		LLMAPIKeyIsSet       bool                 `json:"llm_api_key_is_set"`
		ActiveProfile        *string              `json:"active_profile"`
		ActiveAgentProfileID *string              `json:"active_agent_profile_id"`
		MiscSettings         map[string]any       `json:"misc_settings"`
	}{s.AgentSettings, s.ConversationSettings, s.LLMAPIKeyIsSet, s.ActiveProfile, s.ActiveAgentProfileID, misc})
}

func (a AgentSettings) summary() string {
	llmText := "null"
	if a.LLM != nil {
		llmText = a.LLM.String()
	}
	return fmt.Sprintf("workspace.AgentSettings{schema_version: %d, agent_kind: %q, llm: %s, mcp_servers: %d}",
		a.SchemaVersion, a.AgentKind, llmText, len(a.MCPConfig))
}

// String returns a redacted summary.
func (a AgentSettings) String() string { return a.summary() }

// GoString returns a redacted summary.
func (a AgentSettings) GoString() string { return a.summary() }

// Format implements fmt.Formatter: every verb prints the redacted summary.
func (a AgentSettings) Format(f fmt.State, verb rune) { writeFormatted(f, verb, a.summary()) }

// LogValue implements slog.LogValuer with the redacted summary.
func (a AgentSettings) LogValue() slog.Value { return slog.StringValue(a.summary()) }

// MarshalJSON encodes the typed members with secrets redacted.
func (a AgentSettings) MarshalJSON() ([]byte, error) {
	cfg := a.MCPConfig
	if cfg == nil {
		cfg = mcp.Config{}
	}
	return marshalNoEscape(struct {
		SchemaVersion int        `json:"schema_version"`
		AgentKind     string     `json:"agent_kind"`
		LLM           *llm.LLM   `json:"llm"`
		MCPConfig     mcp.Config `json:"mcp_config"`
	}{a.SchemaVersion, a.AgentKind, a.LLM, cfg})
}

// writeFormatted prints s for any verb (%q quotes it).
func writeFormatted(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	_, _ = f.Write([]byte(s))
}

// --- typed settings fetches --------------------------------------------------

// Settings fetches GET /api/settings with the given exposure (Redacted sends
// no X-Expose-Secrets header).
func (w *Workspace) Settings(ctx context.Context, exposure Exposure) (*Settings, error) {
	c := &call{method: "GET", path: "/api/settings", expose: exposure}
	body, err := w.do(ctx, c)
	if err != nil {
		return nil, err
	}
	return w.parseSettings(c, body)
}

// AgentSchema fetches GET /api/settings/agent-schema.
func (w *Workspace) AgentSchema(ctx context.Context) (*SettingsSchema, error) {
	return w.schema(ctx, "/api/settings/agent-schema")
}

// ConversationSchema fetches GET /api/settings/conversation-schema.
func (w *Workspace) ConversationSchema(ctx context.Context) (*SettingsSchema, error) {
	return w.schema(ctx, "/api/settings/conversation-schema")
}

func (w *Workspace) schema(ctx context.Context, path string) (*SettingsSchema, error) {
	c := &call{method: "GET", path: path}
	body, err := w.do(ctx, c)
	if err != nil {
		return nil, err
	}
	var s SettingsSchema
	if !isObject(body) || json.Unmarshal(body, &s) != nil {
		return nil, invalid(c, "body is not a settings schema object")
	}
	return &s, nil
}

// SettingsSchema describes the settings a UI should render
// (server-api.md §4.3).
type SettingsSchema struct {
	// ModelName is e.g. "AgentSettings" or "ConversationSettings".
	ModelName string `json:"model_name"`
	// Sections in display order.
	Sections []SchemaSection `json:"sections"`
}

// SchemaSection is one section of a SettingsSchema.
type SchemaSection struct {
	// Key is the section key, e.g. "llm".
	Key string `json:"key"`
	// Label is the display label.
	Label string `json:"label"`
	// Variant is nil, "openhands" or "acp".
	Variant *string `json:"variant"`
	// Fields of the section.
	Fields []SchemaField `json:"fields"`
}

// SchemaField is one field of a SchemaSection.
type SchemaField struct {
	// Key is the dotted field key, e.g. "llm.model".
	Key string `json:"key"`
	// Label is the display label.
	Label string `json:"label"`
	// Description is free text.
	Description *string `json:"description"`
	// Section is the section key.
	Section string `json:"section"`
	// SectionLabel is the section label.
	SectionLabel string `json:"section_label"`
	// ValueType is string, integer, number, boolean, array or object.
	ValueType string `json:"value_type"`
	// Default is the default value (any JSON).
	Default any `json:"default"`
	// Prominence is critical, major or minor.
	Prominence string `json:"prominence"`
	// DependsOn lists keys this field depends on.
	DependsOn []string `json:"depends_on"`
	// Secret marks secret fields.
	Secret bool `json:"secret"`
	// Choices lists the allowed values, if enumerated.
	Choices []SchemaChoice `json:"choices"`
	// Variant is nil, "openhands" or "acp".
	Variant *string `json:"variant"`
}

// SchemaChoice is one allowed value of a SchemaField.
type SchemaChoice struct {
	// Value is the choice value (any JSON scalar).
	Value any `json:"value"`
	// Label is the display label.
	Label string `json:"label"`
}
