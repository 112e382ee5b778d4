package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/openhands-go/sdk/internal/store"
	"github.com/stretchr/testify/require"
)

func TestProfileSaveGetList(t *testing.T) {
	h := newHarness(t)
	require.Equal(t, map[string]any{"profiles": []any{}, "active_profile": nil}, h.ok(200, "GET", "/api/profiles", ""))

	m := h.ok(201, "POST", "/api/profiles/fast", `{"llm": {"model": "openai/gpt-4o", "api_key": "sk-fast", "base_url": "https://litellm.example.com", "aws_access_key_id": "AKIA-x"}}`)
	require.Equal(t, map[string]any{"name": "fast", "message": "Profile 'fast' saved"}, m)
	f := h.file("profiles/fast.json")
	require.NotContains(t, f, "sk-fast")
	require.Contains(t, f, `"schema_version"`)

	red := h.ok(200, "GET", "/api/profiles/fast", "")
	require.Equal(t, "fast", red["name"])
	require.Equal(t, true, red["api_key_set"])
	require.Nil(t, at(red, "config", "api_key"))
	require.True(t, has(red, "api_key", "config"))
	require.Equal(t, "**********", at(red, "config", "aws_access_key_id"))
	require.Nil(t, at(red, "config", "aws_secret_access_key"))
	require.Equal(t, "openai/gpt-4o", at(red, "config", "model"))
	require.Equal(t, "default", at(red, "config", "usage_id"))
	require.Equal(t, false, at(red, "config", "is_subscription"))
	require.False(t, has(red, "schema_version", "config"))

	plain := h.ok(200, "GET", "/api/profiles/fast", "", "X-Expose-Secrets", "plaintext")
	require.Equal(t, "sk-fast", at(plain, "config", "api_key"))
	require.Equal(t, "AKIA-x", at(plain, "config", "aws_access_key_id"))

	for _, mode := range []string{"encrypted", "true"} {
		enc := h.ok(200, "GET", "/api/profiles/fast", "", "X-Expose-Secrets", mode)
		tok := at(enc, "config", "api_key").(string)
		got, err := h.cipher.Decrypt(tok)
		require.NoError(t, err)
		require.Equal(t, "sk-fast", got)
	}
	h.do("GET", "/api/profiles/fast", "", "X-Expose-Secrets", "false").requireDetail(t, 400,
		"Invalid X-Expose-Secrets header value: 'false'. Valid values are: 'encrypted', 'plaintext'.")
	h.do("GET", "/api/profiles/missing", "").requireDetail(t, 404, "Profile 'missing' not found")

	h.ok(201, "POST", "/api/profiles/a-first", `{"llm": {"model": "m1"}, "include_secrets": true}`)
	// Overwrite.
	h.ok(201, "POST", "/api/profiles/fast", `{"llm": {"model": "openai/gpt-4o", "api_key": "sk-fast2", "base_url": "https://litellm.example.com"}}`)
	list := h.ok(200, "GET", "/api/profiles", "")
	require.Equal(t, map[string]any{"profiles": []any{
		map[string]any{"name": "a-first", "model": "m1", "base_url": nil, "provider_connection_id": nil, "provider_connection_broken": false, "api_key_set": false},
		map[string]any{"name": "fast", "model": "openai/gpt-4o", "base_url": "https://litellm.example.com", "provider_connection_id": nil, "provider_connection_broken": false, "api_key_set": true},
	}, "active_profile": nil}, list)
}

func TestProfileListSkipsBadFiles(t *testing.T) {
	h := newHarness(t)
	h.ok(201, "POST", "/api/profiles/good", `{"llm": {"model": "m"}}`)
	h.putFile("profiles/broken.json", "{nope")
	h.putFile("profiles/list.json", "[1, 2]")
	h.putFile("profiles/-invalid.json", `{"model": "x"}`)
	h.putFile("profiles/notes.txt", `{"model": "x"}`)
	h.putFile("profiles/raw.json", `{"model": "raw-model", "api_key": "**********"}`)
	list := h.ok(200, "GET", "/api/profiles", "")
	var names []string
	for _, p := range list["profiles"].([]any) {
		names = append(names, at(p, "name").(string))
	}
	require.Equal(t, []string{"good", "raw"}, names)
	require.Equal(t, false, at(list["profiles"].([]any)[1], "api_key_set"))

	r := h.do("GET", "/api/profiles/broken", "")
	require.Equal(t, 400, r.Status)
	require.True(t, strings.HasPrefix(r.JSON(t)["detail"].(string), "Failed to load profile `broken`: "), "%s", r.Body)
	h.do("POST", "/api/profiles/broken/activate", "").requireDetail(t, 400, r.JSON(t)["detail"].(string))
}

