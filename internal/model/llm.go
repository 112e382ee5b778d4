package model

import (
	"encoding/json"
	"strings"

	"github.com/openhands-go/sdk/internal/jsonx"
)

// AzureDefaultAPIVersion is set on azure* models without an api_version.
const AzureDefaultAPIVersion = "2024-12-01-preview"

// llmBefore is the input normalisation of data-model.md §3.2, applied to the
// raw LLM object before its fields are validated.
func llmBefore(v *vctx, in *jsonx.Object) *jsonx.Object {
	modelVal := in.Value("model")
	if falsy(modelVal) {
		msg := "model must be specified in LLM"
		v.add("value_error", "Value error, "+msg, nil, jsonx.Obj("error", msg))
		return nil
	}
	name, ok := modelVal.(string)
	if !ok {
		return in // the field validation reports the type error
	}
	out := in
	set := func(k string, val any) {
		if out == in {
			out = in.Clone()
		}
		out.Set(k, val)
	}
	if strings.HasPrefix(name, "azure") && falsy(in.Value("api_version")) {
		set("api_version", AzureDefaultAPIVersion)
	}
	if strings.HasPrefix(name, "openai/") {
		if base, _ := in.String("base_url"); base == "https://api.openai.com" || base == "https://api.openai.com/" {
			set("base_url", nil)
		}
	}
	return out
}

// falsy mirrors Python truthiness for JSON values.
func falsy(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case string:
		return x == ""
	case json.Number:
		f, err := x.Float64()
		return err == nil && f == 0
	case []any:
		return len(x) == 0
	case *jsonx.Object:
		return x.Len() == 0
	}
	return false
}

// ValidateLLM validates an LLM object (data-model.md §3) with the input
// normalisation of §3.2; model is required and non-empty.
func ValidateLLM(doc *jsonx.Object, in Input) (*jsonx.Object, error) {
	return validateTop(schemas.llmT, doc, in)
}

// LLMAPIKeyIsSet reports whether agent_settings.llm.api_key is set (non-null,
// non-blank, not Sealed).
func LLMAPIKeyIsSet(agent *jsonx.Object) bool {
	s, ok := agent.Object("llm").String("api_key")
	return ok && strings.TrimSpace(s) != ""
}

// ProfileAPIKeySet reports whether an internal LLM's api_key is set
// (non-blank, not Marker, not Sealed).
func ProfileAPIKeySet(llm *jsonx.Object) bool {
	s, ok := llm.String("api_key")
	return ok && !blankSecret(s)
}
