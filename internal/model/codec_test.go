package model

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/jsonx"
)

func settingsWithSecrets(t *testing.T) *Settings {
	t.Helper()
	agent, err := ValidateAgentSettings(obj(t, `{"llm":{"model":"gpt-4o","api_key":"sk-plain"},
		"mcp_config":{"github":{"command":"uvx","env":{"GITHUB_TOKEN":"ghp-plain"}}},
		"agent_context":{"secrets":{"S":"ctx-plain"}}}`), Input{})
	require.NoError(t, err)
	profile := "fast"
	return &Settings{
		Agent:         agent,
		Conversation:  obj(t, `{"schema_version":1,"max_iterations":7,"confirmation_mode":true,"security_analyzer":null}`),
		ActiveProfile: &profile,
		Misc:          obj(t, `{"ui":{"theme":"dark"},"tags":["a"],"n":null}`),
	}
}

func TestSettingsFileRoundTrip(t *testing.T) {
	for _, c := range []*cipher.Cipher{keyA, nil} {
		name := "with key"
		if c == nil {
			name = "without key"
		}
		t.Run(name, func(t *testing.T) {
			s := settingsWithSecrets(t)
			data, err := EncodeSettingsFile(s, c)
			require.NoError(t, err)
			file := obj(t, string(data))
			requireKeys(t, file, "schema_version", "agent_settings", "conversation_settings", "active_profile", "active_agent_profile_id", "misc_settings")
			requireJSON(t, `2`, file.Value("schema_version"))
			require.Nil(t, file.Value("active_agent_profile_id"))
			// every field, nulls included
			require.True(t, file.Object("agent_settings").Object("llm").Has("aws_session_token"))
			text := string(data)
			for _, secret := range []string{"sk-plain", "ghp-plain", "ctx-plain"} {
				if c != nil {
					require.NotContains(t, text, secret, "secrets are encrypted at rest")
				} else {
					require.Contains(t, text, secret, "no key: plaintext at rest")
				}
			}
			require.Contains(t, text, "\n  \"agent_settings\": {", "upstream file layout")

			loaded, err := LoadSettingsFile(data, Input{Cipher: c})
			require.NoError(t, err)
			require.True(t, jsonx.Equal(s.Agent, loaded.Agent))
			require.True(t, jsonx.Equal(s.Conversation, loaded.Conversation))
			require.True(t, jsonx.Equal(s.Misc, loaded.Misc))
			require.Equal(t, "fast", *loaded.ActiveProfile)
			require.Nil(t, loaded.ActiveAgentProfileID)
		})
	}
}

func TestSettingsFileWrongKeyKeepsTokens(t *testing.T) {
	s := settingsWithSecrets(t)
	data, err := EncodeSettingsFile(s, keyB)
	require.NoError(t, err)
	count := 0
	loaded, err := LoadSettingsFile(data, Input{Cipher: keyA, Sealed: &count})
	require.NoError(t, err)
	require.Equal(t, 3, count)
	require.False(t, LLMAPIKeyIsSet(loaded.Agent))
	resp, err := loaded.Response(Plaintext, keyA)
	require.NoError(t, err)
	require.Equal(t, false, resp.Value("llm_api_key_is_set"))
	v, _ := get(resp, "agent_settings.llm.api_key")
	require.Nil(t, v)

	again, err := EncodeSettingsFile(loaded, keyA)
	require.NoError(t, err)
	orig, rewritten := obj(t, string(data)), obj(t, string(again))
	for _, p := range []string{"agent_settings.llm.api_key", "agent_settings.mcp_config.github.env.GITHUB_TOKEN", "agent_settings.agent_context.secrets.S"} {
		a, _ := get(orig, p)
		b, _ := get(rewritten, p)
		require.Equal(t, a, b, "%s written back byte for byte", p)
	}
	// the original key still opens the rewritten file
	back, err := LoadSettingsFile(again, Input{Cipher: keyB})
	require.NoError(t, err)
	require.True(t, jsonx.Equal(s.Agent, back.Agent))
}

