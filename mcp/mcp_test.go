package mcp_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/mcp"
	"github.com/openhands-go/sdk/secret"
)

func ptr[T any](v T) *T { return &v }

func TestConfigSpecExample(t *testing.T) {
	// data-model.md §6.2 (redacted example) with plaintext values.
	plainIn := `{"github": {"command": "uvx", "args": ["mcp-server-github"], "env": {"GITHUB_TOKEN": "ghp_x"}, "enabled": true},
 "remote": {"url": "https://example.com/mcp", "transport": "http", "headers": {"X-Api-Key": "k-1"}, "enabled": false}}`
	specRedacted := `{"github": {"command": "uvx", "args": ["mcp-server-github"], "env": {"GITHUB_TOKEN": "**********"}, "enabled": true},
 "remote": {"url": "https://example.com/mcp", "transport": "http", "headers": {"X-Api-Key": "**********"}, "enabled": false}}`
	var c mcp.Config
	require.NoError(t, json.Unmarshal([]byte(plainIn), &c))
	require.Equal(t, mcp.Config{
		"github": {Command: ptr("uvx"), Args: []string{"mcp-server-github"}, Env: map[string]secret.Str{"GITHUB_TOKEN": "ghp_x"}, Enabled: ptr(true)},
		"remote": {URL: ptr("https://example.com/mcp"), Transport: ptr("http"), Headers: map[string]secret.Str{"X-Api-Key": "k-1"}, Enabled: ptr(false)},
	}, c)
	r, err := json.Marshal(c)
	require.NoError(t, err)
	require.JSONEq(t, specRedacted, string(r))
	require.Equal(t, `{"github":{"command":"uvx","args":["mcp-server-github"],"env":{"GITHUB_TOKEN":"**********"},"enabled":true},"remote":{"url":"https://example.com/mcp","transport":"http","headers":{"X-Api-Key":"**********"},"enabled":false}}`, string(r))
	p, err := c.PlaintextJSON()
	require.NoError(t, err)
	require.JSONEq(t, plainIn, string(p))
	require.NoError(t, c.Validate())
	require.True(t, c["github"].IsEnabled())
	require.False(t, c["remote"].IsEnabled())
}

