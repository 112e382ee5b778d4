package workspace_test

// Runnable examples against the real reference agent-server, started
// in-process with workspacetest.Start. Ports and keys are random, so the
// examples print only deterministic facts (never a secret value).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"sort"
	"strings"

	"github.com/openhands-go/sdk/llm"
	"github.com/openhands-go/sdk/mcp"
	"github.com/openhands-go/sdk/secret"
	"github.com/openhands-go/sdk/workspace"
	"github.com/openhands-go/sdk/workspace/workspacetest"
)

// ExampleWorkspace_GetLLM_inProcess stores an LLM, reads it back through the
// legacy path, then through an active LLM profile, then with overrides.
func ExampleWorkspace_GetLLM_inProcess() {
	ctx := context.Background()
	srv, err := workspacetest.Start() // random session key and secret key
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ws, err := workspace.New(srv.URL, workspace.WithAPIKey(srv.APIKey))
	if err != nil {
		log.Fatal(err)
	}

	agent := llm.Default()
	agent.Model = "anthropic/claude-sonnet-4-5-20250929"
	agent.APIKey = secret.Str("sk-ant-example")
	if _, err := ws.SetLLM(ctx, agent); err != nil {
		log.Fatal(err)
	}
	l, err := ws.GetLLM(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("legacy:", l.Model, l.UsageID, "key set:", l.APIKey.IsSet(), "printed as", l.APIKey)

	fast := llm.Default()
	fast.Model = "openai/gpt-4o-mini"
	fast.APIKey = secret.Str("sk-openai-example")
	if _, err := ws.SaveProfile(ctx, "fast", fast, true); err != nil {
		log.Fatal(err)
	}
	if _, err := ws.ActivateProfile(ctx, "fast"); err != nil {
		log.Fatal(err)
	}
	l, err = ws.GetLLM(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("active profile:", l.Model, l.UsageID)

	l, err = ws.GetLLM(ctx, workspace.FromProfile("fast"), workspace.WithTemperature(0.2), workspace.WithUsageID("summarizer"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("overrides:", l.Model, l.UsageID, *l.Temperature)

	_, err = ws.GetLLM(ctx, workspace.FromProfile("missing"))
	fmt.Println(err)
	// Output:
	// legacy: anthropic/claude-sonnet-4-5-20250929 default key set: true printed as **********
	// active profile: openai/gpt-4o-mini profile:fast
	// overrides: openai/gpt-4o-mini summarizer 0.2
	// LLM profile 'missing' not found
}

// ExampleWorkspace_GetSecrets_inProcess stores secrets and lists them as
// LookupSecret references (no value is fetched by GetSecrets).
func ExampleWorkspace_GetSecrets_inProcess() {
	ctx := context.Background()
	srv, err := workspacetest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ws, err := workspace.New(srv.URL, workspace.WithAPIKey(srv.APIKey))
	if err != nil {
		log.Fatal(err)
	}

	desc := "GitHub PAT"
	if _, err := ws.PutSecret(ctx, "GITHUB_TOKEN", "ghp_example", &desc); err != nil {
		log.Fatal(err)
	}
	if _, err := ws.PutSecret(ctx, "OPENAI_API_KEY", "sk-example", nil); err != nil {
		log.Fatal(err)
	}

	secrets, err := ws.GetSecrets(ctx)
	if err != nil {
		log.Fatal(err)
	}
	names := make([]string, 0, len(secrets))
	for name := range secrets {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		s := secrets[name]
		d := "<none>"
		if s.Description != nil {
			d = *s.Description
		}
		fmt.Printf("%s: %s, description %s, session key header: %t\n",
			name, strings.TrimPrefix(s.URL, srv.URL), d,
			s.Headers[workspace.HeaderSessionAPIKey] == srv.APIKey)
	}

	only, err := ws.GetSecrets(ctx, "GITHUB_TOKEN", "NOT_STORED")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("filtered:", len(only))
	// Output:
	// GITHUB_TOKEN: /api/settings/secrets/GITHUB_TOKEN, description GitHub PAT, session key header: true
	// OPENAI_API_KEY: /api/settings/secrets/OPENAI_API_KEY, description <none>, session key header: true
	// filtered: 1
}

// ExampleWorkspace_GetMCPConfig_inProcess adds a remote MCP server with a
// bearer token and reads the configuration back with its real secrets.
func ExampleWorkspace_GetMCPConfig_inProcess() {
	ctx := context.Background()
	srv, err := workspacetest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ws, err := workspace.New(srv.URL, workspace.WithAPIKey(srv.APIKey))
	if err != nil {
		log.Fatal(err)
	}

	cfg, err := ws.GetMCPConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("servers before:", len(cfg))

	url, transport := "https://github.example/mcp", mcp.TransportHTTP
	if _, err := ws.CreateMCPServer(ctx, "github", mcp.Server{
		URL:       &url,
		Transport: &transport,
		Auth:      mcp.BearerAuth("gh-bearer-example"),
	}); err != nil {
		log.Fatal(err)
	}

	cfg, err = ws.GetMCPConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	gh := cfg["github"]
	fmt.Println("servers after:", len(cfg))
	fmt.Println("github:", *gh.URL, *gh.Transport, gh.Auth.Strategy, "enabled:", gh.IsEnabled())
	fmt.Println("token is plaintext:", gh.Auth.Value.Reveal() == "gh-bearer-example", "printed as", gh.Auth.Value)
	// Output:
	// servers before: 0
	// servers after: 1
	// github: https://github.example/mcp http bearer enabled: true
	// token is plaintext: true printed as **********
}

// Example_lookupSecretResolve resolves the LookupSecret references returned
// by GetSecrets the way the agent-server does (a GET of the URL with the
// stored headers), and builds a child-process environment with
// secret.Environ.
func Example_lookupSecretResolve() {
	ctx := context.Background()
	srv, err := workspacetest.Start(workspacetest.WithSecret("MY_PROJECT_TOKEN", "token-value-123", "demo token"))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ws, err := workspace.New(srv.URL, workspace.WithAPIKey(srv.APIKey))
	if err != nil {
		log.Fatal(err)
	}

	secrets, err := ws.GetSecrets(ctx)
	if err != nil {
		log.Fatal(err)
	}
	ref := secrets["MY_PROJECT_TOKEN"]

	// json.Marshal and fmt redact the session key header (PlaintextJSON is
	// the form sent to a conversation).
	js, err := json.Marshal(ref)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("json:", strings.ReplaceAll(string(js), srv.URL, "<server>"))
	fmt.Println("fmt:", strings.ReplaceAll(fmt.Sprint(ref), srv.URL, "<server>"))
	plain, err := ref.PlaintextJSON()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("plaintext JSON carries the key:", strings.Contains(string(plain), srv.APIKey))

	value, err := ref.Resolve(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("resolved:", len(value), "characters, matches:", value == "token-value-123")

	env, err := secret.Environ(ctx, secrets)
	if err != nil {
		log.Fatal(err)
	}
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		fmt.Println("child env has", name)
	}

	// Once the secret is deleted, the reference no longer resolves.
	if err := ws.DeleteSecret(ctx, "MY_PROJECT_TOKEN"); err != nil {
		log.Fatal(err)
	}
	_, err = ref.Resolve(ctx)
	fmt.Println("after delete, not found:", errors.Is(err, secret.ErrNotFound))
	// Output:
	// json: {"description":"demo token","url":"<server>/api/settings/secrets/MY_PROJECT_TOKEN","headers":{"X-Session-API-Key":"**********"},"kind":"LookupSecret"}
	// fmt: {demo token <server>/api/settings/secrets/MY_PROJECT_TOKEN map[X-Session-API-Key:**********]}
	// plaintext JSON carries the key: true
	// resolved: 15 characters, matches: true
	// child env has MY_PROJECT_TOKEN
	// after delete, not found: true
}
