package workspace

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
)

// migrateAgentSettings runs the persisted-data migration chain of
// persistence.md §8.2 on a raw agent_settings document (client side, as
// upstream SettingsResponse.get_agent_settings does), in place. Afterwards
// doc["agent_kind"] is a JSON string "openhands" or "acp" and the llm and
// mcp_config members have the current shape.
func migrateAgentSettings(doc map[string]json.RawMessage) error {
	v, err := schemaVersion(doc["schema_version"])
	if err != nil {
		return err
	}
	if v > AgentSettingsSchemaVersion {
		return fmt.Errorf("schema_version %d is newer than supported (%d)", v, AgentSettingsSchemaVersion)
	}
	kind := ""
	if raw, ok := doc["agent_kind"]; ok {
		if json.Unmarshal(raw, &kind) != nil {
			return errors.New("agent_kind must be a string")
		}
	} else {
		// 0 → 1 adds the discriminator; at any version a missing one selects
		// the default variant.
		kind = AgentKindOpenHands
	}
	if v < 4 {
		if raw, ok := doc["llm"]; ok && isObject(raw) {
			out, err := canonicalizeLLM(raw)
			if err != nil {
				return fmt.Errorf("llm: %v", err)
			}
			doc["llm"] = out
		}
	}
	if v < 5 {
		if raw, ok := doc["mcp_config"]; ok && isObject(raw) {
			out, err := migrateMCPConfig(raw)
			if err != nil {
				return fmt.Errorf("mcp_config: %v", err)
			}
			doc["mcp_config"] = out
		}
	}
	if kind == "llm" {
		kind = AgentKindOpenHands
	}
	switch kind {
	case AgentKindOpenHands, AgentKindACP:
	default:
		return fmt.Errorf("unknown agent_kind %q", kind)
	}
	enc, _ := json.Marshal(kind)
	doc["agent_kind"] = enc
	return nil
}

// decodeAny decodes JSON keeping numbers as json.Number.
func decodeAny(raw []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, errors.New("malformed JSON")
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("malformed JSON: trailing data")
	}
	return v, nil
}

// --- 3 → 4: OpenHands LLM proxy canonicalisation ---------------------------

func canonicalizeLLM(raw json.RawMessage) (json.RawMessage, error) {
	v, err := decodeAny(raw)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return raw, nil
	}
	if !canonicalizeLLMMap(m) {
		return raw, nil
	}
	return marshalNoEscape(m)
}

// canonicalizeLLMMap applies the rule in place and reports a change.
func canonicalizeLLMMap(m map[string]any) bool {
	model, ok := m["model"].(string)
	if !ok {
		return false
	}
	base, _ := m["base_url"].(string)
	if !isProxyURL(base) {
		return false
	}
	if strings.HasPrefix(model, "openhands/") {
		delete(m, "base_url")
		return true
	}
	if rest, ok := strings.CutPrefix(model, "litellm_proxy/"); ok && isOpenHandsVerified(rest) {
		m["model"] = "openhands/" + rest
		delete(m, "base_url")
		return true
	}
	return false
}

func isProxyURL(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	u.RawQuery, u.Fragment, u.RawFragment, u.ForceQuery = "", "", "", false
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	t := u.String()
	return t == "https://llm-proxy.app.all-hands.dev" || t == "https://llm-proxy.app.all-hands.dev/v1"
}

