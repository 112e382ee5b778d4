package workspace_test

// Integration tests: every public method of *workspace.Workspace against the
// real Go reference agent-server started in-process by workspacetest.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/llm"
	"github.com/openhands-go/sdk/mcp"
	"github.com/openhands-go/sdk/secret"
	"github.com/openhands-go/sdk/workspace"
	"github.com/openhands-go/sdk/workspace/workspacetest"
)

// itStart starts a server with default options (random session and secret
// keys, memory store) plus opts, and a client holding the server's key.
func itStart(t *testing.T, opts ...workspacetest.Option) (*workspacetest.Server, *workspace.Workspace) {
	t.Helper()
	srv := workspacetest.NewServer(t, opts...)
	ws, err := workspace.New(srv.URL, workspace.WithAPIKey(srv.APIKey))
	require.NoError(t, err)
	t.Cleanup(ws.CloseIdleConnections)
	return srv, ws
}

func itCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func itStr(s string) *string { return &s }

// itLLM is an LLM configuration with the given model and provider key.
func itLLM(model, key string) *llm.LLM {
	l := llm.Default()
	l.Model = model
	l.APIKey = secret.Str(key)
	return l
}

// itAPIError asserts err is an *APIError with the status and returns it.
func itAPIError(t *testing.T, err error, status int) *workspace.APIError {
	t.Helper()
	require.Error(t, err)
	var ae *workspace.APIError
	require.Truef(t, errors.As(err, &ae), "want *APIError, got %T: %v", err, err)
	require.Equal(t, status, ae.StatusCode, "error: %v", err)
	return ae
}

// --- GetLLM ----------------------------------------------------------------

func TestIntegration_GetLLM_LegacyFallback(t *testing.T) {
	ctx := itCtx(t)
	_, ws := itStart(t)

	// Fresh server: the default LLM, no key, usage_id "default".
	l, err := ws.GetLLM(ctx)
	require.NoError(t, err)
	require.Equal(t, llm.DefaultModel, l.Model)
	require.False(t, l.APIKey.IsSet())
	require.Equal(t, "default", l.UsageID)

	stored := itLLM("openai/gpt-4o", "sk-legacy-κλειδί")
	stored.BaseURL = itStr("https://litellm.example.com")
	_, err = ws.SetLLM(ctx, stored)
	require.NoError(t, err)

	l, err = ws.GetLLM(ctx)
	require.NoError(t, err)
	require.Equal(t, "openai/gpt-4o", l.Model)
	require.Equal(t, "sk-legacy-κλειδί", l.APIKey.Reveal())
	require.Equal(t, "https://litellm.example.com", *l.BaseURL)
	require.Equal(t, "default", l.UsageID, "no overrides: the stored usage_id is kept")

	// A stored custom usage_id is kept unchanged too.
	stored.UsageID = "my-agent"
	_, err = ws.SetLLM(ctx, stored)
	require.NoError(t, err)
	l, err = ws.GetLLM(ctx)
	require.NoError(t, err)
	require.Equal(t, "my-agent", l.UsageID)

	// Overrides apply on top; usage_id is unchanged unless overridden.
	l, err = ws.GetLLM(ctx, workspace.WithModel("anthropic/claude-sonnet-4-5"), workspace.WithTemperature(0.25))
	require.NoError(t, err)
	require.Equal(t, "anthropic/claude-sonnet-4-5", l.Model)
	require.NotNil(t, l.Temperature)
	require.InDelta(t, 0.25, *l.Temperature, 1e-12)
	require.Equal(t, "sk-legacy-κλειδί", l.APIKey.Reveal())
	require.Equal(t, "my-agent", l.UsageID)

	l, err = ws.GetLLM(ctx, workspace.WithUsageID("custom"), workspace.WithLLMAPIKey("sk-override"),
		workspace.WithBaseURL("https://other.example"))
	require.NoError(t, err)
	require.Equal(t, "custom", l.UsageID)
	require.Equal(t, "sk-override", l.APIKey.Reveal())
	require.Equal(t, "https://other.example", *l.BaseURL)

	// An override that makes the LLM invalid is an error.
	_, err = ws.GetLLM(ctx, workspace.Override("temperature", -1))
	require.Error(t, err)
}

func TestIntegration_GetLLM_ActiveProfile(t *testing.T) {
	for _, via := range []string{"patch", "activate"} {
		t.Run(via, func(t *testing.T) {
			ctx := itCtx(t)
			_, ws := itStart(t)
			_, err := ws.SetLLM(ctx, itLLM("openai/gpt-4o", "sk-agent"))
			require.NoError(t, err)
			_, err = ws.SaveProfile(ctx, "fast", itLLM("openai/gpt-4o-mini", "sk-fast"), true)
			require.NoError(t, err)

			switch via {
			case "patch":
				s, err := ws.PatchSettings(ctx, workspace.SettingsPatch{ActiveProfile: workspace.Some("fast")})
				require.NoError(t, err)
				require.Equal(t, "fast", *s.ActiveProfile)
				require.Equal(t, "openai/gpt-4o-mini", s.AgentSettings.LLM.Model, "PATCH active_profile loads the profile's LLM")
			case "activate":
				a, err := ws.ActivateProfile(ctx, "fast")
				require.NoError(t, err)
				require.True(t, a.LLMApplied)
			}

			l, err := ws.GetLLM(ctx)
			require.NoError(t, err)
			require.Equal(t, "openai/gpt-4o-mini", l.Model)
			require.Equal(t, "sk-fast", l.APIKey.Reveal())
			require.Equal(t, "profile:fast", l.UsageID)

			// The active profile wins even after agent_settings.llm is edited
			// directly (the server keeps the pointer).
			_, err = ws.SetLLM(ctx, itLLM("openai/o3", "sk-edited"))
			require.NoError(t, err)
			s, err := ws.Settings(ctx, workspace.Plaintext)
			require.NoError(t, err)
			require.Equal(t, "openai/o3", s.AgentSettings.LLM.Model)
			require.Equal(t, "fast", *s.ActiveProfile)
			l, err = ws.GetLLM(ctx)
			require.NoError(t, err)
			require.Equal(t, "openai/gpt-4o-mini", l.Model)
			require.Equal(t, "sk-fast", l.APIKey.Reveal())
			require.Equal(t, "profile:fast", l.UsageID)

			// Overrides: usage_id beats "profile:".
			l, err = ws.GetLLM(ctx, workspace.WithUsageID("custom-usage"), workspace.WithTemperature(0.3))
			require.NoError(t, err)
			require.Equal(t, "custom-usage", l.UsageID)
			require.InDelta(t, 0.3, *l.Temperature, 1e-12)

			// Clearing the pointer falls back to agent_settings.llm.
			_, err = ws.PatchSettings(ctx, workspace.SettingsPatch{ActiveProfile: workspace.Null[string]()})
			require.NoError(t, err)
			l, err = ws.GetLLM(ctx)
			require.NoError(t, err)
			require.Equal(t, "openai/o3", l.Model)
			require.Equal(t, "default", l.UsageID)
		})
	}
}

