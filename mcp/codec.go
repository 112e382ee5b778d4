package mcp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// ---- Config ----------------------------------------------------------------

// MarshalJSON encodes the map (servers sorted by name) with secrets redacted.
func (c Config) MarshalJSON() ([]byte, error) { return c.encode(false) }

// PlaintextJSON encodes the map with real secret values.
func (c Config) PlaintextJSON() ([]byte, error) { return c.encode(true) }

func (c Config) encode(plain bool) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, name := range sortedKeys(c) {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(&b, name)
		b.WriteByte(':')
		s := c[name]
		enc, err := s.encode(plain)
		if err != nil {
			return nil, fmt.Errorf("mcp: server %q: %w", name, err)
		}
		b.Write(enc)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON decodes a name → server object; null is the empty map.
// Errors name the server.
func (c *Config) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		*c = Config{}
		return nil
	}
	m, err := parseObject(data)
	if err != nil {
		return fmt.Errorf("mcp: config: %w", err)
	}
	out := make(Config, len(m))
	for _, name := range sortedKeys(m) {
		var s Server
		if err := s.decode(m[name]); err != nil {
			return fmt.Errorf("mcp: server %q: %w", name, err)
		}
		out[name] = s
	}
	*c = out
	return nil
}

// Validate validates every server; errors name the server.
func (c Config) Validate() error {
	var errs []error
	for _, name := range sortedKeys(c) {
		if err := c[name].Validate(); err != nil {
			errs = append(errs, fmt.Errorf("server %q: %w", name, err))
		}
	}
	return errors.Join(errs...)
}

// String returns the redacted JSON form.
func (c Config) String() string { return stringOf(c.MarshalJSON) }

// Format implements fmt.Formatter: every verb prints the redacted JSON.
func (c Config) Format(f fmt.State, verb rune) { formatJSON(f, verb, "mcp.Config", c.MarshalJSON) }

// LogValue implements slog.LogValuer (redacted JSON).
func (c Config) LogValue() slog.Value { return logJSON(c.MarshalJSON) }

// ---- Server ----------------------------------------------------------------

// MarshalJSON encodes the server in the compact form with secrets redacted.
func (s Server) MarshalJSON() ([]byte, error) { return s.encode(false) }

// PlaintextJSON encodes the server in the compact form with real secrets.
func (s Server) PlaintextJSON() ([]byte, error) { return s.encode(true) }

func (s Server) encode(plain bool) ([]byte, error) {
	var w objWriter
	w.str("url", s.URL)
	w.str("transport", s.Transport)
	w.str("command", s.Command)
	if s.Args != nil {
		w.any("args", s.Args)
	}
	w.secretMap("env", s.Env, plain)
	w.str("cwd", s.Cwd)
	w.str("description", s.Description)
	w.str("icon", s.Icon)
	w.float("timeout", s.Timeout)
	w.float("sse_read_timeout", s.SSEReadTimeout)
	w.boolean("keep_alive", s.KeepAlive)
	w.secretMap("headers", s.Headers, plain)
	if s.Auth != nil {
		enc, err := s.Auth.encode(plain)
		if err != nil {
			w.fail(fmt.Errorf("member \"auth\": %w", err))
		}
		w.raw("auth", enc)
	}
	w.boolean("enabled", boolPtr(s.IsEnabled()))
	return w.bytes()
}

func boolPtr(b bool) *bool { return &b }

// UnmarshalJSON decodes a server. Unknown members are rejected (the error
// names the member); values are type-checked (errors name the member, never
// the value). Semantic rules are checked by [Server.Validate], not here.
// Empty env/headers objects decode as nil; enabled null decodes as nil.
func (s *Server) UnmarshalJSON(data []byte) error {
	if isNullJSON(data) {
		return nil // JSON null leaves the value unchanged (encoding/json convention)
	}
	if err := s.decode(data); err != nil {
		return fmt.Errorf("mcp: server: %w", err)
	}
	return nil
}

