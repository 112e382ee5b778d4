package workspace

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func FuzzParseSettings(f *testing.F) {
	f.Add([]byte(settingsPlainNoProfile))
	f.Add([]byte(settingsRedactedNoProfile))
	f.Add([]byte(`{"agent_settings":{"schema_version":1,"agent_kind":"llm","mcp_config":{"mcpServers":{"a":{"auth":"x","type":"shttp"}}}},"conversation_settings":{},"llm_api_key_is_set":true}`))
	f.Add([]byte(`{"agent_settings":{"agent_kind":"acp"},"conversation_settings":{"schema_version":0},"llm_api_key_is_set":false}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	c := &call{method: "GET", path: "/api/settings"}
	f.Fuzz(func(t *testing.T, body []byte) {
		s, err := (&Workspace{}).parseSettings(c, body)
		if err != nil {
			require.Nil(t, s)
			return
		}
		require.Contains(t, []string{AgentKindOpenHands, AgentKindACP}, s.AgentSettings.AgentKind)
		require.NotNil(t, s.AgentSettings.LLM)
		require.NotNil(t, s.AgentSettings.MCPConfig)
		require.NotNil(t, s.MiscSettings)
		_ = s.String()
		_, err = json.Marshal(s)
		require.NoError(t, err)
	})
}

func FuzzMigrateAgentSettings(f *testing.F) {
	f.Add(`{"schema_version":3,"llm":{"model":"litellm_proxy/gpt-5.5","base_url":"https://llm-proxy.app.all-hands.dev/v1"}}`)
	f.Add(`{"schema_version":4,"mcp_config":{"mcpServers":{"sse":{"url":"https://mcp.linear.app/sse","transport":"sse"}}}}`)
	f.Add(`{"schema_version":4,"mcp_config":{"a":{"headers":{"Authorization":"Bearer x"},"auth":{"strategy":"oauth2","credentials":{"mcp-oauth-token":{"x":{"access_token":"a"}}}}}}}`)
	f.Add(`{"agent_kind":"llm"}`)
	f.Fuzz(func(t *testing.T, in string) {
		var doc map[string]json.RawMessage
		if json.Unmarshal([]byte(in), &doc) != nil || doc == nil {
			return
		}
		if err := migrateAgentSettings(doc); err != nil {
			return
		}
		var kind string
		require.NoError(t, json.Unmarshal(doc["agent_kind"], &kind))
		require.Contains(t, []string{AgentKindOpenHands, AgentKindACP}, kind)
		for k, v := range doc {
			require.True(t, json.Valid(v), k)
		}
	})
}

func FuzzFindMarker(f *testing.F) {
	f.Add(`{"a":"**********"}`)
	f.Add(`{"**********":"x"}`)
	f.Add(`["a",{"b":["**********"]}]`)
	f.Add(`"**********"`)
	f.Fuzz(func(t *testing.T, in string) {
		at, found := findMarker([]byte(in))
		var v any
		if json.Unmarshal([]byte(in), &v) != nil {
			require.False(t, found)
			return
		}
		require.Equal(t, hasMarkerValue(v), found)
		if !found {
			require.Empty(t, at)
		}
	})
}

// hasMarkerValue is a direct reference implementation for FuzzFindMarker.
func hasMarkerValue(v any) bool {
	switch t := v.(type) {
	case string:
		return t == redactionMarker
	case map[string]any:
		for _, e := range t {
			if hasMarkerValue(e) {
				return true
			}
		}
	case []any:
		for _, e := range t {
			if hasMarkerValue(e) {
				return true
			}
		}
	}
	return false
}

func FuzzNewAPIError(f *testing.F) {
	f.Add(422, `{"detail":[{"type":"missing","loc":["body",1],"msg":"m"}]}`)
	f.Add(503, `{"detail":"Internal Server Error","exception":"503: x"}`)
	f.Add(404, `{"detail":"Profile 'p' not found"}`)
	f.Add(400, `plain`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		e := newAPIError("GET", "/api/x", status, []byte(body), []string{testKey})
		msg := e.Error()
		require.True(t, strings.HasPrefix(msg, "agent-server: GET /api/x: "))
		if !strings.Contains(body, testKey) {
			return
		}
		require.NotContains(t, e.Detail, testKey)
		require.NotContains(t, e.Exception, testKey)
	})
}

func FuzzQuoteAll(f *testing.F) {
	for _, s := range []string{"", "a/b", "x y?z", "ü", "%", "~._-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := quoteAll(s)
		require.NotContains(t, q, "/")
		require.NotContains(t, q, "?")
		require.NotContains(t, q, " ")
		back, err := url.PathUnescape(q)
		require.NoError(t, err)
		require.Equal(t, s, back)
	})
}
