package server

// Interoperability proof (issue 4): the server must read a data directory the
// upstream Python agent-server wrote, and write one it can read back.
//
// Every test runs the real server (New with store.NewFile on a temp dir) over
// httptest. Fixtures that imitate Python-written directories live in
// testdata/interop/ (regenerate with testdata/interop/generate.py); the
// upstream golden baselines are read from testdata/upstream/.
//
// What the server writes is checked by a small, independent re-implementation
// of upstream's reading rules (iopReader below): Fernet via fernet-go with
// the SHA-256 key derivation, the secret locations of data-model.md §10, the
// file shapes of persistence.md §5. It deliberately uses neither
// internal/cipher nor internal/model.

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/fernet/fernet-go"
	"github.com/openhands-go/sdk/internal/jsonx"
	"github.com/openhands-go/sdk/internal/store"
	"github.com/stretchr/testify/require"
)

const (
	iopFixtures  = "../../testdata/interop"
	iopBaselines = "../../testdata/upstream/persisted_settings_baselines"
	iopVectors   = "../../testdata/fernet-vectors.json"
	iopMarker    = "**********"
	iopCorrupt   = "Settings file is corrupted or encrypted with a different key"
	iopSecCorupt = "Secrets file is corrupted or encrypted with a different key"
)

// ----------------------------------------------------------------- harness

// iopServer is the real server on a file store in dir.
type iopServer struct {
	t   *testing.T
	dir string
	ts  *httptest.Server
}

func iopStart(t *testing.T, dir string, key *string) *iopServer {
	t.Helper()
	st, err := store.NewFile(dir, nil)
	require.NoError(t, err)
	srv, err := New(Config{SecretKey: key, Store: st})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &iopServer{t: t, dir: dir, ts: ts}
}

type iopResp struct {
	status int
	header http.Header
	body   []byte
}

func (s *iopServer) do(method, path, body string, hdr ...string) iopResp {
	s.t.Helper()
	var rd io.Reader = http.NoBody
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.ts.URL+path, rd)
	require.NoError(s.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := s.ts.Client().Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	return iopResp{status: resp.StatusCode, header: resp.Header, body: data}
}

// ok sends a request, requires status and decodes the JSON body.
func (s *iopServer) ok(status int, method, path, body string, hdr ...string) map[string]any {
	s.t.Helper()
	r := s.do(method, path, body, hdr...)
	require.Equal(s.t, status, r.status, "%s %s: %s", method, path, r.body)
	return iopObj(s.t, r.body)
}

func (s *iopServer) plaintext() map[string]any {
	s.t.Helper()
	return s.ok(200, "GET", "/api/settings", "", "X-Expose-Secrets", "plaintext")
}

func (s *iopServer) profilePlain(name string) map[string]any {
	s.t.Helper()
	return s.ok(200, "GET", "/api/profiles/"+name, "", "X-Expose-Secrets", "plaintext")
}

// secret is GET /api/settings/secrets/{name}: status and body.
func (s *iopServer) secret(name string) (int, string) {
	s.t.Helper()
	r := s.do("GET", "/api/settings/secrets/"+name, "")
	if r.status == 200 {
		require.Equal(s.t, "text/plain; charset=utf-8", r.header.Get("Content-Type"))
	} else {
		require.Equal(s.t, map[string]any{"detail": "Secret not found"}, iopObj(s.t, r.body))
	}
	return r.status, string(r.body)
}

func (s *iopServer) file(name string) []byte {
	s.t.Helper()
	data, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(name)))
	require.NoError(s.t, err)
	return data
}

func (r iopResp) requireDetail(t *testing.T, status int, detail string) {
	t.Helper()
	require.Equal(t, status, r.status, "body: %s", r.body)
	require.Equal(t, map[string]any{"detail": detail}, iopObj(t, r.body))
}

func (r iopResp) requireEnvelope(t *testing.T, detail string) {
	t.Helper()
	require.Equal(t, 500, r.status, "body: %s", r.body)
	require.Equal(t, map[string]any{"detail": "Internal Server Error", "exception": "500: " + detail}, iopObj(t, r.body))
}

var iopErrorID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// requireUnhandled checks the unhandled-exception envelope (with error_id).
func (r iopResp) requireUnhandled(t *testing.T) {
	t.Helper()
	require.Equal(t, 500, r.status, "body: %s", r.body)
	m := iopObj(t, r.body)
	require.Equal(t, "Internal Server Error", m["detail"])
	require.IsType(t, "", m["exception"])
	require.Regexp(t, iopErrorID, m["error_id"])
}

// ----------------------------------------------------------------- JSON helpers

func iopObj(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m), "body: %s", data)
	return m
}

// iopGet walks a decoded document by path; found is false when a member is
// missing.
func iopGet(doc any, path ...string) (any, bool) {
	for _, p := range path {
		m, ok := doc.(map[string]any)
		if !ok {
			return nil, false
		}
		if doc, ok = m[p]; !ok {
			return nil, false
		}
	}
	return doc, true
}

func iopAt(doc any, path ...string) any {
	v, _ := iopGet(doc, path...)
	return v
}

func iopSet(doc any, v any, path ...string) {
	for _, p := range path[:len(path)-1] {
		doc = doc.(map[string]any)[p]
	}
	doc.(map[string]any)[path[len(path)-1]] = v
}

func iopClone(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

// iopKeys returns the member names of a JSON object in file order.
func iopKeys(t *testing.T, data []byte, path ...string) []string {
	t.Helper()
	obj, err := jsonx.ParseObject(data)
	require.NoError(t, err)
	for _, p := range path {
		obj = obj.Object(p)
		require.NotNil(t, obj, "no object at %v", path)
	}
	return obj.Keys()
}

// iopRequirePythonFormat checks json.dumps(indent=2) output: ASCII only,
// 2-space indentation, ", "/": " separators, no trailing newline.
func iopRequirePythonFormat(t *testing.T, data []byte) {
	t.Helper()
	for i, b := range data {
		require.Less(t, b, byte(0x80), "non-ASCII byte at offset %d", i)
	}
	var compact, indented bytes.Buffer
	require.NoError(t, json.Compact(&compact, data))
	require.NoError(t, json.Indent(&indented, compact.Bytes(), "", "  "))
	require.Equal(t, indented.String(), string(data))
}

func iopMode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	require.NoError(t, err)
	return fi.Mode().Perm()
}

// iopCopyTree copies a fixture directory (files 0600, directories 0700, as
// upstream leaves them).
func iopCopyTree(t *testing.T, src, dst string) {
	t.Helper()
	require.NoError(t, filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o600)
	}))
}

func iopWrite(t *testing.T, path string, data []byte) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	require.NoError(t, os.WriteFile(path, data, 0o600))
}

func iopReadFixture(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(iopFixtures, filepath.FromSlash(rel)))
	require.NoError(t, err)
	return data
}

// ----------------------------------------------------------------- vectors

type iopVector struct {
	Name      string `json:"name"`
	Key       string `json:"oh_secret_key"`
	Plaintext string `json:"plaintext"`
	Token     string `json:"token"`
	Valid     bool   `json:"valid"`
}

func iopLoadVectors(t *testing.T) []iopVector {
	t.Helper()
	data, err := os.ReadFile(iopVectors)
	require.NoError(t, err)
	var f struct {
		Cases []iopVector `json:"cases"`
	}
	require.NoError(t, json.Unmarshal(data, &f))
	require.Len(t, f.Cases, 12)
	return f.Cases
}

func iopVectorNamed(t *testing.T, name string) iopVector {
	t.Helper()
	for _, v := range iopLoadVectors(t) {
		if v.Name == name {
			return v
		}
	}
	t.Fatalf("no vector %q", name)
	return iopVector{}
}