func (s *Server) decode(data []byte) error {
	m, err := parseObject(data)
	if err != nil {
		return err
	}
	if err := m.allow("url", "transport", "command", "args", "env", "cwd", "description", "icon",
		"timeout", "sse_read_timeout", "keep_alive", "headers", "auth", "enabled"); err != nil {
		return err
	}
	var out Server
	for _, p := range []struct {
		key string
		dst **string
	}{
		{"url", &out.URL}, {"transport", &out.Transport}, {"command", &out.Command},
		{"cwd", &out.Cwd}, {"description", &out.Description}, {"icon", &out.Icon},
	} {
		if *p.dst, err = m.optString(p.key); err != nil {
			return err
		}
	}
	if raw, ok := m["args"]; ok && string(raw) != "null" {
		if jsonKind(raw) != "an array" {
			return memberErr("args", "an array of strings or null", raw)
		}
		if err := json.Unmarshal(raw, &out.Args); err != nil {
			return errors.New(`member "args": expected an array of strings`)
		}
		if out.Args == nil {
			out.Args = []string{}
		}
	}
	if out.Env, err = m.secretMap("env"); err != nil {
		return err
	}
	if out.Headers, err = m.secretMap("headers"); err != nil {
		return err
	}
	if out.Timeout, err = m.optFloat("timeout"); err != nil {
		return err
	}
	if out.SSEReadTimeout, err = m.optFloat("sse_read_timeout"); err != nil {
		return err
	}
	if out.KeepAlive, err = m.optBool("keep_alive"); err != nil {
		return err
	}
	if out.Enabled, err = m.optBool("enabled"); err != nil {
		return err
	}
	if raw, ok := m["auth"]; ok && string(raw) != "null" {
		if jsonKind(raw) != "an object" {
			return memberErr("auth", "an object or null", raw)
		}
		var a Auth
		if err := a.decode(raw); err != nil {
			return fmt.Errorf("member \"auth\": %w", err)
		}
		out.Auth = &a
	}
	*s = out
	return nil
}

// Validate checks the rules of data-model.md §6.2: a known transport (or
// nil), stdio requires command, http/streamable-http/sse require url,
// url/command non-empty when set, auth together with an "authorization"
// header (case-insensitive) is an error, and the auth credential is valid.
func (s Server) Validate() error {
	var errs []error
	if s.URL != nil && *s.URL == "" {
		errs = append(errs, errors.New(`"url" must not be empty`))
	}
	if s.Command != nil && *s.Command == "" {
		errs = append(errs, errors.New(`"command" must not be empty`))
	}
	if s.Transport != nil {
		switch *s.Transport {
		case TransportStdio:
			if s.Command == nil {
				errs = append(errs, errors.New(`transport "stdio" requires "command"`))
			}
		case TransportHTTP, TransportStreamableHTTP, TransportSSE:
			if s.URL == nil {
				errs = append(errs, fmt.Errorf("transport %q requires \"url\"", *s.Transport))
			}
		default:
			errs = append(errs, errors.New(`"transport" must be "stdio", "http", "streamable-http", "sse" or null`))
		}
	}
	if s.Auth != nil {
		for k := range s.Headers {
			if strings.EqualFold(k, "authorization") {
				errs = append(errs, errors.New(`"auth" cannot be combined with an "Authorization" header`))
				break
			}
		}
		if err := s.Auth.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("auth: %w", err))
		}
	}
	return errors.Join(errs...)
}

// String returns the redacted JSON form.
func (s Server) String() string { return stringOf(s.MarshalJSON) }

// Format implements fmt.Formatter: every verb prints the redacted JSON.
func (s Server) Format(f fmt.State, verb rune) { formatJSON(f, verb, "mcp.Server", s.MarshalJSON) }

// LogValue implements slog.LogValuer (redacted JSON).
func (s Server) LogValue() slog.Value { return logJSON(s.MarshalJSON) }

// ---- Auth ------------------------------------------------------------------

// strategyMembers lists the members allowed (besides "strategy") per strategy.
func strategyMembers(strategy string) ([]string, bool) {
	switch strategy {
	case StrategyNone:
		return nil, true
	case StrategyAPIKey:
		return []string{"value", "header_name"}, true
	case StrategyBearer:
		return []string{"value"}, true
	case StrategyBasic:
		return []string{"username", "password"}, true
	case StrategyHeader:
		return []string{"headers"}, true
	case StrategyOAuth2:
		return []string{"authentication", "state"}, true
	}
	return nil, false
}

// MarshalJSON encodes the credential in the compact form, secrets redacted.
func (a Auth) MarshalJSON() ([]byte, error) { return a.encode(false) }

// PlaintextJSON encodes the credential with real secrets.
func (a Auth) PlaintextJSON() ([]byte, error) { return a.encode(true) }

