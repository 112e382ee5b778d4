package mcp_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/openhands-go/sdk/mcp"
	"github.com/openhands-go/sdk/secret"

	"github.com/stretchr/testify/require"
)

// renderings returns every way a value is commonly turned into text.
func renderings(t *testing.T, v any) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.4000v"} {
		out[verb] = fmt.Sprintf(verb, v)
		out["slice "+verb] = fmt.Sprintf(verb, []any{v})
		out["map "+verb] = fmt.Sprintf(verb, map[string]any{"k": v})
		out["struct "+verb] = fmt.Sprintf(verb, struct{ F any }{v})
	}
	out["Sprint"] = fmt.Sprint(v)
	out["Sprintln"] = fmt.Sprintln(v, v)

	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("msg", "value", v, slog.Any("any", v), slog.Group("g", "inner", v))
	slog.New(slog.NewJSONHandler(&js, nil)).Info("msg", "value", v, slog.Any("any", v), slog.Group("g", "inner", v))
	out["slog text"] = text.String()
	out["slog json"] = js.String()

	if b, err := json.Marshal(v); err == nil {
		out["json"] = string(b)
	} else {
		out["json error"] = err.Error()
	}
	if b, err := json.Marshal(map[string]any{"k": v}); err == nil {
		out["json map"] = string(b)
	}
	out["error %v"] = fmt.Errorf("wrapped: %v", v).Error()
	out["error join"] = errors.Join(errors.New("x"), fmt.Errorf("%+v", v)).Error()

	recovered := func() (r any) {
		defer func() { r = recover() }()
		panic(v)
	}()
	out["panic %v"] = fmt.Sprintf("%v", recovered)
	out["panic %#v"] = fmt.Sprintf("%#v", recovered)
	return out
}

func TestLeak(t *testing.T) {
	secrets := []string{"ENV-VALUE", "HEADER-VALUE", "BEARER-VALUE", "APIKEY-VALUE", "BASIC-PASSWORD",
		"AUTH-HEADER-VALUE", "CLIENT-SECRET", "ACCESS-TOKEN", "REFRESH-TOKEN", "INFO-SECRET"}
	tokens := &mcp.OAuthTokens{AccessToken: "ACCESS-TOKEN", RefreshToken: "REFRESH-TOKEN", Extra: map[string]any{"token_type": "Bearer"}}
	info := &mcp.OAuthClientInfo{ClientSecret: "INFO-SECRET", Extra: map[string]any{"client_id": "cid"}}
	authn := &mcp.OAuthAuthentication{Type: "oauth", ClientID: ptr("cid"), ClientSecret: "CLIENT-SECRET"}
	state := &mcp.OAuthState{Tokens: tokens, ClientInfo: info, TokenExpiresAt: ptr(1.0)}
	oauth := &mcp.Auth{Strategy: mcp.StrategyOAuth2, Authentication: authn, State: state}
	c := mcp.Config{
		"stdio":  {Command: ptr("uvx"), Env: map[string]secret.Str{"TOKEN": "ENV-VALUE"}},
		"http":   {URL: ptr("https://h"), Headers: map[string]secret.Str{"X-Api-Key": "HEADER-VALUE"}, Auth: mcp.BearerAuth("BEARER-VALUE")},
		"apikey": {URL: ptr("https://a"), Auth: mcp.APIKeyAuth("APIKEY-VALUE", "X-K")},
		"basic":  {URL: ptr("https://b"), Auth: mcp.BasicAuth("user", "BASIC-PASSWORD")},
		"header": {URL: ptr("https://c"), Auth: mcp.HeaderAuth(map[string]string{"X-H": "AUTH-HEADER-VALUE"})},
		"oauth":  {URL: ptr("https://o"), Auth: oauth},
	}
	srv := c["http"]
	// Errors produced while handling secret-bearing input.
	var s mcp.Server
	decodeErr := s.UnmarshalJSON([]byte(`{"env":{"A":["ENV-VALUE"]}}`))
	require.Error(t, decodeErr)
	authErr := (&mcp.Auth{}).UnmarshalJSON([]byte(`{"strategy":"bearer","value":"BEARER-VALUE","x":1}`))
	require.Error(t, authErr)
	badSrv := mcp.Server{URL: ptr("u"), Headers: map[string]secret.Str{"authorization": "HEADER-VALUE"}, Auth: mcp.BearerAuth("BEARER-VALUE")}
	validateErr := badSrv.Validate()
	require.Error(t, validateErr)

	values := []any{
		c, &c, srv, &srv, *oauth, oauth, *authn, authn, *state, state, *tokens, tokens, *info, info,
		map[string]*mcp.Server{"x": &srv}, []mcp.Server{srv, badSrv},
		struct {
			S mcp.Server
			A *mcp.Auth
		}{srv, oauth},
		decodeErr, authErr, validateErr,
	}
	for _, v := range values {
		t.Run(fmt.Sprintf("%T", v), func(t *testing.T) {
			for how, out := range renderings(t, v) {
				for _, sec := range secrets {
					require.NotContains(t, out, sec, "leak via %s", how)
				}
			}
		})
	}
	// Sanity: the plaintext form contains every secret (the test can fail).
	p, err := c.PlaintextJSON()
	require.NoError(t, err)
	for _, sec := range secrets {
		require.Contains(t, string(p), sec)
	}
	sp, err := srv.PlaintextJSON()
	require.NoError(t, err)
	require.Contains(t, string(sp), "BEARER-VALUE")
}