func TestIntegration_GetLLM_FromProfile(t *testing.T) {
	ctx := itCtx(t)
	_, ws := itStart(t)
	p := itLLM("openai/gpt-4o-mini", "sk-fast-model")
	p.UsageID = "stored-usage"
	_, err := ws.SaveProfile(ctx, "fast-model", p, true)
	require.NoError(t, err)
	_, err = ws.SetLLM(ctx, itLLM("openai/gpt-4o", "sk-agent"))
	require.NoError(t, err)

	l, err := ws.GetLLM(ctx, workspace.FromProfile("fast-model"), workspace.WithTemperature(0.3))
	require.NoError(t, err)
	require.Equal(t, "openai/gpt-4o-mini", l.Model)
	require.Equal(t, "sk-fast-model", l.APIKey.Reveal())
	require.Equal(t, "profile:fast-model", l.UsageID, "the stored usage_id is replaced")
	require.InDelta(t, 0.3, *l.Temperature, 1e-12)

	l, err = ws.GetLLM(ctx, workspace.FromProfile("fast-model"), workspace.WithUsageID("custom-usage"))
	require.NoError(t, err)
	require.Equal(t, "custom-usage", l.UsageID)

	// No overrides.
	l, err = ws.GetLLM(ctx, workspace.FromProfile("fast-model"))
	require.NoError(t, err)
	require.Equal(t, "profile:fast-model", l.UsageID)

	_, err = ws.GetLLM(ctx, workspace.FromProfile(""))
	require.Error(t, err)
}

func TestIntegration_GetLLM_ProfileNotFound(t *testing.T) {
	ctx := itCtx(t)
	_, ws := itStart(t)

	_, err := ws.GetLLM(ctx, workspace.FromProfile("nope"))
	require.ErrorIs(t, err, workspace.ErrProfileNotFound)
	require.ErrorIs(t, err, workspace.ErrNotFound)
	require.EqualError(t, err, "LLM profile 'nope' not found")

	// An active pointer naming a missing profile: the server sets the
	// pointer without checking when the same PATCH carries an llm.
	_, err = ws.PatchSettings(ctx, workspace.SettingsPatch{
		AgentSettingsDiff: map[string]any{"llm": itLLM("openai/gpt-4o", "sk-x")},
		ActiveProfile:     workspace.Some("ghost"),
	})
	require.NoError(t, err)
	_, err = ws.GetLLM(ctx)
	require.ErrorIs(t, err, workspace.ErrProfileNotFound)
	require.EqualError(t, err, "LLM profile 'ghost' not found")
}

func TestIntegration_GetLLM_ACPAttributionLLM(t *testing.T) {
	ctx := itCtx(t)
	_, ws := itStart(t)
	_, err := ws.PatchSettings(ctx, workspace.SettingsPatch{AgentSettingsDiff: map[string]any{
		"agent_kind": "acp",
		"llm":        itLLM("openai/gpt-4o", "sk-acp"),
	}})
	require.NoError(t, err)
	l, err := ws.GetLLM(ctx)
	require.NoError(t, err)
	require.Equal(t, "openai/gpt-4o", l.Model)
	require.Equal(t, "sk-acp", l.APIKey.Reveal())
}

// --- GetSecrets ------------------------------------------------------------

func TestIntegration_GetSecrets(t *testing.T) {
	ctx := itCtx(t)
	srv, ws := itStart(t)

	// Empty server: empty, non-nil map.
	all, err := ws.GetSecrets(ctx)
	require.NoError(t, err)
	require.NotNil(t, all)
	require.Empty(t, all)

	values := map[string]string{
		"GITHUB_TOKEN":   "ghp_0123456789",
		"OPENAI_API_KEY": "sk-😀-ünïcödé \"quoted\" \\ back",
		"multi_line":     "  line 1\nline 2\n",
	}
	descs := map[string]*string{"GITHUB_TOKEN": itStr("GitHub PAT"), "OPENAI_API_KEY": nil, "multi_line": itStr("ümlaut")}
	for _, name := range []string{"GITHUB_TOKEN", "OPENAI_API_KEY", "multi_line"} {
		_, err := ws.PutSecret(ctx, name, values[name], descs[name])
		require.NoError(t, err)
	}

	all, err = ws.GetSecrets(ctx)
	require.NoError(t, err)
	require.Len(t, all, 3)
	for name, ls := range all {
		require.Equal(t, srv.URL+"/api/settings/secrets/"+name, ls.URL)
		require.Equal(t, map[string]string{workspace.HeaderSessionAPIKey: srv.APIKey}, ls.Headers)
		require.Equal(t, descs[name], ls.Description, name)

		// The agent-server's way of resolving it: GET URL with Headers.
		v, err := ls.Resolve(ctx)
		require.NoError(t, err, name)
		require.Equal(t, values[name], v, name)
	}

	// Each LookupSecret gets its own copy of the headers.
	all["GITHUB_TOKEN"].Headers[workspace.HeaderSessionAPIKey] = "tampered"
	require.Equal(t, srv.APIKey, all["OPENAI_API_KEY"].Headers[workspace.HeaderSessionAPIKey])
	require.Equal(t, srv.APIKey, ws.AuthHeaders()[workspace.HeaderSessionAPIKey])

	// Filtered; names the server does not have are simply absent.
	some, err := ws.GetSecrets(ctx, "GITHUB_TOKEN", "NOT_THERE")
	require.NoError(t, err)
	require.Len(t, some, 1)
	require.Contains(t, some, "GITHUB_TOKEN")

	none, err := ws.GetSecrets(ctx, "NOT_THERE")
	require.NoError(t, err)
	require.Empty(t, none)

	empty, err := ws.GetSecretsNamed(ctx, []string{})
	require.NoError(t, err)
	require.NotNil(t, empty)
	require.Empty(t, empty)

	named, err := ws.GetSecretsNamed(ctx, nil)
	require.NoError(t, err)
	require.Len(t, named, 3)

	// secret.Environ: "NAME=value" sorted by name.
	env, err := secret.Environ(ctx, some)
	require.NoError(t, err)
	require.Equal(t, []string{"GITHUB_TOKEN=ghp_0123456789"}, env)
	all, err = ws.GetSecrets(ctx)
	require.NoError(t, err)
	env, err = secret.Environ(ctx, all)
	require.NoError(t, err)
	require.Equal(t, []string{
		"GITHUB_TOKEN=" + values["GITHUB_TOKEN"],
		"OPENAI_API_KEY=" + values["OPENAI_API_KEY"],
		"multi_line=" + values["multi_line"],
	}, env)

	// A LookupSecret outliving its secret fails with secret.ErrNotFound.
	require.NoError(t, ws.DeleteSecret(ctx, "GITHUB_TOKEN"))
	_, err = all["OPENAI_API_KEY"].Resolve(ctx)
	require.NoError(t, err)
	_, err = some["GITHUB_TOKEN"].Resolve(ctx)
	require.ErrorIs(t, err, secret.ErrNotFound)
}

