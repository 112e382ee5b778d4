package workspace

// Conformance tests: one test (or table row) per normative statement of
// client.md and the client-side parts of data-model.md §3, §6 and §9. The
// mock transport sits beneath the retry layer (helpers_test.go), so every
// attempt is recorded. Retries are per request, not per whole method (the
// documented deviation from client.md §2).

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// exactAPIHeaders asserts the API header set of a request, including the
// absence of every header not listed (apiHeaders drops only transport
// headers such as User-Agent).
func exactAPIHeaders(t *testing.T, want map[string]string, r recorded) {
	t.Helper()
	require.Equal(t, want, apiHeaders(r.Header), "%s %s", r.Method, r.Path)
	if _, ok := want["X-Expose-Secrets"]; !ok {
		_, present := r.Header["X-Expose-Secrets"]
		require.False(t, present, "%s %s: X-Expose-Secrets must be absent", r.Method, r.Path)
	}
	if _, ok := want["X-Session-Api-Key"]; !ok {
		_, present := r.Header["X-Session-Api-Key"]
		require.False(t, present, "%s %s: X-Session-API-Key must be absent (never sent empty)", r.Method, r.Path)
	}
}

// authOnly and authExpose are the two API header sets of client.md §3, with
// and without a session key.
func authOnly(key string) map[string]string {
	if key == "" {
		return map[string]string{}
	}
	return map[string]string{"X-Session-Api-Key": key}
}

func authExpose(key string) map[string]string {
	h := authOnly(key)
	h["X-Expose-Secrets"] = "plaintext"
	return h
}

// client.md §1: trailing "/" stripped; request paths appended to the host's
// path, never replacing it — for every request of the three methods and for
// the LookupSecret URLs.
func TestConformance_HostPathPrefixKept(t *testing.T) {
	for _, host := range []string{"https://x.example/runtime/abc", "https://x.example/runtime/abc/", "https://x.example/runtime/abc///"} {
		t.Run(host, func(t *testing.T) {
			f := newFake(t)
			f.on("GET", "/runtime/abc/api/settings", jsonResp(200, settingsWithActive(`"fast model"`)))
			f.on("GET", "/runtime/abc/api/profiles/fast%20model", jsonResp(200, profileFast))
			f.on("GET", "/runtime/abc/api/settings/secrets", jsonResp(200, `{"secrets":[{"name":"GITHUB_TOKEN","description":null}]}`))
			w, err := New(host, WithAPIKey("test-key"), WithHTTPClient(newHTTPClient(f)))
			require.NoError(t, err)
			require.Equal(t, "https://x.example/runtime/abc", w.Host())
			ctx := context.Background()

			l, err := w.GetLLM(ctx)
			require.NoError(t, err)
			require.Equal(t, "profile:fast model", l.UsageID)
			secrets, err := w.GetSecrets(ctx)
			require.NoError(t, err)
			require.Equal(t, "https://x.example/runtime/abc/api/settings/secrets/GITHUB_TOKEN", secrets["GITHUB_TOKEN"].URL)
			_, err = w.GetMCPConfig(ctx)
			require.NoError(t, err)

			var paths []string
			for _, r := range f.requests() {
				paths = append(paths, r.Method+" "+r.Path)
			}
			require.Equal(t, []string{
				"GET /runtime/abc/api/settings",
				"GET /runtime/abc/api/profiles/fast%20model",
				"GET /runtime/abc/api/settings/secrets",
				"GET /runtime/abc/api/settings",
			}, paths)
		})
	}
}

// client.md §1.2: an empty or "undefined" host is "Workspace host is not
// set", before any request, never retried.
func TestConformance_HostNotSetMessage(t *testing.T) {
	for _, host := range []string{"", "undefined", "undefined/", "/"} {
		w, err := New(host, WithAPIKey("test-key"))
		require.Nil(t, w)
		require.ErrorIs(t, err, ErrHostNotSet, "%q", host)
		require.Equal(t, "Workspace host is not set", err.Error(), "%q", host)
	}
	t.Setenv(EnvAgentServerURL, "undefined")
	_, err := NewFromEnv()
	require.EqualError(t, err, "Workspace host is not set")

	var w *Workspace // what a failed New leaves a caller with
	ctx := context.Background()
	_, err = w.GetLLM(ctx, FromProfile("p"))
	require.EqualError(t, err, "Workspace host is not set")
	_, err = w.GetSecretsNamed(ctx, []string{"A"})
	require.EqualError(t, err, "Workspace host is not set")
	_, err = w.GetMCPConfig(ctx)
	require.EqualError(t, err, "Workspace host is not set")
}