// isOpenHandsVerified reports whether name is in upstream's OpenHands-verified
// model list (persistence.md §8.2).
func isOpenHandsVerified(name string) bool {
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

// --- 4 → 5: MCP server map ---------------------------------------------------

// mcpServerMembers are the members an MCPServer may have.
func isMCPServerMember(k string) bool {
	switch k {
	case "url", "transport", "command", "args", "env", "cwd", "description", "icon",
		"timeout", "sse_read_timeout", "keep_alive", "headers", "auth", "enabled":
		return true
	}
	return false
}

// isSSEName matches "sse" and "sse_<digits>".
func isSSEName(n string) bool {
	if n == "sse" {
		return true
	}
	rest, ok := strings.CutPrefix(n, "sse_")
	if !ok || rest == "" {
		return false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func migrateMCPConfig(raw json.RawMessage) (json.RawMessage, error) {
	v, err := decodeAny(raw)
	if err != nil {
		return nil, err
	}
	cfg, ok := v.(map[string]any)
	if !ok {
		return raw, nil
	}
	servers := cfg
	fast := false
	if inner, ok := cfg["mcpServers"].(map[string]any); ok {
		servers, fast = inner, true
	}
	out := make(map[string]any, len(servers))
	names := make([]string, 0, len(servers))
	for name := range servers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		s, ok := servers[name].(map[string]any)
		if !ok {
			out[name] = servers[name]
			continue
		}
		convertServerAuth(s)
		if fast {
			for k := range s {
				if !isMCPServerMember(k) {
					delete(s, k)
				}
			}
		}
		out[name] = s
	}
	if fast {
		rewriteLinearSSE(out, names)
	}
	return marshalNoEscape(out)
}

func convertServerAuth(s map[string]any) {
	legacyAuthn, hasAuthn := s["authentication"]
	legacyCreds := s["oauth_credentials"]
	legacyKey, _ := s["api_key"].(string)
	delete(s, "authentication")
	delete(s, "oauth_credentials")
	delete(s, "api_key")

	withType := func(a any) any {
		if m, ok := a.(map[string]any); ok {
			if _, ok := m["type"]; !ok {
				m["type"] = "oauth"
			}
		}
		return a
	}

	switch auth := s["auth"].(type) {
	case map[string]any:
		if auth["strategy"] == "oauth2" {
			if _, ok := auth["authentication"]; !ok && hasAuthn && legacyAuthn != nil {
				auth["authentication"] = legacyAuthn
			}
			if a, ok := auth["authentication"]; ok && a != nil {
				auth["authentication"] = withType(a)
			}
			creds := legacyCreds
			if c, ok := auth["credentials"]; ok {
				creds = c
				delete(auth, "credentials")
			}
			mergeOAuthState(auth, creds)
		}
	case string:
		switch {
		case auth == "oauth":
			a := map[string]any{"strategy": "oauth2"}
			if hasAuthn && legacyAuthn != nil {
				a["authentication"] = withType(legacyAuthn)
			}
			mergeOAuthState(a, legacyCreds)
			s["auth"] = a
		case auth != "":
			s["auth"] = map[string]any{"strategy": "bearer", "value": auth}
		default:
			convertLegacyKeyOrHeader(s, legacyKey)
		}
	default:
		convertLegacyKeyOrHeader(s, legacyKey)
	}

	if t, ok := s["type"]; ok {
		delete(s, "type")
		if _, has := s["transport"]; !has && t != nil {
			if t == "shttp" {
				t = "http"
			}
			s["transport"] = t
		}
	}
}

func convertLegacyKeyOrHeader(s map[string]any, legacyKey string) {
	if _, isObj := s["auth"].(map[string]any); isObj {
		return
	}
	if legacyKey != "" {
		s["auth"] = map[string]any{"strategy": "api_key", "value": legacyKey}
		return
	}
	headers, ok := s["headers"].(map[string]any)
	if !ok {
		return
	}
	for name, v := range headers {
		val, ok := v.(string)
		if !ok || val == "" || !strings.EqualFold(name, "authorization") {
			continue
		}
		delete(headers, name)
		if parts := strings.Fields(val); len(parts) == 2 && strings.EqualFold(parts[0], "bearer") {
			s["auth"] = map[string]any{"strategy": "bearer", "value": parts[1]}
		} else {
			s["auth"] = map[string]any{"strategy": "header", "headers": map[string]any{name: val}}
		}
		if len(headers) == 0 {
			delete(s, "headers")
		}
		return
	}
}

// mergeOAuthState builds auth.state from legacy OAuth credentials buckets;
// members already present in auth.state win; an empty state is omitted.
func mergeOAuthState(auth map[string]any, creds any) {
	state, _ := auth["state"].(map[string]any)
	if state == nil {
		state = map[string]any{}
	}
	if c, ok := creds.(map[string]any); ok {
		if tok := bucketPayload(c["mcp-oauth-token"], "/tokens"); tok != nil {
			if _, ok := tok["access_token"]; ok {
				if _, has := state["tokens"]; !has {
					state["tokens"] = tok
				}
			}
		}
		if ci := bucketPayload(c["mcp-oauth-client-info"], "/client_info"); ci != nil {
			if _, has := state["client_info"]; !has {
				state["client_info"] = ci
			}
		}
		if exp := bucketPayload(c["mcp-oauth-token-expiry"], "/token_expiry"); exp != nil {
			if at, ok := exp["expires_at"]; ok && at != nil {
				if _, has := state["token_expires_at"]; !has {
					state["token_expires_at"] = at
				}
			}
		}
	}
	if len(state) == 0 {
		delete(auth, "state")
		return
	}
	auth["state"] = state
}

// bucketPayload picks the entry whose key ends in suffix (else the first
// entry by key order) and returns its payload ("value" when an object).
func bucketPayload(bucket any, suffix string) map[string]any {
	b, ok := bucket.(map[string]any)
	if !ok || len(b) == 0 {
		return nil
	}
	keys := make([]string, 0, len(b))
	for k := range b {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pick := keys[0]
	for _, k := range keys {
		if strings.HasSuffix(k, suffix) {
			pick = k
			break
		}
	}
	entry, ok := b[pick].(map[string]any)
	if !ok {
		return nil
	}
	if v, ok := entry["value"].(map[string]any); ok {
		return v
	}
	return entry
}

func trimURL(s string, dropQuery bool) string {
	if dropQuery {
		if i := strings.IndexAny(s, "?#"); i >= 0 {
			s = s[:i]
		}
	}
	return strings.TrimRight(s, "/")
}

// rewriteLinearSSE applies the deprecated Linear SSE endpoint rule
// (persistence.md §8.2 4→5 step 3) to a converted FastMCP map.
func rewriteLinearSSE(out map[string]any, names []string) {
	hasMCP := false
	for _, n := range names {
		if s, ok := out[n].(map[string]any); ok {
			if u, ok := s["url"].(string); ok && trimURL(u, false) == "https://mcp.linear.app/mcp" {
				hasMCP = true
			}
		}
	}
	for _, n := range names {
		s, ok := out[n].(map[string]any)
		if !ok || s["transport"] != "sse" {
			continue
		}
		u, _ := s["url"].(string)
		if trimURL(u, true) != "https://mcp.linear.app/sse" {
			continue
		}
		delete(out, n)
		if hasMCP {
			return
		}
		s["url"] = "https://mcp.linear.app/mcp"
		delete(s, "transport")
		name := n
		if isSSEName(n) {
			name = "shttp"
		}
		if _, taken := out[name]; taken {
			base := name
			for i := 1; ; i++ {
				name = fmt.Sprintf("%s_%d", base, i)
				if _, taken := out[name]; !taken {
					break
				}
			}
		}
		out[name] = s
		return
	}
}
