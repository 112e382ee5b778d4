package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/llm"
	"github.com/openhands-go/sdk/secret"
)

// TestNoSecretInOutput formats every public workspace type that can hold a
// secret with every common verb, log/slog and encoding/json, and checks no
// secret value (session key, LLM key, MCP env/header values, secret values)
// appears.
func TestNoSecretInOutput(t *testing.T) {
	secrets := []string{testKey, "sk-PLAINTEXT-LLM-KEY", "ghp-PLAINTEXT-TOKEN", "PLAINTEXT-HEADER-VALUE", "sk-PROFILE-KEY", "patch-secret-value", "critic-secret", "static-secret-value", "put-secret-value"}

	f := newFake(t)
	f.on("GET", "/api/settings", jsonResp(200, settingsPlainNoProfile))
	f.on("GET", "/api/profiles/p", jsonResp(200, profileFast))
	f.on("GET", "/api/settings/secrets", jsonResp(200, secretsListBody))
	f.on("PUT", "/api/settings/secrets", jsonResp(400, `{"detail":"rejected put-secret-value"}`))
	w, _ := newTestWS(t, f)
	ctx := context.Background()

	settings, err := w.Settings(ctx, Plaintext)
	require.NoError(t, err)
	require.Contains(t, string(settings.AgentSettings.Raw()), "sk-PLAINTEXT-LLM-KEY", "sanity: the raw document does hold the secret")
	profile, err := w.GetProfile(ctx, "p", Plaintext)
	require.NoError(t, err)
	got, err := w.GetSecrets(ctx)
	require.NoError(t, err)
	_, putErr := w.PutSecret(ctx, "A", "put-secret-value", nil)
	require.Error(t, putErr)

	l := llm.Default()
	l.APIKey = "patch-secret-value"
	patch := SettingsPatch{
		AgentSettingsDiff: map[string]any{
			"llm":          l,
			"raw":          json.RawMessage(`{"api_key":"patch-secret-value","headers":{"X":"patch-secret-value"}}`),
			"verification": map[string]any{"critic_api_key": "critic-secret"},
			"agent_context": map[string]any{"secrets": map[string]any{
				"S": secret.StaticSecret{Value: "static-secret-value"},
				"T": "static-secret-value",
			}},
			"mcp_config": map[string]any{"s": map[string]any{"env": map[string]any{"K": "patch-secret-value"}, "auth": map[string]any{"strategy": "bearer", "value": "patch-secret-value"}}},
		},
		MiscSettingsDiff: map[string]any{"token": "patch-secret-value"},
		ActiveProfile:    Some("fast"),
	}
	apiErr := newAPIError("GET", "/api/settings", 500, []byte(`{"detail":"x `+testKey+`","exception":"`+testKey+`"}`), w.scrubList(nil))

	values := map[string]any{
		"*Workspace":           w,
		"Workspace":            *w,
		"*Settings":            settings,
		"Settings":             *settings,
		"AgentSettings":        settings.AgentSettings,
		"SettingsPatch":        patch,
		"*SettingsPatch":       &patch,
		"*Profile":             profile,
		"*APIError":            apiErr,
		"error from PutSecret": putErr,
		"LookupSecret map":     got,
		"struct holding all": struct {
			W *Workspace
			S *Settings
			P SettingsPatch
		}{w, settings, patch},
	}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			var outs []string
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
				outs = append(outs, fmt.Sprintf(verb, v))
			}
			if e, ok := v.(error); ok {
				outs = append(outs, e.Error())
			}
			var buf bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&buf, nil))
			logger.Info("value", "v", v)
			slog.New(slog.NewTextHandler(&buf, nil)).Info("value", "v", v)
			outs = append(outs, buf.String())
			if enc, err := json.Marshal(v); err == nil {
				outs = append(outs, string(enc))
			}
			for _, out := range outs {
				for _, s := range secrets {
					require.NotContains(t, out, s, "%s leaked in %q", s, out)
				}
			}
		})
	}

	// Values nested inside errors stay safe too.
	wrapped := fmt.Errorf("outer: %w", errors.Join(putErr, apiErr))
	for _, s := range secrets {
		require.NotContains(t, fmt.Sprintf("%+v", wrapped), s)
	}
}

func TestPrintingIsUseful(t *testing.T) {
	w, err := New("http://h:1", WithAPIKey("k-secret"), WithWorkingDir("/w"))
	require.NoError(t, err)
	require.Equal(t, `workspace.Workspace{host: "http://h:1", api_key: "**********", working_dir: "/w"}`, fmt.Sprint(w))
	require.Equal(t, `"workspace.Workspace{host: \"http://h:1\", api_key: \"**********\", working_dir: \"/w\"}"`, fmt.Sprintf("%q", w))
	enc, err := json.Marshal(w)
	require.NoError(t, err)
	require.JSONEq(t, `{"host":"http://h:1","api_key":"**********","working_dir":"/w"}`, string(enc))

	var nilWS *Workspace
	require.Equal(t, "<nil>", fmt.Sprint(nilWS))
	type holder struct{ ws Workspace }
	require.NotContains(t, fmt.Sprintf("%+v", holder{*w}), "k-secret", "unexported nesting shows the credentials pointer only")

	p := SettingsPatch{AgentSettingsDiff: map[string]any{"llm": map[string]any{"model": "m", "api_key": "sk"}}, ActiveProfile: Null[string]()}
	require.Equal(t, `workspace.SettingsPatch{"active_profile":null,"agent_settings_diff":{"llm":{"api_key":"**********","model":"m"}}}`, p.String())
}
