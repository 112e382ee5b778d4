package model

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/internal/jsonx"
)

func TestValidateMCPServer(t *testing.T) {
	cases := []struct {
		name, in, want string
		errType, loc   string
	}{
		{"empty server is valid", `{}`, `{"enabled":true}`, "", ""},
		{"stdio compact", `{"command":"uvx","args":["mcp-server-github"],"env":{"GITHUB_TOKEN":"t"},"url":null,"cwd":null,"headers":{}}`,
			`{"command":"uvx","args":["mcp-server-github"],"env":{"GITHUB_TOKEN":"t"},"enabled":true}`, "", ""},
		{"remote", `{"url":"https://example.com/mcp","transport":"http","headers":{"X-Api-Key":"k"},"enabled":false}`,
			`{"url":"https://example.com/mcp","transport":"http","headers":{"X-Api-Key":"k"},"enabled":false}`, "", ""},
		{"declaration order", `{"enabled":true,"auth":{"strategy":"none"},"timeout":5,"url":"https://x","transport":"sse","keep_alive":true,"sse_read_timeout":2.5,"icon":"i","description":"d"}`,
			`{"url":"https://x","transport":"sse","description":"d","icon":"i","timeout":5,"sse_read_timeout":2.5,"keep_alive":true,"auth":{"strategy":"none"},"enabled":true}`, "", ""},
		{"empty args kept", `{"command":"c","args":[]}`, `{"command":"c","args":[],"enabled":true}`, "", ""},
		{"env emptied by blank values", `{"command":"c","env":{"A":"","B":"**********"}}`, `{"command":"c","enabled":true}`, "", ""},
		{"stdio requires command", `{"transport":"stdio","args":["x"]}`, "", "value_error", ""},
		{"http requires url", `{"transport":"http","command":"c"}`, "", "value_error", ""},
		{"streamable-http requires url", `{"transport":"streamable-http"}`, "", "value_error", ""},
		{"sse requires url", `{"transport":"sse"}`, "", "value_error", ""},
		{"stdio ok", `{"transport":"stdio","command":"c"}`, `{"transport":"stdio","command":"c","enabled":true}`, "", ""},
		{"unknown transport", `{"transport":"shttp","url":"https://x"}`, "", "literal_error", "transport"},
		{"legacy type rejected", `{"type":"http","url":"https://x"}`, "", "extra_forbidden", "type"},
		{"unknown member rejected", `{"command":"c","api_key":"k"}`, "", "extra_forbidden", "api_key"},
		{"empty url", `{"url":""}`, "", "string_too_short", "url"},
		{"empty command", `{"command":""}`, "", "string_too_short", "command"},
		{"args of numbers", `{"command":"c","args":[1]}`, "", "string_type", "args.0"},
		{"enabled null", `{"enabled":null}`, "", "bool_type", "enabled"},
		{"timeout string", `{"timeout":"5"}`, "", "float_type", "timeout"},
		{"auth with authorization header", `{"url":"https://x","headers":{"authorization":"Bearer t"},"auth":{"strategy":"bearer","value":"v"}}`, "", "value_error", ""},
		{"auth with Authorization header", `{"url":"https://x","headers":{"AUTHORIZATION":"Bearer t"},"auth":{"strategy":"none"}}`, "", "value_error", ""},
		{"authorization header without auth", `{"url":"https://x","headers":{"Authorization":"Bearer t"}}`, `{"url":"https://x","headers":{"Authorization":"Bearer t"},"enabled":true}`, "", ""},
		{"auth strategy missing", `{"url":"https://x","auth":{"value":"v"}}`, "", "union_tag_not_found", "auth"},
		{"auth strategy unknown", `{"url":"https://x","auth":{"strategy":"magic"}}`, "", "union_tag_invalid", "auth"},
		{"auth not an object", `{"url":"https://x","auth":"oauth"}`, "", "model_attributes_type", "auth"},
		{"api_key auth", `{"url":"https://x","auth":{"strategy":"api_key","value":"v","header_name":"X-Key","extra":1}}`,
			`{"url":"https://x","auth":{"strategy":"api_key","value":"v","header_name":"X-Key"},"enabled":true}`, "", ""},
		{"basic requires username", `{"url":"https://x","auth":{"strategy":"basic","password":"p"}}`, "", "missing", "auth.basic.username"},
		{"basic", `{"url":"https://x","auth":{"strategy":"basic","username":"u"}}`,
			`{"url":"https://x","auth":{"strategy":"basic","username":"u"},"enabled":true}`, "", ""},
		{"header auth without headers", `{"url":"https://x","auth":{"strategy":"header"}}`,
			`{"url":"https://x","auth":{"strategy":"header"},"enabled":true}`, "", ""},
		{"oauth minimal", `{"url":"https://x","auth":{"strategy":"oauth2"}}`,
			`{"url":"https://x","auth":{"strategy":"oauth2"},"enabled":true}`, "", ""},
		{"oauth empty state omitted", `{"url":"https://x","auth":{"strategy":"oauth2","state":{"tokens":null,"client_info":{},"token_expires_at":null}}}`,
			`{"url":"https://x","auth":{"strategy":"oauth2"},"enabled":true}`, "", ""},
		{"oauth state with blank token omitted", `{"url":"https://x","auth":{"strategy":"oauth2","state":{"tokens":{"access_token":""}}}}`,
			`{"url":"https://x","auth":{"strategy":"oauth2"},"enabled":true}`, "", ""},
		{"oauth full", `{"url":"https://x","auth":{"strategy":"oauth2",
			"authentication":{"type":"oauth","scopes":["a","b"],"client_id":"c","additional_client_metadata":{}},
			"state":{"tokens":{"access_token":"at","refresh_token":"rt","expires_in":3600,"scope":null},"client_info":{"client_id":"id","redirect_uris":["u"]},"token_expires_at":12345.0}}}`,
			`{"url":"https://x","auth":{"strategy":"oauth2",
			"authentication":{"type":"oauth","scopes":["a","b"],"client_id":"c"},
			"state":{"tokens":{"access_token":"at","refresh_token":"rt","expires_in":3600},"client_info":{"client_id":"id","redirect_uris":["u"]},"token_expires_at":12345.0}},"enabled":true}`, "", ""},
		{"oauth scopes string", `{"url":"https://x","auth":{"strategy":"oauth2","authentication":{"type":"oauth","scopes":"a b"}}}`,
			`{"url":"https://x","auth":{"strategy":"oauth2","authentication":{"type":"oauth","scopes":"a b"}},"enabled":true}`, "", ""},
		{"oauth scopes number", `{"url":"https://x","auth":{"strategy":"oauth2","authentication":{"type":"oauth","scopes":5}}}`, "", "string_type", "auth.oauth2.authentication.scopes"},
		{"oauth authentication requires type", `{"url":"https://x","auth":{"strategy":"oauth2","authentication":{"client_id":"c"}}}`, "", "missing", "auth.oauth2.authentication.type"},
		{"oauth authentication forbids extras", `{"url":"https://x","auth":{"strategy":"oauth2","authentication":{"type":"oauth","foo":1}}}`, "", "extra_forbidden", "auth.oauth2.authentication.foo"},
		{"oauth client_auth_method", `{"url":"https://x","auth":{"strategy":"oauth2","authentication":{"type":"oauth","client_auth_method":"magic"}}}`, "", "literal_error", "auth.oauth2.authentication.client_auth_method"},
		{"oauth token_expires_at", `{"url":"https://x","auth":{"strategy":"oauth2","state":{"token_expires_at":"soon"}}}`, "", "float_type", "auth.oauth2.state.token_expires_at"},
		{"not an object", `[]`, "", "model_type", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in, ok := val(t, tc.in).(*jsonx.Object)
			if !ok {
				in = nil
			}
			out, err := ValidateMCPServer(in, Input{})
			if tc.errType != "" {
				requireInvalid(t, err, tc.errType, tc.loc)
				return
			}
			require.NoError(t, err)
			requireJSON(t, tc.want, out)
			require.Equal(t, orderedKeys(t, tc.want), append([]string{}, out.Keys()...))
			// compact output re-validates to itself
			again, err := ValidateMCPServer(out, Input{})
			require.NoError(t, err)
			require.True(t, jsonx.Equal(out, again))
		})
	}
}

