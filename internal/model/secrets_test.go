package model

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/jsonx"
)

// secretLocation is one place of data-model.md §10 where a secret lives.
type secretLocation struct {
	name string
	kind secretKind
	// compact: a single field inside an MCP object, where "no value" means
	// the member is omitted rather than null.
	compact bool
	doc     string // agent settings with the placeholder "@" where the secret goes
	path    string // dotted path of the secret in the validated document
}

var secretLocations = []secretLocation{
	{"llm.api_key", secretField, false, `{"llm":{"model":"m","api_key":@}}`, "llm.api_key"},
	{"llm.aws_access_key_id", secretField, false, `{"llm":{"model":"m","aws_access_key_id":@}}`, "llm.aws_access_key_id"},
	{"llm.aws_secret_access_key", secretField, false, `{"llm":{"model":"m","aws_secret_access_key":@}}`, "llm.aws_secret_access_key"},
	{"llm.aws_session_token", secretField, false, `{"llm":{"model":"m","aws_session_token":@}}`, "llm.aws_session_token"},
	{"verification.critic_api_key", secretField, false, `{"verification":{"critic_api_key":@}}`, "verification.critic_api_key"},
	{"mcp env", secretEntry, false, `{"mcp_config":{"s":{"command":"uvx","env":{"K":@},"args":["a"]}}}`, "mcp_config.s.env.K"},
	{"mcp headers", secretEntry, false, `{"mcp_config":{"s":{"url":"https://x","headers":{"X-Key":@}}}}`, "mcp_config.s.headers.X-Key"},
	{"auth api_key value", secretField, true, `{"mcp_config":{"s":{"url":"https://x","auth":{"strategy":"api_key","value":@,"header_name":"X-Key"}}}}`, "mcp_config.s.auth.value"},
	{"auth bearer value", secretField, true, `{"mcp_config":{"s":{"url":"https://x","auth":{"strategy":"bearer","value":@}}}}`, "mcp_config.s.auth.value"},
	{"auth basic password", secretField, true, `{"mcp_config":{"s":{"url":"https://x","auth":{"strategy":"basic","username":"u","password":@}}}}`, "mcp_config.s.auth.password"},
	{"auth header headers", secretEntry, false, `{"mcp_config":{"s":{"url":"https://x","auth":{"strategy":"header","headers":{"Authorization":@}}}}}`, "mcp_config.s.auth.headers.Authorization"},
	{"oauth client_secret", secretField, true, `{"mcp_config":{"s":{"url":"https://x","auth":{"strategy":"oauth2","authentication":{"type":"oauth","client_id":"c","client_secret":@}}}}}`, "mcp_config.s.auth.authentication.client_secret"},
	{"oauth access_token", secretField, true, `{"mcp_config":{"s":{"url":"https://x","auth":{"strategy":"oauth2","state":{"tokens":{"access_token":@,"token_type":"Bearer"},"token_expires_at":12345.0}}}}}`, "mcp_config.s.auth.state.tokens.access_token"},
	{"oauth refresh_token", secretField, true, `{"mcp_config":{"s":{"url":"https://x","auth":{"strategy":"oauth2","state":{"tokens":{"refresh_token":@,"token_type":"Bearer"}}}}}}`, "mcp_config.s.auth.state.tokens.refresh_token"},
	{"oauth client_info client_secret", secretField, true, `{"mcp_config":{"s":{"url":"https://x","auth":{"strategy":"oauth2","state":{"client_info":{"client_id":"id","client_secret":@}}}}}}`, "mcp_config.s.auth.state.client_info.client_secret"},
	{"agent_context.secrets string", secretVerbatim, false, `{"agent_context":{"secrets":{"K":@}}}`, "agent_context.secrets.K"},
	{"StaticSecret value", secretField, false, `{"agent_context":{"secrets":{"K":{"kind":"StaticSecret","value":@}}}}`, "agent_context.secrets.K.value"},
	{"LookupSecret secret header", secretVerbatim, false, `{"agent_context":{"secrets":{"K":{"kind":"LookupSecret","url":"http://h/x","headers":{"X-Session-API-Key":@,"Accept":"text/plain"}}}}}`, "agent_context.secrets.K.headers.X-Session-API-Key"},
	{"acp llm.api_key", secretField, false, `{"agent_kind":"acp","llm":{"model":"m","api_key":@}}`, "llm.api_key"},
	{"acp agent_context.secrets", secretVerbatim, false, `{"agent_kind":"acp","agent_context":{"secrets":{"K":@}}}`, "agent_context.secrets.K"},
	{"acp mcp env", secretEntry, false, `{"agent_kind":"acp","mcp_config":{"s":{"command":"c","env":{"K":@}}}}`, "mcp_config.s.env.K"},
}