func TestProfileNameValidation(t *testing.T) {
	h := newHarness(t)
	long := strings.Repeat("a", 65)
	cases := []struct {
		name string
		typ  string
	}{
		{"-lead", "string_pattern_mismatch"},
		{".hidden", "string_pattern_mismatch"},
		{"sp%20ace", "string_pattern_mismatch"},
		{"sl%2Fash", "string_pattern_mismatch"},
		{long, "string_too_long"},
	}
	for _, c := range cases {
		for _, req := range []struct{ method, suffix, body string }{
			{"GET", "", ""},
			{"POST", "", `{"llm": {"model": "m"}}`},
			{"DELETE", "", ""},
			{"POST", "/rename", `{"new_name": "ok"}`},
			{"POST", "/activate", ""},
			{"POST", "/validate", `{"llm": {"model": "m"}}`},
		} {
			items := h.do(req.method, "/api/profiles/"+c.name+req.suffix, req.body).requireItems(t)
			require.Equal(t, c.typ, items[0]["type"], "%s %s", req.method, c.name)
			require.Equal(t, []any{"path", "name"}, items[0]["loc"])
		}
	}
	// Path and body errors are reported together.
	items := h.do("POST", "/api/profiles/-x", `{}`).requireItems(t)
	require.Len(t, items, 2)
	require.Equal(t, []any{"path", "name"}, items[0]["loc"])
	require.Equal(t, []any{"body", "llm"}, items[1]["loc"])
	// 64 characters is fine.
	h.ok(201, "POST", "/api/profiles/"+long[:64], `{"llm": {"model": "m"}}`)
}

func TestProfileSaveValidation(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		body string
		typ  string
		loc  []any
	}{
		{`{}`, "missing", []any{"body", "llm"}},
		{`{"llm": 5}`, "model_attributes_type", []any{"body", "llm"}},
		{`{"llm": {"model": "m"}, "include_secrets": "maybe"}`, "bool_parsing", []any{"body", "include_secrets"}},
		{`{"llm": {"model": "m"}, "include_secrets": [1]}`, "bool_type", []any{"body", "include_secrets"}},
		{`[]`, "model_attributes_type", []any{"body"}},
		{``, "missing", []any{"body"}},
	}
	for _, tc := range tests {
		t.Run(tc.body, func(t *testing.T) {
			items := h.do("POST", "/api/profiles/p", tc.body).requireItems(t)
			require.Equal(t, tc.typ, items[0]["type"])
			require.Equal(t, tc.loc, items[0]["loc"])
		})
	}
	for _, body := range []string{`{"llm": {}}`, `{"llm": {"model": ""}}`, `{"llm": {"model": "m", "num_retries": -1}}`} {
		items := h.do("POST", "/api/profiles/p", body).requireItems(t)
		loc := items[0]["loc"].([]any)
		require.Equal(t, []any{"body", "llm"}, loc[:2], body)
	}
	require.Empty(t, h.file("profiles/p.json"))
}