// client.md §3 "Exact request sequences", with and without a session key:
// paths, methods, order, and the exact API header sets (X-Expose-Secrets
// absent on the discovery GET, present on value fetches).
func TestConformance_GetLLMRequestSequences(t *testing.T) {
	type step struct {
		path   string
		expose bool
	}
	tests := []struct {
		name      string
		opts      []LLMOption
		routes    func(f *fake)
		steps     []step
		wantModel string
		wantUsage string
	}{
		{
			name: "active profile default set",
			routes: func(f *fake) {
				f.on("GET", "/api/settings", jsonResp(200, settingsWithActive(`"default"`)))
				f.on("GET", "/api/profiles/default", jsonResp(200, profileFast))
			},
			steps:     []step{{"/api/settings", false}, {"/api/profiles/default", true}},
			wantModel: "openai/gpt-4o-mini",
			wantUsage: "profile:default",
		},
		{
			name: "active_profile null",
			routes: func(f *fake) {
				f.on("GET", "/api/settings", jsonResp(200, settingsWithActive(`null`)), jsonResp(200, settingsPlainNoProfile))
			},
			steps:     []step{{"/api/settings", false}, {"/api/settings", true}},
			wantModel: "openai/gpt-4o",
			wantUsage: "default",
		},
		{
			name: "active_profile empty string",
			routes: func(f *fake) {
				f.on("GET", "/api/settings", jsonResp(200, settingsWithActive(`""`)), jsonResp(200, settingsPlainNoProfile))
			},
			steps:     []step{{"/api/settings", false}, {"/api/settings", true}},
			wantModel: "openai/gpt-4o",
			wantUsage: "default",
		},
		{
			name: "active_profile absent",
			routes: func(f *fake) {
				f.on("GET", "/api/settings",
					jsonResp(200, `{"agent_settings":{},"conversation_settings":{},"llm_api_key_is_set":false}`),
					jsonResp(200, settingsPlainNoProfile))
			},
			steps:     []step{{"/api/settings", false}, {"/api/settings", true}},
			wantModel: "openai/gpt-4o",
			wantUsage: "default",
		},
		{
			name:      "explicit profile with temperature",
			opts:      []LLMOption{FromProfile("fast-model"), WithTemperature(0.3)},
			routes:    func(f *fake) { f.on("GET", "/api/profiles/fast-model", jsonResp(200, profileFast)) },
			steps:     []step{{"/api/profiles/fast-model", true}},
			wantModel: "openai/gpt-4o-mini",
			wantUsage: "profile:fast-model",
		},
		{
			name:      "explicit profile, usage_id override beats the profile prefix",
			opts:      []LLMOption{FromProfile("fast-model"), WithUsageID("custom-usage")},
			routes:    func(f *fake) { f.on("GET", "/api/profiles/fast-model", jsonResp(200, profileFast)) },
			steps:     []step{{"/api/profiles/fast-model", true}},
			wantModel: "openai/gpt-4o-mini",
			wantUsage: "custom-usage",
		},
		{
			name:      "explicit profile name quoted with no safe characters",
			opts:      []LLMOption{FromProfile("team/a b?c#d")},
			routes:    func(f *fake) { f.on("GET", "/api/profiles/team%2Fa%20b%3Fc%23d", jsonResp(200, profileFast)) },
			steps:     []step{{"/api/profiles/team%2Fa%20b%3Fc%23d", true}},
			wantModel: "openai/gpt-4o-mini",
			wantUsage: "profile:team/a b?c#d",
		},
		{
			name: "active profile name quoted too",
			routes: func(f *fake) {
				f.on("GET", "/api/settings", jsonResp(200, settingsWithActive(`"x:y@z"`)))
				f.on("GET", "/api/profiles/x%3Ay%40z", jsonResp(200, profileFast))
			},
			steps:     []step{{"/api/settings", false}, {"/api/profiles/x%3Ay%40z", true}},
			wantModel: "openai/gpt-4o-mini",
			wantUsage: "profile:x:y@z",
		},
	}
	for _, key := range []string{"test-key", ""} {
		for _, tc := range tests {
			t.Run(tc.name+"/key="+key, func(t *testing.T) {
				f := newFake(t)
				tc.routes(f)
				w, err := New("http://localhost:8000", WithAPIKey(key), WithHTTPClient(newHTTPClient(f)))
				require.NoError(t, err)
				l, err := w.GetLLM(context.Background(), tc.opts...)
				require.NoError(t, err)
				require.Equal(t, tc.wantModel, l.Model)
				require.Equal(t, tc.wantUsage, l.UsageID)

				reqs := f.requests()
				require.Len(t, reqs, len(tc.steps))
				for i, s := range tc.steps {
					require.Equal(t, "GET", reqs[i].Method)
					require.Equal(t, s.path, reqs[i].Path)
					want := authOnly(key)
					if s.expose {
						want = authExpose(key)
					}
					exactAPIHeaders(t, want, reqs[i])
				}
			})
		}
	}
}