func (a Auth) encode(plain bool) ([]byte, error) {
	var w objWriter
	w.raw("strategy", quote(a.Strategy))
	w.secretStr("value", a.Value, plain)
	w.str("header_name", a.HeaderName)
	w.str("username", a.Username)
	w.secretStr("password", a.Password, plain)
	w.secretMap("headers", a.Headers, plain)
	if a.Authentication != nil {
		enc, err := a.Authentication.encode(plain)
		if err != nil {
			w.fail(fmt.Errorf("member \"authentication\": %w", err))
		}
		w.raw("authentication", enc)
	}
	if a.State != nil {
		enc, err := a.State.encode(plain)
		if err != nil {
			w.fail(fmt.Errorf("member \"state\": %w", err))
		}
		w.raw("state", enc)
	}
	return w.bytes()
}

// UnmarshalJSON decodes a credential: "strategy" is required and selects the
// allowed members; any other member is rejected. A state with no values
// decodes as nil.
func (a *Auth) UnmarshalJSON(data []byte) error {
	if isNullJSON(data) {
		return nil // JSON null leaves the value unchanged (encoding/json convention)
	}
	if err := a.decode(data); err != nil {
		return fmt.Errorf("mcp: auth: %w", err)
	}
	return nil
}

func (a *Auth) decode(data []byte) error {
	m, err := parseObject(data)
	if err != nil {
		return err
	}
	raw, ok := m["strategy"]
	if !ok || string(raw) == "null" {
		return errors.New(`member "strategy" is required`)
	}
	strategy, err := m.optString("strategy")
	if err != nil {
		return err
	}
	allowed, known := strategyMembers(*strategy)
	if !known {
		return errors.New(`member "strategy" must be one of "none", "api_key", "bearer", "basic", "header", "oauth2"`)
	}
	if err := m.allow(append([]string{"strategy"}, allowed...)...); err != nil {
		return err
	}
	out := Auth{Strategy: *strategy}
	if out.Value, err = m.secretStr("value"); err != nil {
		return err
	}
	if out.HeaderName, err = m.optString("header_name"); err != nil {
		return err
	}
	if out.Username, err = m.optString("username"); err != nil {
		return err
	}
	if out.Strategy == StrategyBasic && out.Username == nil {
		return errors.New(`member "username" is required for strategy "basic"`)
	}
	if out.Password, err = m.secretStr("password"); err != nil {
		return err
	}
	if out.Headers, err = m.secretMap("headers"); err != nil {
		return err
	}
	if raw, ok := m["authentication"]; ok && string(raw) != "null" {
		if jsonKind(raw) != "an object" {
			return memberErr("authentication", "an object or null", raw)
		}
		var o OAuthAuthentication
		if err := o.decode(raw); err != nil {
			return fmt.Errorf("member \"authentication\": %w", err)
		}
		out.Authentication = &o
	}
	if raw, ok := m["state"]; ok && string(raw) != "null" {
		if jsonKind(raw) != "an object" {
			return memberErr("state", "an object or null", raw)
		}
		var st OAuthState
		if err := st.decode(raw); err != nil {
			return fmt.Errorf("member \"state\": %w", err)
		}
		if !st.isEmpty() {
			out.State = &st
		}
	}
	*a = out
	return nil
}

// Validate checks that the strategy is known, that only its members are set,
// and that basic has a username and oauth2 authentication has type "oauth".
func (a Auth) Validate() error {
	allowed, known := strategyMembers(a.Strategy)
	if !known {
		return errors.New(`"strategy" must be one of "none", "api_key", "bearer", "basic", "header", "oauth2"`)
	}
	set := map[string]bool{
		"value":          a.Value.IsSet(),
		"header_name":    a.HeaderName != nil,
		"username":       a.Username != nil,
		"password":       a.Password.IsSet(),
		"headers":        len(a.Headers) > 0,
		"authentication": a.Authentication != nil,
		"state":          a.State != nil && !a.State.isEmpty(),
	}
	var errs []error
	for _, k := range sortedKeys(set) {
		if !set[k] {
			continue
		}
		ok := false
		for _, al := range allowed {
			ok = ok || al == k
		}
		if !ok {
			errs = append(errs, fmt.Errorf("member %q is not allowed for strategy %q", k, a.Strategy))
		}
	}
	if a.Strategy == StrategyBasic && a.Username == nil {
		errs = append(errs, errors.New(`strategy "basic" requires "username"`))
	}
	if a.Authentication != nil {
		if err := a.Authentication.validate(); err != nil {
			errs = append(errs, fmt.Errorf("authentication: %w", err))
		}
	}
	return errors.Join(errs...)
}

// String returns the redacted JSON form.
func (a Auth) String() string { return stringOf(a.MarshalJSON) }

