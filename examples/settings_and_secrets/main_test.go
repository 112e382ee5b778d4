package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestMain lets the example's child-process step re-execute this test binary.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		childMain()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestExampleRunsAgainstEmbeddedServer(t *testing.T) {
	const llmKey = "sk-example-test-llm-key-9f8e7d"
	env := map[string]string{"LLM_API_KEY": llmKey, "LLM_MODEL": "openai/gpt-4o", "LLM_BASE_URL": "https://litellm.example.com"}
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, run(ctx, func(k string) string { return env[k] }, &out), out.String())

	got := out.String()
	for _, want := range []string{
		"embedded Go server",
		"LLM model: openai/gpt-4o",
		"API key set: true",
		"created secret MY_PROJECT_TOKEN",
		"MY_PROJECT_TOKEN: Example project token for demonstration",
		"/api/settings/secrets/MY_PROJECT_TOKEN",
		"carries X-Session-API-Key header: true",
		"matches",
		"sees $MY_PROJECT_TOKEN",
		"verified deletion (404",
		`rejected "123_invalid" (starts with a number): 422`,
		`rejected "invalid-name" (contains a hyphen): 422`,
		"All Settings and Secrets API steps passed",
	} {
		require.Contains(t, got, want)
	}
	require.NotContains(t, got, "❌")
	for _, leak := range []string{llmKey, secretValue} {
		require.NotContains(t, got, leak)
	}
}

func TestExamplePlaceholderKeyIsAnnounced(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), func(string) string { return "" }, &out), out.String())
	require.Contains(t, out.String(), "LLM_API_KEY is not set")
	require.Contains(t, out.String(), "LLM model: anthropic/claude-sonnet-4-5-20250929")
}

func TestExampleFailsOnUnreachableServer(t *testing.T) {
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	env := map[string]string{"AGENT_SERVER_URL": "http://127.0.0.1:1"}
	err := run(ctx, func(k string) string { return env[k] }, &out)
	require.Error(t, err)
	require.True(t, strings.Contains(out.String(), "❌ store LLM settings"), out.String())
}
