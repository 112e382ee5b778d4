// Package exenv is what the examples share: where the agent-server is (the
// embedded Go server by default, or AGENT_SERVER_URL), the LLM settings from
// the environment, and short step lines that stop at the first failure.
package exenv

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/openhands-go/sdk/workspace/workspacetest"
)

// DefaultModel is the model stored when LLM_MODEL is not set (as upstream).
const DefaultModel = "anthropic/claude-sonnet-4-5-20250929"

// PlaceholderAPIKey is stored when LLM_API_KEY is not set: running an LLM is
// out of scope for these examples, so no real key is needed.
const PlaceholderAPIKey = "placeholder-llm-api-key"

// Env says which agent-server the example talks to and with which LLM settings.
type Env struct {
	// Host is the agent-server base URL.
	Host string
	// APIKey is the session API key ("" when the server has none).
	APIKey string
	// Embedded is true when the example started the bundled Go server.
	Embedded bool
	// LLMModel, LLMAPIKey and LLMBaseURL come from LLM_MODEL, LLM_API_KEY and
	// LLM_BASE_URL.
	LLMModel, LLMAPIKey, LLMBaseURL string
	// PlaceholderKey is true when LLM_API_KEY was not set.
	PlaceholderKey bool

	closeFn func() error
}

// Close stops the embedded server (no-op for an external one).
func (e *Env) Close() error {
	if e.closeFn == nil {
		return nil
	}
	return e.closeFn()
}

func randomKey() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Setup reads the environment through getenv. With AGENT_SERVER_URL set it
// uses that server (and SESSION_API_KEY); otherwise it starts the bundled
// server in-process with a new temporary data directory and random session
// and secret keys.
func Setup(getenv func(string) string) (*Env, error) {
	e := &Env{
		LLMModel:   getenv("LLM_MODEL"),
		LLMAPIKey:  getenv("LLM_API_KEY"),
		LLMBaseURL: getenv("LLM_BASE_URL"),
	}
	if e.LLMModel == "" {
		e.LLMModel = DefaultModel
	}
	if e.LLMAPIKey == "" {
		e.LLMAPIKey = PlaceholderAPIKey
		e.PlaceholderKey = true
	}
	if url := strings.TrimSpace(getenv("AGENT_SERVER_URL")); url != "" {
		e.Host = url
		e.APIKey = getenv("SESSION_API_KEY")
		return e, nil
	}
	dir, err := os.MkdirTemp("", "openhands-go-example-")
	if err != nil {
		return nil, err
	}
	sessionKey, err := randomKey()
	if err != nil {
		return nil, err
	}
	secretKey, err := randomKey()
	if err != nil {
		return nil, err
	}
	srv, err := workspacetest.Start(
		workspacetest.WithDataDir(dir),
		workspacetest.WithAPIKey(sessionKey),
		workspacetest.WithSecretKey(secretKey),
	)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("starting the embedded agent-server: %w", err)
	}
	e.Host, e.APIKey, e.Embedded = srv.URL, srv.APIKey, true
	e.closeFn = func() error {
		err := srv.Close()
		os.RemoveAll(dir)
		return err
	}
	return e, nil
}

// Describe prints where the example runs and which LLM settings it stores.
func (e *Env) Describe(w io.Writer) {
	if e.Embedded {
		fmt.Fprintf(w, "agent-server: embedded Go server at %s (session key required, secrets encrypted at rest)\n", e.Host)
	} else {
		fmt.Fprintf(w, "agent-server: %s (from AGENT_SERVER_URL)\n", e.Host)
	}
	if e.PlaceholderKey {
		fmt.Fprintln(w, "LLM_API_KEY is not set: storing a placeholder key (no LLM is called by this example)")
	}
}

// Steps prints one line per step and stops at the first failure.
type Steps struct {
	W   io.Writer
	Ctx context.Context
}

// Section prints a section heading.
func (s *Steps) Section(title string) { fmt.Fprintf(s.W, "\n== %s\n", title) }

// Do runs fn; on success it prints "✅ " + the line fn returns, on failure it
// returns an error naming the step.
func (s *Steps) Do(step string, fn func() (string, error)) error {
	line, err := fn()
	if err != nil {
		fmt.Fprintf(s.W, "❌ %s: %v\n", step, err)
		return fmt.Errorf("step %q failed: %w", step, err)
	}
	fmt.Fprintf(s.W, "✅ %s\n", line)
	return nil
}

// Info prints an indented detail line.
func (s *Steps) Info(format string, args ...any) {
	fmt.Fprintf(s.W, "   - "+format+"\n", args...)
}