func TestMCPRedactedExample(t *testing.T) {
	// data-model.md §6.2 example
	doc := obj(t, `{"mcp_config":{
		"github": {"command": "uvx", "args": ["mcp-server-github"], "env": {"GITHUB_TOKEN": "ghp_x"}},
		"remote": {"url": "https://example.com/mcp", "transport": "http", "headers": {"X-Api-Key": "k"}, "enabled": false},
		"oauth": {"url": "https://o", "auth": {"strategy": "oauth2", "state": {"tokens": {"access_token": "a", "refresh_token": "r"}, "token_expires_at": 12345.0}}},
		"bearer": {"url": "https://b", "auth": {"strategy": "bearer", "value": "s3cr3t"}}}}`)
	internal, err := ValidateAgentSettings(doc, Input{})
	require.NoError(t, err)
	r, err := RenderAgentSettings(internal, Redacted, nil)
	require.NoError(t, err)
	requireJSON(t, `{
		"github": {"command": "uvx", "args": ["mcp-server-github"], "env": {"GITHUB_TOKEN": "**********"}, "enabled": true},
		"remote": {"url": "https://example.com/mcp", "transport": "http", "headers": {"X-Api-Key": "**********"}, "enabled": false},
		"oauth": {"url": "https://o", "auth": {"strategy": "oauth2", "state": {"tokens": {"access_token": "**********", "refresh_token": "**********"}, "token_expires_at": 12345.0}}, "enabled": true},
		"bearer": {"url": "https://b", "auth": {"strategy": "bearer", "value": "**********"}, "enabled": true}}`, r.Value("mcp_config"))
	b, err := jsonx.Marshal(r)
	require.NoError(t, err)
	for _, s := range []string{"ghp_x", `"k"`, "s3cr3t"} {
		require.NotContains(t, string(b), s)
	}

	one, err := RenderMCPServer(internal.Object("mcp_config").Object("bearer"), Plaintext, nil)
	require.NoError(t, err)
	requireJSON(t, `{"url":"https://b","auth":{"strategy":"bearer","value":"s3cr3t"},"enabled":true}`, one)
}

