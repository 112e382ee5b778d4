package server

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/jsonx"
	"github.com/openhands-go/sdk/internal/migrate"
	"github.com/openhands-go/sdk/internal/model"
	"github.com/openhands-go/sdk/internal/store"
)

// cacheTestRequests are writes (and reads) that exercise the settings file
// cache, including documents it must not keep (token-like plaintext
// secrets, LookupSecret URLs resolved against the environment).
var cacheTestRequests = []struct{ method, path, body string }{
	{"PATCH", "/api/settings", `{"agent_settings_diff":{"llm":{"model":"openai/gpt-4o","api_key":"sk-1","temperature":0.5}},"misc_settings_diff":{"a":1}}`},
	{"PATCH", "/api/settings", `{"agent_settings_diff":{"llm":{"temperature":0.25,"aws_secret_access_key":"aws"}},"conversation_settings_diff":{"max_iterations":7}}`},
	{"POST", "/api/settings/mcp/gh", `{"command":"uvx","args":["x"],"env":{"GITHUB_TOKEN":"ghp","E":""}}`},
	{"PATCH", "/api/settings/mcp/gh", `{"env":{"GITHUB_TOKEN":null,"N":"n"},"timeout":30}`},
	{"POST", "/api/settings/mcp/remote", `{"url":"https://x","transport":"http","auth":{"strategy":"bearer","value":"b"}}`},
	{"PATCH", "/api/settings", `{"agent_settings_diff":{"agent_context":{"current_datetime":"2024-01-01T00:00:00.000000Z","secrets":{"A":"a","L":{"kind":"LookupSecret","url":"/rel","headers":{"X-Token":"t","Accept":"j"}}}}}}`},
	{"PATCH", "/api/settings", `{"agent_settings_diff":{"agent_context":{"current_datetime":"2024-03-03T00:00:00.000000Z","secrets":{"L":{"url":"http://h/x"}}}}}`},
	{"PATCH", "/api/settings", `{"agent_settings_diff":{"llm":{"api_key":"gAAAAAlooks-like-a-token"}}}`},
	{"PATCH", "/api/settings", `{"agent_settings_diff":{"agent_context":{"current_datetime":"2024-04-04T00:00:00.000000Z","secrets":{"T":"gAAAAAlooks-like-a-token"}}}}`},
	{"PATCH", "/api/settings", `{"agent_settings_diff":{"llm":{"api_key":"**********"}},"misc_settings_diff":{"a":null,"b":{"c":[1,2.50]}}}`},
	{"PATCH", "/api/settings", `{"agent_settings_diff":{"verification":{"critic_api_key":"  "},"condenser":{"condenser_kind":"no_op"}}}`},
	{"DELETE", "/api/settings/mcp/remote", ``},
	{"PATCH", "/api/settings", `{"agent_settings_diff":{"schema_version":4,"mcp_config":{"mcpServers":{"x":{"command":"c"}}}}}`},
	{"PATCH", "/api/settings", `{"agent_settings_diff":{"agent_kind":"acp","acp_model":"m"}}`},
	{"PATCH", "/api/settings", `{"agent_settings_diff":{"llm":null}}`},
	{"PATCH", "/api/settings", `{"agent_settings_diff":{"agent_kind":"openhands","llm":{"model":"m2"},"agent_context":{"current_datetime":"2024-02-02T00:00:00.000000Z"}}}`},
	{"PATCH", "/api/settings", `{"agent_settings_diff":{"tool_concurrency_limit":0}}`},
	{"PATCH", "/api/settings", `{"active_profile":null,"misc_settings_diff":{"é":"\u2028"}}`},
	{"PATCH", "/api/settings/mcp/missing", `{"timeout":1}`},
	{"GET", "/api/settings", ``},
}

