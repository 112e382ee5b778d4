package model

import (
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/internal/jsonx"
)

// The default documents of data-model.md, verbatim.
const (
	defaultLLMJSON = `{
  "model": "gpt-5.5", "api_key": null, "provider_connection_id": null,
  "auth_type": "api_key", "subscription_vendor": null, "base_url": null, "api_version": null,
  "aws_access_key_id": null, "aws_secret_access_key": null, "aws_session_token": null,
  "aws_region_name": null, "aws_profile_name": null, "aws_role_name": null,
  "aws_session_name": null, "aws_bedrock_runtime_endpoint": null,
  "openrouter_site_url": "https://docs.all-hands.dev/", "openrouter_app_name": "OpenHands",
  "num_retries": 5, "retry_multiplier": 8.0, "retry_min_wait": 8, "retry_max_wait": 64,
  "timeout": 300, "max_message_chars": 30000,
  "temperature": null, "top_p": null, "top_k": null,
  "max_input_tokens": null, "max_output_tokens": null, "model_canonical_name": null,
  "api_mode": "auto", "capability_overrides": {}, "extra_headers": null,
  "input_cost_per_token": null, "output_cost_per_token": null, "ollama_base_url": null,
  "stream": false, "drop_params": true, "modify_params": true,
  "disable_vision": null, "disable_stop_word": false, "caching_prompt": true,
  "log_completions": false, "log_completions_folder": "logs/completions",
  "custom_tokenizer": null, "native_tool_calling": true,
  "force_string_serializer": null, "inline_image_urls": null,
  "reasoning_effort": "high", "reasoning_summary": null, "enable_encrypted_reasoning": true,
  "prompt_cache_retention": "24h", "extended_thinking_budget": 200000, "seed": null,
  "usage_id": "default", "litellm_extra_body": {}, "is_subscription": false
}`
	defaultAgentContextJSON = `{
    "skills": [], "system_message_suffix": null, "user_message_suffix": null,
    "load_user_skills": false, "load_public_skills": false,
    "marketplace_path": "marketplaces/default.json", "registered_marketplaces": [],
    "load_project_skills": false, "load_memory": false, "disabled_skills": [],
    "secrets": null, "current_datetime": "2026-01-01T12:00:00.000000Z"
  }`
	defaultCondenserJSON = `{
    "enabled": true, "max_size": 240, "condenser_kind": "llm_summarizing", "max_tokens": null,
    "keep_first": 2, "minimum_progress": 0.1, "hard_context_reset_max_retries": 5,
    "hard_context_reset_context_scaling": 0.8
  }`
	defaultVerificationJSON = `{
    "critic_enabled": false, "critic_mode": "finish_and_message", "enable_iterative_refinement": false,
    "critic_threshold": 0.6, "max_refinement_iterations": 3, "critic_server_url": null,
    "critic_model_name": null, "critic_api_key": null
  }`
	defaultConversationJSON = `{"schema_version": 1, "max_iterations": 500, "confirmation_mode": false, "security_analyzer": "llm"}`
	defaultFileSecretsJSON  = `[
  {"secret_name": "CODEX_AUTH_JSON", "filename": "auth.json", "env_var": "CODEX_HOME", "subdir": "codex", "env_points_to": "dir", "warn_if_unset": []},
  {"secret_name": "GOOGLE_APPLICATION_CREDENTIALS_JSON", "filename": "gcloud-credentials.json", "env_var": "GOOGLE_APPLICATION_CREDENTIALS", "subdir": "gemini-cli", "env_points_to": "file", "warn_if_unset": ["GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION"]}
]`
)

// orderedKeys parses an object literal and returns its member order.
func orderedKeys(t *testing.T, s string) []string {
	return append([]string{}, obj(t, s).Keys()...)
}

var stampRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$`)

// withStamp replaces current_datetime with the spec's example value after
// checking its format.
func withStamp(t *testing.T, ac *jsonx.Object) *jsonx.Object {
	t.Helper()
	s, ok := ac.String("current_datetime")
	require.True(t, ok)
	require.Regexp(t, stampRE, s)
	ts, err := time.Parse("2006-01-02T15:04:05.000000Z", s)
	require.NoError(t, err)
	require.WithinDuration(t, time.Now(), ts, time.Minute)
	c := ac.Clone()
	c.Set("current_datetime", "2026-01-01T12:00:00.000000Z")
	return c
}

func TestDefaultDocuments(t *testing.T) {
	agent := DefaultAgentSettings()
	requireKeys(t, agent, "schema_version", "agent_kind", "agent", "llm", "tools", "enable_sub_agents",
		"enable_switch_llm_tool", "tool_concurrency_limit", "mcp_config", "agent_context", "condenser", "verification")

	cases := []struct {
		name string
		got  *jsonx.Object
		want string
	}{
		{"llm", agent.Object("llm"), defaultLLMJSON},
		{"DefaultLLM", DefaultLLM(), defaultLLMJSON},
		{"agent_context", withStamp(t, agent.Object("agent_context")), defaultAgentContextJSON},
		{"condenser", agent.Object("condenser"), defaultCondenserJSON},
		{"verification", agent.Object("verification"), defaultVerificationJSON},
		{"conversation", DefaultConversationSettings(), defaultConversationJSON},
		{"acp llm", DefaultACPAgentSettings().Object("llm"), defaultLLMJSON},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			requireJSON(t, tc.want, tc.got)
			require.Equal(t, orderedKeys(t, tc.want), append([]string{}, tc.got.Keys()...), "declaration order")
		})
	}

	t.Run("top level scalars", func(t *testing.T) {
		for path, want := range map[string]string{
			"schema_version": "5", "agent_kind": `"openhands"`, "agent": `"CodeActAgent"`, "tools": "null",
			"enable_sub_agents": "false", "enable_switch_llm_tool": "true", "tool_concurrency_limit": "1", "mcp_config": "{}",
		} {
			got, ok := get(agent, path)
			require.True(t, ok, path)
			requireJSON(t, want, got)
		}
	})

	t.Run("number literals like upstream", func(t *testing.T) {
		b, err := jsonx.Marshal(agent)
		require.NoError(t, err)
		require.Contains(t, string(b), `"retry_multiplier":8.0`)
		require.Contains(t, string(b), `"minimum_progress":0.1`)
		acp, err := jsonx.Marshal(DefaultACPAgentSettings())
		require.NoError(t, err)
		require.Contains(t, string(acp), `"acp_prompt_timeout":1800.0`)
		require.Contains(t, string(acp), `"acp_startup_timeout":90.0`)
	})

	t.Run("acp", func(t *testing.T) {
		acp := DefaultACPAgentSettings()
		requireKeys(t, acp, "schema_version", "agent_kind", "acp_server", "acp_command", "acp_args", "acp_model",
			"acp_session_mode", "acp_prompt_timeout", "acp_startup_timeout", "mcp_config", "acp_isolate_data_dir",
			"acp_file_secrets", "llm", "agent_context")
		requireJSON(t, defaultFileSecretsJSON, acp.Value("acp_file_secrets"))
		requireJSON(t, `"claude-code"`, acp.Value("acp_server"))
		requireJSON(t, `null`, acp.Value("agent_context"))
		// {"agent_kind": "acp"} validates to the same defaults.
		got, err := ValidateAgentSettings(obj(t, `{"agent_kind":"acp"}`), Input{})
		require.NoError(t, err)
		require.True(t, jsonx.Equal(acp, got))
	})

	t.Run("empty document validates to the defaults", func(t *testing.T) {
		got, err := ValidateAgentSettings(jsonx.NewObject(), Input{})
		require.NoError(t, err)
		got.Object("agent_context").Set("current_datetime", "x")
		want := DefaultAgentSettings()
		want.Object("agent_context").Set("current_datetime", "x")
		require.True(t, jsonx.Equal(want, got))
	})

	t.Run("fresh values", func(t *testing.T) {
		a, b := DefaultAgentSettings(), DefaultAgentSettings()
		a.Object("llm").Set("model", "changed")
		a.Object("mcp_config").Set("x", "y")
		require.Equal(t, "gpt-5.5", b.Object("llm").Value("model"))
		require.Equal(t, 0, b.Object("mcp_config").Len())
	})

	t.Run("DefaultSettings", func(t *testing.T) {
		s := DefaultSettings()
		require.Nil(t, s.ActiveProfile)
		require.Nil(t, s.ActiveAgentProfileID)
		require.Equal(t, 0, s.Misc.Len())
		requireJSON(t, defaultConversationJSON, s.Conversation)
		require.Equal(t, "openhands", s.Agent.Value("agent_kind"))
	})
}