func TestProfileSaveSecrets(t *testing.T) {
	h := newHarness(t)
	h.ok(201, "POST", "/api/profiles/nokey", `{"llm": {"model": "m", "api_key": "sk-hidden"}, "include_secrets": false}`)
	require.NotContains(t, h.file("profiles/nokey.json"), "sk-hidden")
	m := h.ok(200, "GET", "/api/profiles/nokey", "", "X-Expose-Secrets", "plaintext")
	require.Nil(t, at(m, "config", "api_key"))
	require.Equal(t, false, m["api_key_set"])

	// A token from encrypted mode is decrypted before storing.
	h.ok(201, "POST", "/api/profiles/src", `{"llm": {"model": "m", "api_key": "sk-src"}}`)
	tok := at(h.ok(200, "GET", "/api/profiles/src", "", "X-Expose-Secrets", "encrypted"), "config", "api_key").(string)
	h.ok(201, "POST", "/api/profiles/copy", `{"llm": {"model": "m", "api_key": "`+tok+`"}}`)
	require.Equal(t, "sk-src", at(h.ok(200, "GET", "/api/profiles/copy", "", "X-Expose-Secrets", "plaintext"), "config", "api_key"))

	// include_secrets accepts pydantic's lax booleans.
	h.ok(201, "POST", "/api/profiles/lax", `{"llm": {"model": "m", "api_key": "sk-lax"}, "include_secrets": "yes"}`)
	require.Equal(t, "sk-lax", at(h.ok(200, "GET", "/api/profiles/lax", "", "X-Expose-Secrets", "plaintext"), "config", "api_key"))

	// Provider connection: api_key and base_url are cleared.
	h.ok(201, "POST", "/api/profiles/linked", `{"llm": {"model": "m", "api_key": "sk-linked", "base_url": "https://b", "provider_connection_id": "conn-9"}}`)
	m = h.ok(200, "GET", "/api/profiles/linked", "", "X-Expose-Secrets", "plaintext")
	require.Nil(t, at(m, "config", "api_key"))
	require.Nil(t, at(m, "config", "base_url"))
	require.Equal(t, "conn-9", at(m, "config", "provider_connection_id"))
	require.NotContains(t, h.file("profiles/linked.json"), "sk-linked")
	for _, p := range h.ok(200, "GET", "/api/profiles", "")["profiles"].([]any) {
		if at(p, "name") == "linked" {
			require.Equal(t, true, at(p, "provider_connection_broken"))
			require.Equal(t, "conn-9", at(p, "provider_connection_id"))
		}
	}
	h.do("POST", "/api/profiles/linked/activate", "").requireDetail(t, 422,
		"Profile 'linked' references provider connection 'conn-9', which does not exist. Update the profile or recreate the connection.")
}

func TestProfileEncryptedWithoutKey(t *testing.T) {
	h := newHarness(t, withNoSecretKey())
	h.ok(201, "POST", "/api/profiles/nul", `{"llm": {"model": "m"}}`)
	m := h.ok(200, "GET", "/api/profiles/nul", "", "X-Expose-Secrets", "encrypted")
	require.Nil(t, at(m, "config", "api_key"))
	h.ok(201, "POST", "/api/profiles/k", `{"llm": {"model": "m", "api_key": "sk-k"}}`)
	h.do("GET", "/api/profiles/k", "", "X-Expose-Secrets", "encrypted").requireEnvelope(t, 503, noCipherDetail)
	require.Equal(t, "sk-k", at(h.ok(200, "GET", "/api/profiles/k", "", "X-Expose-Secrets", "plaintext"), "config", "api_key"))
}

func TestProfileLimit(t *testing.T) {
	h := newHarness(t)
	// Files with invalid names do not count.
	h.putFile("profiles/-stray.json", `{"model": "x"}`)
	h.putFile("profiles/.hidden.json", `{"model": "x"}`)
	for i := 0; i < 50; i++ {
		h.ok(201, "POST", fmt.Sprintf("/api/profiles/p%02d", i), `{"llm": {"model": "m"}}`)
	}
	h.do("POST", "/api/profiles/one-too-many", `{"llm": {"model": "m"}}`).requireDetail(t, 409,
		"Profile limit reached (50). Delete a profile before saving a new one.")
	require.Empty(t, h.file("profiles/one-too-many.json"))
	h.ok(201, "POST", "/api/profiles/p07", `{"llm": {"model": "overwrite"}}`)
	h.ok(200, "DELETE", "/api/profiles/p07", "")
	h.ok(201, "POST", "/api/profiles/one-too-many", `{"llm": {"model": "m"}}`)
}

