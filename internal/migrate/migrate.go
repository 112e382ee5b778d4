// Package migrate implements the persisted-data migration chains and the
// JSON merge rules of the settings API (spec persistence.md §8 and
// server-api.md §4.2.1–4.2.3). Everything works in place on jsonx documents.
package migrate

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/openhands-go/sdk/internal/jsonx"
)

// Current schema versions.
const (
	PersistedSettingsVersion    = 2
	AgentSettingsVersion        = 5
	ConversationSettingsVersion = 1
	LLMProfileVersion           = 1
)

// Document names used in VersionError.Document.
const (
	DocPersistedSettings    = "persisted settings"
	DocAgentSettings        = "agent settings"
	DocConversationSettings = "conversation settings"
	DocLLMProfile           = "LLM profile"
)

// VersionError reports a document that cannot be migrated: a missing
// document or a schema_version of the wrong type, negative, or newer than
// supported. The message never contains document content other than the
// JSON type of the offending value or an integer version number.
type VersionError struct {
	// Document is one of the Doc* constants.
	Document string
	// Reason says what is wrong, e.g. "schema_version 7 is newer than supported 5".
	Reason string
}

// Error implements error.
func (e *VersionError) Error() string {
	return "migrate: " + e.Document + ": " + e.Reason
}

// PersistedSettings migrates the top level of a settings.json document
// (§8.1) to version 2 in place. It does not touch the nested agent and
// conversation documents. Errors mean "unloadable".
func PersistedSettings(doc *jsonx.Object) error {
	if doc == nil {
		return &VersionError{Document: DocPersistedSettings, Reason: "document is missing"}
	}
	v, err := readVersion(doc, DocPersistedSettings, PersistedSettingsVersion, true)
	if err != nil {
		return err
	}
	if v < PersistedSettingsVersion {
		// 0/1 → 2: additive only.
		if !doc.Has("misc_settings") {
			doc.Set("misc_settings", jsonx.NewObject())
		}
		if !doc.Has("active_agent_profile_id") {
			doc.Set("active_agent_profile_id", nil)
		}
		doc.Set("schema_version", json.Number(strconv.Itoa(PersistedSettingsVersion)))
	}
	return nil
}

// AgentSettings runs the agent-settings chain (§8.2, v0→v5, then the
// always-applied llm→openhands rewrite) in place. Errors mean "unloadable".
func AgentSettings(doc *jsonx.Object) error {
	if doc == nil {
		return &VersionError{Document: DocAgentSettings, Reason: "document is missing"}
	}
	v, err := readVersion(doc, DocAgentSettings, AgentSettingsVersion, false)
	if err != nil {
		return err
	}
	if v < 1 { // 0 → 1
		if !doc.Has("agent_kind") {
			doc.Set("agent_kind", "openhands")
		}
	}
	if v < 2 { // 1 → 2
		canonicalizeAgentKind(doc)
	}
	if v < 3 { // 2 → 3
		if ver := doc.Object("verification"); ver != nil {
			ver.Delete("confirmation_mode")
			ver.Delete("security_analyzer")
		}
	}
	if v < 4 { // 3 → 4
		if llm := doc.Object("llm"); llm != nil {
			CanonicalizeOpenHandsLLM(llm)
		}
	}
	if v < 5 { // 4 → 5
		if mcp := doc.Object("mcp_config"); mcp != nil {
			doc.Set("mcp_config", migrateMCPConfig(mcp))
		}
	}
	if v < AgentSettingsVersion {
		doc.Set("schema_version", json.Number(strconv.Itoa(AgentSettingsVersion)))
	}
	canonicalizeAgentKind(doc) // always, even for documents already at v5
	return nil
}

// ConversationSettings runs the conversation-settings chain (§8.3) in place.
func ConversationSettings(doc *jsonx.Object) error {
	if doc == nil {
		return &VersionError{Document: DocConversationSettings, Reason: "document is missing"}
	}
	v, err := readVersion(doc, DocConversationSettings, ConversationSettingsVersion, false)
	if err != nil {
		return err
	}
	if v < ConversationSettingsVersion {
		doc.Set("schema_version", json.Number(strconv.Itoa(ConversationSettingsVersion)))
	}
	return nil
}

