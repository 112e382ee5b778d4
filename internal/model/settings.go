package model

import (
	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/jsonx"
)

// DefaultSettings returns the settings used when nothing is stored.
func DefaultSettings() *Settings {
	return &Settings{
		Agent:        DefaultAgentSettings(),
		Conversation: DefaultConversationSettings(),
		Misc:         jsonx.NewObject(),
	}
}

// DefaultAgentSettings returns OpenHands agent settings with all defaults
// (agent_context.current_datetime stamped now).
func DefaultAgentSettings() *jsonx.Object { return schemas.openhands.defaults() }

// DefaultACPAgentSettings returns ACP agent settings with all defaults.
func DefaultACPAgentSettings() *jsonx.Object { return schemas.acp.defaults() }

// DefaultConversationSettings returns the default conversation settings.
func DefaultConversationSettings() *jsonx.Object { return schemas.conversation.defaults() }

// DefaultLLM returns the default LLM object (data-model.md §3.2).
func DefaultLLM() *jsonx.Object { return schemas.llm.defaults() }

// ValidateAgentSettings validates an agent-settings document that is already
// at the current schema version (run migrate.AgentSettings first when it may
// not be), discriminated by agent_kind (missing → openhands, "llm" →
// openhands). It returns the internal form; the input is not modified.
// Sealed values in secret positions are kept.
func ValidateAgentSettings(doc *jsonx.Object, in Input) (*jsonx.Object, error) {
	return validateTop(schemas.agentT, doc, in)
}

// ValidateConversationSettings validates conversation settings (internal form).
func ValidateConversationSettings(doc *jsonx.Object) (*jsonx.Object, error) {
	return validateTop(schemas.conversationT, doc, Input{})
}

// Response builds the SettingsResponse for mode (data-model.md §1).
func (s *Settings) Response(mode Mode, c *cipher.Cipher) (*jsonx.Object, error) {
	return s.response(mode, c, false)
}

// ResponseView is Response without the copies: the result shares every
// part that holds no secret with s. It is meant to be encoded at once; it
// must not be modified, and s must not change while it is in use.
func (s *Settings) ResponseView(mode Mode, c *cipher.Cipher) (*jsonx.Object, error) {
	return s.response(mode, c, true)
}

func (s *Settings) response(mode Mode, c *cipher.Cipher, share bool) (*jsonx.Object, error) {
	agent, err := render(schemas.agentT, s.Agent, mode, c, share)
	if err != nil {
		return nil, err
	}
	conv := s.Conversation
	if !share {
		conv = conv.Clone()
	}
	if conv == nil {
		conv = DefaultConversationSettings()
	}
	misc := s.Misc
	if !share {
		misc = misc.Clone()
	}
	if misc == nil {
		misc = jsonx.NewObject()
	}
	return jsonx.Obj(
		"agent_settings", agent,
		"conversation_settings", conv,
		"llm_api_key_is_set", LLMAPIKeyIsSet(s.Agent),
		"active_profile", strOrNil(s.ActiveProfile),
		"active_agent_profile_id", strOrNil(s.ActiveAgentProfileID),
		"misc_settings", misc,
	), nil
}

func strOrNil(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

func strPtr(p *string) *string {
	if p == nil {
		return nil
	}
	s := *p
	return &s
}

// Clone deep-copies the settings.
func (s *Settings) Clone() *Settings {
	if s == nil {
		return nil
	}
	return &Settings{
		Agent:                s.Agent.Clone(),
		Conversation:         s.Conversation.Clone(),
		ActiveProfile:        strPtr(s.ActiveProfile),
		ActiveAgentProfileID: strPtr(s.ActiveAgentProfileID),
		Misc:                 s.Misc.Clone(),
	}
}
