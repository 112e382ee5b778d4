package server

import (
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func strp(s string) *string { return &s }

func TestConfigFromLookupEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		files   map[string]string
		keys    []string
		secret  *string
		dataDir string
		debug   bool
		err     bool
	}{
		{name: "nothing", env: map[string]string{}, dataDir: "/home/u/.openhands"},
		{name: "json list", env: map[string]string{"OH_SESSION_API_KEYS": `["a","b"]`}, keys: []string{"a", "b"}},
		{name: "json list with override", env: map[string]string{"OH_SESSION_API_KEYS": `["a","b"]`, "OH_SESSION_API_KEYS_1": "c"}, keys: []string{"a", "c"}},
		{name: "json count", env: map[string]string{"OH_SESSION_API_KEYS": `2`, "OH_SESSION_API_KEYS_0": "x", "OH_SESSION_API_KEYS_1": "y"}, keys: []string{"x", "y"}, secret: strp("x")},
		{name: "json count missing item", env: map[string]string{"OH_SESSION_API_KEYS": `2`, "OH_SESSION_API_KEYS_0": "x"}, err: true},
		{name: "invalid json", env: map[string]string{"OH_SESSION_API_KEYS": `[not-json-Secret`}, err: true},
		{name: "json object", env: map[string]string{"OH_SESSION_API_KEYS": `{"a": 1}`}, err: true},
		{name: "empty json list disables auth", env: map[string]string{"OH_SESSION_API_KEYS": `[]`, "SESSION_API_KEY": "legacy"}, secret: strp("legacy")},
		{name: "indexed until gap", env: map[string]string{"OH_SESSION_API_KEYS_0": "a", "OH_SESSION_API_KEYS_1": "b", "OH_SESSION_API_KEYS_3": "d"}, keys: []string{"a", "b"}, secret: strp("a")},
		{name: "legacy", env: map[string]string{"SESSION_API_KEY": "legacy"}, keys: []string{"legacy"}, secret: strp("legacy")},
		{name: "empty legacy ignored", env: map[string]string{"SESSION_API_KEY": ""}},
		{
			name:  "config file",
			env:   map[string]string{"SESSION_API_KEY": "legacy"},
			files: map[string]string{DefaultConfigPath: `{"session_api_keys": ["f1", "f2"], "secret_key": "file-secret"}`},
			keys:  []string{"f1", "f2"}, secret: strp("file-secret"),
		},
		{
			name:  "env overrides file",
			env:   map[string]string{"OH_SESSION_API_KEYS_0": "e", "OH_SECRET_KEY": "env-secret"},
			files: map[string]string{DefaultConfigPath: `{"session_api_keys": ["f1"], "secret_key": "file-secret"}`},
			keys:  []string{"e"}, secret: strp("env-secret"),
		},
		{
			name:  "custom config path",
			env:   map[string]string{"OPENHANDS_AGENT_SERVER_CONFIG_PATH": "/etc/oh.json"},
			files: map[string]string{"/etc/oh.json": `{"session_api_keys": ["c1"]}`, DefaultConfigPath: `{"session_api_keys": ["ignored"]}`},
			keys:  []string{"c1"},
		},
		{name: "invalid config file", files: map[string]string{DefaultConfigPath: `{"session_api_keys": `}, err: true},
		{name: "config file wrong type", files: map[string]string{DefaultConfigPath: `{"session_api_keys": "k"}`}, err: true},
		{name: "empty OH_SECRET_KEY is a key", env: map[string]string{"OH_SECRET_KEY": "", "SESSION_API_KEY": "legacy"}, keys: []string{"legacy"}, secret: strp("")},
		{name: "json keys are no secret fallback", env: map[string]string{"OH_SESSION_API_KEYS": `["j"]`}, keys: []string{"j"}},
		{name: "empty keys dropped", env: map[string]string{"OH_SESSION_API_KEYS": `["", "k"]`}, keys: []string{"k"}},
		{name: "persistence dir", env: map[string]string{"OH_PERSISTENCE_DIR": "/data/oh"}, dataDir: "/data/oh"},
		{name: "empty persistence dir", env: map[string]string{"OH_PERSISTENCE_DIR": ""}, dataDir: "/home/u/.openhands"},
		{name: "debug yes", env: map[string]string{"DEBUG": "Yes"}, debug: true},
		{name: "debug 1", env: map[string]string{"DEBUG": "1"}, debug: true},
		{name: "debug other", env: map[string]string{"DEBUG": "on"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"HOME": "/home/u"}
			for k, v := range tc.env {
				env[k] = v
			}
			lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
			read := func(p string) ([]byte, error) {
				if d, ok := tc.files[p]; ok {
					return []byte(d), nil
				}
				return nil, fs.ErrNotExist
			}
			cfg, err := ConfigFromLookupEnv(lookup, read)
			if tc.err {
				require.Error(t, err)
				require.NotContains(t, err.Error(), "Secret")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.keys, cfg.SessionAPIKeys)
			require.Equal(t, tc.secret, cfg.SecretKey)
			want := tc.dataDir
			if want == "" {
				want = filepath.Join("/home/u", ".openhands")
			}
			require.Equal(t, want, cfg.DataDir)
			require.Equal(t, tc.debug, cfg.Debug)
		})
	}
}

func TestConfigFromEnvGetenv(t *testing.T) {
	env := map[string]string{"HOME": "/h", "OH_SECRET_KEY": "", "SESSION_API_KEY": "legacy"}
	cfg, err := ConfigFromEnv(func(k string) string { return env[k] }, func(string) ([]byte, error) { return nil, fs.ErrNotExist })
	require.NoError(t, err)
	// With a getenv function an empty variable reads as unset.
	require.Equal(t, strp("legacy"), cfg.SecretKey)
	require.Equal(t, []string{"legacy"}, cfg.SessionAPIKeys)

	// A read error other than "missing" is reported.
	_, err = ConfigFromEnv(func(k string) string { return env[k] }, func(string) ([]byte, error) { return nil, fs.ErrPermission })
	require.Error(t, err)
}
