package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel errors. Test with errors.Is; every error returned by a Workspace
// method that comes from an HTTP status is an *[APIError] which matches the
// sentinel of its status.
var (
	// ErrHostNotSet is returned (never retried) when a Workspace has no host:
	// a zero or nil Workspace. Its text is exactly upstream's message.
	ErrHostNotSet = errors.New("Workspace host is not set") //nolint:staticcheck // upstream message, capitalised on purpose

	// ErrUnauthorized matches a 401 answer: the session API key
	// (X-Session-API-Key) is missing or wrong.
	ErrUnauthorized = errors.New("agent-server: unauthorized: the session API key (X-Session-API-Key) is missing or wrong")

	// ErrNotFound matches every 404 answer.
	ErrNotFound = errors.New("agent-server: not found")

	// ErrConflict matches every 409 answer.
	ErrConflict = errors.New("agent-server: conflict")

	// ErrProfileNotFound matches a 404 answer about an LLM profile (the
	// profile endpoints, GetLLM's profile fetch, and a settings PATCH naming
	// a missing active_profile).
	ErrProfileNotFound = errors.New("agent-server: LLM profile not found")

	// ErrRedactedValue is returned before anything is sent when an outgoing
	// body carries the redaction marker "**********" as a value (upstream
	// issue #4533): the server treats the marker as "no value", so sending it
	// back would erase the stored secret. Fetch with Plaintext or Encrypted
	// exposure instead.
	ErrRedactedValue = errors.New(`workspace: refusing to send the redaction marker "**********" as a value: ` +
		`the server would erase the stored secret; fetch with Plaintext or Encrypted exposure instead`)

	// ErrInvalidUTF8 is returned before anything is sent when a string in
	// an outgoing body (a secret value, a setting) is not valid UTF-8:
	// JSON would silently replace the bad bytes, changing the value.
	ErrInvalidUTF8 = errors.New("workspace: refusing to send a string that is not valid UTF-8 (JSON would alter it)")

	// ErrInvalidResponse is wrapped by errors about a 2xx response body that
	// does not have the documented shape (not retried).
	ErrInvalidResponse = errors.New("agent-server: invalid response")

	// ErrInvalidConfig is wrapped by errors about an LLM profile whose body
	// has no object "config" ("LLM profile '<name>' has invalid config").
	ErrInvalidConfig = errors.New("agent-server: invalid LLM profile config")
)

// APIError is a non-2xx answer of the agent-server. It never contains the
// session key or a secret value: paths carry secret and profile names only,
// and Detail/Exception are scrubbed of the values this client sent.
type APIError struct {
	// StatusCode is the HTTP status (3xx included: redirects are not followed).
	StatusCode int
	// Method and Path identify the request (Path is the API path without the
	// host, e.g. "/api/profiles/fast").
	Method, Path string
	// Detail is the string "detail" of the body, or for a request-validation
	// 422 (detail is a list) a short summary such as
	// "body.llm.model: Field required (and 1 more)". For a 5xx it is usually
	// "Internal Server Error".
	Detail string
	// Exception is the "exception" member of the 5xx envelope, e.g.
	// "503: Encryption not available: ...".
	Exception string
	// ErrorID is the "error_id" member of an unhandled-exception 500.
	ErrorID string
	// Issues holds the items of a 422 list-form detail (loc and msg only).
	Issues []Issue

	profile bool // a 404 about an LLM profile
}

// Issue is one item of a request-validation (422) detail list.
type Issue struct {
	// Type is the pydantic error type, e.g. "missing".
	Type string
	// Loc is the location joined with ".", e.g. "body.llm.model".
	Loc string
	// Msg is the human-readable message.
	Msg string
}

// Error renders "agent-server: PATCH /api/settings: 422: Settings validation failed".
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("agent-server: ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.Path)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	switch {
	case e.Detail != "":
		b.WriteString(": ")
		b.WriteString(e.Detail)
	case e.StatusCode == 401:
		b.WriteString(": Unauthorized")
	}
	if e.Exception != "" {
		b.WriteString(" (")
		b.WriteString(e.Exception)
		b.WriteByte(')')
	}
	if e.StatusCode == 401 {
		b.WriteString(" (the session API key is missing or wrong)")
	}
	return b.String()
}

// Is maps the status to the package sentinels: 401 → ErrUnauthorized,
// 404 → ErrNotFound (and ErrProfileNotFound for profile 404s),
// 409 → ErrConflict.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == 401
	case ErrNotFound:
		return e.StatusCode == 404
	case ErrConflict:
		return e.StatusCode == 409
	case ErrProfileNotFound:
		return e.StatusCode == 404 && e.profile
	}
	return false
}

// Temporary reports whether the status is one the client retries (5xx, 429).
func (e *APIError) Temporary() bool { return e.StatusCode >= 500 || e.StatusCode == 429 }