func TestIntegration_GetSecrets_NoAuthServer(t *testing.T) {
	ctx := itCtx(t)
	srv := workspacetest.NewServer(t, workspacetest.WithoutAuth(), workspacetest.WithSecret("TOKEN", "v", ""))
	ws, err := workspace.New(srv.URL + "/")
	require.NoError(t, err)
	m, err := ws.GetSecrets(ctx)
	require.NoError(t, err)
	require.Len(t, m, 1)
	require.Equal(t, srv.URL+"/api/settings/secrets/TOKEN", m["TOKEN"].URL)
	require.Equal(t, map[string]string{}, m["TOKEN"].Headers)
	require.Nil(t, m["TOKEN"].Description)
	v, err := m["TOKEN"].Resolve(ctx)
	require.NoError(t, err)
	require.Equal(t, "v", v)
}

// --- Secrets CRUD ----------------------------------------------------------

func TestIntegration_SecretsCRUD(t *testing.T) {
	ctx := itCtx(t)
	_, ws := itStart(t)

	list, err := ws.ListSecrets(ctx)
	require.NoError(t, err)
	require.NotNil(t, list)
	require.Empty(t, list)

	exact := "  päss wörd 🔑\t\"\\ \u2028 end\n"
	info, err := ws.PutSecret(ctx, "B_SECRET", exact, itStr("desc ü"))
	require.NoError(t, err)
	require.Equal(t, workspace.SecretInfo{Name: "B_SECRET", Description: itStr("desc ü")}, *info)
	_, err = ws.PutSecret(ctx, "A_SECRET", "a", nil)
	require.NoError(t, err)
	_, err = ws.PutSecret(ctx, "C_SECRET", "c", itStr("c"))
	require.NoError(t, err)

	v, err := ws.SecretValue(ctx, "B_SECRET")
	require.NoError(t, err)
	require.Equal(t, exact, v.Reveal(), "exact bytes, no trimming")

	// Upsert keeps the position and replaces value and description.
	info, err = ws.PutSecret(ctx, "B_SECRET", "new", nil)
	require.NoError(t, err)
	require.Nil(t, info.Description)
	list, err = ws.ListSecrets(ctx)
	require.NoError(t, err)
	require.Equal(t, []workspace.SecretInfo{
		{Name: "B_SECRET"}, {Name: "A_SECRET"}, {Name: "C_SECRET", Description: itStr("c")},
	}, list)
	v, err = ws.SecretValue(ctx, "B_SECRET")
	require.NoError(t, err)
	require.Equal(t, "new", v.Reveal())

	// Bad names: 422 from the server.
	for _, bad := range []string{"123_invalid", "invalid-name", strings.Repeat("a", 65)} {
		_, err = ws.PutSecret(ctx, bad, "x", nil)
		ae := itAPIError(t, err, 422)
		require.Contains(t, ae.Detail, "Invalid secret name format")
		_, err = ws.SecretValue(ctx, bad)
		itAPIError(t, err, 422)
		err = ws.DeleteSecret(ctx, bad)
		itAPIError(t, err, 422)
	}

	// Delete, then 404 → ErrNotFound.
	require.NoError(t, ws.DeleteSecret(ctx, "A_SECRET"))
	err = ws.DeleteSecret(ctx, "A_SECRET")
	require.ErrorIs(t, err, workspace.ErrNotFound)
	itAPIError(t, err, 404)
	_, err = ws.SecretValue(ctx, "A_SECRET")
	require.ErrorIs(t, err, workspace.ErrNotFound)

	// Whitespace-only value: listed but no value (404).
	_, err = ws.PutSecret(ctx, "BLANK", "   ", nil)
	require.NoError(t, err)
	_, err = ws.SecretValue(ctx, "BLANK")
	require.ErrorIs(t, err, workspace.ErrNotFound)

	// The marker is refused by the client before sending.
	_, err = ws.PutSecret(ctx, "C_SECRET", "**********", nil)
	require.ErrorIs(t, err, workspace.ErrRedactedValue)
	v, err = ws.SecretValue(ctx, "C_SECRET")
	require.NoError(t, err)
	require.Equal(t, "c", v.Reveal())

	// Client-side path checks.
	_, err = ws.SecretValue(ctx, "")
	require.Error(t, err)
	require.Error(t, ws.DeleteSecret(ctx, ".."))
}

// --- GetMCPConfig and MCP CRUD -------------------------------------------

func TestIntegration_GetMCPConfig(t *testing.T) {
	ctx := itCtx(t)
	_, ws := itStart(t)

	cfg, err := ws.GetMCPConfig(ctx)
	require.NoError(t, err)
	require.NotNil(t, cfg)
	require.Empty(t, cfg)

	cmd := "npx"
	stdio := mcp.Server{
		Command:   &cmd,
		Transport: itStr(mcp.TransportStdio),
		Args:      []string{"-y", "@modelcontextprotocol/server-fs"},
		Env:       map[string]secret.Str{"FS_TOKEN": "env-sëcret"},
	}
	s, err := ws.CreateMCPServer(ctx, "fs", stdio)
	require.NoError(t, err)
	require.Contains(t, s.AgentSettings.MCPConfig, "fs")
	require.Equal(t, secret.Marker, s.AgentSettings.MCPConfig["fs"].Env["FS_TOKEN"].Reveal(), "write answers are redacted")

	disabled := false
	remote := mcp.Server{
		URL:       itStr("https://github.example/mcp"),
		Transport: itStr(mcp.TransportHTTP),
		Auth:      mcp.BearerAuth("bearer-tøken"),
		Enabled:   &disabled,
	}
	_, err = ws.CreateMCPServer(ctx, "github", remote)
	require.NoError(t, err)

	cfg, err = ws.GetMCPConfig(ctx)
	require.NoError(t, err)
	require.Len(t, cfg, 2)
	require.Equal(t, "npx", *cfg["fs"].Command)
	require.Equal(t, []string{"-y", "@modelcontextprotocol/server-fs"}, cfg["fs"].Args)
	require.Equal(t, "env-sëcret", cfg["fs"].Env["FS_TOKEN"].Reveal())
	gh := cfg["github"]
	require.Equal(t, "https://github.example/mcp", *gh.URL)
	require.Equal(t, mcp.TransportHTTP, *gh.Transport)
	require.NotNil(t, gh.Auth)
	require.Equal(t, mcp.StrategyBearer, gh.Auth.Strategy)
	require.Equal(t, "bearer-tøken", gh.Auth.Value.Reveal())
	require.False(t, gh.IsEnabled(), "disabled servers are included")

	// Switching the agent to ACP: GetMCPConfig is empty, even when the ACP
	// document carries an mcp_config.
	_, err = ws.PatchSettings(ctx, workspace.SettingsPatch{AgentSettingsDiff: map[string]any{"agent_kind": workspace.AgentKindACP}})
	require.NoError(t, err)
	_, err = ws.CreateMCPServer(ctx, "acp-side", stdio)
	require.NoError(t, err)
	st, err := ws.Settings(ctx, workspace.Plaintext)
	require.NoError(t, err)
	require.True(t, st.AgentSettings.IsACP())
	require.Contains(t, st.AgentSettings.MCPConfig, "acp-side")
	cfg, err = ws.GetMCPConfig(ctx)
	require.NoError(t, err)
	require.NotNil(t, cfg)
	require.Empty(t, cfg)
}

