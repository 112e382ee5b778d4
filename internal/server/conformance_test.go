package server

// Conformance audit: one table row (or one assertion block) per normative
// statement of server-api.md, data-model.md and persistence.md that the
// other test files do not already pin down byte for byte. Each block names
// the spec section it checks.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/jsonx"
	"github.com/stretchr/testify/require"
)

// compactJSON compacts a JSON text, keeping member order and number literals.
func compactJSON(t testing.TB, s string) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, json.Compact(&b, []byte(s)), "expected JSON is invalid: %s", s)
	return b.String()
}

var datetimeRe = regexp.MustCompile(`"current_datetime":"([^"]*)"`)

// stableBody replaces agent_context.current_datetime (stamped "now") by a
// fixed text after checking its format.
func stableBody(t testing.TB, body []byte) string {
	t.Helper()
	out := datetimeRe.ReplaceAllStringFunc(string(body), func(m string) string {
		v := datetimeRe.FindStringSubmatch(m)[1]
		require.Regexp(t, `^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$`, v)
		return `"current_datetime":"2026-01-01T12:00:00.000000Z"`
	})
	return out
}

// specDefaultLLM is data-model.md §3.2 "Full default object as emitted".
const specDefaultLLM = `{
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

// specDefaultOpenHands is data-model.md §2.1 "Default document" with the
// §3.2 LLM object inserted.
const specDefaultOpenHands = `{
  "schema_version": 5,
  "agent_kind": "openhands",
  "agent": "CodeActAgent",
  "llm": ` + specDefaultLLM + `,
  "tools": null,
  "enable_sub_agents": false,
  "enable_switch_llm_tool": true,
  "tool_concurrency_limit": 1,
  "mcp_config": {},
  "agent_context": {
    "skills": [], "system_message_suffix": null, "user_message_suffix": null,
    "load_user_skills": false, "load_public_skills": false,
    "marketplace_path": "marketplaces/default.json", "registered_marketplaces": [],
    "load_project_skills": false, "load_memory": false, "disabled_skills": [],
    "secrets": null, "current_datetime": "2026-01-01T12:00:00.000000Z"
  },
  "condenser": {
    "enabled": true, "max_size": 240, "condenser_kind": "llm_summarizing", "max_tokens": null,
    "keep_first": 2, "minimum_progress": 0.1, "hard_context_reset_max_retries": 5,
    "hard_context_reset_context_scaling": 0.8
  },
  "verification": {
    "critic_enabled": false, "critic_mode": "finish_and_message", "enable_iterative_refinement": false,
    "critic_threshold": 0.6, "max_refinement_iterations": 3, "critic_server_url": null,
    "critic_model_name": null, "critic_api_key": null
  }
}`

// specDefaultACP is data-model.md §2.2 in declaration order.
const specDefaultACP = `{
  "schema_version": 5,
  "agent_kind": "acp",
  "acp_server": "claude-code",
  "acp_command": [],
  "acp_args": [],
  "acp_model": null,
  "acp_session_mode": null,
  "acp_prompt_timeout": 1800.0,
  "acp_startup_timeout": 90.0,
  "mcp_config": {},
  "acp_isolate_data_dir": false,
  "acp_file_secrets": [
    {"secret_name": "CODEX_AUTH_JSON", "filename": "auth.json", "env_var": "CODEX_HOME", "subdir": "codex", "env_points_to": "dir", "warn_if_unset": []},
    {"secret_name": "GOOGLE_APPLICATION_CREDENTIALS_JSON", "filename": "gcloud-credentials.json", "env_var": "GOOGLE_APPLICATION_CREDENTIALS", "subdir": "gemini-cli", "env_points_to": "file", "warn_if_unset": ["GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION"]}
  ],
  "llm": ` + specDefaultLLM + `,
  "agent_context": null
}`

const specDefaultConversation = `{"schema_version": 1, "max_iterations": 500, "confirmation_mode": false, "security_analyzer": "llm"}`

// TestConformanceDefaultSettingsExactJSON: server-api.md §4.1 and
// data-model.md §1, §2.1, §3.2, §7 — the exact bytes of GET /api/settings
// with nothing stored, in every exposure mode (no secret is set, so the
// mode does not matter; encrypted without a key is a 200 too, §3.4).
func TestConformanceDefaultSettingsExactJSON(t *testing.T) {
	want := compactJSON(t, `{"agent_settings": `+specDefaultOpenHands+`, "conversation_settings": `+specDefaultConversation+
		`, "llm_api_key_is_set": false, "active_profile": null, "active_agent_profile_id": null, "misc_settings": {}}`)
	tests := []struct {
		name string
		opts []hopt
		hdr  []string
	}{
		{name: "redacted"},
		{name: "plaintext", hdr: []string{"X-Expose-Secrets", "plaintext"}},
		{name: "encrypted", hdr: []string{"X-Expose-Secrets", "encrypted"}},
		{name: "true alias", hdr: []string{"X-Expose-Secrets", "true"}},
		{name: "encrypted without key", opts: []hopt{withNoSecretKey()}, hdr: []string{"X-Expose-Secrets", "encrypted"}},
		{name: "no session keys", opts: []hopt{withKeys()}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.opts...)
			r := h.do("GET", "/api/settings", "", tc.hdr...)
			require.Equal(t, 200, r.Status, "body: %s", r.Body)
			require.Equal(t, "application/json", r.Header.Get("Content-Type"))
			require.Equal(t, want, stableBody(t, r.Body))
			require.Empty(t, h.file("settings.json"), "GET never writes")
		})
	}
}

// TestConformanceACPDefaultsExactJSON: data-model.md §2.2 — a kind switch
// to acp gives exactly the ACP defaults (floats printed 1800.0 / 90.0), and
// server-api.md §4.2.1 — nothing of the old settings is kept.
func TestConformanceACPDefaultsExactJSON(t *testing.T) {
	h := newHarness(t)
	h.patch(`{"agent_settings_diff": {"llm": {"model": "m", "api_key": "sk-old"}, "mcp_config": {"a": {"command": "c"}}}}`)
	r := h.do("PATCH", "/api/settings", `{"agent_settings_diff": {"agent_kind": "acp"}}`)
	require.Equal(t, 200, r.Status, "body: %s", r.Body)
	want := compactJSON(t, `{"agent_settings": `+specDefaultACP+`, "conversation_settings": `+specDefaultConversation+
		`, "llm_api_key_is_set": false, "active_profile": null, "active_agent_profile_id": null, "misc_settings": {}}`)
	require.Equal(t, want, string(r.Body))
	g := h.do("GET", "/api/settings", "", "X-Expose-Secrets", "plaintext")
	require.Equal(t, want, string(g.Body))
}

// TestConformanceFloatFields: data-model.md General rules — upstream prints
// float fields with a decimal point. Values sent for float fields come back
// (and are stored) the way Python prints them; integer fields stay integers.
func TestConformanceFloatFields(t *testing.T) {
	tests := []struct {
		name  string
		diff  string
		path  []string
		want  string // exact JSON text of the member in the response
		onACP bool
	}{
		{"retry_multiplier int", `{"llm": {"retry_multiplier": 2}}`, []string{"llm", "retry_multiplier"}, `2.0`, false},
		{"temperature int", `{"llm": {"temperature": 1}}`, []string{"llm", "temperature"}, `1.0`, false},
		{"temperature fraction", `{"llm": {"temperature": 0.25}}`, []string{"llm", "temperature"}, `0.25`, false},
		{"top_k int", `{"llm": {"top_k": 40}}`, []string{"llm", "top_k"}, `40.0`, false},
		{"cost zero", `{"llm": {"input_cost_per_token": 0}}`, []string{"llm", "input_cost_per_token"}, `0.0`, false},
		{"cost tiny", `{"llm": {"output_cost_per_token": 0.000015}}`, []string{"llm", "output_cost_per_token"}, `1.5e-05`, false},
		{"cost exponent", `{"llm": {"output_cost_per_token": 2E-6}}`, []string{"llm", "output_cost_per_token"}, `2e-06`, false},
		{"huge", `{"llm": {"input_cost_per_token": 1e16}}`, []string{"llm", "input_cost_per_token"}, `1e+16`, false},
		{"large fixed", `{"llm": {"input_cost_per_token": 123456789012345.5}}`, []string{"llm", "input_cost_per_token"}, `123456789012345.5`, false},
		{"critic_threshold", `{"verification": {"critic_threshold": 1}}`, []string{"verification", "critic_threshold"}, `1.0`, false},
		{"int field stays int", `{"llm": {"timeout": 10}}`, []string{"llm", "timeout"}, `10`, false},
		{"int field from float", `{"llm": {"num_retries": 3.0}}`, []string{"llm", "num_retries"}, `3`, false},
		{"acp prompt timeout", `{"acp_prompt_timeout": 123}`, []string{"acp_prompt_timeout"}, `123.0`, true},
		{"acp startup exponent", `{"acp_startup_timeout": 1e2}`, []string{"acp_startup_timeout"}, `100.0`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			if tc.onACP {
				h.patch(`{"agent_settings_diff": {"agent_kind": "acp"}}`)
			}
			r := h.do("PATCH", "/api/settings", `{"agent_settings_diff": `+tc.diff+`}`)
			require.Equal(t, 200, r.Status, "body: %s", r.Body)
			got := rawMember(t, r.Body, append([]string{"agent_settings"}, tc.path...)...)
			require.Equal(t, tc.want, got)
			// Stored the same way (persistence.md §5.1).
			got = rawMember(t, []byte(h.file("settings.json")), append([]string{"agent_settings"}, tc.path...)...)
			require.Equal(t, tc.want, got)
		})
	}
	t.Run("MCP timeouts and OAuth expiry", func(t *testing.T) {
		h := newHarness(t)
		r := h.do("POST", "/api/settings/mcp/s", `{"url": "https://x", "transport": "sse", "timeout": 30, "sse_read_timeout": 5.5,
			"auth": {"strategy": "oauth2", "state": {"tokens": {"access_token": "at"}, "token_expires_at": 12345}}}`)
		require.Equal(t, 201, r.Status, "body: %s", r.Body)
		require.Equal(t, `30.0`, rawMember(t, r.Body, "agent_settings", "mcp_config", "s", "timeout"))
		require.Equal(t, `5.5`, rawMember(t, r.Body, "agent_settings", "mcp_config", "s", "sse_read_timeout"))
		require.Equal(t, `12345.0`, rawMember(t, r.Body, "agent_settings", "mcp_config", "s", "auth", "state", "token_expires_at"))
	})
	t.Run("opaque misc numbers are untouched", func(t *testing.T) {
		h := newHarness(t)
		r := h.do("PATCH", "/api/settings", `{"misc_settings_diff": {"n": 1, "f": 2.50, "e": 1e2}}`)
		require.Equal(t, 200, r.Status)
		require.Equal(t, `{"n":1,"f":2.50,"e":1e2}`, rawMember(t, r.Body, "misc_settings"))
	})
}

// rawMember returns the compact JSON text of the member at path.
func rawMember(t testing.TB, body []byte, path ...string) string {
	t.Helper()
	v, err := jsonx.Parse(body)
	require.NoError(t, err)
	for _, p := range path {
		o, ok := v.(*jsonx.Object)
		require.True(t, ok, "no object at %s", p)
		var present bool
		v, present = o.Get(p)
		require.True(t, present, "missing member %s", p)
	}
	b, err := jsonx.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// TestConformanceExposureModes: server-api.md §3.1–§3.3, §4.1.
func TestConformanceExposureModes(t *testing.T) {
	h := newHarness(t)
	h.patch(`{"agent_settings_diff": {"llm": {"model": "m", "api_key": "sk-mode", "aws_session_token": "aws-tok"},
		"verification": {"critic_api_key": "crit"},
		"mcp_config": {"svc": {"command": "c", "env": {"E": "env-v"}}},
		"agent_context": {"secrets": {"S": "ctx-v"}}}}`)
	secretPaths := map[string][]string{
		"sk-mode": {"llm", "api_key"},
		"aws-tok": {"llm", "aws_session_token"},
		"crit":    {"verification", "critic_api_key"},
		"env-v":   {"mcp_config", "svc", "env", "E"},
		"ctx-v":   {"agent_context", "secrets", "S"},
	}
	tests := []struct {
		header string
		kind   string
	}{
		{"", "marker"}, {"  ", "marker"}, {"encrypted", "token"}, {"TRUE", "token"}, {" true", "token"}, {"Plaintext", "plain"},
	}
	for _, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			m := h.ok(200, "GET", "/api/settings", "", "X-Expose-Secrets", tc.header)
			require.Equal(t, true, m["llm_api_key_is_set"], "independent of the mode")
			a := m["agent_settings"]
			for plain, p := range secretPaths {
				v, ok := at(a, p...).(string)
				require.True(t, ok, "%v", p)
				switch tc.kind {
				case "marker":
					require.Equal(t, "**********", v, "%v", p)
				case "plain":
					require.Equal(t, plain, v, "%v", p)
				case "token":
					require.True(t, strings.HasPrefix(v, "gAAAAA"), "%v", p)
					got, err := h.cipher.Decrypt(v)
					require.NoError(t, err, "%v", p)
					require.Equal(t, plain, got, "%v", p)
				}
			}
			for _, p := range [][]string{{"llm", "aws_access_key_id"}, {"llm", "aws_secret_access_key"}} {
				require.True(t, has(a, p[1], p[0]), "%v present", p)
				require.Nil(t, at(a, p...), "null stays null in every mode (§3.2)")
			}
		})
	}
	t.Run("fresh tokens on every GET", func(t *testing.T) {
		seen := map[string]bool{}
		for i := 0; i < 3; i++ {
			tok := at(h.settings("encrypted"), "agent_settings", "llm", "api_key").(string)
			require.False(t, seen[tok])
			seen[tok] = true
		}
	})
	t.Run("a stored value that already is a valid token is emitted unchanged", func(t *testing.T) {
		h2 := newHarness(t)
		inner, err := h2.cipher.Encrypt("the-secret")
		require.NoError(t, err)
		outer, err := h2.cipher.Encrypt(inner)
		require.NoError(t, err)
		// On disk the value is encrypted once more: it loads as the inner token.
		h2.putFile("settings.json", `{"agent_settings": {"llm": {"model": "m", "api_key": "`+outer+`"}}}`)
		for i := 0; i < 2; i++ {
			require.Equal(t, inner, at(h2.settings("encrypted"), "agent_settings", "llm", "api_key"))
		}
		require.Equal(t, inner, at(h2.settings("plaintext"), "agent_settings", "llm", "api_key"))
	})
	t.Run("llm_api_key_is_set false in every mode", func(t *testing.T) {
		h2 := newHarness(t)
		h2.patch(`{"agent_settings_diff": {"llm": {"api_key": "   "}}}`)
		for _, mode := range []string{"", "plaintext", "encrypted"} {
			require.Equal(t, false, h2.settings(mode)["llm_api_key_is_set"], mode)
		}
	})
}

// TestConformanceBadHeaderPrecedence: server-api.md §3.1 — the header is
// parsed before anything else in the handler (broken file, missing
// profile), and is ignored by every other endpoint.
func TestConformanceBadHeaderPrecedence(t *testing.T) {
	const bad = "Invalid X-Expose-Secrets header value: 'bogus'. Valid values are: 'encrypted', 'plaintext'."
	h := newHarness(t)
	h.putFile("settings.json", "{broken")
	h.do("GET", "/api/settings", "", "X-Expose-Secrets", " BOGUS ").requireDetail(t, 400, bad)
	h.do("GET", "/api/profiles/none", "", "X-Expose-Secrets", "bogus").requireDetail(t, 400, bad)
	// Ignored elsewhere (not even parsed).
	for _, req := range []struct {
		method, path, body string
		status             int
	}{
		{"GET", "/api/settings/secrets", "", 200},
		{"PUT", "/api/settings/secrets", `{"name": "A", "value": "v"}`, 200},
		{"GET", "/api/settings/secrets/A", "", 200},
		{"GET", "/api/profiles", "", 200},
		{"POST", "/api/profiles/p", `{"llm": {"model": "m"}}`, 201},
		{"GET", "/api/settings/agent-schema", "", 200},
	} {
		r := h.do(req.method, req.path, req.body, "X-Expose-Secrets", "bogus")
		require.Equal(t, req.status, r.Status, "%s %s: %s", req.method, req.path, r.Body)
	}
}

// TestConformanceWriteResponsesAreRedacted: server-api.md §4.2 and §4.4 —
// PATCH and the MCP endpoints answer redacted whatever X-Expose-Secrets says.
func TestConformanceWriteResponsesAreRedacted(t *testing.T) {
	h := newHarness(t)
	for _, mode := range []string{"plaintext", "encrypted", "true", "nonsense"} {
		t.Run(mode, func(t *testing.T) {
			m := h.ok(200, "PATCH", "/api/settings", `{"agent_settings_diff": {"llm": {"api_key": "sk-w"}}}`, "X-Expose-Secrets", mode)
			require.Equal(t, "**********", at(m, "agent_settings", "llm", "api_key"))
			key := "srv-" + strings.ReplaceAll(mode, " ", "")
			m = h.ok(201, "POST", "/api/settings/mcp/"+key, `{"command": "c", "env": {"T": "tv"}}`, "X-Expose-Secrets", mode)
			require.Equal(t, "**********", at(m, "agent_settings", "mcp_config", key, "env", "T"))
			m = h.ok(200, "PATCH", "/api/settings/mcp/"+key, `{"env": {"U": "uv"}}`, "X-Expose-Secrets", mode)
			require.Equal(t, map[string]any{"T": "**********", "U": "**********"}, at(m, "agent_settings", "mcp_config", key, "env"))
			m = h.ok(200, "DELETE", "/api/settings/mcp/"+key, "", "X-Expose-Secrets", mode)
			require.Equal(t, "**********", at(m, "agent_settings", "llm", "api_key"))
		})
	}
}

// TestConformanceEmptyDiffRewritesFile: server-api.md §4.2 — {"agent_settings_diff": {}}
// is a 200 that (re)writes the file in the current format; §4.1 — an
// older file is migrated on read but only rewritten by a write.
func TestConformanceEmptyDiffRewritesFile(t *testing.T) {
	for _, body := range []string{`{"agent_settings_diff": {}}`, `{"active_profile": null}`, `{"conversation_settings_diff": {}}`, `{"misc_settings_diff": {}}`} {
		t.Run(body, func(t *testing.T) {
			h := newHarness(t)
			old := `{"agent_settings": {"agent_kind": "llm", "llm": {"model": "old-model", "api_key": "sk-plain-legacy"}}, "active_profile": "p"}`
			h.putFile("settings.json", old)
			require.Equal(t, old, h.file("settings.json"), "GET does not rewrite")
			h.settings("")
			require.Equal(t, old, h.file("settings.json"), "GET does not rewrite")
			m := h.patch(body)
			require.Equal(t, "old-model", at(m, "agent_settings", "llm", "model"))
			require.Equal(t, true, m["llm_api_key_is_set"])
			disk := h.file("settings.json")
			require.NotEqual(t, old, disk)
			var doc map[string]any
			require.NoError(t, json.Unmarshal([]byte(disk), &doc))
			require.Equal(t, 2.0, doc["schema_version"])
			require.Equal(t, 5.0, at(doc, "agent_settings", "schema_version"))
			require.Equal(t, "openhands", at(doc, "agent_settings", "agent_kind"))
			require.NotContains(t, disk, "sk-plain-legacy", "legacy plaintext is encrypted at the next write")
			if body == `{"active_profile": null}` {
				require.Nil(t, doc["active_profile"])
			} else {
				require.Equal(t, "p", doc["active_profile"])
			}
		})
	}
}

// TestConformanceAgentDiffRows: server-api.md §4.2.1.
func TestConformanceAgentDiffRows(t *testing.T) {
	t.Run("agent_kind null deletes the discriminator: validated as openhands", func(t *testing.T) {
		h := newHarness(t)
		h.patch(`{"agent_settings_diff": {"agent_kind": "acp", "acp_model": "claude", "llm": {"model": "acp-llm"}, "mcp_config": {"k": {"command": "c"}}, "agent_context": {"load_memory": true}}}`)
		m := h.patch(`{"agent_settings_diff": {"agent_kind": null}}`)
		a := m["agent_settings"].(map[string]any)
		require.Equal(t, "openhands", a["agent_kind"])
		require.Equal(t, "CodeActAgent", a["agent"])
		require.NotContains(t, a, "acp_model", "ACP members are dropped")
		require.Equal(t, "acp-llm", at(a, "llm", "model"), "merge branch keeps shared members")
		require.Equal(t, "c", at(a, "mcp_config", "k", "command"))
		require.Equal(t, true, at(a, "agent_context", "load_memory"))
	})
	t.Run("agent_kind null on ACP defaults: the null agent_context fails openhands validation", func(t *testing.T) {
		// The merge base carries every null-valued field (§4.2.1); ACP's
		// default agent_context is null, which the openhands variant rejects.
		h := newHarness(t)
		h.patch(`{"agent_settings_diff": {"agent_kind": "acp"}}`)
		h.do("PATCH", "/api/settings", `{"agent_settings_diff": {"agent_kind": null}}`).requireDetail(t, 422, "Settings validation failed")
		m := h.patch(`{"agent_settings_diff": {"agent_kind": null, "agent_context": {}}}`)
		require.Equal(t, "openhands", at(m, "agent_settings", "agent_kind"))
	})
	t.Run("agent_kind null on openhands is a plain merge", func(t *testing.T) {
		h := newHarness(t)
		h.patch(`{"agent_settings_diff": {"llm": {"model": "keep"}}}`)
		m := h.patch(`{"agent_settings_diff": {"agent_kind": null, "enable_sub_agents": true}}`)
		require.Equal(t, "openhands", at(m, "agent_settings", "agent_kind"))
		require.Equal(t, "keep", at(m, "agent_settings", "llm", "model"))
		require.Equal(t, true, at(m, "agent_settings", "enable_sub_agents"))
	})
	t.Run("agent_kind llm always gives fresh openhands settings", func(t *testing.T) {
		for _, start := range []string{`{"llm": {"model": "x", "api_key": "sk"}}`, `{"agent_kind": "acp", "acp_model": "q"}`} {
			h := newHarness(t)
			h.patch(`{"agent_settings_diff": ` + start + `}`)
			m := h.patch(`{"agent_settings_diff": {"agent_kind": "llm", "enable_sub_agents": true}}`)
			a := m["agent_settings"].(map[string]any)
			require.Equal(t, "openhands", a["agent_kind"])
			require.Equal(t, "gpt-5.5", at(a, "llm", "model"))
			require.Equal(t, true, a["enable_sub_agents"])
			require.Equal(t, false, m["llm_api_key_is_set"])
			require.NotContains(t, a, "acp_model")
		}
	})
	t.Run("same-kind legacy mcpServers is 422 unless the diff lowers schema_version", func(t *testing.T) {
		h := newHarness(t)
		before := h.patch(`{"misc_settings_diff": {}}`)
		h.do("PATCH", "/api/settings", `{"agent_settings_diff": {"mcp_config": {"mcpServers": {"f": {"command": "uvx"}}}}}`).
			requireDetail(t, 422, "Settings validation failed")
		require.Equal(t, before, h.settings(""), "nothing changed")
		m := h.patch(`{"agent_settings_diff": {"schema_version": 4, "mcp_config": {"mcpServers": {"f": {"command": "uvx"}}}}}`)
		require.Equal(t, "uvx", at(m, "agent_settings", "mcp_config", "f", "command"))
		require.Equal(t, 5.0, at(m, "agent_settings", "schema_version"))
	})
	t.Run("tools null resets to the default", func(t *testing.T) {
		h := newHarness(t)
		m := h.patch(`{"agent_settings_diff": {"tools": []}}`)
		require.Equal(t, []any{}, at(m, "agent_settings", "tools"))
		m = h.patch(`{"agent_settings_diff": {"tools": null}}`)
		require.True(t, has(m, "tools", "agent_settings"))
		require.Nil(t, at(m, "agent_settings", "tools"))
		m = h.patch(`{"agent_settings_diff": {"tools": [{"name": "terminal"}]}}`)
		require.Equal(t, []any{map[string]any{"name": "terminal", "params": map[string]any{}}}, at(m, "agent_settings", "tools"))
	})
	t.Run("acp_model null resets", func(t *testing.T) {
		h := newHarness(t)
		h.patch(`{"agent_settings_diff": {"agent_kind": "acp", "acp_model": "m1", "acp_session_mode": "s"}}`)
		m := h.patch(`{"agent_settings_diff": {"acp_model": null}}`)
		require.True(t, has(m, "acp_model", "agent_settings"))
		require.Nil(t, at(m, "agent_settings", "acp_model"))
		require.Equal(t, "s", at(m, "agent_settings", "acp_session_mode"))
	})
	t.Run("top-level null resets a non-nullable field to its default", func(t *testing.T) {
		h := newHarness(t)
		h.patch(`{"agent_settings_diff": {"agent": "Other", "llm": {"model": "keep"}}}`)
		m := h.patch(`{"agent_settings_diff": {"agent": null, "llm": null}}`)
		require.Equal(t, "CodeActAgent", at(m, "agent_settings", "agent"))
		require.Equal(t, "gpt-5.5", at(m, "agent_settings", "llm", "model"))
	})
	t.Run("unknown keys are ignored, not stored", func(t *testing.T) {
		h := newHarness(t)
		m := h.patch(`{"agent_settings_diff": {"bogus": 1, "llm": {"model": "m", "bogus2": 2}}}`)
		require.False(t, has(m, "bogus", "agent_settings"))
		require.False(t, has(m, "bogus2", "agent_settings", "llm"))
		require.NotContains(t, h.file("settings.json"), "bogus")
	})
	t.Run("kind switch keeps no secrets", func(t *testing.T) {
		h := newHarness(t)
		h.patch(`{"agent_settings_diff": {"agent_kind": "acp", "llm": {"model": "m", "api_key": "sk-acp"}}}`)
		m := h.patch(`{"agent_settings_diff": {"agent_kind": "openhands"}}`)
		require.Equal(t, false, m["llm_api_key_is_set"])
		require.Nil(t, at(h.settings("plaintext"), "agent_settings", "llm", "api_key"))
	})
}

// TestConformanceConversationDiffRows: server-api.md §4.2.2.
func TestConformanceConversationDiffRows(t *testing.T) {
	tests := []struct {
		diff   string
		status int
		want   string // conversation_settings after a 200
	}{
		{`{"max_iterations": 100}`, 200, `{"schema_version":1,"max_iterations":100,"confirmation_mode":false,"security_analyzer":"llm"}`},
		{`{"security_analyzer": null}`, 200, `{"schema_version":1,"max_iterations":500,"confirmation_mode":false,"security_analyzer":null}`},
		{`{"security_analyzer": "none", "confirmation_mode": true}`, 200, `{"schema_version":1,"max_iterations":500,"confirmation_mode":true,"security_analyzer":"none"}`},
		{`{"unknown": 1, "agent_settings": {"x": 1}}`, 200, `{"schema_version":1,"max_iterations":500,"confirmation_mode":false,"security_analyzer":"llm"}`},
		{`{"schema_version": 1}`, 200, `{"schema_version":1,"max_iterations":500,"confirmation_mode":false,"security_analyzer":"llm"}`},
		{`{"schema_version": 0, "max_iterations": 7}`, 200, `{"schema_version":1,"max_iterations":7,"confirmation_mode":false,"security_analyzer":"llm"}`},
		{`{"schema_version": null}`, 200, `{"schema_version":1,"max_iterations":500,"confirmation_mode":false,"security_analyzer":"llm"}`},
		{`{"max_iterations": 12.0}`, 200, `{"schema_version":1,"max_iterations":12,"confirmation_mode":false,"security_analyzer":"llm"}`},
		{`{"schema_version": true}`, 422, ""},
		{`{"confirmation_mode": null}`, 422, ""},
		{`{"max_iterations": null}`, 422, ""},
		{`{"max_iterations": 0}`, 422, ""},
		{`{"max_iterations": -5}`, 422, ""},
		{`{"max_iterations": "many"}`, 422, ""},
		{`{"security_analyzer": "other"}`, 422, ""},
		{`{"schema_version": 2}`, 422, ""},
	}
	for _, tc := range tests {
		t.Run(tc.diff, func(t *testing.T) {
			h := newHarness(t)
			r := h.do("PATCH", "/api/settings", `{"conversation_settings_diff": `+tc.diff+`}`)
			if tc.status == 422 {
				r.requireDetail(t, 422, "Settings validation failed")
				require.Empty(t, h.file("settings.json"), "nothing written")
				return
			}
			require.Equal(t, 200, r.Status, "body: %s", r.Body)
			require.Equal(t, tc.want, rawMember(t, r.Body, "conversation_settings"))
			require.Equal(t, tc.want, rawMember(t, []byte(h.file("settings.json")), "conversation_settings"))
		})
	}
	t.Run("failed diff leaves every part unchanged (atomic)", func(t *testing.T) {
		h := newHarness(t)
		h.patch(`{"misc_settings_diff": {"a": 1}}`)
		before := h.file("settings.json")
		h.do("PATCH", "/api/settings", `{"misc_settings_diff": {"a": 2}, "agent_settings_diff": {"llm": {"model": "new"}}, "active_profile": "x", "conversation_settings_diff": {"max_iterations": 0}}`).
			requireDetail(t, 422, "Settings validation failed")
		require.Equal(t, before, h.file("settings.json"))
	})
}

// TestConformanceMCPRows: server-api.md §4.4 and data-model.md §6.
func TestConformanceMCPRows(t *testing.T) {
	t.Run("POST stores the body without nulls and defaults", func(t *testing.T) {
		h := newHarness(t, withNoSecretKey())
		r := h.do("POST", "/api/settings/mcp/github", `{"transport": "http", "url": "https://github.example/mcp", "auth": {"strategy": "bearer", "value": "s3cr3t"},
			"command": null, "args": null, "env": null, "headers": {}, "enabled": true, "description": null}`)
		require.Equal(t, 201, r.Status, "body: %s", r.Body)
		require.Equal(t, `{"url":"https://github.example/mcp","transport":"http","auth":{"strategy":"bearer","value":"**********"},"enabled":true}`,
			rawMember(t, r.Body, "agent_settings", "mcp_config", "github"))
		require.Equal(t, `{"url":"https://github.example/mcp","transport":"http","auth":{"strategy":"bearer","value":"s3cr3t"},"enabled":true}`,
			rawMember(t, []byte(h.file("settings.json")), "agent_settings", "mcp_config", "github"))
	})
	t.Run("POST of an empty server", func(t *testing.T) {
		h := newHarness(t)
		r := h.do("POST", "/api/settings/mcp/empty", `{}`)
		require.Equal(t, 201, r.Status, "body: %s", r.Body)
		require.Equal(t, `{"enabled":true}`, rawMember(t, r.Body, "agent_settings", "mcp_config", "empty"))
	})
	t.Run("POST 409 is checked before anything changes", func(t *testing.T) {
		h := newHarness(t)
		h.ok(201, "POST", "/api/settings/mcp/k", `{"command": "one"}`)
		h.do("POST", "/api/settings/mcp/k", `{"command": "two"}`).requireDetail(t, 409, "MCP server 'k' already exists")
		require.Equal(t, "one", at(h.settings(""), "agent_settings", "mcp_config", "k", "command"))
	})
	t.Run("POST validation is the 422 list form with the item shape", func(t *testing.T) {
		h := newHarness(t)
		for _, body := range []string{
			`{"command": "x", "unknown_member": 1}`,
			`{"transport": "stdio"}`,
			`{"transport": "sse"}`,
			`{"transport": "streamable-http"}`,
			`{"transport": "http", "url": "https://x", "auth": {"strategy": "none"}, "headers": {"AUTHORIZATION": "x"}}`,
			`{"transport": "bogus"}`,
			`{"url": ""}`,
			`{"enabled": "maybe"}`,
			`{"auth": {"strategy": "basic"}}`,
			`{"auth": {"strategy": "oauth2", "authentication": {"type": "oauth", "bogus": 1}}}`,
		} {
			r := h.do("POST", "/api/settings/mcp/bad", body)
			for _, it := range r.requireItems(t) {
				requireItemShape(t, it)
				require.Equal(t, "body", it["loc"].([]any)[0], body)
			}
		}
		require.False(t, has(h.settings(""), "bad", "agent_settings", "mcp_config"))
	})
	t.Run("PATCH rows", func(t *testing.T) {
		h := newHarness(t)
		h.ok(201, "POST", "/api/settings/mcp/s", `{"transport": "http", "url": "https://s", "headers": {"X-A": "a", "X-B": "b"},
			"auth": {"strategy": "api_key", "value": "k1", "header_name": "X-Key"}, "enabled": false}`)
		rows := []struct {
			patch string
			want  string // compact redacted server after the PATCH
		}{
			{`{}`, `{"url":"https://s","transport":"http","headers":{"X-A":"**********","X-B":"**********"},"auth":{"strategy":"api_key","value":"**********","header_name":"X-Key"},"enabled":false}`},
			{`{"enabled": null}`, `{"url":"https://s","transport":"http","headers":{"X-A":"**********","X-B":"**********"},"auth":{"strategy":"api_key","value":"**********","header_name":"X-Key"},"enabled":true}`},
			{`{"headers": {"X-A": null}}`, `{"url":"https://s","transport":"http","headers":{"X-B":"**********"},"auth":{"strategy":"api_key","value":"**********","header_name":"X-Key"},"enabled":true}`},
			{`{"auth": {"header_name": "X-Other"}}`, `{"url":"https://s","transport":"http","headers":{"X-B":"**********"},"auth":{"strategy":"api_key","value":"**********","header_name":"X-Other"},"enabled":true}`},
			{`{"headers": {"X-B": null}}`, `{"url":"https://s","transport":"http","auth":{"strategy":"api_key","value":"**********","header_name":"X-Other"},"enabled":true}`},
			{`{"auth": null, "description": "d"}`, `{"url":"https://s","transport":"http","description":"d","enabled":true}`},
			{`{"description": null, "timeout": 9}`, `{"url":"https://s","transport":"http","timeout":9.0,"enabled":true}`},
		}
		for _, row := range rows {
			r := h.do("PATCH", "/api/settings/mcp/s", row.patch)
			require.Equal(t, 200, r.Status, "%s: %s", row.patch, r.Body)
			require.Equal(t, row.want, rawMember(t, r.Body, "agent_settings", "mcp_config", "s"), row.patch)
		}
		p := h.settings("plaintext")
		require.Equal(t, "https://s", at(p, "agent_settings", "mcp_config", "s", "url"))
		// Invalid merged server: fixed 422 string.
		h.do("PATCH", "/api/settings/mcp/s", `{"url": null}`).requireDetail(t, 422, "Settings validation failed")
		h.do("PATCH", "/api/settings/mcp/s", `{"transport": "stdio"}`).requireDetail(t, 422, "Settings validation failed")
		// Unknown member: list form.
		items := h.do("PATCH", "/api/settings/mcp/s", `{"nope": 1}`).requireItems(t)
		requireItemShape(t, items[0])
		require.Equal(t, "https://s", at(h.settings(""), "agent_settings", "mcp_config", "s", "url"))
	})
	t.Run("nested auth merge keeps the secret", func(t *testing.T) {
		h := newHarness(t)
		h.ok(201, "POST", "/api/settings/mcp/b", `{"url": "https://b", "transport": "http", "auth": {"strategy": "basic", "username": "u", "password": "pw"}}`)
		h.ok(200, "PATCH", "/api/settings/mcp/b", `{"auth": {"username": "u2"}}`)
		p := h.settings("plaintext")
		require.Equal(t, map[string]any{"strategy": "basic", "username": "u2", "password": "pw"}, at(p, "agent_settings", "mcp_config", "b", "auth"))
	})
	t.Run("PATCH and DELETE of a missing key are 404 (not 422) even with an invalid body", func(t *testing.T) {
		h := newHarness(t)
		h.do("PATCH", "/api/settings/mcp/none", `{"transport": "stdio"}`).requireDetail(t, 404, "MCP server 'none' was not found")
		h.do("DELETE", "/api/settings/mcp/none", "").requireDetail(t, 404, "MCP server 'none' was not found")
	})
	t.Run("a token from encrypted mode is restored", func(t *testing.T) {
		h := newHarness(t)
		h.ok(201, "POST", "/api/settings/mcp/e", `{"command": "c", "env": {"A": "plain-a"}}`)
		tok := at(h.settings("encrypted"), "agent_settings", "mcp_config", "e", "env", "A").(string)
		h.ok(200, "DELETE", "/api/settings/mcp/e", "")
		h.ok(201, "POST", "/api/settings/mcp/e", `{"command": "c", "env": {"A": "`+tok+`", "B": "**********", "C": " "}}`)
		require.Equal(t, map[string]any{"A": "plain-a"}, at(h.settings("plaintext"), "agent_settings", "mcp_config", "e", "env"))
	})
}

// requireItemShape checks a 422 list item: exactly type, loc, msg, input and
// an optional ctx (server-api.md §1.1).
func requireItemShape(t testing.TB, it map[string]any) {
	t.Helper()
	require.IsType(t, "", it["type"])
	require.IsType(t, []any{}, it["loc"])
	require.IsType(t, "", it["msg"])
	require.Contains(t, it, "input")
	n := 4
	if ctx, ok := it["ctx"]; ok {
		require.IsType(t, map[string]any{}, ctx)
		if e, ok := ctx.(map[string]any)["error"]; ok {
			require.IsType(t, "", e, "ctx.error is a string")
		}
		n = 5
	}
	require.Len(t, it, n, "%v", it)
}

// TestConformanceSecretsRows: server-api.md §5.
func TestConformanceSecretsRows(t *testing.T) {
	h := newHarness(t)
	put := func(body string) map[string]any { return h.ok(200, "PUT", "/api/settings/secrets", body) }
	list := func() []any { return h.ok(200, "GET", "/api/settings/secrets", "")["secrets"].([]any) }
	names := func() []string {
		var out []string
		for _, s := range list() {
			out = append(out, at(s, "name").(string))
		}
		return out
	}
	require.Equal(t, map[string]any{"name": "B_SECOND", "description": "d"}, put(`{"name": "B_SECOND", "value": "b", "description": "d"}`))
	put(`{"name": "A_FIRST", "value": "a"}`)
	put(`{"name": "c_third", "value": "c"}`)
	require.Equal(t, []string{"B_SECOND", "A_FIRST", "c_third"}, names(), "insertion order, not sorted")

	// Upsert keeps the position; the description is overwritten (explicit null or omitted).
	put(`{"name": "B_SECOND", "value": "b2", "description": null}`)
	require.Equal(t, []string{"B_SECOND", "A_FIRST", "c_third"}, names())
	require.Equal(t, map[string]any{"name": "B_SECOND", "description": nil}, list()[0])
	require.Equal(t, "b2", string(h.do("GET", "/api/settings/secrets/B_SECOND", "").Body))

	// Delete then re-add: goes to the end.
	require.Equal(t, map[string]any{"deleted": true}, h.ok(200, "DELETE", "/api/settings/secrets/A_FIRST", ""))
	put(`{"name": "A_FIRST", "value": "a2"}`)
	require.Equal(t, []string{"B_SECOND", "c_third", "A_FIRST"}, names())

	// Names are case-sensitive.
	h.do("GET", "/api/settings/secrets/a_first", "").requireDetail(t, 404, "Secret not found")

	// Blank / marker values: listed, GET 404, DELETE 200.
	for i, v := range []string{"", " \t ", "**********"} {
		name := fmt.Sprintf("BLANK_%d", i)
		require.Equal(t, map[string]any{"name": name, "description": "x"}, put(`{"name": "`+name+`", "value": `+mustJSON(t, v)+`, "description": "x"}`))
		require.Contains(t, names(), name)
		h.do("GET", "/api/settings/secrets/"+name, "").requireDetail(t, 404, "Secret not found")
		require.Equal(t, map[string]any{"deleted": true}, h.ok(200, "DELETE", "/api/settings/secrets/"+name, ""))
	}

	// Token round trip via PUT (valid under the key → reads back decrypted);
	// a token that does not decrypt is stored literally.
	tok, err := h.cipher.Encrypt("round-trip")
	require.NoError(t, err)
	put(`{"name": "TOK", "value": "` + tok + `"}`)
	require.Equal(t, "round-trip", string(h.do("GET", "/api/settings/secrets/TOK", "").Body))
	foreign, err := cipher.New("other key").Encrypt("x")
	require.NoError(t, err)
	put(`{"name": "FOREIGN", "value": "` + foreign + `"}`)
	require.Equal(t, foreign, string(h.do("GET", "/api/settings/secrets/FOREIGN", "").Body))

	// The response never contains a value.
	for _, s := range list() {
		require.Len(t, s, 2)
	}
	// Values are encrypted at rest (persistence.md §5.2) and names are authoritative map keys.
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(h.file("secrets.json")), &doc))
	for name, e := range doc["custom_secrets"].(map[string]any) {
		require.Equal(t, name, at(e, "name"))
		if s, ok := at(e, "secret").(string); ok {
			require.True(t, strings.HasPrefix(s, "gAAAAA"), name)
		}
	}
}

// TestConformanceProfileRows: server-api.md §6 and persistence.md §5.3.
func TestConformanceProfileRows(t *testing.T) {
	t.Run("file format", func(t *testing.T) {
		h := newHarness(t, withNoSecretKey())
		h.ok(201, "POST", "/api/profiles/fast", `{"llm": {"model": "openai/gpt-4o", "api_key": "sk-1", "base_url": "https://litellm.example.com", "temperature": 1, "unknown": 5}}`)
		var doc *jsonx.Object
		v, err := jsonx.Parse([]byte(h.file("profiles/fast.json")))
		require.NoError(t, err)
		doc = v.(*jsonx.Object)
		keys := doc.Keys()
		require.Equal(t, "model", keys[0])
		require.Equal(t, "schema_version", keys[len(keys)-1])
		require.Equal(t, json.Number("1"), doc.Value("schema_version"))
		require.Equal(t, "sk-1", doc.Value("api_key"), "plaintext without a key")
		require.Equal(t, json.Number("1.0"), doc.Value("temperature"))
		require.Equal(t, false, doc.Value("is_subscription"))
		require.Equal(t, "default", doc.Value("usage_id"))
		require.False(t, doc.Has("unknown"))
		for _, k := range keys {
			require.NotNil(t, doc.Value(k), "null members are omitted: %s", k)
		}
		// Expected key order: the LLM declaration order without nulls.
		wantOrder := []string{"model", "api_key", "auth_type", "base_url", "openrouter_site_url", "openrouter_app_name",
			"num_retries", "retry_multiplier", "retry_min_wait", "retry_max_wait", "timeout", "max_message_chars", "temperature",
			"api_mode", "capability_overrides", "stream", "drop_params", "modify_params", "disable_stop_word", "caching_prompt",
			"log_completions", "log_completions_folder", "native_tool_calling", "reasoning_effort", "enable_encrypted_reasoning",
			"prompt_cache_retention", "extended_thinking_budget", "usage_id", "litellm_extra_body", "is_subscription", "schema_version"}
		require.Equal(t, wantOrder, keys)
	})
	t.Run("include_secrets false writes the marker for every set secret", func(t *testing.T) {
		h := newHarness(t)
		h.ok(201, "POST", "/api/profiles/nos", `{"llm": {"model": "m", "api_key": "sk-x", "aws_secret_access_key": "aws-x"}, "include_secrets": false}`)
		f := h.file("profiles/nos.json")
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(f), &doc))
		require.Equal(t, "**********", doc["api_key"])
		require.Equal(t, "**********", doc["aws_secret_access_key"])
		m := h.ok(200, "GET", "/api/profiles/nos", "", "X-Expose-Secrets", "plaintext")
		require.Nil(t, at(m, "config", "api_key"))
		require.Nil(t, at(m, "config", "aws_secret_access_key"))
		require.Equal(t, false, m["api_key_set"])
	})
	t.Run("provider_connection_id clears api_key and base_url before storing", func(t *testing.T) {
		h := newHarness(t)
		h.ok(201, "POST", "/api/profiles/pc", `{"llm": {"model": "m", "api_key": "sk-pc", "base_url": "https://pc", "provider_connection_id": "conn-1", "aws_access_key_id": "ak"}}`)
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(h.file("profiles/pc.json")), &doc))
		require.NotContains(t, doc, "api_key")
		require.NotContains(t, doc, "base_url")
		require.Equal(t, "conn-1", doc["provider_connection_id"])
		require.Contains(t, doc, "aws_access_key_id", "other secrets are kept")
	})
	t.Run("GET without header: api_key null, aws markers", func(t *testing.T) {
		h := newHarness(t)
		h.ok(201, "POST", "/api/profiles/aws", `{"llm": {"model": "bedrock/x", "api_key": "sk-a", "aws_access_key_id": "AK", "aws_secret_access_key": "SK", "aws_session_token": "ST"}}`)
		r := h.do("GET", "/api/profiles/aws", "")
		require.Equal(t, 200, r.Status)
		require.NotContains(t, string(r.Body), "sk-a")
		m := r.JSON(t)
		require.Equal(t, []string{"api_key_set", "config", "name"}, sortedKeys(m))
		c := m["config"].(map[string]any)
		require.Nil(t, c["api_key"])
		require.Contains(t, c, "api_key")
		for _, f := range []string{"aws_access_key_id", "aws_secret_access_key", "aws_session_token"} {
			require.Equal(t, "**********", c[f], f)
		}
		require.Equal(t, true, m["api_key_set"])
		require.NotContains(t, c, "schema_version")
		require.Equal(t, false, c["is_subscription"])
		// Every LLM field is present, in declaration order (data-model.md §3.2).
		var def map[string]any
		require.NoError(t, json.Unmarshal([]byte(specDefaultLLM), &def))
		require.Equal(t, sortedKeys(def), sortedKeys(c))
		wantOrder := jsonKeys(t, specDefaultLLM)
		require.Equal(t, wantOrder, jsonKeys(t, rawMember(t, r.Body, "config")))
	})
	t.Run("list: sorted by file name, invalid files skipped, ProfileInfo shape", func(t *testing.T) {
		h := newHarness(t)
		for _, n := range []string{"b", "B", "a.1", "a-1", "a_1", "Z9"} {
			h.ok(201, "POST", "/api/profiles/"+n, `{"llm": {"model": "m-`+n+`"}}`)
		}
		h.putFile("profiles/zz.json", `"a string"`)
		h.putFile("profiles/zy.json", `{bad`)
		h.putFile("profiles/_under.json", `{"model": "x"}`)
		h.putFile("profiles/sub.txt", `{"model": "x"}`)
		h.putFile("profiles/proxy.json", `{"model": "litellm_proxy/gpt-5.5", "base_url": "https://llm-proxy.app.all-hands.dev/", "api_key": "sk-raw"}`)
		list := h.ok(200, "GET", "/api/profiles", "")
		require.Equal(t, []string{"active_profile", "profiles"}, sortedKeys(list))
		var got []string
		for _, p := range list["profiles"].([]any) {
			pm := p.(map[string]any)
			require.Equal(t, []string{"api_key_set", "base_url", "model", "name", "provider_connection_broken", "provider_connection_id"}, sortedKeys(pm))
			got = append(got, pm["name"].(string))
			if pm["name"] == "proxy" {
				require.Equal(t, "openhands/gpt-5.5", pm["model"], "canonicalised (persistence.md §8.2)")
				require.Nil(t, pm["base_url"])
				require.Equal(t, true, pm["api_key_set"])
			}
		}
		require.Equal(t, []string{"B", "Z9", "a-1", "a.1", "a_1", "b", "proxy"}, got)
	})
	t.Run("limit counts only valid names and applies to new names only", func(t *testing.T) {
		h := newHarness(t)
		for i := 0; i < 50; i++ {
			h.putFile(fmt.Sprintf("profiles/p%02d.json", i), `{"model": "m"}`)
		}
		h.putFile("profiles/zz.json", `{corrupt`) // a valid name: counts even though it does not load
		h.do("POST", "/api/profiles/new", `{"llm": {"model": "m"}}`).requireDetail(t, 409, "Profile limit reached (50). Delete a profile before saving a new one.")
		h.ok(201, "POST", "/api/profiles/zz", `{"llm": {"model": "fixed"}}`)
		h.ok(201, "POST", "/api/profiles/p00", `{"llm": {"model": "over"}}`)
	})
	t.Run("activate replaces the LLM as a whole, both variants", func(t *testing.T) {
		for _, kind := range []string{"openhands", "acp"} {
			h := newHarness(t)
			h.ok(201, "POST", "/api/profiles/target", `{"llm": {"model": "openai/target-model", "base_url": "https://api.example.test/v1", "api_key": "sk-t"}}`)
			h.patch(`{"agent_settings_diff": {"agent_kind": "` + kind + `", "llm": {"model": "openai/qwen3", "temperature": 0.5, "aws_region_name": "r", "litellm_extra_body": {"enable_thinking": true}}}}`)
			m := h.ok(200, "POST", "/api/profiles/target/activate", "")
			require.Equal(t, true, m["llm_applied"])
			s := h.settings("plaintext")
			require.Equal(t, kind, at(s, "agent_settings", "agent_kind"))
			llm := at(s, "agent_settings", "llm").(map[string]any)
			require.Equal(t, "openai/target-model", llm["model"])
			require.Equal(t, "sk-t", llm["api_key"])
			require.Nil(t, llm["temperature"])
			require.Nil(t, llm["aws_region_name"])
			require.Equal(t, map[string]any{}, llm["litellm_extra_body"])
			require.Equal(t, "target", s["active_profile"])
			require.Equal(t, true, s["llm_api_key_is_set"])
			require.Equal(t, rawMember(t, h.do("GET", "/api/profiles/target", "", "X-Expose-Secrets", "plaintext").Body, "config"),
				rawMember(t, h.do("GET", "/api/settings", "", "X-Expose-Secrets", "plaintext").Body, "agent_settings", "llm"))
		}
	})
	t.Run("PATCH active_profile auto-load equals activate", func(t *testing.T) {
		h := newHarness(t)
		h.ok(201, "POST", "/api/profiles/target", `{"llm": {"model": "openai/target-model", "api_key": "sk-t", "timeout": null, "aws_region_name": "r"}}`)
		h.patch(`{"agent_settings_diff": {"llm": {"model": "old", "temperature": 0.5, "base_url": "https://old", "api_key": "sk-old"}}}`)
		m := h.patch(`{"active_profile": "target"}`)
		require.Equal(t, "target", m["active_profile"])
		require.Equal(t, rawMember(t, h.do("GET", "/api/profiles/target", "", "X-Expose-Secrets", "plaintext").Body, "config"),
			rawMember(t, h.do("GET", "/api/settings", "", "X-Expose-Secrets", "plaintext").Body, "agent_settings", "llm"))
		// Spec nuance: the profile LLM is injected as agent_settings_diff.llm
		// and merge-patched (§4.2.1), so nested objects such as
		// litellm_extra_body are merged, not replaced (activate replaces).
		h.patch(`{"agent_settings_diff": {"llm": {"litellm_extra_body": {"x": 1}}}}`)
		m = h.patch(`{"active_profile": "target"}`)
		require.Equal(t, map[string]any{"x": 1.0}, at(m, "agent_settings", "llm", "litellm_extra_body"))
		h.ok(200, "POST", "/api/profiles/target/activate", "")
		require.Equal(t, map[string]any{}, at(h.settings(""), "agent_settings", "llm", "litellm_extra_body"))
	})
	t.Run("delete clears the pointer; rename same name", func(t *testing.T) {
		h := newHarness(t)
		h.ok(201, "POST", "/api/profiles/p", `{"llm": {"model": "m"}}`)
		h.ok(200, "POST", "/api/profiles/p/activate", "")
		require.Equal(t, map[string]any{"name": "p", "message": "Profile 'p' unchanged (same name)"},
			h.ok(200, "POST", "/api/profiles/p/rename", `{"new_name": "p"}`))
		require.Equal(t, "p", h.ok(200, "GET", "/api/profiles", "")["active_profile"])
		require.Equal(t, map[string]any{"name": "p", "message": "Profile 'p' deleted"}, h.ok(200, "DELETE", "/api/profiles/p", ""))
		require.Nil(t, h.ok(200, "GET", "/api/profiles", "")["active_profile"])
		require.Nil(t, h.settings("")["active_profile"])
		require.Equal(t, "m", at(h.settings(""), "agent_settings", "llm", "model"))
	})
	t.Run("encrypted profile GET and round trip", func(t *testing.T) {
		h := newHarness(t)
		h.ok(201, "POST", "/api/profiles/rt", `{"llm": {"model": "gpt-4o", "api_key": "sk-original-secret"}}`)
		a := at(h.ok(200, "GET", "/api/profiles/rt", "", "X-Expose-Secrets", "encrypted"), "config", "api_key").(string)
		b := at(h.ok(200, "GET", "/api/profiles/rt", "", "X-Expose-Secrets", "true"), "config", "api_key").(string)
		require.NotEqual(t, a, b)
		h.ok(201, "POST", "/api/profiles/rt", `{"llm": {"model": "gpt-4o-mini", "api_key": "`+a+`"}, "include_secrets": true}`)
		m := h.ok(200, "GET", "/api/profiles/rt", "", "X-Expose-Secrets", "plaintext")
		require.Equal(t, "sk-original-secret", at(m, "config", "api_key"))
		require.Equal(t, "gpt-4o-mini", at(m, "config", "model"))
		// An undecryptable token is kept verbatim (and encrypted again at rest).
		foreign, err := cipher.New("other").Encrypt("x")
		require.NoError(t, err)
		h.ok(201, "POST", "/api/profiles/rt", `{"llm": {"model": "m", "api_key": "`+foreign+`"}}`)
		require.Equal(t, foreign, at(h.ok(200, "GET", "/api/profiles/rt", "", "X-Expose-Secrets", "plaintext"), "config", "api_key"))
	})
	t.Run("model must be non-empty", func(t *testing.T) {
		h := newHarness(t)
		for _, body := range []string{`{"llm": {}}`, `{"llm": {"model": ""}}`, `{"llm": {"model": null}}`} {
			for _, it := range h.do("POST", "/api/profiles/x", body).requireItems(t) {
				requireItemShape(t, it)
			}
		}
	})
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// jsonKeys lists the member names of a JSON object text in order.
func jsonKeys(t testing.TB, s string) []string {
	t.Helper()
	o, err := jsonx.ParseObject([]byte(s))
	require.NoError(t, err)
	return o.Keys()
}

// TestConformanceSettingsFileFormat: persistence.md §5.1.
func TestConformanceSettingsFileFormat(t *testing.T) {
	h := newHarness(t)
	h.patch(`{"agent_settings_diff": {"llm": {"model": "gpt-4o", "api_key": "sk-disk"}, "mcp_config": {"github": {"command": "uvx", "env": {"GITHUB_TOKEN": "ghp-disk"}}}},
		"misc_settings_diff": {"ui": {"theme": "dark"}}, "active_agent_profile_id": "12345678-1234-1234-1234-1234567890ab"}`)
	disk := h.file("settings.json")
	require.NotContains(t, disk, "sk-disk")
	require.NotContains(t, disk, "ghp-disk")
	require.Equal(t, []string{"schema_version", "agent_settings", "conversation_settings", "active_profile", "active_agent_profile_id", "misc_settings"}, jsonKeys(t, disk))
	require.Equal(t, `2`, rawMember(t, []byte(disk), "schema_version"))
	require.Equal(t, compactJSON(t, specDefaultConversation), rawMember(t, []byte(disk), "conversation_settings"))
	require.Equal(t, `null`, rawMember(t, []byte(disk), "active_profile"))
	require.Equal(t, `{"ui":{"theme":"dark"}}`, rawMember(t, []byte(disk), "misc_settings"))
	// The agent document is complete: same members, same order as the response.
	require.Equal(t, jsonKeys(t, specDefaultOpenHands), jsonKeys(t, rawMember(t, []byte(disk), "agent_settings")))
	require.Equal(t, jsonKeys(t, specDefaultLLM), jsonKeys(t, rawMember(t, []byte(disk), "agent_settings", "llm")))
	require.Equal(t, []string{"command", "env", "enabled"}, jsonKeys(t, rawMember(t, []byte(disk), "agent_settings", "mcp_config", "github")))
	tok := at(mustDecode(t, mustParse(t, disk)), "agent_settings", "mcp_config", "github", "env", "GITHUB_TOKEN").(string)
	plain, err := h.cipher.Decrypt(tok)
	require.NoError(t, err)
	require.Equal(t, "ghp-disk", plain)
	// Written like upstream: 2-space indent, ASCII only, no trailing newline.
	require.True(t, strings.HasPrefix(disk, "{\n  \"schema_version\": 2,\n  \"agent_settings\": {\n    \"schema_version\": 5,"), disk[:80])
	require.False(t, strings.HasSuffix(disk, "\n"))
}

// TestConformanceErrorEnvelopes: server-api.md §1.1 — exact 5xx shapes.
func TestConformanceErrorEnvelopes(t *testing.T) {
	t.Run("HTTPException >= 500: exactly detail and exception", func(t *testing.T) {
		h := newHarness(t, withNoSecretKey())
		h.patch(`{"agent_settings_diff": {"llm": {"api_key": "sk"}}}`)
		r := h.do("GET", "/api/settings", "", "X-Expose-Secrets", "encrypted")
		require.Equal(t, 503, r.Status)
		require.Equal(t, "application/json", r.Header.Get("Content-Type"))
		require.Equal(t, `{"detail":"Internal Server Error","exception":"503: Encryption not available: OH_SECRET_KEY is not configured. Cannot return encrypted secrets."}`, string(r.Body))
	})
	t.Run("debug adds traceback", func(t *testing.T) {
		h := newHarness(t, withNoSecretKey(), withDebug())
		h.patch(`{"agent_settings_diff": {"llm": {"api_key": "sk"}}}`)
		m := h.do("GET", "/api/settings", "", "X-Expose-Secrets", "true").JSON(t)
		require.Equal(t, "Internal Server Error", m["detail"])
		require.Equal(t, "503: "+noCipherDetail, m["exception"])
		require.IsType(t, "", m["traceback"])
		require.Len(t, m, 3)
	})
	t.Run("4xx: exactly detail", func(t *testing.T) {
		h := newHarness(t)
		for _, req := range []struct{ method, path, body string }{
			{"PATCH", "/api/settings", `{}`},
			{"GET", "/api/settings/secrets/1x", ""},
			{"DELETE", "/api/settings/mcp/x", ""},
			{"GET", "/api/profiles/x", ""},
		} {
			r := h.do(req.method, req.path, req.body)
			require.Less(t, r.Status, 500)
			require.Len(t, r.JSON(t), 1, "%s %s: %s", req.method, req.path, r.Body)
			require.IsType(t, "", r.JSON(t)["detail"])
		}
	})
}

// TestConformanceAuthRows: server-api.md §1.2, §2.2.
func TestConformanceAuthRows(t *testing.T) {
	h := newHarness(t, withKeys("Test-Key-123", "key@with#special$chars"))
	tests := []struct {
		name   string
		hdr    []string
		status int
	}{
		{"exact", []string{"X-Session-API-Key", "Test-Key-123"}, 200},
		{"second key", []string{"X-Session-API-Key", "key@with#special$chars"}, 200},
		{"lower header name", []string{"x-session-api-key", "Test-Key-123"}, 200},
		{"upper header name", []string{"X-SESSION-API-KEY", "Test-Key-123"}, 200},
		{"case differs", []string{"X-Session-API-Key", "test-key-123"}, 401},
		{"value with suffix", []string{"X-Session-API-Key", "Test-Key-123 x"}, 401},
		{"missing", nil, 401},
		{"query param", nil, 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := "/api/settings"
			if tc.name == "query param" {
				path += "?session_api_key=Test-Key-123"
			}
			r := h.raw("GET", path, "", tc.hdr...)
			require.Equal(t, tc.status, r.Status, "body: %s", r.Body)
			if tc.status == 401 {
				require.Equal(t, `{"detail":"Unauthorized"}`, string(r.Body))
				require.Empty(t, r.Header.Get("WWW-Authenticate"))
			}
		})
	}
	t.Run("routing answers before auth, OPTIONS never 401", func(t *testing.T) {
		for _, req := range []struct {
			method, path string
			status       int
		}{
			{"OPTIONS", "/api/settings", 405},
			{"OPTIONS", "/api/settings/secrets/X", 405},
			{"OPTIONS", "/api/profiles/p/activate", 405},
			{"GET", "/api/unknown", 404},
			{"PUT", "/api/settings/mcp/x", 405},
			{"POST", "/api/settings/mcp/github/", 307},
			{"POST", "/api/settings/mcp/", 404},
			{"GET", "/api/init", 404},
		} {
			r := h.raw(req.method, req.path, "")
			require.Equal(t, req.status, r.Status, "%s %s: %s", req.method, req.path, r.Body)
		}
	})
}

// TestConformanceIncomingSecretRows: server-api.md §3.5 and data-model.md
// §10 — how each secret location treats an incoming value in a write.
func TestConformanceIncomingSecretRows(t *testing.T) {
	foreign, err := cipher.New("a different key").Encrypt("foreign-plain")
	require.NoError(t, err)
	type loc struct {
		name string
		diff func(v string) string // agent_settings_diff carrying v
		path []string              // where to read it back (plaintext)
		kind string                // "field", "entry", "verbatim"
	}
	locs := []loc{
		{"llm api_key", func(v string) string { return `{"llm": {"api_key": ` + v + `}}` }, []string{"llm", "api_key"}, "field"},
		{"llm aws_secret_access_key", func(v string) string { return `{"llm": {"aws_secret_access_key": ` + v + `}}` }, []string{"llm", "aws_secret_access_key"}, "field"},
		{"critic_api_key", func(v string) string { return `{"verification": {"critic_api_key": ` + v + `}}` }, []string{"verification", "critic_api_key"}, "field"},
		{"mcp env entry", func(v string) string { return `{"mcp_config": {"s": {"command": "c", "env": {"E": ` + v + `}}}}` }, []string{"mcp_config", "s", "env", "E"}, "entry"},
		{"mcp header entry", func(v string) string {
			return `{"mcp_config": {"s": {"url": "https://s", "transport": "http", "headers": {"X-K": ` + v + `}}}}`
		}, []string{"mcp_config", "s", "headers", "X-K"}, "entry"},
		{"mcp bearer value", func(v string) string {
			return `{"mcp_config": {"s": {"url": "https://s", "transport": "http", "auth": {"strategy": "bearer", "value": ` + v + `}}}}`
		}, []string{"mcp_config", "s", "auth", "value"}, "field"},
		{"mcp header-auth entry", func(v string) string {
			return `{"mcp_config": {"s": {"url": "https://s", "transport": "http", "auth": {"strategy": "header", "headers": {"X-H": ` + v + `}}}}}`
		}, []string{"mcp_config", "s", "auth", "headers", "X-H"}, "entry"},
		{"agent_context secret string", func(v string) string { return `{"agent_context": {"secrets": {"S": ` + v + `}}}` }, []string{"agent_context", "secrets", "S"}, "verbatim"},
		{"StaticSecret value", func(v string) string {
			return `{"agent_context": {"secrets": {"S": {"kind": "StaticSecret", "value": ` + v + `}}}}`
		}, []string{"agent_context", "secrets", "S", "value"}, "field"},
		{"LookupSecret header", func(v string) string {
			return `{"agent_context": {"secrets": {"S": {"kind": "LookupSecret", "url": "http://x/y", "headers": {"X-Session-API-Key": ` + v + `}}}}}`
		}, []string{"agent_context", "secrets", "S", "headers", "X-Session-API-Key"}, "verbatim"},
	}
	for _, l := range locs {
		t.Run(l.name, func(t *testing.T) {
			h := newHarness(t)
			read := func() (any, bool) {
				m := h.settings("plaintext")
				parent := at(m["agent_settings"], l.path[:len(l.path)-1]...)
				pm, ok := parent.(map[string]any)
				if !ok {
					return nil, false
				}
				v, ok := pm[l.path[len(l.path)-1]]
				return v, ok
			}
			set := func(v string) {
				t.Helper()
				h.patch(`{"agent_settings_diff": ` + l.diff(v) + `}`)
			}
			// Plain string: stored as the secret.
			set(`"plain-1"`)
			v, ok := read()
			require.True(t, ok)
			require.Equal(t, "plain-1", v)
			// A token valid under the key: stored decrypted.
			tok, err := h.cipher.Encrypt("from-token")
			require.NoError(t, err)
			set(`"` + tok + `"`)
			v, _ = read()
			require.Equal(t, "from-token", v)
			// Blank and marker: no value.
			for _, blank := range []string{`""`, `"  "`, `"**********"`} {
				set(`"plain-2"`)
				set(blank)
				v, ok = read()
				switch l.kind {
				case "entry":
					require.False(t, ok, "%s: entry removed", blank)
				case "verbatim":
					if l.name == "LookupSecret header" {
						require.False(t, ok, "%s: header dropped", blank)
					} else {
						require.Nil(t, v, blank)
					}
				default:
					require.Nil(t, v, blank)
				}
			}
			// A token that does not decrypt.
			set(`"plain-3"`)
			set(`"` + foreign + `"`)
			v, ok = read()
			switch l.kind {
			case "field":
				// null (MCP objects are compact: the member is omitted).
				require.Nil(t, v)
				require.Equal(t, !strings.HasPrefix(l.name, "mcp"), ok)
			case "entry":
				require.False(t, ok)
			case "verbatim":
				require.Equal(t, foreign, v)
			}
		})
	}
	t.Run("without a key every token is stored literally", func(t *testing.T) {
		h := newHarness(t, withNoSecretKey())
		for _, l := range locs {
			h.patch(`{"agent_settings_diff": ` + l.diff(`"`+foreign+`"`) + `}`)
			require.Equal(t, foreign, at(h.settings("plaintext")["agent_settings"], l.path...), l.name)
		}
	})
}

// TestConformanceSchemaVersionRows: persistence.md §7 and §8 — which
// schema_version values make a file unloadable (GET → defaults, PATCH →
// 409, file untouched) and which load.
func TestConformanceSchemaVersionRows(t *testing.T) {
	tests := []struct {
		file     string
		loadable bool
	}{
		{`{"schema_version": null, "active_profile": "p"}`, true},
		{`{"schema_version": 0, "active_profile": "p"}`, true},
		{`{"schema_version": false, "active_profile": "p"}`, true},
		{`{"schema_version": "", "active_profile": "p"}`, true},
		{`{"schema_version": 0.0, "active_profile": "p"}`, true},
		{`{"schema_version": 1, "active_profile": "p"}`, true},
		{`{"schema_version": 2, "active_profile": "p"}`, true},
		{`{"schema_version": 3, "active_profile": "p"}`, false},
		{`{"schema_version": "2", "active_profile": "p"}`, false},
		{`{"schema_version": 1.0, "active_profile": "p"}`, false},
		{`{"schema_version": true, "active_profile": "p"}`, false},
		{`{"agent_settings": {"schema_version": null}, "active_profile": "p"}`, true},
		{`{"agent_settings": {"schema_version": 5}, "active_profile": "p"}`, true},
		{`{"agent_settings": {"schema_version": 6}, "active_profile": "p"}`, false},
		{`{"agent_settings": {"schema_version": -1}, "active_profile": "p"}`, false},
		{`{"agent_settings": {"schema_version": true}, "active_profile": "p"}`, false},
		{`{"agent_settings": {"schema_version": "5"}, "active_profile": "p"}`, false},
		{`{"conversation_settings": {"schema_version": null}, "active_profile": "p"}`, true},
		{`{"conversation_settings": {"schema_version": 2}, "active_profile": "p"}`, false},
		{`{"conversation_settings": {"schema_version": false}, "active_profile": "p"}`, false},
		{`[]`, false},
		{`{"agent_settings": {"agent_kind": "martian"}, "active_profile": "p"}`, false},
		{`{"misc_settings": [], "active_profile": "p"}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			h := newHarness(t)
			h.putFile("settings.json", tc.file)
			m := h.settings("")
			r := h.do("PATCH", "/api/settings", `{"misc_settings_diff": {"x": 1}}`)
			if tc.loadable {
				require.Equal(t, "p", m["active_profile"])
				require.Equal(t, 200, r.Status, "body: %s", r.Body)
				require.Equal(t, "p", r.JSON(t)["active_profile"])
				return
			}
			require.Nil(t, m["active_profile"], "defaults")
			r.requireDetail(t, 409, "Settings file is corrupted or encrypted with a different key")
			require.Equal(t, tc.file, h.file("settings.json"))
		})
	}
	t.Run("profile files", func(t *testing.T) {
		rows := []struct {
			file string
			ok   bool
		}{
			{`{"model": "m"}`, true},
			{`{"model": "m", "schema_version": 1}`, true},
			{`{"model": "m", "schema_version": 0}`, true},
			{`{"model": "m", "schema_version": null}`, true},
			{`{"model": "m", "schema_version": false}`, true},
			{`{"model": "m", "schema_version": 2}`, false},
			{`{"model": "m", "schema_version": "1"}`, false},
			{`{"model": ""}`, false},
			{`{"api_key": "k"}`, false},
		}
		for _, row := range rows {
			h := newHarness(t)
			h.putFile("profiles/p.json", row.file)
			r := h.do("GET", "/api/profiles/p", "")
			if row.ok {
				require.Equal(t, 200, r.Status, "%s: %s", row.file, r.Body)
				continue
			}
			require.Equal(t, 400, r.Status, "%s: %s", row.file, r.Body)
			require.True(t, strings.HasPrefix(r.JSON(t)["detail"].(string), "Failed to load profile `p`: "), "%s", r.Body)
			h.do("POST", "/api/profiles/p/activate", "").requireDetail(t, 400, r.JSON(t)["detail"].(string))
			h.do("PATCH", "/api/settings", `{"active_profile": "p"}`).requireDetail(t, 400, r.JSON(t)["detail"].(string))
		}
	})
}

