// Package jsonscan holds the small, allocation-free JSON scanning
// primitives the client packages (llm, workspace) share to slice documents
// that are already known to be valid JSON. It imports only the standard
// library and holds no server code.
package jsonscan

import (
	"bytes"
	"unicode/utf8"
)

// PlainString reports whether the raw content of a JSON string is its own
// decoded value: no escapes and valid UTF-8 (encoding/json replaces invalid
// bytes with U+FFFD).
func PlainString(raw []byte) bool {
	for _, c := range raw {
		if c == '\\' || c >= utf8.RuneSelf {
			return bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw)
		}
	}
	return true
}

// SkipSpace returns the index of the first non-whitespace byte at or after i.
func SkipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// SkipString returns the index just past the valid JSON string at data[i]:
// closing quotes are found with IndexByte; only a stretch holding a
// backslash is walked byte by byte (linear in all cases).
func SkipString(data []byte, i int) int {
	i++
	for i < len(data) {
		q := bytes.IndexByte(data[i:], '"')
		if q < 0 {
			return len(data)
		}
		end := i + q
		b := bytes.IndexByte(data[i:end], '\\')
		if b < 0 {
			return end + 1
		}
		j := i + b
		for j < end {
			if data[j] == '\\' {
				j += 2
			} else {
				j++
			}
		}
		if j == end {
			return end + 1 // the quote at end closes the string
		}
		i = j // the quote at end was escaped; search on after it
	}
	return len(data)
}

// SkipValue returns the index just past the valid JSON value at data[i].
func SkipValue(data []byte, i int) int {
	switch data[i] {
	case '"':
		return SkipString(data, i)
	case '{', '[':
		depth := 0
		for i < len(data) {
			switch data[i] {
			case '"':
				i = SkipString(data, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(data)
	default: // number, true, false, null
		for i < len(data) {
			switch data[i] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				return i
			}
			i++
		}
		return i
	}
}
