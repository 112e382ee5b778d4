package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/store"
	"github.com/stretchr/testify/require"
)

const noCipherDetail = "Encryption not available: OH_SECRET_KEY is not configured. Cannot return encrypted secrets."

func TestGetSettingsDefaults(t *testing.T) {
	h := newHarness(t)
	r := h.do("GET", "/api/settings", "")
	require.Equal(t, 200, r.Status)
	require.Equal(t, "application/json", r.Header.Get("Content-Type"))
	m := r.JSON(t)
	require.Len(t, m, 6)
	for _, k := range []string{"agent_settings", "conversation_settings", "llm_api_key_is_set", "active_profile", "active_agent_profile_id", "misc_settings"} {
		require.Contains(t, m, k)
	}
	require.Equal(t, 5.0, at(m, "agent_settings", "schema_version"))
	require.Equal(t, "openhands", at(m, "agent_settings", "agent_kind"))
	require.Equal(t, "gpt-5.5", at(m, "agent_settings", "llm", "model"))
	require.Nil(t, at(m, "agent_settings", "llm", "api_key"))
	require.Equal(t, map[string]any{"schema_version": 1.0, "max_iterations": 500.0, "confirmation_mode": false, "security_analyzer": "llm"}, m["conversation_settings"])
	require.Equal(t, false, m["llm_api_key_is_set"])
	require.Nil(t, m["active_profile"])
	require.Nil(t, m["active_agent_profile_id"])
	require.Equal(t, map[string]any{}, m["misc_settings"])
	require.Empty(t, h.file("settings.json"), "GET must not write")
}

func TestExposeSecretsHeader(t *testing.T) {
	h := newHarness(t)
	h.patch(`{"agent_settings_diff": {"llm": {"model": "gpt-4o", "api_key": "sk-live-1"}}}`)
	tests := []struct {
		header string
		set    bool
		want   string // "marker", "token", "plain"
		bad    string
	}{
		{set: false, want: "marker"},
		{header: "", set: true, want: "marker"},
		{header: "   ", set: true, want: "marker"},
		{header: "encrypted", set: true, want: "token"},
		{header: " ENCRYPTED ", set: true, want: "token"},
		{header: "true", set: true, want: "token"},
		{header: "True", set: true, want: "token"},
		{header: "plaintext", set: true, want: "plain"},
		{header: "\tPlainText ", set: true, want: "plain"},
		{header: "false", set: true, bad: "false"},
		{header: "1", set: true, bad: "1"},
		{header: "yes", set: true, bad: "yes"},
		{header: " RAW ", set: true, bad: "raw"},
		{header: "redacted", set: true, bad: "redacted"},
	}
	for _, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			var hdr []string
			if tc.set {
				hdr = []string{"X-Expose-Secrets", tc.header}
			}
			r := h.do("GET", "/api/settings", "", hdr...)
			if tc.bad != "" {
				r.requireDetail(t, 400, "Invalid X-Expose-Secrets header value: '"+tc.bad+"'. Valid values are: 'encrypted', 'plaintext'.")
				return
			}
			require.Equal(t, 200, r.Status, "body: %s", r.Body)
			m := r.JSON(t)
			require.Equal(t, true, m["llm_api_key_is_set"])
			key := at(m, "agent_settings", "llm", "api_key").(string)
			switch tc.want {
			case "marker":
				require.Equal(t, "**********", key)
			case "plain":
				require.Equal(t, "sk-live-1", key)
			case "token":
				require.True(t, strings.HasPrefix(key, "gAAAAA"), key)
				plain, err := h.cipher.Decrypt(key)
				require.NoError(t, err)
				require.Equal(t, "sk-live-1", plain)
			}
			// Null secrets stay null in every mode.
			require.Nil(t, at(m, "agent_settings", "llm", "aws_access_key_id"))
		})
	}
	t.Run("fresh tokens", func(t *testing.T) {
		a := at(h.settings("encrypted"), "agent_settings", "llm", "api_key")
		b := at(h.settings("encrypted"), "agent_settings", "llm", "api_key")
		require.NotEqual(t, a, b)
	})
	t.Run("header ignored on writes", func(t *testing.T) {
		m := h.ok(200, "PATCH", "/api/settings", `{"misc_settings_diff": {"a": 1}}`, "X-Expose-Secrets", "bogus")
		require.Equal(t, "**********", at(m, "agent_settings", "llm", "api_key"))
		m = h.ok(200, "PATCH", "/api/settings", `{"misc_settings_diff": {"a": 2}}`, "X-Expose-Secrets", "plaintext")
		require.Equal(t, "**********", at(m, "agent_settings", "llm", "api_key"))
	})
	t.Run("bad header before broken file", func(t *testing.T) {
		h2 := newHarness(t)
		h2.putFile("settings.json", "{not json")
		h2.do("GET", "/api/settings", "", "X-Expose-Secrets", "nope").requireDetail(t, 400,
			"Invalid X-Expose-Secrets header value: 'nope'. Valid values are: 'encrypted', 'plaintext'.")
	})
}

