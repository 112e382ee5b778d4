package server

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const badSecretName = "Invalid secret name format. Must start with a letter, contain only letters, numbers, and underscores, and be 1-64 characters long."

func TestSecretsCRUD(t *testing.T) {
	h := newHarness(t)
	require.Equal(t, map[string]any{"secrets": []any{}}, h.ok(200, "GET", "/api/settings/secrets", ""))

	m := h.ok(200, "PUT", "/api/settings/secrets", `{"name": "GITHUB_TOKEN", "value": "ghp-value", "description": "GitHub PAT"}`)
	require.Equal(t, map[string]any{"name": "GITHUB_TOKEN", "description": "GitHub PAT"}, m)
	m = h.ok(200, "PUT", "/api/settings/secrets", `{"name": "OPENAI_API_KEY", "value": "sk-openai"}`)
	require.Equal(t, map[string]any{"name": "OPENAI_API_KEY", "description": nil}, m)
	h.ok(200, "PUT", "/api/settings/secrets", `{"name": "Z_LAST", "value": "z", "description": null}`)

	// Upsert keeps the position and replaces the description (omitted → null).
	h.ok(200, "PUT", "/api/settings/secrets", `{"name": "GITHUB_TOKEN", "value": "ghp-new"}`)
	require.Equal(t, map[string]any{"secrets": []any{
		map[string]any{"name": "GITHUB_TOKEN", "description": nil},
		map[string]any{"name": "OPENAI_API_KEY", "description": nil},
		map[string]any{"name": "Z_LAST", "description": nil},
	}}, h.ok(200, "GET", "/api/settings/secrets", ""))

	r := h.do("GET", "/api/settings/secrets/GITHUB_TOKEN", "")
	require.Equal(t, 200, r.Status)
	require.Equal(t, "text/plain; charset=utf-8", r.Header.Get("Content-Type"))
	require.Equal(t, "ghp-new", string(r.Body))
	// The exposure header has no effect here.
	r = h.do("GET", "/api/settings/secrets/GITHUB_TOKEN", "", "X-Expose-Secrets", "bogus")
	require.Equal(t, "ghp-new", string(r.Body))

	require.Equal(t, map[string]any{"deleted": true}, h.ok(200, "DELETE", "/api/settings/secrets/GITHUB_TOKEN", ""))
	h.do("GET", "/api/settings/secrets/GITHUB_TOKEN", "").requireDetail(t, 404, "Secret not found")
	h.do("DELETE", "/api/settings/secrets/GITHUB_TOKEN", "").requireDetail(t, 404, "Secret not found")
	h.do("GET", "/api/settings/secrets/NEVER", "").requireDetail(t, 404, "Secret not found")

	// Values are encrypted at rest.
	require.NotContains(t, h.file("secrets.json"), "sk-openai")
}

func TestSecretValueBytes(t *testing.T) {
	h := newHarness(t)
	values := []string{
		"héllo wörld ✓ 🔑",
		"line1\nline2\n",
		`quote " and \ backslash`,
		"  padded  ",
		strings.Repeat("x", 10000),
		"gAAAAA-not-a-real-token",
	}
	for i, v := range values {
		name := "V" + string(rune('A'+i))
		h.ok(200, "PUT", "/api/settings/secrets", `{"name": "`+name+`", "value": `+mustJSON(t, v)+`}`)
		r := h.do("GET", "/api/settings/secrets/"+name, "")
		require.Equal(t, 200, r.Status)
		require.Equal(t, "text/plain; charset=utf-8", r.Header.Get("Content-Type"))
		require.Equal(t, []byte(v), r.Body, "value %d", i)
	}
}

func TestSecretNoValue(t *testing.T) {
	h := newHarness(t)
	for _, v := range []string{"", "   ", "**********"} {
		h.ok(200, "PUT", "/api/settings/secrets", `{"name": "EMPTY", "value": `+mustJSON(t, v)+`}`)
		require.Equal(t, map[string]any{"secrets": []any{map[string]any{"name": "EMPTY", "description": nil}}}, h.ok(200, "GET", "/api/settings/secrets", ""))
		h.do("GET", "/api/settings/secrets/EMPTY", "").requireDetail(t, 404, "Secret not found")
	}
}

