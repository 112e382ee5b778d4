package workspace

import (
	"bytes"
	"encoding/json"
	"errors"
	"github.com/openhands-go/sdk/internal/jsonscan"
)

// A light scanner for hot response bodies. The body is checked once with
// json.Valid; member and element boundaries are then found by tracking
// strings and nesting only, and values are decoded straight from their raw
// bytes (strings without escapes need no unquoting). Keys match exactly
// (case-sensitively), like the server's pydantic models and unlike
// encoding/json's case-insensitive field matching; a repeated key keeps its
// last value, like encoding/json.

// errShape is returned by the decoders below for a body of the wrong shape.
var errShape = errors.New("unexpected body shape")

// scanner walks the members of a valid JSON object or the elements of a
// valid JSON array (see json.Valid) without allocating.
type scanner struct {
	data []byte
	pos  int
}

// open positions a scanner inside the object or array data, which must start
// (after whitespace) with delim.
func open(data []byte, delim byte) (scanner, bool) {
	i := jsonscan.SkipSpace(data, 0)
	if i >= len(data) || data[i] != delim {
		return scanner{}, false
	}
	return scanner{data: data, pos: i + 1}, true
}

// more advances to the next member or element and reports whether there is one.
func (s *scanner) more() bool {
	i := jsonscan.SkipSpace(s.data, s.pos)
	if i >= len(s.data) {
		return false
	}
	switch s.data[i] {
	case '}', ']':
		s.pos = i
		return false
	case ',':
		i = jsonscan.SkipSpace(s.data, i+1)
	}
	s.pos = i
	return true
}

// member returns the next member's raw key content (between the quotes,
// possibly escaped) and raw value; call after more.
func (s *scanner) member() (rawKey, value []byte) {
	kEnd := jsonscan.SkipString(s.data, s.pos)
	rawKey = s.data[s.pos+1 : kEnd-1]
	i := jsonscan.SkipSpace(s.data, jsonscan.SkipSpace(s.data, kEnd)+1) // past ':'
	vEnd := jsonscan.SkipValue(s.data, i)
	s.pos = vEnd
	return rawKey, s.data[i:vEnd]
}

// element returns the next element's raw value; call after more.
func (s *scanner) element() []byte {
	i := s.pos
	vEnd := jsonscan.SkipValue(s.data, i)
	s.pos = vEnd
	return s.data[i:vEnd]
}

// keyIs reports whether a raw key equals name (escaped keys are decoded).
func keyIs(rawKey []byte, name string) bool {
	if bytes.IndexByte(rawKey, '\\') < 0 {
		return string(rawKey) == name
	}
	var k string
	quoted := make([]byte, 0, len(rawKey)+2)
	quoted = append(append(append(quoted, '"'), rawKey...), '"')
	return json.Unmarshal(quoted, &k) == nil && k == name
}

// stringValue decodes a raw JSON string value.
func stringValue(raw []byte) (string, error) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", errShape
	}
	inner := raw[1 : len(raw)-1]
	if jsonscan.PlainString(inner) {
		return string(inner), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", errShape
	}
	return s, nil
}

// decodeSecretsList parses a SecretsListResponse
// ({"secrets": [{"name": str, "description": str|null}, ...]}); unknown
// members are ignored, a missing or null list is empty. Item validation
// (a name is required) is the caller's.
func decodeSecretsList(body []byte) ([]SecretInfo, error) {
	if !json.Valid(body) {
		return nil, errShape
	}
	top, ok := open(body, '{')
	if !ok {
		return nil, errShape
	}
	var list []byte
	for top.more() {
		if k, v := top.member(); keyIs(k, "secrets") {
			list = v
		}
	}
	if len(list) == 0 || list[0] == 'n' {
		return nil, nil
	}
	items, ok := open(list, '[')
	if !ok {
		return nil, errShape
	}
	out := make([]SecretInfo, 0, bytes.Count(list, []byte{'{'})) // an upper bound of the item count
	for items.more() {
		item := items.element()
		var s SecretInfo
		switch item[0] {
		case 'n':
			out = append(out, s) // null item: zero value, as encoding/json
			continue
		case '{':
		default:
			return nil, errShape
		}
		members, _ := open(item, '{')
		for members.more() {
			k, v := members.member()
			switch {
			case keyIs(k, "name"):
				if v[0] == 'n' {
					continue // null leaves the field unchanged, as encoding/json
				}
				name, err := stringValue(v)
				if err != nil {
					return nil, err
				}
				s.Name = name
			case keyIs(k, "description"):
				if v[0] == 'n' {
					s.Description = nil
					continue
				}
				d, err := stringValue(v)
				if err != nil {
					return nil, err
				}
				s.Description = &d
			}
		}
		out = append(out, s)
	}
	return out, nil
}