// checkFileCache asserts the cache invariant: the remembered settings are
// exactly what loading the remembered bytes gives.
func checkFileCache(t *testing.T, srv *Server) {
	t.Helper()
	fe := srv.settings.file.Load()
	if fe == nil {
		return
	}
	loaded, err := model.LoadSettingsFile(fe.data, model.Input{Cipher: srv.c, FromDisk: true})
	require.NoError(t, err)
	for _, part := range [][2]*jsonx.Object{{fe.s.Agent, loaded.Agent}, {fe.s.Conversation, loaded.Conversation}, {fe.s.Misc, loaded.Misc}} {
		a, err := jsonx.MarshalFile(part[0])
		require.NoError(t, err)
		b, err := jsonx.MarshalFile(part[1])
		require.NoError(t, err)
		require.Equal(t, string(b), string(a))
	}
	require.Equal(t, loaded.ActiveProfile, fe.s.ActiveProfile)
	require.Equal(t, loaded.ActiveAgentProfileID, fe.s.ActiveAgentProfileID)
}

// TestSettingsFileCacheIsTransparent runs random request sequences against
// two servers, one of which forgets its file cache before every request,
// and requires identical answers (and identical settings in the end).
// Every request that may create agent_context pins current_datetime, which
// otherwise defaults to the current time.
func TestSettingsFileCacheIsTransparent(t *testing.T) {
	t.Setenv("OH_INTERNAL_SERVER_URL", "http://internal:8000/base")
	for _, withKey := range []bool{true, false} {
		requests := cacheTestRequests
		if withKey {
			// A secret whose plaintext is itself a token under the key: it
			// is decrypted on the way in, and again when loaded back.
			c := cipher.New(testSecretKey)
			inner, err := c.Encrypt("inner")
			require.NoError(t, err)
			outer, err := c.Encrypt(inner)
			require.NoError(t, err)
			requests = append(requests[:len(requests):len(requests)], struct{ method, path, body string }{
				"PATCH", "/api/settings", `{"agent_settings_diff":{"llm":{"api_key":"` + outer + `"}}}`})
		}
		r := rand.New(rand.NewSource(7))
		used := false
		for run := 0; run < 15; run++ {
			newSrv := func() *Server {
				cfg := Config{SessionAPIKeys: []string{testSessionKey}, Store: store.NewMemory()}
				if withKey {
					k := testSecretKey
					cfg.SecretKey = &k
				}
				srv, err := New(cfg)
				require.NoError(t, err)
				return srv
			}
			cached, uncached := newSrv(), newSrv()
			// The first write starts from defaults stamped with the current
			// time; pin it so that both servers hold the same settings.
			seed := `{"agent_settings_diff":{"agent_context":{"current_datetime":"2024-01-01T00:00:00.000000Z"}}}`
			for _, srv := range []*Server{cached, uncached} {
				rec := serve(srv, "PATCH", "/api/settings", seed, "X-Session-API-Key", testSessionKey)
				require.Equal(t, 200, rec.Code, rec.Body.String())
			}
			for i := 0; i < 25; i++ {
				req := requests[r.Intn(len(requests))]
				uncached.settings.file.Store(nil)
				a := serve(cached, req.method, req.path, req.body, "X-Session-API-Key", testSessionKey)
				b := serve(uncached, req.method, req.path, req.body, "X-Session-API-Key", testSessionKey)
				require.Equal(t, b.Code, a.Code, "%s %s %s", req.method, req.path, req.body)
				require.Equal(t, b.Body.String(), a.Body.String(), "%s %s %s", req.method, req.path, req.body)
				checkFileCache(t, cached)
				used = used || cached.settings.file.Load() != nil
			}
			for _, mode := range []string{"plaintext", ""} {
				uncached.settings.file.Store(nil)
				a := serve(cached, "GET", "/api/settings", "", "X-Session-API-Key", testSessionKey, "X-Expose-Secrets", mode)
				b := serve(uncached, "GET", "/api/settings", "", "X-Session-API-Key", testSessionKey, "X-Expose-Secrets", mode)
				require.Equal(t, b.Body.String(), a.Body.String())
			}
		}
		require.True(t, used, "the cache was never filled")
	}
}

