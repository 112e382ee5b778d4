package model

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/internal/jsonx"
)

type sectionInfo struct {
	key, label string
	variant    any
	fields     []*jsonx.Object
}

func schemaSections(t *testing.T, doc *jsonx.Object) []sectionInfo {
	t.Helper()
	requireKeys(t, doc, "model_name", "sections")
	var out []sectionInfo
	for _, s := range doc.Value("sections").([]any) {
		so := s.(*jsonx.Object)
		requireKeys(t, so, "key", "label", "fields", "variant")
		info := sectionInfo{key: so.Value("key").(string), label: so.Value("label").(string), variant: so.Value("variant")}
		for _, f := range so.Value("fields").([]any) {
			fo := f.(*jsonx.Object)
			requireKeys(t, fo, "key", "label", "description", "section", "section_label", "value_type",
				"default", "prominence", "depends_on", "secret", "choices", "variant")
			require.Equal(t, info.key, fo.Value("section"))
			require.Equal(t, info.label, fo.Value("section_label"))
			require.Contains(t, []string{"string", "integer", "number", "boolean", "array", "object"}, fo.Value("value_type"))
			require.Contains(t, []string{"critical", "major", "minor"}, fo.Value("prominence"))
			info.fields = append(info.fields, fo)
		}
		out = append(out, info)
	}
	return out
}

func fieldKeys(fields []*jsonx.Object) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Value("key").(string)
	}
	return out
}

func findField(t *testing.T, fields []*jsonx.Object, key string) *jsonx.Object {
	t.Helper()
	for _, f := range fields {
		if f.Value("key") == key {
			return f
		}
	}
	require.Failf(t, "field not found", "%s", key)
	return nil
}

func TestConversationSchema(t *testing.T) {
	doc := ConversationSchema()
	require.Equal(t, "ConversationSettings", doc.Value("model_name"))
	secs := schemaSections(t, doc)
	require.Len(t, secs, 2)
	require.Equal(t, "general", secs[0].key)
	require.Equal(t, "General", secs[0].label)
	require.Nil(t, secs[0].variant)
	require.Equal(t, []string{"max_iterations"}, fieldKeys(secs[0].fields))
	require.Equal(t, "verification", secs[1].key)
	require.Equal(t, []string{"confirmation_mode", "security_analyzer"}, fieldKeys(secs[1].fields))

	mi := secs[0].fields[0]
	requireJSON(t, `{"key":"max_iterations","label":"Max iterations","section":"general","section_label":"General",
		"value_type":"integer","default":500,"prominence":"major","depends_on":[],"secret":false,"choices":[],"variant":null,
		"description":"Maximum number of iterations the conversation runs before stopping."}`, mi)
	cm := secs[1].fields[0]
	require.Equal(t, "boolean", cm.Value("value_type"))
	require.Equal(t, false, cm.Value("default"))
	require.Equal(t, "critical", cm.Value("prominence"))
	sa := secs[1].fields[1]
	require.Equal(t, "string", sa.Value("value_type"))
	require.Equal(t, "llm", sa.Value("default"))
	requireJSON(t, `["confirmation_mode"]`, sa.Value("depends_on"))
	requireJSON(t, `[{"value":"llm","label":"llm"},{"value":"none","label":"none"}]`, sa.Value("choices"))
}