// Format implements fmt.Formatter: every verb prints the redacted JSON.
func (a Auth) Format(f fmt.State, verb rune) { formatJSON(f, verb, "mcp.Auth", a.MarshalJSON) }

// LogValue implements slog.LogValuer (redacted JSON).
func (a Auth) LogValue() slog.Value { return logJSON(a.MarshalJSON) }

// ---- OAuthAuthentication ---------------------------------------------------

// MarshalJSON encodes the object in the compact form, client_secret redacted.
func (o OAuthAuthentication) MarshalJSON() ([]byte, error) { return o.encode(false) }

func (o OAuthAuthentication) encode(plain bool) ([]byte, error) {
	var w objWriter
	w.raw("type", quote(o.Type))
	w.str("client_auth_method", o.ClientAuthMethod)
	switch sc := o.Scopes.(type) {
	case nil:
	case string, []string:
		w.any("scopes", sc)
	case []any:
		for _, e := range sc {
			if _, ok := e.(string); !ok {
				w.fail(errors.New(`member "scopes": must be a string or a list of strings`))
			}
		}
		w.any("scopes", sc)
	default:
		w.fail(errors.New(`member "scopes": must be a string or a list of strings`))
	}
	w.str("client_name", o.ClientName)
	w.str("client_metadata_url", o.ClientMetadataURL)
	w.str("client_id", o.ClientID)
	w.secretStr("client_secret", o.ClientSecret, plain)
	if len(o.AdditionalClientMetadata) > 0 {
		w.any("additional_client_metadata", o.AdditionalClientMetadata)
	}
	return w.bytes()
}

// UnmarshalJSON decodes the object; unknown members are rejected and "type"
// is required.
func (o *OAuthAuthentication) UnmarshalJSON(data []byte) error {
	if isNullJSON(data) {
		return nil // JSON null leaves the value unchanged (encoding/json convention)
	}
	if err := o.decode(data); err != nil {
		return fmt.Errorf("mcp: oauth authentication: %w", err)
	}
	return nil
}

func (o *OAuthAuthentication) decode(data []byte) error {
	m, err := parseObject(data)
	if err != nil {
		return err
	}
	if err := m.allow("type", "client_auth_method", "scopes", "client_name",
		"client_metadata_url", "client_id", "client_secret", "additional_client_metadata"); err != nil {
		return err
	}
	var out OAuthAuthentication
	typ, err := m.optString("type")
	if err != nil {
		return err
	}
	if typ == nil {
		return errors.New(`member "type" is required`)
	}
	out.Type = *typ
	if out.ClientAuthMethod, err = m.optString("client_auth_method"); err != nil {
		return err
	}
	if raw, ok := m["scopes"]; ok && string(raw) != "null" {
		switch jsonKind(raw) {
		case "a string":
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return memberErr("scopes", "a string, a list of strings or null", raw)
			}
			out.Scopes = s
		case "an array":
			var l []string
			if err := json.Unmarshal(raw, &l); err != nil {
				return errors.New(`member "scopes": expected a list of strings`)
			}
			if l == nil {
				l = []string{}
			}
			out.Scopes = l
		default:
			return memberErr("scopes", "a string, a list of strings or null", raw)
		}
	}
	if out.ClientName, err = m.optString("client_name"); err != nil {
		return err
	}
	if out.ClientMetadataURL, err = m.optString("client_metadata_url"); err != nil {
		return err
	}
	if out.ClientID, err = m.optString("client_id"); err != nil {
		return err
	}
	if out.ClientSecret, err = m.secretStr("client_secret"); err != nil {
		return err
	}
	if out.AdditionalClientMetadata, err = m.anyMap("additional_client_metadata"); err != nil {
		return err
	}
	if err := out.validate(); err != nil {
		return err
	}
	*o = out
	return nil
}

func (o OAuthAuthentication) validate() error {
	if o.Type != "oauth" {
		return errors.New(`member "type" must be "oauth"`)
	}
	if o.ClientAuthMethod != nil {
		switch *o.ClientAuthMethod {
		case "none", "client_secret_post", "client_secret_basic", "private_key_jwt":
		default:
			return errors.New(`member "client_auth_method" must be "none", "client_secret_post", "client_secret_basic", "private_key_jwt" or null`)
		}
	}
	return nil
}

// String returns the redacted JSON form.
func (o OAuthAuthentication) String() string { return stringOf(o.MarshalJSON) }

// Format implements fmt.Formatter: every verb prints the redacted JSON.
func (o OAuthAuthentication) Format(f fmt.State, verb rune) {
	formatJSON(f, verb, "mcp.OAuthAuthentication", o.MarshalJSON)
}