// ----------------------------------------------------------------- independent upstream reader

// iopReader re-implements upstream's reading rules for files this server
// writes (persistence.md §5–§6): Fernet under SHA-256(key), no TTL.
type iopReader struct {
	keys []*fernet.Key // nil: no key, strings are literal
}

func iopNewReader(key *string) *iopReader {
	if key == nil {
		return &iopReader{}
	}
	k := fernet.Key(sha256.Sum256([]byte(*key)))
	return &iopReader{keys: []*fernet.Key{&k}}
}

// decrypt is upstream's Cipher.decrypt: ok=false when the token does not
// verify under the key.
func (r *iopReader) decrypt(tok string) (string, bool) {
	msg := fernet.VerifyAndDecrypt([]byte(tok), 0, r.keys)
	if msg == nil {
		return "", false
	}
	return string(msg), true
}

// iopSecretLocations lists the secret locations (data-model.md §10) present
// in an agent-settings object, as member paths relative to it.
func iopSecretLocations(agent map[string]any) [][]string {
	var out [][]string
	add := func(v any, path ...string) {
		if _, ok := v.(string); ok {
			out = append(out, append([]string(nil), path...))
		}
	}
	eachString := func(m any, path ...string) {
		obj, _ := m.(map[string]any)
		for _, k := range iopSortedKeys(obj) {
			add(obj[k], append(append([]string(nil), path...), k)...)
		}
	}
	for _, f := range []string{"api_key", "aws_access_key_id", "aws_secret_access_key", "aws_session_token"} {
		add(iopAt(agent, "llm", f), "llm", f)
	}
	add(iopAt(agent, "verification", "critic_api_key"), "verification", "critic_api_key")
	servers, _ := agent["mcp_config"].(map[string]any)
	for _, name := range iopSortedKeys(servers) {
		srv := servers[name]
		base := []string{"mcp_config", name}
		p := func(rest ...string) []string { return append(append([]string(nil), base...), rest...) }
		eachString(iopAt(srv, "env"), p("env")...)
		eachString(iopAt(srv, "headers"), p("headers")...)
		add(iopAt(srv, "auth", "value"), p("auth", "value")...)
		add(iopAt(srv, "auth", "password"), p("auth", "password")...)
		eachString(iopAt(srv, "auth", "headers"), p("auth", "headers")...)
		add(iopAt(srv, "auth", "authentication", "client_secret"), p("auth", "authentication", "client_secret")...)
		add(iopAt(srv, "auth", "state", "tokens", "access_token"), p("auth", "state", "tokens", "access_token")...)
		add(iopAt(srv, "auth", "state", "tokens", "refresh_token"), p("auth", "state", "tokens", "refresh_token")...)
		add(iopAt(srv, "auth", "state", "client_info", "client_secret"), p("auth", "state", "client_info", "client_secret")...)
	}
	secrets, _ := iopAt(agent, "agent_context", "secrets").(map[string]any)
	for _, name := range iopSortedKeys(secrets) {
		base := []string{"agent_context", "secrets", name}
		switch v := secrets[name].(type) {
		case string:
			out = append(out, base)
		case map[string]any:
			switch v["kind"] {
			case "StaticSecret":
				add(v["value"], append(base, "value")...)
			case "LookupSecret":
				hdrs, _ := v["headers"].(map[string]any)
				for _, h := range iopSortedKeys(hdrs) {
					if iopSecretLookingHeader(h) {
						add(hdrs[h], append(append([]string(nil), base...), "headers", h)...)
					}
				}
			}
		}
	}
	return out
}

func iopSecretLookingHeader(name string) bool {
	u := strings.ToUpper(name)
	for _, w := range []string{"AUTHORIZATION", "COOKIE", "CREDENTIAL", "KEY", "PASSWORD", "SECRET", "SESSION", "TOKEN"} {
		if strings.Contains(u, w) {
			return true
		}
	}
	return false
}

func iopSortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// decodeAgent returns a copy of an on-disk agent-settings object with every
// secret location decrypted. With a key every secret location must be a
// Fernet token that decrypts; without one it must not look like a token
// unless it was literally given one. Every other string must not be a token
// (non-secret fields are plaintext).
func (r *iopReader) decodeAgent(t *testing.T, agent map[string]any) map[string]any {
	t.Helper()
	out := iopClone(t, agent).(map[string]any)
	locs := iopSecretLocations(agent)
	secretPath := map[string]bool{}
	for _, loc := range locs {
		secretPath[strings.Join(loc, "\x00")] = true
		raw := iopAt(agent, loc...).(string)
		if r.keys == nil {
			continue
		}
		require.True(t, strings.HasPrefix(raw, "gAAAAA"), "secret at %v is not a Fernet token", loc)
		plain, ok := r.decrypt(raw)
		require.True(t, ok, "secret at %v does not decrypt under the key", loc)
		iopSet(out, plain, loc...)
	}
	var walk func(v any, path []string)
	walk = func(v any, path []string) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(e, append(append([]string(nil), path...), k))
			}
		case []any:
			for _, e := range x {
				walk(e, path)
			}
		case string:
			if !secretPath[strings.Join(path, "\x00")] {
				require.False(t, strings.HasPrefix(x, "gAAAAA"), "non-secret field %v holds a token", path)
			}
		}
	}
	walk(agent, nil)
	return out
}

// iopSettingsOrder is the member order of persistence.md §5.1.
var iopSettingsOrder = []string{"schema_version", "agent_settings", "conversation_settings", "active_profile", "active_agent_profile_id", "misc_settings"}

// iopLLMFields is data-model.md §3.2 in declaration order.
var iopLLMFields = []string{
	"model", "api_key", "provider_connection_id", "auth_type", "subscription_vendor", "base_url", "api_version",
	"aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_region_name", "aws_profile_name",
	"aws_role_name", "aws_session_name", "aws_bedrock_runtime_endpoint", "openrouter_site_url", "openrouter_app_name",
	"num_retries", "retry_multiplier", "retry_min_wait", "retry_max_wait", "timeout", "max_message_chars",
	"temperature", "top_p", "top_k", "max_input_tokens", "max_output_tokens", "model_canonical_name", "api_mode",
	"capability_overrides", "extra_headers", "input_cost_per_token", "output_cost_per_token", "ollama_base_url",
	"stream", "drop_params", "modify_params", "disable_vision", "disable_stop_word", "caching_prompt",
	"log_completions", "log_completions_folder", "custom_tokenizer", "native_tool_calling", "force_string_serializer",
	"inline_image_urls", "reasoning_effort", "reasoning_summary", "enable_encrypted_reasoning",
	"prompt_cache_retention", "extended_thinking_budget", "seed", "usage_id", "litellm_extra_body", "is_subscription",
}

// Nested members (data-model.md §2.3, §2.4, §4); order is not checked.
var (
	iopAgentContextFields = []string{"skills", "system_message_suffix", "user_message_suffix", "load_user_skills",
		"load_public_skills", "marketplace_path", "registered_marketplaces", "load_project_skills", "load_memory",
		"disabled_skills", "secrets", "current_datetime"}
	iopVerificationFields = []string{"critic_enabled", "critic_mode", "enable_iterative_refinement", "critic_threshold",
		"max_refinement_iterations", "critic_server_url", "critic_model_name", "critic_api_key"}
	iopCondenserFields = []string{"enabled", "max_size", "condenser_kind", "max_tokens", "keep_first", "minimum_progress",
		"hard_context_reset_max_retries", "hard_context_reset_context_scaling"}
)

