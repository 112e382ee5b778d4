package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/internal/server"
	"github.com/openhands-go/sdk/internal/store"
	"github.com/openhands-go/sdk/llm"
	"github.com/openhands-go/sdk/mcp"
	"github.com/openhands-go/sdk/secret"
	"github.com/openhands-go/sdk/workspace"
	"github.com/openhands-go/sdk/workspace/workspacetest"
)

// fanout is a slog.Handler that sends every record to several handlers.
type fanout []slog.Handler

func (f fanout) Enabled(ctx context.Context, l slog.Level) bool {
	for _, h := range f {
		if h.Enabled(ctx, l) {
			return true
		}
	}
	return false
}

func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	var errs []error
	for _, h := range f {
		if h.Enabled(ctx, r.Level) {
			errs = append(errs, h.Handle(ctx, r.Clone()))
		}
	}
	return errors.Join(errs...)
}

func (f fanout) WithAttrs(as []slog.Attr) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithAttrs(as)
	}
	return out
}

func (f fanout) WithGroup(name string) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithGroup(name)
	}
	return out
}

// captureLogger logs at debug level through both the JSON and the text
// handler into buf.
func captureLogger(buf *syncBuffer) *slog.Logger {
	o := &slog.HandlerOptions{Level: slog.LevelDebug, AddSource: true}
	return slog.New(fanout{slog.NewJSONHandler(buf, o), slog.NewTextHandler(buf, o)})
}

// panicStore makes the server's handlers panic while armed; the panic
// values carry secrets, which must not reach logs or responses.
type panicStore struct {
	store.Store
	armed atomic.Bool
	msg   string
}

func (p *panicStore) Stat(ctx context.Context, name string) (store.Version, error) {
	if p.armed.Load() {
		panic("stat panic: " + p.msg)
	}
	return p.Store.Stat(ctx, name)
}

func (p *panicStore) Read(ctx context.Context, name string) ([]byte, store.Version, error) {
	if p.armed.Load() {
		panic(errors.New("read panic: " + p.msg))
	}
	return p.Store.Read(ctx, name)
}

func (p *panicStore) Locked(ctx context.Context, lock string, fn func(tx store.Tx) error) error {
	if p.armed.Load() {
		panic(fmt.Errorf("locked panic: %s", p.msg))
	}
	return p.Store.Locked(ctx, lock, fn)
}

// recorder collects every printed form of returned values and errors.
type recorder struct {
	t   testing.TB
	buf *syncBuffer
	log *slog.Logger
}

func (r *recorder) add(vals ...any) {
	for _, v := range vals {
		if v == nil {
			continue
		}
		fmt.Fprintf(r.buf, "%v\n%+v\n%#v\n%s\n%q\n", v, v, v, v, v)
		if err, ok := v.(error); ok {
			fmt.Fprintln(r.buf, err.Error())
			for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(u) {
				fmt.Fprintf(r.buf, "%v\n%+v\n", u, u)
			}
			var apiErr *workspace.APIError
			if errors.As(err, &apiErr) {
				fmt.Fprintf(r.buf, "%+v %#v\n", *apiErr, apiErr.Issues)
			}
			continue
		}
		if b, err := json.Marshal(v); err == nil {
			r.buf.Write(b)
			fmt.Fprintln(r.buf)
		}
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
			// A nil pointer's value-receiver LogValue panics inside slog
			// (slog recovers and prints the panic): nothing to leak.
			continue
		}
		r.log.Info("returned value", "value", v)
	}
}