// client.md §3 note: the active profile wins over agent_settings.llm even
// when the two differ; the plaintext settings are then never fetched.
func TestConformance_ActiveProfileWinsOverAgentLLM(t *testing.T) {
	f := newFake(t)
	settings := strings.Replace(settingsWithActive(`"glm-default"`), `"model":"openai/gpt-4o"`, `"model":"stale/model"`, 1)
	f.on("GET", "/api/settings", jsonResp(200, settings))
	f.on("GET", "/api/profiles/glm-default", jsonResp(200,
		`{"name":"glm-default","config":{"model":"openhands/glm-5.2","api_key":"sk-glm-key","usage_id":"default"},"api_key_set":true}`))
	w, _ := newTestWS(t, f)
	l, err := w.GetLLM(context.Background())
	require.NoError(t, err)
	require.Equal(t, "openhands/glm-5.2", l.Model)
	require.Equal(t, "sk-glm-key", l.APIKey.Reveal())
	require.Equal(t, "profile:glm-default", l.UsageID)
	require.Equal(t, 2, f.count())
}

// client.md §3.1 and §8: exact error messages; 404 checked before the
// generic status check and not retried; invalid config not retried.
func TestConformance_ProfileErrors(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		path    string
		resp    func(f *fake, path string)
		want    string
		is      error
	}{
		{"404 explicit", "missing", "/api/profiles/missing",
			func(f *fake, p string) { f.on("GET", p, jsonResp(404, `{"detail":"Profile 'missing' not found"}`)) },
			"LLM profile 'missing' not found", ErrProfileNotFound},
		{"404 body without detail", "a/b", "/api/profiles/a%2Fb",
			func(f *fake, p string) { f.on("GET", p, textResp(404, `Not Found`)) },
			"LLM profile 'a/b' not found", ErrProfileNotFound},
		{"config missing", "p", "/api/profiles/p",
			func(f *fake, p string) { f.on("GET", p, jsonResp(200, `{"name":"p","api_key_set":false}`)) },
			"LLM profile 'p' has invalid config", ErrInvalidConfig},
		{"config a list", "p", "/api/profiles/p",
			func(f *fake, p string) { f.on("GET", p, jsonResp(200, `{"name":"p","config":[]}`)) },
			"LLM profile 'p' has invalid config", ErrInvalidConfig},
		{"body not an object", "p", "/api/profiles/p",
			func(f *fake, p string) { f.on("GET", p, jsonResp(200, `[{"config":{}}]`)) },
			"LLM profile 'p' has invalid config", ErrInvalidConfig},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			tc.resp(f, tc.path)
			w, waits := newTestWS(t, f)
			_, err := w.GetLLM(context.Background(), FromProfile(tc.profile))
			require.EqualError(t, err, tc.want)
			require.ErrorIs(t, err, tc.is)
			require.Equal(t, 1, f.count(), "not retried")
			require.Empty(t, waits())
		})
	}

	// Other statuses are HTTP status errors; 5xx are retried (per request).
	f := newFake(t)
	f.on("GET", "/api/profiles/p", jsonResp(403, `{"detail":"Forbidden"}`))
	w, _ := newTestWS(t, f)
	_, err := w.GetLLM(context.Background(), FromProfile("p"))
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, 403, ae.StatusCode)
	require.NotErrorIs(t, err, ErrProfileNotFound)
	require.Equal(t, 1, f.count())

	f = newFake(t)
	f.on("GET", "/api/profiles/p", jsonResp(500, `{"detail":"Internal Server Error"}`))
	w, waits := newTestWS(t, f)
	_, err = w.GetLLM(context.Background(), FromProfile("p"))
	require.ErrorAs(t, err, &ae)
	require.Equal(t, 500, ae.StatusCode)
	require.Equal(t, 3, f.count())
	require.Equal(t, []time.Duration{time.Second, 2 * time.Second}, waits())
}