// TestConformanceLLMAndSecretSourceShapes: data-model.md §3.2 input
// normalisation and §9.2 SecretSource JSON, through PATCH /api/settings.
func TestConformanceLLMAndSecretSourceShapes(t *testing.T) {
	h := newHarness(t)
	rows := []struct {
		diff string
		path []string
		want string
	}{
		{`{"llm": {"model": "azure/gpt-4"}}`, []string{"llm", "api_version"}, `"2024-12-01-preview"`},
		{`{"llm": {"model": "azure/gpt-4", "api_version": "2025-01-01"}}`, []string{"llm", "api_version"}, `"2025-01-01"`},
		{`{"llm": {"model": "openai/gpt-4o", "base_url": "https://api.openai.com/", "api_version": null}}`, []string{"llm", "base_url"}, `null`},
		{`{"llm": {"model": "openai/gpt-4o", "base_url": "https://api.openai.com/v1"}}`, []string{"llm", "base_url"}, `"https://api.openai.com/v1"`},
		{`{"llm": {"is_subscription": true}}`, []string{"llm", "is_subscription"}, `true`},
		{`{"llm": {"fallback_strategy": {"x": 1}, "retry_listener": "x"}}`, []string{"llm", "model"}, `"openai/gpt-4o"`},
		{`{"agent_context": {"secrets": {"A": "plain"}}}`, []string{"agent_context", "secrets"}, `{"A":"**********"}`},
		{`{"agent_context": {"secrets": {"A": {"kind": "StaticSecret", "value": "v", "description": "d"}}}}`, []string{"agent_context", "secrets", "A"},
			`{"description":"d","value":"**********","kind":"StaticSecret"}`},
		{`{"agent_context": {"secrets": {"A": {"kind": "LookupSecret", "url": "/api/settings/secrets/X", "headers": {"X-Session-API-Key": "k", "Accept": "text/plain"}}}}}`,
			[]string{"agent_context", "secrets", "A"},
			`{"description":null,"url":"http://127.0.0.1:8000/api/settings/secrets/X","headers":{"X-Session-API-Key":"**********","Accept":"text/plain"},"kind":"LookupSecret"}`},
	}
	for _, row := range rows {
		r := h.do("PATCH", "/api/settings", `{"agent_settings_diff": `+row.diff+`}`)
		require.Equal(t, 200, r.Status, "%s: %s", row.diff, r.Body)
		require.Equal(t, row.want, rawMember(t, r.Body, append([]string{"agent_settings"}, row.path...)...), row.diff)
		h.patch(`{"agent_settings_diff": {"agent_context": {"secrets": null}}}`)
	}
	m := h.settings("")
	require.False(t, has(m, "fallback_strategy", "agent_settings", "llm"))
	require.False(t, has(m, "retry_listener", "agent_settings", "llm"))
}