func TestProfileDeleteRenameActivate(t *testing.T) {
	h := newHarness(t)
	h.ok(201, "POST", "/api/profiles/alpha", `{"llm": {"model": "alpha-model", "api_key": "sk-alpha"}}`)
	h.ok(201, "POST", "/api/profiles/beta", `{"llm": {"model": "beta-model"}}`)
	h.patch(`{"agent_settings_diff": {"llm": {"model": "old", "temperature": 0.7, "base_url": "https://old"}}}`)

	t.Run("activate replaces the LLM as a whole", func(t *testing.T) {
		m := h.ok(200, "POST", "/api/profiles/alpha/activate", "")
		require.Equal(t, map[string]any{"name": "alpha", "message": "Profile 'alpha' activated and applied to current settings", "llm_applied": true}, m)
		s := h.settings("plaintext")
		require.Equal(t, "alpha", s["active_profile"])
		require.Equal(t, "alpha-model", at(s, "agent_settings", "llm", "model"))
		require.Equal(t, "sk-alpha", at(s, "agent_settings", "llm", "api_key"))
		require.Nil(t, at(s, "agent_settings", "llm", "temperature"))
		require.Nil(t, at(s, "agent_settings", "llm", "base_url"))
		require.Equal(t, "alpha", h.ok(200, "GET", "/api/profiles", "")["active_profile"])
		h.do("POST", "/api/profiles/ghost/activate", "").requireDetail(t, 404, "Profile 'ghost' not found")
	})
	t.Run("rename", func(t *testing.T) {
		h.do("POST", "/api/profiles/ghost/rename", `{"new_name": "x"}`).requireDetail(t, 404, "Profile 'ghost' not found")
		h.do("POST", "/api/profiles/ghost/rename", `{"new_name": "ghost"}`).requireDetail(t, 404, "Profile 'ghost' not found")
		h.do("POST", "/api/profiles/alpha/rename", `{"new_name": "beta"}`).requireDetail(t, 409, "Profile 'beta' already exists")
		require.Equal(t, map[string]any{"name": "alpha", "message": "Profile 'alpha' unchanged (same name)"},
			h.ok(200, "POST", "/api/profiles/alpha/rename", `{"new_name": "alpha"}`))
		require.Equal(t, map[string]any{"name": "gamma", "message": "Profile 'alpha' renamed to 'gamma'"},
			h.ok(200, "POST", "/api/profiles/alpha/rename", `{"new_name": "gamma"}`))
		require.Equal(t, "gamma", h.settings("")["active_profile"], "pointer follows the rename")
		h.do("GET", "/api/profiles/alpha", "").requireDetail(t, 404, "Profile 'alpha' not found")
		require.Equal(t, "sk-alpha", at(h.ok(200, "GET", "/api/profiles/gamma", "", "X-Expose-Secrets", "plaintext"), "config", "api_key"))
		// Renaming another profile leaves the pointer alone.
		h.ok(200, "POST", "/api/profiles/beta/rename", `{"new_name": "beta2"}`)
		require.Equal(t, "gamma", h.settings("")["active_profile"])
		for _, body := range []string{`{}`, `{"new_name": ""}`, `{"new_name": "-x"}`, `{"new_name": 5}`, `{"new_name": "` + strings.Repeat("n", 65) + `"}`} {
			items := h.do("POST", "/api/profiles/gamma/rename", body).requireItems(t)
			require.Equal(t, []any{"body", "new_name"}, items[0]["loc"], body)
		}
		items := h.do("POST", "/api/profiles/gamma/rename", `{"new_name": ""}`).requireItems(t)
		require.Equal(t, "string_too_short", items[0]["type"])
		require.Equal(t, "String should have at least 1 character", items[0]["msg"])
	})
	t.Run("delete is idempotent and clears the pointer", func(t *testing.T) {
		want := map[string]any{"name": "gamma", "message": "Profile 'gamma' deleted"}
		require.Equal(t, want, h.ok(200, "DELETE", "/api/profiles/gamma", ""))
		s := h.settings("")
		require.Nil(t, s["active_profile"])
		require.Equal(t, "alpha-model", at(s, "agent_settings", "llm", "model"), "the LLM stays")
		require.Equal(t, want, h.ok(200, "DELETE", "/api/profiles/gamma", ""))
		h.patch(`{"active_profile": "keep", "agent_settings_diff": {"llm": {"model": "x"}}}`)
		h.ok(200, "DELETE", "/api/profiles/beta2", "")
		require.Equal(t, "keep", h.settings("")["active_profile"])
	})
	t.Run("validate", func(t *testing.T) {
		require.Equal(t, map[string]any{"valid": true, "error": nil},
			h.ok(200, "POST", "/api/profiles/anything/validate", `{"llm": {"model": "m", "api_key": "sk"}}`))
		items := h.do("POST", "/api/profiles/anything/validate", `{"llm": {"model": ""}}`).requireItems(t)
		require.Equal(t, []any{"body", "llm"}, items[0]["loc"].([]any)[:2])
	})
}