func TestServerRoundTrips(t *testing.T) {
	cases := []struct {
		name     string
		server   mcp.Server
		plain    string
		redacted string
	}{
		{
			name:     "empty server",
			server:   mcp.Server{},
			plain:    `{"enabled":true}`,
			redacted: `{"enabled":true}`,
		},
		{
			name: "stdio",
			server: mcp.Server{Transport: ptr(mcp.TransportStdio), Command: ptr("npx"), Args: []string{"-y", "srv"},
				Env: map[string]secret.Str{"B": "bv", "A": "av", "EMPTY": ""}, Cwd: ptr("/w"), Description: ptr("d"), Icon: ptr("i"), Enabled: ptr(false)},
			plain:    `{"transport":"stdio","command":"npx","args":["-y","srv"],"env":{"A":"av","B":"bv","EMPTY":""},"cwd":"/w","description":"d","icon":"i","enabled":false}`,
			redacted: `{"transport":"stdio","command":"npx","args":["-y","srv"],"env":{"A":"**********","B":"**********","EMPTY":""},"cwd":"/w","description":"d","icon":"i","enabled":false}`,
		},
		{
			name:     "stdio empty args kept",
			server:   mcp.Server{Command: ptr("x"), Args: []string{}},
			plain:    `{"command":"x","args":[],"enabled":true}`,
			redacted: `{"command":"x","args":[],"enabled":true}`,
		},
		{
			name: "http with timeouts",
			server: mcp.Server{URL: ptr("https://h/mcp"), Transport: ptr(mcp.TransportHTTP), Timeout: ptr(30.0), SSEReadTimeout: ptr(2.5),
				KeepAlive: ptr(true), Headers: map[string]secret.Str{"X-Api-Key": "hk"}},
			plain:    `{"url":"https://h/mcp","transport":"http","timeout":30.0,"sse_read_timeout":2.5,"keep_alive":true,"headers":{"X-Api-Key":"hk"},"enabled":true}`,
			redacted: `{"url":"https://h/mcp","transport":"http","timeout":30.0,"sse_read_timeout":2.5,"keep_alive":true,"headers":{"X-Api-Key":"**********"},"enabled":true}`,
		},
		{
			name:     "streamable-http",
			server:   mcp.Server{URL: ptr("https://mcp.example.com/api"), Transport: ptr(mcp.TransportStreamableHTTP)},
			plain:    `{"url":"https://mcp.example.com/api","transport":"streamable-http","enabled":true}`,
			redacted: `{"url":"https://mcp.example.com/api","transport":"streamable-http","enabled":true}`,
		},
		{
			name:     "sse with none auth",
			server:   mcp.Server{URL: ptr("https://s/sse"), Transport: ptr(mcp.TransportSSE), Auth: &mcp.Auth{Strategy: mcp.StrategyNone}},
			plain:    `{"url":"https://s/sse","transport":"sse","auth":{"strategy":"none"},"enabled":true}`,
			redacted: `{"url":"https://s/sse","transport":"sse","auth":{"strategy":"none"},"enabled":true}`,
		},
		{
			name:     "bearer",
			server:   mcp.Server{URL: ptr("https://b"), Auth: mcp.BearerAuth("bt")},
			plain:    `{"url":"https://b","auth":{"strategy":"bearer","value":"bt"},"enabled":true}`,
			redacted: `{"url":"https://b","auth":{"strategy":"bearer","value":"**********"},"enabled":true}`,
		},
		{
			name:     "bearer without value",
			server:   mcp.Server{URL: ptr("https://b"), Auth: mcp.BearerAuth("")},
			plain:    `{"url":"https://b","auth":{"strategy":"bearer"},"enabled":true}`,
			redacted: `{"url":"https://b","auth":{"strategy":"bearer"},"enabled":true}`,
		},
		{
			name:     "api_key with header",
			server:   mcp.Server{URL: ptr("https://a"), Auth: mcp.APIKeyAuth("ak", "X-Key")},
			plain:    `{"url":"https://a","auth":{"strategy":"api_key","value":"ak","header_name":"X-Key"},"enabled":true}`,
			redacted: `{"url":"https://a","auth":{"strategy":"api_key","value":"**********","header_name":"X-Key"},"enabled":true}`,
		},
		{
			name:     "api_key default header",
			server:   mcp.Server{URL: ptr("https://a"), Auth: mcp.APIKeyAuth("ak", "")},
			plain:    `{"url":"https://a","auth":{"strategy":"api_key","value":"ak"},"enabled":true}`,
			redacted: `{"url":"https://a","auth":{"strategy":"api_key","value":"**********"},"enabled":true}`,
		},
		{
			name:     "basic",
			server:   mcp.Server{URL: ptr("https://u"), Auth: mcp.BasicAuth("alice", "pw")},
			plain:    `{"url":"https://u","auth":{"strategy":"basic","username":"alice","password":"pw"},"enabled":true}`,
			redacted: `{"url":"https://u","auth":{"strategy":"basic","username":"alice","password":"**********"},"enabled":true}`,
		},
		{
			name:     "header",
			server:   mcp.Server{URL: ptr("https://h"), Auth: mcp.HeaderAuth(map[string]string{"X-One": "1", "X-Two": "2"})},
			plain:    `{"url":"https://h","auth":{"strategy":"header","headers":{"X-One":"1","X-Two":"2"}},"enabled":true}`,
			redacted: `{"url":"https://h","auth":{"strategy":"header","headers":{"X-One":"**********","X-Two":"**********"}},"enabled":true}`,
		},
		{
			name:     "header empty",
			server:   mcp.Server{URL: ptr("https://h"), Auth: mcp.HeaderAuth(nil)},
			plain:    `{"url":"https://h","auth":{"strategy":"header"},"enabled":true}`,
			redacted: `{"url":"https://h","auth":{"strategy":"header"},"enabled":true}`,
		},
		{
			name: "oauth2 full",
			server: mcp.Server{URL: ptr("https://o"), Transport: ptr("http"), Auth: &mcp.Auth{
				Strategy: mcp.StrategyOAuth2,
				Authentication: &mcp.OAuthAuthentication{
					Type: "oauth", ClientAuthMethod: ptr("client_secret_post"), Scopes: []string{"read", "write"},
					ClientName: ptr("OpenHands"), ClientMetadataURL: ptr("https://meta"), ClientID: ptr("cid"), ClientSecret: "csec",
					AdditionalClientMetadata: map[string]any{"logo_uri": "https://l", "n": json.Number("1")},
				},
				State: &mcp.OAuthState{
					Tokens: &mcp.OAuthTokens{AccessToken: "at", RefreshToken: "rt", Extra: map[string]any{
						"token_type": "Bearer", "expires_in": json.Number("3600"), "scope": "read write", "id_token": "idt",
					}},
					ClientInfo:     &mcp.OAuthClientInfo{ClientSecret: "cis", Extra: map[string]any{"client_id": "client-id", "redirect_uris": []any{"http://localhost/cb"}}},
					TokenExpiresAt: ptr(12345.0),
				},
			}},
			plain: `{"url":"https://o","transport":"http","auth":{"strategy":"oauth2",` +
				`"authentication":{"type":"oauth","client_auth_method":"client_secret_post","scopes":["read","write"],"client_name":"OpenHands","client_metadata_url":"https://meta","client_id":"cid","client_secret":"csec","additional_client_metadata":{"logo_uri":"https://l","n":1}},` +
				`"state":{"tokens":{"access_token":"at","refresh_token":"rt","expires_in":3600,"id_token":"idt","scope":"read write","token_type":"Bearer"},"client_info":{"client_secret":"cis","client_id":"client-id","redirect_uris":["http://localhost/cb"]},"token_expires_at":12345.0}},"enabled":true}`,
			redacted: `{"url":"https://o","transport":"http","auth":{"strategy":"oauth2",` +
				`"authentication":{"type":"oauth","client_auth_method":"client_secret_post","scopes":["read","write"],"client_name":"OpenHands","client_metadata_url":"https://meta","client_id":"cid","client_secret":"**********","additional_client_metadata":{"logo_uri":"https://l","n":1}},` +
				`"state":{"tokens":{"access_token":"**********","refresh_token":"**********","expires_in":3600,"id_token":"idt","scope":"read write","token_type":"Bearer"},"client_info":{"client_secret":"**********","client_id":"client-id","redirect_uris":["http://localhost/cb"]},"token_expires_at":12345.0}},"enabled":true}`,
		},
		{
			name: "oauth2 spec redacted example",
			server: mcp.Server{Auth: &mcp.Auth{Strategy: mcp.StrategyOAuth2, State: &mcp.OAuthState{
				Tokens: &mcp.OAuthTokens{AccessToken: "a", RefreshToken: "r"}, TokenExpiresAt: ptr(12345.0)}}},
			plain:    `{"auth":{"strategy":"oauth2","state":{"tokens":{"access_token":"a","refresh_token":"r"},"token_expires_at":12345.0}},"enabled":true}`,
			redacted: `{"auth":{"strategy":"oauth2","state":{"tokens":{"access_token":"**********","refresh_token":"**********"},"token_expires_at":12345.0}},"enabled":true}`,
		},
		{
			name:     "oauth2 scopes as string",
			server:   mcp.Server{Auth: &mcp.Auth{Strategy: mcp.StrategyOAuth2, Authentication: &mcp.OAuthAuthentication{Type: "oauth", Scopes: "read"}}},
			plain:    `{"auth":{"strategy":"oauth2","authentication":{"type":"oauth","scopes":"read"}},"enabled":true}`,
			redacted: `{"auth":{"strategy":"oauth2","authentication":{"type":"oauth","scopes":"read"}},"enabled":true}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.server.PlaintextJSON()
			require.NoError(t, err)
			require.Equal(t, tc.plain, string(p))
			r, err := json.Marshal(tc.server)
			require.NoError(t, err)
			require.Equal(t, tc.redacted, string(r))
			r2, err := json.Marshal(&tc.server)
			require.NoError(t, err)
			require.Equal(t, tc.redacted, string(r2))

			var back mcp.Server
			require.NoError(t, json.Unmarshal(p, &back))
			want := tc.server
			if want.Enabled == nil {
				want.Enabled = ptr(true) // `enabled` is always emitted
			}
			require.Equal(t, want, back)
			require.NoError(t, back.Validate())

			// Config level round trip.
			c := mcp.Config{"s": back}
			cp, err := c.PlaintextJSON()
			require.NoError(t, err)
			var cback mcp.Config
			require.NoError(t, json.Unmarshal(cp, &cback))
			require.Equal(t, c, cback)
		})
	}
}

func TestCompactForm(t *testing.T) {
	cases := []struct {
		in, want string
	}{
		{`{"url":null,"transport":null,"command":null,"args":null,"env":{},"cwd":null,"description":null,"icon":null,"timeout":null,"sse_read_timeout":null,"keep_alive":null,"headers":{},"auth":null}`, `{"enabled":true}`},
		{`{"enabled":null}`, `{"enabled":true}`},
		{`{"auth":{"strategy":"oauth2","authentication":null,"state":{"tokens":null,"client_info":null,"token_expires_at":null}}}`, `{"auth":{"strategy":"oauth2"},"enabled":true}`},
		{`{"auth":{"strategy":"oauth2","state":{"tokens":{"access_token":null,"token_type":null,"extra":{}},"client_info":{}}}}`, `{"auth":{"strategy":"oauth2"},"enabled":true}`},
		{`{"auth":{"strategy":"oauth2","state":{"tokens":{"token_type":"Bearer"},"ignored_member":1}}}`, `{"auth":{"strategy":"oauth2","state":{"tokens":{"token_type":"Bearer"}}},"enabled":true}`},
		{`{"auth":{"strategy":"header","headers":{}}}`, `{"auth":{"strategy":"header"},"enabled":true}`},
		{`{"auth":{"strategy":"bearer","value":null}}`, `{"auth":{"strategy":"bearer"},"enabled":true}`},
		{`{"auth":{"strategy":"oauth2","authentication":{"type":"oauth","scopes":null,"additional_client_metadata":{}}}}`, `{"auth":{"strategy":"oauth2","authentication":{"type":"oauth"}},"enabled":true}`},
		{`{"timeout":8,"sse_read_timeout":1800}`, `{"timeout":8.0,"sse_read_timeout":1800.0,"enabled":true}`},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			var s mcp.Server
			require.NoError(t, json.Unmarshal([]byte(tc.in), &s))
			p, err := s.PlaintextJSON()
			require.NoError(t, err)
			require.Equal(t, tc.want, string(p))
		})
	}
}

func TestUpstreamOAuthFixture(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "upstream", "persisted_settings_baselines", "v5", "agent_settings_mcp_oauth.json"))
	require.NoError(t, err)
	var doc struct {
		MCPConfig json.RawMessage `json:"mcp_config"`
	}
	require.NoError(t, json.Unmarshal(data, &doc))
	var c mcp.Config
	require.NoError(t, json.Unmarshal(doc.MCPConfig, &c))
	s, ok := c["superhuman-mail"]
	require.True(t, ok)
	require.Equal(t, "oauth2", s.Auth.Strategy)
	require.Equal(t, "token-value", s.Auth.State.Tokens.AccessToken.Reveal())
	require.Equal(t, "client-id", s.Auth.State.ClientInfo.Extra["client_id"])
	require.Equal(t, 1234567890.0, *s.Auth.State.TokenExpiresAt)
	require.NoError(t, c.Validate())

	p, err := c.PlaintextJSON()
	require.NoError(t, err)
	var withEnabled map[string]map[string]any
	require.NoError(t, json.Unmarshal(doc.MCPConfig, &withEnabled))
	withEnabled["superhuman-mail"]["enabled"] = true
	want, err := json.Marshal(withEnabled)
	require.NoError(t, err)
	require.JSONEq(t, string(want), string(p))

	r, err := json.Marshal(c)
	require.NoError(t, err)
	require.NotContains(t, string(r), "token-value")
	require.Contains(t, string(r), "client-id")
}

func TestStrictDecodeErrors(t *testing.T) {
	const val = "VALUE-NOT-IN-ERRORS"
	cases := []struct {
		name, in, want string
	}{
		{"unknown server member", `{"command":"x","type":"stdio"}`, `unknown member "type"`},
		{"unknown server member 2", `{"url":"u","bogus":"` + val + `"}`, `unknown member "bogus"`},
		{"missing strategy", `{"auth":{"value":"` + val + `"}}`, `"strategy" is required`},
		{"null strategy", `{"auth":{"strategy":null}}`, `"strategy" is required`},
		{"unknown strategy", `{"auth":{"strategy":"kerberos"}}`, `"strategy" must be one of`},
		{"unknown auth member", `{"auth":{"strategy":"bearer","value":"` + val + `","extra":1}}`, `unknown member "extra"`},
		{"member of another strategy", `{"auth":{"strategy":"bearer","password":"` + val + `"}}`, `unknown member "password"`},
		{"none with value", `{"auth":{"strategy":"none","value":"` + val + `"}}`, `unknown member "value"`},
		{"basic needs username", `{"auth":{"strategy":"basic","password":"` + val + `"}}`, `"username" is required`},
		{"unknown authentication member", `{"auth":{"strategy":"oauth2","authentication":{"type":"oauth","redirect":"x"}}}`, `unknown member "redirect"`},
		{"authentication type required", `{"auth":{"strategy":"oauth2","authentication":{"client_id":"c"}}}`, `"type" is required`},
		{"authentication type literal", `{"auth":{"strategy":"oauth2","authentication":{"type":"saml"}}}`, `"type" must be "oauth"`},
		{"client auth method", `{"auth":{"strategy":"oauth2","authentication":{"type":"oauth","client_auth_method":"magic"}}}`, `"client_auth_method"`},
		{"scopes type", `{"auth":{"strategy":"oauth2","authentication":{"type":"oauth","scopes":[1]}}}`, `"scopes"`},
		{"client secret type", `{"auth":{"strategy":"oauth2","authentication":{"type":"oauth","client_secret":["` + val + `"]}}}`, `"client_secret"`},
		{"access token type", `{"auth":{"strategy":"oauth2","state":{"tokens":{"access_token":{"v":"` + val + `"}}}}}`, `"access_token"`},
		{"token_expires_at type", `{"auth":{"strategy":"oauth2","state":{"token_expires_at":"soon"}}}`, `"token_expires_at"`},
		{"env value type", `{"env":{"A":1}}`, `"env"`},
		{"env value null", `{"env":{"A":null}}`, `"env"`},
		{"env not object", `{"env":["` + val + `"]}`, `"env"`},
		{"headers type", `{"headers":"` + val + `"}`, `"headers"`},
		{"args type", `{"args":"` + val + `"}`, `"args"`},
		{"args element type", `{"args":[1]}`, `"args"`},
		{"url type", `{"url":1}`, `"url"`},
		{"timeout type", `{"timeout":"30"}`, `"timeout"`},
		{"enabled type", `{"enabled":"yes"}`, `"enabled"`},
		{"auth type", `{"auth":"` + val + `"}`, `"auth"`},
		{"duplicate", `{"url":"a","url":"b"}`, `duplicate member "url"`},
		{"not an object", `["` + val + `"]`, "expected a JSON object"},
		{"bad json", `{"env":{"A":"` + val + `"`, "invalid JSON"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var s mcp.Server
			err := s.UnmarshalJSON([]byte(tc.in))
			require.ErrorContains(t, err, tc.want)
			require.NotContains(t, err.Error(), val)

			var c mcp.Config
			err = c.UnmarshalJSON([]byte(`{"srv-name":` + tc.in + `}`))
			require.Error(t, err)
			require.NotContains(t, err.Error(), val)
			if tc.name != "bad json" {
				require.ErrorContains(t, err, `server "srv-name"`)
			}
		})
	}
	var c mcp.Config
	require.ErrorContains(t, c.UnmarshalJSON([]byte(`{"mcpServers":{"fetch":{"command":"uvx"}}}`)), `unknown member "fetch"`)
	require.NoError(t, c.UnmarshalJSON([]byte(`null`)))
	require.Equal(t, mcp.Config{}, c)
}

func TestNullIsNoOp(t *testing.T) {
	s := mcp.Server{Command: ptr("c")}
	require.NoError(t, json.Unmarshal([]byte(`null`), &s))
	require.Equal(t, "c", *s.Command)
	a := mcp.BearerAuth("t")
	require.NoError(t, json.Unmarshal([]byte(`null`), a))
	require.Equal(t, "bearer", a.Strategy)
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		s    mcp.Server
		want string
	}{
		{"stdio without command", mcp.Server{Transport: ptr("stdio")}, `requires "command"`},
		{"http without url", mcp.Server{Transport: ptr("http")}, `"http" requires "url"`},
		{"streamable without url", mcp.Server{Transport: ptr("streamable-http")}, `requires "url"`},
		{"sse without url", mcp.Server{Transport: ptr("sse")}, `requires "url"`},
		{"unknown transport", mcp.Server{Transport: ptr("websocket"), URL: ptr("u")}, `"transport" must be`},
		{"empty url", mcp.Server{URL: ptr("")}, `"url" must not be empty`},
		{"empty command", mcp.Server{Command: ptr("")}, `"command" must not be empty`},
		{"auth with authorization header", mcp.Server{URL: ptr("u"), Headers: map[string]secret.Str{"AUTHORIZATION": "x"}, Auth: mcp.BearerAuth("t")}, `"Authorization" header`},
		{"auth strategy unknown", mcp.Server{Auth: &mcp.Auth{Strategy: "x"}}, `"strategy" must be`},
		{"auth foreign member", mcp.Server{Auth: &mcp.Auth{Strategy: "bearer", Value: "v", Password: "p"}}, `"password" is not allowed`},
		{"basic without username", mcp.Server{Auth: &mcp.Auth{Strategy: "basic"}}, `requires "username"`},
		{"oauth type", mcp.Server{Auth: &mcp.Auth{Strategy: "oauth2", Authentication: &mcp.OAuthAuthentication{Type: "x"}}}, `"type" must be "oauth"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.ErrorContains(t, tc.s.Validate(), tc.want)
			require.ErrorContains(t, mcp.Config{"n": tc.s}.Validate(), `server "n"`)
		})
	}
	valid := []mcp.Server{
		{},
		{Transport: ptr("stdio"), Command: ptr("c")},
		{Transport: ptr("sse"), URL: ptr("u")},
		{URL: ptr("u"), Headers: map[string]secret.Str{"Authorization": "x"}},
		{URL: ptr("u"), Headers: map[string]secret.Str{"X-Auth": "x"}, Auth: mcp.BearerAuth("t")},
		{Auth: mcp.BasicAuth("u", "")},
	}
	for _, s := range valid {
		require.NoError(t, s.Validate())
	}
}

func TestIsEnabledAndConstructors(t *testing.T) {
	require.True(t, mcp.Server{}.IsEnabled())
	require.True(t, mcp.Server{Enabled: ptr(true)}.IsEnabled())
	require.False(t, mcp.Server{Enabled: ptr(false)}.IsEnabled())

	require.Equal(t, &mcp.Auth{Strategy: "bearer", Value: "t"}, mcp.BearerAuth("t"))
	require.Equal(t, &mcp.Auth{Strategy: "api_key", Value: "v", HeaderName: ptr("H")}, mcp.APIKeyAuth("v", "H"))
	require.Equal(t, &mcp.Auth{Strategy: "basic", Username: ptr("u"), Password: "p"}, mcp.BasicAuth("u", "p"))
	require.Equal(t, &mcp.Auth{Strategy: "header", Headers: map[string]secret.Str{"A": "1"}}, mcp.HeaderAuth(map[string]string{"A": "1"}))
}

func TestEncodeErrors(t *testing.T) {
	nan := 0.0
	nan /= nan
	_, err := mcp.Server{Timeout: &nan}.PlaintextJSON()
	require.ErrorContains(t, err, `"timeout"`)
	_, err = mcp.Config{"x": {Auth: &mcp.Auth{Strategy: "oauth2", Authentication: &mcp.OAuthAuthentication{Type: "oauth", Scopes: 5}}}}.PlaintextJSON()
	require.ErrorContains(t, err, `"scopes"`)
	require.ErrorContains(t, err, `server "x"`)
}

func ExampleConfig() {
	c := mcp.Config{
		"github": {
			Command: ptr("uvx"),
			Args:    []string{"mcp-server-github"},
			Env:     map[string]secret.Str{"GITHUB_TOKEN": "ghp_example"},
		},
		"remote": {
			URL:       ptr("https://example.com/mcp"),
			Transport: ptr(mcp.TransportHTTP),
			Auth:      mcp.BearerAuth("bearer-example"),
			Enabled:   ptr(false),
		},
	}
	redacted, _ := json.Marshal(c)
	fmt.Println(string(redacted))
	plain, _ := c.PlaintextJSON()
	fmt.Println(string(plain))
	// Output:
	// {"github":{"command":"uvx","args":["mcp-server-github"],"env":{"GITHUB_TOKEN":"**********"},"enabled":true},"remote":{"url":"https://example.com/mcp","transport":"http","auth":{"strategy":"bearer","value":"**********"},"enabled":false}}
	// {"github":{"command":"uvx","args":["mcp-server-github"],"env":{"GITHUB_TOKEN":"ghp_example"},"enabled":true},"remote":{"url":"https://example.com/mcp","transport":"http","auth":{"strategy":"bearer","value":"bearer-example"},"enabled":false}}
}

func FuzzServerUnmarshalJSON(f *testing.F) {
	f.Add([]byte(`{"command":"uvx","args":["a"],"env":{"T":"v"},"enabled":true}`))
	f.Add([]byte(`{"url":"https://x","transport":"http","headers":{"X-Api-Key":"k"},"timeout":30.0,"keep_alive":false,"enabled":false}`))
	f.Add([]byte(`{"auth":{"strategy":"basic","username":"u","password":"p"}}`))
	f.Add([]byte(`{"auth":{"strategy":"api_key","value":"v","header_name":"H"}}`))
	f.Add([]byte(`{"auth":{"strategy":"header","headers":{"A":"1"}}}`))
	f.Add([]byte(`{"auth":{"strategy":"oauth2","authentication":{"type":"oauth","scopes":["a"],"client_secret":"s","additional_client_metadata":{"k":{"n":null}}},"state":{"tokens":{"access_token":"a","x":{}},"client_info":{"client_id":"c","y":[{}]},"token_expires_at":1e20}}}`))
	f.Add([]byte(`{"enabled":null,"args":[],"env":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s mcp.Server
		if err := s.UnmarshalJSON(data); err != nil {
			return
		}
		_ = s.Validate()
		_ = fmt.Sprint(s)
		p, err := s.PlaintextJSON()
		require.NoError(t, err)
		var back mcp.Server
		require.NoError(t, back.UnmarshalJSON(p))
		if s.Enabled == nil {
			s.Enabled = ptr(true) // `enabled` is always emitted
		}
		require.Equal(t, s, back)
		p2, err := back.PlaintextJSON()
		require.NoError(t, err)
		require.Equal(t, string(p), string(p2))
	})
}
