package server

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/openhands-go/sdk/internal/jsonx"
	"github.com/openhands-go/sdk/internal/model"
)

// httpError is a handler-raised HTTP error (FastAPI's HTTPException): 4xx
// answer {"detail": detail}; 5xx answer the envelope
// {"detail": "Internal Server Error", "exception": "<status>: <detail>"}.
type httpError struct {
	status int
	detail string
	header http.Header // extra response headers (may be nil)
}

func (e *httpError) Error() string { return strconv.Itoa(e.status) + ": " + e.detail }

func newHTTPError(status int, detail string) *httpError {
	return &httpError{status: status, detail: detail}
}

// requestError is a request-shape validation failure: 422 with the list
// form {"detail": [ {type, loc, msg, input, ctx?}, ... ]}.
type requestError struct{ items []model.ErrorItem }

func (e *requestError) Error() string {
	return fmt.Sprintf("request validation failed: %d error(s)", len(e.items))
}

// internalError is an unexpected failure (500 with error_id). msg is the
// text shown as "exception"; it must never contain a secret.
type internalError struct {
	msg string
	err error
}

func (e *internalError) Error() string {
	if e.err == nil {
		return e.msg
	}
	return e.msg + ": " + e.err.Error()
}

func (e *internalError) Unwrap() error { return e.err }

// Fixed response texts (server-api.md).
const (
	detailUnauthorized     = "Unauthorized"
	detailNotFound         = "Not Found"
	detailMethodNotAllowed = "Method Not Allowed"
	detailInternal         = "Internal Server Error"
	detailBodyTooLarge     = "Request body too large"
	detailEmptyPatch       = "At least one of agent_settings_diff, conversation_settings_diff, misc_settings_diff, active_profile, or active_agent_profile_id must be provided"
	detailValidation       = "Settings validation failed"
	detailCorruptSettings  = "Settings file is corrupted or encrypted with a different key"
	detailUpdateFailed     = "Failed to update settings"
	detailActivateFailed   = "Failed to activate profile"
	detailNoCipher         = "Encryption not available: OH_SECRET_KEY is not configured. Cannot return encrypted secrets."
	detailSecretName       = "Invalid secret name format. Must start with a letter, contain only letters, numbers, and underscores, and be 1-64 characters long."
	detailSecretNotFound   = "Secret not found"
	detailSecretsCorrupt   = "Secrets file is corrupted or encrypted with a different key"
	detailSaveSecretFailed = "Failed to save secret"
	detailProfileLimit     = "Profile limit reached (50). Delete a profile before saving a new one."
	detailProfileBusy      = "Profile store is busy. Please retry."
)

const contentTypeJSON = "application/json"

// newErrorID returns 32 lowercase hex characters (a uuid4().hex lookalike).
func newErrorID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// writeJSON writes a JSON document with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := jsonx.Marshal(v)
	if err != nil {
		// Only reachable with a programming error; keep the contract of
		// always answering JSON.
		body = []byte(`{"detail":"Internal Server Error"}`)
		status = http.StatusInternalServerError
	}
	writeJSONBytes(w, status, body)
}

// writeJSONBytes writes pre-rendered JSON bytes.
func writeJSONBytes(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h["Content-Type"] = []string{contentTypeJSON}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeError answers err in the shape server-api.md §1.1 prescribes and logs
// it (never a request body, header or secret).
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	var re *requestError
	switch {
	case errors.As(err, &he):
		for k, v := range he.header {
			w.Header()[k] = v
		}
		if he.status >= 500 {
			s.log.Error("HTTPException", "status", he.status, "method", r.Method, "path", r.URL.Path, "detail", he.detail)
			body := jsonx.Obj("detail", detailInternal, "exception", he.Error())
			if s.debug {
				body.Set("traceback", "HTTPException: "+he.Error())
			}
			writeJSON(w, he.status, body)
			return
		}
		s.log.Info("HTTPException", "status", he.status, "method", r.Method, "path", r.URL.Path, "detail", he.detail)
		writeJSON(w, he.status, jsonx.Obj("detail", he.detail))
	case errors.As(err, &re):
		s.log.Info("Validation error", "method", r.Method, "path", r.URL.Path, "errors", len(re.items))
		writeJSON(w, http.StatusUnprocessableEntity, jsonx.Obj("detail", renderItems(re.items)))
	default:
		s.writeUnhandled(w, r, err, "")
	}
}