func TestEncryptedWithoutKey(t *testing.T) {
	h := newHarness(t, withNoSecretKey())
	// Nothing set: encrypted mode is a normal 200 with nulls.
	m := h.settings("encrypted")
	require.Nil(t, at(m, "agent_settings", "llm", "api_key"))
	h.patch(`{"agent_settings_diff": {"llm": {"model": "m", "api_key": "sk-nokey"}}}`)
	for _, v := range []string{"encrypted", "true", " TRUE "} {
		h.do("GET", "/api/settings", "", "X-Expose-Secrets", v).requireEnvelope(t, 503, noCipherDetail)
	}
	require.Equal(t, "sk-nokey", at(h.settings("plaintext"), "agent_settings", "llm", "api_key"))
	require.Equal(t, "**********", at(h.settings(""), "agent_settings", "llm", "api_key"))
	// Stored in plaintext without a key.
	require.Contains(t, h.file("settings.json"), "sk-nokey")
}

func TestSecretsEncryptedAtRest(t *testing.T) {
	h := newHarness(t)
	h.patch(`{"agent_settings_diff": {"llm": {"model": "m", "api_key": "sk-at-rest"}}}`)
	f := h.file("settings.json")
	require.NotContains(t, f, "sk-at-rest")
	require.Contains(t, f, "gAAAAA")
}

func TestRoundTrips(t *testing.T) {
	h := newHarness(t)
	h.patch(`{"agent_settings_diff": {"llm": {"model": "m", "api_key": "sk-round"}, "mcp_config": {"svc": {"command": "uvx", "env": {"TOK": "env-round"}}}}}`)

	enc := h.settings("encrypted")
	h.patch(`{"agent_settings_diff": ` + mustJSON(t, enc["agent_settings"]) + `}`)
	plain := h.settings("plaintext")
	require.Equal(t, "sk-round", at(plain, "agent_settings", "llm", "api_key"))
	require.Equal(t, "env-round", at(plain, "agent_settings", "mcp_config", "svc", "env", "TOK"))
	require.Equal(t, true, plain["llm_api_key_is_set"])

	red := h.settings("")
	h.patch(`{"agent_settings_diff": ` + mustJSON(t, red["agent_settings"]) + `}`)
	plain = h.settings("plaintext")
	require.Nil(t, at(plain, "agent_settings", "llm", "api_key"))
	require.Equal(t, false, plain["llm_api_key_is_set"])
	require.False(t, has(plain, "TOK", "agent_settings", "mcp_config", "svc", "env"))

	// A token that does not decrypt becomes "no value".
	other := cipher.New("another key")
	tok, err := other.Encrypt("sk-foreign")
	require.NoError(t, err)
	h.patch(`{"agent_settings_diff": {"llm": {"model": "m", "api_key": "` + tok + `"}}}`)
	require.Nil(t, at(h.settings("plaintext"), "agent_settings", "llm", "api_key"))
	// Blank, whitespace and the marker are "no value" too.
	for _, v := range []string{"", "   ", "**********"} {
		h.patch(`{"agent_settings_diff": {"llm": {"api_key": "sk-x"}}}`)
		h.patch(`{"agent_settings_diff": {"llm": {"api_key": ` + mustJSON(t, v) + `}}}`)
		require.Nil(t, at(h.settings("plaintext"), "agent_settings", "llm", "api_key"), "%q", v)
	}
}

func TestEmptyPatch(t *testing.T) {
	tests := []struct {
		body   string
		status int
	}{
		{`{}`, 400},
		{`{"agent_settings_diff": null}`, 400},
		{`{"agent_settings_diff": null, "conversation_settings_diff": null, "misc_settings_diff": null}`, 400},
		{`{"unknown": 1, "other": {"x": 2}}`, 400},
		{`{"active_profile": null}`, 200},
		{`{"active_agent_profile_id": null}`, 200},
		{`{"agent_settings_diff": {}}`, 200},
		{`{"conversation_settings_diff": {}}`, 200},
		{`{"misc_settings_diff": {}, "unknown": 1}`, 200},
	}
	for _, tc := range tests {
		t.Run(tc.body, func(t *testing.T) {
			h := newHarness(t)
			r := h.do("PATCH", "/api/settings", tc.body)
			if tc.status == 400 {
				r.requireDetail(t, 400, "At least one of agent_settings_diff, conversation_settings_diff, misc_settings_diff, active_profile, or active_agent_profile_id must be provided")
				require.Empty(t, h.file("settings.json"))
				return
			}
			require.Equal(t, 200, r.Status, "body: %s", r.Body)
			require.NotEmpty(t, h.file("settings.json"), "the file is (re)written")
		})
	}
}

