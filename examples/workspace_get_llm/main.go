// Command workspace_get_llm is the Go port of the upstream example
// examples/02_remote_agent_server/13_workspace_get_llm.py: a workspace that
// authenticates with a session API key and reads its LLM configuration,
// secrets and MCP servers from the agent-server.
//
//	go run ./examples/workspace_get_llm
//
// It starts the bundled Go agent-server in-process with a random session API
// key (and secret key, and a temporary data directory), or uses
// AGENT_SERVER_URL and SESSION_API_KEY to run against any agent-server. It
// reads LLM_API_KEY, LLM_MODEL and LLM_BASE_URL as upstream does; without
// LLM_API_KEY a placeholder key is stored.
//
// Steps: 401 without the session key and 200 with it; store the LLM
// configuration; GetLLM, and GetLLM with overrides; store a secret and read
// it back through GetSecrets as a LookupSecret carrying the auth header;
// GetMCPConfig, empty and then with one MCP server added. Upstream goes on to
// run a conversation with the LLM it got; running an agent is out of scope
// here.
//
// No secret value is printed. The exit status is non-zero at the first failed
// step.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/openhands-go/sdk/examples/internal/exenv"
	"github.com/openhands-go/sdk/mcp"
	"github.com/openhands-go/sdk/secret"
	"github.com/openhands-go/sdk/workspace"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "workspace_get_llm:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, getenv func(string) string, out io.Writer) error {
	env, err := exenv.Setup(getenv)
	if err != nil {
		return err
	}
	defer env.Close()
	env.Describe(out)
	s := &exenv.Steps{W: out, Ctx: ctx}

	ws, err := workspace.New(env.Host, workspace.WithAPIKey(env.APIKey), workspace.WithWorkingDir("/tmp/workspace_get_llm_demo"))
	if err != nil {
		return err
	}
	defer ws.CloseIdleConnections()

	s.Section("API key authentication")
	if env.APIKey != "" {
		if err := s.Do("request without API key", func() (string, error) {
			anon, err := workspace.New(env.Host)
			if err != nil {
				return "", err
			}
			defer anon.CloseIdleConnections()
			_, err = anon.Settings(ctx, workspace.Redacted)
			if !errors.Is(err, workspace.ErrUnauthorized) {
				return "", fmt.Errorf("expected 401 Unauthorized, got %v", err)
			}
			return "request without API key rejected (401 Unauthorized)", nil
		}); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(out, "   - SESSION_API_KEY is not set: the server is open, skipping the 401 check")
	}
	if err := s.Do("request with API key", func() (string, error) {
		if _, err := ws.Settings(ctx, workspace.Redacted); err != nil {
			return "", err
		}
		return "request with API key accepted (200 OK)", nil
	}); err != nil {
		return err
	}

	s.Section("Configuring LLM settings on the agent-server")
	if err := s.Do("store LLM settings", func() (string, error) {
		diff := map[string]any{"model": env.LLMModel, "api_key": secret.Str(env.LLMAPIKey)}
		if env.LLMBaseURL != "" {
			diff["base_url"] = env.LLMBaseURL
		}
		settings, err := ws.PatchSettings(ctx, workspace.SettingsPatch{AgentSettingsDiff: map[string]any{"llm": diff}})
		if err != nil {
			return "", err
		}
		s.Info("Model: %s", settings.AgentSettings.LLM.Model)
		s.Info("API key set: %t", settings.LLMAPIKeyIsSet)
		return "LLM settings stored", nil
	}); err != nil {
		return err
	}

	s.Section("Retrieving the LLM with GetLLM")
	if err := s.Do("GetLLM", func() (string, error) {
		l, err := ws.GetLLM(ctx)
		if err != nil {
			return "", err
		}
		if l.Model != env.LLMModel {
			return "", fmt.Errorf("GetLLM returned model %q, stored %q", l.Model, env.LLMModel)
		}
		if l.APIKey.Reveal() != env.LLMAPIKey {
			return "", errors.New("GetLLM returned a different API key than the one stored")
		}
		base := "(default)"
		if l.BaseURL != nil {
			base = *l.BaseURL
		}
		s.Info("Model: %s", l.Model)
		s.Info("Base URL: %s", base)
		s.Info("API key: %v (the real value is in l.APIKey.Reveal())", l.APIKey)
		return "retrieved LLM with workspace.GetLLM()", nil
	}); err != nil {
		return err
	}
	if err := s.Do("GetLLM with overrides", func() (string, error) {
		l, err := ws.GetLLM(ctx, workspace.WithModel("gpt-4o"), workspace.WithTemperature(0.5))
		if err != nil {
			return "", err
		}
		if l.Model != "gpt-4o" || l.Temperature == nil || *l.Temperature != 0.5 {
			return "", fmt.Errorf("overrides not applied: model %q", l.Model)
		}
		s.Info("Model: %s, temperature: %v", l.Model, *l.Temperature)
		return "GetLLM(WithModel, WithTemperature) applies the overrides last", nil
	}); err != nil {
		return err
	}

	s.Section("GetSecrets and GetMCPConfig")
	if err := s.Do("store test secret", func() (string, error) {
		desc := "Test secret for demo"
		if _, err := ws.PutSecret(ctx, "TEST_SECRET", "secret-value-123", &desc); err != nil {
			return "", err
		}
		return "stored secret TEST_SECRET", nil
	}); err != nil {
		return err
	}
	if err := s.Do("GetSecrets", func() (string, error) {
		secrets, err := ws.GetSecrets(ctx)
		if err != nil {
			return "", err
		}
		names := make([]string, 0, len(secrets))
		for n := range secrets {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			ls := secrets[n]
			_, has := ls.Headers[workspace.HeaderSessionAPIKey]
			s.Info("%s: LookupSecret", n)
			s.Info("  URL: %s", ls.URL)
			s.Info("  Has API key header: %t", has)
			if env.APIKey != "" && !has {
				return "", fmt.Errorf("LookupSecret %s has no %s header", n, workspace.HeaderSessionAPIKey)
			}
		}
		if _, ok := secrets["TEST_SECRET"]; !ok {
			return "", errors.New("TEST_SECRET missing from GetSecrets")
		}
		return fmt.Sprintf("retrieved %d secret(s) via workspace.GetSecrets()", len(secrets)), nil
	}); err != nil {
		return err
	}
	if err := s.Do("delete test secret", func() (string, error) {
		if err := ws.DeleteSecret(ctx, "TEST_SECRET"); err != nil {
			return "", err
		}
		return "test secret deleted", nil
	}); err != nil {
		return err
	}
	if err := s.Do("GetMCPConfig (empty)", func() (string, error) {
		cfg, err := ws.GetMCPConfig(ctx)
		if err != nil {
			return "", err
		}
		if len(cfg) != 0 {
			return fmt.Sprintf("MCP config: %d server(s) already configured: %s", len(cfg), serverNames(cfg)), nil
		}
		return "MCP config: (none configured)", nil
	}); err != nil {
		return err
	}
	if err := s.Do("add an MCP server", func() (string, error) {
		cmd := "uvx"
		transport := mcp.TransportStdio
		_, err := ws.CreateMCPServer(ctx, "fetch", mcp.Server{Command: &cmd, Args: []string{"mcp-server-fetch"}, Transport: &transport})
		if err != nil {
			return "", err
		}
		return "added MCP server \"fetch\" (stdio: uvx mcp-server-fetch)", nil
	}); err != nil {
		return err
	}
	if err := s.Do("GetMCPConfig", func() (string, error) {
		cfg, err := ws.GetMCPConfig(ctx)
		if err != nil {
			return "", err
		}
		srv, ok := cfg["fetch"]
		if !ok || srv.Command == nil || *srv.Command != "uvx" {
			return "", errors.New("server \"fetch\" missing from GetMCPConfig")
		}
		return fmt.Sprintf("MCP config: %d server(s): %s", len(cfg), serverNames(cfg)), nil
	}); err != nil {
		return err
	}
	if err := s.Do("remove the MCP server", func() (string, error) {
		if _, err := ws.DeleteMCPServer(ctx, "fetch"); err != nil {
			return "", err
		}
		return "removed MCP server \"fetch\"", nil
	}); err != nil {
		return err
	}

	fmt.Fprintln(out, "\n🎉 Example completed successfully")
	return nil
}

func serverNames(cfg mcp.Config) string {
	names := make([]string, 0, len(cfg))
	for n := range cfg {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