// docWith builds the location's document with v (any JSON value, or Sealed)
// in the secret position.
func (l secretLocation) docWith(t *testing.T, v any) *jsonx.Object {
	t.Helper()
	doc := obj(t, strings.Replace(l.doc, "@", `"__PLACEHOLDER__"`, 1))
	require.True(t, replaceValue(doc, "__PLACEHOLDER__", v), "placeholder in %s", l.name)
	return doc
}

func replaceValue(v any, placeholder string, with any) bool {
	switch x := v.(type) {
	case *jsonx.Object:
		for _, k := range x.Keys() {
			if s, ok := x.Value(k).(string); ok && s == placeholder {
				x.Set(k, with)
				return true
			}
			if replaceValue(x.Value(k), placeholder, with) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if replaceValue(e, placeholder, with) {
				return true
			}
		}
	}
	return false
}

// requireNoValue asserts the location holds no value: null for plain single
// fields, an omitted member for compact fields and map entries.
func (l secretLocation) requireNoValue(t *testing.T, doc *jsonx.Object) {
	t.Helper()
	got, present := get(doc, l.path)
	if l.kind == secretField && !l.compact {
		require.True(t, present, "%s must be present", l.path)
		require.Nil(t, got, "%s must be null", l.path)
		return
	}
	require.False(t, present, "%s must be absent, got %v", l.path, got)
}

func (l secretLocation) requireValue(t *testing.T, doc *jsonx.Object, want any) {
	t.Helper()
	got, present := get(doc, l.path)
	require.True(t, present, "%s must be present", l.path)
	require.Equal(t, want, got)
}

func TestSecretInputRules(t *testing.T) {
	const plain = "s3cr3t"
	tokA := encrypt(t, keyA, plain)
	tokB := encrypt(t, keyB, plain)
	tokBlank := encrypt(t, keyA, "   ")

	type outcome int
	const (
		wantPlain    outcome = iota // the plaintext
		wantNoValue                 // null / dropped
		wantLiteral                 // the input string itself
		wantSealed                  // Sealed{input}
		wantVerbatim                // verbatim locations keep the input, others no value
	)
	rules := []struct {
		name  string
		in    any
		input Input
		want  outcome
	}{
		{"plain with key", plain, Input{Cipher: keyA}, wantPlain},
		{"plain without key", plain, Input{}, wantPlain},
		{"empty", "", Input{Cipher: keyA}, wantNoValue},
		{"whitespace", " \t\n", Input{}, wantNoValue},
		{"marker", Marker, Input{Cipher: keyA}, wantNoValue},
		{"marker without key", Marker, Input{}, wantNoValue},
		{"token decrypts", tokA, Input{Cipher: keyA}, wantPlain},
		{"token decrypts from disk", tokA, Input{Cipher: keyA, FromDisk: true}, wantPlain},
		{"token of a blank value", tokBlank, Input{Cipher: keyA}, wantNoValue},
		{"token wrong key", tokB, Input{Cipher: keyA}, wantVerbatim},
		{"token wrong key from disk", tokB, Input{Cipher: keyA, FromDisk: true}, wantSealed},
		{"token without key", tokA, Input{}, wantLiteral},
		{"token without key from disk", tokA, Input{FromDisk: true}, wantLiteral},
		{"sealed kept", Sealed{Token: tokB}, Input{Cipher: keyA}, wantSealed},
		{"sealed kept without key", Sealed{Token: tokB}, Input{}, wantSealed},
	}
	for _, loc := range secretLocations {
		for _, rule := range rules {
			t.Run(loc.name+"/"+rule.name, func(t *testing.T) {
				count := 0
				in := rule.input
				in.Sealed = &count
				doc := loc.docWith(t, rule.in)
				before := doc.Clone()
				out, err := ValidateAgentSettings(doc, in)
				require.NoError(t, err)
				require.True(t, jsonx.Equal(before, doc), "input must not be modified")
				want := rule.want
				if want == wantVerbatim {
					if loc.kind == secretVerbatim {
						want = wantLiteral
					} else {
						want = wantNoValue
					}
				}
				switch want {
				case wantPlain:
					loc.requireValue(t, out, plain)
				case wantLiteral:
					loc.requireValue(t, out, rule.in)
				case wantNoValue:
					loc.requireNoValue(t, out)
				case wantSealed:
					tok := rule.in
					if s, ok := tok.(Sealed); ok {
						tok = s.Token
					} else {
						require.Equal(t, 1, count, "sealed values are counted")
					}
					loc.requireValue(t, out, Sealed{Token: tok.(string)})
				}
				if want != wantSealed {
					require.Zero(t, count)
				}
			})
		}
	}
}

