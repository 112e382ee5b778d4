package model

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/openhands-go/sdk/internal/jsonx"
)

// FuzzValidateAgentSettings: arbitrary JSON never panics, and a document
// that validates re-validates to an equal document (idempotence); rendering
// it in every mode never panics either.
func FuzzValidateAgentSettings(f *testing.F) {
	seeds := []string{
		`{}`,
		`{"agent_kind":"acp","acp_file_secrets":[{"secret_name":"S","filename":"f","env_var":"E","subdir":"d"}]}`,
		`{"agent_kind":"llm","llm":{"model":"azure/x","is_subscription":true,"top_p":1.0}}`,
		`{"llm":{"model":"openai/x","base_url":"https://api.openai.com/","api_key":"  "},"tool_concurrency_limit":2.0}`,
		`{"condenser":{"condenser_kind":"no_op","max_size":3}}`,
		`{"mcp_config":{"s":{"url":"https://x","transport":"http","headers":{"A":"**********","B":"b"},"auth":{"strategy":"oauth2","state":{"tokens":{"access_token":"","x":null},"client_info":{}}}}}}`,
		`{"mcp_config":{"s":{"command":"c","env":{},"auth":{"strategy":"header","headers":{}}}}}`,
		`{"agent_context":{"secrets":{"A":"a","B":{"kind":"LookupSecret","url":"/x","headers":{"Authorization":"","Accept":""}},"C":{"kind":"StaticSecret","value":" "}},"skills":[{"name":"a"}]}}`,
		`{"tools":[{"name":"T","params":{"x":[1,{"y":null}]}}],"verification":{"critic_threshold":0}}`,
		`[1,2]`, `"x"`, `null`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	files, _ := filepath.Glob("../../testdata/upstream/persisted_settings_baselines/v5/*.json")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := jsonx.ParseObject(data)
		if err != nil {
			return
		}
		out, err := ValidateAgentSettings(doc, Input{})
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error text")
			}
			return
		}
		again, err := ValidateAgentSettings(out, Input{})
		if err != nil {
			b, _ := jsonx.Marshal(out)
			t.Fatalf("valid output does not re-validate: %v\n%s", err, b)
		}
		if !jsonx.Equal(out, again) {
			a, _ := jsonx.Marshal(out)
			b, _ := jsonx.Marshal(again)
			t.Fatalf("not idempotent:\n%s\n%s", a, b)
		}
		for _, mode := range []Mode{Redacted, Plaintext, AtRest, Encrypted} {
			r, err := RenderAgentSettings(out, mode, keyA)
			if err != nil {
				t.Fatalf("render %v: %v", mode, err)
			}
			if _, err := jsonx.Marshal(r); err != nil {
				t.Fatalf("marshal: %v", err)
			}
		}
		plain, _ := RenderAgentSettings(out, Plaintext, nil)
		back, err := ValidateAgentSettings(plain, Input{})
		if err != nil || !jsonx.Equal(out, back) {
			t.Fatalf("plaintext render does not round-trip: %v", err)
		}
	})
}

// FuzzLoadSettingsFile: arbitrary file bytes never panic.
func FuzzLoadSettingsFile(f *testing.F) {
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"schema_version":1,"agent_settings":{"schema_version":1,"agent_kind":"llm","llm":{"model":"m"}}}`))
	f.Add([]byte(`{"agent_settings":{"llm":{"model":"m","api_key":"gAAAAAbad"}},"misc_settings":{"a":[]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := LoadSettingsFile(data, Input{Cipher: keyA})
		if err != nil {
			return
		}
		enc, err := EncodeSettingsFile(s, keyA)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		back, err := LoadSettingsFile(enc, Input{Cipher: keyA})
		if err != nil {
			t.Fatalf("re-load: %v", err)
		}
		if !jsonx.Equal(s.Agent, back.Agent) || !jsonx.Equal(s.Conversation, back.Conversation) || !jsonx.Equal(s.Misc, back.Misc) {
			t.Fatal("settings file does not round-trip")
		}
	})
}

// FuzzPyFloat: for every finite float the Python-style text parses back to
// the same value, always reads as a float (has '.', 'e' or is signed zero
// text with ".0"), and is stable when formatted again.
func FuzzPyFloat(f *testing.F) {
	for _, v := range []float64{0, 8, 0.1, 1e-5, 1e16, -2.5, 123456789012345.5, 5e-324, 1.7976931348623157e308} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return
		}
		s := pyFloat(v)
		back, err := strconv.ParseFloat(s, 64)
		if err != nil || back != v || math.Signbit(back) != math.Signbit(v) {
			t.Fatalf("pyFloat(%v) = %q does not round-trip", v, s)
		}
		if !strings.ContainsAny(s, ".e") {
			t.Fatalf("pyFloat(%v) = %q does not read as a float", v, s)
		}
		if pyFloat(back) != s {
			t.Fatalf("pyFloat is not stable for %q", s)
		}
	})
}