// iopAgentFields are the members of each agent variant (data-model.md §2).
var iopAgentFields = map[string][]string{
	"openhands": {"schema_version", "agent_kind", "agent", "llm", "tools", "enable_sub_agents", "enable_switch_llm_tool",
		"tool_concurrency_limit", "mcp_config", "agent_context", "condenser", "verification"},
	"acp": {"schema_version", "agent_kind", "acp_server", "acp_command", "acp_args", "acp_model", "acp_session_mode",
		"acp_prompt_timeout", "acp_startup_timeout", "mcp_config", "acp_isolate_data_dir", "acp_file_secrets", "llm",
		"agent_context"},
}

// iopIsInt reports whether v is an integral JSON number.
func iopIsInt(v any) bool {
	f, ok := v.(float64)
	return ok && f == float64(int64(f))
}

// readSettings applies upstream's load rules to a settings.json this server
// wrote (current versions, every field present, Python formatting) and
// returns the document with secrets decrypted.
func (r *iopReader) readSettings(t *testing.T, data []byte) map[string]any {
	t.Helper()
	iopRequirePythonFormat(t, data)
	require.Equal(t, iopSettingsOrder, iopKeys(t, data))
	doc := iopObj(t, data)
	require.Equal(t, 2.0, doc["schema_version"])
	agent, ok := doc["agent_settings"].(map[string]any)
	require.True(t, ok)
	require.Equal(t, 5.0, agent["schema_version"])
	kind, _ := agent["agent_kind"].(string)
	require.Contains(t, iopAgentFields, kind)
	require.Equal(t, iopAgentFields[kind], iopKeys(t, data, "agent_settings"), "agent_settings members (every field, nulls included)")
	require.Equal(t, iopLLMFields, iopKeys(t, data, "agent_settings", "llm"), "llm members (every field, nulls included)")
	if ac, ok := agent["agent_context"].(map[string]any); ok {
		require.ElementsMatch(t, iopAgentContextFields, iopSortedKeys(ac), "agent_context members")
	}
	if kind == "openhands" {
		require.ElementsMatch(t, iopVerificationFields, iopSortedKeys(agent["verification"].(map[string]any)), "verification members")
		cond := agent["condenser"].(map[string]any)
		want := iopCondenserFields
		if cond["condenser_kind"] == "no_op" {
			want = []string{"enabled", "condenser_kind"}
		}
		require.ElementsMatch(t, want, iopSortedKeys(cond), "condenser members")
	}
	require.Equal(t, []string{"schema_version", "max_iterations", "confirmation_mode", "security_analyzer"}, iopKeys(t, data, "conversation_settings"))
	require.Equal(t, 1.0, iopAt(doc, "conversation_settings", "schema_version"))
	require.True(t, iopIsInt(iopAt(doc, "conversation_settings", "max_iterations")))
	for _, k := range []string{"active_profile", "active_agent_profile_id"} {
		if v := doc[k]; v != nil {
			require.IsType(t, "", v, k)
		}
	}
	require.IsType(t, map[string]any{}, doc["misc_settings"])
	doc["agent_settings"] = r.decodeAgent(t, agent)
	return doc
}

// readSecrets applies upstream's load rules to a secrets.json this server
// wrote: entries exactly {name, secret, description}, name = map key,
// secret a token decrypting under the key (or null). It returns name →
// plaintext (nil for null) and the _credential_versions map (nil if absent).
func (r *iopReader) readSecrets(t *testing.T, data []byte) (values map[string]any, versions map[string]any) {
	t.Helper()
	iopRequirePythonFormat(t, data)
	top := iopKeys(t, data)
	require.Equal(t, "custom_secrets", top[0])
	require.Subset(t, []string{"custom_secrets", "_credential_versions"}, top)
	doc := iopObj(t, data)
	values = map[string]any{}
	for name, e := range doc["custom_secrets"].(map[string]any) {
		require.Regexp(t, `^[a-zA-Z][a-zA-Z0-9_]{0,63}$`, name)
		require.Equal(t, []string{"name", "secret", "description"}, iopKeys(t, data, "custom_secrets", name))
		entry := e.(map[string]any)
		require.Equal(t, name, entry["name"])
		if d := entry["description"]; d != nil {
			require.IsType(t, "", d)
		}
		switch s := entry["secret"].(type) {
		case nil:
			values[name] = nil
		case string:
			if r.keys == nil {
				values[name] = s
				continue
			}
			require.True(t, strings.HasPrefix(s, "gAAAAA"), "secret %s is not a Fernet token", name)
			plain, ok := r.decrypt(s)
			require.True(t, ok, "secret %s does not decrypt", name)
			values[name] = plain
		default:
			t.Fatalf("secret %s has type %T", name, s)
		}
	}
	if v, ok := doc["_credential_versions"]; ok {
		versions = v.(map[string]any)
		require.NotEmpty(t, versions, "_credential_versions is only written when non-empty")
	}
	return values, versions
}

// readProfile applies upstream's profile load rules (persistence.md §5.3,
// §8.5) to a profile file this server wrote and returns the LLM object with
// schema_version removed and secrets decrypted (markers kept).
func (r *iopReader) readProfile(t *testing.T, data []byte) map[string]any {
	t.Helper()
	iopRequirePythonFormat(t, data)
	keys := iopKeys(t, data)
	require.Equal(t, "schema_version", keys[len(keys)-1], "schema_version is the last member")
	doc := iopObj(t, data)
	require.Equal(t, 1.0, doc["schema_version"])
	delete(doc, "schema_version")
	// The remaining members are LLM fields in declaration order, none null.
	pos := map[string]int{}
	for i, f := range iopLLMFields {
		pos[f] = i
	}
	last := -1
	for _, k := range keys[:len(keys)-1] {
		i, ok := pos[k]
		require.True(t, ok, "unknown profile member %q", k)
		require.Greater(t, i, last, "member %q out of declaration order", k)
		last = i
		require.NotNil(t, doc[k], "null member %q must be omitted", k)
	}
	for _, f := range []string{"api_key", "aws_access_key_id", "aws_secret_access_key", "aws_session_token"} {
		s, ok := doc[f].(string)
		if !ok || s == iopMarker || r.keys == nil {
			continue
		}
		require.True(t, strings.HasPrefix(s, "gAAAAA"), "profile %s is not a Fernet token", f)
		plain, ok := r.decrypt(s)
		require.True(t, ok, "profile %s does not decrypt", f)
		doc[f] = plain
	}
	return doc
}

// iopRequireTidyDir checks no temp files are left and the lock files exist.
func iopRequireTidyDir(t *testing.T, dir string, locks ...string) {
	t.Helper()
	tmp := regexp.MustCompile(`(\.tmp\.|^tmp.*\.tmp$)`)
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		require.False(t, tmp.MatchString(d.Name()), "temp file left behind: %s", p)
		return nil
	}))
	for _, l := range locks {
		fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(l)))
		require.NoError(t, err, "lock file %s", l)
		require.True(t, fi.Mode().IsRegular())
	}
}

// ----------------------------------------------------------------- 1. upstream baselines load

// iopBaseline reads a golden baseline: the payload without __expected__
// (formatted as Python writes it) and the expectations.
func iopBaseline(t *testing.T, rel string) (*jsonx.Object, map[string]any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(iopBaselines, filepath.FromSlash(rel)))
	require.NoError(t, err)
	obj, err := jsonx.ParseObject(data)
	require.NoError(t, err)
	var full map[string]any
	require.NoError(t, json.Unmarshal(data, &full))
	exp, ok := full["__expected__"].(map[string]any)
	require.True(t, ok, "%s has no __expected__", rel)
	obj.Delete("__expected__")
	return obj, exp
}