func TestSecretNull(t *testing.T) {
	for _, loc := range secretLocations {
		t.Run(loc.name, func(t *testing.T) {
			out, err := ValidateAgentSettings(loc.docWith(t, nil), Input{Cipher: keyA})
			if loc.kind != secretField {
				// map values are strings; null is not a value (MCP patches
				// delete entries with null before validation)
				require.Contains(t, validationTypes(t, err), "string_type")
				return
			}
			require.NoError(t, err)
			loc.requireNoValue(t, out)
			for _, mode := range []Mode{Redacted, Encrypted, Plaintext, AtRest} {
				r, err := RenderAgentSettings(out, mode, nil)
				require.NoError(t, err, "null never needs a cipher")
				loc.requireNoValue(t, r)
			}
		})
	}
}

func TestSecretRenderModes(t *testing.T) {
	const plain = "s3cr3t"
	for _, loc := range secretLocations {
		t.Run(loc.name, func(t *testing.T) {
			internal, err := ValidateAgentSettings(loc.docWith(t, plain), Input{Cipher: keyA})
			require.NoError(t, err)
			snapshot := internal.Clone()

			r, err := RenderAgentSettings(internal, Redacted, nil)
			require.NoError(t, err)
			loc.requireValue(t, r, Marker)

			r, err = RenderAgentSettings(internal, Plaintext, nil)
			require.NoError(t, err)
			loc.requireValue(t, r, plain)

			r1, err := RenderAgentSettings(internal, Encrypted, keyA)
			require.NoError(t, err)
			r2, err := RenderAgentSettings(internal, Encrypted, keyA)
			require.NoError(t, err)
			t1, _ := get(r1, loc.path)
			t2, _ := get(r2, loc.path)
			require.True(t, cipher.LooksLikeToken(t1.(string)))
			require.Equal(t, plain, decrypt(t, keyA, t1.(string)))
			require.NotEqual(t, t1, t2, "tokens are fresh on every render")

			_, err = RenderAgentSettings(internal, Encrypted, nil)
			require.ErrorIs(t, err, ErrNoCipher)

			r, err = RenderAgentSettings(internal, AtRest, keyA)
			require.NoError(t, err)
			atRest, _ := get(r, loc.path)
			require.Equal(t, plain, decrypt(t, keyA, atRest.(string)))

			r, err = RenderAgentSettings(internal, AtRest, nil)
			require.NoError(t, err)
			loc.requireValue(t, r, plain)

			// the encrypted form round-trips through a write (server-api.md §3.5)
			back, err := ValidateAgentSettings(r1, Input{Cipher: keyA})
			require.NoError(t, err)
			loc.requireValue(t, back, plain)
			// ... and through a load from disk
			back, err = ValidateAgentSettings(r1, Input{Cipher: keyA, FromDisk: true})
			require.NoError(t, err)
			loc.requireValue(t, back, plain)
			// the redacted form erases the secret
			redacted, err := RenderAgentSettings(internal, Redacted, nil)
			require.NoError(t, err)
			back, err = ValidateAgentSettings(redacted, Input{Cipher: keyA})
			require.NoError(t, err)
			loc.requireNoValue(t, back)

			require.True(t, jsonx.Equal(snapshot, internal), "rendering must not mutate the internal document")
		})
	}
}

