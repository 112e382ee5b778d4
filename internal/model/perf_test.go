package model

import (
	"encoding/json"
	"math"
	"math/rand"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/jsonx"
)

// Tests of the shortcuts validation and encoding take: each must give
// exactly what the plain computation gives.

// identicalDoc reports whether two internal documents are the same tree:
// same types, member order, strings, number literals and Sealed values.
func identicalDoc(a, b any) bool {
	switch x := a.(type) {
	case *jsonx.Object:
		y, ok := b.(*jsonx.Object)
		if !ok || (x == nil) != (y == nil) || x.Len() != y.Len() {
			return false
		}
		for i := 0; i < x.Len(); i++ {
			kx, vx := x.At(i)
			ky, vy := y.At(i)
			if kx != ky || !identicalDoc(vx, vy) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) || (x == nil) != (y == nil) {
			return false
		}
		for i := range x {
			if !identicalDoc(x[i], y[i]) {
				return false
			}
		}
		return true
	default:
		return a == b
	}
}

func identicalSettings(a, b *Settings) bool {
	sp := func(p, q *string) bool { return (p == nil) == (q == nil) && (p == nil || *p == *q) }
	return identicalDoc(a.Agent, b.Agent) && identicalDoc(a.Conversation, b.Conversation) &&
		identicalDoc(a.Misc, b.Misc) && sp(a.ActiveProfile, b.ActiveProfile) && sp(a.ActiveAgentProfileID, b.ActiveAgentProfileID)
}

func TestIsPyFloatLiteral(t *testing.T) {
	for _, s := range []string{"0.0", "-0.0", "8.0", "0.1", "0.6", "1800.0", "-2.5", "0.0001", "0.0123", "123456789012.5", "99999999999999.0", "1.25"} {
		require.True(t, isPyFloatLiteral(s), s)
		f, err := strconv.ParseFloat(s, 64)
		require.NoError(t, err)
		require.Equal(t, s, pyFloat(f), s)
	}
	for _, s := range []string{"", "-", "8", "8.", ".5", "08.0", "0.10", "1.00", "0.00", "0.00001", "1e2", "1.5e3", "1234567890123456.0", "0.1234567890123456", "+1.0", "1.0.0", "-0", "1_0.0", "٣.0"} {
		require.False(t, isPyFloatLiteral(s), s)
	}
	// Many literals written the ways clients write floats.
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		f := math.Ldexp(r.Float64(), r.Intn(80)-40)
		if r.Intn(2) == 0 {
			f = -f
		}
		for _, s := range []string{
			strconv.FormatFloat(f, 'f', -1, 64), strconv.FormatFloat(f, 'f', r.Intn(8), 64),
			strconv.FormatFloat(math.Round(f), 'f', 1, 64), pyFloat(f),
		} {
			if isPyFloatLiteral(s) {
				g, err := strconv.ParseFloat(s, 64)
				require.NoError(t, err)
				require.Equal(t, s, pyFloat(g), "literal %s", s)
			}
		}
	}
}

func TestSmallInt(t *testing.T) {
	for _, s := range []string{"0", "-0", "7", "-42", "123456789012345", "-999999999999999"} {
		f, ok := smallInt(s)
		require.True(t, ok, s)
		g, err := strconv.ParseFloat(s, 64)
		require.NoError(t, err)
		require.Equal(t, math.Float64bits(g), math.Float64bits(f), s)
	}
	for _, s := range []string{"", "-", "1.0", "1e3", "1234567890123456", "12a", "+1"} {
		_, ok := smallInt(s)
		require.False(t, ok, s)
	}
}

// FuzzNumberShortcuts: the literal shortcuts agree with strconv and pyFloat.
func FuzzNumberShortcuts(f *testing.F) {
	for _, s := range []string{"0.1", "8.0", "-0.0", "12", "-0", "0.0001", "1e5", "007"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, ok := smallInt(s); ok {
			g, err := strconv.ParseFloat(s, 64)
			if err != nil || math.Float64bits(g) != math.Float64bits(v) {
				t.Fatalf("smallInt(%q) = %v, ParseFloat = %v, %v", s, v, g, err)
			}
		}
		if isPyFloatLiteral(s) {
			g, err := strconv.ParseFloat(s, 64)
			if err != nil || pyFloat(g) != s {
				t.Fatalf("isPyFloatLiteral(%q) but pyFloat gives %q (%v)", s, pyFloat(g), err)
			}
		}
	})
}