func TestIntegration_MCPServerCRUD(t *testing.T) {
	ctx := itCtx(t)
	_, ws := itStart(t)
	cmd := "uvx"
	srvDef := mcp.Server{Command: &cmd, Transport: itStr(mcp.TransportStdio), Env: map[string]secret.Str{"A": "1", "B": "2"}}

	s, err := ws.CreateMCPServer(ctx, "tools", srvDef)
	require.NoError(t, err)
	require.Len(t, s.AgentSettings.MCPConfig, 1)

	_, err = ws.CreateMCPServer(ctx, "tools", srvDef)
	require.ErrorIs(t, err, workspace.ErrConflict)
	ae := itAPIError(t, err, 409)
	require.Equal(t, "MCP server 'tools' already exists", ae.Detail)

	// Merge patch: null removes one env entry, a new member is added.
	_, err = ws.PatchMCPServer(ctx, "tools", map[string]any{
		"env":         map[string]any{"A": nil, "C": secret.Str("3")},
		"description": "patched",
	})
	require.NoError(t, err)
	cfg, err := ws.GetMCPConfig(ctx)
	require.NoError(t, err)
	require.Equal(t, map[string]secret.Str{"B": "2", "C": "3"}, cfg["tools"].Env)
	require.Equal(t, "patched", *cfg["tools"].Description)

	// Empty patch is a no-op.
	_, err = ws.PatchMCPServer(ctx, "tools", nil)
	require.NoError(t, err)

	// A patch that makes the server invalid (stdio without command): 422
	// "Settings validation failed".
	_, err = ws.PatchMCPServer(ctx, "tools", map[string]any{"command": nil})
	ae = itAPIError(t, err, 422)
	require.Equal(t, "Settings validation failed", ae.Detail)

	// A patch carrying the marker is refused before sending.
	_, err = ws.PatchMCPServer(ctx, "tools", map[string]any{"env": map[string]any{"B": "**********"}})
	require.ErrorIs(t, err, workspace.ErrRedactedValue)
	cfg, err = ws.GetMCPConfig(ctx)
	require.NoError(t, err)
	require.Equal(t, "2", cfg["tools"].Env["B"].Reveal())

	_, err = ws.PatchMCPServer(ctx, "missing", map[string]any{"description": "x"})
	require.ErrorIs(t, err, workspace.ErrNotFound)
	ae = itAPIError(t, err, 404)
	require.Equal(t, "MCP server 'missing' was not found", ae.Detail)

	_, err = ws.DeleteMCPServer(ctx, "missing")
	require.ErrorIs(t, err, workspace.ErrNotFound)

	s, err = ws.DeleteMCPServer(ctx, "tools")
	require.NoError(t, err)
	require.Empty(t, s.AgentSettings.MCPConfig)
	_, err = ws.DeleteMCPServer(ctx, "tools")
	require.ErrorIs(t, err, workspace.ErrNotFound)

	// Client-side key checks.
	_, err = ws.CreateMCPServer(ctx, "", srvDef)
	require.Error(t, err)
	_, err = ws.DeleteMCPServer(ctx, ".")
	require.Error(t, err)
}

// TestIntegration_MCPServerSpecialKeys: keys are sent percent-encoded with no
// safe characters; the server percent-decodes the path segment.
func TestIntegration_MCPServerSpecialKeys(t *testing.T) {
	cmd := "run"
	def := mcp.Server{Command: &cmd}
	for _, key := range []string{"my server/1", "ключ?#%", "a+b&c=d", "dots.and-dash_~"} {
		t.Run(key, func(t *testing.T) {
			ctx := itCtx(t)
			_, ws := itStart(t)
			s, err := ws.CreateMCPServer(ctx, key, def)
			require.NoError(t, err)
			require.Contains(t, s.AgentSettings.MCPConfig, key)

			cfg, err := ws.GetMCPConfig(ctx)
			require.NoError(t, err)
			require.Equal(t, []string{key}, itKeys(cfg))

			_, err = ws.PatchMCPServer(ctx, key, map[string]any{"description": "d"})
			require.NoError(t, err)
			_, err = ws.CreateMCPServer(ctx, key, def)
			require.ErrorIs(t, err, workspace.ErrConflict)
			s, err = ws.DeleteMCPServer(ctx, key)
			require.NoError(t, err)
			require.Empty(t, s.AgentSettings.MCPConfig)
		})
	}
}

func itKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// --- Settings, PatchSettings, SetLLM --------------------------------------

func TestIntegration_SettingsExposure(t *testing.T) {
	ctx := itCtx(t)
	_, ws := itStart(t)
	l := itLLM("openai/gpt-4o", "sk-exposure-ü")
	l.AWSSecretAccessKey = "aws-secret"
	_, err := ws.SetLLM(ctx, l)
	require.NoError(t, err)
	cmd := "npx"
	_, err = ws.CreateMCPServer(ctx, "fs", mcp.Server{Command: &cmd, Env: map[string]secret.Str{"TOKEN": "mcp-secret"}})
	require.NoError(t, err)

	red, err := ws.Settings(ctx, workspace.Redacted)
	require.NoError(t, err)
	require.True(t, red.LLMAPIKeyIsSet)
	require.Equal(t, secret.Marker, red.AgentSettings.LLM.APIKey.Reveal())
	require.Equal(t, secret.Marker, red.AgentSettings.LLM.AWSSecretAccessKey.Reveal())
	require.Equal(t, secret.Marker, red.AgentSettings.MCPConfig["fs"].Env["TOKEN"].Reveal())
	require.NotContains(t, string(red.AgentSettings.Raw()), "sk-exposure")
	require.Equal(t, workspace.AgentKindOpenHands, red.AgentSettings.AgentKind)
	require.Equal(t, workspace.AgentSettingsSchemaVersion, red.AgentSettings.SchemaVersion)
	require.Equal(t, workspace.DefaultConversationSettings(), red.ConversationSettings)
	require.Nil(t, red.ActiveProfile)
	require.Nil(t, red.ActiveAgentProfileID)
	require.Equal(t, map[string]any{}, red.MiscSettings)

	enc, err := ws.Settings(ctx, workspace.Encrypted)
	require.NoError(t, err)
	require.True(t, enc.LLMAPIKeyIsSet)
	for _, v := range []secret.Str{enc.AgentSettings.LLM.APIKey, enc.AgentSettings.LLM.AWSSecretAccessKey, enc.AgentSettings.MCPConfig["fs"].Env["TOKEN"]} {
		require.True(t, strings.HasPrefix(v.Reveal(), "gAAAAA"), "encrypted exposure gives Fernet tokens")
	}
	require.False(t, enc.AgentSettings.LLM.AWSAccessKeyID.IsSet(), "null secrets stay null")

	plain, err := ws.Settings(ctx, workspace.Plaintext)
	require.NoError(t, err)
	require.Equal(t, "sk-exposure-ü", plain.AgentSettings.LLM.APIKey.Reveal())
	require.Equal(t, "aws-secret", plain.AgentSettings.LLM.AWSSecretAccessKey.Reveal())
	require.Equal(t, "mcp-secret", plain.AgentSettings.MCPConfig["fs"].Env["TOKEN"].Reveal())
	require.Contains(t, string(plain.AgentSettings.Raw()), "sk-exposure-ü")

	_, err = ws.Settings(ctx, workspace.Exposure(42))
	require.Error(t, err)
}

