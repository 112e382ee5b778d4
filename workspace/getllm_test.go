package workspace

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/llm"
)

func TestGetLLM_ActiveProfile(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/api/settings", jsonResp(200, settingsWithActive(`"default"`)))
	f.on("GET", "/api/profiles/default", jsonResp(200, profileFast))
	w, _ := newTestWS(t, f)

	l, err := w.GetLLM(context.Background())
	require.NoError(t, err)
	require.Equal(t, "openai/gpt-4o-mini", l.Model)
	require.Equal(t, "sk-PROFILE-KEY", l.APIKey.Reveal())
	require.Equal(t, "profile:default", l.UsageID)

	reqs := f.requests()
	require.Len(t, reqs, 2)
	require.Equal(t, "GET", reqs[0].Method)
	require.Equal(t, "/api/settings", reqs[0].Path)
	require.Equal(t, map[string]string{"X-Session-Api-Key": testKey}, apiHeaders(reqs[0].Header))
	require.Equal(t, "/api/profiles/default", reqs[1].Path)
	require.Equal(t, map[string]string{"X-Session-Api-Key": testKey, "X-Expose-Secrets": "plaintext"}, apiHeaders(reqs[1].Header))
}

func TestGetLLM_LegacyFallback(t *testing.T) {
	for _, active := range []string{`null`, `""`, ``} {
		t.Run("active="+active, func(t *testing.T) {
			f := newFake(t)
			first := settingsWithActive(active)
			if active == `` {
				first = `{"agent_settings":{},"conversation_settings":{},"llm_api_key_is_set":false}`
			}
			f.on("GET", "/api/settings", jsonResp(200, first), jsonResp(200, settingsPlainNoProfile))
			w, _ := newTestWS(t, f)

			l, err := w.GetLLM(context.Background())
			require.NoError(t, err)
			require.Equal(t, "openai/gpt-4o", l.Model)
			require.Equal(t, "sk-PLAINTEXT-LLM-KEY", l.APIKey.Reveal())
			require.Equal(t, "default", l.UsageID, "stored usage_id kept without overrides")
			require.Equal(t, "https://litellm.example.com", *l.BaseURL)

			reqs := f.requests()
			require.Len(t, reqs, 2)
			require.Equal(t, map[string]string{"X-Session-Api-Key": testKey}, apiHeaders(reqs[0].Header))
			require.Equal(t, map[string]string{"X-Session-Api-Key": testKey, "X-Expose-Secrets": "plaintext"}, apiHeaders(reqs[1].Header))
			for _, r := range reqs {
				require.Equal(t, "GET", r.Method)
				require.Equal(t, "/api/settings", r.Path)
				require.Empty(t, r.Header.Values("Authorization"))
			}
		})
	}
}

func TestGetLLM_LegacyFallbackWithOverrides(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/api/settings", jsonResp(200, settingsRedactedNoProfile), jsonResp(200, settingsPlainNoProfile))
	w, _ := newTestWS(t, f)
	l, err := w.GetLLM(context.Background(), WithModel("anthropic/claude"), WithTemperature(0.7))
	require.NoError(t, err)
	require.Equal(t, "anthropic/claude", l.Model)
	require.Equal(t, 0.7, *l.Temperature)
	require.Equal(t, "default", l.UsageID)
	require.Equal(t, "sk-PLAINTEXT-LLM-KEY", l.APIKey.Reveal())
}

func TestGetLLM_ExplicitProfile(t *testing.T) {
	tests := []struct {
		name      string
		opts      []LLMOption
		wantUsage string
		check     func(t *testing.T, l *llm.LLM)
	}{
		{
			name:      "temperature override",
			opts:      []LLMOption{FromProfile("fast-model"), WithTemperature(0.3)},
			wantUsage: "profile:fast-model",
			check:     func(t *testing.T, l *llm.LLM) { require.Equal(t, 0.3, *l.Temperature) },
		},
		{
			name:      "usage_id override beats profile prefix",
			opts:      []LLMOption{FromProfile("fast-model"), WithUsageID("custom-usage")},
			wantUsage: "custom-usage",
		},
		{
			name:      "no overrides",
			opts:      []LLMOption{FromProfile("fast-model")},
			wantUsage: "profile:fast-model",
			check:     func(t *testing.T, l *llm.LLM) { require.Equal(t, 0.1, *l.Temperature) },
		},
		{
			name:      "typed helpers and generic override",
			opts:      []LLMOption{FromProfile("fast-model"), WithModel("m2"), WithBaseURL("https://b.example"), WithLLMAPIKey("sk-override"), Override("max_output_tokens", 1024)},
			wantUsage: "profile:fast-model",
			check: func(t *testing.T, l *llm.LLM) {
				require.Equal(t, "m2", l.Model)
				require.Equal(t, "https://b.example", *l.BaseURL)
				require.Equal(t, "sk-override", l.APIKey.Reveal())
				require.Equal(t, 1024, *l.MaxOutputTokens)
			},
		},
		{
			name:      "later override of same key wins",
			opts:      []LLMOption{FromProfile("fast-model"), WithModel("a"), Override("model", "b")},
			wantUsage: "profile:fast-model",
			check:     func(t *testing.T, l *llm.LLM) { require.Equal(t, "b", l.Model) },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.on("GET", "/api/profiles/fast-model", jsonResp(200, profileFast))
			w, _ := newTestWS(t, f)
			l, err := w.GetLLM(context.Background(), tc.opts...)
			require.NoError(t, err)
			require.Equal(t, tc.wantUsage, l.UsageID)
			if tc.check != nil {
				tc.check(t, l)
			}
			reqs := f.requests()
			require.Len(t, reqs, 1, "explicit profile: exactly one request")
			require.Equal(t, "GET", reqs[0].Method)
			require.Equal(t, "/api/profiles/fast-model", reqs[0].Path)
			require.Equal(t, map[string]string{"X-Session-Api-Key": testKey, "X-Expose-Secrets": "plaintext"}, apiHeaders(reqs[0].Header))
		})
	}
}