// LogValue implements slog.LogValuer (redacted JSON).
func (o OAuthAuthentication) LogValue() slog.Value { return logJSON(o.MarshalJSON) }

// ---- OAuthState, OAuthTokens, OAuthClientInfo ------------------------------

// MarshalJSON encodes the state in the compact form, tokens redacted.
func (st OAuthState) MarshalJSON() ([]byte, error) { return st.encode(false) }

func (st OAuthState) encode(plain bool) ([]byte, error) {
	var w objWriter
	if st.Tokens != nil {
		enc, err := st.Tokens.encode(plain)
		if err != nil {
			w.fail(fmt.Errorf("member \"tokens\": %w", err))
		}
		w.raw("tokens", enc)
	}
	if st.ClientInfo != nil {
		enc, err := st.ClientInfo.encode(plain)
		if err != nil {
			w.fail(fmt.Errorf("member \"client_info\": %w", err))
		}
		w.raw("client_info", enc)
	}
	w.float("token_expires_at", st.TokenExpiresAt)
	return w.bytes()
}

// isEmpty reports whether the state carries no value (it is then omitted).
func (st OAuthState) isEmpty() bool {
	return (st.Tokens == nil || st.Tokens.isEmpty()) &&
		(st.ClientInfo == nil || st.ClientInfo.isEmpty()) && st.TokenExpiresAt == nil
}

// UnmarshalJSON decodes the state. Members other than tokens, client_info
// and token_expires_at are ignored.
func (st *OAuthState) UnmarshalJSON(data []byte) error {
	if isNullJSON(data) {
		return nil // JSON null leaves the value unchanged (encoding/json convention)
	}
	if err := st.decode(data); err != nil {
		return fmt.Errorf("mcp: oauth state: %w", err)
	}
	return nil
}

func (st *OAuthState) decode(data []byte) error {
	m, err := parseObject(data)
	if err != nil {
		return err
	}
	var out OAuthState
	if raw, ok := m["tokens"]; ok && string(raw) != "null" {
		var t OAuthTokens
		if err := t.decode(raw); err != nil {
			return fmt.Errorf("member \"tokens\": %w", err)
		}
		if !t.isEmpty() {
			out.Tokens = &t
		}
	}
	if raw, ok := m["client_info"]; ok && string(raw) != "null" {
		var ci OAuthClientInfo
		if err := ci.decode(raw); err != nil {
			return fmt.Errorf("member \"client_info\": %w", err)
		}
		if !ci.isEmpty() {
			out.ClientInfo = &ci
		}
	}
	if out.TokenExpiresAt, err = m.optFloat("token_expires_at"); err != nil {
		return err
	}
	*st = out
	return nil
}

// String returns the redacted JSON form.
func (st OAuthState) String() string { return stringOf(st.MarshalJSON) }

// Format implements fmt.Formatter: every verb prints the redacted JSON.
func (st OAuthState) Format(f fmt.State, verb rune) {
	formatJSON(f, verb, "mcp.OAuthState", st.MarshalJSON)
}

// LogValue implements slog.LogValuer (redacted JSON).
func (st OAuthState) LogValue() slog.Value { return logJSON(st.MarshalJSON) }

// MarshalJSON encodes the tokens compactly, access/refresh tokens redacted.
func (t OAuthTokens) MarshalJSON() ([]byte, error) { return t.encode(false) }

func (t OAuthTokens) encode(plain bool) ([]byte, error) {
	var w objWriter
	w.secretStr("access_token", t.AccessToken, plain)
	w.secretStr("refresh_token", t.RefreshToken, plain)
	writeExtra(&w, t.Extra, "access_token", "refresh_token")
	return w.bytes()
}

func (t OAuthTokens) isEmpty() bool {
	return !t.AccessToken.IsSet() && !t.RefreshToken.IsSet() && len(compactExtra(t.Extra)) == 0
}

// UnmarshalJSON decodes the tokens; other members are kept in Extra (null
// and {} members are dropped, like the compact output form).
func (t *OAuthTokens) UnmarshalJSON(data []byte) error {
	if isNullJSON(data) {
		return nil // JSON null leaves the value unchanged (encoding/json convention)
	}
	if err := t.decode(data); err != nil {
		return fmt.Errorf("mcp: oauth tokens: %w", err)
	}
	return nil
}