func TestIntegration_EncryptedWithoutSecretKey(t *testing.T) {
	ctx := itCtx(t)
	srv := workspacetest.NewServer(t, workspacetest.WithoutSecretKey())
	ws, err := workspace.New(srv.URL, workspace.WithAPIKey(srv.APIKey), workspace.WithRetry(1, 0, 0))
	require.NoError(t, err)

	// No secret set yet: 200 with nulls (the 503 is lazy).
	s, err := ws.Settings(ctx, workspace.Encrypted)
	require.NoError(t, err)
	require.False(t, s.AgentSettings.LLM.APIKey.IsSet())

	_, err = ws.SetLLM(ctx, itLLM("openai/gpt-4o", "sk-nokey"))
	require.NoError(t, err)
	_, err = ws.Settings(ctx, workspace.Encrypted)
	ae := itAPIError(t, err, 503)
	require.True(t, ae.Temporary())
	require.Contains(t, ae.Exception, "Encryption not available")
	require.NotContains(t, err.Error(), "sk-nokey")

	_, err = ws.SaveProfile(ctx, "p", itLLM("openai/gpt-4o", "sk-nokey"), true)
	require.NoError(t, err)
	_, err = ws.GetProfile(ctx, "p", workspace.Encrypted)
	itAPIError(t, err, 503)

	// Plaintext and redacted still work.
	s, err = ws.Settings(ctx, workspace.Plaintext)
	require.NoError(t, err)
	require.Equal(t, "sk-nokey", s.AgentSettings.LLM.APIKey.Reveal())
	_, err = ws.Settings(ctx, workspace.Redacted)
	require.NoError(t, err)
}

func TestIntegration_EncryptedRoundTrip(t *testing.T) {
	ctx := itCtx(t)
	_, ws := itStart(t)
	_, err := ws.SetLLM(ctx, itLLM("openai/gpt-4o", "sk-round-trip"))
	require.NoError(t, err)
	cmd := "npx"
	_, err = ws.CreateMCPServer(ctx, "fs", mcp.Server{Command: &cmd, Env: map[string]secret.Str{"T": "mcp-rt"}})
	require.NoError(t, err)

	enc, err := ws.Settings(ctx, workspace.Encrypted)
	require.NoError(t, err)
	token := enc.AgentSettings.LLM.APIKey.Reveal()
	require.True(t, strings.HasPrefix(token, "gAAAAA"))

	// Send the encrypted LLM (and MCP config) back with a change.
	back := enc.AgentSettings.LLM.Clone()
	back.Model = "openai/gpt-4.1"
	_, err = ws.PatchSettings(ctx, workspace.SettingsPatch{AgentSettingsDiff: map[string]any{
		"llm":        back,
		"mcp_config": enc.AgentSettings.MCPConfig,
	}})
	require.NoError(t, err)

	plain, err := ws.Settings(ctx, workspace.Plaintext)
	require.NoError(t, err)
	require.Equal(t, "openai/gpt-4.1", plain.AgentSettings.LLM.Model)
	require.Equal(t, "sk-round-trip", plain.AgentSettings.LLM.APIKey.Reveal(), "the token decrypts back to the stored secret")
	require.Equal(t, "mcp-rt", plain.AgentSettings.MCPConfig["fs"].Env["T"].Reveal())

	// SetLLM with the encrypted LLM works the same way.
	_, err = ws.SetLLM(ctx, enc.AgentSettings.LLM)
	require.NoError(t, err)
	l, err := ws.GetLLM(ctx)
	require.NoError(t, err)
	require.Equal(t, "sk-round-trip", l.APIKey.Reveal())
	require.Equal(t, "openai/gpt-4o", l.Model)
}

func TestIntegration_MarkerGuard(t *testing.T) {
	ctx := itCtx(t)
	_, ws := itStart(t)
	_, err := ws.SetLLM(ctx, itLLM("openai/gpt-4o", "sk-keep-me"))
	require.NoError(t, err)

	red, err := ws.Settings(ctx, workspace.Redacted)
	require.NoError(t, err)
	require.Equal(t, secret.Marker, red.AgentSettings.LLM.APIKey.Reveal())

	cases := map[string]func() error{
		"SetLLM redacted": func() error { _, err := ws.SetLLM(ctx, red.AgentSettings.LLM); return err },
		"PatchSettings llm.api_key": func() error {
			_, err := ws.PatchSettings(ctx, workspace.SettingsPatch{AgentSettingsDiff: map[string]any{
				"llm": map[string]any{"api_key": "**********"},
			}})
			return err
		},
		"PatchSettings secret.Str": func() error {
			_, err := ws.PatchSettings(ctx, workspace.SettingsPatch{AgentSettingsDiff: map[string]any{
				"llm": map[string]any{"api_key": secret.Str(secret.Marker)},
			}})
			return err
		},
		"SaveProfile redacted": func() error { _, err := ws.SaveProfile(ctx, "p", red.AgentSettings.LLM, true); return err },
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			err := f()
			require.ErrorIs(t, err, workspace.ErrRedactedValue)
			var ae *workspace.APIError
			require.False(t, errors.As(err, &ae), "refused before sending")
		})
	}

	plain, err := ws.Settings(ctx, workspace.Plaintext)
	require.NoError(t, err)
	require.Equal(t, "sk-keep-me", plain.AgentSettings.LLM.APIKey.Reveal(), "the stored key is untouched")
	list, err := ws.ListProfiles(ctx)
	require.NoError(t, err)
	require.Empty(t, list.Profiles)
}

