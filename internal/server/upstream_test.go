package server

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/stretchr/testify/require"
)

// Scenarios ported from upstream tests/agent_server/test_settings_router.py
// (the key string is upstream's fixture: urlsafe_b64encode(b"a" * 32)).

func upstreamHarness(t *testing.T) (*harness, *cipher.Cipher) {
	key := base64.URLEncoding.EncodeToString([]byte(strings.Repeat("a", 32)))
	h := newHarness(t, withKeys(), func(c *Config) { c.SecretKey = &key })
	return h, cipher.New(key)
}

func encryptT(t *testing.T, c *cipher.Cipher, v string) string {
	tok, err := c.Encrypt(v)
	require.NoError(t, err)
	return tok
}

func TestUpstreamLegacySettingsMigrateAndResave(t *testing.T) {
	h, c := upstreamHarness(t)
	legacy := map[string]any{
		"active_profile": "legacy-profile",
		"agent_settings": map[string]any{
			"schema_version": 1,
			"agent_kind":     "llm",
			"llm":            map[string]any{"model": "legacy-model", "api_key": encryptT(t, c, "sk-legacy-agent-key")},
			"tools":          []any{map[string]any{"name": "TerminalTool"}},
			"mcp_config": map[string]any{"mcpServers": map[string]any{
				"github": map[string]any{"command": "uvx", "args": []any{"mcp-server-github"}, "env": map[string]any{"GITHUB_TOKEN": encryptT(t, c, "ghp-legacy-mcp-token")}},
				"remote": map[string]any{"url": "https://example.com/mcp", "headers": map[string]any{"Authorization": encryptT(t, c, "Bearer legacy-mcp-token")}},
			}},
			"condenser":    map[string]any{"enabled": false, "max_size": 120},
			"verification": map[string]any{"critic_enabled": true, "confirmation_mode": true, "security_analyzer": "llm"},
		},
		"conversation_settings": map[string]any{"max_iterations": 42, "confirmation_mode": true, "security_analyzer": "llm"},
	}
	h.putFile("settings.json", mustJSON(t, legacy))

	body := h.settings("plaintext")
	require.Equal(t, "legacy-profile", body["active_profile"])
	a := body["agent_settings"]
	require.Equal(t, 5.0, at(a, "schema_version"))
	require.Equal(t, "openhands", at(a, "agent_kind"))
	require.Equal(t, "sk-legacy-agent-key", at(a, "llm", "api_key"))
	require.Equal(t, map[string]any{
		"enabled": false, "condenser_kind": "llm_summarizing", "max_size": 120.0, "max_tokens": nil,
		"keep_first": 2.0, "minimum_progress": 0.1, "hard_context_reset_max_retries": 5.0, "hard_context_reset_context_scaling": 0.8,
	}, at(a, "condenser"))
	require.Equal(t, true, at(a, "verification", "critic_enabled"))
	require.False(t, has(a, "confirmation_mode", "verification"))
	require.Equal(t, "ghp-legacy-mcp-token", at(a, "mcp_config", "github", "env", "GITHUB_TOKEN"))
	require.Equal(t, map[string]any{"strategy": "header", "headers": map[string]any{"Authorization": "Bearer legacy-mcp-token"}}, at(a, "mcp_config", "remote", "auth"))
	require.False(t, has(a, "headers", "mcp_config", "remote"))
	require.Equal(t, map[string]any{"schema_version": 1.0, "max_iterations": 42.0, "confirmation_mode": true, "security_analyzer": "llm"}, body["conversation_settings"])

	h.patch(`{"agent_settings_diff": {"llm": {"model": "post-migration-model"}}, "conversation_settings_diff": {"max_iterations": 84}}`)
	onDisk := h.file("settings.json")
	for _, s := range []string{"sk-legacy-agent-key", "ghp-legacy-mcp-token", "Bearer legacy-mcp-token"} {
		require.NotContains(t, onDisk, s)
	}
	var disk map[string]any
	require.NoError(t, json.Unmarshal([]byte(onDisk), &disk))
	require.Equal(t, 2.0, disk["schema_version"])
	require.Equal(t, "legacy-profile", disk["active_profile"])
	require.Equal(t, 5.0, at(disk, "agent_settings", "schema_version"))
	require.Equal(t, "openhands", at(disk, "agent_settings", "agent_kind"))
	require.Equal(t, 84.0, at(disk, "conversation_settings", "max_iterations"))

	body = h.settings("plaintext")
	require.Equal(t, "post-migration-model", at(body, "agent_settings", "llm", "model"))
	require.Equal(t, "sk-legacy-agent-key", at(body, "agent_settings", "llm", "api_key"))
	require.Equal(t, "ghp-legacy-mcp-token", at(body, "agent_settings", "mcp_config", "github", "env", "GITHUB_TOKEN"))
}