// TestConformanceMCPCompactOutput: data-model.md §6.2–§6.3 — MCP objects
// are emitted without null or {} members; enabled is always emitted.
func TestConformanceMCPCompactOutput(t *testing.T) {
	rows := []struct{ body, want string }{
		{`{"command": "uvx", "args": ["mcp-server-github"], "env": {"GITHUB_TOKEN": "t"}}`,
			`{"command":"uvx","args":["mcp-server-github"],"env":{"GITHUB_TOKEN":"**********"},"enabled":true}`},
		{`{"url": "https://example.com/mcp", "transport": "http", "headers": {"X-Api-Key": "k"}, "enabled": false}`,
			`{"url":"https://example.com/mcp","transport":"http","headers":{"X-Api-Key":"**********"},"enabled":false}`},
		{`{"url": "https://x", "transport": "http", "auth": {"strategy": "none"}}`,
			`{"url":"https://x","transport":"http","auth":{"strategy":"none"},"enabled":true}`},
		{`{"url": "https://x", "transport": "http", "auth": {"strategy": "header", "headers": {}}}`,
			`{"url":"https://x","transport":"http","auth":{"strategy":"header"},"enabled":true}`},
		{`{"url": "https://x", "transport": "http", "auth": {"strategy": "header", "headers": {"X-H": "v"}}}`,
			`{"url":"https://x","transport":"http","auth":{"strategy":"header","headers":{"X-H":"**********"}},"enabled":true}`},
		{`{"url": "https://x", "transport": "http", "auth": {"strategy": "api_key", "value": null, "header_name": "X-K"}}`,
			`{"url":"https://x","transport":"http","auth":{"strategy":"api_key","header_name":"X-K"},"enabled":true}`},
		{`{"url": "https://x", "transport": "http", "auth": {"strategy": "basic", "username": "u", "password": "p"}}`,
			`{"url":"https://x","transport":"http","auth":{"strategy":"basic","username":"u","password":"**********"},"enabled":true}`},
		{`{"url": "https://x", "transport": "http", "auth": {"strategy": "oauth2", "state": {"tokens": {"access_token": "a", "refresh_token": "r"}, "token_expires_at": 12345}}}`,
			`{"url":"https://x","transport":"http","auth":{"strategy":"oauth2","state":{"tokens":{"access_token":"**********","refresh_token":"**********"},"token_expires_at":12345.0}},"enabled":true}`},
		{`{"url": "https://x", "transport": "http", "auth": {"strategy": "oauth2", "state": {"tokens": {}}}}`,
			`{"url":"https://x","transport":"http","auth":{"strategy":"oauth2"},"enabled":true}`},
		{`{"url": "https://x", "transport": "http", "auth": {"strategy": "oauth2", "authentication": {"type": "oauth", "client_secret": "cs", "scopes": ["a"]}}}`,
			`{"url":"https://x","transport":"http","auth":{"strategy":"oauth2","authentication":{"type":"oauth","scopes":["a"],"client_secret":"**********"}},"enabled":true}`},
	}
	for i, row := range rows {
		t.Run(row.body, func(t *testing.T) {
			h := newHarness(t)
			key := fmt.Sprintf("s%d", i)
			r := h.do("POST", "/api/settings/mcp/"+key, row.body)
			require.Equal(t, 201, r.Status, "body: %s", r.Body)
			require.Equal(t, row.want, rawMember(t, r.Body, "agent_settings", "mcp_config", key))
		})
	}
}