func TestIntegration_PatchSettings(t *testing.T) {
	ctx := itCtx(t)
	_, ws := itStart(t)

	// agent_settings_diff: RFC 7386 merge, null deletes (resets to default).
	s, err := ws.PatchSettings(ctx, workspace.SettingsPatch{AgentSettingsDiff: map[string]any{
		"llm": map[string]any{"model": "openai/gpt-4o", "api_key": "sk-patch", "temperature": 0.5},
	}})
	require.NoError(t, err)
	require.Equal(t, "openai/gpt-4o", s.AgentSettings.LLM.Model)
	require.InDelta(t, 0.5, *s.AgentSettings.LLM.Temperature, 1e-12)
	require.True(t, s.LLMAPIKeyIsSet)
	require.Equal(t, secret.Marker, s.AgentSettings.LLM.APIKey.Reveal(), "write answers are redacted")

	s, err = ws.PatchSettings(ctx, workspace.SettingsPatch{AgentSettingsDiff: map[string]any{
		"llm": map[string]any{"temperature": nil},
	}})
	require.NoError(t, err)
	require.Nil(t, s.AgentSettings.LLM.Temperature)
	require.Equal(t, "openai/gpt-4o", s.AgentSettings.LLM.Model, "siblings kept")
	require.True(t, s.LLMAPIKeyIsSet, "the key survives a merge that does not mention it")

	// conversation_settings_diff: deep merge, top-level null is a value.
	s, err = ws.PatchSettings(ctx, workspace.SettingsPatch{ConversationSettingsDiff: map[string]any{
		"max_iterations": 42, "confirmation_mode": true,
	}})
	require.NoError(t, err)
	require.Equal(t, 42, s.ConversationSettings.MaxIterations)
	require.True(t, s.ConversationSettings.ConfirmationMode)
	require.Equal(t, "llm", *s.ConversationSettings.SecurityAnalyzer)
	s, err = ws.PatchSettings(ctx, workspace.SettingsPatch{ConversationSettingsDiff: map[string]any{"security_analyzer": nil}})
	require.NoError(t, err)
	require.Nil(t, s.ConversationSettings.SecurityAnalyzer)
	require.Equal(t, 42, s.ConversationSettings.MaxIterations)

	// misc_settings_diff: opaque deep merge; nested null deletes, top-level
	// null is stored.
	s, err = ws.PatchSettings(ctx, workspace.SettingsPatch{MiscSettingsDiff: map[string]any{
		"ui": map[string]any{"theme": "dark", "density": "compact"}, "tags": []any{"a", "b"},
	}})
	require.NoError(t, err)
	require.Equal(t, map[string]any{"ui": map[string]any{"theme": "dark", "density": "compact"}, "tags": []any{"a", "b"}}, s.MiscSettings)
	s, err = ws.PatchSettings(ctx, workspace.SettingsPatch{MiscSettingsDiff: map[string]any{
		"ui": map[string]any{"density": nil}, "tags": []any{}, "flag": nil,
	}})
	require.NoError(t, err)
	require.Equal(t, map[string]any{"ui": map[string]any{"theme": "dark"}, "tags": []any{}, "flag": nil}, s.MiscSettings)

	// All three at once.
	s, err = ws.PatchSettings(ctx, workspace.SettingsPatch{
		AgentSettingsDiff:        map[string]any{"llm": map[string]any{"model": "openai/o3"}},
		ConversationSettingsDiff: map[string]any{"max_iterations": 7},
		MiscSettingsDiff:         map[string]any{"n": 1},
	})
	require.NoError(t, err)
	require.Equal(t, "openai/o3", s.AgentSettings.LLM.Model)
	require.Equal(t, 7, s.ConversationSettings.MaxIterations)
	require.EqualValues(t, 1, s.MiscSettings["n"])

	// active_profile: Some of a missing profile → 404 ErrProfileNotFound,
	// nothing changed.
	_, err = ws.PatchSettings(ctx, workspace.SettingsPatch{ActiveProfile: workspace.Some("nope")})
	require.ErrorIs(t, err, workspace.ErrProfileNotFound)
	itAPIError(t, err, 404)

	_, err = ws.SaveProfile(ctx, "fast", itLLM("openai/gpt-4o-mini", "sk-fast"), true)
	require.NoError(t, err)
	var p workspace.SettingsPatch
	s, err = ws.PatchSettings(ctx, *p.SetActiveProfile("fast"))
	require.NoError(t, err)
	require.Equal(t, "fast", *s.ActiveProfile)
	require.Equal(t, "openai/gpt-4o-mini", s.AgentSettings.LLM.Model)

	// Some together with an llm diff: the pointer is set, the given llm wins.
	s, err = ws.PatchSettings(ctx, workspace.SettingsPatch{
		AgentSettingsDiff: map[string]any{"llm": map[string]any{"model": "openai/gpt-4.1"}},
		ActiveProfile:     workspace.Some("fast"),
	})
	require.NoError(t, err)
	require.Equal(t, "openai/gpt-4.1", s.AgentSettings.LLM.Model)
	require.Equal(t, "fast", *s.ActiveProfile)

	// Null clears the pointer only; absent leaves it alone.
	s, err = ws.PatchSettings(ctx, workspace.SettingsPatch{MiscSettingsDiff: map[string]any{}})
	require.NoError(t, err)
	require.Equal(t, "fast", *s.ActiveProfile)
	s, err = ws.PatchSettings(ctx, *new(workspace.SettingsPatch).ClearActiveProfile())
	require.NoError(t, err)
	require.Nil(t, s.ActiveProfile)
	require.Equal(t, "openai/gpt-4.1", s.AgentSettings.LLM.Model)

	// active_agent_profile_id: Some / Null.
	const id = "12345678-1234-1234-1234-1234567890ab"
	s, err = ws.PatchSettings(ctx, *new(workspace.SettingsPatch).SetActiveAgentProfileID(id))
	require.NoError(t, err)
	require.Equal(t, id, *s.ActiveAgentProfileID)
	s, err = ws.PatchSettings(ctx, *new(workspace.SettingsPatch).ClearActiveAgentProfileID())
	require.NoError(t, err)
	require.Nil(t, s.ActiveAgentProfileID)

	// Empty patch → 400.
	_, err = ws.PatchSettings(ctx, workspace.SettingsPatch{})
	ae := itAPIError(t, err, 400)
	require.True(t, strings.HasPrefix(ae.Detail, "At least one of agent_settings_diff"), ae.Detail)

	// Validation failures → 422 "Settings validation failed", nothing changed.
	for _, bad := range []workspace.SettingsPatch{
		{ConversationSettingsDiff: map[string]any{"max_iterations": 0}},
		{ConversationSettingsDiff: map[string]any{"confirmation_mode": nil}},
		{AgentSettingsDiff: map[string]any{"llm": map[string]any{"temperature": -3}}},
		{AgentSettingsDiff: map[string]any{"mcp_config": map[string]any{"x": map[string]any{"bogus": 1}}}},
	} {
		_, err = ws.PatchSettings(ctx, bad)
		ae = itAPIError(t, err, 422)
		require.Equal(t, "Settings validation failed", ae.Detail)
	}
	// Request-shape validation (invalid pointer) → 422 list form.
	_, err = ws.PatchSettings(ctx, *new(workspace.SettingsPatch).SetActiveAgentProfileID("not-a-uuid"))
	ae = itAPIError(t, err, 422)
	require.NotEmpty(t, ae.Issues)

	s, err = ws.Settings(ctx, workspace.Redacted)
	require.NoError(t, err)
	require.Equal(t, 7, s.ConversationSettings.MaxIterations)
	require.Equal(t, "openai/gpt-4.1", s.AgentSettings.LLM.Model)
}