// LLMProfile prepares a profile file (§8.5): checks and removes
// schema_version, then applies CanonicalizeOpenHandsLLM.
func LLMProfile(doc *jsonx.Object) error {
	if doc == nil {
		return &VersionError{Document: DocLLMProfile, Reason: "document is missing"}
	}
	if _, err := readVersion(doc, DocLLMProfile, LLMProfileVersion, true); err != nil {
		return err
	}
	doc.Delete("schema_version")
	CanonicalizeOpenHandsLLM(doc)
	return nil
}

// CanonicalizeOpenHandsLLM applies the v3→v4 OpenHands-proxy rule to an LLM
// object in place.
func CanonicalizeOpenHandsLLM(llm *jsonx.Object) {
	if llm == nil {
		return
	}
	model, ok := llm.String("model")
	if !ok {
		return
	}
	baseURL, ok := llm.String("base_url")
	if !ok || !isOpenHandsProxyURL(baseURL) {
		return
	}
	switch {
	case strings.HasPrefix(model, "openhands/"):
		llm.Delete("base_url")
	case strings.HasPrefix(model, "litellm_proxy/"):
		rest := strings.TrimPrefix(model, "litellm_proxy/")
		if isOpenHandsVerifiedModel(rest) {
			llm.Set("model", "openhands/"+rest)
			llm.Delete("base_url")
		}
	}
}

// MergePatch applies an RFC 7386 merge patch (§4.2.1 merge branch): objects
// merge recursively, null deletes at any depth, anything else replaces.
// base is modified and returned (a nil base starts from an empty object).
//
// As upstream's _merge_patch does, recursion only happens where both the
// diff value and the current value are objects; an object replacing a
// non-object (or an absent member) is copied wholesale, nulls inside it
// included. Values taken from diff are deep-copied, so base never aliases
// diff.
func MergePatch(base, diff *jsonx.Object) *jsonx.Object {
	if base == nil {
		base = jsonx.NewObject()
	}
	if diff == nil {
		return base
	}
	for _, k := range append([]string(nil), diff.Keys()...) {
		v, _ := diff.Get(k)
		if v == nil {
			base.Delete(k)
			continue
		}
		if dv, ok := v.(*jsonx.Object); ok {
			if bv := base.Object(k); bv != nil && bv != dv {
				MergePatch(bv, dv)
				continue
			}
		}
		base.Set(k, jsonx.Clone(v))
	}
	return base
}

// DeepMerge applies the conversation/misc rule (§4.2.2, §4.2.3): at the top
// level null is stored as a value; inside nested objects null deletes; a key
// absent from base whose diff value is an object is copied wholesale; other
// values replace. base is modified and returned.
// A nil base starts from an empty object; values taken from diff are
// deep-copied.
func DeepMerge(base, diff *jsonx.Object) *jsonx.Object {
	return deepMerge(base, diff, true)
}

func deepMerge(base, diff *jsonx.Object, top bool) *jsonx.Object {
	if base == nil {
		base = jsonx.NewObject()
	}
	if diff == nil {
		return base
	}
	for _, k := range append([]string(nil), diff.Keys()...) {
		v, _ := diff.Get(k)
		if v == nil && !top {
			base.Delete(k)
			continue
		}
		if dv, ok := v.(*jsonx.Object); ok {
			if bv := base.Object(k); bv != nil && bv != dv {
				deepMerge(bv, dv, false)
				continue
			}
		}
		base.Set(k, jsonx.Clone(v))
	}
	return base
}

// ---------------------------------------------------------------------------
// Version reading