func TestProfileActivateSettingsProblems(t *testing.T) {
	fs := newFaultStore()
	h := newHarness(t, withStore(fs))
	h.ok(201, "POST", "/api/profiles/p", `{"llm": {"model": "m"}}`)
	h.putFile("settings.json", `{"agent_settings": `)
	h.do("POST", "/api/profiles/p/activate", "").requireDetail(t, 409, "Settings file is corrupted or encrypted with a different key")
	require.Equal(t, `{"agent_settings": `, h.file("settings.json"))
	// Delete with an unreadable settings file leaves it alone.
	h.ok(201, "POST", "/api/profiles/q", `{"llm": {"model": "m"}}`)
	h.ok(200, "DELETE", "/api/profiles/q", "")
	require.Equal(t, `{"agent_settings": `, h.file("settings.json"))

	h.putFile("settings.json", `{}`)
	fs.set(fs.failWrite, "settings.json", true)
	h.do("POST", "/api/profiles/p/activate", "").requireEnvelope(t, 500, "Failed to activate profile")
}

func TestProfileStoreBusy(t *testing.T) {
	fs := newFaultStore()
	h := newHarness(t, withStore(fs))
	h.ok(201, "POST", "/api/profiles/p", `{"llm": {"model": "m"}}`)
	fs.set(fs.busy, store.ProfilesLock, true)
	for _, req := range []struct{ method, path, body string }{
		{"GET", "/api/profiles", ""},
		{"GET", "/api/profiles/p", ""},
		{"POST", "/api/profiles/p", `{"llm": {"model": "m"}}`},
		{"DELETE", "/api/profiles/p", ""},
		{"POST", "/api/profiles/p/rename", `{"new_name": "q"}`},
		{"POST", "/api/profiles/p/activate", ""},
	} {
		h.do(req.method, req.path, req.body).requireEnvelope(t, 503, "Profile store is busy. Please retry.")
	}
}

func TestProfileJSONSuffixName(t *testing.T) {
	h := newHarness(t)
	// Like upstream, a ".json" suffix names the same profile.
	h.ok(201, "POST", "/api/profiles/same.json", `{"llm": {"model": "suffix"}}`)
	require.NotEmpty(t, h.file("profiles/same.json"))
	require.Equal(t, "suffix", at(h.ok(200, "GET", "/api/profiles/same", ""), "config", "model"))
}

func TestProfileWhitespaceKeyNotSet(t *testing.T) {
	h := newHarness(t)
	h.putFile("profiles/ws.json", `{"model": "gpt-4o", "api_key": "   "}`)
	for _, p := range h.ok(200, "GET", "/api/profiles", "")["profiles"].([]any) {
		require.Equal(t, false, at(p, "api_key_set"))
	}
	require.Equal(t, false, h.ok(200, "GET", "/api/profiles/ws", "")["api_key_set"])
	// An unknown profile with a bad header: the header is checked first.
	h.do("GET", "/api/profiles/any", "", "X-Expose-Secrets", "invalid-value").requireDetail(t, 400,
		"Invalid X-Expose-Secrets header value: 'invalid-value'. Valid values are: 'encrypted', 'plaintext'.")
	require.Equal(t, 422, h.do("POST", "/api/profiles/valid-name/rename", `{"new_name": "../etc/passwd"}`).Status)
	for _, name := range []string{"_leading_under", "name@symbol", "name$dollar"} {
		require.Equal(t, 422, h.do("POST", "/api/profiles/"+name, `{"llm": {"model": "gpt-4o"}}`).Status, name)
	}
}