func TestIntegration_SetLLM(t *testing.T) {
	ctx := itCtx(t)
	_, ws := itStart(t)
	l := itLLM("anthropic/claude-sonnet-4-5-20250929", "sk-ant-set")
	l.BaseURL = itStr("https://api.example")
	l.ExtraHeaders = map[string]*string{"X-Team": itStr("blue")}
	s, err := ws.SetLLM(ctx, l)
	require.NoError(t, err)
	require.True(t, s.LLMAPIKeyIsSet)
	require.Equal(t, l.Model, s.AgentSettings.LLM.Model)

	got, err := ws.GetLLM(ctx)
	require.NoError(t, err)
	require.Equal(t, "sk-ant-set", got.APIKey.Reveal())
	require.Equal(t, "https://api.example", *got.BaseURL)
	require.Equal(t, "blue", *got.ExtraHeaders["X-Team"])

	// Clearing the key.
	l.APIKey = ""
	s, err = ws.SetLLM(ctx, l)
	require.NoError(t, err)
	require.False(t, s.LLMAPIKeyIsSet)

	_, err = ws.SetLLM(ctx, nil)
	require.Error(t, err)
}

func TestIntegration_Schemas(t *testing.T) {
	ctx := itCtx(t)
	_, ws := itStart(t)

	sectionKeys := func(s *workspace.SettingsSchema) []string {
		var out []string
		for _, sec := range s.Sections {
			out = append(out, sec.Key)
		}
		return out
	}

	conv, err := ws.ConversationSchema(ctx)
	require.NoError(t, err)
	require.Equal(t, "ConversationSettings", conv.ModelName)
	require.Equal(t, []string{"general", "verification"}, sectionKeys(conv))

	agent, err := ws.AgentSchema(ctx)
	require.NoError(t, err)
	require.Equal(t, "AgentSettings", agent.ModelName)
	require.Equal(t, []string{"general", "llm", "agent_context", "condenser", "verification", "acp", "llm"}, sectionKeys(agent))
	require.Equal(t, "openhands", *agent.Sections[1].Variant)
	require.Equal(t, "acp", *agent.Sections[6].Variant)
	var apiKey *workspace.SchemaField
	for i, f := range agent.Sections[1].Fields {
		require.Equal(t, "llm", f.Section)
		if f.Key == "llm.api_key" {
			apiKey = &agent.Sections[1].Fields[i]
		}
		require.NotEqual(t, "agent_kind", f.Key)
	}
	require.NotNil(t, apiKey)
	require.True(t, apiKey.Secret)
}

// --- Profiles --------------------------------------------------------------

func TestIntegration_Profiles(t *testing.T) {
	ctx := itCtx(t)
	_, ws := itStart(t)

	list, err := ws.ListProfiles(ctx)
	require.NoError(t, err)
	require.Empty(t, list.Profiles)
	require.Nil(t, list.ActiveProfile)

	fast := itLLM("openai/gpt-4o-mini", "sk-fast")
	fast.AWSSecretAccessKey = "aws-fast"
	m, err := ws.SaveProfile(ctx, "fast", fast, true)
	require.NoError(t, err)
	require.Equal(t, workspace.ProfileMutation{Name: "fast", Message: "Profile 'fast' saved"}, *m)
	noKey := itLLM("openai/gpt-4o", "sk-not-stored")
	noKey.BaseURL = itStr("https://proxy.example")
	_, err = ws.SaveProfile(ctx, "a-nokey", noKey, false)
	require.NoError(t, err)

	list, err = ws.ListProfiles(ctx)
	require.NoError(t, err)
	require.Len(t, list.Profiles, 2)
	require.Equal(t, "a-nokey", list.Profiles[0].Name, "sorted by name")
	require.False(t, list.Profiles[0].APIKeySet, "include_secrets=false stores no key")
	require.Equal(t, "https://proxy.example", *list.Profiles[0].BaseURL)
	require.Equal(t, "fast", list.Profiles[1].Name)
	require.True(t, list.Profiles[1].APIKeySet)
	require.Equal(t, "openai/gpt-4o-mini", *list.Profiles[1].Model)

	// GetProfile in each exposure mode.
	red, err := ws.GetProfile(ctx, "fast", workspace.Redacted)
	require.NoError(t, err)
	require.Equal(t, "fast", red.Name)
	require.True(t, red.APIKeySet)
	require.False(t, red.Config.APIKey.IsSet(), "redacted profile: api_key is null")
	require.Equal(t, secret.Marker, red.Config.AWSSecretAccessKey.Reveal())
	enc, err := ws.GetProfile(ctx, "fast", workspace.Encrypted)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(enc.Config.APIKey.Reveal(), "gAAAAA"))
	require.True(t, strings.HasPrefix(enc.Config.AWSSecretAccessKey.Reveal(), "gAAAAA"))
	plain, err := ws.GetProfile(ctx, "fast", workspace.Plaintext)
	require.NoError(t, err)
	require.Equal(t, "sk-fast", plain.Config.APIKey.Reveal())
	require.Equal(t, "aws-fast", plain.Config.AWSSecretAccessKey.Reveal())
	require.Equal(t, "openai/gpt-4o-mini", plain.Config.Model)

	nk, err := ws.GetProfile(ctx, "a-nokey", workspace.Plaintext)
	require.NoError(t, err)
	require.False(t, nk.APIKeySet)
	require.NotEqual(t, "sk-not-stored", nk.Config.APIKey.Reveal())

	_, err = ws.GetProfile(ctx, "missing", workspace.Redacted)
	require.ErrorIs(t, err, workspace.ErrProfileNotFound)
	require.ErrorIs(t, err, workspace.ErrNotFound)

	// Saving an encrypted profile back keeps its secret.
	_, err = ws.SaveProfile(ctx, "fast-copy", enc.Config, true)
	require.NoError(t, err)
	cp, err := ws.GetProfile(ctx, "fast-copy", workspace.Plaintext)
	require.NoError(t, err)
	require.Equal(t, "sk-fast", cp.Config.APIKey.Reveal())

	// Activate, then rename: the pointer follows.
	a, err := ws.ActivateProfile(ctx, "fast")
	require.NoError(t, err)
	require.Equal(t, workspace.ProfileActivation{Name: "fast", Message: "Profile 'fast' activated and applied to current settings", LLMApplied: true}, *a)
	s, err := ws.Settings(ctx, workspace.Plaintext)
	require.NoError(t, err)
	require.Equal(t, "fast", *s.ActiveProfile)
	require.Equal(t, "sk-fast", s.AgentSettings.LLM.APIKey.Reveal())

	_, err = ws.RenameProfile(ctx, "fast", "a-nokey")
	require.ErrorIs(t, err, workspace.ErrConflict)
	ae := itAPIError(t, err, 409)
	require.Equal(t, "Profile 'a-nokey' already exists", ae.Detail)

	m, err = ws.RenameProfile(ctx, "fast", "speedy")
	require.NoError(t, err)
	require.Equal(t, workspace.ProfileMutation{Name: "speedy", Message: "Profile 'fast' renamed to 'speedy'"}, *m)
	list, err = ws.ListProfiles(ctx)
	require.NoError(t, err)
	require.Equal(t, "speedy", *list.ActiveProfile)
	l, err := ws.GetLLM(ctx)
	require.NoError(t, err)
	require.Equal(t, "profile:speedy", l.UsageID)

	_, err = ws.RenameProfile(ctx, "fast", "other")
	require.ErrorIs(t, err, workspace.ErrProfileNotFound)
	_, err = ws.ActivateProfile(ctx, "fast")
	require.ErrorIs(t, err, workspace.ErrProfileNotFound)

	// Validate (the reference server does a pre-flight check only).
	v, err := ws.ValidateProfile(ctx, "speedy", fast)
	require.NoError(t, err)
	require.True(t, v.Valid)
	require.Nil(t, v.Error)
	_, err = ws.ValidateProfile(ctx, "speedy", nil)
	require.Error(t, err)

	// Delete: idempotent; deleting the active profile clears the pointer.
	m, err = ws.DeleteProfile(ctx, "speedy")
	require.NoError(t, err)
	require.Equal(t, workspace.ProfileMutation{Name: "speedy", Message: "Profile 'speedy' deleted"}, *m)
	_, err = ws.DeleteProfile(ctx, "speedy")
	require.NoError(t, err)
	list, err = ws.ListProfiles(ctx)
	require.NoError(t, err)
	require.Nil(t, list.ActiveProfile)
	require.Len(t, list.Profiles, 2)
	s, err = ws.Settings(ctx, workspace.Plaintext)
	require.NoError(t, err)
	require.Nil(t, s.ActiveProfile)
	require.Equal(t, "sk-fast", s.AgentSettings.LLM.APIKey.Reveal(), "the agent LLM is left as it is")

	// Invalid profile names: request validation (422).
	_, err = ws.SaveProfile(ctx, "-bad", fast, true)
	itAPIError(t, err, 422)
	_, err = ws.SaveProfile(ctx, "x", nil, true)
	require.Error(t, err)
}

