package llm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/openhands-go/sdk/secret"
)

// Clone returns a deep copy of l (nil for nil).
func (l *LLM) Clone() *LLM {
	if l == nil {
		return nil
	}
	c := *l
	c.ProviderConnectionID = cloneP(l.ProviderConnectionID)
	c.SubscriptionVendor = cloneP(l.SubscriptionVendor)
	c.BaseURL = cloneP(l.BaseURL)
	c.APIVersion = cloneP(l.APIVersion)
	c.AWSRegionName = cloneP(l.AWSRegionName)
	c.AWSProfileName = cloneP(l.AWSProfileName)
	c.AWSRoleName = cloneP(l.AWSRoleName)
	c.AWSSessionName = cloneP(l.AWSSessionName)
	c.AWSBedrockRuntimeEndpoint = cloneP(l.AWSBedrockRuntimeEndpoint)
	c.Timeout = cloneP(l.Timeout)
	c.Temperature = cloneP(l.Temperature)
	c.TopP = cloneP(l.TopP)
	c.TopK = cloneP(l.TopK)
	c.MaxInputTokens = cloneP(l.MaxInputTokens)
	c.MaxOutputTokens = cloneP(l.MaxOutputTokens)
	c.ModelCanonicalName = cloneP(l.ModelCanonicalName)
	c.CapabilityOverrides = cloneAnyMap(l.CapabilityOverrides)
	if l.ExtraHeaders != nil {
		c.ExtraHeaders = make(map[string]*string, len(l.ExtraHeaders))
		for k, v := range l.ExtraHeaders {
			c.ExtraHeaders[k] = cloneP(v)
		}
	}
	c.InputCostPerToken = cloneP(l.InputCostPerToken)
	c.OutputCostPerToken = cloneP(l.OutputCostPerToken)
	c.OllamaBaseURL = cloneP(l.OllamaBaseURL)
	c.DisableVision = cloneP(l.DisableVision)
	c.DisableStopWord = cloneP(l.DisableStopWord)
	c.CustomTokenizer = cloneP(l.CustomTokenizer)
	c.ForceStringSerializer = cloneP(l.ForceStringSerializer)
	c.InlineImageURLs = cloneP(l.InlineImageURLs)
	c.ReasoningEffort = cloneP(l.ReasoningEffort)
	c.ReasoningSummary = cloneP(l.ReasoningSummary)
	c.PromptCacheRetention = cloneP(l.PromptCacheRetention)
	c.ExtendedThinkingBudget = cloneP(l.ExtendedThinkingBudget)
	c.Seed = cloneP(l.Seed)
	c.LitellmExtraBody = cloneAnyMap(l.LitellmExtraBody)
	if l.unknown != nil {
		c.unknown = make([]member, len(l.unknown))
		for i, m := range l.unknown {
			c.unknown[i] = member{key: m.key, value: append(json.RawMessage(nil), m.value...)}
		}
	}
	return &c
}

func cloneP[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneAnyMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = cloneAny(v)
	}
	return out
}

func cloneAny(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return cloneAnyMap(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = cloneAny(e)
		}
		return out
	default:
		return v
	}
}