// TestNoSecretLeaks runs the flows of both examples (failing calls
// included: wrong key, 404s, 422s) plus forced handler panics, capturing the
// server's logs (JSON and text handlers), the client's debug logs, every
// error string and every fmt/JSON/slog rendering of every returned value.
// No secret value, LLM key, session key or encryption key may appear.
func TestNoSecretLeaks(t *testing.T) {
	t.Parallel()
	id := randHex(t, 6)
	sessionKey := "sess-leak-" + id
	wrongKey := "wrong-sess-leak-" + id
	secretKey := "oh-secret-leak-" + id
	llmKey := "sk-llm-leak-" + id
	llmKey2 := "sk-llm2-leak-" + id
	profileKey := "sk-profile-leak-" + id
	awsSecret := "aws-secret-leak-" + id
	tokenValue := "token-value-leak-" + id
	testSecretValue := "test-secret-value-leak-" + id
	invalidNameValue := "invalid-name-value-leak-" + id
	mcpEnvSecret := "mcp-env-leak-" + id
	mcpHeaderSecret := "mcp-header-leak-" + id
	needles := map[string]string{
		"session key": sessionKey, "wrong session key": wrongKey, "OH_SECRET_KEY": secretKey,
		"LLM key": llmKey, "second LLM key": llmKey2, "profile key": profileKey, "AWS secret": awsSecret,
		"secret value": tokenValue, "TEST_SECRET value": testSecretValue, "value sent with an invalid name": invalidNameValue,
		"MCP env secret": mcpEnvSecret, "MCP header secret": mcpHeaderSecret,
	}

	serverLogs, clientLogs, values := &syncBuffer{}, &syncBuffer{}, &syncBuffer{}
	srvLogger := captureLogger(serverLogs)
	srv := workspacetest.NewServer(t,
		workspacetest.WithAPIKey(sessionKey),
		workspacetest.WithSecretKey(secretKey),
		workspacetest.WithLogger(srvLogger))
	clientLogger := captureLogger(clientLogs)
	rec := &recorder{t: t, buf: values, log: captureLogger(values)}
	newWS := func(url, key string) *workspace.Workspace {
		ws, err := workspace.New(url, workspace.WithAPIKey(key), workspace.WithLogger(clientLogger),
			workspace.WithRetry(2, time.Millisecond, 2*time.Millisecond), workspace.WithWorkingDir("/tmp/leaks"))
		require.NoError(t, err)
		t.Cleanup(ws.CloseIdleConnections)
		rec.add(ws, *ws)
		return ws
	}
	ws := newWS(srv.URL, sessionKey)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ok := func(v any, err error) any {
		t.Helper()
		require.NoError(t, err)
		rec.add(v)
		return v
	}
	fails := func(v any, err error) error {
		t.Helper()
		require.Error(t, err)
		rec.add(v, err)
		return err
	}

	// --- examples/settings_and_secrets ---
	ok(ws.PatchSettings(ctx, workspace.SettingsPatch{AgentSettingsDiff: map[string]any{
		"llm": map[string]any{"model": "anthropic/claude-sonnet-4-5-20250929", "api_key": secret.Str(llmKey),
			"aws_secret_access_key": secret.Str(awsSecret)},
	}}))
	desc := "Example project token for demonstration"
	ok(ws.PutSecret(ctx, "MY_PROJECT_TOKEN", tokenValue, &desc))
	ok(ws.ListSecrets(ctx))
	lookups := ok(ws.GetSecrets(ctx, "MY_PROJECT_TOKEN")).(map[string]secret.LookupSecret)
	rec.add(lookups["MY_PROJECT_TOKEN"])
	got, err := lookups["MY_PROJECT_TOKEN"].Resolve(ctx) // the secret itself, by design: not recorded
	require.NoError(t, err)
	require.Equal(t, tokenValue, got)
	lines, err := secret.Environ(ctx, lookups) // NAME=value lines, by design: not recorded
	require.NoError(t, err)
	require.Equal(t, []string{"MY_PROJECT_TOKEN=" + tokenValue}, lines)
	ok(nil, ws.DeleteSecret(ctx, "MY_PROJECT_TOKEN"))
	err = fails(ws.SecretValue(ctx, "MY_PROJECT_TOKEN"))
	require.ErrorIs(t, err, workspace.ErrNotFound)
	for _, name := range []string{"123_invalid", "invalid-name"} {
		err = fails(ws.PutSecret(ctx, name, invalidNameValue, nil))
		var apiErr *workspace.APIError
		require.ErrorAs(t, err, &apiErr)
		require.Equal(t, 422, apiErr.StatusCode)
	}

	// --- examples/workspace_get_llm ---
	anon := newWS(srv.URL, "")
	require.ErrorIs(t, fails(anon.Settings(ctx, workspace.Redacted)), workspace.ErrUnauthorized)
	wrong := newWS(srv.URL, wrongKey)
	require.ErrorIs(t, fails(wrong.Settings(ctx, workspace.Plaintext)), workspace.ErrUnauthorized)
	require.ErrorIs(t, fails(wrong.SecretValue(ctx, "MY_PROJECT_TOKEN")), workspace.ErrUnauthorized)
	require.ErrorIs(t, fails(wrong.GetLLM(ctx)), workspace.ErrUnauthorized)
	for _, e := range []workspace.Exposure{workspace.Redacted, workspace.Encrypted, workspace.Plaintext} {
		ok(ws.Settings(ctx, e))
	}
	ok(ws.PatchSettings(ctx, workspace.SettingsPatch{AgentSettingsDiff: map[string]any{
		"llm": map[string]any{"model": "gpt-4o", "api_key": secret.Str(llmKey)},
	}}))
	l := ok(ws.GetLLM(ctx)).(*llm.LLM)
	require.Equal(t, llmKey, l.APIKey.Reveal())
	rec.add(*l)
	ok(ws.GetLLM(ctx, workspace.WithModel("gpt-4o"), workspace.WithTemperature(0.5)))
	tdesc := "Test secret for demo"
	ok(ws.PutSecret(ctx, "TEST_SECRET", testSecretValue, &tdesc))
	ok(ws.GetSecrets(ctx))
	ok(ws.SecretValue(ctx, "TEST_SECRET"))
	ok(nil, ws.DeleteSecret(ctx, "TEST_SECRET"))
	ok(ws.GetMCPConfig(ctx))
	cmd, transport := "uvx", mcp.TransportStdio
	ok(ws.CreateMCPServer(ctx, "fetch", mcp.Server{Command: &cmd, Args: []string{"mcp-server-fetch"}, Transport: &transport,
		Env: map[string]secret.Str{"FETCH_TOKEN": secret.Str(mcpEnvSecret)}}))
	u := "https://mcp.example.test/mcp"
	ok(ws.CreateMCPServer(ctx, "remote", mcp.Server{URL: &u, Headers: map[string]secret.Str{"X-Api-Key": secret.Str(mcpHeaderSecret)}}))
	cfg := ok(ws.GetMCPConfig(ctx)).(mcp.Config)
	require.Equal(t, mcpEnvSecret, cfg["fetch"].Env["FETCH_TOKEN"].Reveal())
	rec.add(cfg["fetch"], cfg["remote"])
	fails(ws.CreateMCPServer(ctx, "fetch", mcp.Server{Command: &cmd, Env: map[string]secret.Str{"FETCH_TOKEN": secret.Str(mcpEnvSecret)}})) // 409
	fails(ws.PatchMCPServer(ctx, "missing", map[string]any{"env": map[string]any{"K": secret.Str(mcpEnvSecret)}}))                          // 404
	fails(ws.PatchMCPServer(ctx, "fetch", map[string]any{"bogus_member": secret.Str(mcpEnvSecret)}))                                        // 422
	ok(ws.DeleteMCPServer(ctx, "fetch"))

	// Profiles and more failing calls.
	pl := llm.Default()
	pl.Model = "profile-model"
	pl.APIKey = secret.Str(profileKey)
	ok(ws.SaveProfile(ctx, "leaky", pl, true))
	ok(ws.GetProfile(ctx, "leaky", workspace.Plaintext))
	ok(ws.GetProfile(ctx, "leaky", workspace.Encrypted))
	ok(ws.ListProfiles(ctx))
	ok(ws.ActivateProfile(ctx, "leaky"))
	ok(ws.GetLLM(ctx, workspace.FromProfile("leaky")))
	require.ErrorIs(t, fails(ws.GetProfile(ctx, "missing", workspace.Plaintext)), workspace.ErrProfileNotFound)
	require.ErrorIs(t, fails(ws.GetLLM(ctx, workspace.FromProfile("missing"))), workspace.ErrProfileNotFound)
	bad := llm.Default()
	bad.Model = ""
	bad.APIKey = secret.Str(profileKey)
	fails(ws.SaveProfile(ctx, "bad", bad, true)) // 422 list form
	fails(ws.PatchSettings(ctx, workspace.SettingsPatch{AgentSettingsDiff: map[string]any{
		"llm": map[string]any{"model": 123, "api_key": secret.Str(llmKey2)},
	}})) // 422
	fails(ws.PatchSettings(ctx, workspace.SettingsPatch{ConversationSettingsDiff: map[string]any{"max_iterations": llmKey2}})) // 422
	var missing workspace.SettingsPatch
	missing.SetActiveProfile("missing")
	require.ErrorIs(t, fails(ws.PatchSettings(ctx, missing)), workspace.ErrProfileNotFound)
	ok(ws.AgentSchema(ctx))

	// --- forced handler panics ---
	ps := &panicStore{Store: store.NewMemory(), msg: strings.Join([]string{tokenValue, llmKey, sessionKey, secretKey}, " ")}
	h, err := server.New(server.Config{SessionAPIKeys: []string{sessionKey}, SecretKey: &secretKey, Store: ps, Logger: srvLogger, Debug: true})
	require.NoError(t, err)
	ts := httptest.NewUnstartedServer(h)
	ts.Config.ErrorLog = slog.NewLogLogger(srvLogger.Handler(), slog.LevelWarn)
	ts.Start()
	t.Cleanup(ts.Close)
	pws := newWS(ts.URL, sessionKey)
	ok(pws.PutSecret(ctx, "PANIC_SECRET", tokenValue, nil))
	ps.armed.Store(true)
	for _, call := range []func() (any, error){
		func() (any, error) { return pws.Settings(ctx, workspace.Plaintext) },
		func() (any, error) { return pws.SecretValue(ctx, "PANIC_SECRET") },
		func() (any, error) { return pws.GetLLM(ctx) },
		func() (any, error) {
			return pws.PatchSettings(ctx, workspace.SettingsPatch{AgentSettingsDiff: map[string]any{"llm": map[string]any{"api_key": secret.Str(llmKey)}}})
		},
	} {
		v, err := call()
		var apiErr *workspace.APIError
		require.ErrorAs(t, fails(v, err), &apiErr)
		require.Equal(t, 500, apiErr.StatusCode)
		require.NotEmpty(t, apiErr.ErrorID)
	}
	ps.armed.Store(false)

	// The capture worked: both handlers wrote, the panics were logged.
	srvText := serverLogs.String()
	require.Contains(t, srvText, `"msg":"Unhandled exception"`, "JSON handler captured nothing")
	require.Contains(t, srvText, `msg="Unhandled exception"`, "text handler captured nothing")
	require.Contains(t, srvText, "stack", "the panic stack was not logged")
	require.NotEmpty(t, clientLogs.String(), "the client logged nothing (retries of the 500s are logged at debug level)")

	for what, hay := range map[string]string{"server logs": srvText, "client logs": clientLogs.String(), "returned values and errors": values.String()} {
		for name, needle := range needles {
			require.NotContains(t, hay, needle, "%s leaked into the %s", name, what)
		}
	}
	t.Logf("searched %d KB of server logs, %d KB of client logs, %d KB of printed values/errors for %d secrets: no hit",
		len(srvText)>>10, len(clientLogs.String())>>10, len(values.String())>>10, len(needles))
}

// TestWorkspacetestServerHidesKey prints a workspacetest.Server every way a
// test might (fmt, slog text and JSON, encoding/json): its session key
// (Server.APIKey) must not appear.
func TestWorkspacetestServerHidesKey(t *testing.T) {
	t.Parallel()
	key := "sess-srv-print-" + randHex(t, 6)
	srv := workspacetest.NewServer(t, workspacetest.WithAPIKey(key))
	buf := &syncBuffer{}
	fmt.Fprintf(buf, "%v %+v %#v %s\n", srv, srv, srv, srv)
	captureLogger(buf).Info("server", "srv", srv)
	if b, err := json.Marshal(srv); err == nil {
		buf.Write(b)
	}
	require.NotContains(t, buf.String(), key)
}
