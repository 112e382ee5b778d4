package llm_test

import (
	"encoding/json"
	"testing"

	"github.com/openhands-go/sdk/llm"
)

var benchInput = []byte(`{"model":"anthropic/claude","api_key":"sk-bench","temperature":0.2,"extra_headers":{"X":"y"},"litellm_extra_body":{"metadata":{"a":1}},"future_member":[1,2,3]}`)

// BenchmarkUnmarshal decodes an LLM object with this package.
func BenchmarkUnmarshal(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var l llm.LLM
		if err := l.UnmarshalJSON(benchInput); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnmarshalBaselineMap is the baseline: encoding/json into a map.
func BenchmarkUnmarshalBaselineMap(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var m map[string]any
		if err := json.Unmarshal(benchInput, &m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlaintextJSON encodes the full object (56 members).
func BenchmarkPlaintextJSON(b *testing.B) {
	var l llm.LLM
	if err := l.UnmarshalJSON(benchInput); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := l.PlaintextJSON(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlaintextJSONBaselineMap is the baseline: encoding/json of the
// same object held in a map.
func BenchmarkPlaintextJSONBaselineMap(b *testing.B) {
	var l llm.LLM
	if err := l.UnmarshalJSON(benchInput); err != nil {
		b.Fatal(err)
	}
	p, _ := l.PlaintextJSON()
	var m map[string]any
	if err := json.Unmarshal(p, &m); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := json.Marshal(m); err != nil {
			b.Fatal(err)
		}
	}
}
