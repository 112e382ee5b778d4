package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/workspace/workspacetest"
)

func TestExampleRunsAgainstEmbeddedServer(t *testing.T) {
	const llmKey = "sk-example-test-llm-key-1a2b3c"
	env := map[string]string{"LLM_API_KEY": llmKey, "LLM_MODEL": "openai/gpt-4o-mini"}
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, run(ctx, func(k string) string { return env[k] }, &out), out.String())
	got := out.String()
	for _, want := range []string{
		"request without API key rejected (401 Unauthorized)",
		"request with API key accepted (200 OK)",
		"Model: openai/gpt-4o-mini",
		"API key set: true",
		"retrieved LLM with workspace.GetLLM()",
		"Model: gpt-4o, temperature: 0.5",
		"TEST_SECRET: LookupSecret",
		"Has API key header: true",
		"MCP config: (none configured)",
		"MCP config: 1 server(s): fetch",
		"Example completed successfully",
	} {
		require.Contains(t, got, want)
	}
	require.NotContains(t, got, "❌")
	require.NotContains(t, got, llmKey)
	require.NotContains(t, got, "secret-value-123")
}

// TestExampleAgainstExternalServer runs the example the way a user points it
// at another agent-server: through AGENT_SERVER_URL and SESSION_API_KEY.
func TestExampleAgainstExternalServer(t *testing.T) {
	srv := workspacetest.NewServer(t)
	env := map[string]string{"AGENT_SERVER_URL": srv.URL + "/", "SESSION_API_KEY": srv.APIKey}
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), func(k string) string { return env[k] }, &out), out.String())
	require.Contains(t, out.String(), "(from AGENT_SERVER_URL)")
	require.NotContains(t, out.String(), srv.APIKey)
}

func TestExampleWrongSessionKeyFails(t *testing.T) {
	srv := workspacetest.NewServer(t)
	env := map[string]string{"AGENT_SERVER_URL": srv.URL, "SESSION_API_KEY": "wrong-key"}
	var out bytes.Buffer
	err := run(context.Background(), func(k string) string { return env[k] }, &out)
	require.Error(t, err)
	require.Contains(t, out.String(), "❌ request with API key")
	require.NotContains(t, out.String(), srv.APIKey)
}