func TestInteropUpstreamBaselinesLoad(t *testing.T) {
	key := "interop-baseline-key"
	cases := []struct {
		file   string
		member string // "" = a whole settings.json; else embedded under this member
	}{
		{"v1/persisted_settings.json", ""},
		{"v2/persisted_settings.json", ""},
		{"v1/agent_settings_llm.json", "agent_settings"},
		{"v1/agent_settings_acp.json", "agent_settings"},
		{"v2/agent_settings_openhands.json", "agent_settings"},
		{"v3/agent_settings_openhands.json", "agent_settings"},
		{"v4/agent_settings_openhands_provider.json", "agent_settings"},
		{"v5/agent_settings_mcp_oauth.json", "agent_settings"},
		{"v1/conversation_settings.json", "conversation_settings"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			payload, expected := iopBaseline(t, tc.file)
			doc := payload
			prefix := []string(nil)
			if tc.member != "" {
				doc = jsonx.Obj("schema_version", json.Number("2"), tc.member, payload)
				prefix = []string{tc.member}
			}
			onDisk, err := jsonx.MarshalFile(doc)
			require.NoError(t, err)

			dir := filepath.Join(t.TempDir(), "data")
			require.NoError(t, os.MkdirAll(dir, 0o755))
			require.NoError(t, os.Chmod(dir, 0o755))
			iopWrite(t, filepath.Join(dir, "settings.json"), onDisk)
			s := iopStart(t, dir, &key)

			check := func(got map[string]any, what string) {
				t.Helper()
				require.NotEmpty(t, expected)
				for path, want := range expected {
					full := append(append([]string(nil), prefix...), strings.Split(path, ".")...)
					v, ok := iopGet(got, full...)
					require.True(t, ok, "%s: %s missing", what, strings.Join(full, "."))
					require.Equal(t, want, v, "%s: %s", what, strings.Join(full, "."))
				}
				require.Equal(t, 5.0, iopAt(got, "agent_settings", "schema_version"), what)
				require.Equal(t, 1.0, iopAt(got, "conversation_settings", "schema_version"), what)
			}

			before := s.plaintext()
			check(before, "GET")
			redacted := s.ok(200, "GET", "/api/settings", "")
			require.Equal(t, 5.0, iopAt(redacted, "agent_settings", "schema_version"))
			require.Equal(t, onDisk, s.file("settings.json"), "a GET must not rewrite the file")

			s.ok(200, "PATCH", "/api/settings", `{"agent_settings_diff": {}}`)
			written := s.file("settings.json")
			require.NotEqual(t, onDisk, written)
			decoded := iopNewReader(&key).readSettings(t, written)
			check(decoded, "file")
			require.Equal(t, fs.FileMode(0o600), iopMode(t, filepath.Join(dir, "settings.json")))
			require.Equal(t, fs.FileMode(0o700), iopMode(t, dir))
			iopRequireTidyDir(t, dir, ".settings.lock")

			// Nothing was lost or changed by the rewrite, and what upstream
			// reads from the file is what this server serves.
			after := s.plaintext()
			stripStamp := func(m map[string]any) map[string]any {
				c := iopClone(t, m).(map[string]any)
				if ac, ok := iopAt(c, "agent_settings", "agent_context").(map[string]any); ok {
					delete(ac, "current_datetime")
				}
				return c
			}
			require.Equal(t, stripStamp(before), stripStamp(after))
			served := iopClone(t, after).(map[string]any)
			delete(served, "llm_api_key_is_set")
			delete(decoded, "schema_version")
			require.Equal(t, decoded, served)

			// A second server on the same directory reads it back.
			again := iopStart(t, dir, &key).plaintext()
			require.Equal(t, after, again)
		})
	}
}

// ----------------------------------------------------------------- 2. Python-encrypted secrets

func TestInteropPythonEncryptedSecretsDecrypt(t *testing.T) {
	for _, v := range iopLoadVectors(t) {
		if !v.Valid {
			continue
		}
		t.Run(v.Name, func(t *testing.T) {
			dir := t.TempDir()
			iopCopyTree(t, filepath.Join(iopFixtures, "vectors", v.Name), dir)
			// The fixture holds the vector's token verbatim.
			require.Equal(t, v.Token, iopAt(iopObj(t, iopReadFixture(t, "vectors/"+v.Name+"/settings.json")), "agent_settings", "llm", "api_key"))
			key := v.Key
			s := iopStart(t, dir, &key)
			blank := strings.TrimSpace(v.Plaintext) == ""
			original := map[string][]byte{}
			for _, f := range []string{"settings.json", "secrets.json", "profiles/x.json"} {
				original[f] = s.file(f)
			}

			// Single secret fields; map entries (dropped when the value is blank).
			fields := [][]string{
				{"llm", "api_key"}, {"llm", "aws_secret_access_key"},
				{"mcp_config", "remote", "auth", "value"},
				{"mcp_config", "mail", "auth", "state", "tokens", "access_token"},
				{"verification", "critic_api_key"},
				{"agent_context", "secrets", "CTX_STATIC", "value"},
			}
			entries := [][]string{
				{"mcp_config", "github", "env", "GITHUB_TOKEN"},
				{"mcp_config", "remote", "headers", "X-Api-Key"},
				{"agent_context", "secrets", "CTX_STRING"},
				{"agent_context", "secrets", "CTX_LOOKUP", "headers", "X-Session-API-Key"},
			}
			checkSettings := func(got map[string]any) {
				t.Helper()
				a := got["agent_settings"]
				for _, p := range fields {
					if blank {
						require.Nil(t, iopAt(a, p...), "%v", p)
					} else {
						require.Equal(t, v.Plaintext, iopAt(a, p...), "%v", p)
					}
				}
				for _, p := range entries {
					val, ok := iopGet(a, p...)
					if blank {
						require.False(t, ok, "%v: a blank value drops the entry", p)
					} else {
						require.Equal(t, v.Plaintext, val, "%v", p)
					}
				}
				require.Equal(t, "not-a-secret-but-stored-as-one", iopAt(a, "mcp_config", "github", "env", "PLAIN_SETTING"))
				require.Equal(t, "text/plain", iopAt(a, "agent_context", "secrets", "CTX_LOOKUP", "headers", "Accept"))
				require.Equal(t, "openai/gpt-4o", iopAt(a, "llm", "model"))
				require.Equal(t, !blank, got["llm_api_key_is_set"])
				require.Equal(t, "x", got["active_profile"])
				require.Equal(t, map[string]any{"ui": map[string]any{"theme": "dark"}}, got["misc_settings"])
			}
			checkOthers := func(s *iopServer) {
				t.Helper()
				status, body := s.secret("VECTOR_SECRET")
				if blank {
					// A token that decrypts to "" is "no value": 404, as the
					// settings model reads it and as a blank PUT stores it.
					require.Equal(t, 404, status, "body %q", body)
				} else {
					require.Equal(t, 200, status)
					require.Equal(t, v.Plaintext, body)
				}
				p := s.profilePlain("x")
				for _, f := range []string{"api_key", "aws_secret_access_key", "aws_session_token"} {
					if blank {
						require.Nil(t, iopAt(p, "config", f), f)
					} else {
						require.Equal(t, v.Plaintext, iopAt(p, "config", f), f)
					}
				}
				require.Equal(t, !blank, p["api_key_set"])
				require.Equal(t, []any{map[string]any{"name": "VECTOR_SECRET", "description": "written by python"}},
					s.ok(200, "GET", "/api/settings/secrets", "")["secrets"])
			}
			checkSettings(s.plaintext())
			checkOthers(s)
			if !blank {
				red := s.ok(200, "GET", "/api/settings", "")
				require.Equal(t, iopMarker, iopAt(red, "agent_settings", "llm", "api_key"))
			}
			for f, data := range original {
				require.Equal(t, data, s.file(f), "%s changed by reads", f)
			}

			// A write re-encrypts under the same key; upstream decrypts it.
			s.ok(200, "PATCH", "/api/settings", `{"conversation_settings_diff": {"max_iterations": 77}}`)
			doc := iopNewReader(&key).readSettings(t, s.file("settings.json"))
			for _, p := range append(fields, entries...) {
				val, ok := iopGet(doc["agent_settings"], p...)
				if blank {
					require.True(t, !ok || val == nil, "%v", p)
				} else {
					require.Equal(t, v.Plaintext, val, "%v", p)
				}
			}
			require.Equal(t, 77.0, iopAt(doc, "conversation_settings", "max_iterations"))

			// And back: a fresh server on the directory reads the same.
			s2 := iopStart(t, dir, &key)
			got := s2.plaintext()
			checkSettings(got)
			require.Equal(t, 77.0, iopAt(got, "conversation_settings", "max_iterations"))
			checkOthers(s2)
		})
	}
}

