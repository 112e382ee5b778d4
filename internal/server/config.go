package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/openhands-go/sdk/internal/jsonx"
)

// DefaultConfigPath is where the agent-server config file is looked for
// when OPENHANDS_AGENT_SERVER_CONFIG_PATH is unset (relative to the working
// directory).
const DefaultConfigPath = "workspace/openhands_agent_server_config.json"

// maxIndexedKeys bounds the OH_SESSION_API_KEYS_<i> scan.
const maxIndexedKeys = 4096

// ConfigFromEnv builds a Config from environment variables and the optional
// agent-server config file, as upstream does (server-api.md §2.1,
// persistence.md §1 and §6.1). getenv is os.Getenv-like: it cannot tell an
// unset variable from an empty one, so an empty OH_SECRET_KEY counts as
// unset here; use ConfigFromLookupEnv(os.LookupEnv, ...) for the exact rule
// ("an empty OH_SECRET_KEY is a key"). readFile reads the config file
// (os.ReadFile); a missing file is fine.
func ConfigFromEnv(getenv func(string) string, readFile func(string) ([]byte, error)) (Config, error) {
	return ConfigFromLookupEnv(func(k string) (string, bool) {
		v := getenv(k)
		return v, v != ""
	}, readFile)
}

// ConfigFromLookupEnv is ConfigFromEnv with an os.LookupEnv-like function,
// which distinguishes an empty variable from an unset one.
//
// Session keys: OH_SESSION_API_KEYS (a JSON array of strings, or a count N
// whose items come from OH_SESSION_API_KEYS_<i>; each item can be overridden
// by OH_SESSION_API_KEYS_<i>); else OH_SESSION_API_KEYS_0, _1, … up to the
// first missing index; else the config file's "session_api_keys"; else the
// legacy SESSION_API_KEY. Secret key: OH_SECRET_KEY (even empty) → config
// file "secret_key" → SESSION_API_KEY → OH_SESSION_API_KEYS_0. DataDir:
// OH_PERSISTENCE_DIR when non-empty, else ~/.openhands. Debug: DEBUG is
// 1/true/yes (case-insensitive).
func ConfigFromLookupEnv(lookup func(string) (string, bool), readFile func(string) ([]byte, error)) (Config, error) {
	get := func(k string) string { v, _ := lookup(k); return v }
	var cfg Config

	path := get("OPENHANDS_AGENT_SERVER_CONFIG_PATH")
	if path == "" {
		path = DefaultConfigPath
	}
	file, err := readConfigFile(readFile, path)
	if err != nil {
		return Config{}, err
	}

	keys, found, err := sessionKeysFromEnv(lookup)
	if err != nil {
		return Config{}, err
	}
	if !found && file != nil {
		if v, ok := file.Get("session_api_keys"); ok && v != nil {
			keys, err = stringList(v)
			if err != nil {
				return Config{}, fmt.Errorf("config file %s: session_api_keys: %w", path, err)
			}
			found = true
		}
	}
	if !found {
		if v := get("SESSION_API_KEY"); v != "" {
			keys = []string{v}
		}
	}
	for _, k := range keys {
		if k != "" {
			cfg.SessionAPIKeys = append(cfg.SessionAPIKeys, k)
		}
	}

	if v, ok := lookup("OH_SECRET_KEY"); ok {
		cfg.SecretKey = &v
	} else if sk, ok := fileString(file, "secret_key"); ok {
		cfg.SecretKey = &sk
	} else if v := get("SESSION_API_KEY"); v != "" {
		cfg.SecretKey = &v
	} else if v := get("OH_SESSION_API_KEYS_0"); v != "" {
		cfg.SecretKey = &v
	}

	if v := get("OH_PERSISTENCE_DIR"); v != "" {
		cfg.DataDir = v
	} else {
		home := get("HOME")
		if home == "" {
			if h, err := os.UserHomeDir(); err == nil {
				home = h
			}
		}
		if home == "" {
			return Config{}, errors.New("cannot determine the persistence directory: set OH_PERSISTENCE_DIR or HOME")
		}
		cfg.DataDir = filepath.Join(home, ".openhands")
	}

	switch strings.ToLower(strings.TrimSpace(get("DEBUG"))) {
	case "1", "true", "yes":
		cfg.Debug = true
	}
	return cfg, nil
}

// readConfigFile parses the agent-server config file; a missing file gives
// nil. Error texts never quote the file's content.
func readConfigFile(readFile func(string) ([]byte, error), path string) (*jsonx.Object, error) {
	if readFile == nil {
		return nil, nil
	}
	data, err := readFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	obj, err := jsonx.ParseObject(data)
	if err != nil {
		var se *jsonx.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("config file %s: not a JSON object (problem at byte %d)", path, se.Offset)
		}
		return nil, fmt.Errorf("config file %s: not a JSON object", path)
	}
	return obj, nil
}

// fileString reads a string member of the config file (null = unset).
func fileString(file *jsonx.Object, key string) (string, bool) {
	if file == nil {
		return "", false
	}
	return file.String(key)
}

// stringList converts a JSON array of strings.
func stringList(v any) ([]string, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, errors.New("not a list of strings")
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("item %d is not a string", i)
		}
		out = append(out, s)
	}
	return out, nil
}

// sessionKeysFromEnv reads OH_SESSION_API_KEYS and OH_SESSION_API_KEYS_<i>.
// found reports whether the environment defined the list at all.
func sessionKeysFromEnv(lookup func(string) (string, bool)) (keys []string, found bool, err error) {
	const name = "OH_SESSION_API_KEYS"
	indexed := func(i int) (string, bool) { return lookup(name + "_" + strconv.Itoa(i)) }
	raw, ok := lookup(name)
	if !ok {
		for i := 0; i < maxIndexedKeys; i++ {
			v, ok := indexed(i)
			if !ok {
				break
			}
			keys = append(keys, v)
		}
		return keys, len(keys) > 0, nil
	}
	v, perr := jsonx.Parse([]byte(raw))
	if perr != nil {
		return nil, false, fmt.Errorf("%s must be a JSON list of strings", name)
	}
	var items []any
	switch t := v.(type) {
	case []any:
		items = t
	case json.Number:
		n, err := strconv.Atoi(t.String())
		if err != nil || n < 0 || n > maxIndexedKeys {
			return nil, false, fmt.Errorf("%s must be a JSON list of strings", name)
		}
		items = make([]any, n)
	default:
		return nil, false, fmt.Errorf("%s must be a JSON list of strings", name)
	}
	keys = make([]string, len(items))
	for i, it := range items {
		if o, ok := indexed(i); ok {
			keys[i] = o
			continue
		}
		s, ok := it.(string)
		if !ok {
			return nil, false, fmt.Errorf("%s item %d is not a string (set it or %s_%d)", name, i, name, i)
		}
		keys[i] = s
	}
	return keys, true, nil
}
