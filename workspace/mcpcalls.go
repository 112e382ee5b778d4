package workspace

import (
	"context"
	"errors"

	"github.com/openhands-go/sdk/mcp"
)

// GetMCPConfig returns agent_settings.mcp_config with plaintext secrets
// (client.md §6): GET /api/settings with X-Expose-Secrets: plaintext. An ACP
// agent, or a document without mcp_config, yields an empty (non-nil) map.
// Servers with enabled:false are included.
func (w *Workspace) GetMCPConfig(ctx context.Context) (mcp.Config, error) {
	if w == nil || w.host == "" {
		return nil, ErrHostNotSet
	}
	c := &call{method: "GET", path: "/api/settings", expose: Plaintext}
	body, err := w.do(ctx, c)
	if err != nil {
		return nil, err
	}
	env, err := parseSettingsEnvelope(c, body)
	if err != nil {
		return nil, err
	}
	agent, err := parseValidAgentSettings(env.AgentSettings, partMCP, nil)
	if err != nil {
		return nil, &opError{method: c.method, path: c.path, err: err}
	}
	if agent.AgentKind != AgentKindOpenHands || agent.MCPConfig == nil {
		return mcp.Config{}, nil
	}
	return agent.MCPConfig, nil
}

func mcpPath(key string) (string, error) {
	if err := checkSegment("MCP server key", key); err != nil {
		return "", err
	}
	return "/api/settings/mcp/" + quoteAll(key), nil
}

// CreateMCPServer adds an MCP server (POST /api/settings/mcp/{key}, key
// percent-encoded) and returns the updated (redacted) settings. The server
// is sent with its real secrets; a "**********" value is refused with
// ErrRedactedValue. An existing key is an *APIError matching ErrConflict.
// This creating POST is never retried.
func (w *Workspace) CreateMCPServer(ctx context.Context, key string, server mcp.Server) (*Settings, error) {
	path, err := mcpPath(key)
	if err != nil {
		return nil, err
	}
	body, err := server.PlaintextJSON()
	if err != nil {
		return nil, err
	}
	return w.settingsWrite(ctx, &call{method: "POST", path: path, body: body, noRetry: true})
}

// PatchMCPServer applies an RFC 7386 merge patch to one MCP server (PATCH
// /api/settings/mcp/{key}): only members present are changed, null removes
// a member (e.g. {"auth": nil}, {"env": {"A": nil}}). Values are sent as for
// SettingsPatch (SDK secret types contribute their real values). A missing
// key is an *APIError matching ErrNotFound.
func (w *Workspace) PatchMCPServer(ctx context.Context, key string, patch map[string]any) (*Settings, error) {
	path, err := mcpPath(key)
	if err != nil {
		return nil, err
	}
	if patch == nil {
		patch = map[string]any{}
	}
	v, err := plaintextValue(patch)
	if err != nil {
		return nil, err
	}
	body, err := marshalNoEscape(v)
	if err != nil {
		return nil, errors.New("workspace: PatchMCPServer: patch cannot be encoded as JSON")
	}
	return w.settingsWrite(ctx, &call{method: "PATCH", path: path, body: body})
}

// DeleteMCPServer removes one MCP server (DELETE /api/settings/mcp/{key}); a
// missing key is an *APIError matching ErrNotFound.
func (w *Workspace) DeleteMCPServer(ctx context.Context, key string) (*Settings, error) {
	path, err := mcpPath(key)
	if err != nil {
		return nil, err
	}
	return w.settingsWrite(ctx, &call{method: "DELETE", path: path})
}
