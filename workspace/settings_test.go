package workspace

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/llm"
	"github.com/openhands-go/sdk/mcp"
	"github.com/openhands-go/sdk/secret"
)

func TestSettings_Exposure(t *testing.T) {
	tests := []struct {
		exposure Exposure
		header   string // "" = absent
	}{
		{Redacted, ""},
		{Encrypted, "encrypted"},
		{Plaintext, "plaintext"},
	}
	for _, tc := range tests {
		t.Run(tc.exposure.String(), func(t *testing.T) {
			f := newFake(t)
			f.on("GET", "/api/settings", jsonResp(200, settingsPlainNoProfile))
			w, _ := newTestWS(t, f)
			s, err := w.Settings(context.Background(), tc.exposure)
			require.NoError(t, err)
			require.NotNil(t, s)
			want := map[string]string{"X-Session-Api-Key": testKey}
			if tc.header != "" {
				want["X-Expose-Secrets"] = tc.header
			}
			require.Equal(t, want, apiHeaders(f.requests()[0].Header))
		})
	}
	w, _ := newTestWS(t, newFake(t))
	_, err := w.Settings(context.Background(), Exposure(9))
	require.Error(t, err)
	require.Equal(t, "Exposure(9)", Exposure(9).String())
}

func TestSettings_Parse(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/api/settings", jsonResp(200, settingsPlainNoProfile))
	w, _ := newTestWS(t, f)
	s, err := w.Settings(context.Background(), Plaintext)
	require.NoError(t, err)

	a := s.AgentSettings
	require.Equal(t, AgentKindOpenHands, a.AgentKind)
	require.False(t, a.IsACP())
	require.Equal(t, 5, a.SchemaVersion)
	require.Equal(t, "openai/gpt-4o", a.LLM.Model)
	require.Equal(t, "sk-PLAINTEXT-LLM-KEY", a.LLM.APIKey.Reveal())
	require.Len(t, a.MCPConfig, 2)
	require.Equal(t, "ghp-PLAINTEXT-TOKEN", a.MCPConfig["github"].Env["GITHUB_TOKEN"].Reveal())

	var raw map[string]any
	require.NoError(t, json.Unmarshal(a.Raw(), &raw))
	require.Equal(t, "openhands", raw["agent_kind"])
	r1 := a.Raw()
	r1[0] = 'X'
	require.Equal(t, byte('{'), a.Raw()[0], "Raw returns a copy")

	require.Equal(t, ConversationSettings{SchemaVersion: 1, MaxIterations: 100, ConfirmationMode: true, SecurityAnalyzer: nil}, s.ConversationSettings)
	require.True(t, s.LLMAPIKeyIsSet)
	require.Nil(t, s.ActiveProfile)
	require.Nil(t, s.ActiveAgentProfileID)
	require.Equal(t, map[string]any{"ui": map[string]any{"theme": "dark"}}, s.MiscSettings)
}

func TestSettings_Defaults(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/api/settings", jsonResp(200, `{"agent_settings":{},"conversation_settings":{},"llm_api_key_is_set":false,"active_profile":"p","active_agent_profile_id":"12345678-1234-1234-1234-1234567890ab"}`))
	w, _ := newTestWS(t, f)
	s, err := w.Settings(context.Background(), Redacted)
	require.NoError(t, err)
	require.Equal(t, AgentKindOpenHands, s.AgentSettings.AgentKind)
	require.Equal(t, llm.Default(), s.AgentSettings.LLM)
	require.Equal(t, mcp.Config{}, s.AgentSettings.MCPConfig)
	require.Equal(t, DefaultConversationSettings(), s.ConversationSettings)
	require.Equal(t, map[string]any{}, s.MiscSettings)
	require.Equal(t, "p", *s.ActiveProfile)
	require.Equal(t, "12345678-1234-1234-1234-1234567890ab", *s.ActiveAgentProfileID)
}

func TestConversationSettings_Invalid(t *testing.T) {
	for _, cs := range []string{`{"schema_version":2}`, `{"max_iterations":0}`, `{"max_iterations":"x"}`, `{"security_analyzer":5}`, `{"schema_version":true}`} {
		f := newFake(t)
		f.on("GET", "/api/settings", jsonResp(200, `{"agent_settings":{},"conversation_settings":`+cs+`,"llm_api_key_is_set":false}`))
		w, _ := newTestWS(t, f)
		_, err := w.Settings(context.Background(), Redacted)
		require.ErrorIs(t, err, ErrInvalidResponse, cs)
	}
}