func TestPatchRequestValidation(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		body string
		typ  string
		loc  []any
	}{
		{`{"agent_settings_diff": "x"}`, "dict_type", []any{"body", "agent_settings_diff"}},
		{`{"agent_settings_diff": []}`, "dict_type", []any{"body", "agent_settings_diff"}},
		{`{"conversation_settings_diff": 5}`, "dict_type", []any{"body", "conversation_settings_diff"}},
		{`{"misc_settings_diff": true}`, "dict_type", []any{"body", "misc_settings_diff"}},
		{`{"active_profile": 5}`, "string_type", []any{"body", "active_profile"}},
		{`{"active_profile": "bad name"}`, "string_pattern_mismatch", []any{"body", "active_profile"}},
		{`{"active_profile": ""}`, "string_pattern_mismatch", []any{"body", "active_profile"}},
		{`{"active_profile": "-lead"}`, "string_pattern_mismatch", []any{"body", "active_profile"}},
		{`{"active_profile": "` + strings.Repeat("a", 65) + `"}`, "string_pattern_mismatch", []any{"body", "active_profile"}},
		{`{"active_agent_profile_id": "not-a-uuid"}`, "string_pattern_mismatch", []any{"body", "active_agent_profile_id"}},
		{`{"active_agent_profile_id": "12345678-1234-1234-1234-1234567890a"}`, "string_pattern_mismatch", []any{"body", "active_agent_profile_id"}},
		{`{"active_agent_profile_id": 7}`, "string_type", []any{"body", "active_agent_profile_id"}},
	}
	for _, tc := range tests {
		t.Run(tc.body, func(t *testing.T) {
			items := h.do("PATCH", "/api/settings", tc.body).requireItems(t)
			require.Equal(t, tc.typ, items[0]["type"])
			require.Equal(t, tc.loc, items[0]["loc"])
			if tc.typ == "string_pattern_mismatch" {
				require.Contains(t, items[0]["msg"], "String should match pattern '")
				require.NotNil(t, at(items[0], "ctx", "pattern"))
			}
		})
	}
	t.Run("several errors at once", func(t *testing.T) {
		items := h.do("PATCH", "/api/settings", `{"agent_settings_diff": 1, "active_profile": 2}`).requireItems(t)
		require.Len(t, items, 2)
	})
	t.Run("valid pointers", func(t *testing.T) {
		m := h.patch(`{"active_agent_profile_id": "ABCDEF12-1234-abcd-1234-1234567890ab", "agent_settings_diff": {"llm": {"model": "x"}}, "active_profile": "p.1_a-b"}`)
		require.Equal(t, "ABCDEF12-1234-abcd-1234-1234567890ab", m["active_agent_profile_id"])
		require.Equal(t, "p.1_a-b", m["active_profile"])
	})
}