// data-model.md §3.2: model is required whenever an LLM object is supplied;
// only a wholly absent llm object takes the default model. A model given
// as an override satisfies the rule for a profile config (upstream builds
// the LLM from config + overrides).
func TestConformance_SuppliedLLMNeedsModel(t *testing.T) {
	t.Run("profile config without model", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/api/profiles/p", jsonResp(200, `{"name":"p","config":{"api_key":"sk-NO-MODEL"},"api_key_set":true}`))
		w, _ := newTestWS(t, f)
		_, err := w.GetLLM(context.Background(), FromProfile("p"))
		require.ErrorIs(t, err, ErrInvalidConfig)
		require.ErrorContains(t, err, `"model"`)
		require.NotContains(t, err.Error(), "sk-NO-MODEL")

		l, err := w.GetLLM(context.Background(), FromProfile("p"), WithModel("anthropic/claude"))
		require.NoError(t, err)
		require.Equal(t, "anthropic/claude", l.Model)
		require.Equal(t, "sk-NO-MODEL", l.APIKey.Reveal())
		require.Equal(t, "profile:p", l.UsageID)
	})
	t.Run("agent_settings.llm without model", func(t *testing.T) {
		body := `{"agent_settings":{"llm":{"api_key":"sk-NO-MODEL"}},"conversation_settings":{},"llm_api_key_is_set":true}`
		f := newFake(t)
		f.on("GET", "/api/settings", jsonResp(200, body))
		w, _ := newTestWS(t, f)
		_, err := w.GetLLM(context.Background())
		require.ErrorIs(t, err, ErrInvalidResponse)
		require.ErrorContains(t, err, `"model"`)
		require.Equal(t, 2, f.count(), "validation errors are not retried")
	})
	t.Run("llm absent or null takes the defaults", func(t *testing.T) {
		for _, agent := range []string{`{}`, `{"llm":null}`} {
			f := newFake(t)
			f.on("GET", "/api/settings", jsonResp(200, `{"agent_settings":`+agent+`,"conversation_settings":{},"llm_api_key_is_set":false}`))
			w, _ := newTestWS(t, f)
			l, err := w.GetLLM(context.Background())
			require.NoError(t, err, agent)
			require.Equal(t, "gpt-5.5", l.Model)
			require.Equal(t, "default", l.UsageID)
		}
	})
}

