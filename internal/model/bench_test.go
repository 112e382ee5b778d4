package model

import (
	"testing"

	"github.com/openhands-go/sdk/internal/jsonx"
)

// benchAgent is a realistic internal document with secrets in several places.
func benchAgent(b *testing.B) *jsonx.Object {
	b.Helper()
	doc := obj(b, `{"llm":{"model":"openai/gpt-4o","api_key":"sk-1234567890","aws_access_key_id":"AKIA"},
		"tools":[{"name":"TerminalTool","params":{}},{"name":"FileEditorTool","params":{}}],
		"mcp_config":{
			"github":{"command":"uvx","args":["mcp-server-github"],"env":{"GITHUB_TOKEN":"ghp_1","OTHER":"x"}},
			"remote":{"url":"https://example.com/mcp","transport":"http","headers":{"X-Api-Key":"k"},"auth":{"strategy":"bearer","value":"b"}},
			"oauth":{"url":"https://o","auth":{"strategy":"oauth2","state":{"tokens":{"access_token":"a","refresh_token":"r"},"token_expires_at":1.0}}}},
		"agent_context":{"secrets":{"A":"a","L":{"kind":"LookupSecret","url":"http://h/x","headers":{"X-Session-API-Key":"s"}}}},
		"verification":{"critic_api_key":"c"}}`)
	internal, err := ValidateAgentSettings(doc, Input{})
	if err != nil {
		b.Fatal(err)
	}
	return internal
}

// BenchmarkCloneAgentSettings is the baseline: a plain deep copy.
func BenchmarkCloneAgentSettings(b *testing.B) {
	doc := benchAgent(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = doc.Clone()
	}
}

// BenchmarkRenderAgentSettingsPlaintext renders the same document.
func BenchmarkRenderAgentSettingsPlaintext(b *testing.B) {
	doc := benchAgent(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := RenderAgentSettings(doc, Plaintext, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateAgentSettings validates the internal document again.
func BenchmarkValidateAgentSettings(b *testing.B) {
	doc := benchAgent(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ValidateAgentSettings(doc, Input{}); err != nil {
			b.Fatal(err)
		}
	}
}
