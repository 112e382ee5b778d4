package workspace

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAPIError_SentinelMapping(t *testing.T) {
	tests := []struct {
		name      string
		method    string
		path      string
		status    int
		body      string
		call      func(w *Workspace) error
		is        []error
		isNot     []error
		wantError string
	}{
		{
			name: "401", method: "GET", path: "/api/settings", status: 401, body: `{"detail":"Unauthorized"}`,
			call:      func(w *Workspace) error { _, err := w.Settings(context.Background(), Redacted); return err },
			is:        []error{ErrUnauthorized},
			isNot:     []error{ErrNotFound, ErrConflict, ErrProfileNotFound},
			wantError: "agent-server: GET /api/settings: 401: Unauthorized (the session API key is missing or wrong)",
		},
		{
			name: "404 secret", method: "GET", path: "/api/settings/secrets/MISSING", status: 404, body: `{"detail":"Secret not found"}`,
			call:      func(w *Workspace) error { _, err := w.SecretValue(context.Background(), "MISSING"); return err },
			is:        []error{ErrNotFound},
			isNot:     []error{ErrUnauthorized, ErrConflict, ErrProfileNotFound},
			wantError: "agent-server: GET /api/settings/secrets/MISSING: 404: Secret not found",
		},
		{
			name: "404 profile", method: "GET", path: "/api/profiles/p", status: 404, body: `{"detail":"Profile 'p' not found"}`,
			call:  func(w *Workspace) error { _, err := w.GetProfile(context.Background(), "p", Redacted); return err },
			is:    []error{ErrNotFound, ErrProfileNotFound},
			isNot: []error{ErrConflict},
		},
		{
			name: "404 profile via PATCH active_profile", method: "PATCH", path: "/api/settings", status: 404, body: `{"detail":"Profile 'p' not found"}`,
			call: func(w *Workspace) error {
				_, err := w.PatchSettings(context.Background(), SettingsPatch{ActiveProfile: Some("p")})
				return err
			},
			is: []error{ErrNotFound, ErrProfileNotFound},
		},
		{
			name: "404 MCP is not a profile error", method: "PATCH", path: "/api/settings/mcp/x", status: 404, body: `{"detail":"MCP server 'x' was not found"}`,
			call: func(w *Workspace) error {
				_, err := w.PatchMCPServer(context.Background(), "x", map[string]any{"enabled": false})
				return err
			},
			is:    []error{ErrNotFound},
			isNot: []error{ErrProfileNotFound},
		},
		{
			name: "409", method: "POST", path: "/api/settings/mcp/x", status: 409, body: `{"detail":"MCP server 'x' already exists"}`,
			call: func(w *Workspace) error {
				_, err := w.CreateMCPServer(context.Background(), "x", mcpServerCmd("uvx"))
				return err
			},
			is:        []error{ErrConflict},
			isNot:     []error{ErrNotFound},
			wantError: "agent-server: POST /api/settings/mcp/x: 409: MCP server 'x' already exists",
		},
		{
			name: "422 string", method: "PATCH", path: "/api/settings", status: 422, body: `{"detail":"Settings validation failed"}`,
			call: func(w *Workspace) error {
				_, err := w.PatchSettings(context.Background(), SettingsPatch{ConversationSettingsDiff: map[string]any{"max_iterations": -5}})
				return err
			},
			wantError: "agent-server: PATCH /api/settings: 422: Settings validation failed",
		},
		{
			name: "422 list", method: "PATCH", path: "/api/settings", status: 422,
			body: `{"detail":[{"type":"string_pattern_mismatch","loc":["body","active_profile"],"msg":"String should match pattern","input":"<redacted>"},{"type":"missing","loc":["body",0],"msg":"x"}]}`,
			call: func(w *Workspace) error {
				_, err := w.PatchSettings(context.Background(), SettingsPatch{ActiveProfile: Some("bad name")})
				return err
			},
			wantError: "agent-server: PATCH /api/settings: 422: body.active_profile: String should match pattern (and 1 more)",
		},
		{
			name: "500 unhandled", method: "GET", path: "/api/settings", status: 500,
			body:      `{"detail":"Internal Server Error","exception":"boom","error_id":"0123456789abcdef0123456789abcdef"}`,
			call:      func(w *Workspace) error { _, err := w.Settings(context.Background(), Redacted); return err },
			isNot:     []error{ErrNotFound, ErrConflict, ErrUnauthorized},
			wantError: "agent-server: GET /api/settings: 500: Internal Server Error (boom)",
		},
		{
			name: "plain text error body", method: "GET", path: "/api/settings", status: 400, body: `bad request from proxy`,
			call:      func(w *Workspace) error { _, err := w.Settings(context.Background(), Redacted); return err },
			wantError: "agent-server: GET /api/settings: 400: bad request from proxy",
		},
		{
			name: "empty error body", method: "GET", path: "/api/settings", status: 403, body: ``,
			call:      func(w *Workspace) error { _, err := w.Settings(context.Background(), Redacted); return err },
			wantError: "agent-server: GET /api/settings: 403",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.on(tc.method, tc.path, jsonResp(tc.status, tc.body))
			w, _ := newTestWS(t, f)
			err := tc.call(w)
			require.Error(t, err)
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			require.Equal(t, tc.status, ae.StatusCode)
			require.Equal(t, tc.method, ae.Method)
			require.Equal(t, tc.path, ae.Path)
			for _, s := range tc.is {
				require.ErrorIs(t, err, s)
			}
			for _, s := range tc.isNot {
				require.False(t, errors.Is(err, s), "must not match %v", s)
			}
			if tc.wantError != "" {
				require.Equal(t, tc.wantError, err.Error())
			}
			// errors.As works through further wrapping.
			wrapped := fmt.Errorf("outer: %w", err)
			var ae2 *APIError
			require.ErrorAs(t, wrapped, &ae2)
			require.Equal(t, tc.status, ae2.StatusCode)
		})
	}
}

func TestAPIError_422Issues(t *testing.T) {
	e := newAPIError("POST", "/api/profiles/x", 422, []byte(`{"detail":[{"type":"missing","loc":["body","llm","model"],"msg":"Field required"}]}`), nil)
	require.Equal(t, []Issue{{Type: "missing", Loc: "body.llm.model", Msg: "Field required"}}, e.Issues)
	require.Equal(t, "body.llm.model: Field required", e.Detail)
	require.False(t, e.Temporary())
	require.True(t, (&APIError{StatusCode: 429}).Temporary())
	require.True(t, (&APIError{StatusCode: 503}).Temporary())
}

func TestAPIError_ScrubsSentSecrets(t *testing.T) {
	f := newFake(t)
	// A misbehaving server echoing what it received.
	f.on("PUT", "/api/settings/secrets", jsonResp(400, `{"detail":"bad value hunter2-secret-value for key `+testKey+`","exception":"`+testKey+`"}`))
	w, _ := newTestWS(t, f)
	_, err := w.PutSecret(context.Background(), "NAME", "hunter2-secret-value", nil)
	require.Error(t, err)
	require.NotContains(t, err.Error(), "hunter2-secret-value")
	require.NotContains(t, err.Error(), testKey)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	require.NotContains(t, ae.Detail, testKey)
	require.NotContains(t, ae.Exception, testKey)
}

func TestAPIError_LongDetailClipped(t *testing.T) {
	long := make([]byte, 5000)
	for i := range long {
		long[i] = 'x'
	}
	e := newAPIError("GET", "/api/settings", 400, []byte(`{"detail":"`+string(long)+`"}`), nil)
	require.LessOrEqual(t, len(e.Detail), maxDetail+len("…"))
}
