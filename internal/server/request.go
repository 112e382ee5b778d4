package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/openhands-go/sdk/internal/jsonx"
	"github.com/openhands-go/sdk/internal/model"
)

// Name and id patterns (server-api.md §4.2, §5.1, §6).
const (
	profileNamePattern = `^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`
	uuidPattern        = `^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`
)

// Compiled patterns are immutable after init and safe for concurrent use.
var (
	profileNameRe = regexp.MustCompile(profileNamePattern)
	uuidRe        = regexp.MustCompile(uuidPattern)
)

// Pydantic error texts.
const (
	msgMissing      = "Field required"
	msgStringType   = "Input should be a valid string"
	msgDictType     = "Input should be a valid dictionary"
	msgBoolType     = "Input should be a valid boolean"
	msgBoolParsing  = "Input should be a valid boolean, unable to interpret input"
	msgModelAttrs   = "Input should be a valid dictionary or object to extract fields from"
	msgJSONInvalid  = "JSON decode error"
	typeMissing     = "missing"
	typeStringType  = "string_type"
	typeDictType    = "dict_type"
	typeBoolType    = "bool_type"
	typeBoolParsing = "bool_parsing"
	typeModelAttrs  = "model_attributes_type"
	typeJSONInvalid = "json_invalid"
	typePattern     = "string_pattern_mismatch"
	typeTooShort    = "string_too_short"
	typeTooLong     = "string_too_long"
)

// itemList collects validation items.
type itemList []model.ErrorItem

func (l *itemList) add(typ string, loc []any, msg string, input any, ctx *jsonx.Object) {
	*l = append(*l, model.ErrorItem{Type: typ, Loc: loc, Msg: msg, Input: input, Ctx: ctx})
}

// err returns the 422 list error, or nil when nothing was collected.
func (l itemList) err() error {
	if len(l) == 0 {
		return nil
	}
	return &requestError{items: l}
}

// loc builds a loc slice.
func loc(parts ...any) []any { return parts }

// readBody reads the request body under the server's size limit. An empty
// body gives nil, nil.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	if r.ContentLength > s.maxBody {
		return nil, newHTTPError(http.StatusRequestEntityTooLarge, detailBodyTooLarge)
	}
	// Hand MaxBytesReader the server's own writer so that it can mark the
	// connection for closing when the limit is hit.
	if u, ok := w.(interface{ Unwrap() http.ResponseWriter }); ok {
		w = u.Unwrap()
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, newHTTPError(http.StatusRequestEntityTooLarge, detailBodyTooLarge)
		}
		return nil, newHTTPError(http.StatusBadRequest, "Failed to read request body")
	}
	return data, nil
}

// readJSON reads and parses the request body. present is false for an
// empty body; a body that does not parse is a 422 json_invalid (reported
// on its own, before any other validation, as FastAPI does) and an
// oversized one a 413.
func (s *Server) readJSON(w http.ResponseWriter, r *http.Request) (v any, present bool, err error) {
	data, err := s.readBody(w, r)
	if err != nil {
		return nil, false, err
	}
	if len(data) == 0 {
		return nil, false, nil
	}
	v, err = jsonx.Parse(data)
	if err != nil {
		return nil, false, jsonInvalid(err, len(data))
	}
	return v, true, nil
}

// parseJSONBody reads the body of a route whose only parameter is a
// required model body and returns it as an object (422 otherwise).
func (s *Server) parseJSONBody(w http.ResponseWriter, r *http.Request) (*jsonx.Object, error) {
	v, present, err := s.readJSON(w, r)
	if err != nil {
		return nil, err
	}
	var l itemList
	body := requireObject(v, present, &l)
	return body, l.err()
}

// requireObject checks a required model body: absent → missing, not an
// object → model_attributes_type.
func requireObject(v any, present bool, l *itemList) *jsonx.Object {
	if !present {
		l.add(typeMissing, loc("body"), msgMissing, nil, nil)
		return nil
	}
	return bodyObject(v, l, "body")
}

// jsonInvalid builds the json_invalid item for a parse error.
func jsonInvalid(err error, size int) error {
	offset := int64(size)
	msg := "Expecting value"
	var se *jsonx.SyntaxError
	if errors.As(err, &se) {
		offset = se.Offset
		msg = se.Msg
	}
	var l itemList
	l.add(typeJSONInvalid, loc("body", int(offset)), msgJSONInvalid, jsonx.NewObject(), jsonx.Obj("error", msg))
	return l.err()
}