func TestAgentSettingsDiff(t *testing.T) {
	t.Run("null unsets at any depth", func(t *testing.T) {
		h := newHarness(t)
		h.patch(`{"agent_settings_diff": {"llm": {"model": "m", "base_url": "https://x.example", "temperature": 0.5}, "tools": [{"name": "terminal"}], "condenser": {"max_size": 100}}}`)
		m := h.settings("")
		require.Equal(t, "https://x.example", at(m, "agent_settings", "llm", "base_url"))
		require.Equal(t, 100.0, at(m, "agent_settings", "condenser", "max_size"))
		require.NotNil(t, at(m, "agent_settings", "tools"))
		m = h.patch(`{"agent_settings_diff": {"llm": {"base_url": null}, "tools": null, "condenser": {"max_size": null}}}`)
		require.Nil(t, at(m, "agent_settings", "llm", "base_url"))
		require.Equal(t, 0.5, at(m, "agent_settings", "llm", "temperature"))
		require.Nil(t, at(m, "agent_settings", "tools"))
		require.Equal(t, 240.0, at(m, "agent_settings", "condenser", "max_size"))
	})
	t.Run("condenser switch to no_op", func(t *testing.T) {
		h := newHarness(t)
		m := h.patch(`{"agent_settings_diff": {"condenser": {"condenser_kind": "no_op"}}}`)
		require.Equal(t, map[string]any{"enabled": true, "condenser_kind": "no_op"}, at(m, "agent_settings", "condenser"))
	})
	t.Run("remove one MCP header", func(t *testing.T) {
		h := newHarness(t)
		h.patch(`{"agent_settings_diff": {"mcp_config": {"svc": {"url": "https://svc.example/mcp", "transport": "http", "headers": {"X-Old": "old-v", "X-Keep": "keep-v"}}}}}`)
		h.patch(`{"agent_settings_diff": {"mcp_config": {"svc": {"headers": {"X-Old": null}}}}}`)
		m := h.settings("plaintext")
		require.Equal(t, map[string]any{"X-Keep": "keep-v"}, at(m, "agent_settings", "mcp_config", "svc", "headers"))
	})
	t.Run("kind switch keeps nothing", func(t *testing.T) {
		h := newHarness(t)
		h.patch(`{"agent_settings_diff": {"llm": {"model": "m", "api_key": "sk-k"}, "mcp_config": {"a": {"command": "c"}}}}`)
		m := h.patch(`{"agent_settings_diff": {"agent_kind": "acp", "acp_model": "claude"}}`)
		a := m["agent_settings"]
		require.Equal(t, "acp", at(a, "agent_kind"))
		require.Equal(t, "claude", at(a, "acp_model"))
		require.Equal(t, "claude-code", at(a, "acp_server"))
		require.Equal(t, "gpt-5.5", at(a, "llm", "model"))
		require.Nil(t, at(a, "llm", "api_key"))
		require.Equal(t, map[string]any{}, at(a, "mcp_config"))
		require.Equal(t, false, m["llm_api_key_is_set"])
		require.Equal(t, 5.0, at(a, "schema_version"))

		// acp_model null resets it (same kind: merge branch).
		m = h.patch(`{"agent_settings_diff": {"acp_model": null}}`)
		require.Nil(t, at(m, "agent_settings", "acp_model"))
		// "agent_kind": "acp" again is a same-kind merge.
		m = h.patch(`{"agent_settings_diff": {"agent_kind": "acp", "acp_args": ["--x"]}}`)
		require.Equal(t, []any{"--x"}, at(m, "agent_settings", "acp_args"))

		m = h.patch(`{"agent_settings_diff": {"agent_kind": "openhands"}}`)
		require.Equal(t, "openhands", at(m, "agent_settings", "agent_kind"))
		require.Equal(t, "CodeActAgent", at(m, "agent_settings", "agent"))
	})
	t.Run("llm kind is a fresh openhands", func(t *testing.T) {
		h := newHarness(t)
		h.patch(`{"agent_settings_diff": {"llm": {"model": "m", "api_key": "sk-k"}}}`)
		m := h.patch(`{"agent_settings_diff": {"agent_kind": "llm"}}`)
		require.Equal(t, "openhands", at(m, "agent_settings", "agent_kind"))
		require.Equal(t, "gpt-5.5", at(m, "agent_settings", "llm", "model"))
		require.Equal(t, false, m["llm_api_key_is_set"])
	})
	t.Run("falsy agent_kind merges", func(t *testing.T) {
		h := newHarness(t)
		h.patch(`{"agent_settings_diff": {"llm": {"model": "keep-me"}}}`)
		m := h.patch(`{"agent_settings_diff": {"agent_kind": null}}`)
		require.Equal(t, "openhands", at(m, "agent_settings", "agent_kind"))
		require.Equal(t, "keep-me", at(m, "agent_settings", "llm", "model"))
	})
	t.Run("kind switch payload is migrated", func(t *testing.T) {
		h := newHarness(t)
		m := h.patch(`{"agent_settings_diff": {"agent_kind": "acp", "mcp_config": {"mcpServers": {"fetch": {"command": "uvx", "args": ["mcp-server-fetch"]}}}}}`)
		require.Equal(t, "uvx", at(m, "agent_settings", "mcp_config", "fetch", "command"))
	})
	t.Run("validation failures", func(t *testing.T) {
		h := newHarness(t)
		h.patch(`{"agent_settings_diff": {"llm": {"model": "stays"}}}`)
		before := h.file("settings.json")
		for _, body := range []string{
			`{"agent_settings_diff": {"llm": {"num_retries": -1}}}`,
			`{"agent_settings_diff": {"llm": {"model": ""}}}`,
			`{"agent_settings_diff": {"mcp_config": {"mcpServers": {"fetch": {"command": "uvx"}}}}}`,
			`{"agent_settings_diff": {"mcp_config": {"x": {"bogus_member": 1}}}}`,
			`{"agent_settings_diff": {"agent_kind": "martian"}}`,
			`{"agent_settings_diff": {"agent_kind": 5}}`,
			`{"agent_settings_diff": {"schema_version": 99}}`,
			`{"agent_settings_diff": {"llm": {"model": "ok"}}, "conversation_settings_diff": {"max_iterations": 0}}`,
		} {
			h.do("PATCH", "/api/settings", body).requireDetail(t, 422, "Settings validation failed")
			require.Equal(t, before, h.file("settings.json"), body)
		}
		require.Equal(t, "stays", at(h.settings(""), "agent_settings", "llm", "model"))
	})
}

