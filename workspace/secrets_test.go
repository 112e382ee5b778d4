package workspace

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

const secretsListBody = `{"secrets":[{"name":"GITHUB_TOKEN","description":"GitHub PAT"},{"name":"OPENAI_API_KEY","description":null},{"name":"weird name/x","description":null}]}`

func TestGetSecrets(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/api/settings/secrets", jsonResp(200, secretsListBody))
	w, err := New("http://localhost:8000/", WithAPIKey("test-key"), WithHTTPClient(newHTTPClient(f)))
	require.NoError(t, err)

	got, err := w.GetSecrets(context.Background())
	require.NoError(t, err)
	require.Equal(t, []string{"GITHUB_TOKEN", "OPENAI_API_KEY", "weird name/x"}, sortedKeys(got))

	gh := got["GITHUB_TOKEN"]
	require.Equal(t, "http://localhost:8000/api/settings/secrets/GITHUB_TOKEN", gh.URL)
	require.Equal(t, map[string]string{"X-Session-API-Key": "test-key"}, gh.Headers)
	require.Equal(t, "GitHub PAT", *gh.Description)
	require.Nil(t, got["OPENAI_API_KEY"].Description)
	// Valid names need no escaping (the URL equals upstream's concatenation);
	// a name no valid server would list is path-escaped, so it can never
	// point a LookupSecret at another path.
	require.Equal(t, "http://localhost:8000/api/settings/secrets/weird%20name%2Fx", got["weird name/x"].URL)

	// Each LookupSecret holds its own copy of the auth headers.
	gh.Headers["X-Session-API-Key"] = "mutated"
	require.Equal(t, "test-key", got["OPENAI_API_KEY"].Headers["X-Session-API-Key"])
	require.Equal(t, map[string]string{HeaderSessionAPIKey: "test-key"}, w.AuthHeaders())

	// The list request carried the auth header only; never a value request.
	reqs := f.requests()
	require.Len(t, reqs, 1)
	require.Equal(t, "GET", reqs[0].Method)
	require.Equal(t, "/api/settings/secrets", reqs[0].Path)
	require.Equal(t, map[string]string{"X-Session-Api-Key": "test-key"}, apiHeaders(reqs[0].Header))

	// Serialised for a conversation: plaintext headers.
	plain, err := gh.PlaintextJSON()
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(plain, &m))
	require.Equal(t, "LookupSecret", m["kind"])
}

func TestGetSecrets_Filter(t *testing.T) {
	many := make([]string, 0, 20)
	for i := 0; i < 20; i++ {
		many = append(many, "X"+string(rune('A'+i)))
	}
	many = append(many, "GITHUB_TOKEN")
	tests := []struct {
		name  string
		names []string
	}{
		{"no names → all", []string{"GITHUB_TOKEN", "OPENAI_API_KEY", "weird name/x"}},
		{"subset", []string{"GITHUB_TOKEN"}},
		{"unknown names absent", []string{"GITHUB_TOKEN"}},
		{"explicit empty filter", []string{}},
		{"many names (map filter)", []string{"GITHUB_TOKEN"}},
	}
	calls := []func(w *Workspace) (map[string]struct{}, error){
		func(w *Workspace) (map[string]struct{}, error) { return keysOf(w.GetSecrets(context.Background())) },
		func(w *Workspace) (map[string]struct{}, error) {
			return keysOf(w.GetSecrets(context.Background(), "GITHUB_TOKEN"))
		},
		func(w *Workspace) (map[string]struct{}, error) {
			return keysOf(w.GetSecrets(context.Background(), "GITHUB_TOKEN", "NOT_THERE"))
		},
		func(w *Workspace) (map[string]struct{}, error) {
			return keysOf(w.GetSecretsNamed(context.Background(), []string{}))
		},
		func(w *Workspace) (map[string]struct{}, error) {
			return keysOf(w.GetSecretsNamed(context.Background(), many))
		},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.on("GET", "/api/settings/secrets", jsonResp(200, secretsListBody))
			w, _ := newTestWS(t, f)
			got, err := calls[i](w)
			require.NoError(t, err)
			require.Equal(t, tc.names, sortedKeys(got))
			require.Equal(t, 1, f.count(), "the list request is made even for an empty filter")
		})
	}
}

