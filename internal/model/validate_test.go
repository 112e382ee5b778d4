package model

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/internal/jsonx"
)

// agentWith validates {"<path>": value} built from a dotted path on top of
// an otherwise empty OpenHands document.
func agentWith(t *testing.T, path string, value string) (*jsonx.Object, error) {
	t.Helper()
	doc := nested(t, path, val(t, value))
	if llm := doc.Object("llm"); llm != nil && !llm.Has("model") {
		llm.Set("model", "m")
	}
	return ValidateAgentSettings(doc, Input{})
}

// nested builds {"a": {"b": value}} for "a.b".
func nested(t *testing.T, path string, value any) *jsonx.Object {
	t.Helper()
	parts := splitPath(path)
	doc := jsonx.NewObject()
	cur := doc
	for i, p := range parts {
		if i == len(parts)-1 {
			cur.Set(p, value)
			break
		}
		next := jsonx.NewObject()
		cur.Set(p, next)
		cur = next
	}
	return doc
}

func splitPath(p string) []string {
	var out []string
	start := 0
	for i := 0; i < len(p); i++ {
		if p[i] == '.' {
			out = append(out, p[start:i])
			start = i + 1
		}
	}
	return append(out, p[start:])
}

func TestConstraints(t *testing.T) {
	llm := func(member string) string { return "llm." + member }
	cases := []struct {
		path, value string
		errType     string // "" = valid
		want        string // expected stored value when valid ("" = same as value)
	}{
		{"schema_version", "1", "", ""},
		{"schema_version", "0", "greater_than_equal", ""},
		{"tool_concurrency_limit", "1", "", ""},
		{"tool_concurrency_limit", "0", "greater_than_equal", ""},
		{"tool_concurrency_limit", "2.0", "", "2"},
		{"tool_concurrency_limit", "2.5", "int_from_float", ""},
		{"tool_concurrency_limit", "3e2", "", "300"},
		{"tool_concurrency_limit", `"2"`, "int_type", ""},
		{"tool_concurrency_limit", "true", "int_type", ""},
		{"tool_concurrency_limit", "null", "int_type", ""},
		{"tool_concurrency_limit", "123456789012345678901234567890", "", ""},
		{"tool_concurrency_limit", "1e400", "finite_number", ""},
		{"enable_sub_agents", `"true"`, "bool_type", ""},
		{"enable_sub_agents", "1", "bool_type", ""},
		{"agent", "5", "string_type", ""},
		{"agent", "null", "string_type", ""},
		{"tools", "{}", "list_type", ""},
		{"tools", `[{"name":"T"}]`, "", `[{"name":"T","params":{}}]`},
		{"tools", `[{"name":"T","params":{"a":[1]},"extra":1}]`, "", `[{"name":"T","params":{"a":[1]}}]`},
		{"tools", `[{"name":"  "}]`, "value_error", ""},
		{"tools", `[{}]`, "missing", ""},
		{"tools", `[{"name":"T","params":[]}]`, "dict_type", ""},
		{"tools", `[]`, "", ""},
		{"mcp_config", `[]`, "dict_type", ""},
		{llm("num_retries"), "0", "", ""},
		{llm("num_retries"), "-1", "greater_than_equal", ""},
		{llm("retry_multiplier"), "0", "", ""},
		{llm("retry_multiplier"), "1.5", "", ""},
		{llm("retry_multiplier"), "-0.5", "greater_than_equal", ""},
		{llm("retry_min_wait"), "-1", "greater_than_equal", ""},
		{llm("retry_max_wait"), "-1", "greater_than_equal", ""},
		{llm("timeout"), "null", "", ""},
		{llm("timeout"), "-1", "greater_than_equal", ""},
		{llm("max_message_chars"), "0", "greater_than_equal", ""},
		{llm("temperature"), "0", "", ""},
		{llm("temperature"), "-0.1", "greater_than_equal", ""},
		{llm("top_p"), "1", "", ""},
		{llm("top_p"), "1.01", "less_than_equal", ""},
		{llm("top_p"), "-0.01", "greater_than_equal", ""},
		{llm("top_k"), "-1", "greater_than_equal", ""},
		{llm("max_input_tokens"), "0", "greater_than_equal", ""},
		{llm("max_output_tokens"), "0", "greater_than_equal", ""},
		{llm("input_cost_per_token"), "-1", "greater_than_equal", ""},
		{llm("output_cost_per_token"), "-1", "greater_than_equal", ""},
		{llm("auth_type"), `"subscription"`, "", ""},
		{llm("auth_type"), `"oauth"`, "literal_error", ""},
		{llm("subscription_vendor"), `"openai"`, "", ""},
		{llm("subscription_vendor"), `"anthropic"`, "literal_error", ""},
		{llm("api_mode"), `"responses"`, "", ""},
		{llm("api_mode"), `"x"`, "literal_error", ""},
		{llm("reasoning_effort"), `"anything"`, "", ""},
		{llm("reasoning_effort"), `null`, "", ""},
		{llm("reasoning_summary"), `"concise"`, "", ""},
		{llm("reasoning_summary"), `"x"`, "literal_error", ""},
		{llm("capability_overrides"), `{"a":true,"b":"adaptive"}`, "", ""},
		{llm("capability_overrides"), `{"a":1}`, "bool_type", ""},
		{llm("extra_headers"), `{"X":"y"}`, "", ""},
		{llm("extra_headers"), `{"X":1}`, "string_type", ""},
		{llm("litellm_extra_body"), `{"x":{"y":[null]}}`, "", ""},
		{llm("litellm_extra_body"), `null`, "dict_type", ""},
		{llm("disable_stop_word"), `null`, "", ""},
		{llm("stream"), `null`, "bool_type", ""},
		{llm("seed"), `-3`, "", ""},
		{llm("extended_thinking_budget"), `null`, "", ""},
		{"condenser.max_size", "20", "", ""},
		{"condenser.max_size", "19", "greater_than_equal", ""},
		{"condenser.max_tokens", "1", "", ""},
		{"condenser.max_tokens", "0", "greater_than", ""},
		{"condenser.keep_first", "-1", "greater_than_equal", ""},
		{"condenser.minimum_progress", "0", "greater_than", ""},
		{"condenser.minimum_progress", "1", "less_than", ""},
		{"condenser.minimum_progress", "0.5", "", ""},
		{"condenser.hard_context_reset_max_retries", "0", "greater_than", ""},
		{"condenser.hard_context_reset_context_scaling", "1.0", "less_than", ""},
		{"verification.critic_threshold", "0", "", ""},
		{"verification.critic_threshold", "1", "", ""},
		{"verification.critic_threshold", "1.1", "less_than_equal", ""},
		{"verification.critic_threshold", "-0.1", "greater_than_equal", ""},
		{"verification.max_refinement_iterations", "0", "greater_than_equal", ""},
		{"verification.critic_mode", `"all_actions"`, "", ""},
		{"verification.critic_mode", `"never"`, "literal_error", ""},
		{"agent_context.skills", `[{"name":"a"},{"name":"b"}]`, "", ""},
		{"agent_context.skills", `[{"name":"a"},{"name":"a"}]`, "value_error", ""},
		{"agent_context.skills", `["a"]`, "dict_type", ""},
		{"agent_context.disabled_skills", `[1]`, "string_type", ""},
		{"agent_context.registered_marketplaces", `[{"any":"thing"}]`, "", ""},
		{"agent_context.current_datetime", `"2025-05-05T00:00:00Z"`, "", ""},
		{"agent_context.current_datetime", `null`, "", ""},
		{"agent_context.current_datetime", `5`, "string_type", ""},
		{"agent_context.marketplace_path", `null`, "", ""},
		{"agent_context", `null`, "model_type", ""},
	}
	for _, tc := range cases {
		t.Run(tc.path+"="+tc.value, func(t *testing.T) {
			out, err := agentWith(t, tc.path, tc.value)
			if tc.errType != "" {
				require.Error(t, err)
				loc := "openhands." + tc.path
				if strings.HasPrefix(tc.path, "condenser.") {
					loc = "openhands.condenser.llm_summarizing." + strings.TrimPrefix(tc.path, "condenser.")
				}
				requireInvalidUnder(t, err, tc.errType, loc)
				return
			}
			require.NoError(t, err)
			got, ok := get(out, tc.path)
			require.True(t, ok)
			want := tc.want
			if want == "" {
				want = tc.value
			}
			requireJSON(t, want, got)
		})
	}
}