// errorBody is the union of the server's error body shapes.
type errorBody struct {
	Detail    json.RawMessage `json:"detail"`
	Exception *string         `json:"exception"`
	ErrorID   *string         `json:"error_id"`
}

type issueWire struct {
	Type string            `json:"type"`
	Loc  []json.RawMessage `json:"loc"`
	Msg  string            `json:"msg"`
}

// maxDetail bounds the text kept from an error body.
const maxDetail = 512

// newAPIError builds an APIError from a response; scrub lists strings
// (session key, secret values sent) that must not appear in it.
func newAPIError(method, path string, status int, body []byte, scrub []string) *APIError {
	e := &APIError{StatusCode: status, Method: method, Path: path}
	var eb errorBody
	if len(body) > 0 && json.Unmarshal(body, &eb) == nil {
		if len(eb.Detail) > 0 {
			switch eb.Detail[0] {
			case '"':
				var s string
				if json.Unmarshal(eb.Detail, &s) == nil {
					e.Detail = s
				}
			case '[':
				var items []issueWire
				if json.Unmarshal(eb.Detail, &items) == nil {
					for _, it := range items {
						e.Issues = append(e.Issues, Issue{Type: it.Type, Loc: joinLoc(it.Loc), Msg: it.Msg})
					}
					e.Detail = summarizeIssues(e.Issues)
				}
			}
		}
		if eb.Exception != nil {
			e.Exception = *eb.Exception
		}
		if eb.ErrorID != nil {
			e.ErrorID = *eb.ErrorID
		}
	}
	if e.Detail == "" && len(eb.Detail) == 0 && status >= 400 && len(body) > 0 && !looksJSON(body) {
		// A plain-text error (e.g. from a proxy in front of the server).
		e.Detail = strings.TrimSpace(string(body))
	}
	e.Detail = clip(scrubAll(e.Detail, scrub))
	e.Exception = clip(scrubAll(e.Exception, scrub))
	for i := range e.Issues {
		e.Issues[i].Msg = clip(scrubAll(e.Issues[i].Msg, scrub))
		e.Issues[i].Loc = clip(scrubAll(e.Issues[i].Loc, scrub))
	}
	e.profile = status == 404 && isProfileNotFound(path, e.Detail)
	return e
}

func isProfileNotFound(path, detail string) bool {
	if strings.HasPrefix(path, "/api/profiles/") {
		return true
	}
	return strings.HasPrefix(detail, "Profile '") && strings.HasSuffix(detail, "' not found")
}

func looksJSON(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[':
			return true
		}
		return false
	}
	return false
}

func joinLoc(loc []json.RawMessage) string {
	parts := make([]string, 0, len(loc))
	for _, l := range loc {
		var s string
		if json.Unmarshal(l, &s) == nil {
			parts = append(parts, s)
			continue
		}
		parts = append(parts, string(l))
	}
	return strings.Join(parts, ".")
}

func summarizeIssues(items []Issue) string {
	if len(items) == 0 {
		return "request validation failed"
	}
	first := items[0]
	s := first.Msg
	if first.Loc != "" {
		s = first.Loc + ": " + first.Msg
	}
	if n := len(items) - 1; n > 0 {
		s += fmt.Sprintf(" (and %d more)", n)
	}
	return s
}

func scrubAll(s string, scrub []string) string {
	for _, v := range scrub {
		if v != "" && strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, redactionMarker)
		}
	}
	return s
}

func clip(s string) string {
	if len(s) <= maxDetail {
		return s
	}
	// Cut on a rune boundary.
	i := maxDetail
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i] + "…"
}

// profileError is returned by GetLLM's profile fetch. Its message is exactly
// upstream's ("LLM profile '<name>' not found" / "... has invalid config");
// it matches ErrProfileNotFound (or ErrInvalidConfig) and unwraps to the
// underlying *APIError when there is one.
type profileError struct {
	name     string
	sentinel error
	cause    error
}

// Error returns upstream's message.
func (e *profileError) Error() string {
	if e.sentinel == ErrInvalidConfig {
		return "LLM profile '" + e.name + "' has invalid config"
	}
	return "LLM profile '" + e.name + "' not found"
}

// Unwrap returns the sentinel and the underlying *APIError, if any.
func (e *profileError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.sentinel}
	}
	return []error{e.sentinel, e.cause}
}

// opError wraps a transport or decoding failure with the request's method and
// path, keeping the cause reachable by errors.Is/As.
type opError struct {
	method, path string
	err          error
}

// Error prefixes the cause with the request.
func (e *opError) Error() string {
	return "agent-server: " + e.method + " " + e.path + ": " + e.err.Error()
}

// Unwrap returns the cause.
func (e *opError) Unwrap() error { return e.err }