func TestMCPLegacyShapeRejectedWithoutMigration(t *testing.T) {
	_, err := ValidateAgentSettings(obj(t, `{"mcp_config":{"mcpServers":{"fetch":{"command":"uvx"}}}}`), Input{})
	requireInvalid(t, err, "extra_forbidden", "openhands.mcp_config.mcpServers.fetch")
}

func TestValidateMCPServerPatch(t *testing.T) {
	cases := []struct {
		in, errType, loc string
	}{
		{`{}`, "", ""},
		{`{"enabled":null}`, "", ""},
		{`{"enabled":false,"auth":null,"env":{"A":null,"B":"b"},"headers":{"X":null}}`, "", ""},
		{`{"auth":{"value":"only the value"}}`, "", ""},
		{`{"url":null,"transport":null,"command":null,"args":null,"env":null,"cwd":null,"description":null,"icon":null,"timeout":null,"sse_read_timeout":null,"keep_alive":null,"headers":null}`, "", ""},
		{`{"transport":"stdio","command":"c","args":["a"],"timeout":5}`, "", ""},
		{`{"type":"http"}`, "extra_forbidden", "type"},
		{`{"bogus":1}`, "extra_forbidden", "bogus"},
		{`{"enabled":"yes"}`, "bool_type", "enabled"},
		{`{"transport":"tcp"}`, "literal_error", "transport"},
		{`{"env":{"A":1}}`, "string_type", "env.A"},
		{`{"env":[]}`, "dict_type", "env"},
		{`{"auth":"bearer"}`, "dict_type", "auth"},
		{`{"url":""}`, "string_too_short", "url"},
		{`{"args":"a"}`, "list_type", "args"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			err := ValidateMCPServerPatch(obj(t, tc.in))
			if tc.errType == "" {
				require.NoError(t, err)
				return
			}
			requireInvalid(t, err, tc.errType, tc.loc)
		})
	}
}