func TestLoadSettingsFile(t *testing.T) {
	cases := []struct {
		name, data string
		ok         bool
		check      func(t *testing.T, s *Settings)
	}{
		{"empty object gives defaults", `{}`, true, func(t *testing.T, s *Settings) {
			require.Equal(t, "openhands", s.Agent.Value("agent_kind"))
			requireJSON(t, defaultConversationJSON, s.Conversation)
			require.Equal(t, 0, s.Misc.Len())
			require.Nil(t, s.ActiveProfile)
		}},
		{"v1 file", `{"schema_version":1,"agent_settings":{"schema_version":1,"agent_kind":"llm","llm":{"model":"m"}},"active_profile":"p"}`, true, func(t *testing.T, s *Settings) {
			require.Equal(t, "openhands", s.Agent.Value("agent_kind"))
			requireJSON(t, `5`, s.Agent.Value("schema_version"))
			require.Equal(t, "p", *s.ActiveProfile)
		}},
		{"active ids", `{"schema_version":2,"active_profile":null,"active_agent_profile_id":"12345678-1234-1234-1234-1234567890ab"}`, true, func(t *testing.T, s *Settings) {
			require.Nil(t, s.ActiveProfile)
			require.Equal(t, "12345678-1234-1234-1234-1234567890ab", *s.ActiveAgentProfileID)
		}},
		{"unknown top-level members dropped", `{"schema_version":2,"other":1}`, true, nil},
		{"invalid JSON", `{"schema_version":`, false, nil},
		{"not an object", `[]`, false, nil},
		{"newer file", `{"schema_version":3}`, false, nil},
		{"newer agent settings", `{"agent_settings":{"schema_version":6}}`, false, nil},
		{"newer conversation settings", `{"conversation_settings":{"schema_version":2}}`, false, nil},
		{"invalid agent settings", `{"agent_settings":{"schema_version":5,"llm":{"model":""}}}`, false, nil},
		{"invalid conversation settings", `{"conversation_settings":{"schema_version":1,"max_iterations":0}}`, false, nil},
		{"agent settings null", `{"agent_settings":null}`, false, nil},
		{"active_profile number", `{"active_profile":5}`, false, nil},
		{"misc_settings list", `{"misc_settings":[]}`, false, nil},
		{"duplicate keys", `{"schema_version":2,"schema_version":2}`, false, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := LoadSettingsFile([]byte(tc.data), Input{Cipher: keyA})
			if !tc.ok {
				require.Error(t, err)
				require.Nil(t, s)
				return
			}
			require.NoError(t, err)
			if tc.check != nil {
				tc.check(t, s)
			}
		})
	}
}

func TestLoadSettingsFileErrorsHideSecrets(t *testing.T) {
	data := `{"agent_settings":{"schema_version":5,"llm":{"model":"m","api_key":"SUPERSECRETVALUE","top_p":9},
		"mcp_config":{"s":{"transport":"stdio","env":{"K":"SUPERSECRETVALUE"}}}}}`
	_, err := LoadSettingsFile([]byte(data), Input{})
	require.Error(t, err)
	require.NotContains(t, err.Error(), "SUPERSECRETVALUE")
}

func TestProfileFile(t *testing.T) {
	llm, err := ValidateLLM(obj(t, `{"model":"openai/gpt-4o","api_key":"sk-1","base_url":"https://litellm.example.com","aws_access_key_id":"AKIA"}`), Input{})
	require.NoError(t, err)

	t.Run("include secrets with key", func(t *testing.T) {
		data, err := EncodeProfileFile(llm, true, keyA)
		require.NoError(t, err)
		f := obj(t, string(data))
		require.Equal(t, "schema_version", f.Keys()[f.Len()-1])
		requireJSON(t, `1`, f.Value("schema_version"))
		for _, k := range f.Keys() {
			require.NotNil(t, f.Value(k), "null members are omitted: %s", k)
		}
		require.False(t, f.Has("api_version"))
		require.Equal(t, "sk-1", decrypt(t, keyA, f.Value("api_key").(string)))
		require.NotContains(t, string(data), "sk-1")
		require.Equal(t, false, f.Value("is_subscription"))
		requireJSON(t, `{}`, f.Value("litellm_extra_body"))

		back, err := LoadProfileFile(data, Input{Cipher: keyA})
		require.NoError(t, err)
		require.True(t, jsonx.Equal(llm, back))
		require.True(t, ProfileAPIKeySet(back))
	})
	t.Run("include secrets without key", func(t *testing.T) {
		data, err := EncodeProfileFile(llm, true, nil)
		require.NoError(t, err)
		require.Equal(t, "sk-1", obj(t, string(data)).Value("api_key"))
	})
	t.Run("exclude secrets", func(t *testing.T) {
		data, err := EncodeProfileFile(llm, false, keyA)
		require.NoError(t, err)
		f := obj(t, string(data))
		require.Equal(t, Marker, f.Value("api_key"))
		require.Equal(t, Marker, f.Value("aws_access_key_id"))
		back, err := LoadProfileFile(data, Input{Cipher: keyA})
		require.NoError(t, err)
		require.Nil(t, back.Value("api_key"), "the marker loads back as no key")
		require.False(t, ProfileAPIKeySet(back))
	})
	t.Run("subscription", func(t *testing.T) {
		sub, err := ValidateLLM(obj(t, `{"model":"openai/gpt-5","auth_type":"subscription","subscription_vendor":"openai","api_key":"k","base_url":"https://b","extra_headers":{"X":"y"}}`), Input{})
		require.NoError(t, err)
		data, err := EncodeProfileFile(sub, true, nil)
		require.NoError(t, err)
		f := obj(t, string(data))
		for _, k := range []string{"api_key", "base_url", "extra_headers"} {
			require.False(t, f.Has(k), k)
		}
		require.Equal(t, "openai", f.Value("subscription_vendor"))
	})
	t.Run("provider connection", func(t *testing.T) {
		pc, err := ValidateLLM(obj(t, `{"model":"m","provider_connection_id":"conn-1","api_key":"k","base_url":"https://b","api_version":"v"}`), Input{})
		require.NoError(t, err)
		data, err := EncodeProfileFile(pc, true, nil)
		require.NoError(t, err)
		f := obj(t, string(data))
		require.False(t, f.Has("api_key"))
		require.False(t, f.Has("base_url"))
		require.Equal(t, "v", f.Value("api_version"))
		require.Equal(t, "conn-1", f.Value("provider_connection_id"))
	})
	t.Run("wrong key seals", func(t *testing.T) {
		data, err := EncodeProfileFile(llm, true, keyB)
		require.NoError(t, err)
		count := 0
		back, err := LoadProfileFile(data, Input{Cipher: keyA, Sealed: &count})
		require.NoError(t, err)
		require.Equal(t, 2, count)
		require.False(t, ProfileAPIKeySet(back))
		rewritten, err := EncodeProfileFile(back, true, keyA)
		require.NoError(t, err)
		require.Equal(t, obj(t, string(data)).Value("api_key"), obj(t, string(rewritten)).Value("api_key"))
		plain, err := RenderLLM(back, Plaintext, keyA)
		require.NoError(t, err)
		require.Nil(t, plain.Value("api_key"))
	})
	t.Run("load errors", func(t *testing.T) {
		for _, data := range []string{`nope`, `[]`, `{"schema_version":2,"model":"m"}`, `{"schema_version":"1","model":"m"}`, `{"model":""}`, `{}`} {
			_, err := LoadProfileFile([]byte(data), Input{})
			require.Error(t, err, data)
		}
	})
	t.Run("load canonicalises", func(t *testing.T) {
		back, err := LoadProfileFile([]byte(`{"schema_version":1,"model":"openhands/gpt-5.5","base_url":"https://llm-proxy.app.all-hands.dev/"}`), Input{})
		require.NoError(t, err)
		require.Equal(t, "openhands/gpt-5.5", back.Value("model"))
		require.Nil(t, back.Value("base_url"))
		require.False(t, back.Has("schema_version"))
	})
}