// readVersion returns the stored schema_version of doc.
//
// lenient (persisted settings, LLM profiles): a missing member or any falsy
// JSON value is 0; anything else must be an integer ≤ current.
// strict (agent and conversation settings): missing or null is 0; booleans,
// non-integers, negative values and values > current are errors.
func readVersion(doc *jsonx.Object, name string, current int, lenient bool) (int, error) {
	raw, ok := doc.Get("schema_version")
	if !ok || raw == nil {
		return 0, nil
	}
	if lenient && !jsonx.Truthy(raw) {
		return 0, nil
	}
	bad := func(reason string) (int, error) {
		return 0, &VersionError{Document: name, Reason: reason}
	}
	var v int64
	switch t := raw.(type) {
	case json.Number:
		n, ok := integerLiteral(string(t))
		if !ok {
			return bad("schema_version must be an integer, got a non-integer number")
		}
		v = n
	case int:
		v = int64(t)
	case int64:
		v = t
	case float64:
		return bad("schema_version must be an integer, got a non-integer number")
	default:
		return bad("schema_version must be an integer, got " + jsonType(raw))
	}
	if v < 0 && !lenient {
		return bad(fmt.Sprintf("schema_version %d is negative", v))
	}
	if v > int64(current) {
		return bad(fmt.Sprintf("schema_version %s is newer than supported %d", shortInt(v), current))
	}
	return int(v), nil
}

// integerLiteral parses a JSON number literal that denotes an integer
// (no fraction, no exponent). Out-of-range values are clamped.
func integerLiteral(s string) (int64, bool) {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// Range error: ParseInt already clamped to MinInt64/MaxInt64.
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, false
		}
	}
	return n, true
}

func shortInt(v int64) string {
	if v == math.MaxInt64 {
		return "(too large)"
	}
	return strconv.FormatInt(v, 10)
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case json.Number, int, int64, float64:
		return "a number"
	case []any:
		return "an array"
	case *jsonx.Object:
		return "an object"
	default:
		return fmt.Sprintf("%T", v)
	}
}

func canonicalizeAgentKind(doc *jsonx.Object) {
	if k, ok := doc.String("agent_kind"); ok && k == "llm" {
		doc.Set("agent_kind", "openhands")
	}
}

// ---------------------------------------------------------------------------
// 3 → 4: OpenHands LLM proxy

const (
	openHandsProxyURL   = "https://llm-proxy.app.all-hands.dev"
	openHandsProxyURLV1 = "https://llm-proxy.app.all-hands.dev/v1"
)

// isOpenHandsProxyURL: trim whitespace, drop fragment and query, drop the
// path's trailing slashes, then compare.
func isOpenHandsProxyURL(u string) bool {
	u = strings.TrimSpace(u)
	if i := strings.IndexByte(u, '#'); i >= 0 {
		u = u[:i]
	}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	u = strings.TrimRight(u, "/")
	return u == openHandsProxyURL || u == openHandsProxyURLV1
}

// isOpenHandsVerifiedModel reports whether name is in upstream's
// OpenHands-verified model list (persistence.md §8.2).
func isOpenHandsVerifiedModel(name string) bool {
	switch name {
	case "claude-opus-4-5-20251101", "claude-opus-4-6", "claude-opus-4-7",
		"claude-opus-4-8", "claude-opus-5", "claude-fable-5", "claude-sonnet-5",
		"claude-sonnet-4-5", "claude-sonnet-4-6", "gpt-5.6", "gpt-5.5", "gpt-5.4",
		"gpt-5.2", "gpt-5.2-codex", "minimax-m2.1", "minimax-m2.5", "minimax-m2.7",
		"minimax-m3", "gemini-3.1-pro", "gemini-3.1-pro-preview", "gemini-3-flash",
		"gemini-3-pro", "deepseek-chat", "deepseek-v3.2-reasoner", "deepseek-v4-pro",
		"kimi-k3", "kimi-k2-thinking", "kimi-k2.6", "kimi-k2.5",
		"devstral-medium-2512", "devstral-2512", "gpt-5.1-codex-max", "gpt-5.1-codex",
		"gpt-5.1", "glm-4.7", "glm-5", "glm-5.1", "glm-5.2", "nemotron-3-nano",
		"nemotron-3-super-120b-a12b", "qwen3-6-plus", "qwen3.6-plus",
		"qwen3-coder-480b", "qwen3-coder-next", "trinity-large-thinking":
		return true
	}
	return false
}

// ---------------------------------------------------------------------------
// 4 → 5: MCP server map

const (
	linearSSEURL = "https://mcp.linear.app/sse"
	linearMCPURL = "https://mcp.linear.app/mcp"
)