func TestConversationSettingsDiff(t *testing.T) {
	tests := []struct {
		diff string
		ok   bool
		key  string
		want any
	}{
		{`{"max_iterations": 100}`, true, "max_iterations", 100.0},
		{`{"confirmation_mode": true}`, true, "confirmation_mode", true},
		{`{"security_analyzer": null}`, true, "security_analyzer", nil},
		{`{"security_analyzer": "none"}`, true, "security_analyzer", "none"},
		{`{"schema_version": 0}`, true, "schema_version", 1.0},
		{`{"max_iterations": null}`, false, "", nil},
		{`{"confirmation_mode": null}`, false, "", nil},
		{`{"max_iterations": -5}`, false, "", nil},
		{`{"max_iterations": 0}`, false, "", nil},
		{`{"security_analyzer": "bogus"}`, false, "", nil},
		{`{"schema_version": 2}`, false, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.diff, func(t *testing.T) {
			h := newHarness(t)
			r := h.do("PATCH", "/api/settings", `{"conversation_settings_diff": `+tc.diff+`}`)
			if !tc.ok {
				r.requireDetail(t, 422, "Settings validation failed")
				return
			}
			require.Equal(t, 200, r.Status, "body: %s", r.Body)
			conv := r.JSON(t)["conversation_settings"].(map[string]any)
			require.Equal(t, tc.want, conv[tc.key])
			require.Len(t, conv, 4)
		})
	}
	t.Run("unknown members are dropped", func(t *testing.T) {
		h := newHarness(t)
		m := h.patch(`{"conversation_settings_diff": {"foo": 1, "max_iterations": 7}}`)
		require.Equal(t, map[string]any{"schema_version": 1.0, "max_iterations": 7.0, "confirmation_mode": false, "security_analyzer": "llm"}, m["conversation_settings"])
		require.NotContains(t, h.file("settings.json"), `"foo"`)
	})
}

func TestMiscSettingsDiff(t *testing.T) {
	h := newHarness(t)
	m := h.patch(`{"misc_settings_diff": {"ui": {"theme": "dark", "x": 1}, "tags": [1, 2]}}`)
	require.Equal(t, map[string]any{"ui": map[string]any{"theme": "dark", "x": 1.0}, "tags": []any{1.0, 2.0}}, m["misc_settings"])
	m = h.patch(`{"misc_settings_diff": {"ui": {"x": null, "y": {"z": null}}}}`)
	require.Equal(t, map[string]any{"theme": "dark", "y": map[string]any{"z": nil}}, at(m, "misc_settings", "ui"))
	m = h.patch(`{"misc_settings_diff": {"tags": []}}`)
	require.Equal(t, []any{}, at(m, "misc_settings", "tags"))
	m = h.patch(`{"misc_settings_diff": {"ui": null}}`)
	require.True(t, has(m, "ui", "misc_settings"))
	require.Nil(t, at(m, "misc_settings", "ui"))
	m = h.patch(`{"misc_settings_diff": {"tags": "not-a-list", "count": 42}}`)
	require.Equal(t, "not-a-list", at(m, "misc_settings", "tags"))
	require.Equal(t, 42.0, at(m, "misc_settings", "count"))
	require.Equal(t, m["misc_settings"], h.settings("")["misc_settings"])
}

func TestPointers(t *testing.T) {
	h := newHarness(t)
	// With agent_settings_diff.llm the profile is neither loaded nor checked.
	m := h.patch(`{"active_profile": "ghost", "agent_settings_diff": {"llm": {"model": "direct"}}}`)
	require.Equal(t, "ghost", m["active_profile"])
	require.Equal(t, "direct", at(m, "agent_settings", "llm", "model"))
	m = h.patch(`{"active_agent_profile_id": "12345678-1234-1234-1234-1234567890ab"}`)
	require.Equal(t, "ghost", m["active_profile"])
	require.Equal(t, "12345678-1234-1234-1234-1234567890ab", m["active_agent_profile_id"])
	m = h.patch(`{"active_profile": null}`)
	require.Nil(t, m["active_profile"])
	require.Equal(t, "12345678-1234-1234-1234-1234567890ab", m["active_agent_profile_id"])
	m = h.patch(`{"active_agent_profile_id": null}`)
	require.Nil(t, m["active_agent_profile_id"])
	// Editing the LLM later leaves the pointer alone.
	h.patch(`{"active_profile": "p2", "agent_settings_diff": {"llm": {"model": "a"}}}`)
	m = h.patch(`{"agent_settings_diff": {"llm": {"model": "b"}}}`)
	require.Equal(t, "p2", m["active_profile"])
}

