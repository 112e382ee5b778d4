package workspace_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"

	"github.com/openhands-go/sdk/workspace"
)

// cannedServer stands in for an agent-server: it checks the session key and
// serves fixed JSON, honouring X-Expose-Secrets on GET /api/settings.
func cannedServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(workspace.HeaderSessionAPIKey) != "session-key" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"detail":"Unauthorized"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		apiKey, token := `"**********"`, `"**********"`
		if r.Header.Get(workspace.HeaderExposeSecrets) == "plaintext" {
			apiKey, token = `"sk-example"`, `"ghp-example"`
		}
		switch r.URL.Path {
		case "/api/settings":
			_, _ = io.WriteString(w, `{"agent_settings":{"schema_version":5,"agent_kind":"openhands",`+
				`"llm":{"model":"openai/gpt-4o","api_key":`+apiKey+`,"usage_id":"default"},`+
				`"mcp_config":{"github":{"command":"uvx","args":["mcp-server-github"],"env":{"GITHUB_TOKEN":`+token+`},"enabled":true},`+
				`"docs":{"url":"https://docs.example/mcp","transport":"http","enabled":false}}},`+
				`"conversation_settings":{"schema_version":1,"max_iterations":500,"confirmation_mode":false,"security_analyzer":"llm"},`+
				`"llm_api_key_is_set":true,"active_profile":null,"active_agent_profile_id":null,"misc_settings":{}}`)
		case "/api/settings/secrets":
			_, _ = io.WriteString(w, `{"secrets":[{"name":"GITHUB_TOKEN","description":"GitHub PAT"},{"name":"OPENAI_API_KEY","description":null}]}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"detail":"Not Found"}`)
		}
	}))
}

func ExampleWorkspace_GetLLM() {
	srv := cannedServer()
	defer srv.Close()

	ws, err := workspace.New(srv.URL, workspace.WithAPIKey("session-key"))
	if err != nil {
		panic(err)
	}
	// No active profile on the server: the agent's own LLM is returned, with
	// the overrides applied last.
	l, err := ws.GetLLM(context.Background(), workspace.WithTemperature(0.2))
	if err != nil {
		panic(err)
	}
	fmt.Println(l.Model, *l.Temperature, l.UsageID)
	fmt.Println("api_key printed:", l.APIKey)         // redacted when printed
	fmt.Println("api_key usable:", l.APIKey.Reveal()) // plaintext on request
	// Output:
	// openai/gpt-4o 0.2 default
	// api_key printed: **********
	// api_key usable: sk-example
}

func ExampleWorkspace_GetSecrets() {
	srv := cannedServer()
	defer srv.Close()

	ws, err := workspace.New(srv.URL+"/", workspace.WithAPIKey("session-key"))
	if err != nil {
		panic(err)
	}
	secrets, err := ws.GetSecrets(context.Background(), "GITHUB_TOKEN", "NOT_ON_SERVER")
	if err != nil {
		panic(err)
	}
	gh := secrets["GITHUB_TOKEN"]
	fmt.Println(len(secrets), *gh.Description)
	fmt.Println(gh.URL == srv.URL+"/api/settings/secrets/GITHUB_TOKEN")
	fmt.Println(gh.Headers[workspace.HeaderSessionAPIKey] == "session-key")
	// Output:
	// 1 GitHub PAT
	// true
	// true
}

func ExampleWorkspace_GetMCPConfig() {
	srv := cannedServer()
	defer srv.Close()

	ws, err := workspace.New(srv.URL, workspace.WithAPIKey("session-key"))
	if err != nil {
		panic(err)
	}
	cfg, err := ws.GetMCPConfig(context.Background())
	if err != nil {
		panic(err)
	}
	names := make([]string, 0, len(cfg))
	for name := range cfg {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Println(name, "enabled:", cfg[name].IsEnabled())
	}
	fmt.Println(cfg["github"].Env["GITHUB_TOKEN"].Reveal())
	// Output:
	// docs enabled: false
	// github enabled: true
	// ghp-example
}

func ExampleWorkspace_Settings() {
	srv := cannedServer()
	defer srv.Close()

	ws, err := workspace.New(srv.URL, workspace.WithAPIKey("session-key"))
	if err != nil {
		panic(err)
	}
	s, err := ws.Settings(context.Background(), workspace.Redacted)
	if err != nil {
		panic(err)
	}
	fmt.Println(s.AgentSettings.AgentKind, s.ConversationSettings.MaxIterations, s.LLMAPIKeyIsSet)
	// Output:
	// openhands 500 true
}