func TestAgentSchema(t *testing.T) {
	doc := AgentSchema()
	require.Equal(t, "AgentSettings", doc.Value("model_name"))
	secs := schemaSections(t, doc)
	type sv struct {
		key, label string
		variant    any
	}
	var got []sv
	for _, s := range secs {
		got = append(got, sv{s.key, s.label, s.variant})
	}
	require.Equal(t, []sv{
		{"general", "General", nil},
		{"llm", "LLM", "openhands"},
		{"agent_context", "Memory", "openhands"},
		{"condenser", "Condenser", "openhands"},
		{"verification", "Verification", "openhands"},
		{"acp", "ACP (Agent Client Protocol)", "acp"},
		{"llm", "LLM (for metrics)", "acp"},
	}, got)

	for _, s := range secs {
		for _, f := range s.fields {
			require.NotContains(t, []string{"agent_kind", "schema_version"}, f.Value("key"), "never a field")
		}
	}

	t.Run("general", func(t *testing.T) {
		require.Equal(t, []string{"agent", "tools", "enable_sub_agents", "enable_switch_llm_tool", "tool_concurrency_limit", "mcp_config"}, fieldKeys(secs[0].fields))
		for _, f := range secs[0].fields {
			require.Equal(t, "openhands", f.Value("variant"))
		}
		requireJSON(t, `"CodeActAgent"`, findField(t, secs[0].fields, "agent").Value("default"))
		tools := findField(t, secs[0].fields, "tools")
		require.Equal(t, "array", tools.Value("value_type"))
		require.Nil(t, tools.Value("default"))
		mcp := findField(t, secs[0].fields, "mcp_config")
		require.Equal(t, "object", mcp.Value("value_type"))
		requireJSON(t, `{}`, mcp.Value("default"))
		require.Equal(t, "integer", findField(t, secs[0].fields, "tool_concurrency_limit").Value("value_type"))
	})

	llmKeys := func(prefix string) []string {
		var keys []string
		for _, f := range schemas.llm.fields {
			if f.computed == nil {
				keys = append(keys, prefix+f.name)
			}
		}
		return keys
	}
	for _, idx := range []int{1, 6} {
		s := secs[idx]
		t.Run("llm "+s.label, func(t *testing.T) {
			require.Equal(t, llmKeys("llm."), fieldKeys(s.fields))
			require.NotContains(t, fieldKeys(s.fields), "llm.is_subscription")
			def := DefaultLLM()
			for _, f := range s.fields {
				key := f.Value("key").(string)
				name := key[len("llm."):]
				require.Equal(t, s.variant, f.Value("variant"), key)
				secret := name == "api_key" || name == "aws_access_key_id" || name == "aws_secret_access_key" || name == "aws_session_token"
				require.Equal(t, secret, f.Value("secret"), key)
				require.True(t, jsonx.Equal(def.Value(name), f.Value("default")), key)
			}
			model := findField(t, s.fields, "llm.model")
			requireJSON(t, `{"key":"llm.model","label":"Model","value_type":"string","default":"gpt-5.5","prominence":"critical",
				"depends_on":[],"secret":false,"choices":[]}`, subset(model, "key", "label", "value_type", "default", "prominence", "depends_on", "secret", "choices"))
			apiKey := findField(t, s.fields, "llm.api_key")
			require.Equal(t, "API Key", apiKey.Value("label"))
			require.Equal(t, "critical", apiKey.Value("prominence"))
			sv := findField(t, s.fields, "llm.subscription_vendor")
			requireJSON(t, `["llm.auth_type"]`, sv.Value("depends_on"))
			requireJSON(t, `[{"value":"openai","label":"openai"}]`, sv.Value("choices"))
			requireJSON(t, `[{"value":"api_key","label":"api_key"},{"value":"subscription","label":"subscription"}]`, findField(t, s.fields, "llm.auth_type").Value("choices"))
			require.Equal(t, "Base URL", findField(t, s.fields, "llm.base_url").Value("label"))
			require.Equal(t, "AWS Access Key ID", findField(t, s.fields, "llm.aws_access_key_id").Value("label"))
			require.Equal(t, "number", findField(t, s.fields, "llm.retry_multiplier").Value("value_type"))
			requireJSON(t, `8.0`, findField(t, s.fields, "llm.retry_multiplier").Value("default"))
			require.Equal(t, "integer", findField(t, s.fields, "llm.timeout").Value("value_type"))
			require.Equal(t, "object", findField(t, s.fields, "llm.litellm_extra_body").Value("value_type"))
			require.Equal(t, "boolean", findField(t, s.fields, "llm.stream").Value("value_type"))
			re := findField(t, s.fields, "llm.reasoning_effort")
			require.Equal(t, "string", re.Value("value_type"))
			requireJSON(t, `[]`, re.Value("choices"))
		})
	}

	t.Run("agent_context", func(t *testing.T) {
		require.Equal(t, []string{"agent_context.load_memory"}, fieldKeys(secs[2].fields))
		f := secs[2].fields[0]
		require.Equal(t, "boolean", f.Value("value_type"))
		require.Equal(t, false, f.Value("default"))
		require.Equal(t, "openhands", f.Value("variant"))
	})

	t.Run("condenser", func(t *testing.T) {
		require.Equal(t, []string{"condenser.enabled", "condenser.max_size", "condenser.condenser_kind", "condenser.max_tokens",
			"condenser.keep_first", "condenser.minimum_progress", "condenser.hard_context_reset_max_retries",
			"condenser.hard_context_reset_context_scaling"}, fieldKeys(secs[3].fields))
		kind := findField(t, secs[3].fields, "condenser.condenser_kind")
		requireJSON(t, `[{"value":"llm_summarizing","label":"llm_summarizing"},{"value":"no_op","label":"no_op"}]`, kind.Value("choices"))
		require.Equal(t, "llm_summarizing", kind.Value("default"))
		requireJSON(t, `["condenser.enabled"]`, findField(t, secs[3].fields, "condenser.max_size").Value("depends_on"))
		requireJSON(t, `240`, findField(t, secs[3].fields, "condenser.max_size").Value("default"))
	})

	t.Run("verification", func(t *testing.T) {
		require.Equal(t, []string{"verification.critic_enabled", "verification.critic_mode", "verification.enable_iterative_refinement",
			"verification.critic_threshold", "verification.max_refinement_iterations", "verification.critic_server_url",
			"verification.critic_model_name", "verification.critic_api_key"}, fieldKeys(secs[4].fields))
		require.Equal(t, true, findField(t, secs[4].fields, "verification.critic_api_key").Value("secret"))
		requireJSON(t, `["verification.critic_enabled","verification.enable_iterative_refinement"]`,
			findField(t, secs[4].fields, "verification.critic_threshold").Value("depends_on"))
	})

	t.Run("acp", func(t *testing.T) {
		require.Equal(t, []string{"acp_server", "acp_command", "acp_args", "acp_model", "acp_session_mode",
			"acp_prompt_timeout", "acp_startup_timeout"}, fieldKeys(secs[5].fields))
		for _, f := range secs[5].fields {
			require.Equal(t, "acp", f.Value("variant"))
		}
		srv := findField(t, secs[5].fields, "acp_server")
		require.Equal(t, "claude-code", srv.Value("default"))
		requireJSON(t, `[{"value":"claude-code","label":"claude-code"},{"value":"codex","label":"codex"},{"value":"gemini-cli","label":"gemini-cli"},{"value":"custom","label":"custom"}]`, srv.Value("choices"))
		requireJSON(t, `1800.0`, findField(t, secs[5].fields, "acp_prompt_timeout").Value("default"))
		require.Equal(t, "number", findField(t, secs[5].fields, "acp_prompt_timeout").Value("value_type"))
		require.Equal(t, "array", findField(t, secs[5].fields, "acp_command").Value("value_type"))
	})

	t.Run("copies", func(t *testing.T) {
		a := AgentSchema()
		a.Set("model_name", "changed")
		a.Value("sections").([]any)[0].(*jsonx.Object).Set("key", "changed")
		b := AgentSchema()
		require.Equal(t, "AgentSettings", b.Value("model_name"))
		require.Equal(t, "general", b.Value("sections").([]any)[0].(*jsonx.Object).Value("key"))
		require.True(t, jsonx.Equal(doc, b))
	})
}

func subset(o *jsonx.Object, keys ...string) *jsonx.Object {
	out := jsonx.NewObject()
	for _, k := range keys {
		out.Set(k, o.Value(k))
	}
	return out
}

func TestHumanize(t *testing.T) {
	for in, want := range map[string]string{
		"model": "Model", "api_version": "API Version", "provider_connection_id": "Provider Connection ID",
		"aws_bedrock_runtime_endpoint": "AWS Bedrock Runtime Endpoint", "top_p": "Top P", "litellm_extra_body": "Litellm Extra Body",
		"openrouter_site_url": "Openrouter Site URL", "llm": "LLM",
	} {
		require.Equal(t, want, humanize(in))
	}
}
