package model

import (
	"strings"

	"github.com/openhands-go/sdk/internal/jsonx"
)

// MCP configuration (data-model.md §6).

// mcpTransports are the accepted values of MCPServer.transport.
var mcpTransports = [...]string{"stdio", "http", "streamable-http", "sse"}

func buildMCP() (*model, *union) {
	secretMap := func() *typ { return tMap(tString().sec(secretEntry)) }
	secretValue := func() *typ { return tString().null().sec(secretField) }

	none := newModel("MCPNoneAuthCredential", extraIgnore,
		req("strategy", tEnum("none")))
	apiKey := newModel("MCPApiKeyAuthCredential", extraIgnore,
		req("strategy", tEnum("api_key")),
		fld("value", secretValue(), nil),
		fld("header_name", tString().null(), nil))
	bearer := newModel("MCPBearerAuthCredential", extraIgnore,
		req("strategy", tEnum("bearer")),
		fld("value", secretValue(), nil))
	basic := newModel("MCPBasicAuthCredential", extraIgnore,
		req("strategy", tEnum("basic")),
		req("username", tString()),
		fld("password", secretValue(), nil))
	header := newModel("MCPHeaderAuthCredential", extraIgnore,
		req("strategy", tEnum("header")),
		fld("headers", secretMap(), jsonx.NewObject()))

	authentication := newModel("MCPOAuthAuthentication", extraForbid,
		req("type", tEnum("oauth")),
		fld("client_auth_method", tEnum("none", "client_secret_post", "client_secret_basic", "private_key_jwt").null(), nil),
		fld("scopes", tAlt(tString(), tArray(tString())).null(), nil),
		fld("client_name", tString().null(), nil),
		fld("client_metadata_url", tString().null(), nil),
		fld("client_id", tString().null(), nil),
		fld("client_secret", secretValue(), nil),
		fld("additional_client_metadata", tObject().null(), nil))
	tokens := newModel("MCPOAuthTokenState", extraAllow,
		fld("access_token", secretValue(), nil),
		fld("refresh_token", secretValue(), nil))
	clientInfo := newModel("MCPOAuthClientInfoState", extraAllow,
		fld("client_secret", secretValue(), nil))
	state := newModel("MCPOAuthState", extraIgnore,
		fld("tokens", tModel(tokens).null(), nil),
		fld("client_info", tModel(clientInfo).null(), nil),
		fld("token_expires_at", tNumber().null(), nil))
	oauth := newModel("MCPOAuthAuthCredential", extraIgnore,
		req("strategy", tEnum("oauth2")),
		fld("authentication", tModel(authentication).null(), nil),
		fld("state", tModel(state).null(), nil))

	for _, m := range []*model{none, apiKey, bearer, basic, header, authentication, tokens, clientInfo, state, oauth} {
		m.setCompact()
	}
	auth := newUnion("MCPAuthCredential", "strategy", "", none, apiKey, bearer, basic, header, oauth)

	server := newModel("MCPServer", extraForbid,
		fld("url", tString().min(1).null(), nil),
		fld("transport", tEnum(mcpTransports[:]...).null(), nil),
		fld("command", tString().min(1).null(), nil),
		fld("args", tArray(tString()).null(), nil),
		fld("env", secretMap().null(), nil),
		fld("cwd", tString().null(), nil),
		fld("description", tString().null(), nil),
		fld("icon", tString().null(), nil),
		fld("timeout", tNumber().null(), nil),
		fld("sse_read_timeout", tNumber().null(), nil),
		fld("keep_alive", tBool().null(), nil),
		fld("headers", secretMap().null(), nil),
		fld("auth", tUnion(auth).null(), nil),
		fld("enabled", tBool(), true),
	)
	server.setCompact()
	server.after = mcpServerAfter
	return server, auth
}

// buildMCPPatch is MCPServerPatch (data-model.md §6.4): every member optional
// and nullable, env/headers values individually nullable, unknown members
// rejected. auth is merged recursively by the caller, so any object is
// accepted here; the merged server is validated as a whole afterwards.
func buildMCPPatch() *model {
	nullableMap := func() *typ { return tMap(tString().null()).null() }
	return newModel("MCPServerPatch", extraForbid,
		fld("url", tString().min(1).null(), nil),
		fld("transport", tEnum(mcpTransports[:]...).null(), nil),
		fld("command", tString().min(1).null(), nil),
		fld("args", tArray(tString()).null(), nil),
		fld("env", nullableMap(), nil),
		fld("cwd", tString().null(), nil),
		fld("description", tString().null(), nil),
		fld("icon", tString().null(), nil),
		fld("timeout", tNumber().null(), nil),
		fld("sse_read_timeout", tNumber().null(), nil),
		fld("keep_alive", tBool().null(), nil),
		fld("headers", nullableMap(), nil),
		fld("auth", tObject().null(), nil),
		fld("enabled", tBool().null(), nil),
	)
}

// mcpServerAfter applies the MCPServer model rules (data-model.md §6.2).
func mcpServerAfter(v *vctx, m *model, out *jsonx.Object) {
	transport, _ := out.String("transport")
	switch transport {
	case "stdio":
		if out.Value("command") == nil {
			v.modelError(m, out, "stdio transport requires 'command'")
		}
	case "http", "streamable-http", "sse":
		if out.Value("url") == nil {
			v.modelError(m, out, transport+" transport requires 'url'")
		}
	}
	if out.Value("auth") != nil {
		for _, k := range out.Object("headers").Keys() {
			if strings.EqualFold(k, "authorization") {
				v.modelError(m, out,
					"an explicit Authorization header cannot be combined with 'auth'")
				break
			}
		}
	}
}

// ValidateMCPServer validates one MCPServer object (unknown members
// rejected) and returns it in compact form (no null or {} members, enabled
// always present).
func ValidateMCPServer(doc *jsonx.Object, in Input) (*jsonx.Object, error) {
	return validateTop(schemas.mcpServerT, doc, in)
}

// ValidateMCPServerPatch validates a PATCH body for one MCP server
// (data-model.md §6.4): all members optional and nullable, unknown rejected.
func ValidateMCPServerPatch(doc *jsonx.Object) error {
	_, err := validateTop(schemas.mcpPatchT, doc, Input{})
	return err
}