// ApplyOverrides applies overrides shallowly, key by key, on the plaintext
// JSON form of l and re-parses the result (client.md §3 step 4): a key names a
// JSON member (e.g. "model", "api_key", "temperature", "usage_id") and its
// value replaces that member entirely. Values are encoded with encoding/json,
// except that [secret.Str] (and *secret.Str) contribute their real value.
// A nil value is JSON null.
//
// After the merge the upstream normalisation ([LLM.Normalize]) and validation
// ([LLM.Validate]) run. On any error (a value of the wrong JSON type, a
// failed validation) l is left unchanged. Keys that are not LLM members are
// kept like other unknown members (upstream drops them on validation).
func (l *LLM) ApplyOverrides(overrides map[string]any) error {
	if len(overrides) == 0 {
		return nil
	}
	plain, err := l.PlaintextJSON()
	if err != nil {
		return err
	}
	members, err := parseObject(plain)
	if err != nil {
		return fmt.Errorf("llm: %w", err)
	}
	for _, k := range sortedKeys(overrides) {
		raw, err := overrideJSON(overrides[k])
		if err != nil {
			return fmt.Errorf("llm: override %q: %w", k, err)
		}
		replaced := false
		for i := range members {
			if members[i].key == k {
				members[i].value = raw
				replaced = true
				break
			}
		}
		if !replaced {
			members = append(members, member{key: k, value: raw})
		}
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range members {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(&b, m.key)
		b.WriteByte(':')
		b.Write(m.value)
	}
	b.WriteByte('}')
	var out LLM
	if err := out.UnmarshalJSON(b.Bytes()); err != nil {
		return err
	}
	out.Normalize()
	if err := out.Validate(); err != nil {
		return err
	}
	*l = out
	return nil
}

// overrideJSON encodes one override value, revealing secret.Str values.
func overrideJSON(v any) (json.RawMessage, error) {
	switch t := v.(type) {
	case nil:
		return json.RawMessage("null"), nil
	case secret.Str:
		if !t.IsSet() {
			return json.RawMessage("null"), nil
		}
		enc, _ := json.Marshal(t.Reveal())
		return enc, nil
	case *secret.Str:
		if t == nil || !t.IsSet() {
			return json.RawMessage("null"), nil
		}
		enc, _ := json.Marshal(t.Reveal())
		return enc, nil
	case json.RawMessage:
		var c bytes.Buffer
		if err := json.Compact(&c, t); err != nil {
			return nil, errors.New("invalid raw JSON")
		}
		return c.Bytes(), nil
	}
	enc, err := json.Marshal(v)
	if err != nil {
		return nil, errors.New("value cannot be encoded as JSON")
	}
	return enc, nil
}

// Normalize applies upstream's input normalisation (data-model.md §3.2):
// an "azure…" model without api_version gets "2024-12-01-preview", and an
// "openai/…" model whose base_url is exactly https://api.openai.com (with
// or without a trailing "/") gets a nil base_url.
func (l *LLM) Normalize() {
	if strings.HasPrefix(l.Model, "azure") && l.APIVersion == nil {
		l.APIVersion = strp(AzureDefaultAPIVersion)
	}
	if strings.HasPrefix(l.Model, "openai/") && l.BaseURL != nil &&
		(*l.BaseURL == "https://api.openai.com" || *l.BaseURL == "https://api.openai.com/") {
		l.BaseURL = nil
	}
}

// Validate checks the constraints of data-model.md §3.2: model non-empty,
// enumerations (auth_type, subscription_vendor, api_mode, reasoning_summary),
// numeric ranges and finite floats. All violations are reported together;
// messages name the field and the constraint, never a secret.
func (l *LLM) Validate() error {
	var errs []error
	bad := func(field, msg string) { errs = append(errs, fmt.Errorf("llm: field %q: %s", field, msg)) }
	if l.Model == "" {
		bad("model", "must be a non-empty string")
	}
	if l.AuthType != AuthTypeAPIKey && l.AuthType != AuthTypeSubscription {
		bad("auth_type", `must be "api_key" or "subscription"`)
	}
	if l.SubscriptionVendor != nil && *l.SubscriptionVendor != "openai" {
		bad("subscription_vendor", `must be "openai" or null`)
	}
	switch l.APIMode {
	case APIModeAuto, APIModeChat, APIModeResponses:
	default:
		bad("api_mode", `must be "auto", "chat" or "responses"`)
	}
	if l.ReasoningSummary != nil {
		switch *l.ReasoningSummary {
		case "auto", "concise", "detailed":
		default:
			bad("reasoning_summary", `must be "auto", "concise", "detailed" or null`)
		}
	}
	intMin := func(field string, v, lo int) {
		if v < lo {
			bad(field, fmt.Sprintf("must be >= %d", lo))
		}
	}
	intMin("num_retries", l.NumRetries, 0)
	intMin("retry_min_wait", l.RetryMinWait, 0)
	intMin("retry_max_wait", l.RetryMaxWait, 0)
	intMin("max_message_chars", l.MaxMessageChars, 1)
	if l.Timeout != nil {
		intMin("timeout", *l.Timeout, 0)
	}
	if l.MaxInputTokens != nil {
		intMin("max_input_tokens", *l.MaxInputTokens, 1)
	}
	if l.MaxOutputTokens != nil {
		intMin("max_output_tokens", *l.MaxOutputTokens, 1)
	}
	floatRange := func(field string, v *float64, lo, hi float64) {
		if v == nil {
			return
		}
		switch {
		case math.IsNaN(*v) || math.IsInf(*v, 0):
			bad(field, "must be a finite number")
		case *v < lo:
			bad(field, fmt.Sprintf("must be >= %g", lo))
		case *v > hi:
			bad(field, fmt.Sprintf("must be <= %g", hi))
		}
	}
	rm := l.RetryMultiplier
	floatRange("retry_multiplier", &rm, 0, math.Inf(1))
	floatRange("temperature", l.Temperature, 0, math.Inf(1))
	floatRange("top_p", l.TopP, 0, 1)
	floatRange("top_k", l.TopK, 0, math.Inf(1))
	floatRange("input_cost_per_token", l.InputCostPerToken, 0, math.Inf(1))
	floatRange("output_cost_per_token", l.OutputCostPerToken, 0, math.Inf(1))
	for _, k := range sortedKeys(l.CapabilityOverrides) {
		switch l.CapabilityOverrides[k].(type) {
		case bool, string:
		default:
			bad("capability_overrides", fmt.Sprintf("member %q must be a boolean or a string", k))
		}
	}
	return errors.Join(errs...)
}