func (t *OAuthTokens) decode(data []byte) error {
	m, err := parseObject(data)
	if err != nil {
		return err
	}
	var out OAuthTokens
	if out.AccessToken, err = m.secretStr("access_token"); err != nil {
		return err
	}
	if out.RefreshToken, err = m.secretStr("refresh_token"); err != nil {
		return err
	}
	if out.Extra, err = readExtra(m, "access_token", "refresh_token"); err != nil {
		return err
	}
	*t = out
	return nil
}

// String returns the redacted JSON form.
func (t OAuthTokens) String() string { return stringOf(t.MarshalJSON) }

// Format implements fmt.Formatter: every verb prints the redacted JSON.
func (t OAuthTokens) Format(f fmt.State, verb rune) {
	formatJSON(f, verb, "mcp.OAuthTokens", t.MarshalJSON)
}

// LogValue implements slog.LogValuer (redacted JSON).
func (t OAuthTokens) LogValue() slog.Value { return logJSON(t.MarshalJSON) }

// MarshalJSON encodes the client info compactly, client_secret redacted.
func (ci OAuthClientInfo) MarshalJSON() ([]byte, error) { return ci.encode(false) }

func (ci OAuthClientInfo) encode(plain bool) ([]byte, error) {
	var w objWriter
	w.secretStr("client_secret", ci.ClientSecret, plain)
	writeExtra(&w, ci.Extra, "client_secret")
	return w.bytes()
}

func (ci OAuthClientInfo) isEmpty() bool {
	return !ci.ClientSecret.IsSet() && len(compactExtra(ci.Extra)) == 0
}

// UnmarshalJSON decodes the client info; other members are kept in Extra
// (null and {} members are dropped).
func (ci *OAuthClientInfo) UnmarshalJSON(data []byte) error {
	if isNullJSON(data) {
		return nil // JSON null leaves the value unchanged (encoding/json convention)
	}
	if err := ci.decode(data); err != nil {
		return fmt.Errorf("mcp: oauth client info: %w", err)
	}
	return nil
}

func (ci *OAuthClientInfo) decode(data []byte) error {
	m, err := parseObject(data)
	if err != nil {
		return err
	}
	var out OAuthClientInfo
	if out.ClientSecret, err = m.secretStr("client_secret"); err != nil {
		return err
	}
	if out.Extra, err = readExtra(m, "client_secret"); err != nil {
		return err
	}
	*ci = out
	return nil
}

// String returns the redacted JSON form.
func (ci OAuthClientInfo) String() string { return stringOf(ci.MarshalJSON) }

// Format implements fmt.Formatter: every verb prints the redacted JSON.
func (ci OAuthClientInfo) Format(f fmt.State, verb rune) {
	formatJSON(f, verb, "mcp.OAuthClientInfo", ci.MarshalJSON)
}

// LogValue implements slog.LogValuer (redacted JSON).
func (ci OAuthClientInfo) LogValue() slog.Value { return logJSON(ci.MarshalJSON) }

// readExtra collects the members not in known, dropping null and {} values.
func readExtra(m members, known ...string) (map[string]any, error) {
	var out map[string]any
outer:
	for _, k := range sortedKeys(m) {
		for _, kn := range known {
			if k == kn {
				continue outer
			}
		}
		raw := m[k]
		if isEmptyRaw(raw) {
			continue
		}
		v, err := decodeAny(raw)
		if err != nil {
			return nil, fmt.Errorf("member %q: invalid value", k)
		}
		if out == nil {
			out = map[string]any{}
		}
		out[k] = v
	}
	return out, nil
}

func isEmptyRaw(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	if s == "null" {
		return true
	}
	if len(s) >= 2 && s[0] == '{' && s[len(s)-1] == '}' && strings.TrimSpace(s[1:len(s)-1]) == "" {
		return true
	}
	return false
}

// compactExtra returns extra without nil values and empty maps.
func compactExtra(extra map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range extra {
		if v == nil {
			continue
		}
		if mm, ok := v.(map[string]any); ok && len(mm) == 0 {
			continue
		}
		out[k] = v
	}
	return out
}

// writeExtra emits extra members (sorted), skipping the known names.
func writeExtra(w *objWriter, extra map[string]any, known ...string) {
outer:
	for _, k := range sortedKeys(extra) {
		for _, kn := range known {
			if k == kn {
				continue outer
			}
		}
		w.any(k, extra[k])
	}
}

func stringOf(enc func() ([]byte, error)) string {
	b, err := enc()
	if err != nil {
		return "<unencodable: " + err.Error() + ">"
	}
	return string(b)
}