func keysOf[V any](m map[string]V, err error) (map[string]struct{}, error) {
	out := map[string]struct{}{}
	for k := range m {
		out[k] = struct{}{}
	}
	return out, err
}

func TestGetSecrets_NoKeyEmptyHeaders(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/api/settings/secrets", jsonResp(200, secretsListBody))
	w, _ := newTestWS(t, f, WithAPIKey(""))
	got, err := w.GetSecrets(context.Background(), "GITHUB_TOKEN")
	require.NoError(t, err)
	require.Equal(t, map[string]string{}, got["GITHUB_TOKEN"].Headers)
	require.NotNil(t, got["GITHUB_TOKEN"].Headers)
	require.Equal(t, map[string]string{}, apiHeaders(f.requests()[0].Header))
}

func TestGetSecrets_BadBodies(t *testing.T) {
	for _, body := range []string{`[]`, `{"secrets":{}}`, `{"secrets":[{"description":"x"}]}`, `not json`, `{"secrets":[{"name":5}]}`} {
		f := newFake(t)
		f.on("GET", "/api/settings/secrets", jsonResp(200, body))
		w, _ := newTestWS(t, f)
		_, err := w.GetSecrets(context.Background())
		require.ErrorIs(t, err, ErrInvalidResponse, body)
		require.Equal(t, 1, f.count())
	}
	f := newFake(t)
	f.on("GET", "/api/settings/secrets", jsonResp(200, `{"secrets":null}`))
	w, _ := newTestWS(t, f)
	got, err := w.ListSecrets(context.Background())
	require.NoError(t, err)
	require.NotNil(t, got)
	require.Empty(t, got)
}

func TestSecretCRUD(t *testing.T) {
	f := newFake(t)
	f.on("PUT", "/api/settings/secrets", jsonResp(200, `{"name":"MY_SECRET","description":"optional text"}`))
	f.on("GET", "/api/settings/secrets/MY_SECRET", textResp(200, "  exact value\n"))
	f.on("DELETE", "/api/settings/secrets/MY_SECRET", jsonResp(200, `{"deleted":true}`))
	f.on("GET", "/api/settings/secrets/a%20b%2Fc", textResp(404, `{"detail":"Secret not found"}`))
	w, _ := newTestWS(t, f)
	ctx := context.Background()

	desc := "optional text"
	info, err := w.PutSecret(ctx, "MY_SECRET", "secret-value", &desc)
	require.NoError(t, err)
	require.Equal(t, &SecretInfo{Name: "MY_SECRET", Description: &desc}, info)

	v, err := w.SecretValue(ctx, "MY_SECRET")
	require.NoError(t, err)
	require.Equal(t, "  exact value\n", v.Reveal(), "value returned exactly, no trimming")

	require.NoError(t, w.DeleteSecret(ctx, "MY_SECRET"))

	_, err = w.SecretValue(ctx, "a b/c")
	require.ErrorIs(t, err, ErrNotFound)

	for _, bad := range []string{"", ".", ".."} {
		_, err = w.SecretValue(ctx, bad)
		require.Error(t, err)
		require.Error(t, w.DeleteSecret(ctx, bad))
	}

	reqs := f.requests()
	require.Len(t, reqs, 4)
	require.JSONEq(t, `{"name":"MY_SECRET","value":"secret-value","description":"optional text"}`, reqs[0].Body)
	require.Equal(t, "application/json", reqs[0].Header.Get("Content-Type"))
	for _, r := range reqs {
		require.Equal(t, map[string]string{"X-Session-Api-Key": testKey}, apiHeaders(r.Header), "%s %s: no X-Expose-Secrets", r.Method, r.Path)
	}
	require.Equal(t, "/api/settings/secrets/a%20b%2Fc", reqs[3].Path)

	// nil description is sent as null.
	f2 := newFake(t)
	f2.on("PUT", "/api/settings/secrets", jsonResp(200, `{"name":"A","description":null}`))
	w2, _ := newTestWS(t, f2)
	info, err = w2.PutSecret(ctx, "A", "v<>&", nil)
	require.NoError(t, err)
	require.Nil(t, info.Description)
	require.Equal(t, `{"name":"A","value":"v<>&","description":null}`, f2.requests()[0].Body)
}