// TestConformanceDanglingProviderConnection: server-api.md §4.2 (auto-load
// table) and §6.6 — a profile whose provider connection does not exist
// fails with 422 on activate and on PATCH active_profile, whatever else the
// file holds; GET /api/profiles/{name} does not resolve the connection.
func TestConformanceDanglingProviderConnection(t *testing.T) {
	const detail = "Profile 'linked' references provider connection 'conn-x', which does not exist. Update the profile or recreate the connection."
	for _, file := range []string{
		`{"model": "m", "provider_connection_id": "conn-x"}`,
		`{"model": "m", "provider_connection_id": "conn-x", "api_key": "sk-inline", "schema_version": 1}`,
	} {
		h := newHarness(t, withNoSecretKey())
		h.putFile("profiles/linked.json", file)
		before := h.file("settings.json")
		h.do("POST", "/api/profiles/linked/activate", "").requireDetail(t, 422, detail)
		h.do("PATCH", "/api/settings", `{"active_profile": "linked"}`).requireDetail(t, 422, detail)
		require.Equal(t, before, h.file("settings.json"), "nothing written")
		m := h.ok(200, "GET", "/api/profiles/linked", "")
		require.Equal(t, "conn-x", at(m, "config", "provider_connection_id"))
		// With an explicit llm the profile is not loaded at all.
		require.Equal(t, "linked", h.patch(`{"active_profile": "linked", "agent_settings_diff": {"llm": {"model": "x"}}}`)["active_profile"])
	}
}