// client.md §3 steps 3–4: usage_id and override rules of the legacy path.
func TestConformance_LegacyUsageIDAndOverrides(t *testing.T) {
	settings := func(llmJSON string) string {
		return `{"agent_settings":{"schema_version":5,"llm":` + llmJSON + `},"conversation_settings":{},"llm_api_key_is_set":true,"active_profile":null}`
	}
	stored := `{"model":"gpt-4","api_key":"sk-legacy","usage_id":"my-usage","temperature":0.5,"timeout":60}`
	tests := []struct {
		name  string
		opts  []LLMOption
		check func(t *testing.T, usage, model, key string, temp *float64, timeout *int)
	}{
		{"no overrides: stored usage_id kept", nil, func(t *testing.T, usage, model, key string, temp *float64, timeout *int) {
			require.Equal(t, "my-usage", usage)
			require.Equal(t, "gpt-4", model)
			require.Equal(t, "sk-legacy", key)
			require.Equal(t, 0.5, *temp)
		}},
		{"overrides keep usage_id", []LLMOption{WithModel("gpt-4o")}, func(t *testing.T, usage, model, key string, temp *float64, timeout *int) {
			require.Equal(t, "my-usage", usage)
			require.Equal(t, "gpt-4o", model)
			require.Equal(t, "sk-legacy", key, "the plaintext key survives the override merge")
		}},
		{"usage_id override", []LLMOption{WithUsageID("custom")}, func(t *testing.T, usage, model, key string, temp *float64, timeout *int) {
			require.Equal(t, "custom", usage)
		}},
		{"api_key override", []LLMOption{WithLLMAPIKey("sk-override")}, func(t *testing.T, usage, model, key string, temp *float64, timeout *int) {
			require.Equal(t, "sk-override", key)
		}},
		{"null override clears a nullable member", []LLMOption{Override("timeout", nil), Override("temperature", nil)}, func(t *testing.T, usage, model, key string, temp *float64, timeout *int) {
			require.Nil(t, timeout)
			require.Nil(t, temp)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.on("GET", "/api/settings", jsonResp(200, settings(`{"model":"redacted"}`)), jsonResp(200, settings(stored)))
			w, _ := newTestWS(t, f)
			l, err := w.GetLLM(context.Background(), tc.opts...)
			require.NoError(t, err)
			tc.check(t, l.UsageID, l.Model, l.APIKey.Reveal(), l.Temperature, l.Timeout)
			require.Equal(t, 2, f.count())
		})
	}

	// An override of the wrong type is a validation error naming the member.
	f := newFake(t)
	f.on("GET", "/api/settings", jsonResp(200, settings(`{"model":"redacted"}`)), jsonResp(200, settings(stored)))
	w, _ := newTestWS(t, f)
	_, err := w.GetLLM(context.Background(), Override("temperature", "warm"))
	require.ErrorContains(t, err, `"temperature"`)
}

