package workspace

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAgentSettingsBaselines parses the upstream golden agent_settings
// baselines with the client-side migration and checks the expectations that
// concern the typed view (agent_kind, llm.model, mcp_config.*).
func TestAgentSettingsBaselines(t *testing.T) {
	files, err := filepath.Glob("../testdata/upstream/persisted_settings_baselines/v*/agent_settings_*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(filepath.Dir(file))+"/"+filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			var doc map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(data, &doc))
			var expected map[string]any
			require.NoError(t, json.Unmarshal(doc["__expected__"], &expected))
			delete(doc, "__expected__")
			raw, err := json.Marshal(doc)
			require.NoError(t, err)

			a, err := parseAgentSettings(raw, partLLM|partMCP|partRaw, nil)
			require.NoError(t, err)
			require.Equal(t, AgentSettingsSchemaVersion, a.SchemaVersion)
			cfgJSON, err := a.MCPConfig.PlaintextJSON()
			require.NoError(t, err)
			var cfg map[string]any
			require.NoError(t, json.Unmarshal(cfgJSON, &cfg))

			for path, want := range expected {
				switch {
				case path == "agent_kind":
					require.Equal(t, want, a.AgentKind)
				case path == "llm.model":
					require.Equal(t, want, a.LLM.Model)
				case strings.HasPrefix(path, "mcp_config."):
					require.Equal(t, want, dig(cfg, strings.Split(strings.TrimPrefix(path, "mcp_config."), ".")), path)
				}
			}
		})
	}
}

func dig(v any, path []string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func TestMigrateAgentSettings(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]string // member → expected JSON
	}{
		{
			name: "v0 adds agent_kind",
			in:   `{"llm":{"model":"m"}}`,
			want: map[string]string{"agent_kind": `"openhands"`},
		},
		{
			name: "llm kind after v5 too",
			in:   `{"schema_version":5,"agent_kind":"llm"}`,
			want: map[string]string{"agent_kind": `"openhands"`},
		},
		{
			name: "3→4 openhands proxy base_url dropped",
			in:   `{"schema_version":3,"llm":{"model":"openhands/claude-opus-4-6","base_url":"https://llm-proxy.app.all-hands.dev/"}}`,
			want: map[string]string{"llm": `{"model":"openhands/claude-opus-4-6"}`},
		},
		{
			name: "3→4 litellm_proxy verified model canonicalised",
			in:   `{"schema_version":3,"llm":{"model":"litellm_proxy/gpt-5.5","base_url":"https://llm-proxy.app.all-hands.dev/v1?x=1"}}`,
			want: map[string]string{"llm": `{"model":"openhands/gpt-5.5"}`},
		},
		{
			name: "3→4 unverified model unchanged",
			in:   `{"schema_version":3,"llm":{"model":"litellm_proxy/other","base_url":"https://llm-proxy.app.all-hands.dev"}}`,
			want: map[string]string{"llm": `{"model":"litellm_proxy/other","base_url":"https://llm-proxy.app.all-hands.dev"}`},
		},
		{
			name: "v4 already canonical is not touched",
			in:   `{"schema_version":4,"llm":{"model":"litellm_proxy/gpt-5.5","base_url":"https://llm-proxy.app.all-hands.dev"}}`,
			want: map[string]string{"llm": `{"model":"litellm_proxy/gpt-5.5","base_url":"https://llm-proxy.app.all-hands.dev"}`},
		},
		{
			name: "4→5 auth string → bearer, type shttp → http",
			in:   `{"schema_version":4,"mcp_config":{"a":{"url":"https://a","type":"shttp","auth":"tok"}}}`,
			want: map[string]string{"mcp_config": `{"a":{"url":"https://a","transport":"http","auth":{"strategy":"bearer","value":"tok"}}}`},
		},
		{
			name: "4→5 legacy api_key",
			in:   `{"schema_version":4,"mcp_config":{"a":{"url":"https://a","api_key":"k"}}}`,
			want: map[string]string{"mcp_config": `{"a":{"url":"https://a","auth":{"strategy":"api_key","value":"k"}}}`},
		},
		{
			name: "4→5 Authorization bearer header",
			in:   `{"schema_version":4,"mcp_config":{"a":{"url":"https://a","headers":{"Authorization":"Bearer xyz"}}}}`,
			want: map[string]string{"mcp_config": `{"a":{"url":"https://a","auth":{"strategy":"bearer","value":"xyz"}}}`},
		},
		{
			name: "4→5 Authorization other header keeps other headers",
			in:   `{"schema_version":4,"mcp_config":{"a":{"url":"https://a","headers":{"authorization":"gAAAAAtoken","X":"y"}}}}`,
			want: map[string]string{"mcp_config": `{"a":{"url":"https://a","headers":{"X":"y"},"auth":{"strategy":"header","headers":{"authorization":"gAAAAAtoken"}}}}`},
		},
		{
			name: "4→5 oauth with legacy credentials",
			in: `{"schema_version":4,"mcp_config":{"mcpServers":{"m":{"url":"https://m","auth":"oauth","authentication":{"client_id":"cid"},` +
				`"oauth_credentials":{"mcp-oauth-token":{"k/tokens":{"value":{"access_token":"at","refresh_token":"rt"}}},"mcp-oauth-client-info":{"k/client_info":{"client_id":"cid"}},"mcp-oauth-token-expiry":{"k/token_expiry":{"expires_at":12}}}}}}}`,
			want: map[string]string{"mcp_config": `{"m":{"url":"https://m","auth":{"strategy":"oauth2","authentication":{"client_id":"cid","type":"oauth"},"state":{"tokens":{"access_token":"at","refresh_token":"rt"},"client_info":{"client_id":"cid"},"token_expires_at":12}}}}`},
		},
		{
			name: "4→5 linear sse rewritten",
			in:   `{"schema_version":4,"mcp_config":{"mcpServers":{"sse_1":{"url":"https://mcp.linear.app/sse/","transport":"sse"},"shttp":{"command":"x"}}}}`,
			want: map[string]string{"mcp_config": `{"shttp":{"command":"x"},"shttp_1":{"url":"https://mcp.linear.app/mcp"}}`},
		},
		{
			name: "4→5 linear sse dropped when mcp endpoint present",
			in:   `{"schema_version":4,"mcp_config":{"mcpServers":{"sse":{"url":"https://mcp.linear.app/sse","transport":"sse"},"lin":{"url":"https://mcp.linear.app/mcp/"}}}}`,
			want: map[string]string{"mcp_config": `{"lin":{"url":"https://mcp.linear.app/mcp/"}}`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var doc map[string]json.RawMessage
			require.NoError(t, json.Unmarshal([]byte(tc.in), &doc))
			require.NoError(t, migrateAgentSettings(doc))
			for k, want := range tc.want {
				require.JSONEq(t, want, string(doc[k]), k)
			}
		})
	}

	for _, bad := range []string{`{"schema_version":6}`, `{"schema_version":true}`, `{"schema_version":1.5}`, `{"schema_version":-2}`, `{"agent_kind":"x"}`, `{"agent_kind":null}`} {
		var doc map[string]json.RawMessage
		require.NoError(t, json.Unmarshal([]byte(bad), &doc))
		require.Error(t, migrateAgentSettings(doc), bad)
	}
}