func TestACPConstraints(t *testing.T) {
	cases := []struct {
		path, value, errType string
	}{
		{"acp_server", `"codex"`, ""},
		{"acp_server", `"gemini-cli"`, ""},
		{"acp_server", `"custom"`, ""},
		{"acp_server", `"other"`, "literal_error"},
		{"acp_prompt_timeout", "0", "greater_than"},
		{"acp_prompt_timeout", "0.5", ""},
		{"acp_startup_timeout", "-1", "greater_than"},
		{"acp_command", `["npx","x"]`, ""},
		{"acp_command", `"npx"`, "list_type"},
		{"acp_args", `[1]`, "string_type"},
		{"acp_model", `null`, ""},
		{"agent_context", `null`, ""},
		{"agent_context", `{}`, ""},
		{"acp_file_secrets", `[]`, ""},
		{"acp_file_secrets", `[{"secret_name":"S","filename":"f.json","env_var":"E","subdir":"a/b"}]`, ""},
		{"acp_file_secrets", `[{"secret_name":"","filename":"f","env_var":"E","subdir":"d"}]`, "string_too_short"},
		{"acp_file_secrets", `[{"secret_name":"S","filename":"a/f","env_var":"E","subdir":"d"}]`, "value_error"},
		{"acp_file_secrets", `[{"secret_name":"S","filename":"..","env_var":"E","subdir":"d"}]`, "value_error"},
		{"acp_file_secrets", `[{"secret_name":"S","filename":"f","env_var":"E","subdir":"../d"}]`, "value_error"},
		{"acp_file_secrets", `[{"secret_name":"S","filename":"f","env_var":"E","subdir":"/abs"}]`, "value_error"},
		{"acp_file_secrets", `[{"secret_name":"S","filename":"f","env_var":"E","subdir":"."}]`, "value_error"},
		{"acp_file_secrets", `[{"secret_name":"S","filename":"f","env_var":"E","subdir":"d","env_points_to":"x"}]`, "literal_error"},
		{"acp_file_secrets", `[{"secret_name":"S","filename":"f","env_var":"E"}]`, "missing"},
	}
	for _, tc := range cases {
		t.Run(tc.path+"="+tc.value, func(t *testing.T) {
			doc := obj(t, `{"agent_kind":"acp"}`)
			doc.Set(tc.path, val(t, tc.value))
			out, err := ValidateAgentSettings(doc, Input{})
			if tc.errType == "" {
				require.NoError(t, err)
				require.Equal(t, "acp", out.Value("agent_kind"))
				return
			}
			require.Error(t, err)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			require.Contains(t, validationTypes(t, err), tc.errType)
		})
	}
	t.Run("file secret defaults", func(t *testing.T) {
		out, err := ValidateAgentSettings(obj(t, `{"agent_kind":"acp","acp_file_secrets":[{"secret_name":"S","filename":"f","env_var":"E","subdir":"d"}]}`), Input{})
		require.NoError(t, err)
		requireJSON(t, `[{"secret_name":"S","filename":"f","env_var":"E","subdir":"d","env_points_to":"file","warn_if_unset":[]}]`, out.Value("acp_file_secrets"))
	})
}