func TestSealedRoundTrip(t *testing.T) {
	tokB := encrypt(t, keyB, "kept-under-the-old-key")
	for _, loc := range secretLocations {
		t.Run(loc.name, func(t *testing.T) {
			count := 0
			internal, err := ValidateAgentSettings(loc.docWith(t, tokB), Input{Cipher: keyA, FromDisk: true, Sealed: &count})
			require.NoError(t, err)
			require.Equal(t, 1, count)
			loc.requireValue(t, internal, Sealed{Token: tokB})
			require.False(t, LLMAPIKeyIsSet(internal), "a sealed key is not set")
			snapshot := internal.Clone()

			for _, c := range []*cipher.Cipher{keyA, nil} {
				r, err := RenderAgentSettings(internal, AtRest, c)
				require.NoError(t, err)
				loc.requireValue(t, r, tokB) // byte for byte
			}
			for _, mode := range []Mode{Redacted, Plaintext, Encrypted} {
				for _, c := range []*cipher.Cipher{keyA, nil} {
					r, err := RenderAgentSettings(internal, mode, c)
					require.NoError(t, err, "a sealed secret is not set, so no cipher is needed")
					loc.requireNoValue(t, r)
					b, err := jsonx.Marshal(r)
					require.NoError(t, err)
					require.NotContains(t, string(b), tokB)
				}
			}
			// re-validating the internal document (after a merge) keeps it
			again, err := ValidateAgentSettings(internal, Input{Cipher: keyA})
			require.NoError(t, err)
			loc.requireValue(t, again, Sealed{Token: tokB})
			require.True(t, jsonx.Equal(snapshot, internal))

			// the file form loads back as the same sealed token
			file, err := RenderAgentSettings(internal, AtRest, keyA)
			require.NoError(t, err)
			reloaded, err := ValidateAgentSettings(file, Input{Cipher: keyA, FromDisk: true})
			require.NoError(t, err)
			loc.requireValue(t, reloaded, Sealed{Token: tokB})
			// and decrypts once the old key is back
			old, err := ValidateAgentSettings(file, Input{Cipher: keyB, FromDisk: true})
			require.NoError(t, err)
			loc.requireValue(t, old, "kept-under-the-old-key")
		})
	}
}

func TestEncryptedKeepsValidToken(t *testing.T) {
	tok := encrypt(t, keyA, "inner")
	// without a key at write time the token is stored literally ...
	internal, err := ValidateAgentSettings(obj(t, `{"llm":{"model":"m","api_key":"`+tok+`"}}`), Input{})
	require.NoError(t, err)
	require.Equal(t, tok, internal.Object("llm").Value("api_key"))
	// ... and a later encrypted render emits it unchanged (no double encryption)
	for _, mode := range []Mode{Encrypted, AtRest} {
		r, err := RenderAgentSettings(internal, mode, keyA)
		require.NoError(t, err)
		require.Equal(t, tok, r.Object("llm").Value("api_key"))
	}
	// a token under another key is encrypted again
	r, err := RenderAgentSettings(internal, Encrypted, keyB)
	require.NoError(t, err)
	require.NotEqual(t, tok, r.Object("llm").Value("api_key"))
	require.Equal(t, tok, decrypt(t, keyB, r.Object("llm").Value("api_key").(string)))
}

func TestNoCipher(t *testing.T) {
	cases := []struct {
		name string
		doc  *jsonx.Object
		err  bool
	}{
		{"default openhands", DefaultAgentSettings(), false},
		{"default acp", DefaultACPAgentSettings(), false},
		{"only non-secret values", obj(t, `{"llm":{"model":"m","base_url":"http://x"},"mcp_config":{"s":{"command":"c","args":["a"]}}}`), false},
		{"lookup secret without secret headers", obj(t, `{"agent_context":{"secrets":{"K":{"kind":"LookupSecret","url":"http://h","headers":{"Accept":"x"}}}}}`), false},
		{"api key set", obj(t, `{"llm":{"model":"m","api_key":"k"}}`), true},
		{"mcp env set", obj(t, `{"mcp_config":{"s":{"command":"c","env":{"A":"b"}}}}`), true},
		{"context secret set", obj(t, `{"agent_context":{"secrets":{"A":"b"}}}`), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			internal, err := ValidateAgentSettings(tc.doc, Input{})
			require.NoError(t, err)
			_, err = RenderAgentSettings(internal, Encrypted, nil)
			if tc.err {
				require.ErrorIs(t, err, ErrNoCipher)
			} else {
				require.NoError(t, err)
			}
			s := &Settings{Agent: internal, Conversation: DefaultConversationSettings(), Misc: jsonx.NewObject()}
			_, err = s.Response(Encrypted, nil)
			require.Equal(t, tc.err, errors.Is(err, ErrNoCipher))
			for _, mode := range []Mode{Redacted, Plaintext, AtRest} {
				_, err := RenderAgentSettings(internal, mode, nil)
				require.NoError(t, err)
			}
		})
	}
}

