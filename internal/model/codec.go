package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

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
		// doc was parsed here and is dropped afterwards: its parts are
		// migrated in place and handed over without copies.
		agent, ok := raw.(*jsonx.Object)
		if !ok {
			return nil, errors.New("settings file: agent_settings is not an object")
		}
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
		s.Misc = misc
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
	return AppendSettingsFile(make([]byte, 0, 8192), s, c)
}

// AppendSettingsFile appends what EncodeSettingsFile returns to dst (a
// buffer with room for the file saves reallocations). On error it returns
// nil and the error.
func AppendSettingsFile(dst []byte, s *Settings, c *cipher.Cipher) ([]byte, error) {
	out, _, err := AppendSettingsFileReusable(dst, s, c)
	return out, err
}

// AppendSettingsFileReusable is AppendSettingsFile that also reports
// whether LoadSettingsFile(data, Input{Cipher: c}) of the appended bytes
// is certain to return settings identical to s (same members, order,
// strings, number literals and Sealed values), so that a caller may keep s
// for those bytes instead of loading them again.
//
// s must be in internal form: its agent settings the output of
// ValidateAgentSettings(…, Input{Cipher: c}) or of LoadSettingsFile with
// the same cipher, its conversation settings the output of
// ValidateConversationSettings or of LoadSettingsFile. Validation is
// idempotent on such documents, and the loader's migrations leave them
// alone, except for what is checked here: reusable is false for nil parts,
// for a schema_version or agent_kind the loader would migrate, for a
// secret that is blank or, with a cipher, looks like a Fernet token (the
// loader would decrypt it), for a Sealed value without a cipher, for a
// LookupSecret URL that the loader would resolve against
// OH_INTERNAL_SERVER_URL, and for anything the file does not carry exactly
// (see jsonx.AppendMarshalFileReversible: invalid UTF-8, number literals
// that are not JSON, excessive nesting, non-JSON values).
func AppendSettingsFileReusable(dst []byte, s *Settings, c *cipher.Cipher) (data []byte, reusable bool, err error) {
	if s == nil {
		return nil, false, errors.New("settings file: nil settings")
	}
	reusable = s.Agent != nil && s.Conversation != nil && s.Misc != nil &&
		s.Agent.Value("schema_version") == any(json.Number(strconv.Itoa(agentSchemaVersion))) &&
		s.Conversation.Value("schema_version") == any(json.Number(strconv.Itoa(conversationSchemaVersion)))
	if k, _ := s.Agent.String("agent_kind"); k == "llm" {
		reusable = false
	}
	agentDoc := s.Agent
	if agentDoc == nil {
		agentDoc = DefaultAgentSettings()
	}
	// The document is encoded and dropped at once: the parts without
	// secrets are shared with s instead of copied.
	r := renderer{mode: AtRest, c: c, share: true, check: true, ok: true}
	agentV, _, err := r.value(schemas.agentT, agentDoc)
	if err != nil {
		return nil, false, err
	}
	agent, isObj := agentV.(*jsonx.Object)
	if !isObj {
		return nil, false, errors.New("model: document is not an object")
	}
	conv := s.Conversation
	if conv == nil {
		conv = DefaultConversationSettings()
	}
	misc := s.Misc
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
	out, exact, err := jsonx.AppendMarshalFileReversible(dst, doc)
	if err != nil {
		return nil, false, err
	}
	return out, reusable && r.ok && exact, nil
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
	// Only top-level members of out change below; the rest is encoded and
	// dropped, so it is shared with llm instead of copied.
	out, err := render(schemas.llmT, llm, mode, c, true)
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