// isMCPServerMember lists the MCPServer members kept when converting from the
// FastMCP shape.
func isMCPServerMember(k string) bool {
	switch k {
	case "url", "transport", "command", "args", "env", "cwd", "description",
		"icon", "timeout", "sse_read_timeout", "keep_alive", "headers", "auth",
		"enabled":
		return true
	}
	return false
}

// migrateMCPConfig converts mcp_config to the flat server map and returns the
// value to store. For the flat shape the object is converted in place and
// returned; for the FastMCP shape a new map is built.
func migrateMCPConfig(mcp *jsonx.Object) *jsonx.Object {
	src := mcp.Object("mcpServers")
	if src == nil {
		for _, name := range append([]string(nil), mcp.Keys()...) {
			if srv, ok := mcp.Value(name).(*jsonx.Object); ok {
				convertServer(srv, false)
			}
		}
		return mcp
	}

	// FastMCP shape.
	hasLinearMCP := false
	for _, name := range src.Keys() {
		if srv, ok := src.Value(name).(*jsonx.Object); ok {
			if u, ok := srv.String("url"); ok && strings.TrimRight(u, "/") == linearMCPURL {
				hasLinearMCP = true
				break
			}
		}
	}
	out := jsonx.NewObject()
	var linear *jsonx.Object
	linearName := ""
	for _, name := range src.Keys() {
		v := jsonx.Clone(src.Value(name))
		srv, ok := v.(*jsonx.Object)
		if !ok {
			out.Set(name, v)
			continue
		}
		convertServer(srv, true)
		if isLinearSSE(srv) {
			if !hasLinearMCP && linear == nil {
				linear, linearName = srv, name
			}
			continue // dropped here; the first one is re-added below
		}
		out.Set(name, srv)
	}
	if linear != nil {
		linear.Set("url", linearMCPURL)
		linear.Delete("transport")
		base := linearName
		if isSSEName(linearName) {
			base = "shttp"
		}
		name := base
		for i := 1; out.Has(name); i++ {
			name = base + "_" + strconv.Itoa(i)
		}
		out.Set(name, linear)
	}
	return out
}

func isLinearSSE(srv *jsonx.Object) bool {
	if t, ok := srv.String("transport"); !ok || t != "sse" {
		return false
	}
	u, ok := srv.String("url")
	if !ok {
		return false
	}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	return strings.TrimRight(u, "/") == linearSSEURL
}

