// Package mcp holds the client-side MCP server configuration of the OpenHands
// Settings and Secrets API (data-model.md §6): agent_settings.mcp_config is a
// flat map from a server name to a [Server].
//
// Every secret member (env values, headers values, auth value/password/headers
// values, OAuth client_secret, access and refresh tokens) is a [secret.Str]:
// json.Marshal, fmt and log/slog print it redacted. [Config.PlaintextJSON]
// and [Server.PlaintextJSON] emit the real values.
//
// JSON uses the compact upstream form: members whose value is null or {} are
// omitted, `enabled` is always emitted. Unknown members of a server, an auth
// credential and the OAuth `authentication` object are rejected.
package mcp

import (
	"github.com/openhands-go/sdk/secret"
)

// Transports (the `transport` member).
const (
	// TransportStdio runs Command as a child process.
	TransportStdio = "stdio"
	// TransportHTTP is the streamable HTTP transport (short name).
	TransportHTTP = "http"
	// TransportStreamableHTTP is the streamable HTTP transport.
	TransportStreamableHTTP = "streamable-http"
	// TransportSSE is the server-sent events transport.
	TransportSSE = "sse"
)

// Auth strategies (the `strategy` discriminator of an auth credential).
const (
	// StrategyNone sends no credential.
	StrategyNone = "none"
	// StrategyAPIKey sends Value in HeaderName (default chosen by the agent).
	StrategyAPIKey = "api_key"
	// StrategyBearer sends "Authorization: Bearer <Value>".
	StrategyBearer = "bearer"
	// StrategyBasic sends HTTP basic authentication.
	StrategyBasic = "basic"
	// StrategyHeader sends the Headers map.
	StrategyHeader = "header"
	// StrategyOAuth2 uses OAuth 2 (Authentication and State).
	StrategyOAuth2 = "oauth2"
)

// Config is agent_settings.mcp_config: server name → server.
type Config map[string]Server

// Server is one MCP server (data-model.md §6.2). Nil pointers and nil maps are
// JSON null (omitted in the compact form).
type Server struct {
	// URL of a remote server (http, streamable-http, sse).
	URL *string
	// Transport is one of the Transport* constants, or nil.
	Transport *string
	// Command to run for a stdio server.
	Command *string
	// Args of Command.
	Args []string
	// Env of Command; every value is secret.
	Env map[string]secret.Str
	// Cwd of Command.
	Cwd *string
	// Description is human-readable text.
	Description *string
	// Icon is an icon URL or name.
	Icon *string
	// Timeout in seconds.
	Timeout *float64
	// SSEReadTimeout in seconds.
	SSEReadTimeout *float64
	// KeepAlive keeps the connection open.
	KeepAlive *bool
	// Headers sent to a remote server; every value is secret.
	Headers map[string]secret.Str
	// Auth is the credential, or nil.
	Auth *Auth
	// Enabled is nil for the default (true).
	Enabled *bool
}

// IsEnabled reports whether the server is enabled (nil means true).
func (s Server) IsEnabled() bool { return s.Enabled == nil || *s.Enabled }

// Auth is an MCP auth credential, discriminated by Strategy (data-model.md
// §6.3). Only the members of the chosen strategy may be set.
type Auth struct {
	// Strategy is one of the Strategy* constants.
	Strategy string
	// Value is the api_key/bearer secret.
	Value secret.Str
	// HeaderName is the api_key header name.
	HeaderName *string
	// Username is the basic user name (required for basic).
	Username *string
	// Password is the basic password.
	Password secret.Str
	// Headers are the header strategy's headers; every value is secret.
	Headers map[string]secret.Str
	// Authentication is the oauth2 client configuration.
	Authentication *OAuthAuthentication
	// State is the oauth2 token state.
	State *OAuthState
}

// OAuthAuthentication is the oauth2 `authentication` object.
type OAuthAuthentication struct {
	// Type is "oauth" (required).
	Type string
	// ClientAuthMethod is none, client_secret_post, client_secret_basic,
	// private_key_jwt or nil.
	ClientAuthMethod *string
	// Scopes is nil, a string or a []string.
	Scopes any
	// ClientName is the dynamic-registration client name.
	ClientName *string
	// ClientMetadataURL is a client metadata document URL.
	ClientMetadataURL *string
	// ClientID is a pre-registered client id.
	ClientID *string
	// ClientSecret is a pre-registered client secret (secret).
	ClientSecret secret.Str
	// AdditionalClientMetadata is passed through.
	AdditionalClientMetadata map[string]any
}

// OAuthState is the oauth2 `state` object.
type OAuthState struct {
	// Tokens are the current tokens.
	Tokens *OAuthTokens
	// ClientInfo is the registered client.
	ClientInfo *OAuthClientInfo
	// TokenExpiresAt is a Unix timestamp in seconds.
	TokenExpiresAt *float64
}

// OAuthTokens holds OAuth tokens; members other than the two secrets are kept
// in Extra.
type OAuthTokens struct {
	// AccessToken is secret.
	AccessToken secret.Str
	// RefreshToken is secret.
	RefreshToken secret.Str
	// Extra holds every other member (token_type, expires_in, scope, ...).
	Extra map[string]any
}

// OAuthClientInfo is the registered client information; members other than
// client_secret are kept in Extra.
type OAuthClientInfo struct {
	// ClientSecret is secret.
	ClientSecret secret.Str
	// Extra holds every other member (client_id, redirect_uris, ...).
	Extra map[string]any
}

// BearerAuth returns a bearer credential.
func BearerAuth(token string) *Auth {
	return &Auth{Strategy: StrategyBearer, Value: secret.Str(token)}
}

// APIKeyAuth returns an api_key credential; an empty header leaves
// header_name null (the agent's default header).
func APIKeyAuth(value, header string) *Auth {
	a := &Auth{Strategy: StrategyAPIKey, Value: secret.Str(value)}
	if header != "" {
		a.HeaderName = &header
	}
	return a
}

// BasicAuth returns a basic credential.
func BasicAuth(user, pass string) *Auth {
	return &Auth{Strategy: StrategyBasic, Username: &user, Password: secret.Str(pass)}
}

// HeaderAuth returns a header credential sending headers (values secret).
func HeaderAuth(headers map[string]string) *Auth {
	a := &Auth{Strategy: StrategyHeader}
	if len(headers) > 0 {
		a.Headers = make(map[string]secret.Str, len(headers))
		for k, v := range headers {
			a.Headers[k] = secret.Str(v)
		}
	}
	return a
}
