package server

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLogsNeverContainSecrets drives every endpoint (successes and error
// paths) with recognisable secret values and checks the captured JSON log.
func TestLogsNeverContainSecrets(t *testing.T) {
	fs := newFaultStore()
	h := newHarness(t, withStore(fs), withKeys(testSessionKey, "second-Session-Key-77"))
	secrets := []string{
		"sk-LLM-Secret-111", "env-Secret-222", "hdr-Secret-333", "bearer-Secret-444",
		"custom-Secret-555", "profile-Secret-666", "aws-Secret-777", "wrong-Key-Secret-888",
		"val-Secret-999", "invalid-Body-Secret-000",
	}

	h.raw("GET", "/api/settings", "", "X-Session-API-Key", "wrong-Key-Secret-888")
	h.raw("GET", "/api/settings", "", "Authorization", "Bearer wrong-Key-Secret-888")
	h.raw("GET", "/health", "")
	h.raw("GET", "/server_info", "")
	h.raw("GET", "/nope", "")
	h.raw("OPTIONS", "/api/settings", "")
	h.raw("GET", "/api/settings/", "")

	h.patch(`{"agent_settings_diff": {"llm": {"model": "m", "api_key": "sk-LLM-Secret-111", "aws_secret_access_key": "aws-Secret-777"}, "mcp_config": {"svc": {"command": "c", "env": {"E": "env-Secret-222"}}}}}`)
	h.settings("")
	h.settings("plaintext")
	h.settings("encrypted")
	h.do("GET", "/api/settings", "", "X-Expose-Secrets", "bogus")
	h.do("PATCH", "/api/settings", `{"agent_settings_diff": {"llm": {"api_key": "invalid-Body-Secret-000", "num_retries": -1}}}`)
	h.do("PATCH", "/api/settings", `{"agent_settings_diff": {"llm": {"api_key": "invalid-Body-Secret-000"`)
	h.do("PATCH", "/api/settings", `{"active_profile": "invalid-Body-Secret-000 x"}`)
	h.do("PATCH", "/api/settings", `{}`)
	h.ok(201, "POST", "/api/settings/mcp/remote", `{"transport": "http", "url": "https://r.example", "headers": {"X-H": "hdr-Secret-333"}}`)
	h.ok(200, "PATCH", "/api/settings/mcp/remote", `{"auth": {"strategy": "bearer", "value": "bearer-Secret-444"}, "headers": {"X-H": null}}`)
	h.do("POST", "/api/settings/mcp/bad", `{"transport": "stdio", "env": {"E": "env-Secret-222"}}`)
	h.ok(200, "DELETE", "/api/settings/mcp/remote", ``)
	h.do("GET", "/api/settings/agent-schema", "")
	h.do("GET", "/api/settings/conversation-schema", "")

	h.ok(200, "PUT", "/api/settings/secrets", `{"name": "CUSTOM", "value": "custom-Secret-555", "description": "d"}`)
	h.do("PUT", "/api/settings/secrets", `{"value": "val-Secret-999"}`)
	h.do("PUT", "/api/settings/secrets", `{"name": "1bad", "value": "val-Secret-999"}`)
	h.ok(200, "GET", "/api/settings/secrets", "")
	require.Equal(t, "custom-Secret-555", string(h.do("GET", "/api/settings/secrets/CUSTOM", "").Body))
	h.do("GET", "/api/settings/secrets/MISSING", "")
	h.ok(200, "DELETE", "/api/settings/secrets/CUSTOM", "")

	h.ok(201, "POST", "/api/profiles/p1", `{"llm": {"model": "m", "api_key": "profile-Secret-666"}}`)
	h.do("POST", "/api/profiles/p2", `{"llm": {"model": "", "api_key": "profile-Secret-666"}}`)
	h.ok(200, "GET", "/api/profiles", "")
	h.ok(200, "GET", "/api/profiles/p1", "", "X-Expose-Secrets", "plaintext")
	h.ok(200, "GET", "/api/profiles/p1", "", "X-Expose-Secrets", "encrypted")
	h.ok(200, "POST", "/api/profiles/p1/validate", `{"llm": {"model": "m", "api_key": "profile-Secret-666"}}`)
	h.ok(200, "POST", "/api/profiles/p1/activate", "")
	h.patch(`{"active_profile": "p1"}`)
	h.ok(200, "POST", "/api/profiles/p1/rename", `{"new_name": "p3"}`)
	h.ok(200, "DELETE", "/api/profiles/p3", "")

	fs.set(fs.failWrite, "settings.json", true)
	h.do("PATCH", "/api/settings", `{"agent_settings_diff": {"llm": {"api_key": "sk-LLM-Secret-111"}}}`)
	fs.set(fs.failWrite, "secrets.json", true)
	h.do("PUT", "/api/settings/secrets", `{"name": "X", "value": "custom-Secret-555"}`)
	fs.mu.Lock()
	fs.panicStat = true
	fs.mu.Unlock()
	h.do("GET", "/api/settings", "")

	logs := h.logs.String()
	require.NotEmpty(t, logs)
	for _, s := range append(secrets, testSessionKey, "second-Session-Key-77", testSecretKey) {
		require.NotContains(t, logs, s)
	}
	require.NotContains(t, logs, "gAAAAA", "no tokens in logs")

	// Audit lines are there, by name and mode.
	var sawPlainWarn, sawSecretRead, sawProfileSave bool
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec), line)
		switch rec["msg"] {
		case "Settings accessed with PLAINTEXT secrets":
			sawPlainWarn = rec["level"] == "WARN" && rec["expose_mode"] == "plaintext"
		case "Secret accessed":
			sawSecretRead = rec["secret_name"] == "CUSTOM"
		case "Saved profile":
			sawProfileSave = rec["profile"] == "p1"
		}
	}
	require.True(t, sawPlainWarn)
	require.True(t, sawSecretRead)
	require.True(t, sawProfileSave)
}