// isSSEName matches "sse" and "sse_<digits>".
func isSSEName(name string) bool {
	if name == "sse" {
		return true
	}
	rest, ok := strings.CutPrefix(name, "sse_")
	if !ok || rest == "" {
		return false
	}
	for _, r := range rest {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// convertServer applies the per-server rules of §8.2 4→5 step 2 in place.
func convertServer(srv *jsonx.Object, fastMCP bool) {
	legacyAuthn := srv.Object("authentication") // only an object can be attached
	legacyCreds, _ := srv.Get("oauth_credentials")
	legacyAPIKey, _ := srv.Get("api_key")
	srv.Delete("authentication")
	srv.Delete("oauth_credentials")
	srv.Delete("api_key")

	authVal, _ := srv.Get("auth")
	switch a := authVal.(type) {
	case *jsonx.Object:
		if s, ok := a.String("strategy"); ok && s == "oauth2" {
			if a.Value("authentication") == nil && legacyAuthn != nil {
				a.Set("authentication", legacyAuthn)
			}
			defaultOAuthType(a.Object("authentication"))
			creds, _ := a.Get("credentials")
			a.Delete("credentials")
			if !jsonx.Truthy(creds) {
				creds = legacyCreds
			}
			mergeState(a, creds)
		}
	case string:
		if a == "oauth" {
			na := jsonx.Obj("strategy", "oauth2")
			if legacyAuthn != nil {
				na.Set("authentication", legacyAuthn)
				defaultOAuthType(legacyAuthn)
			}
			mergeState(na, legacyCreds)
			srv.Set("auth", na)
		} else if a != "" {
			srv.Set("auth", jsonx.Obj("strategy", "bearer", "value", a))
		} else {
			convertFallback(srv, legacyAPIKey)
		}
	default:
		convertFallback(srv, legacyAPIKey)
	}

	if typ, ok := srv.Get("type"); ok {
		srv.Delete("type")
		if typ != nil && srv.Value("transport") == nil {
			if s, ok := typ.(string); ok && s == "shttp" {
				typ = "http"
			}
			srv.Set("transport", typ)
		}
	}
	if fastMCP {
		for _, k := range append([]string(nil), srv.Keys()...) {
			if !isMCPServerMember(k) {
				srv.Delete(k)
			}
		}
	}
}

// convertFallback handles the legacy api_key member and the Authorization
// header when auth is not set by the earlier branches.
func convertFallback(srv *jsonx.Object, legacyAPIKey any) {
	if k, ok := legacyAPIKey.(string); ok && k != "" {
		srv.Set("auth", jsonx.Obj("strategy", "api_key", "value", k))
		return
	}
	headers := srv.Object("headers")
	if headers == nil {
		return
	}
	for _, name := range headers.Keys() {
		if !asciiEqualFold(name, "authorization") {
			continue
		}
		val, ok := headers.String(name)
		if !ok || val == "" {
			continue
		}
		headers.Delete(name)
		parts := strings.FieldsFunc(val, isPySpace)
		if len(parts) == 2 && asciiEqualFold(parts[0], "bearer") {
			srv.Set("auth", jsonx.Obj("strategy", "bearer", "value", parts[1]))
		} else {
			srv.Set("auth", jsonx.Obj("strategy", "header", "headers", jsonx.Obj(name, val)))
		}
		if headers.Len() == 0 {
			srv.Delete("headers")
		}
		return
	}
}

// isPySpace approximates Python's str.split() separators.
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

func asciiEqualFold(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

func defaultOAuthType(authn *jsonx.Object) {
	if authn != nil && !authn.Has("type") {
		authn.Set("type", "oauth")
	}
}

// mergeState builds auth.state from legacy credentials (step 4); members of
// an existing state win and an empty state is omitted.
func mergeState(auth *jsonx.Object, creds any) {
	built := stateFromCredentials(creds)
	state := auth.Object("state")
	if state == nil {
		if auth.Value("state") != nil {
			return // not an object: leave it for validation to reject
		}
		state = jsonx.NewObject()
	}
	for _, k := range built.Keys() {
		if state.Value(k) == nil {
			state.Set(k, built.Value(k))
		}
	}
	if state.Len() == 0 {
		auth.Delete("state")
		return
	}
	auth.Set("state", state)
}

func stateFromCredentials(creds any) *jsonx.Object {
	state := jsonx.NewObject()
	c, ok := creds.(*jsonx.Object)
	if !ok {
		return state
	}
	if tok := bucketPayload(c.Object("mcp-oauth-token"), "/tokens"); tok != nil && jsonx.Truthy(tok.Value("access_token")) {
		state.Set("tokens", tok.Clone())
	}
	if ci := bucketPayload(c.Object("mcp-oauth-client-info"), "/client_info"); ci != nil && ci.Len() > 0 {
		state.Set("client_info", ci.Clone())
	}
	if exp := bucketPayload(c.Object("mcp-oauth-token-expiry"), "/token_expiry"); exp != nil {
		if at := exp.Value("expires_at"); at != nil {
			state.Set("token_expires_at", jsonx.Clone(at))
		}
	}
	return state
}

// bucketPayload picks the entry whose key ends in suffix, else the first
// entry, and returns its payload (the entry's "value" object, else the entry
// itself) when that is an object.
func bucketPayload(bucket *jsonx.Object, suffix string) *jsonx.Object {
	if bucket == nil || bucket.Len() == 0 {
		return nil
	}
	key := bucket.Keys()[0]
	for _, k := range bucket.Keys() {
		if strings.HasSuffix(k, suffix) {
			key = k
			break
		}
	}
	entry, ok := bucket.Value(key).(*jsonx.Object)
	if !ok {
		return nil
	}
	if v := entry.Object("value"); v != nil {
		return v
	}
	return entry
}
