package workspace_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/workspace"
	"github.com/openhands-go/sdk/workspace/workspacetest"
)

// Invalid UTF-8 would be silently replaced by U+FFFD on the way to the
// server, changing a stored secret: the client refuses it before sending.
func TestInvalidUTF8IsRefusedBeforeSending(t *testing.T) {
	srv := workspacetest.NewServer(t)
	ws, err := workspace.New(srv.URL, workspace.WithAPIKey(srv.APIKey))
	require.NoError(t, err)
	ctx := context.Background()

	_, err = ws.PutSecret(ctx, "BADUTF", "a\xffb", nil)
	require.ErrorIs(t, err, workspace.ErrInvalidUTF8)
	require.NotContains(t, err.Error(), "a\xffb")
	_, err = ws.SecretValue(ctx, "BADUTF")
	require.True(t, errors.Is(err, workspace.ErrNotFound), "nothing was stored: %v", err)

	_, err = ws.PatchSettings(ctx, workspace.SettingsPatch{MiscSettingsDiff: map[string]any{"k": "x\xc3"}})
	require.ErrorIs(t, err, workspace.ErrInvalidUTF8)
	desc := "d\xfe"
	_, err = ws.PutSecret(ctx, "OK_NAME", "v", &desc)
	require.ErrorIs(t, err, workspace.ErrInvalidUTF8)

	// Valid text that merely contains U+FFFD, or a backslash followed by
	// "ufffd", goes through unchanged.
	for name, v := range map[string]string{
		"REPLACEMENT_CHAR": "a\uFFFDb",
		"BACKSLASH_TEXT":   `a\ufffd`,
		"BACKSLASHES":      `a\\\ufffd`,
	} {
		_, err = ws.PutSecret(ctx, name, v, nil)
		require.NoError(t, err, name)
		got, err := ws.SecretValue(ctx, name)
		require.NoError(t, err)
		require.Equal(t, v, got.Reveal(), name)
	}
}