func TestGetLLM_ProfileNameEscaping(t *testing.T) {
	tests := map[string]string{
		"a/b":       "/api/profiles/a%2Fb",
		"what?":     "/api/profiles/what%3F",
		"my model":  "/api/profiles/my%20model",
		"x:y@z+=&$": "/api/profiles/x%3Ay%40z%2B%3D%26%24",
		"ok.name-1": "/api/profiles/ok.name-1",
		"ünï":       "/api/profiles/%C3%BCn%C3%AF",
		"100%":      "/api/profiles/100%25",
	}
	for name, path := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			f.on("GET", path, jsonResp(200, profileFast))
			w, _ := newTestWS(t, f)
			l, err := w.GetLLM(context.Background(), FromProfile(name))
			require.NoError(t, err)
			require.Equal(t, "profile:"+name, l.UsageID)
			require.Equal(t, path, f.requests()[0].Path)
		})
	}
}

func TestGetLLM_ProfileNotFound(t *testing.T) {
	for _, explicit := range []bool{true, false} {
		f := newFake(t)
		f.on("GET", "/api/settings", jsonResp(200, settingsWithActive(`"ghost"`)))
		f.on("GET", "/api/profiles/ghost", jsonResp(404, `{"detail":"Profile 'ghost' not found"}`))
		w, _ := newTestWS(t, f)
		var opts []LLMOption
		if explicit {
			opts = append(opts, FromProfile("ghost"))
		}
		_, err := w.GetLLM(context.Background(), opts...)
		require.Error(t, err)
		require.Equal(t, "LLM profile 'ghost' not found", err.Error())
		require.ErrorIs(t, err, ErrProfileNotFound)
		require.ErrorIs(t, err, ErrNotFound)
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		require.Equal(t, 404, ae.StatusCode)
		want := 1
		if !explicit {
			want = 2
		}
		require.Equal(t, want, f.count(), "404 is not retried")
	}
}

func TestGetLLM_ProfileInvalidConfig(t *testing.T) {
	for _, body := range []string{`{"name":"p"}`, `{"name":"p","config":"x"}`, `{"config":null}`, `[]`, `"str"`, `{"config":[1]}`} {
		t.Run(body, func(t *testing.T) {
			f := newFake(t)
			f.on("GET", "/api/profiles/p", jsonResp(200, body))
			w, _ := newTestWS(t, f)
			_, err := w.GetLLM(context.Background(), FromProfile("p"))
			require.Error(t, err)
			require.Equal(t, "LLM profile 'p' has invalid config", err.Error())
			require.ErrorIs(t, err, ErrInvalidConfig)
			require.Equal(t, 1, f.count())
		})
	}
}

func TestGetLLM_ACPAttributionLLM(t *testing.T) {
	f := newFake(t)
	acp := `{"agent_settings":{"schema_version":5,"agent_kind":"acp","acp_server":"claude-code","llm":{"model":"acp-attrib","api_key":"sk-acp","usage_id":"acp-usage"}},` +
		`"conversation_settings":{},"llm_api_key_is_set":true,"active_profile":null}`
	f.on("GET", "/api/settings", jsonResp(200, acp))
	w, _ := newTestWS(t, f)
	l, err := w.GetLLM(context.Background())
	require.NoError(t, err)
	require.Equal(t, "acp-attrib", l.Model)
	require.Equal(t, "acp-usage", l.UsageID)
	require.Equal(t, "sk-acp", l.APIKey.Reveal())
}