// referenceResolve is resolveLookupURL without the scheme shortcut.
func referenceResolve(s string) string {
	ref, err := url.Parse(s)
	if err != nil || ref.Scheme != "" || ref.Host != "" {
		return s
	}
	return "needs " + s
}

func checkURLShortcut(t *testing.T, s string) {
	t.Helper()
	ref, err := url.Parse(s)
	absolute := err != nil || ref.Scheme != "" || ref.Host != ""
	if hasURLScheme(s) {
		require.True(t, absolute, "%q", s)
	}
	require.Equal(t, absolute, lookupURLIsAbsolute(s), "%q", s)
	if absolute {
		require.Equal(t, s, resolveLookupURL(s), "%q", s)
	}
}

func TestURLSchemeShortcut(t *testing.T) {
	for _, s := range []string{
		"http://h/x", "HTTPS://h", "a:", "a+b-c.d:rest", ":x", "1a:x", "/x", "x", "", "//host/p", "a b:c", "a#b:c",
		"http://h/\x7f", "mailto:x", "a\x00:b", "*", "a/b:c", "http://[::1", "-a:b",
	} {
		checkURLShortcut(t, s)
	}
}

func FuzzURLSchemeShortcut(f *testing.F) {
	f.Add("http://x")
	f.Add("/rel")
	f.Fuzz(func(t *testing.T, s string) { checkURLShortcut(t, s) })
}

func TestIsSecretHeaderName(t *testing.T) {
	reference := func(name string) bool {
		u := strings.ToUpper(name)
		for _, w := range secretHeaderWords {
			if strings.Contains(u, w) {
				return true
			}
		}
		return false
	}
	for _, name := range []string{
		"Authorization", "x-api-key", "X-Session-API-Key", "Accept", "cookie", "Set-Cookie", "credentials", "passwd",
		"password", "x-token-id", "SECRET", "sec", "ke", "", "ſecret", "tokén", "ﬀkey", "İtoken", "Kelvin-\u212a\u212aY", "\xff",
	} {
		require.Equal(t, reference(name), IsSecretHeaderName(name), "%q", name)
	}
}

// TestValidationOutputIsIndependent: changing an output anywhere never
// changes the input or another output (value slices are cut from shared
// chunks, names and indexes are shared).
func TestValidationOutputIsIndependent(t *testing.T) {
	in := obj(t, `{"llm":{"model":"m","api_key":"k","extra_headers":{"A":"1"}},"tools":[{"name":"T","params":{"p":[1]}}],
		"agent_context":{"skills":[],"disabled_skills":["s"],"secrets":{"S":"v"},"current_datetime":"now"},
		"mcp_config":{"a":{"command":"c","args":["x"],"env":{"E":"1"}}}}`)
	before, err := jsonx.Marshal(in)
	require.NoError(t, err)
	o1, err := ValidateAgentSettings(in, Input{})
	require.NoError(t, err)
	o2, err := ValidateAgentSettings(in, Input{})
	require.NoError(t, err)
	want, err := jsonx.Marshal(o2)
	require.NoError(t, err)

	o1.Object("llm").Set("model", "changed")
	o1.Object("llm").Set("zz", 1)
	o1.Object("llm").Object("extra_headers").Set("B", "2")
	tools := o1.Value("tools").([]any)
	tools[0].(*jsonx.Object).Object("params").Set("q", 2)
	o1.Set("tools", append(tools, "more"))
	ac := o1.Object("agent_context")
	ac.Set("skills", append(ac.Value("skills").([]any), "x"))
	ac.Set("disabled_skills", append(ac.Value("disabled_skills").([]any), "y"))
	o1.Object("mcp_config").Object("a").Delete("command")
	o1.Delete("condenser")

	after, err := jsonx.Marshal(in)
	require.NoError(t, err)
	require.Equal(t, string(before), string(after), "input unchanged")
	got, err := jsonx.Marshal(o2)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "other output unchanged")
	again, err := ValidateAgentSettings(in, Input{})
	require.NoError(t, err)
	require.True(t, identicalDoc(o2, again))
}

