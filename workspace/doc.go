// Package workspace is a client of the OpenHands agent-server "Settings and
// Secrets API": the Go counterpart of the Python SDK's RemoteWorkspace
// settings methods (GetLLM, GetSecrets, GetMCPConfig) plus typed methods for
// every settings, secrets, MCP and LLM-profile endpoint.
//
//	ws, err := workspace.New("http://localhost:8000", workspace.WithAPIKey(key))
//	llmCfg, err := ws.GetLLM(ctx)                       // active profile, else agent LLM
//	secrets, err := ws.GetSecrets(ctx)                  // LookupSecrets, never values
//	servers, err := ws.GetMCPConfig(ctx)                // plaintext MCP configuration
//
// # Transport
//
// Requests go through resty on top of go-retryablehttp's StandardClient and
// the base transport (WithHTTPClient). Retries live only in retryablehttp:
// 3 attempts in all with waits of 1 s then 2 s (WithRetry), on 5xx, 429,
// connection failures and timeouts — never on other 4xx answers, never for a
// creating POST (MCP create) or a profile rename. Retry-After on 429/503 is
// honoured up to the maximum wait. The context is the total budget: cancelling
// it stops a request and any backoff at once. Redirects are not followed.
//
// X-Session-API-Key is sent on every request when a key is configured and
// omitted otherwise; X-Expose-Secrets is sent only by the calls that need
// values (GetLLM's value fetches, GetMCPConfig, Settings/GetProfile with
// Encrypted or Plaintext exposure).
//
// # Errors
//
// Non-2xx answers are *APIError, which matches ErrUnauthorized (401),
// ErrNotFound (404), ErrProfileNotFound (profile 404s) and ErrConflict (409)
// with errors.Is. Transport failures are returned wrapped, so errors.As finds
// a net.Error and errors.Is finds context.Canceled.
//
// # Secrets
//
// No error string, log line or fmt/slog/JSON rendering of a type of this
// package contains the session key or a secret value. Values fetched in
// plaintext live in secret.Str fields (llm.LLM, mcp.Server), which redact
// themselves when printed; call Reveal to use them. Writing back a document
// fetched with Redacted exposure would erase secrets (the server treats
// "**********" as "no value"): every write carrying that marker as a value is
// refused with ErrRedactedValue before anything is sent.
//
// Go's fmt cannot call formatting methods on values stored in unexported
// struct fields; keep a *Workspace and *Settings (pointers) inside your own
// unexported fields rather than values.
package workspace