// client.md §4 and data-model.md §1: agent_settings, conversation_settings
// and llm_api_key_is_set are required (validation error, not retried) on
// every GET /api/settings the three methods parse; the other members are
// optional.
func TestConformance_SettingsResponseRequiredMembers(t *testing.T) {
	full := map[string]string{
		"agent_settings":        `{}`,
		"conversation_settings": `{}`,
		"llm_api_key_is_set":    `true`,
	}
	body := func(drop string) string {
		var parts []string
		for _, k := range []string{"agent_settings", "conversation_settings", "llm_api_key_is_set"} {
			if k != drop {
				parts = append(parts, `"`+k+`":`+full[k])
			}
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	calls := map[string]func(w *Workspace) error{
		"GetLLM": func(w *Workspace) error { _, err := w.GetLLM(context.Background()); return err },
		"GetMCPConfig": func(w *Workspace) error {
			_, err := w.GetMCPConfig(context.Background())
			return err
		},
		"Settings": func(w *Workspace) error { _, err := w.Settings(context.Background(), Plaintext); return err },
	}
	for name, call := range calls {
		for _, drop := range []string{"agent_settings", "conversation_settings", "llm_api_key_is_set"} {
			t.Run(name+"/missing "+drop, func(t *testing.T) {
				f := newFake(t)
				f.on("GET", "/api/settings", jsonResp(200, body(drop)))
				w, waits := newTestWS(t, f)
				err := call(w)
				require.ErrorIs(t, err, ErrInvalidResponse)
				require.ErrorContains(t, err, drop)
				require.Equal(t, 1, f.count(), "validation errors are not retried")
				require.Empty(t, waits())
			})
		}
		t.Run(name+"/optional members absent", func(t *testing.T) {
			f := newFake(t)
			f.on("GET", "/api/settings", jsonResp(200, body("")))
			w, _ := newTestWS(t, f)
			require.NoError(t, call(w))
		})
	}
	// Defaults of the optional members.
	f := newFake(t)
	f.on("GET", "/api/settings", jsonResp(200, body("")))
	w, _ := newTestWS(t, f)
	s, err := w.Settings(context.Background(), Redacted)
	require.NoError(t, err)
	require.Nil(t, s.ActiveProfile)
	require.Nil(t, s.ActiveAgentProfileID)
	require.NotNil(t, s.MiscSettings)
	require.Empty(t, s.MiscSettings)
}

// client.md §4 / persistence.md §8.2: the migration chain runs on the
// client when agent_settings is typed — missing schema_version is 0 and
// migrated, > 5 is an error; agent_kind missing or "llm" is openhands. The
// active-profile path never types agent_settings.
func TestConformance_ClientSideMigration(t *testing.T) {
	t.Run("missing schema_version: llm canonicalised (3→4)", func(t *testing.T) {
		agent := `{"llm":{"model":"litellm_proxy/claude-opus-4-5-20251101","base_url":"https://llm-proxy.app.all-hands.dev/","api_key":"sk-proxy"}}`
		f := newFake(t)
		f.on("GET", "/api/settings", jsonResp(200, `{"agent_settings":`+agent+`,"conversation_settings":{},"llm_api_key_is_set":true}`))
		w, _ := newTestWS(t, f)
		l, err := w.GetLLM(context.Background())
		require.NoError(t, err)
		require.Equal(t, "openhands/claude-opus-4-5-20251101", l.Model)
		require.Nil(t, l.BaseURL)
		require.Equal(t, "sk-proxy", l.APIKey.Reveal())

		s, err := w.Settings(context.Background(), Plaintext)
		require.NoError(t, err)
		require.Equal(t, 5, s.AgentSettings.SchemaVersion)
		require.Equal(t, AgentKindOpenHands, s.AgentSettings.AgentKind)
	})
	t.Run("missing schema_version: FastMCP mcp_config flattened (4→5)", func(t *testing.T) {
		agent := `{"mcp_config":{"mcpServers":{"remote":{"url":"https://m.example/mcp","type":"shttp","auth":"tok-PLAIN","unknown":1}}}}`
		f := newFake(t)
		f.on("GET", "/api/settings", jsonResp(200, `{"agent_settings":`+agent+`,"conversation_settings":{},"llm_api_key_is_set":false}`))
		w, _ := newTestWS(t, f)
		c, err := w.GetMCPConfig(context.Background())
		require.NoError(t, err)
		require.Equal(t, []string{"remote"}, sortedKeys(c))
		require.Equal(t, "https://m.example/mcp", *c["remote"].URL)
		require.Equal(t, "http", *c["remote"].Transport)
		require.NotNil(t, c["remote"].Auth)
	})
	t.Run("schema_version 0 and agent_kind llm", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/api/settings", jsonResp(200, `{"agent_settings":{"schema_version":0,"agent_kind":"llm","mcp_config":{"s":{"command":"uvx"}}},"conversation_settings":{},"llm_api_key_is_set":false}`))
		w, _ := newTestWS(t, f)
		c, err := w.GetMCPConfig(context.Background())
		require.NoError(t, err)
		require.Equal(t, "uvx", *c["s"].Command)
	})
	newer := `{"agent_settings":{"schema_version":6,"llm":{"model":"m"}},"conversation_settings":{},"llm_api_key_is_set":false,"active_profile":null}`
	for name, call := range map[string]func(w *Workspace) error{
		"GetLLM legacy": func(w *Workspace) error { _, err := w.GetLLM(context.Background()); return err },
		"GetMCPConfig": func(w *Workspace) error {
			_, err := w.GetMCPConfig(context.Background())
			return err
		},
	} {
		t.Run("schema_version 6 is an error/"+name, func(t *testing.T) {
			f := newFake(t)
			f.on("GET", "/api/settings", jsonResp(200, newer))
			w, waits := newTestWS(t, f)
			err := call(w)
			require.ErrorIs(t, err, ErrInvalidResponse)
			require.ErrorContains(t, err, "schema_version 6")
			require.Empty(t, waits(), "not retried")
		})
	}
	t.Run("schema_version 6 with an active profile: agent_settings untouched", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/api/settings", jsonResp(200, strings.Replace(newer, `"active_profile":null`, `"active_profile":"p"`, 1)))
		f.on("GET", "/api/profiles/p", jsonResp(200, profileFast))
		w, _ := newTestWS(t, f)
		l, err := w.GetLLM(context.Background())
		require.NoError(t, err)
		require.Equal(t, "profile:p", l.UsageID)
	})
}