func TestResponseViewMatchesResponse(t *testing.T) {
	agent, err := ValidateAgentSettings(obj(t, `{"llm":{"model":"m","api_key":"sk"},
		"mcp_config":{"g":{"command":"c","env":{"T":"t"}}},"agent_context":{"secrets":{"S":"v"}}}`), Input{})
	require.NoError(t, err)
	s := &Settings{Agent: agent, Conversation: DefaultConversationSettings(), Misc: obj(t, `{"a":[1,{"b":2}]}`)}
	for _, mode := range []Mode{Redacted, Plaintext} {
		full, err := s.Response(mode, nil)
		require.NoError(t, err)
		view, err := s.ResponseView(mode, nil)
		require.NoError(t, err)
		a, _ := jsonx.Marshal(full)
		b, _ := jsonx.Marshal(view)
		require.Equal(t, string(a), string(b))
	}
	_, err = s.ResponseView(Encrypted, nil)
	require.ErrorIs(t, err, ErrNoCipher)
}

// reusableCase builds settings from an agent document validated with the
// write rules (as the server does).
func reusableSettings(t *testing.T, agentJSON string, c *cipher.Cipher) *Settings {
	t.Helper()
	agent, err := ValidateAgentSettings(obj(t, agentJSON), Input{Cipher: c})
	require.NoError(t, err)
	return &Settings{Agent: agent, Conversation: DefaultConversationSettings(), Misc: obj(t, `{"theme":"dark","n":[1,2.50]}`)}
}

func checkReusable(t *testing.T, s *Settings, c *cipher.Cipher) bool {
	t.Helper()
	data, reusable, err := AppendSettingsFileReusable([]byte("x"), s, c)
	require.NoError(t, err)
	require.Equal(t, byte('x'), data[0])
	data = data[1:]
	back, err := LoadSettingsFile(data, Input{Cipher: c})
	if reusable {
		require.NoError(t, err)
		require.True(t, identicalSettings(s, back), "reusable settings must load back identically")
	}
	if c == nil {
		enc, err := EncodeSettingsFile(s, c)
		require.NoError(t, err)
		require.Equal(t, string(enc), string(data))
	}
	return reusable
}

func TestAppendSettingsFileReusable(t *testing.T) {
	t.Setenv("OH_INTERNAL_SERVER_URL", "")
	full := `{"llm":{"model":"openai/gpt-4o","api_key":"sk-1","aws_access_key_id":"AKIA","temperature":0.5},
		"tools":[{"name":"T","params":{"x":[1,{"y":null}]}}],
		"mcp_config":{"g":{"command":"uvx","env":{"T":"ghp"}},"r":{"url":"https://x","transport":"http","headers":{"K":"k"},
			"auth":{"strategy":"oauth2","state":{"tokens":{"access_token":"a","extra":1},"token_expires_at":1.0}}}},
		"agent_context":{"secrets":{"A":"a","L":{"kind":"LookupSecret","url":"http://h/x","headers":{"X-Session-API-Key":"s","Accept":"j"}}}},
		"verification":{"critic_api_key":"c"}}`
	for _, c := range []*cipher.Cipher{nil, keyA} {
		require.True(t, checkReusable(t, reusableSettings(t, full, c), c))
		require.True(t, checkReusable(t, reusableSettings(t, `{"agent_kind":"acp"}`, c), c))
		require.True(t, checkReusable(t, &Settings{Agent: DefaultAgentSettings(), Conversation: DefaultConversationSettings(), Misc: jsonx.NewObject()}, c))
	}

	// Settings loaded from a file whose tokens do not decrypt (Sealed).
	sealedFile := []byte(`{"schema_version":2,"agent_settings":{"llm":{"model":"m","api_key":"` + encrypt(t, keyB, "x") + `"}}}`)
	sealed, err := LoadSettingsFile(sealedFile, Input{Cipher: keyA})
	require.NoError(t, err)
	require.True(t, checkReusable(t, sealed, keyA))

	notReusable := map[string]struct {
		s *Settings
		c *cipher.Cipher
	}{
		"token-like secret":     {reusableSettings(t, `{"llm":{"model":"m","api_key":"gAAAAAnot-a-token"}}`, nil), keyA},
		"token-like map secret": {reusableSettings(t, `{"agent_context":{"secrets":{"A":"gAAAAAxyz"}}}`, keyA), keyA},
		"sealed without cipher": {sealed, nil},
		"relative lookup URL": {func() *Settings {
			s := reusableSettings(t, full, nil)
			l := s.Agent.Object("agent_context").Object("secrets").Object("L").CloneShallow()
			l.Set("url", "/relative")
			secrets := s.Agent.Object("agent_context").Object("secrets").CloneShallow()
			secrets.Set("L", l)
			ac := s.Agent.Object("agent_context").CloneShallow()
			ac.Set("secrets", secrets)
			s.Agent = s.Agent.CloneShallow()
			s.Agent.Set("agent_context", ac)
			return s
		}(), nil},
		"invalid UTF-8": {func() *Settings {
			s := reusableSettings(t, full, nil)
			s.Misc = jsonx.Obj("a", "\xff")
			return s
		}(), nil},
		"too deep": {func() *Settings {
			s := reusableSettings(t, full, nil)
			var v any = "x"
			for i := 0; i < jsonx.MaxDepth; i++ {
				v = []any{v}
			}
			s.Misc = jsonx.Obj("deep", v)
			return s
		}(), nil},
		"old agent version": {func() *Settings {
			s := reusableSettings(t, full, nil)
			s.Agent = s.Agent.CloneShallow()
			s.Agent.Set("schema_version", json.Number("4"))
			return s
		}(), nil},
		"legacy agent kind": {func() *Settings {
			s := reusableSettings(t, full, nil)
			s.Agent = s.Agent.CloneShallow()
			s.Agent.Set("agent_kind", "llm")
			return s
		}(), nil},
		"missing part": {&Settings{Agent: DefaultAgentSettings(), Conversation: DefaultConversationSettings()}, nil},
	}
	for name, tc := range notReusable {
		t.Run(name, func(t *testing.T) {
			require.False(t, checkReusable(t, tc.s, tc.c))
		})
	}
}