func TestGetLLM_InvalidSettings(t *testing.T) {
	tests := map[string]string{
		"schema too new":          `{"agent_settings":{"schema_version":6,"llm":{"model":"m"}},"conversation_settings":{},"llm_api_key_is_set":false}`,
		"schema not int":          `{"agent_settings":{"schema_version":"5"},"conversation_settings":{},"llm_api_key_is_set":false}`,
		"schema negative":         `{"agent_settings":{"schema_version":-1},"conversation_settings":{},"llm_api_key_is_set":false}`,
		"unknown agent kind":      `{"agent_settings":{"agent_kind":"robot"},"conversation_settings":{},"llm_api_key_is_set":false}`,
		"missing agent_settings":  `{"conversation_settings":{},"llm_api_key_is_set":false}`,
		"missing conversation":    `{"agent_settings":{},"llm_api_key_is_set":false}`,
		"missing key flag":        `{"agent_settings":{},"conversation_settings":{}}`,
		"key flag not bool":       `{"agent_settings":{},"conversation_settings":{},"llm_api_key_is_set":"yes"}`,
		"agent_settings not obj":  `{"agent_settings":[],"conversation_settings":{},"llm_api_key_is_set":true}`,
		"not json":                `<html>`,
		"llm model empty":         `{"agent_settings":{"llm":{"model":""}},"conversation_settings":{},"llm_api_key_is_set":false}`,
		"active_profile not str":  `{"agent_settings":{},"conversation_settings":{},"llm_api_key_is_set":false,"active_profile":3}`,
		"misc not object":         `{"agent_settings":{},"conversation_settings":{},"llm_api_key_is_set":false,"misc_settings":[]}`,
		"llm wrong type member":   `{"agent_settings":{"llm":{"model":"m","temperature":"hot"}},"conversation_settings":{},"llm_api_key_is_set":false}`,
		"agent_kind not a string": `{"agent_settings":{"agent_kind":5},"conversation_settings":{},"llm_api_key_is_set":false}`,
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			f.on("GET", "/api/settings", jsonResp(200, body))
			w, _ := newTestWS(t, f)
			_, err := w.GetLLM(context.Background())
			require.Error(t, err)
			require.ErrorIs(t, err, ErrInvalidResponse)
			require.LessOrEqual(t, f.count(), 2, "validation errors are not retried")
			require.NotContains(t, err.Error(), "sk-")
		})
	}
}

func TestGetLLM_OverrideValidation(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/api/profiles/p", jsonResp(200, profileFast))
	w, _ := newTestWS(t, f)
	_, err := w.GetLLM(context.Background(), FromProfile("p"), WithModel(""))
	require.Error(t, err)
	_, err = w.GetLLM(context.Background(), FromProfile("p"), Override("temperature", "warm"))
	require.Error(t, err)
	_, err = w.GetLLM(context.Background(), FromProfile(""))
	require.Error(t, err)
	require.Equal(t, 2, f.count())
}

func TestHostNotSet(t *testing.T) {
	var zero Workspace
	var nilWS *Workspace
	for name, w := range map[string]*Workspace{"zero": &zero, "nil": nilWS} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			_, err := w.GetLLM(ctx)
			require.ErrorIs(t, err, ErrHostNotSet)
			require.Equal(t, "Workspace host is not set", err.Error())
			_, err = w.GetSecrets(ctx)
			require.Equal(t, "Workspace host is not set", err.Error())
			_, err = w.GetMCPConfig(ctx)
			require.Equal(t, "Workspace host is not set", err.Error())
			_, err = w.Settings(ctx, Redacted)
			require.ErrorIs(t, err, ErrHostNotSet)
			_, err = w.PatchSettings(ctx, SettingsPatch{})
			require.ErrorIs(t, err, ErrHostNotSet)
			_, err = w.SecretValue(ctx, "X")
			require.ErrorIs(t, err, ErrHostNotSet)
			_, err = w.PutSecret(ctx, "X", "v", nil)
			require.ErrorIs(t, err, ErrHostNotSet)
		})
	}
}

func TestGetLLM_5xxOnSecondRequestRetriesThatRequest(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/api/settings", jsonResp(200, settingsWithActive(`"p"`)))
	f.on("GET", "/api/profiles/p", jsonResp(503, `{"detail":"Internal Server Error","exception":"503: Profile store is busy. Please retry."}`), jsonResp(200, profileFast))
	w, waits := newTestWS(t, f)
	l, err := w.GetLLM(context.Background())
	require.NoError(t, err)
	require.Equal(t, "profile:p", l.UsageID)
	require.Equal(t, 3, f.count())
	require.Len(t, waits(), 1)
}