// client.md §5 / data-model.md §9: GetSecrets — one list request with the
// auth header only; URL = host + /api/settings/secrets/ + name (plain
// concatenation); headers a fresh copy of the auth headers ({} without a
// key); description as listed; names filter; no value fetched.
func TestConformance_GetSecrets(t *testing.T) {
	list := `{"secrets":[{"name":"GITHUB_TOKEN","description":"GitHub personal access token"},{"name":"OPENAI_API_KEY","description":null},` +
		`{"name":"AWS_ACCESS_KEY"},{"name":"odd name","description":"x"}]}`
	tests := []struct {
		name      string
		key       string
		filter    []string // nil: all
		wantNames []string
	}{
		{"all, with key", "test-key", nil, []string{"AWS_ACCESS_KEY", "GITHUB_TOKEN", "OPENAI_API_KEY", "odd name"}},
		{"all, no key", "", nil, []string{"AWS_ACCESS_KEY", "GITHUB_TOKEN", "OPENAI_API_KEY", "odd name"}},
		{"filter", "test-key", []string{"GITHUB_TOKEN", "AWS_ACCESS_KEY"}, []string{"AWS_ACCESS_KEY", "GITHUB_TOKEN"}},
		{"unknown names simply absent", "test-key", []string{"NOPE", "OPENAI_API_KEY"}, []string{"OPENAI_API_KEY"}},
		{"empty filter", "test-key", []string{}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.on("GET", "/api/settings/secrets", jsonResp(200, list))
			w, err := New("http://localhost:8000/", WithAPIKey(tc.key), WithHTTPClient(newHTTPClient(f)))
			require.NoError(t, err)
			got, err := w.GetSecretsNamed(context.Background(), tc.filter)
			require.NoError(t, err)
			require.NotNil(t, got)
			require.Equal(t, tc.wantNames, sortedKeys(got))
			for name, s := range got {
				// Upstream concatenates the name; for every valid name that is
				// the same as path-escaping it (a name like "odd name" that no
				// valid server lists is escaped, so it cannot leave the path).
				require.Equal(t, "http://localhost:8000/api/settings/secrets/"+url.PathEscape(name), s.URL)
				require.NotNil(t, s.Headers)
				require.Equal(t, authHeadersFor(tc.key), s.Headers)
			}
			if s, ok := got["GITHUB_TOKEN"]; ok {
				require.Equal(t, "GitHub personal access token", *s.Description)
			}
			if s, ok := got["OPENAI_API_KEY"]; ok {
				require.Nil(t, s.Description)
			}
			if s, ok := got["AWS_ACCESS_KEY"]; ok {
				require.Nil(t, s.Description)
			}
			// Each LookupSecret owns its header map.
			if len(got) >= 2 && tc.key != "" {
				names := sortedKeys(got)
				got[names[0]].Headers[HeaderSessionAPIKey] = "changed"
				require.Equal(t, tc.key, got[names[1]].Headers[HeaderSessionAPIKey])
				require.Equal(t, tc.key, w.AuthHeaders()[HeaderSessionAPIKey])
			}
			reqs := f.requests()
			require.Len(t, reqs, 1, "one list request, no value fetch")
			require.Equal(t, "GET", reqs[0].Method)
			require.Equal(t, "/api/settings/secrets", reqs[0].Path)
			exactAPIHeaders(t, authOnly(tc.key), reqs[0])
		})
	}

	// Upstream example, serialised for a conversation with plaintext headers.
	f := newFake(t)
	f.on("GET", "/api/settings/secrets", jsonResp(200, `{"secrets":[{"name":"GITHUB_TOKEN","description":null}]}`))
	w, err := New("http://localhost:8000", WithAPIKey("test-key"), WithHTTPClient(newHTTPClient(f)))
	require.NoError(t, err)
	got, err := w.GetSecrets(context.Background())
	require.NoError(t, err)
	plain, err := got["GITHUB_TOKEN"].PlaintextJSON()
	require.NoError(t, err)
	require.JSONEq(t, `{"description":null,"url":"http://localhost:8000/api/settings/secrets/GITHUB_TOKEN","headers":{"X-Session-API-Key":"test-key"},"kind":"LookupSecret"}`, string(plain))

	// Errors: 4xx is an HTTP status error (not retried), 5xx retried.
	for _, status := range []int{401, 404, 500} {
		f := newFake(t)
		f.on("GET", "/api/settings/secrets", jsonResp(status, `{"detail":"x"}`))
		w, _ := newTestWS(t, f)
		_, err := w.GetSecrets(context.Background())
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		require.Equal(t, status, ae.StatusCode)
		want := 1
		if status >= 500 {
			want = 3
		}
		require.Equal(t, want, f.count(), "status %d", status)
	}
}