func TestUpstreamMCPOAuthState(t *testing.T) {
	h, _ := upstreamHarness(t)
	m := h.patch(`{"agent_settings_diff": {"mcp_config": {"superhuman": {"url": "https://mcp.example.com/mcp", "auth": {"strategy": "oauth2", "state": {"tokens": {"access_token": "oauth-access-token", "refresh_token": "oauth-refresh-token"}, "token_expires_at": 12345.0}}}}}}`)
	require.Equal(t, "**********", at(m, "agent_settings", "mcp_config", "superhuman", "auth", "state", "tokens", "access_token"))
	onDisk := h.file("settings.json")
	require.NotContains(t, onDisk, "oauth-access-token")
	require.NotContains(t, onDisk, "oauth-refresh-token")
	p := h.settings("plaintext")
	require.Equal(t, map[string]any{
		"tokens":           map[string]any{"access_token": "oauth-access-token", "refresh_token": "oauth-refresh-token"},
		"token_expires_at": 12345.0,
	}, at(p, "agent_settings", "mcp_config", "superhuman", "auth", "state"))
	e := h.settings("encrypted")
	require.True(t, strings.HasPrefix(at(e, "agent_settings", "mcp_config", "superhuman", "auth", "state", "tokens", "access_token").(string), "gAAAA"))

	// Tokens posted back decrypt (no double encryption).
	h2, c2 := upstreamHarness(t)
	h2.patch(`{"agent_settings_diff": {"mcp_config": {"superhuman": {"url": "https://mcp.example.com/mcp", "auth": {"strategy": "oauth2", "state": {"tokens": {"access_token": "` +
		encryptT(t, c2, "oauth-access-token") + `", "refresh_token": "` + encryptT(t, c2, "oauth-refresh-token") + `", "token_type": "Bearer"}}}}}}}`)
	require.Equal(t, map[string]any{"access_token": "oauth-access-token", "refresh_token": "oauth-refresh-token", "token_type": "Bearer"},
		at(h2.settings("plaintext"), "agent_settings", "mcp_config", "superhuman", "auth", "state", "tokens"))
}

func TestUpstreamAgentKindSwitches(t *testing.T) {
	h, _ := upstreamHarness(t)
	h.putFile("settings.json", `{"agent_settings": {"agent_kind": "acp", "acp_command": ["echo", "test"], "llm": {"model": "acp-only-model", "usage_id": "default"}}}`)
	seeded := h.settings("")
	require.Equal(t, "acp", at(seeded, "agent_settings", "agent_kind"))
	require.Equal(t, "acp-only-model", at(seeded, "agent_settings", "llm", "model"))

	m := h.patch(`{"agent_settings_diff": {"agent_kind": "openhands"}}`)
	require.Equal(t, "openhands", at(m, "agent_settings", "agent_kind"))
	require.False(t, has(m, "acp_command", "agent_settings"))
	require.Equal(t, "gpt-5.5", at(m, "agent_settings", "llm", "model"))

	m = h.patch(`{"agent_settings_diff": {"agent_kind": "openhands", "llm": {"api_key": "sk-test-key"}}}`)
	require.Equal(t, "gpt-5.5", at(m, "agent_settings", "llm", "model"), "restated kind still merges")
	require.Equal(t, true, m["llm_api_key_is_set"])

	m = h.patch(`{"agent_settings_diff": {"agent_kind": "acp", "acp_command": ["my-cli"], "acp_args": ["--foo"]}}`)
	require.Equal(t, []any{"my-cli"}, at(m, "agent_settings", "acp_command"))
	m = h.patch(`{"agent_settings_diff": {"acp_model": "some-model"}}`)
	require.Equal(t, []any{"my-cli"}, at(m, "agent_settings", "acp_command"))
	require.Equal(t, []any{"--foo"}, at(m, "agent_settings", "acp_args"))
	require.Equal(t, "some-model", at(m, "agent_settings", "acp_model"))
}

func TestUpstreamCondenserAndMemory(t *testing.T) {
	h, _ := upstreamHarness(t)
	m := h.patch(`{"agent_settings_diff": {"condenser": {"enabled": true, "condenser_kind": "llm_summarizing", "max_size": 120, "max_tokens": 56000, "keep_first": 3, "minimum_progress": 0.2, "hard_context_reset_max_retries": 7, "hard_context_reset_context_scaling": 0.6}}}`)
	require.Equal(t, map[string]any{
		"enabled": true, "condenser_kind": "llm_summarizing", "max_size": 120.0, "max_tokens": 56000.0, "keep_first": 3.0,
		"minimum_progress": 0.2, "hard_context_reset_max_retries": 7.0, "hard_context_reset_context_scaling": 0.6,
	}, at(m, "agent_settings", "condenser"))
	h.patch(`{"agent_settings_diff": {"agent_context": {"load_memory": true}}}`)
	require.Equal(t, true, at(h.settings(""), "agent_settings", "agent_context", "load_memory"))
}