func TestAgentKindDiscriminator(t *testing.T) {
	cases := []struct {
		doc, kind, errType string
	}{
		{`{}`, "openhands", ""},
		{`{"agent_kind":"openhands"}`, "openhands", ""},
		{`{"agent_kind":"llm"}`, "openhands", ""},
		{`{"agent_kind":"acp"}`, "acp", ""},
		{`{"agent_kind":"ACP"}`, "", "union_tag_invalid"},
		{`{"agent_kind":""}`, "", "union_tag_invalid"},
		{`{"agent_kind":null}`, "", "union_tag_invalid"},
		{`{"agent_kind":5}`, "", "union_tag_invalid"},
	}
	for _, tc := range cases {
		t.Run(tc.doc, func(t *testing.T) {
			in := obj(t, tc.doc)
			before := in.Clone()
			out, err := ValidateAgentSettings(in, Input{})
			require.True(t, jsonx.Equal(before, in), "input must not be modified")
			if tc.errType != "" {
				requireInvalid(t, err, tc.errType, "")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.kind, out.Value("agent_kind"))
		})
	}
	t.Run("variant fields of the other kind are dropped", func(t *testing.T) {
		out, err := ValidateAgentSettings(obj(t, `{"agent_kind":"acp","tools":[],"condenser":{}}`), Input{})
		require.NoError(t, err)
		require.False(t, out.Has("tools"))
		require.False(t, out.Has("condenser"))
		out, err = ValidateAgentSettings(obj(t, `{"acp_server":"codex","unknown":1}`), Input{})
		require.NoError(t, err)
		require.False(t, out.Has("acp_server"))
		require.False(t, out.Has("unknown"))
	})
	t.Run("non-object", func(t *testing.T) {
		_, err := ValidateAgentSettings(nil, Input{})
		requireInvalid(t, err, "model_attributes_type", "")
	})
}