// TestConformanceDocsEndpoints: server-api.md §2.3 — /docs, /redoc and
// /openapi.json answer without a session key.
func TestConformanceDocsEndpoints(t *testing.T) {
	h := newHarness(t)
	r := h.raw("GET", "/openapi.json", "")
	require.Equal(t, 200, r.Status, "body: %s", r.Body)
	require.Equal(t, "application/json", r.Header.Get("Content-Type"))
	m := r.JSON(t)
	require.Contains(t, m, "openapi")
	require.Contains(t, m, "paths")
	paths := m["paths"].(map[string]any)
	for _, p := range []string{"/api/settings", "/api/settings/secrets/{name}", "/api/settings/mcp/{settings_key}", "/api/profiles/{name}/activate"} {
		require.Contains(t, paths, p)
	}
	require.Contains(t, paths["/api/settings"], "patch")
	for _, p := range []string{"/docs", "/redoc"} {
		r := h.raw("GET", p, "")
		require.Equal(t, 200, r.Status, p)
		require.Equal(t, "text/html; charset=utf-8", r.Header.Get("Content-Type"), p)
		require.Contains(t, string(r.Body), "/openapi.json", p)
	}
	h.raw("POST", "/openapi.json", "").requireDetail(t, 405, "Method Not Allowed")
}
