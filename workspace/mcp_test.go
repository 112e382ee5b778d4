package workspace

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/mcp"
	"github.com/openhands-go/sdk/secret"
)

func TestGetMCPConfig(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		check func(t *testing.T, c mcp.Config)
	}{
		{
			name: "upstream example",
			body: `{"agent_settings": {"mcp_config": {"shttp_0": {"url": "https://mcp.example.com/api", "transport": "streamable-http"}}}, "conversation_settings": {}, "llm_api_key_is_set": true}`,
			check: func(t *testing.T, c mcp.Config) {
				require.Len(t, c, 1)
				require.Equal(t, "https://mcp.example.com/api", *c["shttp_0"].URL)
				require.Equal(t, "streamable-http", *c["shttp_0"].Transport)
			},
		},
		{
			name: "plaintext secrets and disabled servers included",
			body: settingsPlainNoProfile,
			check: func(t *testing.T, c mcp.Config) {
				require.Equal(t, []string{"github", "remote"}, sortedKeys(c))
				require.Equal(t, "ghp-PLAINTEXT-TOKEN", c["github"].Env["GITHUB_TOKEN"].Reveal())
				require.Equal(t, "PLAINTEXT-HEADER-VALUE", c["remote"].Headers["X-Api-Key"].Reveal())
				require.False(t, c["remote"].IsEnabled())
			},
		},
		{
			name:  "missing mcp_config",
			body:  `{"agent_settings":{"llm":{"model":"m"}},"conversation_settings":{},"llm_api_key_is_set":false}`,
			check: func(t *testing.T, c mcp.Config) { require.NotNil(t, c); require.Empty(t, c) },
		},
		{
			name:  "null mcp_config",
			body:  `{"agent_settings":{"mcp_config":null},"conversation_settings":{},"llm_api_key_is_set":false}`,
			check: func(t *testing.T, c mcp.Config) { require.NotNil(t, c); require.Empty(t, c) },
		},
		{
			name:  "ACP agent yields empty",
			body:  `{"agent_settings":{"agent_kind":"acp","mcp_config":{"x":{"command":"c"}}},"conversation_settings":{},"llm_api_key_is_set":false}`,
			check: func(t *testing.T, c mcp.Config) { require.NotNil(t, c); require.Empty(t, c) },
		},
		{
			name: "legacy llm kind is openhands",
			body: `{"agent_settings":{"schema_version":1,"agent_kind":"llm","mcp_config":{"mcpServers":{"fetch":{"command":"uvx","args":["mcp-server-fetch"],"unknown":1}}}},"conversation_settings":{},"llm_api_key_is_set":false}`,
			check: func(t *testing.T, c mcp.Config) {
				require.Equal(t, "uvx", *c["fetch"].Command)
				require.Equal(t, []string{"mcp-server-fetch"}, c["fetch"].Args)
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.on("GET", "/api/settings", jsonResp(200, tc.body))
			w, _ := newTestWS(t, f)
			c, err := w.GetMCPConfig(context.Background())
			require.NoError(t, err)
			tc.check(t, c)
			reqs := f.requests()
			require.Len(t, reqs, 1)
			require.Equal(t, map[string]string{"X-Session-Api-Key": testKey, "X-Expose-Secrets": "plaintext"}, apiHeaders(reqs[0].Header))
		})
	}
}

func TestGetMCPConfig_Invalid(t *testing.T) {
	for _, body := range []string{
		`{"agent_settings":{"mcp_config":{"x":{"bogus":1}}},"conversation_settings":{},"llm_api_key_is_set":false}`,
		`{"agent_settings":{"mcp_config":{"x":{"transport":"stdio"}}},"conversation_settings":{},"llm_api_key_is_set":false}`,
		`{"agent_settings":{"mcp_config":[]},"conversation_settings":{},"llm_api_key_is_set":false}`,
		`{"agent_settings":{"schema_version":9},"conversation_settings":{},"llm_api_key_is_set":false}`,
	} {
		f := newFake(t)
		f.on("GET", "/api/settings", jsonResp(200, body))
		w, _ := newTestWS(t, f)
		_, err := w.GetMCPConfig(context.Background())
		require.ErrorIs(t, err, ErrInvalidResponse, body)
		require.Equal(t, 1, f.count())
	}
}

func TestMCPServerCRUD(t *testing.T) {
	url := "https://github.example/mcp"
	server := mcp.Server{URL: &url, Transport: strp("http"), Auth: mcp.BearerAuth("s3cr3t")}
	f := newFake(t)
	respBody := `{"agent_settings":{"mcp_config":{"git/hub x":{"url":"https://github.example/mcp","transport":"http","auth":{"strategy":"bearer","value":"**********"},"enabled":true}}},"conversation_settings":{},"llm_api_key_is_set":false}`
	f.on("POST", "/api/settings/mcp/git%2Fhub%20x", jsonResp(201, respBody))
	f.on("PATCH", "/api/settings/mcp/git%2Fhub%20x", jsonResp(200, respBody))
	require.Equal(t, "/api/settings/mcp/git%2Fhub%20x", mustPath(mcpPath("git/hub x")))
	f.on("DELETE", "/api/settings/mcp/git%2Fhub%20x", jsonResp(200, settingsRedactedNoProfile))
	w, _ := newTestWS(t, f)
	ctx := context.Background()

	s, err := w.CreateMCPServer(ctx, "git/hub x", server)
	require.NoError(t, err)
	got := s.AgentSettings.MCPConfig["git/hub x"]
	require.Equal(t, secret.Str(secret.Marker), got.Auth.Value, "the response is redacted")

	_, err = w.PatchMCPServer(ctx, "git/hub x", map[string]any{"auth": nil, "env": map[string]any{"A": nil}, "headers": map[string]secret.Str{"X-K": "hv"}})
	require.NoError(t, err)
	_, err = w.PatchMCPServer(ctx, "git/hub x", nil)
	require.NoError(t, err)
	_, err = w.PatchMCPServer(ctx, "git/hub x", map[string]any{"auth": mcp.BearerAuth("rotated-token")})
	require.NoError(t, err)

	s, err = w.DeleteMCPServer(ctx, "git/hub x")
	require.NoError(t, err)
	require.Empty(t, s.AgentSettings.MCPConfig)

	for _, bad := range []string{"", ".", ".."} {
		_, err = w.CreateMCPServer(ctx, bad, server)
		require.Error(t, err)
		_, err = w.PatchMCPServer(ctx, bad, nil)
		require.Error(t, err)
		_, err = w.DeleteMCPServer(ctx, bad)
		require.Error(t, err)
	}

	reqs := f.requests()
	require.Len(t, reqs, 5)
	var created map[string]any
	require.NoError(t, json.Unmarshal([]byte(reqs[0].Body), &created))
	require.Equal(t, map[string]any{"strategy": "bearer", "value": "s3cr3t"}, created["auth"], "secrets are sent in plaintext")
	require.JSONEq(t, `{"auth":null,"env":{"A":null},"headers":{"X-K":"hv"}}`, reqs[1].Body)
	require.JSONEq(t, `{}`, reqs[2].Body)
	require.JSONEq(t, `{"auth":{"strategy":"bearer","value":"rotated-token"}}`, reqs[3].Body)
	require.Equal(t, "", reqs[4].Body)
	for _, r := range reqs {
		require.Equal(t, map[string]string{"X-Session-Api-Key": testKey}, apiHeaders(r.Header))
	}
}

func mustPath(p string, err error) string {
	if err != nil {
		panic(err)
	}
	return p
}