func TestCondenserDiscriminator(t *testing.T) {
	cases := []struct {
		doc, want, errType string
	}{
		{`{}`, defaultCondenserJSON, ""},
		{`{"max_size":300}`, `{"enabled":true,"max_size":300,"condenser_kind":"llm_summarizing","max_tokens":null,"keep_first":2,"minimum_progress":0.1,"hard_context_reset_max_retries":5,"hard_context_reset_context_scaling":0.8}`, ""},
		// switching variants: leftover members of the old variant are ignored
		{`{"enabled":true,"max_size":240,"condenser_kind":"no_op","max_tokens":null,"keep_first":2}`, `{"enabled":true,"condenser_kind":"no_op"}`, ""},
		{`{"condenser_kind":"no_op","enabled":false}`, `{"enabled":false,"condenser_kind":"no_op"}`, ""},
		{`{"condenser_kind":"other"}`, "", "union_tag_invalid"},
		{`{"condenser_kind":null}`, "", "union_tag_invalid"},
	}
	for _, tc := range cases {
		t.Run(tc.doc, func(t *testing.T) {
			out, err := ValidateAgentSettings(jsonx.Obj("condenser", obj(t, tc.doc)), Input{})
			if tc.errType != "" {
				requireInvalid(t, err, tc.errType, "openhands.condenser")
				return
			}
			require.NoError(t, err)
			requireJSON(t, tc.want, out.Value("condenser"))
			require.Equal(t, orderedKeys(t, tc.want), append([]string{}, out.Object("condenser").Keys()...))
		})
	}
}

