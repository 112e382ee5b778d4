// Command settings_and_secrets is the Go port of the upstream example
// examples/02_remote_agent_server/12_settings_and_secrets_api.py: the whole
// Settings and Secrets API flow, written with the SDK's typed methods only.
//
//	go run ./examples/settings_and_secrets
//
// It starts the bundled Go agent-server in-process (temporary data directory,
// random session and secret keys), or uses AGENT_SERVER_URL and
// SESSION_API_KEY to run against any agent-server, upstream's included. It
// reads LLM_API_KEY, LLM_MODEL and LLM_BASE_URL as upstream does; without
// LLM_API_KEY a placeholder key is stored.
//
// Steps: store the LLM configuration; create a secret; list secrets (never
// values); build the LookupSecret for it and resolve it the way the
// agent-server does; start a child process with secret.Environ and show it
// sees $MY_PROJECT_TOKEN (where upstream runs an LLM agent that echoes it —
// running an agent is out of scope here); delete the secret and verify 404;
// show that invalid names are rejected with 422.
//
// No secret value is printed. The exit status is non-zero at the first failed
// step.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/openhands-go/sdk/examples/internal/exenv"
	"github.com/openhands-go/sdk/secret"
	"github.com/openhands-go/sdk/workspace"
)

const (
	secretName  = "MY_PROJECT_TOKEN"
	secretValue = "super-secret-token-12345"
	childEnv    = "SETTINGS_EXAMPLE_CHILD"
)

func main() {
	if os.Getenv(childEnv) == "1" {
		childMain()
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "settings_and_secrets:", err)
		os.Exit(1)
	}
}

// childMain is the child process: it reports a digest of $MY_PROJECT_TOKEN,
// never the value itself.
func childMain() {
	v, ok := os.LookupEnv(secretName)
	if !ok {
		fmt.Println("unset")
		return
	}
	fmt.Println(digest(v))
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

func run(ctx context.Context, getenv func(string) string, out io.Writer) error {
	env, err := exenv.Setup(getenv)
	if err != nil {
		return err
	}
	defer env.Close()
	env.Describe(out)

	ws, err := workspace.New(env.Host, workspace.WithAPIKey(env.APIKey))
	if err != nil {
		return err
	}
	defer ws.CloseIdleConnections()
	s := &exenv.Steps{W: out, Ctx: ctx}

	s.Section("Storing LLM configuration via the Settings API")
	if err := s.Do("store LLM settings", func() (string, error) {
		settings, err := ws.PatchSettings(ctx, workspace.SettingsPatch{
			AgentSettingsDiff: map[string]any{"llm": llmDiff(env)},
		})
		if err != nil {
			return "", err
		}
		s.Info("LLM model: %s", settings.AgentSettings.LLM.Model)
		if env.LLMBaseURL != "" {
			s.Info("Base URL: %s", env.LLMBaseURL)
		}
		s.Info("API key set: %t", settings.LLMAPIKeyIsSet)
		if !settings.LLMAPIKeyIsSet {
			return "", errors.New("server reports llm_api_key_is_set=false after storing a key")
		}
		return "LLM settings stored", nil
	}); err != nil {
		return err
	}

	s.Section("Storing a custom secret via the Secrets API")
	if err := s.Do("create secret", func() (string, error) {
		desc := "Example project token for demonstration"
		if _, err := ws.PutSecret(ctx, secretName, secretValue, &desc); err != nil {
			return "", err
		}
		return "created secret " + secretName, nil
	}); err != nil {
		return err
	}
	if err := s.Do("list secrets", func() (string, error) {
		items, err := ws.ListSecrets(ctx)
		if err != nil {
			return "", err
		}
		found := false
		for _, it := range items {
			d := ""
			if it.Description != nil {
				d = *it.Description
			}
			s.Info("%s: %s", it.Name, d)
			found = found || it.Name == secretName
		}
		if !found {
			return "", fmt.Errorf("%s is not listed", secretName)
		}
		return fmt.Sprintf("server has %d secret(s) stored (values are never listed)", len(items)), nil
	}); err != nil {
		return err
	}

	s.Section("Resolving the secret through a LookupSecret reference")
	var lookups map[string]secret.LookupSecret
	if err := s.Do("build LookupSecret", func() (string, error) {
		var err error
		lookups, err = ws.GetSecrets(ctx, secretName)
		if err != nil {
			return "", err
		}
		ls, ok := lookups[secretName]
		if !ok {
			return "", fmt.Errorf("GetSecrets returned no %s", secretName)
		}
		s.Info("URL: %s", ls.URL)
		_, hasKey := ls.Headers[workspace.HeaderSessionAPIKey]
		s.Info("carries %s header: %t", workspace.HeaderSessionAPIKey, hasKey)
		return "LookupSecret built for " + secretName, nil
	}); err != nil {
		return err
	}
	if err := s.Do("resolve LookupSecret", func() (string, error) {
		v, err := lookups[secretName].Resolve(ctx)
		if err != nil {
			return "", err
		}
		if v != secretValue {
			return "", errors.New("resolved value differs from the stored one")
		}
		return fmt.Sprintf("resolved the way the agent-server does (GET with its headers): %d characters, matches", len(v)), nil
	}); err != nil {
		return err
	}
	if err := s.Do("child process sees the secret", func() (string, error) {
		lines, err := secret.Environ(ctx, lookups)
		if err != nil {
			return "", err
		}
		self, err := os.Executable()
		if err != nil {
			return "", err
		}
		cmd := exec.CommandContext(ctx, self)
		cmd.Env = append(append(os.Environ(), childEnv+"=1"), lines...)
		b, err := cmd.Output()
		if err != nil {
			return "", fmt.Errorf("child process: %w", err)
		}
		if got := strings.TrimSpace(string(b)); got != digest(secretValue) {
			return "", fmt.Errorf("child process saw %q, not the secret's digest", got)
		}
		return "a child process started with secret.Environ sees $" + secretName, nil
	}); err != nil {
		return err
	}

	s.Section("Cleaning up: deleting the secret")
	if err := s.Do("delete secret", func() (string, error) {
		if err := ws.DeleteSecret(ctx, secretName); err != nil {
			return "", err
		}
		return "deleted secret " + secretName, nil
	}); err != nil {
		return err
	}
	if err := s.Do("verify deletion", func() (string, error) {
		_, err := ws.SecretValue(ctx, secretName)
		if !errors.Is(err, workspace.ErrNotFound) {
			return "", fmt.Errorf("expected 404 Not Found, got %v", err)
		}
		return "verified deletion (404: secret no longer accessible)", nil
	}); err != nil {
		return err
	}

	s.Section("Secret name validation")
	for _, c := range []struct{ name, why string }{
		{"123_invalid", "starts with a number"},
		{"invalid-name", "contains a hyphen"},
	} {
		if err := s.Do("reject "+c.name, func() (string, error) {
			_, err := ws.PutSecret(ctx, c.name, "test", nil)
			var apiErr *workspace.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 422 {
				return "", fmt.Errorf("expected 422, got %v", err)
			}
			return fmt.Sprintf("rejected %q (%s): 422", c.name, c.why), nil
		}); err != nil {
			return err
		}
	}

	fmt.Fprintln(out, "\n🎉 All Settings and Secrets API steps passed")
	return nil
}

func llmDiff(env *exenv.Env) map[string]any {
	m := map[string]any{"model": env.LLMModel, "api_key": secret.Str(env.LLMAPIKey)}
	if env.LLMBaseURL != "" {
		m["base_url"] = env.LLMBaseURL
	}
	return m
}
