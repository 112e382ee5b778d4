package model

// Temporary bodies: the model implementation replaces this file.

import (
	"errors"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/jsonx"
)

var errTODO = errors.New("model: not implemented yet")

// DefaultSettings returns the settings used when nothing is stored.
func DefaultSettings() *Settings { return nil }

// DefaultAgentSettings returns OpenHands agent settings with all defaults
// (agent_context.current_datetime stamped now).
func DefaultAgentSettings() *jsonx.Object { return nil }

// DefaultConversationSettings returns the default conversation settings.
func DefaultConversationSettings() *jsonx.Object { return nil }

// ValidateAgentSettings validates an agent-settings document that is already
// at the current schema version (run migrate.AgentSettings first when it may
// not be), discriminated by agent_kind (missing → openhands, "llm" →
// openhands). It returns the internal form; the input is not modified.
// Sealed values in secret positions are kept.
func ValidateAgentSettings(doc *jsonx.Object, in Input) (*jsonx.Object, error) { return nil, errTODO }

// ValidateConversationSettings validates conversation settings (internal form).
func ValidateConversationSettings(doc *jsonx.Object) (*jsonx.Object, error) { return nil, errTODO }

// ValidateLLM validates an LLM object (data-model.md §3) with the input
// normalisation of §3.2; model is required and non-empty.
func ValidateLLM(doc *jsonx.Object, in Input) (*jsonx.Object, error) { return nil, errTODO }

// ValidateMCPServer validates one MCPServer object (unknown members
// rejected) and returns it in compact form (no null or {} members, enabled
// always present).
func ValidateMCPServer(doc *jsonx.Object, in Input) (*jsonx.Object, error) { return nil, errTODO }

// ValidateMCPServerPatch validates a PATCH body for one MCP server
// (data-model.md §6.4): all members optional and nullable, unknown rejected.
func ValidateMCPServerPatch(doc *jsonx.Object) error { return errTODO }

// RenderAgentSettings returns a copy of internal agent settings with secrets
// rendered for mode (every field present, declaration order).
func RenderAgentSettings(doc *jsonx.Object, mode Mode, c *cipher.Cipher) (*jsonx.Object, error) {
	return nil, errTODO
}

// RenderLLM returns a copy of an internal LLM object with secrets rendered
// for mode.
func RenderLLM(doc *jsonx.Object, mode Mode, c *cipher.Cipher) (*jsonx.Object, error) {
	return nil, errTODO
}

// LLMAPIKeyIsSet reports whether agent_settings.llm.api_key is set (non-null,
// non-blank, not Sealed).
func LLMAPIKeyIsSet(agent *jsonx.Object) bool { return false }

// Response builds the SettingsResponse for mode (data-model.md §1).
func (s *Settings) Response(mode Mode, c *cipher.Cipher) (*jsonx.Object, error) { return nil, errTODO }

// Clone deep-copies the settings.
func (s *Settings) Clone() *Settings { return nil }

// LoadSettingsFile parses, migrates and validates a settings.json document
// (secrets decrypted with in.Cipher, FromDisk rules). An error means the
// file is unloadable (persistence.md §7).
func LoadSettingsFile(data []byte, in Input) (*Settings, error) { return nil, errTODO }

// EncodeSettingsFile renders the settings.json document (persistence.md
// §5.1: schema_version 2, every field, secrets AtRest) as file bytes.
func EncodeSettingsFile(s *Settings, c *cipher.Cipher) ([]byte, error) { return nil, errTODO }

// LoadProfileFile parses a profiles/<name>.json document (§8.5, §5.3) into
// an internal LLM object.
func LoadProfileFile(data []byte, in Input) (*jsonx.Object, error) { return nil, errTODO }

// EncodeProfileFile renders a profile file: the LLM with null members
// omitted plus "schema_version": 1; secrets AtRest, or Marker for set
// secrets when includeSecrets is false.
func EncodeProfileFile(llm *jsonx.Object, includeSecrets bool, c *cipher.Cipher) ([]byte, error) {
	return nil, errTODO
}

// ProfileAPIKeySet reports whether an internal LLM's api_key is set
// (non-blank, not Marker, not Sealed).
func ProfileAPIKeySet(llm *jsonx.Object) bool { return false }

// AgentSchema returns the GET /api/settings/agent-schema document.
func AgentSchema() *jsonx.Object { return nil }

// ConversationSchema returns the GET /api/settings/conversation-schema document.
func ConversationSchema() *jsonx.Object { return nil }