// --- Auth and accessors ----------------------------------------------------

func TestIntegration_Unauthorized(t *testing.T) {
	ctx := itCtx(t)
	srv, _ := itStart(t)
	for name, opts := range map[string][]workspace.Option{
		"wrong key": {workspace.WithAPIKey("wrong-key")},
		"no key":    nil,
	} {
		t.Run(name, func(t *testing.T) {
			ws, err := workspace.New(srv.URL, opts...)
			require.NoError(t, err)
			calls := map[string]func() error{
				"GetLLM":       func() error { _, err := ws.GetLLM(ctx); return err },
				"GetSecrets":   func() error { _, err := ws.GetSecrets(ctx); return err },
				"GetMCPConfig": func() error { _, err := ws.GetMCPConfig(ctx); return err },
				"Settings":     func() error { _, err := ws.Settings(ctx, workspace.Plaintext); return err },
				"ListProfiles": func() error { _, err := ws.ListProfiles(ctx); return err },
				"PutSecret":    func() error { _, err := ws.PutSecret(ctx, "X", "v", nil); return err },
				"AgentSchema":  func() error { _, err := ws.AgentSchema(ctx); return err },
			}
			for cname, f := range calls {
				err := f()
				require.ErrorIs(t, err, workspace.ErrUnauthorized, cname)
				itAPIError(t, err, http.StatusUnauthorized)
				require.NotContains(t, err.Error(), srv.APIKey)
				require.NotContains(t, err.Error(), "wrong-key")
			}
		})
	}
}

func TestIntegration_Accessors(t *testing.T) {
	srv, ws := itStart(t)
	require.Equal(t, srv.URL, ws.Host())
	require.True(t, ws.HasAPIKey())
	require.Equal(t, map[string]string{workspace.HeaderSessionAPIKey: srv.APIKey}, ws.AuthHeaders())
	js, err := json.Marshal(ws)
	require.NoError(t, err)
	var logBuf strings.Builder
	slog.New(slog.NewTextHandler(&logBuf, nil)).Info("ws", "ws", ws, "deref", *ws)
	for _, out := range []string{
		ws.String(), fmt.Sprintf("%v %+v %#v %s %q", ws, ws, ws, *ws, ws), string(js), logBuf.String(),
	} {
		require.NotContains(t, out, srv.APIKey)
		require.Contains(t, out, srv.URL)
	}

	// Idle connections can be dropped at any time; the next call reconnects.
	ctx := itCtx(t)
	_, err = ws.ListSecrets(ctx)
	require.NoError(t, err)
	ws.CloseIdleConnections()
	_, err = ws.ListSecrets(ctx)
	require.NoError(t, err)

	w2, err := workspace.New(srv.URL+"///", workspace.WithWorkingDir("/workspace/project"))
	require.NoError(t, err)
	require.Equal(t, srv.URL, w2.Host())
	require.Equal(t, "/workspace/project", w2.WorkingDir())
	require.False(t, w2.HasAPIKey())
	require.Empty(t, w2.AuthHeaders())
}

// TestIntegration_ConcurrentUse shares one Workspace between goroutines
// reading and writing (run with -race).
func TestIntegration_ConcurrentUse(t *testing.T) {
	ctx := itCtx(t)
	_, ws := itStart(t)
	_, err := ws.SetLLM(ctx, itLLM("openai/gpt-4o", "sk-concurrent"))
	require.NoError(t, err)

	const workers = 8
	errs := make(chan error, workers)
	for i := 0; i < workers; i++ {
		go func(i int) {
			errs <- func() error {
				name := fmt.Sprintf("S_%d", i)
				for j := 0; j < 5; j++ {
					if _, err := ws.PutSecret(ctx, name, fmt.Sprintf("v%d-%d", i, j), nil); err != nil {
						return err
					}
					l, err := ws.GetLLM(ctx)
					if err != nil {
						return err
					}
					if l.APIKey.Reveal() != "sk-concurrent" {
						return errors.New("wrong LLM key")
					}
					m, err := ws.GetSecrets(ctx, name)
					if err != nil {
						return err
					}
					v, err := m[name].Resolve(ctx)
					if err != nil {
						return err
					}
					if v != fmt.Sprintf("v%d-%d", i, j) {
						return fmt.Errorf("%s: got another worker's value", name)
					}
				}
				return nil
			}()
		}(i)
	}
	for i := 0; i < workers; i++ {
		require.NoError(t, <-errs)
	}
	list, err := ws.ListSecrets(ctx)
	require.NoError(t, err)
	require.Len(t, list, workers)
}

// TestIntegration_ConnectionReuse: sequential calls reuse a keep-alive
// connection instead of dialing per request.
func TestIntegration_ConnectionReuse(t *testing.T) {
	ctx := itCtx(t)
	srv := workspacetest.NewServer(t)
	var dials atomic.Int64
	tr := http.DefaultTransport.(*http.Transport).Clone()
	d := &net.Dialer{}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return d.DialContext(ctx, network, addr)
	}
	t.Cleanup(tr.CloseIdleConnections)
	ws, err := workspace.New(srv.URL, workspace.WithAPIKey(srv.APIKey), workspace.WithHTTPClient(&http.Client{Transport: tr}))
	require.NoError(t, err)
	const calls = 50
	for i := 0; i < calls; i++ {
		_, err := ws.GetSecrets(ctx)
		require.NoError(t, err)
		_, err = ws.GetLLM(ctx)
		require.NoError(t, err)
	}
	// net/http may dial a spare connection when a request races the return
	// of the previous one to the idle pool; one per request would be 150.
	require.LessOrEqual(t, dials.Load(), int64(3))
}
