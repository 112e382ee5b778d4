package e2e

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/mcp"
	"github.com/openhands-go/sdk/secret"
	"github.com/openhands-go/sdk/workspace"
	"github.com/openhands-go/sdk/workspace/workspacetest"
)

// TestWrongKeyNeverLosesData stores secrets under OH_SECRET_KEY=A, restarts
// the server on the same directory with key B, and then with A again. Under
// B nothing of A's is revealed (no plaintext, llm_api_key_is_set false,
// SecretValue 404) and other fields can still be written; back under A every
// value written under A reads back exactly and B's writes are present.
func TestWrongKeyNeverLosesData(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	id := randHex(t, 6)
	keyA, keyB := "oh-secret-A-"+id, "oh-secret-B-"+id
	llmKey := "sk-llm-A-" + id
	mcpEnv := "mcp-env-A-" + id
	mcpHeader := "mcp-header-A-" + id
	customA := map[string]string{"A_TOKEN": "a-token-" + id, "A_OTHER": "a-other-" + id}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	start := func(secretKey string) (*workspacetest.Server, *workspace.Workspace) {
		t.Helper()
		srv, err := workspacetest.Start(workspacetest.WithDataDir(dir), workspacetest.WithSecretKey(secretKey))
		require.NoError(t, err)
		ws, err := workspace.New(srv.URL, workspace.WithAPIKey(srv.APIKey), workspace.WithRetry(1, 0, 0))
		require.NoError(t, err)
		return srv, ws
	}
	stop := func(srv *workspacetest.Server, ws *workspace.Workspace) {
		t.Helper()
		ws.CloseIdleConnections()
		require.NoError(t, srv.Close())
	}

	// --- key A: store everything secret.
	srv, ws := start(keyA)
	_, err := ws.PatchSettings(ctx, workspace.SettingsPatch{AgentSettingsDiff: map[string]any{
		"llm": map[string]any{"model": "model-A", "api_key": secret.Str(llmKey)},
	}})
	require.NoError(t, err)
	cmd, u := "uvx", "https://mcp.example.test/mcp"
	_, err = ws.CreateMCPServer(ctx, "tools", mcp.Server{Command: &cmd, Env: map[string]secret.Str{"TOOL_TOKEN": secret.Str(mcpEnv)}})
	require.NoError(t, err)
	_, err = ws.CreateMCPServer(ctx, "remote", mcp.Server{URL: &u, Headers: map[string]secret.Str{"X-Api-Key": secret.Str(mcpHeader)}})
	require.NoError(t, err)
	for name, v := range customA {
		_, err := ws.PutSecret(ctx, name, v, nil)
		require.NoError(t, err)
	}
	stop(srv, ws)

	// --- key B: nothing of A's is revealed; other fields can be written.
	srv, ws = start(keyB)
	st, err := ws.Settings(ctx, workspace.Plaintext)
	require.NoError(t, err)
	require.False(t, st.LLMAPIKeyIsSet, "llm_api_key_is_set under the wrong key")
	require.False(t, st.AgentSettings.LLM.APIKey.IsSet(), "the LLM key under the wrong key is not null")
	require.Equal(t, "model-A", st.AgentSettings.LLM.Model, "non-secret settings are readable under any key")
	requireNoneOf(t, string(st.AgentSettings.Raw()), llmKey, mcpEnv, mcpHeader)
	for name := range customA {
		_, err := ws.SecretValue(ctx, name)
		require.ErrorIs(t, err, workspace.ErrNotFound, "SecretValue(%s) under the wrong key", name)
	}
	cfg, err := ws.GetMCPConfig(ctx)
	require.NoError(t, err)
	for _, s := range cfg {
		for _, v := range s.Env {
			requireNoneOf(t, v.Reveal(), mcpEnv)
		}
		for _, v := range s.Headers {
			requireNoneOf(t, v.Reveal(), mcpHeader)
		}
	}
	enc, err := ws.Settings(ctx, workspace.Encrypted)
	require.NoError(t, err)
	requireNoneOf(t, string(enc.AgentSettings.Raw()), llmKey, mcpEnv, mcpHeader)

	// Writes of other fields under B.
	bSecret, bValue := "B_TOKEN", "b-token-"+id
	_, err = ws.PutSecret(ctx, bSecret, bValue, nil)
	require.NoError(t, err, "PUT of a new secret under the wrong key")
	_, err = ws.PatchSettings(ctx, workspace.SettingsPatch{MiscSettingsDiff: map[string]any{"written_under": "B"}})
	writeErr := err
	var apiErr *workspace.APIError
	if err != nil {
		// Stricter than upstream (persistence.md §7): refusing the write
		// (409) is the other way to lose nothing.
		require.True(t, errors.As(err, &apiErr) && apiErr.StatusCode == 409, "misc PATCH under the wrong key: %v", err)
	}
	_, convErr := ws.PatchSettings(ctx, workspace.SettingsPatch{ConversationSettingsDiff: map[string]any{"max_iterations": 77}})
	if convErr != nil {
		require.True(t, errors.As(convErr, &apiErr) && apiErr.StatusCode == 409, "conversation PATCH under the wrong key: %v", convErr)
	}
	_, agentErr := ws.PatchSettings(ctx, workspace.SettingsPatch{AgentSettingsDiff: map[string]any{"llm": map[string]any{"model": "model-B"}}})
	if agentErr != nil {
		require.True(t, errors.As(agentErr, &apiErr) && apiErr.StatusCode == 409, "LLM model PATCH under the wrong key: %v", agentErr)
	}
	got, err := ws.SecretValue(ctx, bSecret)
	require.NoError(t, err)
	require.Equal(t, bValue, got.Reveal())
	stop(srv, ws)

	// --- key A again: everything written under A is intact.
	srv, ws = start(keyA)
	defer stop(srv, ws)
	st, err = ws.Settings(ctx, workspace.Plaintext)
	require.NoError(t, err)
	require.True(t, st.LLMAPIKeyIsSet, "the LLM key written under A was lost while B was in use")
	require.Equal(t, llmKey, st.AgentSettings.LLM.APIKey.Reveal(), "the LLM key written under A")
	cfg, err = ws.GetMCPConfig(ctx)
	require.NoError(t, err)
	require.Equal(t, mcpEnv, cfg["tools"].Env["TOOL_TOKEN"].Reveal(), "the MCP env secret written under A")
	require.Equal(t, mcpHeader, cfg["remote"].Headers["X-Api-Key"].Reveal(), "the MCP header secret written under A")
	for name, want := range customA {
		v, err := ws.SecretValue(ctx, name)
		require.NoError(t, err, "custom secret %s written under A was lost while B was in use", name)
		require.Equal(t, want, v.Reveal(), "custom secret %s", name)
	}
	// B's writes are present: the secret is listed (its value is under B's
	// key), the misc and conversation values are there.
	listed, err := ws.ListSecrets(ctx)
	require.NoError(t, err)
	names := map[string]bool{}
	for _, it := range listed {
		names[it.Name] = true
	}
	require.True(t, names[bSecret], "the secret written under B is gone")
	if writeErr == nil {
		require.Equal(t, "B", st.MiscSettings["written_under"], "misc_settings written under B")
	}
	if convErr == nil {
		require.Equal(t, 77, st.ConversationSettings.MaxIterations, "conversation_settings written under B")
	}
	if agentErr == nil {
		require.Equal(t, "model-B", st.AgentSettings.LLM.Model, "LLM model written under B")
	}
	t.Logf("under the wrong key: new secret stored; misc PATCH error: %v; conversation PATCH error: %v; LLM model PATCH error: %v; all of A's secrets intact afterwards",
		writeErr, convErr, agentErr)
}

func requireNoneOf(t testing.TB, hay string, needles ...string) {
	t.Helper()
	for _, n := range needles {
		require.NotContains(t, hay, n)
	}
}