func TestInteropUndecryptableTokensArePreserved(t *testing.T) {
	wrong := iopVectorNamed(t, "wrong-key")
	tampered := iopVectorNamed(t, "tampered-byte")
	truncated := iopVectorNamed(t, "truncated")
	require.Equal(t, wrong.Key, tampered.Key)
	require.Equal(t, wrong.Key, truncated.Key)
	key := wrong.Key
	dir := t.TempDir()
	iopCopyTree(t, filepath.Join(iopFixtures, "vectors", "invalid"), dir)
	s := iopStart(t, dir, &key)
	profileX := s.file("profiles/x.json")

	// Where each invalid token sits in settings.json (generate.py).
	tokenAt := []struct {
		path []string
		tok  string
	}{
		{[]string{"llm", "api_key"}, wrong.Token},
		{[]string{"llm", "aws_secret_access_key"}, tampered.Token},
		{[]string{"mcp_config", "github", "env", "GITHUB_TOKEN"}, truncated.Token},
		{[]string{"mcp_config", "remote", "headers", "X-Api-Key"}, tampered.Token},
		{[]string{"mcp_config", "remote", "auth", "value"}, wrong.Token},
		{[]string{"mcp_config", "mail", "auth", "state", "tokens", "access_token"}, truncated.Token},
		{[]string{"verification", "critic_api_key"}, tampered.Token},
		{[]string{"agent_context", "secrets", "CTX_STRING"}, wrong.Token},
		{[]string{"agent_context", "secrets", "CTX_STATIC", "value"}, tampered.Token},
		{[]string{"agent_context", "secrets", "CTX_LOOKUP", "headers", "X-Session-API-Key"}, truncated.Token},
	}
	// Upstream would serve the agent_context.secrets string and the
	// LookupSecret header ciphertexts verbatim; this server's stricter rule
	// (persistence.md §7 allows it) reads every undecryptable value as unset.
	requireUnset := func(got map[string]any) {
		t.Helper()
		a := got["agent_settings"]
		for _, loc := range tokenAt {
			v := iopAt(a, loc.path...)
			require.NotEqual(t, loc.tok, v, "%v: an undecryptable token is never served", loc.path)
			require.Nil(t, v, "%v reads as unset", loc.path)
		}
		require.Equal(t, false, got["llm_api_key_is_set"])
		require.Equal(t, "not-a-secret-but-stored-as-one", iopAt(a, "mcp_config", "github", "env", "PLAIN_SETTING"))
	}
	requireUnset(s.plaintext())
	for _, name := range []string{"WRONG_KEY", "TAMPERED", "TRUNCATED"} {
		status, _ := s.secret(name)
		require.Equal(t, 404, status, name)
	}
	status, body := s.secret("GOOD_LEGACY")
	require.Equal(t, 200, status)
	require.Equal(t, "legacy-plaintext-value", body)
	require.Len(t, s.ok(200, "GET", "/api/settings/secrets", "")["secrets"], 4)
	p := s.profilePlain("x")
	for _, f := range []string{"api_key", "aws_secret_access_key", "aws_session_token"} {
		require.Nil(t, iopAt(p, "config", f), f)
	}
	require.Equal(t, false, p["api_key_set"])

	// Other writes keep every undecryptable value byte for byte.
	s.ok(200, "PATCH", "/api/settings", `{"conversation_settings_diff": {"max_iterations": 42}}`)
	s.ok(201, "POST", "/api/settings/mcp/extra", `{"command": "echo"}`)
	s.ok(200, "PUT", "/api/settings/secrets", `{"name": "OTHER", "value": "other-value"}`)
	s.ok(201, "POST", "/api/profiles/y", `{"llm": {"model": "gpt-4o", "api_key": "sk-y"}}`)
	s.ok(200, "POST", "/api/profiles/x/activate", ``)

	settings := iopObj(t, s.file("settings.json"))
	for _, loc := range tokenAt {
		if loc.path[0] == "llm" {
			continue // activate replaced the LLM with profile x (checked below)
		}
		require.Equal(t, loc.tok, iopAt(settings, append([]string{"agent_settings"}, loc.path...)...), "%v", loc.path)
	}
	// Profile x's undecryptable api_key came along with the activation, still sealed.
	require.Equal(t, wrong.Token, iopAt(settings, "agent_settings", "llm", "api_key"))
	require.Equal(t, tampered.Token, iopAt(settings, "agent_settings", "llm", "aws_secret_access_key"))
	require.Equal(t, truncated.Token, iopAt(settings, "agent_settings", "llm", "aws_session_token"))
	require.Equal(t, 42.0, iopAt(settings, "conversation_settings", "max_iterations"))
	require.Equal(t, "x", settings["active_profile"])

	secrets := iopObj(t, s.file("secrets.json"))
	for name, tok := range map[string]string{"WRONG_KEY": wrong.Token, "TAMPERED": tampered.Token, "TRUNCATED": truncated.Token} {
		require.Equal(t, tok, iopAt(secrets, "custom_secrets", name, "secret"), name)
	}
	rd := iopNewReader(&key)
	legacy, ok := rd.decrypt(iopAt(secrets, "custom_secrets", "GOOD_LEGACY", "secret").(string))
	require.True(t, ok, "legacy plaintext is encrypted at the next write")
	require.Equal(t, "legacy-plaintext-value", legacy)
	other, ok := rd.decrypt(iopAt(secrets, "custom_secrets", "OTHER", "secret").(string))
	require.True(t, ok)
	require.Equal(t, "other-value", other)
	require.Equal(t, profileX, s.file("profiles/x.json"))
	requireUnset(s.plaintext())

	// Only replacing that very value changes it.
	s.ok(200, "PUT", "/api/settings/secrets", `{"name": "WRONG_KEY", "value": "replaced"}`)
	status, body = s.secret("WRONG_KEY")
	require.Equal(t, 200, status)
	require.Equal(t, "replaced", body)
	require.Equal(t, tampered.Token, iopAt(iopObj(t, s.file("secrets.json")), "custom_secrets", "TAMPERED", "secret"))
	s.ok(200, "PATCH", "/api/settings", `{"agent_settings_diff": {"llm": {"api_key": "sk-new"}}}`)
	settings = iopObj(t, s.file("settings.json"))
	newKey, ok := rd.decrypt(iopAt(settings, "agent_settings", "llm", "api_key").(string))
	require.True(t, ok)
	require.Equal(t, "sk-new", newKey)
	require.Equal(t, tampered.Token, iopAt(settings, "agent_settings", "llm", "aws_secret_access_key"))
}

// ----------------------------------------------------------------- 3. secrets.json upstream shape