func TestSecretTokenRoundTrip(t *testing.T) {
	h := newHarness(t)
	tok, err := h.cipher.Encrypt("restored-value")
	require.NoError(t, err)
	h.ok(200, "PUT", "/api/settings/secrets", `{"name": "TOK", "value": "`+tok+`"}`)
	require.Equal(t, "restored-value", string(h.do("GET", "/api/settings/secrets/TOK", "").Body))
}

func TestSecretNameRule(t *testing.T) {
	h := newHarness(t)
	valid := "A" + strings.Repeat("b_9", 21) // 64 characters
	require.Len(t, valid, 64)
	h.ok(200, "PUT", "/api/settings/secrets", `{"name": "`+valid+`", "value": "v"}`)
	require.Equal(t, "v", string(h.do("GET", "/api/settings/secrets/"+valid, "").Body))

	for _, name := range []string{"1abc", "_abc", "a-b", "a.b", "a b", "ABC\n", "é", valid + "x", "ab$"} {
		esc := url.PathEscape(name)
		h.do("GET", "/api/settings/secrets/"+esc, "").requireDetail(t, 422, badSecretName)
		h.do("DELETE", "/api/settings/secrets/"+esc, "").requireDetail(t, 422, badSecretName)
		h.do("PUT", "/api/settings/secrets", `{"name": `+mustJSON(t, name)+`, "value": "v"}`).requireDetail(t, 422, badSecretName)
	}
	h.do("PUT", "/api/settings/secrets", `{"name": "", "value": "v"}`).requireDetail(t, 422, badSecretName)
}

func TestPutSecretBodyValidation(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		body string
		typ  string
		loc  []any
	}{
		{`{"value": "v"}`, "missing", []any{"body", "name"}},
		{`{"name": "A"}`, "missing", []any{"body", "value"}},
		{`{"name": 5, "value": "v"}`, "string_type", []any{"body", "name"}},
		{`{"name": "A", "value": 5}`, "string_type", []any{"body", "value"}},
		{`{"name": "A", "value": null}`, "string_type", []any{"body", "value"}},
		{`{"name": "A", "value": "v", "description": 5}`, "string_type", []any{"body", "description"}},
		{`["A"]`, "model_attributes_type", []any{"body"}},
		{``, "missing", []any{"body"}},
	}
	for _, tc := range tests {
		t.Run(tc.body, func(t *testing.T) {
			items := h.do("PUT", "/api/settings/secrets", tc.body).requireItems(t)
			require.Equal(t, tc.typ, items[0]["type"])
			require.Equal(t, tc.loc, items[0]["loc"])
		})
	}
	// Body validation comes before the name rule.
	items := h.do("PUT", "/api/settings/secrets", `{"name": "1bad"}`).requireItems(t)
	require.Equal(t, []any{"body", "value"}, items[0]["loc"])
}

func TestSecretsFileProblems(t *testing.T) {
	t.Run("corrupt file", func(t *testing.T) {
		h := newHarness(t)
		for _, bad := range []string{"{not json", `{"custom_secrets": {"1bad": {"secret": "x"}}}`} {
			h.putFile("secrets.json", bad)
			require.Equal(t, map[string]any{"secrets": []any{}}, h.ok(200, "GET", "/api/settings/secrets", ""))
			h.do("GET", "/api/settings/secrets/ANY", "").requireDetail(t, 404, "Secret not found")
			h.do("PUT", "/api/settings/secrets", `{"name": "A", "value": "v"}`).requireEnvelope(t, 500, "Secrets file is corrupted or encrypted with a different key")
			h.do("DELETE", "/api/settings/secrets/ANY", "").requireEnvelope(t, 500, "Secrets file is corrupted or encrypted with a different key")
			require.Equal(t, bad, h.file("secrets.json"))
		}
	})
	t.Run("write failure", func(t *testing.T) {
		fs := newFaultStore()
		h := newHarness(t, withStore(fs))
		fs.set(fs.failWrite, "secrets.json", true)
		h.do("PUT", "/api/settings/secrets", `{"name": "A", "value": "v"}`).requireEnvelope(t, 500, "Failed to save secret")
	})
}