func TestLookupSecretPlainHeaders(t *testing.T) {
	doc := obj(t, `{"agent_context":{"secrets":{"K":{"kind":"LookupSecret","url":"http://h/x","headers":{"Accept":"","Author":"a@example.com","Authorization":"Bearer t"}}}}}`)
	out, err := ValidateAgentSettings(doc, Input{Cipher: keyA})
	require.NoError(t, err)
	h, _ := get(out, "agent_context.secrets.K.headers")
	// non-secret headers are plain strings: blank values are kept
	requireJSON(t, `{"Accept":"","Author":"a@example.com","Authorization":"Bearer t"}`, h)
	r, err := RenderAgentSettings(out, Redacted, nil)
	require.NoError(t, err)
	h, _ = get(r, "agent_context.secrets.K.headers")
	requireJSON(t, `{"Accept":"","Author":"a@example.com","Authorization":"**********"}`, h)
}

// TestValidationErrorsNeverLeakSecrets feeds secrets into documents that fail
// validation and checks every textual form of the error.
func TestValidationErrorsNeverLeakSecrets(t *testing.T) {
	const secret = "SUPERSECRETVALUE"
	docs := []string{
		`{"mcp_config":{"s":{"transport":"stdio","env":{"K":"SUPERSECRETVALUE"},"auth":{"strategy":"bearer","value":"SUPERSECRETVALUE"}}}}`,
		`{"mcp_config":{"s":{"url":"https://x","headers":{"Authorization":"SUPERSECRETVALUE"},"auth":{"strategy":"bearer","value":"SUPERSECRETVALUE"}}}}`,
		`{"mcp_config":{"s":{"command":"c","password":"SUPERSECRETVALUE"}}}`,
		`{"mcp_config":{"s":{"command":"c","auth":{"strategy":"basic","password":"SUPERSECRETVALUE"}}}}`,
		`{"mcp_config":{"s":{"command":"c","auth":{"strategy":"oauth2","authentication":{"client_secret":"SUPERSECRETVALUE"}}}}}`,
		`{"mcp_config":{"s":{"command":"c","auth":{"strategy":"SUPERSECRETVALUE"}}}}`,
		`{"llm":{"api_key":"SUPERSECRETVALUE"}}`,
		`{"llm":{"model":"m","api_key":"SUPERSECRETVALUE","top_p":5}}`,
		`{"agent_context":{"secrets":{"K":{"kind":"LookupSecret","headers":{"Authorization":"SUPERSECRETVALUE"}}}}}`,
		`{"agent_kind":"SUPERSECRETVALUE"}`,
		`{"mcp_config":{"s":{"command":"c","env":{"K":["SUPERSECRETVALUE"]}}}}`,
		`{"mcp_config":{"s":"SUPERSECRETVALUE"}}`,
		`{"agent_context":{"secrets":{"K":["SUPERSECRETVALUE"]}}}`,
		`{"llm":{"model":"m","api_key":{"v":"SUPERSECRETVALUE"}}}`,
		`{"verification":{"critic_api_key":"SUPERSECRETVALUE","critic_mode":"SUPERSECRETVALUE"}}`,
	}
	for _, d := range docs {
		t.Run(d, func(t *testing.T) {
			_, err := ValidateAgentSettings(obj(t, d), Input{})
			require.Error(t, err)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			for _, text := range []string{
				err.Error(), fmt.Sprint(err), fmt.Sprintf("%v %+v %#v %s %q", err, err, err, err, err),
				fmt.Sprintf("%v %+v %#v", ve.Items, ve.Items, ve.Items),
			} {
				require.NotContains(t, text, secret)
			}
			for _, it := range ve.Items {
				require.NotContains(t, it.Msg, secret)
				if it.Type != "literal_error" { // a literal error echoes a non-secret enum input
					b, _ := jsonx.Marshal(it.Input)
					require.NotContains(t, string(b), secret, "item %s input", it.Type)
				}
			}
		})
	}
}

func TestSealedNeverPrints(t *testing.T) {
	s := Sealed{Token: "gAAAAA-the-token"}
	for _, text := range []string{fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q", s, s, s, s, s)} {
		require.NotContains(t, text, "the-token")
	}
	b, err := jsonx.Marshal(jsonx.Obj("k", s))
	require.NoError(t, err)
	require.Equal(t, `{"k":null}`, string(b))
}