func authHeadersFor(key string) map[string]string {
	if key == "" {
		return map[string]string{}
	}
	return map[string]string{"X-Session-API-Key": key}
}

// client.md §6: GetMCPConfig — one GET /api/settings with plaintext
// exposure; the ACP variant yields an empty map; disabled servers included;
// secrets in plaintext.
func TestConformance_GetMCPConfig(t *testing.T) {
	tests := []struct {
		name  string
		agent string
		want  []string
	}{
		{"upstream example", `{"mcp_config":{"shttp_0":{"url":"https://mcp.example.com/api","transport":"streamable-http"}}}`, []string{"shttp_0"}},
		{"ACP agent → empty even with servers", `{"schema_version":5,"agent_kind":"acp","acp_server":"claude-code","mcp_config":{"x":{"command":"c"}}}`, []string{}},
		{"ACP agent without mcp_config", `{"agent_kind":"acp"}`, []string{}},
		{"disabled servers included", `{"mcp_config":{"a":{"command":"c","enabled":false},"b":{"url":"https://b","transport":"sse","enabled":true}}}`, []string{"a", "b"}},
		{"no mcp_config", `{"llm":{"model":"gpt-4"}}`, []string{}},
	}
	for _, key := range []string{"test-key", ""} {
		for _, tc := range tests {
			t.Run(tc.name+"/key="+key, func(t *testing.T) {
				f := newFake(t)
				f.on("GET", "/api/settings", jsonResp(200, `{"agent_settings":`+tc.agent+`,"conversation_settings":{},"llm_api_key_is_set":true}`))
				w, err := New("http://localhost:8000", WithAPIKey(key), WithHTTPClient(newHTTPClient(f)))
				require.NoError(t, err)
				c, err := w.GetMCPConfig(context.Background())
				require.NoError(t, err)
				require.NotNil(t, c)
				require.Equal(t, tc.want, sortedKeys(c))
				reqs := f.requests()
				require.Len(t, reqs, 1)
				require.Equal(t, "GET", reqs[0].Method)
				require.Equal(t, "/api/settings", reqs[0].Path)
				exactAPIHeaders(t, authExpose(key), reqs[0])
			})
		}
	}

	f := newFake(t)
	f.on("GET", "/api/settings", jsonResp(200, settingsPlainNoProfile))
	w, _ := newTestWS(t, f)
	c, err := w.GetMCPConfig(context.Background())
	require.NoError(t, err)
	require.Equal(t, "ghp-PLAINTEXT-TOKEN", c["github"].Env["GITHUB_TOKEN"].Reveal())
	require.False(t, c["remote"].IsEnabled())
}

// client.md §2 / §9: transient failures (5xx, connection refused, timeouts)
// are retried, 3 attempts with waits of 1 s then 2 s, then the original
// error; 4xx and validation errors are not. Retries are per request.
func TestConformance_RetryPolicy(t *testing.T) {
	refused := func(*http.Request) (*http.Response, error) {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	}
	t.Run("connection refused retried then surfaced", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/api/settings/secrets", refused)
		w, waits := newTestWS(t, f)
		_, err := w.GetSecrets(context.Background())
		require.Error(t, err)
		require.ErrorIs(t, err, syscall.ECONNREFUSED, "the original error stays reachable")
		require.Equal(t, 3, f.count())
		require.Equal(t, []time.Duration{time.Second, 2 * time.Second}, waits())
	})
	t.Run("GetMCPConfig 502 then success", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/api/settings", jsonResp(502, `bad gateway`), jsonResp(200, settingsPlainNoProfile))
		w, waits := newTestWS(t, f)
		c, err := w.GetMCPConfig(context.Background())
		require.NoError(t, err)
		require.Len(t, c, 2)
		require.Equal(t, 2, f.count())
		require.Equal(t, []time.Duration{time.Second}, waits())
		for _, r := range f.requests() {
			exactAPIHeaders(t, authExpose(testKey), r)
		}
	})
	t.Run("invalid JSON not retried", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/api/settings/secrets", jsonResp(200, `{"secrets":`))
		w, waits := newTestWS(t, f)
		_, err := w.GetSecrets(context.Background())
		require.ErrorIs(t, err, ErrInvalidResponse)
		require.Equal(t, 1, f.count())
		require.Empty(t, waits())
	})
}