func TestLLMNormalisation(t *testing.T) {
	cases := []struct {
		name, in string
		check    map[string]string // path → expected JSON
		errType  string
	}{
		{"model required", `{"api_key":"k"}`, nil, "value_error"},
		{"model empty", `{"model":""}`, nil, "value_error"},
		{"model null", `{"model":null}`, nil, "value_error"},
		{"model wrong type", `{"model":5}`, nil, "string_type"},
		{"azure default version", `{"model":"azure/gpt-4"}`, map[string]string{"api_version": `"2024-12-01-preview"`}, ""},
		{"azure empty version", `{"model":"azure/gpt-4","api_version":""}`, map[string]string{"api_version": `"2024-12-01-preview"`}, ""},
		{"azure explicit version", `{"model":"azure/gpt-4","api_version":"v1"}`, map[string]string{"api_version": `"v1"`}, ""},
		{"not azure", `{"model":"gpt-4"}`, map[string]string{"api_version": `null`}, ""},
		{"openai base url", `{"model":"openai/gpt-4o","base_url":"https://api.openai.com"}`, map[string]string{"base_url": `null`}, ""},
		{"openai base url slash", `{"model":"openai/gpt-4o","base_url":"https://api.openai.com/"}`, map[string]string{"base_url": `null`}, ""},
		{"openai v1 kept", `{"model":"openai/gpt-4o","base_url":"https://api.openai.com/v1"}`, map[string]string{"base_url": `"https://api.openai.com/v1"`}, ""},
		{"other provider kept", `{"model":"anthropic/x","base_url":"https://api.openai.com"}`, map[string]string{"base_url": `"https://api.openai.com"`}, ""},
		{"is_subscription remembered", `{"model":"m","is_subscription":true}`, map[string]string{"is_subscription": `true`}, ""},
		{"is_subscription false", `{"model":"m","is_subscription":false}`, map[string]string{"is_subscription": `false`}, ""},
		{"is_subscription junk", `{"model":"m","is_subscription":"yes"}`, map[string]string{"is_subscription": `false`}, ""},
		{"unknown dropped", `{"model":"m","fallback_strategy":{},"retry_listener":1,"zzz":2}`, map[string]string{"model": `"m"`}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := obj(t, tc.in)
			before := in.Clone()
			out, err := ValidateLLM(in, Input{})
			require.True(t, jsonx.Equal(before, in), "input must not be modified")
			if tc.errType != "" {
				require.Contains(t, validationTypes(t, err), tc.errType)
				return
			}
			require.NoError(t, err)
			for p, want := range tc.check {
				got, ok := get(out, p)
				require.True(t, ok, p)
				requireJSON(t, want, got)
			}
			require.Equal(t, orderedKeys(t, defaultLLMJSON), append([]string{}, out.Keys()...))
		})
	}
	t.Run("llm inside agent settings requires model", func(t *testing.T) {
		_, err := ValidateAgentSettings(obj(t, `{"llm":{}}`), Input{})
		requireInvalid(t, err, "value_error", "openhands.llm")
		_, err = ValidateAgentSettings(obj(t, `{"llm":"gpt"}`), Input{})
		requireInvalid(t, err, "model_type", "openhands.llm")
	})
}

func TestLookupSecretURL(t *testing.T) {
	cases := []struct {
		env, in, want string
	}{
		{"", "/api/settings/secrets/X", "http://127.0.0.1:8000/api/settings/secrets/X"},
		{"http://127.0.0.1:4321", "/api/settings/secrets/OPENAI_API_KEY", "http://127.0.0.1:4321/api/settings/secrets/OPENAI_API_KEY"},
		{"http://127.0.0.1:4321/", "api/settings/secrets/OPENAI_API_KEY", "http://127.0.0.1:4321/api/settings/secrets/OPENAI_API_KEY"},
		{"http://127.0.0.1:4321", "https://vault.example/x?y=1", "https://vault.example/x?y=1"},
		{"http://127.0.0.1:4321", "//host.example/x", "//host.example/x"},
	}
	for _, tc := range cases {
		t.Run(tc.env+" "+tc.in, func(t *testing.T) {
			t.Setenv("OH_INTERNAL_SERVER_URL", tc.env)
			doc := jsonx.Obj("agent_context", jsonx.Obj("secrets", jsonx.Obj("S", jsonx.Obj("kind", "LookupSecret", "url", tc.in))))
			out, err := ValidateAgentSettings(doc, Input{})
			require.NoError(t, err)
			got, _ := get(out, "agent_context.secrets.S")
			requireJSON(t, `{"description":null,"url":"`+tc.want+`","headers":{},"kind":"LookupSecret"}`, got)
		})
	}
}

func TestSecretSourceDiscriminator(t *testing.T) {
	cases := []struct {
		in, want, errType string
	}{
		{`"plain"`, `"plain"`, ""},
		{`{"kind":"StaticSecret","value":"v"}`, `{"description":null,"value":"v","kind":"StaticSecret"}`, ""},
		{`{"kind":"StaticSecret"}`, `{"description":null,"value":null,"kind":"StaticSecret"}`, ""},
		{`{"kind":"LookupSecret","url":"http://h/x","headers":{"Accept":"json","X-Session-API-Key":"k"},"description":"d"}`,
			`{"description":"d","url":"http://h/x","headers":{"Accept":"json","X-Session-API-Key":"k"},"kind":"LookupSecret"}`, ""},
		{`{"kind":"LookupSecret"}`, "", "missing"},
		{`{"value":"v"}`, "", "union_tag_not_found"},
		{`{"kind":"Other"}`, "", "union_tag_invalid"},
		{`5`, "", "string_type"},
		{`null`, "", "string_type"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			doc := jsonx.Obj("agent_context", jsonx.Obj("secrets", jsonx.Obj("S", val(t, tc.in))))
			out, err := ValidateAgentSettings(doc, Input{})
			if tc.errType != "" {
				require.Contains(t, validationTypes(t, err), tc.errType)
				return
			}
			require.NoError(t, err)
			got, _ := get(out, "agent_context.secrets.S")
			requireJSON(t, tc.want, got)
			if o, ok := got.(*jsonx.Object); ok {
				require.Equal(t, "kind", o.Keys()[o.Len()-1], "kind is emitted last")
			}
		})
	}
}

