package llm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/openhands-go/sdk/internal/jsonscan"
)

// This file holds the single-pass object scanner behind UnmarshalJSON: the
// input is checked once with json.Valid, after which member boundaries are
// found by a light scanner that only has to track strings and nesting.
// Known members are matched against the field table without allocating and
// decoded straight from their raw bytes.

// rawMember is one scanned member: its key (decoded) and raw value bytes
// (a sub-slice of the input).
type rawMember struct {
	key   string
	value []byte
	field int // index into the field table, -1 for an unknown member
}

// inlineMembers is the number of members scanned without a heap-allocated
// slice (a full LLM object has 56).
const inlineMembers = 64

// validObject checks that data is one valid JSON value and an object. Errors
// never quote the input.
func validObject(data []byte) error {
	if !json.Valid(data) {
		var raw json.RawMessage
		err := json.Unmarshal(data, &raw)
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fmt.Errorf("invalid JSON at offset %d", se.Offset)
		}
		return errors.New("invalid JSON")
	}
	if i := jsonscan.SkipSpace(data, 0); i >= len(data) || data[i] != '{' {
		return errors.New("expected a JSON object")
	}
	return nil
}

// scanMembers splits a valid JSON object (see validObject) into its members
// in input order, matching keys against fields. Duplicate keys are an error.
// buf is reused as the backing array when large enough.
func scanMembers(data []byte, fields *[numFields]field, buf []rawMember) ([]rawMember, error) {
	out := buf[:0]
	var seen uint64 // known fields seen (numFields <= 64)
	var unknownSeen map[string]struct{}
	unknownCount := 0
	hint := 0
	i := jsonscan.SkipSpace(data, 0) + 1 // past '{'
	for {
		i = jsonscan.SkipSpace(data, i)
		if data[i] == '}' {
			return out, nil
		}
		if data[i] == ',' {
			i = jsonscan.SkipSpace(data, i+1)
		}
		// Key.
		kStart := i
		kEnd := jsonscan.SkipString(data, i)
		rawKey := data[kStart+1 : kEnd-1]
		i = jsonscan.SkipSpace(data, kEnd)
		i = jsonscan.SkipSpace(data, i+1) // past ':'
		vEnd := jsonscan.SkipValue(data, i)
		value := data[i:vEnd]
		i = vEnd

		m := rawMember{field: -1, value: value}
		if jsonscan.PlainString(rawKey) {
			if idx := lookupIndex(fields, rawKey, hint); idx >= 0 {
				m.field = idx
				m.key = fields[idx].name
				hint = idx + 1
			} else {
				m.key = string(rawKey)
			}
		} else {
			var k string
			if err := json.Unmarshal(data[kStart:kEnd], &k); err != nil {
				return nil, errors.New("invalid JSON object")
			}
			m.key = k
			for idx := range fields {
				if fields[idx].name == k {
					m.field = idx
					break
				}
			}
		}
		if m.field >= 0 {
			bit := uint64(1) << uint(m.field)
			if seen&bit != 0 {
				return nil, fmt.Errorf("duplicate member %q", m.key)
			}
			seen |= bit
		} else {
			// Compare with the earlier unknown keys: linearly while there
			// are few, through a set beyond that (no quadratic blow-up on
			// hostile input).
			const linear = 16
			if unknownCount < linear {
				for _, prev := range out {
					if prev.field < 0 && prev.key == m.key {
						return nil, fmt.Errorf("duplicate member %q", m.key)
					}
				}
			} else {
				if unknownSeen == nil {
					unknownSeen = make(map[string]struct{}, 2*linear)
					for _, prev := range out {
						if prev.field < 0 {
							unknownSeen[prev.key] = struct{}{}
						}
					}
				}
				if _, dup := unknownSeen[m.key]; dup {
					return nil, fmt.Errorf("duplicate member %q", m.key)
				}
				unknownSeen[m.key] = struct{}{}
			}
			unknownCount++
		}
		out = append(out, m)
	}
}

// lookupIndex returns the index of the field named key, or -1. The search
// starts at hint: members usually arrive in declaration order, so the next
// field is the likely match.
func lookupIndex(fields *[numFields]field, key []byte, hint int) int {
	n := len(fields)
	if hint >= n || hint < 0 {
		hint = 0
	}
	for j := 0; j < n; j++ {
		idx := hint + j
		if idx >= n {
			idx -= n
		}
		if string(key) == fields[idx].name {
			return idx
		}
	}
	return -1
}

// compactCopy returns a compacted copy of a valid JSON value.
func compactCopy(raw []byte) json.RawMessage {
	needs := false
	for _, c := range raw {
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			needs = true
			break
		}
	}
	if !needs {
		return append(json.RawMessage(nil), raw...)
	}
	var c bytes.Buffer
	c.Grow(len(raw))
	if err := json.Compact(&c, raw); err != nil {
		// Unreachable for valid input; keep the bytes rather than lose them.
		return append(json.RawMessage(nil), raw...)
	}
	return c.Bytes()
}

// HasMember reports whether data is a valid JSON object with a top-level
// member named name. Callers use it to tell a member that is absent (and
// so took its default in UnmarshalJSON) from one that was given, e.g. the
// required "model" of a supplied LLM object (data-model.md §3.2).
func HasMember(data []byte, name string) bool {
	if validObject(data) != nil {
		return false
	}
	fields := fieldTable()
	var buf [inlineMembers]rawMember
	members, err := scanMembers(data, &fields, buf[:])
	if err != nil {
		return false
	}
	for _, m := range members {
		if m.key == name {
			return true
		}
	}
	return false
}