func TestResponse(t *testing.T) {
	s := settingsWithSecrets(t)
	for _, mode := range []Mode{Redacted, Encrypted, Plaintext} {
		resp, err := s.Response(mode, keyA)
		require.NoError(t, err)
		requireKeys(t, resp, "agent_settings", "conversation_settings", "llm_api_key_is_set", "active_profile", "active_agent_profile_id", "misc_settings")
		require.Equal(t, true, resp.Value("llm_api_key_is_set"), "independent of the mode")
		require.Equal(t, "fast", resp.Value("active_profile"))
		require.Nil(t, resp.Value("active_agent_profile_id"))
		requireJSON(t, `{"ui":{"theme":"dark"},"tags":["a"],"n":null}`, resp.Value("misc_settings"))
		key, _ := get(resp, "agent_settings.llm.api_key")
		switch mode {
		case Redacted:
			require.Equal(t, Marker, key)
		case Plaintext:
			require.Equal(t, "sk-plain", key)
		case Encrypted:
			require.Equal(t, "sk-plain", decrypt(t, keyA, key.(string)))
		}
	}
	d := DefaultSettings()
	resp, err := d.Response(Encrypted, nil)
	require.NoError(t, err, "no secrets set: no cipher needed")
	require.Equal(t, false, resp.Value("llm_api_key_is_set"))
	requireJSON(t, `{}`, resp.Value("misc_settings"))
	require.True(t, resp.Has("active_profile"))

	// blank keys are not set
	blank := DefaultAgentSettings()
	blank.Object("llm").Set("api_key", "  ")
	require.False(t, LLMAPIKeyIsSet(blank))
	require.False(t, LLMAPIKeyIsSet(nil))
}

func TestSettingsClone(t *testing.T) {
	s := settingsWithSecrets(t)
	id := "12345678-1234-1234-1234-1234567890ab"
	s.ActiveAgentProfileID = &id
	c := s.Clone()
	require.True(t, jsonx.Equal(s.Agent, c.Agent))
	c.Agent.Object("llm").Set("api_key", "changed")
	c.Misc.Set("ui", "x")
	*c.ActiveProfile = "other"
	*c.ActiveAgentProfileID = "x"
	require.Equal(t, "sk-plain", s.Agent.Object("llm").Value("api_key"))
	requireJSON(t, `{"theme":"dark"}`, s.Misc.Value("ui"))
	require.Equal(t, "fast", *s.ActiveProfile)
	require.Equal(t, id, *s.ActiveAgentProfileID)
	require.Nil(t, (*Settings)(nil).Clone())
}

func TestEncodeSettingsFileASCII(t *testing.T) {
	s := DefaultSettings()
	s.Misc.Set("name", "Zoë ✓")
	data, err := EncodeSettingsFile(s, nil)
	require.NoError(t, err)
	for _, b := range data {
		require.Less(t, b, byte(0x80))
	}
	require.True(t, strings.Contains(string(data), `Zo\u00eb`))
	back, err := LoadSettingsFile(data, Input{})
	require.NoError(t, err)
	require.Equal(t, "Zoë ✓", back.Misc.Value("name"))
}