func TestInteropSecretsFileUpstreamShape(t *testing.T) {
	v := iopVectorNamed(t, "typical-api-key")
	key := v.Key
	dir := t.TempDir()
	iopCopyTree(t, filepath.Join(iopFixtures, "secrets-legacy"), dir)
	original := iopReadFixture(t, "secrets-legacy/secrets.json")
	s := iopStart(t, dir, &key)

	require.Equal(t, []any{
		map[string]any{"name": "PLAIN_LEGACY", "description": nil},
		map[string]any{"name": "NO_SECRET", "description": "entry without a secret member"},
		map[string]any{"name": "MISMATCH", "description": "map key wins"},
		map[string]any{"name": "VERSIONED", "description": "bound credential"},
		map[string]any{"name": "UNTOUCHED_V", "description": nil},
	}, s.ok(200, "GET", "/api/settings/secrets", "")["secrets"])
	for name, want := range map[string]string{
		"PLAIN_LEGACY": "legacy-plain-value",
		"MISMATCH":     v.Plaintext,
		"VERSIONED":    v.Plaintext,
		"UNTOUCHED_V":  v.Plaintext,
	} {
		status, body := s.secret(name)
		require.Equal(t, 200, status, name)
		require.Equal(t, want, body, name)
	}
	for _, name := range []string{"NO_SECRET", "SOME_OTHER_NAME", "DROPPED_NUMBER", "DROPPED_LIST", "DROPPED_BOOL"} {
		status, _ := s.secret(name)
		require.Equal(t, 404, status, name)
	}
	require.Equal(t, original, s.file("secrets.json"), "reads do not rewrite")

	s.ok(200, "PUT", "/api/settings/secrets", `{"name": "NEW_ONE", "value": "new-value", "description": "clé"}`)
	data := s.file("secrets.json")
	rd := iopNewReader(&key)
	values, versions := rd.readSecrets(t, data)
	require.Equal(t, []string{"custom_secrets", "_credential_versions"}, iopKeys(t, data), "unknown top-level members are dropped")
	require.Equal(t, []string{"PLAIN_LEGACY", "NO_SECRET", "MISMATCH", "VERSIONED", "UNTOUCHED_V", "NEW_ONE"}, iopKeys(t, data, "custom_secrets"))
	require.Equal(t, map[string]any{
		"PLAIN_LEGACY": "legacy-plain-value",
		"NO_SECRET":    nil,
		"MISMATCH":     v.Plaintext,
		"VERSIONED":    v.Plaintext,
		"UNTOUCHED_V":  v.Plaintext,
		"NEW_ONE":      "new-value",
	}, values)
	doc := iopObj(t, data)
	require.Equal(t, "entry without a secret member", iopAt(doc, "custom_secrets", "NO_SECRET", "description"))
	require.Equal(t, "clé", iopAt(doc, "custom_secrets", "NEW_ONE", "description"))
	require.Equal(t, v.Token, iopAt(doc, "custom_secrets", "MISMATCH", "secret"), "an untouched token is kept as is")
	require.Equal(t, map[string]any{
		"VERSIONED":   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"UNTOUCHED_V": "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
	}, versions, "versions of untouched names are carried through")
	require.Equal(t, fs.FileMode(0o600), iopMode(t, filepath.Join(dir, "secrets.json")))
	iopRequireTidyDir(t, dir, ".secrets.lock")

	// A PUT of a versioned name assigns a fresh version.
	s.ok(200, "PUT", "/api/settings/secrets", `{"name": "VERSIONED", "value": "rotated"}`)
	values, versions = rd.readSecrets(t, s.file("secrets.json"))
	require.Equal(t, "rotated", values["VERSIONED"])
	require.Nil(t, iopAt(iopObj(t, s.file("secrets.json")), "custom_secrets", "VERSIONED", "description"), "an omitted description overwrites")
	require.Regexp(t, `^[A-Za-z0-9_-]{32}$`, versions["VERSIONED"])
	require.NotEqual(t, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", versions["VERSIONED"])
	require.Equal(t, "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", versions["UNTOUCHED_V"])
	status, body := s.secret("VERSIONED")
	require.Equal(t, 200, status)
	require.Equal(t, "rotated", body)

	// A DELETE removes its version; the map disappears when empty.
	s.ok(200, "DELETE", "/api/settings/secrets/VERSIONED", "")
	_, versions = rd.readSecrets(t, s.file("secrets.json"))
	require.Equal(t, map[string]any{"UNTOUCHED_V": "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"}, versions)
	s.ok(200, "DELETE", "/api/settings/secrets/UNTOUCHED_V", "")
	data = s.file("secrets.json")
	_, versions = rd.readSecrets(t, data)
	require.Nil(t, versions)
	require.Equal(t, []string{"custom_secrets"}, iopKeys(t, data))
	require.Equal(t, []string{"PLAIN_LEGACY", "NO_SECRET", "MISMATCH", "NEW_ONE"}, iopKeys(t, data, "custom_secrets"))
}

// ----------------------------------------------------------------- 4. what we write, upstream reads

func TestInteropWhatWeWriteUpstreamReads(t *testing.T) {
	key := "interop-writer-key"
	parent := filepath.Join(t.TempDir(), "home")
	dir := filepath.Join(parent, ".openhands")
	s := iopStart(t, dir, &key)

	s.ok(200, "PATCH", "/api/settings", `{"agent_settings_diff": {"llm": {"model": "openai/gpt-4o", "api_key": "sk-interop-llm", "base_url": "https://litellm.example.com", "aws_access_key_id": "AKIA-interop"}}, "misc_settings_diff": {"ui": {"theme": "dark", "lang": "français"}}}`)
	s.ok(201, "POST", "/api/settings/mcp/github", `{"command": "uvx", "args": ["mcp-server-github"], "env": {"GITHUB_TOKEN": "ghp-interop-env"}}`)
	s.ok(201, "POST", "/api/settings/mcp/remote", `{"transport": "http", "url": "https://github.example/mcp", "auth": {"strategy": "bearer", "value": "s3cr3t-bearer"}}`)
	s.ok(200, "PUT", "/api/settings/secrets", `{"name": "GITHUB_TOKEN", "value": "ghp-custom", "description": "GitHub PAT"}`)
	s.ok(200, "PUT", "/api/settings/secrets", `{"name": "EMPTY_ONE", "value": ""}`)
	s.ok(200, "PUT", "/api/settings/secrets", `{"name": "UNICODE", "value": "pässwörd-秘密-🔐", "description": "clé 🔑"}`)
	profileLLM := `{"model": "openai/gpt-4o", "api_key": "sk-profile", "base_url": "https://litellm.example.com", "aws_secret_access_key": "aws-profile-secret", "temperature": 0.5}`
	s.ok(201, "POST", "/api/profiles/withsecrets", `{"llm": `+profileLLM+`, "include_secrets": true}`)
	s.ok(201, "POST", "/api/profiles/nosecrets", `{"llm": `+profileLLM+`, "include_secrets": false}`)

	rd := iopNewReader(&key)

	// settings.json (persistence.md §5.1).
	doc := rd.readSettings(t, s.file("settings.json"))
	agent := doc["agent_settings"].(map[string]any)
	raw := iopObj(t, s.file("settings.json"))
	llm := agent["llm"].(map[string]any)
	require.Equal(t, "openai/gpt-4o", llm["model"])
	require.Equal(t, "sk-interop-llm", llm["api_key"])
	require.Equal(t, "AKIA-interop", llm["aws_access_key_id"])
	require.Nil(t, llm["aws_secret_access_key"])
	require.Nil(t, llm["aws_session_token"])
	require.Equal(t, "https://litellm.example.com", llm["base_url"])
	require.Equal(t, "openhands", agent["agent_kind"])
	require.Equal(t, "CodeActAgent", agent["agent"])
	require.Contains(t, agent, "tools")
	require.Nil(t, agent["tools"])
	require.Equal(t, map[string]any{
		"github": map[string]any{"command": "uvx", "args": []any{"mcp-server-github"}, "env": map[string]any{"GITHUB_TOKEN": "ghp-interop-env"}, "enabled": true},
		"remote": map[string]any{"url": "https://github.example/mcp", "transport": "http", "auth": map[string]any{"strategy": "bearer", "value": "s3cr3t-bearer"}, "enabled": true},
	}, agent["mcp_config"])
	require.Equal(t, map[string]any{"schema_version": 1.0, "max_iterations": 500.0, "confirmation_mode": false, "security_analyzer": "llm"}, doc["conversation_settings"])
	require.Nil(t, doc["active_profile"])
	require.Nil(t, doc["active_agent_profile_id"])
	require.Equal(t, map[string]any{"ui": map[string]any{"theme": "dark", "lang": "français"}}, raw["misc_settings"], "misc_settings is plaintext")
	for _, p := range [][]string{{"llm", "api_key"}, {"llm", "aws_access_key_id"}, {"mcp_config", "github", "env", "GITHUB_TOKEN"}, {"mcp_config", "remote", "auth", "value"}} {
		require.True(t, strings.HasPrefix(iopAt(raw["agent_settings"], p...).(string), "gAAAAA"), "%v", p)
	}
	// What upstream reads is what this server serves.
	served := s.plaintext()
	require.Equal(t, true, served["llm_api_key_is_set"])
	delete(served, "llm_api_key_is_set")
	delete(doc, "schema_version")
	require.Equal(t, doc, served)

	// secrets.json (§5.2).
	data := s.file("secrets.json")
	values, versions := rd.readSecrets(t, data)
	require.Nil(t, versions)
	require.Equal(t, []string{"custom_secrets"}, iopKeys(t, data))
	require.Equal(t, []string{"GITHUB_TOKEN", "EMPTY_ONE", "UNICODE"}, iopKeys(t, data, "custom_secrets"))
	require.Equal(t, map[string]any{"GITHUB_TOKEN": "ghp-custom", "EMPTY_ONE": nil, "UNICODE": "pässwörd-秘密-🔐"}, values)
	sec := iopObj(t, data)
	require.Equal(t, map[string]any{"name": "EMPTY_ONE", "secret": nil, "description": nil}, iopAt(sec, "custom_secrets", "EMPTY_ONE"))
	require.Equal(t, "GitHub PAT", iopAt(sec, "custom_secrets", "GITHUB_TOKEN", "description"))
	require.Equal(t, "clé 🔑", iopAt(sec, "custom_secrets", "UNICODE", "description"))

	// profiles/<name>.json (§5.3).
	with := rd.readProfile(t, s.file("profiles/withsecrets.json"))
	require.Equal(t, map[string]any{
		"model": "openai/gpt-4o", "api_key": "sk-profile", "auth_type": "api_key", "base_url": "https://litellm.example.com",
		"aws_secret_access_key": "aws-profile-secret",
		"openrouter_site_url":   "https://docs.all-hands.dev/", "openrouter_app_name": "OpenHands",
		"num_retries": 5.0, "retry_multiplier": 8.0, "retry_min_wait": 8.0, "retry_max_wait": 64.0, "timeout": 300.0,
		"max_message_chars": 30000.0, "temperature": 0.5, "api_mode": "auto", "capability_overrides": map[string]any{},
		"stream": false, "drop_params": true, "modify_params": true, "disable_stop_word": false, "caching_prompt": true,
		"log_completions": false, "log_completions_folder": "logs/completions", "native_tool_calling": true,
		"reasoning_effort": "high", "enable_encrypted_reasoning": true, "prompt_cache_retention": "24h",
		"extended_thinking_budget": 200000.0, "usage_id": "default", "litellm_extra_body": map[string]any{},
		"is_subscription": false,
	}, with)
	rawWith := iopObj(t, s.file("profiles/withsecrets.json"))
	require.True(t, strings.HasPrefix(rawWith["api_key"].(string), "gAAAAA"))
	require.True(t, strings.HasPrefix(rawWith["aws_secret_access_key"].(string), "gAAAAA"))
	// Upstream fills every omitted member with its default: the served
	// config has exactly the file's members, nulls for the rest.
	cfg := s.profilePlain("withsecrets")["config"].(map[string]any)
	require.Len(t, cfg, len(iopLLMFields))
	for _, f := range iopLLMFields {
		want, inFile := with[f]
		if inFile {
			require.Equal(t, want, cfg[f], f)
		} else {
			require.Nil(t, cfg[f], f)
		}
	}
	without := rd.readProfile(t, s.file("profiles/nosecrets.json"))
	require.Equal(t, iopMarker, without["api_key"])
	require.Equal(t, iopMarker, without["aws_secret_access_key"])
	np := s.profilePlain("nosecrets")
	require.Nil(t, iopAt(np, "config", "api_key"), "the marker loads back as no value")
	require.Equal(t, false, np["api_key_set"])

	// Modes, no temp files, lock files.
	for _, f := range []string{"settings.json", "secrets.json", ".settings.lock", ".secrets.lock", "profiles/withsecrets.json", "profiles/nosecrets.json"} {
		require.Equal(t, fs.FileMode(0o600), iopMode(t, filepath.Join(dir, filepath.FromSlash(f))), f)
	}
	require.Equal(t, fs.FileMode(0o700), iopMode(t, dir))
	iopRequireTidyDir(t, dir, ".settings.lock", ".secrets.lock", "profiles/.profiles.lock")

	// And back: a fresh server reads everything.
	s2 := iopStart(t, dir, &key)
	require.Equal(t, "sk-interop-llm", iopAt(s2.plaintext(), "agent_settings", "llm", "api_key"))
	status, body := s2.secret("UNICODE")
	require.Equal(t, 200, status)
	require.Equal(t, "pässwörd-秘密-🔐", body)
	require.Equal(t, "sk-profile", iopAt(s2.profilePlain("withsecrets"), "config", "api_key"))
}

// ----------------------------------------------------------------- 5. no key

func TestInteropNoKeyTakesStringsLiterally(t *testing.T) {
	v := iopVectorNamed(t, "typical-api-key")
	dir := t.TempDir()
	iopCopyTree(t, filepath.Join(iopFixtures, "vectors", v.Name), dir)
	s := iopStart(t, dir, nil)

	got := s.plaintext()
	require.Equal(t, v.Token, iopAt(got, "agent_settings", "llm", "api_key"))
	require.Equal(t, v.Token, iopAt(got, "agent_settings", "mcp_config", "github", "env", "GITHUB_TOKEN"))
	require.Equal(t, v.Token, iopAt(got, "agent_settings", "agent_context", "secrets", "CTX_STRING"))
	require.Equal(t, true, got["llm_api_key_is_set"])
	status, body := s.secret("VECTOR_SECRET")
	require.Equal(t, 200, status)
	require.Equal(t, v.Token, body)
	require.Equal(t, v.Token, iopAt(s.profilePlain("x"), "config", "api_key"))
	r := s.do("GET", "/api/settings", "", "X-Expose-Secrets", "encrypted")
	require.Equal(t, 503, r.status)

	s.ok(200, "PATCH", "/api/settings", `{"conversation_settings_diff": {"max_iterations": 9}}`)
	rd := iopNewReader(nil)
	doc := rd.readSettings(t, s.file("settings.json"))
	require.Equal(t, v.Token, iopAt(doc, "agent_settings", "llm", "api_key"), "the token string is the secret")
	require.Equal(t, v.Token, iopAt(doc, "agent_settings", "mcp_config", "remote", "auth", "value"))
	s.ok(200, "PATCH", "/api/settings", `{"agent_settings_diff": {"llm": {"api_key": "sk-plain-nokey"}}}`)
	require.Equal(t, "sk-plain-nokey", iopAt(iopObj(t, s.file("settings.json")), "agent_settings", "llm", "api_key"), "plaintext at rest without a key")
	s.ok(200, "PUT", "/api/settings/secrets", `{"name": "PLAIN", "value": "plain-value"}`)
	values, _ := rd.readSecrets(t, s.file("secrets.json"))
	require.Equal(t, map[string]any{"VECTOR_SECRET": v.Token, "PLAIN": "plain-value"}, values)
	s.ok(201, "POST", "/api/profiles/p", `{"llm": {"model": "gpt-4o", "api_key": "sk-plain-profile"}}`)
	require.Equal(t, "sk-plain-profile", rd.readProfile(t, s.file("profiles/p.json"))["api_key"])

	// Introducing the key later: the Python token decrypts, legacy plaintext
	// keeps working.
	key := v.Key
	s2 := iopStart(t, dir, &key)
	status, body = s2.secret("VECTOR_SECRET")
	require.Equal(t, 200, status)
	require.Equal(t, v.Plaintext, body)
	status, body = s2.secret("PLAIN")
	require.Equal(t, 200, status)
	require.Equal(t, "plain-value", body)
	got = s2.plaintext()
	require.Equal(t, "sk-plain-nokey", iopAt(got, "agent_settings", "llm", "api_key"))
	require.Equal(t, v.Plaintext, iopAt(got, "agent_settings", "mcp_config", "github", "env", "GITHUB_TOKEN"))
}

// ----------------------------------------------------------------- 6. unloadable files

func TestInteropUnloadableSettingsFile(t *testing.T) {
	key := "interop-unloadable-key"
	empty := iopStart(t, t.TempDir(), &key)
	stripStamp := func(m map[string]any) map[string]any {
		if ac, ok := iopAt(m, "agent_settings", "agent_context").(map[string]any); ok {
			delete(ac, "current_datetime")
		}
		return m
	}
	defaults := stripStamp(empty.ok(200, "GET", "/api/settings", ""))
	for _, fixture := range []string{"settings-corrupt.json", "settings-too-new.json", "settings-agent-too-new.json", "settings-not-object.json"} {
		t.Run(fixture, func(t *testing.T) {
			dir := t.TempDir()
			content := iopReadFixture(t, "unloadable/"+fixture)
			iopWrite(t, filepath.Join(dir, "settings.json"), content)
			iopWrite(t, filepath.Join(dir, "profiles", "p.json"), iopReadFixture(t, "unloadable/profile-p.json"))
			s := iopStart(t, dir, &key)

			require.Equal(t, defaults, stripStamp(s.ok(200, "GET", "/api/settings", "")))
			require.Equal(t, defaults, stripStamp(s.ok(200, "GET", "/api/settings", "", "X-Expose-Secrets", "plaintext")))
			s.do("PATCH", "/api/settings", `{"conversation_settings_diff": {"max_iterations": 10}}`).requireDetail(t, 409, iopCorrupt)
			s.do("PATCH", "/api/settings", `{"active_profile": "p"}`).requireDetail(t, 409, iopCorrupt)
			s.do("POST", "/api/settings/mcp/x", `{"command": "echo"}`).requireDetail(t, 409, iopCorrupt)
			s.do("PATCH", "/api/settings/mcp/x", `{"command": "echo"}`).requireDetail(t, 409, iopCorrupt)
			s.do("DELETE", "/api/settings/mcp/x", ``).requireDetail(t, 409, iopCorrupt)
			s.do("POST", "/api/profiles/p/activate", ``).requireDetail(t, 409, iopCorrupt)
			require.Nil(t, s.ok(200, "GET", "/api/profiles", "")["active_profile"])
			require.Equal(t, content, s.file("settings.json"), "the file is left untouched")
		})
	}
}

func TestInteropUnloadableSecretsFile(t *testing.T) {
	key := "interop-unloadable-key"
	for _, fixture := range []string{"secrets-corrupt.json", "secrets-invalid-name.json", "secrets-not-object.json"} {
		t.Run(fixture, func(t *testing.T) {
			dir := t.TempDir()
			content := iopReadFixture(t, "unloadable/"+fixture)
			iopWrite(t, filepath.Join(dir, "secrets.json"), content)
			s := iopStart(t, dir, &key)

			require.Equal(t, map[string]any{"secrets": []any{}}, s.ok(200, "GET", "/api/settings/secrets", ""))
			for _, name := range []string{"GOOD", "A"} {
				status, _ := s.secret(name)
				require.Equal(t, 404, status)
			}
			s.do("PUT", "/api/settings/secrets", `{"name": "GOOD", "value": "v"}`).requireEnvelope(t, iopSecCorupt)
			s.do("DELETE", "/api/settings/secrets/GOOD", "").requireEnvelope(t, iopSecCorupt)
			s.do("DELETE", "/api/settings/secrets/ABSENT", "").requireEnvelope(t, iopSecCorupt)
			require.Equal(t, content, s.file("secrets.json"), "the file is left untouched")
		})
	}
}

// TestInteropUnreadableFiles covers the "file unreadable (permissions, I/O)"
// row of persistence.md §7: once with permissions (skipped as root, which
// ignores them) and once with a directory in place of the file (an I/O
// error any user gets).
func TestInteropUnreadableFiles(t *testing.T) {
	key := "interop-unreadable-key"
	setups := map[string]func(t *testing.T, path string){
		"chmod-000": func(t *testing.T, path string) {
			if os.Geteuid() == 0 {
				t.Skip("root ignores file permissions")
			}
			iopWrite(t, path, []byte(`{}`))
			require.NoError(t, os.Chmod(path, 0))
			t.Cleanup(func() { _ = os.Chmod(path, 0o600) })
		},
		"not-a-regular-file": func(t *testing.T, path string) {
			require.NoError(t, os.MkdirAll(path, 0o700))
		},
	}
	for name, setup := range setups {
		t.Run(name+"/settings", func(t *testing.T) {
			dir := t.TempDir()
			iopWrite(t, filepath.Join(dir, "profiles", "p.json"), iopReadFixture(t, "unloadable/profile-p.json"))
			setup(t, filepath.Join(dir, "settings.json"))
			s := iopStart(t, dir, &key)
			s.do("GET", "/api/settings", "").requireUnhandled(t)
			s.do("PATCH", "/api/settings", `{"conversation_settings_diff": {"max_iterations": 10}}`).requireEnvelope(t, "Failed to update settings")
			s.do("POST", "/api/settings/mcp/x", `{"command": "echo"}`).requireEnvelope(t, "Failed to update settings")
			s.do("POST", "/api/profiles/p/activate", ``).requireEnvelope(t, "Failed to activate profile")
		})
		t.Run(name+"/secrets", func(t *testing.T) {
			dir := t.TempDir()
			setup(t, filepath.Join(dir, "secrets.json"))
			s := iopStart(t, dir, &key)
			s.do("GET", "/api/settings/secrets", "").requireUnhandled(t)
			s.do("GET", "/api/settings/secrets/A", "").requireUnhandled(t)
			s.do("PUT", "/api/settings/secrets", `{"name": "A", "value": "v"}`).requireEnvelope(t, "Failed to save secret")
			s.do("DELETE", "/api/settings/secrets/A", "").requireUnhandled(t)
		})
	}
}