// bodyObject checks that a value validated as a model is an object.
func bodyObject(v any, l *itemList, at ...any) *jsonx.Object {
	o, ok := v.(*jsonx.Object)
	if !ok {
		l.add(typeModelAttrs, at, msgModelAttrs, v, nil)
		return nil
	}
	return o
}

// stringField reads a string member. required: absent → missing; nullable:
// null accepted (returns nil, true). It returns the value and whether the
// member was present.
func stringField(o *jsonx.Object, key string, required, nullable bool, l *itemList, prefix ...any) (*string, bool) {
	v, ok := o.Get(key)
	at := append(append([]any(nil), prefix...), key)
	if !ok {
		if required {
			l.add(typeMissing, at, msgMissing, o, nil)
		}
		return nil, false
	}
	switch t := v.(type) {
	case string:
		return &t, true
	case nil:
		if nullable {
			return nil, true
		}
	}
	l.add(typeStringType, at, msgStringType, v, nil)
	return nil, true
}

// checkConstrained applies pydantic's str constraints in pydantic-core's
// order: min_length, max_length (in characters), then pattern.
func checkConstrained(v string, at []any, minLen, maxLen int, pattern string, re *regexp.Regexp, l *itemList) bool {
	n := utf8.RuneCountInString(v)
	if minLen > 0 && n < minLen {
		unit := "characters"
		if minLen == 1 {
			unit = "character"
		}
		l.add(typeTooShort, at, fmt.Sprintf("String should have at least %d %s", minLen, unit), v, jsonx.Obj("min_length", minLen))
		return false
	}
	if maxLen > 0 && n > maxLen {
		unit := "characters"
		if maxLen == 1 {
			unit = "character"
		}
		l.add(typeTooLong, at, fmt.Sprintf("String should have at most %d %s", maxLen, unit), v, jsonx.Obj("max_length", maxLen))
		return false
	}
	if re != nil && !re.MatchString(v) {
		l.add(typePattern, at, fmt.Sprintf("String should match pattern '%s'", pattern), v, jsonx.Obj("pattern", pattern))
		return false
	}
	return true
}

// profileNameParam validates the {name} path parameter of /api/profiles.
func profileNameParam(r *http.Request, l *itemList) string {
	name := r.PathValue("name")
	checkConstrained(name, loc("path", "name"), 1, 64, profileNamePattern, profileNameRe, l)
	return name
}

// laxBool is pydantic's lax bool: JSON booleans, the integers 0/1 and the
// usual strings.
func laxBool(v any, at []any, l *itemList) (bool, bool) {
	switch t := v.(type) {
	case bool:
		return t, true
	case json.Number:
		switch t.String() {
		case "0", "0.0":
			return false, true
		case "1", "1.0":
			return true, true
		}
		l.add(typeBoolParsing, at, msgBoolParsing, v, nil)
		return false, false
	case string:
		switch strings.ToLower(t) {
		case "0", "off", "f", "false", "n", "no":
			return false, true
		case "1", "on", "t", "true", "y", "yes":
			return true, true
		}
		l.add(typeBoolParsing, at, msgBoolParsing, v, nil)
		return false, false
	}
	l.add(typeBoolType, at, msgBoolType, v, nil)
	return false, false
}

// prefixItems re-roots model validation items under prefix.
func prefixItems(err error, l *itemList, prefix ...any) bool {
	var ve *model.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	for _, it := range ve.Items {
		at := append(append([]any(nil), prefix...), it.Loc...)
		l.add(it.Type, at, it.Msg, it.Input, it.Ctx)
	}
	return true
}

// exposeMode parses X-Expose-Secrets (server-api.md §3.1).
func exposeMode(r *http.Request) (model.Mode, string, error) {
	raw := headerValue(r.Header, "X-Expose-Secrets")
	switch raw { // fast path for the exact spellings
	case "":
		return model.Redacted, "redacted", nil
	case "plaintext":
		return model.Plaintext, "plaintext", nil
	case "encrypted":
		return model.Encrypted, "encrypted", nil
	}
	v := strings.TrimSpace(strings.ToLower(raw))
	switch v {
	case "":
		return model.Redacted, "redacted", nil
	case "encrypted", "true":
		return model.Encrypted, "encrypted", nil
	case "plaintext":
		return model.Plaintext, "plaintext", nil
	}
	return 0, "", newHTTPError(http.StatusBadRequest,
		fmt.Sprintf("Invalid X-Expose-Secrets header value: '%s'. Valid values are: 'encrypted', 'plaintext'.", v))
}

// pyRepr quotes a string the way Python's repr() does.
func pyRepr(s string) string {
	quote := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte(quote)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(quote):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(quote)
	return b.String()
}
