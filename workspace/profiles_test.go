package workspace

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/llm"
)

func TestProfiles(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/api/profiles", jsonResp(200, `{"profiles":[{"name":"fast","model":"openai/gpt-4o","base_url":null,"provider_connection_id":null,"provider_connection_broken":false,"api_key_set":true}],"active_profile":"fast"}`))
	f.on("GET", "/api/profiles/my%20fast", jsonResp(200, `{"name":"my fast","config":{"model":"openai/gpt-4o","api_key":null,"aws_secret_access_key":"**********","usage_id":"default"},"api_key_set":true}`))
	f.on("POST", "/api/profiles/fast", jsonResp(201, `{"name":"fast","message":"Profile 'fast' saved"}`))
	f.on("DELETE", "/api/profiles/fast", jsonResp(200, `{"name":"fast","message":"Profile 'fast' deleted"}`))
	f.on("POST", "/api/profiles/fast/rename", jsonResp(200, `{"name":"faster","message":"Profile 'fast' renamed to 'faster'"}`))
	f.on("POST", "/api/profiles/fast/activate", jsonResp(200, `{"name":"fast","message":"Profile 'fast' activated and applied to current settings","llm_applied":true}`))
	f.on("POST", "/api/profiles/fast/validate", jsonResp(200, `{"valid":false,"error":{"type":"AuthenticationError","message":"bad key"}}`))
	w, _ := newTestWS(t, f)
	ctx := context.Background()

	list, err := w.ListProfiles(ctx)
	require.NoError(t, err)
	require.Equal(t, "fast", *list.ActiveProfile)
	require.Equal(t, []ProfileInfo{{Name: "fast", Model: strp("openai/gpt-4o"), APIKeySet: true}}, list.Profiles)

	p, err := w.GetProfile(ctx, "my fast", Redacted)
	require.NoError(t, err)
	require.Equal(t, "my fast", p.Name)
	require.True(t, p.APIKeySet)
	require.Equal(t, "openai/gpt-4o", p.Config.Model)
	require.False(t, p.Config.APIKey.IsSet())

	l := llm.Default()
	l.Model = "openai/gpt-4o"
	l.APIKey = "sk-save-me"
	m, err := w.SaveProfile(ctx, "fast", l, false)
	require.NoError(t, err)
	require.Equal(t, &ProfileMutation{Name: "fast", Message: "Profile 'fast' saved"}, m)

	m, err = w.DeleteProfile(ctx, "fast")
	require.NoError(t, err)
	require.Equal(t, "fast", m.Name)

	m, err = w.RenameProfile(ctx, "fast", "faster")
	require.NoError(t, err)
	require.Equal(t, "faster", m.Name)

	a, err := w.ActivateProfile(ctx, "fast")
	require.NoError(t, err)
	require.True(t, a.LLMApplied)

	v, err := w.ValidateProfile(ctx, "fast", l)
	require.NoError(t, err)
	require.False(t, v.Valid)
	require.Equal(t, &ProfileValidationError{Type: "AuthenticationError", Message: "bad key"}, v.Error)

	reqs := f.requests()
	require.Len(t, reqs, 7)
	wantHeaders := map[string]string{"X-Session-Api-Key": testKey}
	for _, r := range reqs {
		require.Equal(t, wantHeaders, apiHeaders(r.Header), "%s %s", r.Method, r.Path)
	}
	var save struct {
		LLM            map[string]any `json:"llm"`
		IncludeSecrets *bool          `json:"include_secrets"`
	}
	require.NoError(t, json.Unmarshal([]byte(reqs[2].Body), &save))
	require.Equal(t, "sk-save-me", save.LLM["api_key"])
	require.False(t, *save.IncludeSecrets)
	require.JSONEq(t, `{"new_name":"faster"}`, reqs[4].Body)
	require.Equal(t, "", reqs[5].Body, "activate has no body")
	var validate map[string]map[string]any
	require.NoError(t, json.Unmarshal([]byte(reqs[6].Body), &validate))
	require.Equal(t, "sk-save-me", validate["llm"]["api_key"])
}

func TestGetProfile_Exposure(t *testing.T) {
	for _, tc := range []struct {
		e      Exposure
		header string
	}{{Redacted, ""}, {Encrypted, "encrypted"}, {Plaintext, "plaintext"}} {
		f := newFake(t)
		f.on("GET", "/api/profiles/p", jsonResp(200, profileFast))
		w, _ := newTestWS(t, f)
		p, err := w.GetProfile(context.Background(), "p", tc.e)
		require.NoError(t, err)
		require.Equal(t, "default", p.Config.UsageID, "GetProfile keeps the stored usage_id")
		require.Equal(t, tc.header, f.requests()[0].Header.Get(HeaderExposeSecrets))
		_, present := f.requests()[0].Header["X-Expose-Secrets"]
		require.Equal(t, tc.header != "", present)
	}
}

func TestProfiles_Errors(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/api/profiles/p", jsonResp(200, `{"name":"p"}`), jsonResp(200, `{"name":"p","config":{"model":5}}`), jsonResp(404, `{"detail":"Profile 'p' not found"}`))
	f.on("POST", "/api/profiles/p/rename", jsonResp(409, `{"detail":"Profile 'q' already exists"}`))
	f.on("POST", "/api/profiles/p/activate", jsonResp(404, `{"detail":"Profile 'p' not found"}`))
	f.on("GET", "/api/profiles", jsonResp(200, `[]`))
	w, _ := newTestWS(t, f)
	ctx := context.Background()
	_, err := w.GetProfile(ctx, "p", Redacted)
	require.ErrorIs(t, err, ErrInvalidResponse)
	_, err = w.GetProfile(ctx, "p", Redacted)
	require.ErrorIs(t, err, ErrInvalidResponse)
	_, err = w.GetProfile(ctx, "p", Redacted)
	require.ErrorIs(t, err, ErrProfileNotFound)
	_, err = w.RenameProfile(ctx, "p", "q")
	require.ErrorIs(t, err, ErrConflict)
	_, err = w.ActivateProfile(ctx, "p")
	require.ErrorIs(t, err, ErrProfileNotFound)
	_, err = w.ListProfiles(ctx)
	require.ErrorIs(t, err, ErrInvalidResponse)
	_, err = w.SaveProfile(ctx, "p", nil, true)
	require.Error(t, err)
	_, err = w.ValidateProfile(ctx, "p", nil)
	require.Error(t, err)
	for _, bad := range []string{"", ".", ".."} {
		_, err = w.GetProfile(ctx, bad, Redacted)
		require.Error(t, err)
		_, err = w.DeleteProfile(ctx, bad)
		require.Error(t, err)
	}
}