func TestProfileAutoLoad(t *testing.T) {
	t.Run("loads the profile LLM", func(t *testing.T) {
		h := newHarness(t)
		h.ok(201, "POST", "/api/profiles/fast", `{"llm": {"model": "openai/gpt-4o", "api_key": "sk-prof", "base_url": "https://litellm.example.com"}}`)
		h.patch(`{"agent_settings_diff": {"llm": {"model": "old", "api_key": "sk-old"}}}`)
		m := h.patch(`{"active_profile": "fast", "misc_settings_diff": {"k": 1}}`)
		require.Equal(t, "fast", m["active_profile"])
		require.Equal(t, "openai/gpt-4o", at(m, "agent_settings", "llm", "model"))
		require.Equal(t, 1.0, at(m, "misc_settings", "k"))
		p := h.settings("plaintext")
		require.Equal(t, "sk-prof", at(p, "agent_settings", "llm", "api_key"))
		require.Equal(t, "https://litellm.example.com", at(p, "agent_settings", "llm", "base_url"))
		// Other agent members in the same diff are kept.
		m = h.patch(`{"active_profile": "fast", "agent_settings_diff": {"enable_sub_agents": true}}`)
		require.Equal(t, true, at(m, "agent_settings", "enable_sub_agents"))
	})
	t.Run("error rows", func(t *testing.T) {
		fs := newFaultStore()
		h := newHarness(t, withStore(fs))
		h.patch(`{"agent_settings_diff": {"llm": {"model": "before"}}}`)
		before := h.file("settings.json")

		h.do("PATCH", "/api/settings", `{"active_profile": "nope"}`).requireDetail(t, 404, "Profile 'nope' not found")

		h.putFile("profiles/broken.json", "{not json")
		r := h.do("PATCH", "/api/settings", `{"active_profile": "broken"}`)
		require.Equal(t, 400, r.Status)
		require.True(t, strings.HasPrefix(r.JSON(t)["detail"].(string), "Failed to load profile `broken`: "), "%s", r.Body)

		h.ok(201, "POST", "/api/profiles/linked", `{"llm": {"model": "m", "provider_connection_id": "conn-1", "api_key": "sk-dropped"}}`)
		h.do("PATCH", "/api/settings", `{"active_profile": "linked"}`).requireDetail(t, 422,
			"Profile 'linked' references provider connection 'conn-1', which does not exist. Update the profile or recreate the connection.")

		fs.set(fs.busy, store.ProfilesLock, true)
		h.do("PATCH", "/api/settings", `{"active_profile": "fast"}`).requireEnvelope(t, 503, "Profile store is busy. Please retry.")
		// With an explicit llm the profile store is not touched.
		h.patch(`{"active_profile": "fast", "agent_settings_diff": {"llm": {"model": "before"}}}`)
		fs.set(fs.busy, store.ProfilesLock, false)
		_ = before
	})
}

func TestSettingsFileProblems(t *testing.T) {
	t.Run("corrupt file", func(t *testing.T) {
		h := newHarness(t)
		for _, bad := range []string{"{not json", `[1]`, `{"schema_version": 99}`, `{"agent_settings": {"llm": {"model": 5}}}`} {
			h.putFile("settings.json", bad)
			m := h.settings("")
			require.Equal(t, "gpt-5.5", at(m, "agent_settings", "llm", "model"), bad)
			h.do("PATCH", "/api/settings", `{"misc_settings_diff": {"a": 1}}`).requireDetail(t, 409, "Settings file is corrupted or encrypted with a different key")
			h.do("POST", "/api/settings/mcp/x", `{"command": "c"}`).requireDetail(t, 409, "Settings file is corrupted or encrypted with a different key")
			h.do("DELETE", "/api/settings/mcp/x", ``).requireDetail(t, 409, "Settings file is corrupted or encrypted with a different key")
			require.Equal(t, bad, h.file("settings.json"), "file untouched")
		}
	})
	t.Run("write failure", func(t *testing.T) {
		fs := newFaultStore()
		h := newHarness(t, withStore(fs))
		fs.set(fs.failWrite, "settings.json", true)
		h.do("PATCH", "/api/settings", `{"misc_settings_diff": {"a": 1}}`).requireEnvelope(t, 500, "Failed to update settings")
		h.do("POST", "/api/settings/mcp/x", `{"command": "c"}`).requireEnvelope(t, 500, "Failed to update settings")
	})
	t.Run("read failure inside the lock", func(t *testing.T) {
		fs := newFaultStore()
		h := newHarness(t, withStore(fs))
		h.patch(`{"misc_settings_diff": {"a": 1}}`)
		fs.set(fs.failRead, "settings.json", true)
		h.do("PATCH", "/api/settings", `{"misc_settings_diff": {"a": 2}}`).requireEnvelope(t, 500, "Failed to update settings")
	})
	t.Run("older file is migrated on read", func(t *testing.T) {
		h := newHarness(t)
		h.putFile("settings.json", `{"agent_settings": {"agent_kind": "llm", "llm": {"model": "legacy-model"}}, "active_profile": "p"}`)
		m := h.settings("")
		require.Equal(t, 5.0, at(m, "agent_settings", "schema_version"))
		require.Equal(t, "openhands", at(m, "agent_settings", "agent_kind"))
		require.Equal(t, "legacy-model", at(m, "agent_settings", "llm", "model"))
		require.Equal(t, "p", m["active_profile"])
	})
	t.Run("cache follows external writes", func(t *testing.T) {
		h := newHarness(t)
		h.patch(`{"agent_settings_diff": {"llm": {"model": "one"}}}`)
		require.Equal(t, "one", at(h.settings(""), "agent_settings", "llm", "model"))
		require.Equal(t, "one", at(h.settings("plaintext"), "agent_settings", "llm", "model"))
		h.putFile("settings.json", `{"agent_settings": {"llm": {"model": "two"}}}`)
		require.Equal(t, "two", at(h.settings(""), "agent_settings", "llm", "model"))
		require.Equal(t, "two", at(h.settings("plaintext"), "agent_settings", "llm", "model"))
		require.NoError(t, h.st.Locked(context.Background(), store.SettingsLock, func(tx store.Tx) error { return tx.Remove("settings.json") }))
		require.Equal(t, "gpt-5.5", at(h.settings(""), "agent_settings", "llm", "model"))
	})
}

