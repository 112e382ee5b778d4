package secret_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/secret"
)

func sp(s string) *string { return &s }

func TestStaticSecretJSON(t *testing.T) {
	cases := []struct {
		name       string
		in         secret.StaticSecret
		redacted   string
		plaintext  string
		specSample string
	}{
		{
			name:       "spec example",
			in:         secret.StaticSecret{Value: "s3cr3t"},
			redacted:   `{"description":null,"value":"**********","kind":"StaticSecret"}`,
			plaintext:  `{"description":null,"value":"s3cr3t","kind":"StaticSecret"}`,
			specSample: `{"description": null, "value": "s3cr3t", "kind": "StaticSecret"}`,
		},
		{
			name:      "description and empty value",
			in:        secret.StaticSecret{Description: sp("d")},
			redacted:  `{"description":"d","value":null,"kind":"StaticSecret"}`,
			plaintext: `{"description":"d","value":null,"kind":"StaticSecret"}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.in)
			require.NoError(t, err)
			require.Equal(t, tc.redacted, string(b))
			b, err = json.Marshal(&tc.in)
			require.NoError(t, err)
			require.Equal(t, tc.redacted, string(b))
			p, err := tc.in.PlaintextJSON()
			require.NoError(t, err)
			require.Equal(t, tc.plaintext, string(p))
			if tc.specSample != "" {
				require.JSONEq(t, tc.specSample, string(p))
			}
			var back secret.StaticSecret
			require.NoError(t, json.Unmarshal(p, &back))
			require.Equal(t, tc.in, back)
		})
	}
}

func TestStaticSecretUnmarshal(t *testing.T) {
	cases := []struct {
		in      string
		want    secret.StaticSecret
		wantErr string
	}{
		{in: `{"value":"x"}`, want: secret.StaticSecret{Value: "x"}},
		{in: `{"value":"x","kind":"StaticSecret","extra":1}`, want: secret.StaticSecret{Value: "x"}},
		{in: `{"value":null,"description":"d"}`, want: secret.StaticSecret{Description: sp("d")}},
		{in: `{}`, want: secret.StaticSecret{}},
		{in: `{"value":"x","kind":"LookupSecret"}`, wantErr: `"kind" must be "StaticSecret"`},
		{in: `{"value":5}`, wantErr: `member "value"`},
		{in: `{"description":5}`, wantErr: `member "description"`},
		{in: `"plain"`, wantErr: "expected a JSON object"},
		{in: `{"value":"x"`, wantErr: "invalid JSON"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			var s secret.StaticSecret
			err := s.UnmarshalJSON([]byte(tc.in))
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, s)
		})
	}
}

func TestStaticSecretResolve(t *testing.T) {
	v, err := secret.StaticSecret{Value: "abc"}.Resolve(context.Background())
	require.NoError(t, err)
	require.Equal(t, "abc", v)

	_, err = secret.StaticSecret{}.Resolve(context.Background())
	require.ErrorIs(t, err, secret.ErrEmpty)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = secret.StaticSecret{Value: "abc"}.Resolve(ctx)
	require.ErrorIs(t, err, context.Canceled)
}

func TestIsSecretHeaderName(t *testing.T) {
	cases := map[string]bool{
		"X-Session-API-Key": true,
		"Authorization":     true,
		"cookie":            true,
		"Set-Cookie":        true,
		"X-Credential-Id":   true,
		"x-api-key":         true,
		"Password":          true,
		"X-Secret":          true,
		"session":           true,
		"X-Auth-Token":      true,
		"Accept":            false,
		"Content-Type":      false,
		"X-Request-Id":      false,
		"":                  false,
	}
	for name, want := range cases {
		require.Equal(t, want, secret.IsSecretHeaderName(name), name)
	}
}

func TestLookupSecretJSON(t *testing.T) {
	spec := `{"description": "GitHub token",
 "url": "http://localhost:8000/api/settings/secrets/GITHUB_TOKEN",
 "headers": {"X-Session-API-Key": "session-key"},
 "kind": "LookupSecret"}`
	var l secret.LookupSecret
	require.NoError(t, json.Unmarshal([]byte(spec), &l))
	require.Equal(t, secret.LookupSecret{
		Description: sp("GitHub token"),
		URL:         "http://localhost:8000/api/settings/secrets/GITHUB_TOKEN",
		Headers:     map[string]string{"X-Session-API-Key": "session-key"},
	}, l)

	p, err := l.PlaintextJSON()
	require.NoError(t, err)
	require.JSONEq(t, spec, string(p))
	require.Equal(t, `{"description":"GitHub token","url":"http://localhost:8000/api/settings/secrets/GITHUB_TOKEN","headers":{"X-Session-API-Key":"session-key"},"kind":"LookupSecret"}`, string(p))

	r, err := json.Marshal(l)
	require.NoError(t, err)
	require.Equal(t, `{"description":"GitHub token","url":"http://localhost:8000/api/settings/secrets/GITHUB_TOKEN","headers":{"X-Session-API-Key":"**********"},"kind":"LookupSecret"}`, string(r))

	// Non-secret header values are kept in the redacted form; no headers → {}.
	mixed := secret.LookupSecret{URL: "http://h/x", Headers: map[string]string{"Accept": "text/plain", "Authorization": "Bearer t"}}
	r, err = json.Marshal(mixed)
	require.NoError(t, err)
	require.Equal(t, `{"description":null,"url":"http://h/x","headers":{"Accept":"text/plain","Authorization":"**********"},"kind":"LookupSecret"}`, string(r))
	r, err = json.Marshal(secret.LookupSecret{URL: "http://h/x"})
	require.NoError(t, err)
	require.Equal(t, `{"description":null,"url":"http://h/x","headers":{},"kind":"LookupSecret"}`, string(r))
}

func TestLookupSecretUnmarshal(t *testing.T) {
	cases := []struct {
		name    string
		env     *string
		in      string
		want    secret.LookupSecret
		wantErr string
	}{
		{
			name: "headers dropped when empty, whitespace or marker",
			in:   `{"url":"http://h/x","headers":{"A":"","B":"  \t","C":"**********","D":"keep","E":null}}`,
			want: secret.LookupSecret{URL: "http://h/x", Headers: map[string]string{"D": "keep"}},
		},
		{
			name: "no headers is an empty map",
			in:   `{"url":"http://h/x"}`,
			want: secret.LookupSecret{URL: "http://h/x", Headers: map[string]string{}},
		},
		{
			name: "relative URL default base",
			in:   `{"url":"/api/settings/secrets/X","kind":"LookupSecret"}`,
			env:  sp(""),
			want: secret.LookupSecret{URL: "http://127.0.0.1:8000/api/settings/secrets/X", Headers: map[string]string{}},
		},
		{
			name: "relative URL env base with trailing slash",
			in:   `{"url":"api/settings/secrets/X"}`,
			env:  sp("https://internal:9000/base/"),
			want: secret.LookupSecret{URL: "https://internal:9000/base/api/settings/secrets/X", Headers: map[string]string{}},
		},
		{
			name: "absolute URL untouched",
			in:   `{"url":"https://example.com/v"}`,
			env:  sp("https://internal:9000"),
			want: secret.LookupSecret{URL: "https://example.com/v", Headers: map[string]string{}},
		},
		{name: "url required", in: `{"headers":{}}`, wantErr: `"url" is required`},
		{name: "url null", in: `{"url":null}`, wantErr: `"url" is required`},
		{name: "url type", in: `{"url":1}`, wantErr: `member "url"`},
		{name: "headers type", in: `{"url":"http://h","headers":{"A":1}}`, wantErr: `member "headers"`},
		{name: "wrong kind", in: `{"url":"http://h","kind":"StaticSecret"}`, wantErr: `"kind" must be "LookupSecret"`},
		{name: "not object", in: `[]`, wantErr: "expected a JSON object"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env != nil {
				t.Setenv(secret.EnvInternalServerURL, *tc.env)
			}
			var l secret.LookupSecret
			err := json.Unmarshal([]byte(tc.in), &l)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, l)
		})
	}
}

func TestNullIsNoOp(t *testing.T) {
	l := secret.LookupSecret{URL: "http://h/x"}
	require.NoError(t, json.Unmarshal([]byte(`null`), &l))
	require.Equal(t, "http://h/x", l.URL)
	s := secret.StaticSecret{Value: "v"}
	require.NoError(t, json.Unmarshal([]byte(` null `), &s))
	require.Equal(t, secret.Str("v"), s.Value)
	var wrapper struct {
		L *secret.LookupSecret
		S secret.StaticSecret
	}
	require.NoError(t, json.Unmarshal([]byte(`{"L":null,"S":null}`), &wrapper))
	require.Nil(t, wrapper.L)
}

func TestLookupSecretUnmarshalErrorHasNoValue(t *testing.T) {
	var l secret.LookupSecret
	err := json.Unmarshal([]byte(`{"url":"http://h","headers":{"X-Session-API-Key":["topsecretvalue"]}}`), &l)
	require.Error(t, err)
	require.NotContains(t, err.Error(), "topsecretvalue")
	var s secret.StaticSecret
	err = s.UnmarshalJSON([]byte(`{"value":"topsecretvalue"`))
	require.Error(t, err)
	require.NotContains(t, err.Error(), "topsecretvalue")
	require.False(t, errors.Is(err, secret.ErrEmpty))
}

func FuzzLookupSecretUnmarshalJSON(f *testing.F) {
	f.Add([]byte(`{"description":"d","url":"http://h/x","headers":{"X-Session-API-Key":"k"},"kind":"LookupSecret"}`))
	f.Add([]byte(`{"url":"/rel","headers":{"A":" "}}`))
	f.Add([]byte(`{"url":""}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		t.Setenv(secret.EnvInternalServerURL, "http://base:1")
		if string(bytes.TrimSpace(data)) == "null" {
			return // null leaves the zero value, which has no URL
		}
		var l secret.LookupSecret
		if err := json.Unmarshal(data, &l); err != nil {
			return
		}
		p, err := l.PlaintextJSON()
		require.NoError(t, err)
		var back secret.LookupSecret
		require.NoError(t, json.Unmarshal(p, &back))
		require.Equal(t, l, back)
	})
}

func FuzzStaticSecretUnmarshalJSON(f *testing.F) {
	f.Add([]byte(`{"description":null,"value":"s3cr3t","kind":"StaticSecret"}`))
	f.Add([]byte(`{"value":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s secret.StaticSecret
		if err := json.Unmarshal(data, &s); err != nil {
			return
		}
		p, err := s.PlaintextJSON()
		require.NoError(t, err)
		var back secret.StaticSecret
		require.NoError(t, json.Unmarshal(p, &back))
		require.Equal(t, s, back)
	})
}