// FuzzSettingsFileReusable: whenever the encoder reports settings reusable,
// loading the file gives them back exactly, for agent settings validated
// with the write rules (with and without a key) and for loaded ones.
func FuzzSettingsFileReusable(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"agent_kind":"acp","acp_model":"x"}`,
		`{"llm":{"model":"azure/x","api_key":"k","top_p":1,"retry_multiplier":8},"tool_concurrency_limit":2.0}`,
		`{"mcp_config":{"s":{"url":"https://x","transport":"http","headers":{"A":"**********","B":"b"},"auth":{"strategy":"oauth2","state":{"tokens":{"access_token":"t","x":null},"client_info":{}}}}}}`,
		`{"agent_context":{"secrets":{"A":"a","B":{"kind":"LookupSecret","url":"/x","headers":{"Authorization":"z","Accept":"q"}},"C":{"kind":"StaticSecret","value":" v"}},"skills":[{"name":"a"}]}}`,
		`{"tools":[{"name":"T","params":{"x":[1,{"y":null}],"é":"\u2028"}}],"verification":{"critic_threshold":0,"critic_api_key":"gAAAAAx"}}`,
	} {
		f.Add([]byte(s), []byte(`{"m":[1]}`))
	}
	f.Fuzz(func(t *testing.T, agentJSON, miscJSON []byte) {
		doc, err := jsonx.ParseObject(agentJSON)
		if err != nil {
			return
		}
		misc, err := jsonx.ParseObject(miscJSON)
		if err != nil {
			misc = jsonx.NewObject()
		}
		for _, c := range []*cipher.Cipher{nil, keyA} {
			agent, err := ValidateAgentSettings(doc, Input{Cipher: c})
			if err != nil {
				return
			}
			s := &Settings{Agent: agent, Conversation: DefaultConversationSettings(), Misc: misc}
			for round := 0; round < 2; round++ {
				data, reusable, err := AppendSettingsFileReusable(nil, s, c)
				if err != nil {
					t.Fatalf("encode: %v", err)
				}
				back, err := LoadSettingsFile(data, Input{Cipher: c})
				if reusable && (err != nil || !identicalSettings(s, back)) {
					t.Fatalf("reported reusable but loads back differently (%v):\n%s", err, data)
				}
				if err != nil {
					break
				}
				s = back // loaded settings are internal form too
			}
		}
	})
}