// TestSettingsFileCacheSkipsUnsafeDocuments: documents that would load
// back differently are not remembered.
func TestSettingsFileCacheSkipsUnsafeDocuments(t *testing.T) {
	t.Setenv("OH_INTERNAL_SERVER_URL", "relative-base") // resolving stays relative
	k := testSecretKey
	srv, err := New(Config{SecretKey: &k, SessionAPIKeys: []string{testSessionKey}, Store: store.NewMemory()})
	require.NoError(t, err)
	for _, body := range []string{
		`{"agent_settings_diff":{"llm":{"model":"m","api_key":"sk-bench"}}}`, // from defaults: not remembered
		`{"misc_settings_diff":{"a":1}}`,
	} {
		rec := serve(srv, "PATCH", "/api/settings", body, "X-Session-API-Key", testSessionKey)
		require.Equal(t, 200, rec.Code, rec.Body.String())
	}
	require.NotNil(t, srv.settings.file.Load(), "an ordinary write is remembered")
	for _, body := range []string{
		`{"agent_settings_diff":{"agent_context":{"secrets":{"T":"gAAAAAlooks-like-a-token"}}}}`,
		`{"agent_settings_diff":{"agent_context":{"secrets":{"L":{"kind":"LookupSecret","url":"rel"}}}}}`,
	} {
		srv.settings.file.Store(nil)
		rec := serve(srv, "PATCH", "/api/settings", body, "X-Session-API-Key", testSessionKey)
		require.Equal(t, 200, rec.Code, rec.Body.String())
		require.Nil(t, srv.settings.file.Load(), body)
	}
	// The GET path answers from the remembered settings, without loading.
	rec := serve(srv, "PATCH", "/api/settings", `{"agent_settings_diff":{"agent_context":{"secrets":null}}}`, "X-Session-API-Key", testSessionKey)
	require.Equal(t, 200, rec.Code)
	fe := srv.settings.file.Load()
	require.NotNil(t, fe)
	srv.settings.cur.Store(nil)
	rec = serve(srv, "GET", "/api/settings", "", "X-Session-API-Key", testSessionKey, "X-Expose-Secrets", "plaintext")
	require.Equal(t, 200, rec.Code)
	require.True(t, strings.Contains(rec.Body.String(), `"sk-bench"`))
	require.Same(t, fe.s.Agent, srv.settings.cur.Load().s.Agent)
}

// FuzzMergePatchShared: mergePatchShared gives what MergePatch gives on a
// copy, and leaves base unchanged.
func FuzzMergePatchShared(f *testing.F) {
	f.Add([]byte(`{"a":{"b":1,"c":{"d":[1]}},"e":2}`), []byte(`{"a":{"b":null,"c":{"x":{"y":null}}},"e":{"f":null},"g":null}`))
	f.Add([]byte(`{"llm":{"model":"m","api_key":"k"},"tools":[{"name":"t"}]}`), []byte(`{"llm":{"model":"n"},"tools":null}`))
	f.Fuzz(func(t *testing.T, baseJSON, diffJSON []byte) {
		base, err1 := jsonx.ParseObject(baseJSON)
		diff, err2 := jsonx.ParseObject(diffJSON)
		if err1 != nil || err2 != nil {
			return
		}
		before, err := jsonx.Marshal(base)
		require.NoError(t, err)
		want, err := jsonx.Marshal(migrate.MergePatch(base.Clone(), diff.Clone()))
		require.NoError(t, err)
		got, err := jsonx.Marshal(mergePatchShared(base, diff))
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
		after, err := jsonx.Marshal(base)
		require.NoError(t, err)
		require.Equal(t, string(before), string(after), "base unchanged")
	})
}