func TestConversationSettings(t *testing.T) {
	cases := []struct {
		in, want, errType, loc string
	}{
		{`{}`, defaultConversationJSON, "", ""},
		{`{"max_iterations":100,"unknown":1,"workspace":"x"}`, `{"schema_version":1,"max_iterations":100,"confirmation_mode":false,"security_analyzer":"llm"}`, "", ""},
		{`{"security_analyzer":null}`, `{"schema_version":1,"max_iterations":500,"confirmation_mode":false,"security_analyzer":null}`, "", ""},
		{`{"security_analyzer":"none","confirmation_mode":true}`, `{"schema_version":1,"max_iterations":500,"confirmation_mode":true,"security_analyzer":"none"}`, "", ""},
		{`{"max_iterations":0}`, "", "greater_than_equal", "max_iterations"},
		{`{"max_iterations":-5}`, "", "greater_than_equal", "max_iterations"},
		{`{"max_iterations":null}`, "", "int_type", "max_iterations"},
		{`{"confirmation_mode":null}`, "", "bool_type", "confirmation_mode"},
		{`{"security_analyzer":"always"}`, "", "literal_error", "security_analyzer"},
		{`{"schema_version":0}`, "", "greater_than_equal", "schema_version"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			out, err := ValidateConversationSettings(obj(t, tc.in))
			if tc.errType != "" {
				requireInvalid(t, err, tc.errType, tc.loc)
				return
			}
			require.NoError(t, err)
			requireJSON(t, tc.want, out)
			requireKeys(t, out, "schema_version", "max_iterations", "confirmation_mode", "security_analyzer")
		})
	}
}

func TestValidationErrorItems(t *testing.T) {
	_, err := ValidateAgentSettings(obj(t, `{"tool_concurrency_limit":0,"llm":{"model":"m","top_p":2},"verification":{"critic_mode":"x"}}`), Input{})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Items, 3)
	it := ve.Items[0]
	require.Equal(t, "less_than_equal", it.Type)
	require.Equal(t, []any{"openhands", "llm", "top_p"}, it.Loc)
	require.Equal(t, "Input should be less than or equal to 1", it.Msg)
	requireJSON(t, `{"le":1}`, it.Ctx)
	requireJSON(t, `2`, it.Input)
	require.Equal(t, "greater_than_equal", ve.Items[1].Type)
	require.Equal(t, "Input should be greater than or equal to 1", ve.Items[1].Msg)
	require.Equal(t, "literal_error", ve.Items[2].Type)
	require.Equal(t, "Input should be 'finish_and_message' or 'all_actions'", ve.Items[2].Msg)
	require.Contains(t, err.Error(), "3 validation error(s)")
}

func TestPyFloat(t *testing.T) {
	tests := []struct {
		in   float64
		want string // Python repr(float(in))
	}{
		{0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{8, "8.0"},
		{1800, "1800.0"},
		{0.1, "0.1"},
		{0.6, "0.6"},
		{-2.5, "-2.5"},
		{0.0001, "0.0001"},
		{0.00001, "1e-05"},
		{0.000015, "1.5e-05"},
		{2e-6, "2e-06"},
		{1e15, "1000000000000000.0"},
		{1e16, "1e+16"},
		{1.5e16, "1.5e+16"},
		{123456789012345.5, "123456789012345.5"},
		{1e100, "1e+100"},
		{1e-100, "1e-100"},
		{math.MaxFloat64, "1.7976931348623157e+308"},
		{5e-324, "5e-324"},
		{1.0 / 3, "0.3333333333333333"},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, pyFloat(tc.in), "%v", tc.in)
	}
}