func TestSchemas(t *testing.T) {
	schema := `{"model_name":"ConversationSettings","sections":[{"key":"general","label":"General","variant":null,"fields":[{"key":"max_iterations","label":"Max iterations","description":"d","section":"general","section_label":"General","value_type":"integer","default":500,"prominence":"major","depends_on":[],"secret":false,"choices":[],"variant":null}]},{"key":"verification","label":"Verification","variant":null,"fields":[{"key":"security_analyzer","label":"Security analyzer","value_type":"string","default":"llm","prominence":"major","depends_on":["confirmation_mode"],"secret":false,"choices":[{"value":"llm","label":"llm"},{"value":"none","label":"none"}]}]}]}`
	f := newFake(t)
	f.on("GET", "/api/settings/conversation-schema", jsonResp(200, schema))
	f.on("GET", "/api/settings/agent-schema", jsonResp(200, `{"model_name":"AgentSettings","sections":[]}`), jsonResp(200, `[]`))
	w, _ := newTestWS(t, f)
	cs, err := w.ConversationSchema(context.Background())
	require.NoError(t, err)
	require.Equal(t, "ConversationSettings", cs.ModelName)
	require.Equal(t, []string{"general", "verification"}, []string{cs.Sections[0].Key, cs.Sections[1].Key})
	require.Equal(t, float64(500), cs.Sections[0].Fields[0].Default)
	require.Equal(t, []string{"confirmation_mode"}, cs.Sections[1].Fields[0].DependsOn)
	require.Equal(t, "none", cs.Sections[1].Fields[0].Choices[1].Value)
	as, err := w.AgentSchema(context.Background())
	require.NoError(t, err)
	require.Equal(t, "AgentSettings", as.ModelName)
	_, err = w.AgentSchema(context.Background())
	require.ErrorIs(t, err, ErrInvalidResponse)
	for _, r := range f.requests() {
		require.Equal(t, "GET", r.Method)
		require.Equal(t, map[string]string{"X-Session-Api-Key": testKey}, apiHeaders(r.Header))
	}
}

