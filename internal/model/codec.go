package model

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/jsonx"
	"github.com/openhands-go/sdk/internal/migrate"
)

// LoadSettingsFile parses, migrates and validates a settings.json document
// (secrets decrypted with in.Cipher, FromDisk rules). An error means the
// file is unloadable (persistence.md §7).
func LoadSettingsFile(data []byte, in Input) (*Settings, error) {
	in.FromDisk = true
	doc, err := jsonx.ParseObject(data)
	if err != nil {
		return nil, fmt.Errorf("settings file: %w", err)
	}
	if err := migrate.PersistedSettings(doc); err != nil {
		return nil, fmt.Errorf("settings file: %w", err)
	}
	s := &Settings{}

	switch raw, present := doc.Get("agent_settings"); {
	case !present:
		s.Agent = DefaultAgentSettings()
	default:
		agent, ok := raw.(*jsonx.Object)
		if !ok {
			return nil, errors.New("settings file: agent_settings is not an object")
		}
		agent = agent.Clone()
		if err := migrate.AgentSettings(agent); err != nil {
			return nil, fmt.Errorf("settings file: agent_settings: %w", err)
		}
		if s.Agent, err = ValidateAgentSettings(agent, in); err != nil {
			return nil, fmt.Errorf("settings file: agent_settings: %w", err)
		}
	}

	switch raw, present := doc.Get("conversation_settings"); {
	case !present:
		s.Conversation = DefaultConversationSettings()
	default:
		conv, ok := raw.(*jsonx.Object)
		if !ok {
			return nil, errors.New("settings file: conversation_settings is not an object")
		}
		conv = conv.Clone()
		if err := migrate.ConversationSettings(conv); err != nil {
			return nil, fmt.Errorf("settings file: conversation_settings: %w", err)
		}
		if s.Conversation, err = ValidateConversationSettings(conv); err != nil {
			return nil, fmt.Errorf("settings file: conversation_settings: %w", err)
		}
	}

	if s.ActiveProfile, err = optionalString(doc, "active_profile"); err != nil {
		return nil, err
	}
	if s.ActiveAgentProfileID, err = optionalString(doc, "active_agent_profile_id"); err != nil {
		return nil, err
	}
	switch raw, present := doc.Get("misc_settings"); {
	case !present:
		s.Misc = jsonx.NewObject()
	default:
		misc, ok := raw.(*jsonx.Object)
		if !ok {
			return nil, errors.New("settings file: misc_settings is not an object")
		}
		s.Misc = misc.Clone()
	}
	return s, nil
}

func optionalString(doc *jsonx.Object, key string) (*string, error) {
	switch v := doc.Value(key).(type) {
	case nil:
		return nil, nil
	case string:
		return &v, nil
	default:
		return nil, fmt.Errorf("settings file: %s is not a string or null", key)
	}
}

// EncodeSettingsFile renders the settings.json document (persistence.md
// §5.1: schema_version 2, every field, secrets AtRest) as file bytes.
func EncodeSettingsFile(s *Settings, c *cipher.Cipher) ([]byte, error) {
	if s == nil {
		return nil, errors.New("settings file: nil settings")
	}
	agentDoc := s.Agent
	if agentDoc == nil {
		agentDoc = DefaultAgentSettings()
	}
	agent, err := RenderAgentSettings(agentDoc, AtRest, c)
	if err != nil {
		return nil, err
	}
	conv := s.Conversation.Clone()
	if conv == nil {
		conv = DefaultConversationSettings()
	}
	misc := s.Misc.Clone()
	if misc == nil {
		misc = jsonx.NewObject()
	}
	doc := jsonx.Obj(
		"schema_version", json.Number("2"),
		"agent_settings", agent,
		"conversation_settings", conv,
		"active_profile", strOrNil(s.ActiveProfile),
		"active_agent_profile_id", strOrNil(s.ActiveAgentProfileID),
		"misc_settings", misc,
	)
	return jsonx.MarshalFile(doc)
}

// LoadProfileFile parses a profiles/<name>.json document (§8.5, §5.3) into
// an internal LLM object.
func LoadProfileFile(data []byte, in Input) (*jsonx.Object, error) {
	in.FromDisk = true
	doc, err := jsonx.ParseObject(data)
	if err != nil {
		return nil, fmt.Errorf("profile file: %w", err)
	}
	if err := migrate.LLMProfile(doc); err != nil {
		return nil, fmt.Errorf("profile file: %w", err)
	}
	llm, err := ValidateLLM(doc, in)
	if err != nil {
		return nil, fmt.Errorf("profile file: %w", err)
	}
	return llm, nil
}

// EncodeProfileFile renders a profile file: the LLM with null members
// omitted plus "schema_version": 1; secrets AtRest, or Marker for set
// secrets when includeSecrets is false.
func EncodeProfileFile(llm *jsonx.Object, includeSecrets bool, c *cipher.Cipher) ([]byte, error) {
	mode := AtRest
	if !includeSecrets {
		mode = Redacted
	}
	out, err := RenderLLM(llm, mode, c)
	if err != nil {
		return nil, err
	}
	if auth, _ := out.String("auth_type"); auth == "subscription" {
		out.Delete("api_key")
		out.Delete("base_url")
		out.Delete("extra_headers")
	}
	if id, ok := out.String("provider_connection_id"); ok && id != "" {
		out.Delete("api_key")
		out.Delete("base_url")
	}
	var drop []string
	for _, k := range out.Keys() {
		if out.Value(k) == nil {
			drop = append(drop, k)
		}
	}
	for _, k := range drop {
		out.Delete(k)
	}
	out.Set("schema_version", json.Number("1"))
	return jsonx.MarshalFile(out)
}
