package mcp_test

import (
	"encoding/json"
	"testing"

	"github.com/openhands-go/sdk/mcp"
)

var benchServer = []byte(`{"url":"https://o","transport":"http","headers":{"X-Api-Key":"k"},"auth":{"strategy":"oauth2","state":{"tokens":{"access_token":"a","refresh_token":"r","token_type":"Bearer"},"client_info":{"client_id":"c"},"token_expires_at":12345.0}},"enabled":true}`)

// BenchmarkServerUnmarshal decodes a remote OAuth server with this package.
func BenchmarkServerUnmarshal(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var s mcp.Server
		if err := s.UnmarshalJSON(benchServer); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkServerUnmarshalBaselineMap is the baseline: encoding/json into a map.
func BenchmarkServerUnmarshalBaselineMap(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var m map[string]any
		if err := json.Unmarshal(benchServer, &m); err != nil {
			b.Fatal(err)
		}
	}
}