func TestSchemas(t *testing.T) {
	h := newHarness(t)
	m := h.ok(200, "GET", "/api/settings/agent-schema", "")
	require.Equal(t, "AgentSettings", m["model_name"])
	var keys []string
	for _, s := range m["sections"].([]any) {
		keys = append(keys, at(s, "key").(string))
	}
	require.Equal(t, []string{"general", "llm", "agent_context", "condenser", "verification", "acp", "llm"}, keys)
	m = h.ok(200, "GET", "/api/settings/conversation-schema", "")
	require.Equal(t, "ConversationSettings", m["model_name"])
	keys = nil
	for _, s := range m["sections"].([]any) {
		keys = append(keys, at(s, "key").(string))
	}
	require.Equal(t, []string{"general", "verification"}, keys)
	// Cached bytes are served identically.
	a := h.do("GET", "/api/settings/conversation-schema", "")
	b := h.do("GET", "/api/settings/conversation-schema", "")
	require.Equal(t, a.Body, b.Body)
}

func TestMCPEndpoints(t *testing.T) {
	h := newHarness(t)
	const github = `{"transport":"http","url":"https://github.example/mcp","auth":{"strategy":"bearer","value":"s3cr3t"}}`
	m := h.ok(201, "POST", "/api/settings/mcp/github", github)
	require.Equal(t, map[string]any{
		"url": "https://github.example/mcp", "transport": "http",
		"auth": map[string]any{"strategy": "bearer", "value": "**********"}, "enabled": true,
	}, at(m, "agent_settings", "mcp_config", "github"))
	require.Equal(t, "s3cr3t", at(h.settings("plaintext"), "agent_settings", "mcp_config", "github", "auth", "value"))

	h.do("POST", "/api/settings/mcp/github", github).requireDetail(t, 409, "MCP server 'github' already exists")

	t.Run("POST validation is the list form", func(t *testing.T) {
		for _, body := range []string{
			`{"command": "x", "bogus": 1}`,
			`{"transport": "stdio"}`,
			`{"transport": "http"}`,
			`{"transport": "http", "url": "https://x", "auth": {"strategy": "bearer", "value": "v"}, "headers": {"authorization": "Bearer y"}}`,
			`[]`,
		} {
			items := h.do("POST", "/api/settings/mcp/bad", body).requireItems(t)
			require.Equal(t, "body", items[0]["loc"].([]any)[0], body)
		}
		require.False(t, has(h.settings(""), "bad", "agent_settings", "mcp_config"))
	})

	t.Run("PATCH", func(t *testing.T) {
		h.do("PATCH", "/api/settings/mcp/nope", `{"enabled": false}`).requireDetail(t, 404, "MCP server 'nope' was not found")
		m := h.ok(200, "PATCH", "/api/settings/mcp/github", `{"enabled": false}`)
		require.Equal(t, false, at(m, "agent_settings", "mcp_config", "github", "enabled"))
		m = h.ok(200, "PATCH", "/api/settings/mcp/github", `{"enabled": null}`)
		require.Equal(t, true, at(m, "agent_settings", "mcp_config", "github", "enabled"))
		m = h.ok(200, "PATCH", "/api/settings/mcp/github", `{}`)
		require.Equal(t, "https://github.example/mcp", at(m, "agent_settings", "mcp_config", "github", "url"))
		m = h.ok(200, "PATCH", "/api/settings/mcp/github", `{"auth": {"value": "n3w"}}`)
		require.Equal(t, "bearer", at(m, "agent_settings", "mcp_config", "github", "auth", "strategy"))
		require.Equal(t, "n3w", at(h.settings("plaintext"), "agent_settings", "mcp_config", "github", "auth", "value"))
		m = h.ok(200, "PATCH", "/api/settings/mcp/github", `{"auth": null}`)
		require.False(t, has(m, "auth", "agent_settings", "mcp_config", "github"))
		items := h.do("PATCH", "/api/settings/mcp/github", `{"bogus": 1}`).requireItems(t)
		require.Equal(t, "body", items[0]["loc"].([]any)[0])
		h.do("PATCH", "/api/settings/mcp/github", `{"transport": "stdio"}`).requireDetail(t, 422, "Settings validation failed")
	})

	t.Run("env entries and siblings", func(t *testing.T) {
		h.ok(201, "POST", "/api/settings/mcp/local", `{"command": "uvx", "args": ["a"], "env": {"A": "env-a", "B": "env-b"}}`)
		m := h.ok(200, "PATCH", "/api/settings/mcp/local", `{"env": {"A": null}}`)
		require.Equal(t, map[string]any{"B": "**********"}, at(m, "agent_settings", "mcp_config", "local", "env"))
		h.ok(201, "POST", "/api/settings/mcp/sib", `{"command": "c", "env": {"S": "sib-secret"}}`)
		m = h.ok(200, "DELETE", "/api/settings/mcp/local", ``)
		require.False(t, has(m, "local", "agent_settings", "mcp_config"))
		p := h.settings("plaintext")
		require.Equal(t, "sib-secret", at(p, "agent_settings", "mcp_config", "sib", "env", "S"))
		require.Equal(t, "https://github.example/mcp", at(p, "agent_settings", "mcp_config", "github", "url"))
	})

	t.Run("DELETE missing", func(t *testing.T) {
		h.do("DELETE", "/api/settings/mcp/local", ``).requireDetail(t, 404, "MCP server 'local' was not found")
	})

	t.Run("escaped key", func(t *testing.T) {
		m := h.ok(201, "POST", "/api/settings/mcp/a%2Fb%20c", `{"command": "x"}`)
		require.True(t, has(m, "a/b c", "agent_settings", "mcp_config"))
		h.ok(200, "DELETE", "/api/settings/mcp/a%2Fb%20c", ``)
	})

	t.Run("ACP variant", func(t *testing.T) {
		a := newHarness(t)
		a.patch(`{"agent_settings_diff": {"agent_kind": "acp"}}`)
		m := a.ok(201, "POST", "/api/settings/mcp/srv", `{"command": "c"}`)
		require.Equal(t, "acp", at(m, "agent_settings", "agent_kind"))
		require.Equal(t, "c", at(m, "agent_settings", "mcp_config", "srv", "command"))
	})
}