// writeUnhandled answers an unexpected error: 500 with a fresh error_id that
// is also logged. stack is included in the log (and, in debug mode, in the
// response) when non-empty.
func (s *Server) writeUnhandled(w http.ResponseWriter, r *http.Request, err error, stack string) {
	id := newErrorID()
	exc := exceptionText(err)
	logged := exc
	if err != nil {
		logged = err.Error()
	}
	attrs := []any{"method", r.Method, "path", r.URL.Path, "error_id", id, "error", logged}
	if stack != "" {
		attrs = append(attrs, "stack", stack)
	}
	s.log.Error("Unhandled exception", attrs...)
	body := jsonx.Obj("detail", detailInternal, "exception", exc, "error_id", id)
	if s.debug {
		tb := exc
		if stack != "" {
			tb += "\n" + stack
		}
		body.Set("traceback", tb)
	}
	writeJSON(w, http.StatusInternalServerError, body)
}

// exceptionText is the "exception" member of an unhandled-error envelope: the
// public part of an internalError, otherwise the error text (errors in this
// code base never carry secret values), cut to a sane length.
func exceptionText(err error) string {
	var ie *internalError
	msg := ""
	if errors.As(err, &ie) {
		msg = ie.msg
	} else if err != nil {
		msg = err.Error()
	}
	if msg == "" {
		msg = "internal error"
	}
	const maxLen = 300
	if len(msg) > maxLen {
		msg = msg[:maxLen]
	}
	return msg
}

// renderItems renders validation items as the FastAPI list form, with the
// input sanitised (server-api.md §1.1).
func renderItems(items []model.ErrorItem) []any {
	out := make([]any, 0, len(items))
	for _, it := range items {
		loc := make([]any, 0, len(it.Loc))
		for _, l := range it.Loc {
			switch v := l.(type) {
			case string, int:
				loc = append(loc, v)
			default:
				loc = append(loc, fmt.Sprint(v))
			}
		}
		input := sanitizeInput(it.Input)
		if k, ok := lastKey(it.Loc); ok && redactedKey(k) {
			input = redactScalar(input)
		}
		o := jsonx.Obj("type", it.Type, "loc", loc, "msg", it.Msg, "input", input)
		if it.Ctx != nil {
			ctx := it.Ctx.Clone()
			if v, ok := ctx.Get("error"); ok {
				if _, isStr := v.(string); !isStr {
					b, err := jsonx.Marshal(v)
					if err != nil {
						ctx.Set("error", fmt.Sprint(v))
					} else {
						ctx.Set("error", string(b))
					}
				}
			}
			o.Set("ctx", ctx)
		}
		out = append(out, o)
	}
	return out
}

// lastKey returns the last string element of a loc.
func lastKey(loc []any) (string, bool) {
	if len(loc) == 0 {
		return "", false
	}
	s, ok := loc[len(loc)-1].(string)
	return s, ok
}

const redactedValue = "<redacted>"

// isSecretKey is upstream's is_secret_key: case-insensitive substring match.
func isSecretKey(k string) bool {
	secretKeyPatterns := [...]string{"AUTHORIZATION", "COOKIE", "CREDENTIAL", "KEY", "PASSWORD", "SECRET", "SESSION", "TOKEN"}
	u := strings.ToUpper(k)
	for _, p := range secretKeyPatterns {
		if strings.Contains(u, p) {
			return true
		}
	}
	return false
}

// isRedactAllKey names the containers whose every leaf is redacted.
func isRedactAllKey(k string) bool {
	switch strings.ToLower(k) {
	case "env", "environment", "headers":
		return true
	}
	return false
}

// redactedKey reports whether the value found under key k must not be echoed.
// Besides upstream's rules, a member named "value" is redacted too: it holds
// the secret of PUT /api/settings/secrets and of MCP api_key/bearer auth.
func redactedKey(k string) bool {
	return isSecretKey(k) || isRedactAllKey(k) || strings.EqualFold(k, "value")
}

// redactScalar redacts a value found at a secret location (structure kept).
func redactScalar(v any) any {
	switch v.(type) {
	case nil:
		return nil
	case *jsonx.Object, []any:
		return redactAll(v)
	default:
		return redactedValue
	}
}

// sanitizeInput is upstream's sanitize_dict (plus the "value" rule above).
func sanitizeInput(v any) any {
	switch t := v.(type) {
	case *jsonx.Object:
		out := jsonx.NewObject()
		for _, k := range t.Keys() {
			val := t.Value(k)
			switch {
			case isRedactAllKey(k):
				out.Set(k, redactAll(val))
			case isSecretKey(k) || strings.EqualFold(k, "value"):
				out.Set(k, redactedValue)
			default:
				out.Set(k, sanitizeInput(val))
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = sanitizeInput(e)
		}
		return out
	default:
		return t
	}
}

// redactAll replaces every leaf with the redaction text, keeping structure.
func redactAll(v any) any {
	switch t := v.(type) {
	case *jsonx.Object:
		out := jsonx.NewObject()
		for _, k := range t.Keys() {
			out.Set(k, redactAll(t.Value(k)))
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = redactAll(e)
		}
		return out
	default:
		return redactedValue
	}
}