func TestPatchSettings_Body(t *testing.T) {
	l := llm.Default()
	l.Model = "openai/gpt-4o"
	l.APIKey = "sk-new"
	tests := []struct {
		name  string
		patch SettingsPatch
		want  string
	}{
		{"empty", SettingsPatch{}, `{}`},
		{"clear active profile", *(&SettingsPatch{}).ClearActiveProfile(), `{"active_profile":null}`},
		{"set active profile", *(&SettingsPatch{}).SetActiveProfile("fast"), `{"active_profile":"fast"}`},
		{"agent profile id set and clear", *(&SettingsPatch{}).SetActiveAgentProfileID("12345678-1234-1234-1234-1234567890ab"), `{"active_agent_profile_id":"12345678-1234-1234-1234-1234567890ab"}`},
		{"agent profile id clear", *(&SettingsPatch{}).ClearActiveAgentProfileID(), `{"active_agent_profile_id":null}`},
		{"empty diff kept", SettingsPatch{AgentSettingsDiff: map[string]any{}}, `{"agent_settings_diff":{}}`},
		{
			"all members",
			SettingsPatch{
				AgentSettingsDiff:        map[string]any{"llm": map[string]any{"model": "gpt-4o", "api_key": "sk-new"}, "tools": nil},
				ConversationSettingsDiff: map[string]any{"max_iterations": 100},
				MiscSettingsDiff:         map[string]any{"ui": map[string]any{"theme": "dark"}},
				ActiveProfile:            Some("fast-profile"),
				ActiveAgentProfileID:     Null[string](),
			},
			`{"agent_settings_diff":{"llm":{"api_key":"sk-new","model":"gpt-4o"},"tools":null},"conversation_settings_diff":{"max_iterations":100},"misc_settings_diff":{"ui":{"theme":"dark"}},"active_profile":"fast-profile","active_agent_profile_id":null}`,
		},
		{
			"SDK secret types are sent in plaintext",
			SettingsPatch{AgentSettingsDiff: map[string]any{
				"verification": map[string]any{"critic_api_key": secret.Str("critic-secret")},
				"mcp_config":   map[string]any{"gh": mcpServerEnv("GH", "ghp-x")},
				"agent_context": map[string]any{"secrets": map[string]any{
					"S": secret.StaticSecret{Value: "static-v"},
				}},
				"raw": json.RawMessage(`{"a":[1,2]}`),
			}},
			`{"agent_settings_diff":{"agent_context":{"secrets":{"S":{"description":null,"value":"static-v","kind":"StaticSecret"}}},"mcp_config":{"gh":{"command":"uvx","env":{"GH":"ghp-x"},"enabled":true}},"raw":{"a":[1,2]},"verification":{"critic_api_key":"critic-secret"}}}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.on("PATCH", "/api/settings", jsonResp(200, settingsRedactedNoProfile))
			w, _ := newTestWS(t, f)
			s, err := w.PatchSettings(context.Background(), tc.patch)
			require.NoError(t, err)
			require.Equal(t, "openai/gpt-4o", s.AgentSettings.LLM.Model)
			reqs := f.requests()
			require.Len(t, reqs, 1)
			require.JSONEq(t, tc.want, reqs[0].Body)
			require.Equal(t, map[string]string{"X-Session-Api-Key": testKey}, apiHeaders(reqs[0].Header), "no X-Expose-Secrets on writes")
			require.Equal(t, "application/json", reqs[0].Header.Get("Content-Type"))
		})
	}
}

func mcpServerEnv(k, v string) mcp.Server {
	cmd := "uvx"
	return mcp.Server{Command: &cmd, Env: map[string]secret.Str{k: secret.Str(v)}}
}

func TestSetLLM(t *testing.T) {
	f := newFake(t)
	f.on("PATCH", "/api/settings", jsonResp(200, settingsRedactedNoProfile))
	w, _ := newTestWS(t, f)
	l := llm.Default()
	l.Model = "openai/gpt-4o"
	l.APIKey = "sk-plaintext-to-send"
	s, err := w.SetLLM(context.Background(), l)
	require.NoError(t, err)
	require.True(t, s.LLMAPIKeyIsSet)
	var body struct {
		AgentSettingsDiff struct {
			LLM map[string]any `json:"llm"`
		} `json:"agent_settings_diff"`
	}
	require.NoError(t, json.Unmarshal([]byte(f.requests()[0].Body), &body))
	require.Equal(t, "sk-plaintext-to-send", body.AgentSettingsDiff.LLM["api_key"])
	require.Equal(t, "openai/gpt-4o", body.AgentSettingsDiff.LLM["model"])
	_, err = w.SetLLM(context.Background(), nil)
	require.Error(t, err)
}

func TestMarkerGuard(t *testing.T) {
	redactedLLM := llm.Default()
	redactedLLM.APIKey = secret.Str(secret.Marker)
	url := "https://m.example/mcp"
	tests := []struct {
		name  string
		where string
		call  func(w *Workspace) error
	}{
		{"patch agent diff", "agent_settings_diff.llm.api_key", func(w *Workspace) error {
			_, err := w.PatchSettings(context.Background(), SettingsPatch{AgentSettingsDiff: map[string]any{"llm": map[string]any{"api_key": "**********"}}})
			return err
		}},
		{"patch misc nested array", "misc_settings_diff.list[1]", func(w *Workspace) error {
			_, err := w.PatchSettings(context.Background(), SettingsPatch{MiscSettingsDiff: map[string]any{"list": []any{"a", "**********"}}})
			return err
		}},
		{"patch raw message", "agent_settings_diff.mcp_config.s.headers.X", func(w *Workspace) error {
			_, err := w.PatchSettings(context.Background(), SettingsPatch{AgentSettingsDiff: map[string]any{"mcp_config": json.RawMessage(`{"s":{"headers":{"X":"**********"}}}`)}})
			return err
		}},
		{"SetLLM with redacted LLM", "agent_settings_diff.llm.api_key", func(w *Workspace) error {
			_, err := w.SetLLM(context.Background(), redactedLLM)
			return err
		}},
		{"MCP create", "env.TOKEN", func(w *Workspace) error {
			_, err := w.CreateMCPServer(context.Background(), "gh", mcpServerEnv("TOKEN", "**********"))
			return err
		}},
		{"MCP create bearer", "auth.value", func(w *Workspace) error {
			_, err := w.CreateMCPServer(context.Background(), "gh", mcp.Server{URL: &url, Transport: strp("http"), Auth: mcp.BearerAuth("**********")})
			return err
		}},
		{"MCP patch", "headers.Authorization", func(w *Workspace) error {
			_, err := w.PatchMCPServer(context.Background(), "gh", map[string]any{"headers": map[string]any{"Authorization": "**********"}})
			return err
		}},
		{"profile save", "llm.api_key", func(w *Workspace) error {
			_, err := w.SaveProfile(context.Background(), "p", redactedLLM, true)
			return err
		}},
		{"secret put", "value", func(w *Workspace) error {
			_, err := w.PutSecret(context.Background(), "NAME", "**********", nil)
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			w, _ := newTestWS(t, f)
			err := tc.call(w)
			require.ErrorIs(t, err, ErrRedactedValue)
			require.Contains(t, err.Error(), "(at "+tc.where+")")
			require.Contains(t, err.Error(), "erase the stored secret")
			require.Contains(t, err.Error(), "Plaintext or Encrypted")
			require.Equal(t, 0, f.count(), "refused before sending")
		})
	}

	// The marker as a key, or inside a longer string, is not a redacted value.
	f := newFake(t)
	f.on("PATCH", "/api/settings", jsonResp(200, settingsRedactedNoProfile))
	w, _ := newTestWS(t, f)
	_, err := w.PatchSettings(context.Background(), SettingsPatch{MiscSettingsDiff: map[string]any{"**********": "x", "note": "a ********** b"}})
	require.NoError(t, err)
	require.Equal(t, 1, f.count())
}

func TestOptional(t *testing.T) {
	var o Optional[string]
	require.False(t, o.IsPresent())
	_, ok := o.Get()
	require.False(t, ok)
	o = Some("x")
	v, ok := o.Get()
	require.True(t, ok)
	require.Equal(t, "x", v)
	require.True(t, o.IsPresent())
	require.False(t, o.IsNull())
	o = Null[string]()
	require.True(t, o.IsPresent())
	require.True(t, o.IsNull())
	_, ok = o.Get()
	require.False(t, ok)
}