func TestGetSettingsIsCached(t *testing.T) {
	fs := newFaultStore()
	h := newHarness(t, withStore(fs))
	h.patch(`{"agent_settings_diff": {"llm": {"model": "m", "api_key": "sk-cache"}}}`)
	h.settings("")
	h.settings("plaintext")
	n := fs.readCount("settings.json")
	for i := 0; i < 5; i++ {
		require.Equal(t, "**********", at(h.settings(""), "agent_settings", "llm", "api_key"))
		require.Equal(t, "sk-cache", at(h.settings("plaintext"), "agent_settings", "llm", "api_key"))
		h.settings("encrypted")
	}
	require.Equal(t, n, fs.readCount("settings.json"), "no re-read while the file is unchanged")
	h.patch(`{"agent_settings_diff": {"llm": {"api_key": "sk-cache-2"}}}`)
	require.Equal(t, "sk-cache-2", at(h.settings("plaintext"), "agent_settings", "llm", "api_key"))
	require.Equal(t, n+1, fs.readCount("settings.json"), "one re-read after a write")
}

func TestWrongKeyFile(t *testing.T) {
	shared := store.NewMemory()
	a := newHarness(t, withStore(shared))
	a.patch(`{"agent_settings_diff": {"llm": {"model": "m", "api_key": "sk-a"}}}`)
	other := "a different key"
	b := newHarness(t, withStore(shared), func(c *Config) { c.SecretKey = &other })
	m := b.settings("plaintext")
	require.Nil(t, at(m, "agent_settings", "llm", "api_key"))
	require.Equal(t, false, m["llm_api_key_is_set"])
	require.Equal(t, "m", at(m, "agent_settings", "llm", "model"))
	b.patch(`{"misc_settings_diff": {"x": 1}}`)
}

func TestConcurrentWrites(t *testing.T) {
	h := newHarness(t)
	const n = 16
	errs := make(chan error, 3*n)
	done := make(chan struct{})
	for i := 0; i < n; i++ {
		go func(i int) {
			defer func() { done <- struct{}{} }()
			r := h.do("PATCH", "/api/settings", fmt.Sprintf(`{"misc_settings_diff": {"k%d": %d}}`, i, i))
			if r.Status != 200 {
				errs <- fmt.Errorf("PATCH %d: %d %s", i, r.Status, r.Body)
			}
			r = h.do("PUT", "/api/settings/secrets", fmt.Sprintf(`{"name": "S%d", "value": "v%d"}`, i, i))
			if r.Status != 200 {
				errs <- fmt.Errorf("PUT %d: %d %s", i, r.Status, r.Body)
			}
			for _, mode := range []string{"plaintext", "encrypted", ""} {
				if r := h.do("GET", "/api/settings", "", "X-Expose-Secrets", mode); r.Status != 200 {
					errs <- fmt.Errorf("GET %d %s: %d", i, mode, r.Status)
				}
			}
			if r := h.do("GET", "/api/profiles", ""); r.Status != 200 {
				errs <- fmt.Errorf("GET profiles %d: %d", i, r.Status)
			}
		}(i)
	}
	for i := 0; i < n; i++ {
		<-done
	}
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	misc := h.settings("")["misc_settings"].(map[string]any)
	require.Len(t, misc, n, "no lost update")
	require.Len(t, h.ok(200, "GET", "/api/settings/secrets", "")["secrets"], n)
	for i := 0; i < n; i++ {
		require.Equal(t, fmt.Sprintf("v%d", i), string(h.do("GET", fmt.Sprintf("/api/settings/secrets/S%d", i), "").Body))
	}
}
