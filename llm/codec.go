package llm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/openhands-go/sdk/internal/jsonscan"
	"io"
	"log/slog"
	"math"
	"sort"
	"strconv"

	"github.com/openhands-go/sdk/secret"
)

// field binds a JSON member name to a pointer to the Go field.
type field struct {
	name string
	ptr  func(l *LLM) any
}

// numFields is the number of known members.
const numFields = 56

// fieldTable lists every known member in declaration (= output) order. It is
// a function (not a package variable) so that the table cannot be mutated.
func fieldTable() [numFields]field {
	return [numFields]field{
		{"model", func(l *LLM) any { return &l.Model }},
		{"api_key", func(l *LLM) any { return &l.APIKey }},
		{"provider_connection_id", func(l *LLM) any { return &l.ProviderConnectionID }},
		{"auth_type", func(l *LLM) any { return &l.AuthType }},
		{"subscription_vendor", func(l *LLM) any { return &l.SubscriptionVendor }},
		{"base_url", func(l *LLM) any { return &l.BaseURL }},
		{"api_version", func(l *LLM) any { return &l.APIVersion }},
		{"aws_access_key_id", func(l *LLM) any { return &l.AWSAccessKeyID }},
		{"aws_secret_access_key", func(l *LLM) any { return &l.AWSSecretAccessKey }},
		{"aws_session_token", func(l *LLM) any { return &l.AWSSessionToken }},
		{"aws_region_name", func(l *LLM) any { return &l.AWSRegionName }},
		{"aws_profile_name", func(l *LLM) any { return &l.AWSProfileName }},
		{"aws_role_name", func(l *LLM) any { return &l.AWSRoleName }},
		{"aws_session_name", func(l *LLM) any { return &l.AWSSessionName }},
		{"aws_bedrock_runtime_endpoint", func(l *LLM) any { return &l.AWSBedrockRuntimeEndpoint }},
		{"openrouter_site_url", func(l *LLM) any { return &l.OpenRouterSiteURL }},
		{"openrouter_app_name", func(l *LLM) any { return &l.OpenRouterAppName }},
		{"num_retries", func(l *LLM) any { return &l.NumRetries }},
		{"retry_multiplier", func(l *LLM) any { return &l.RetryMultiplier }},
		{"retry_min_wait", func(l *LLM) any { return &l.RetryMinWait }},
		{"retry_max_wait", func(l *LLM) any { return &l.RetryMaxWait }},
		{"timeout", func(l *LLM) any { return &l.Timeout }},
		{"max_message_chars", func(l *LLM) any { return &l.MaxMessageChars }},
		{"temperature", func(l *LLM) any { return &l.Temperature }},
		{"top_p", func(l *LLM) any { return &l.TopP }},
		{"top_k", func(l *LLM) any { return &l.TopK }},
		{"max_input_tokens", func(l *LLM) any { return &l.MaxInputTokens }},
		{"max_output_tokens", func(l *LLM) any { return &l.MaxOutputTokens }},
		{"model_canonical_name", func(l *LLM) any { return &l.ModelCanonicalName }},
		{"api_mode", func(l *LLM) any { return &l.APIMode }},
		{"capability_overrides", func(l *LLM) any { return &l.CapabilityOverrides }},
		{"extra_headers", func(l *LLM) any { return &l.ExtraHeaders }},
		{"input_cost_per_token", func(l *LLM) any { return &l.InputCostPerToken }},
		{"output_cost_per_token", func(l *LLM) any { return &l.OutputCostPerToken }},
		{"ollama_base_url", func(l *LLM) any { return &l.OllamaBaseURL }},
		{"stream", func(l *LLM) any { return &l.Stream }},
		{"drop_params", func(l *LLM) any { return &l.DropParams }},
		{"modify_params", func(l *LLM) any { return &l.ModifyParams }},
		{"disable_vision", func(l *LLM) any { return &l.DisableVision }},
		{"disable_stop_word", func(l *LLM) any { return &l.DisableStopWord }},
		{"caching_prompt", func(l *LLM) any { return &l.CachingPrompt }},
		{"log_completions", func(l *LLM) any { return &l.LogCompletions }},
		{"log_completions_folder", func(l *LLM) any { return &l.LogCompletionsFolder }},
		{"custom_tokenizer", func(l *LLM) any { return &l.CustomTokenizer }},
		{"native_tool_calling", func(l *LLM) any { return &l.NativeToolCalling }},
		{"force_string_serializer", func(l *LLM) any { return &l.ForceStringSerializer }},
		{"inline_image_urls", func(l *LLM) any { return &l.InlineImageURLs }},
		{"reasoning_effort", func(l *LLM) any { return &l.ReasoningEffort }},
		{"reasoning_summary", func(l *LLM) any { return &l.ReasoningSummary }},
		{"enable_encrypted_reasoning", func(l *LLM) any { return &l.EnableEncryptedReasoning }},
		{"prompt_cache_retention", func(l *LLM) any { return &l.PromptCacheRetention }},
		{"extended_thinking_budget", func(l *LLM) any { return &l.ExtendedThinkingBudget }},
		{"seed", func(l *LLM) any { return &l.Seed }},
		{"usage_id", func(l *LLM) any { return &l.UsageID }},
		{"litellm_extra_body", func(l *LLM) any { return &l.LitellmExtraBody }},
		{"is_subscription", func(l *LLM) any { return &l.IsSubscription }},
	}
}

// FieldNames returns the JSON names of all known members in output order.
func FieldNames() []string {
	fields := fieldTable()
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.name
	}
	return out
}

// MarshalJSON emits every member (declaration order, nulls included) with the
// four secret fields redacted ("**********" when set, null when empty).
// Unknown members follow the known ones; as a precaution, unknown members
// with a secret-looking name and a string value are redacted too.
func (l LLM) MarshalJSON() ([]byte, error) { return l.encode(false) }

// PlaintextJSON emits every member with the real secret values (for sending
// the configuration to a server).
func (l *LLM) PlaintextJSON() ([]byte, error) { return l.encode(true) }

func (l *LLM) encode(plain bool) ([]byte, error) {
	fields := fieldTable()
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(&b, f.name)
		b.WriteByte(':')
		if err := encodeValue(&b, f.ptr(l), plain); err != nil {
			return nil, fmt.Errorf("llm: field %q: %w", f.name, err)
		}
	}
	for _, m := range l.unknown {
		b.WriteByte(',')
		writeString(&b, m.key)
		b.WriteByte(':')
		if !plain && secret.IsSecretHeaderName(m.key) && len(m.value) > 0 && m.value[0] == '"' {
			writeString(&b, secret.Marker)
			continue
		}
		b.Write(m.value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func encodeValue(b *bytes.Buffer, p any, plain bool) error {
	switch v := p.(type) {
	case *string:
		writeString(b, *v)
	case *secret.Str:
		switch {
		case !v.IsSet():
			b.WriteString("null")
		case plain:
			writeString(b, v.Reveal())
		default:
			writeString(b, secret.Marker)
		}
	case **string:
		if *v == nil {
			b.WriteString("null")
		} else {
			writeString(b, **v)
		}
	case *int:
		b.WriteString(strconv.Itoa(*v))
	case **int:
		if *v == nil {
			b.WriteString("null")
		} else {
			b.WriteString(strconv.Itoa(**v))
		}
	case *float64:
		return writeFloat(b, *v)
	case **float64:
		if *v == nil {
			b.WriteString("null")
			return nil
		}
		return writeFloat(b, **v)
	case *bool:
		b.WriteString(strconv.FormatBool(*v))
	case **bool:
		if *v == nil {
			b.WriteString("null")
		} else {
			b.WriteString(strconv.FormatBool(**v))
		}
	case *map[string]any:
		if *v == nil {
			b.WriteString("{}")
			return nil
		}
		enc, err := json.Marshal(*v)
		if err != nil {
			return errors.New("value cannot be encoded as JSON")
		}
		b.Write(enc)
	case *map[string]*string:
		if *v == nil {
			b.WriteString("null")
			return nil
		}
		enc, err := json.Marshal(*v)
		if err != nil {
			return errors.New("value cannot be encoded as JSON")
		}
		b.Write(enc)
	default:
		return fmt.Errorf("unsupported field type %T", p)
	}
	return nil
}

// writeFloat writes f the way upstream prints floats (integral values with a
// ".0"); NaN and infinities are errors.
func writeFloat(b *bytes.Buffer, f float64) error {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return errors.New("not a finite number")
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e16 {
		b.WriteString(strconv.FormatFloat(f, 'f', -1, 64))
		b.WriteString(".0")
		return nil
	}
	enc, _ := json.Marshal(f)
	b.Write(enc)
	return nil
}

func writeString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s)
	b.Write(enc)
}

// UnmarshalJSON decodes an LLM object. Decoding starts from [Default]: missing
// members keep their defaults, explicit null sets nullable fields to nil.
// Unknown members are kept (see [LLM]). Type errors name the member, never
// the value. Duplicate members are an error. Range checks and upstream
// normalisation are not applied here; see [LLM.Validate] and [LLM.Normalize].
func (l *LLM) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil // JSON null leaves the value unchanged (encoding/json convention)
	}
	if err := validObject(data); err != nil {
		return fmt.Errorf("llm: %w", err)
	}
	fields := fieldTable()
	var buf [inlineMembers]rawMember
	members, err := scanMembers(data, &fields, buf[:])
	if err != nil {
		return fmt.Errorf("llm: %w", err)
	}
	out := Default()
	unknown := 0
	for i := range members {
		m := &members[i]
		if m.field < 0 {
			unknown++
			continue
		}
		f := &fields[m.field]
		if err := decodeValue(f.ptr(out), m.value, f.name); err != nil {
			return fmt.Errorf("llm: field %q: %w", f.name, err)
		}
	}
	if unknown > 0 {
		out.unknown = make([]member, 0, unknown)
		for i := range members {
			if m := &members[i]; m.field < 0 {
				out.unknown = append(out.unknown, member{key: m.key, value: compactCopy(m.value)})
			}
		}
	}
	*l = *out
	return nil
}

// parseObject splits a JSON object into its members (in order, values
// compacted). Errors never quote the input.
func parseObject(data []byte) ([]member, error) {
	if err := validObject(data); err != nil {
		return nil, err
	}
	fields := fieldTable()
	var buf [inlineMembers]rawMember
	members, err := scanMembers(data, &fields, buf[:])
	if err != nil {
		return nil, err
	}
	if len(members) == 0 {
		return nil, nil
	}
	out := make([]member, len(members))
	for i, m := range members {
		out[i] = member{key: m.key, value: compactCopy(m.value)}
	}
	return out, nil
}

// jsonKind names the JSON type of a raw value for error messages.
func jsonKind(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

func typeErr(want string, raw json.RawMessage) error {
	return fmt.Errorf("expected %s, got %s", want, jsonKind(raw))
}

func isNull(raw json.RawMessage) bool { return string(raw) == "null" }

// isEmptyObject reports whether a valid JSON object value has no members.
func isEmptyObject(raw json.RawMessage) bool {
	return len(raw) >= 2 && raw[0] == '{' && jsonscan.SkipSpace(raw, 1) == len(raw)-1
}

func decodeString(raw json.RawMessage) (string, error) {
	if jsonKind(raw) != "a string" {
		return "", typeErr("a string", raw)
	}
	if inner := raw[1 : len(raw)-1]; jsonscan.PlainString(inner) {
		return string(inner), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", errors.New("invalid string")
	}
	return s, nil
}

func decodeInt(raw json.RawMessage) (int, error) {
	if jsonKind(raw) != "a number" {
		return 0, typeErr("an integer", raw)
	}
	if n, err := strconv.ParseInt(string(raw), 10, 0); err == nil {
		return int(n), nil
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, errors.New("expected an integer")
	}
	return int(f), nil
}

func decodeFloat(raw json.RawMessage) (float64, error) {
	if jsonKind(raw) != "a number" {
		return 0, typeErr("a number", raw)
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return 0, errors.New("number out of range")
	}
	return f, nil
}

func decodeBool(raw json.RawMessage) (bool, error) {
	switch string(raw) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, typeErr("a boolean", raw)
}

func decodeAnyMap(raw json.RawMessage) (map[string]any, error) {
	if jsonKind(raw) != "an object" {
		return nil, typeErr("an object", raw)
	}
	if isEmptyObject(raw) {
		return map[string]any{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, errors.New("invalid object")
	}
	return m, nil
}

func decodeValue(p any, raw json.RawMessage, name string) error {
	switch v := p.(type) {
	case *string:
		s, err := decodeString(raw)
		if err != nil {
			return err
		}
		*v = s
	case *secret.Str:
		if isNull(raw) {
			*v = ""
			return nil
		}
		s, err := decodeString(raw)
		if err != nil {
			return typeErr("a string or null", raw)
		}
		*v = secret.Str(s)
	case **string:
		if isNull(raw) {
			*v = nil
			return nil
		}
		s, err := decodeString(raw)
		if err != nil {
			return typeErr("a string or null", raw)
		}
		*v = &s
	case *int:
		n, err := decodeInt(raw)
		if err != nil {
			return err
		}
		*v = n
	case **int:
		if isNull(raw) {
			*v = nil
			return nil
		}
		n, err := decodeInt(raw)
		if err != nil {
			return fmt.Errorf("%w or null", err)
		}
		*v = &n
	case *float64:
		f, err := decodeFloat(raw)
		if err != nil {
			return err
		}
		*v = f
	case **float64:
		if isNull(raw) {
			*v = nil
			return nil
		}
		f, err := decodeFloat(raw)
		if err != nil {
			return fmt.Errorf("%w or null", err)
		}
		*v = &f
	case *bool:
		bv, err := decodeBool(raw)
		if err != nil {
			return err
		}
		*v = bv
	case **bool:
		if isNull(raw) {
			*v = nil
			return nil
		}
		bv, err := decodeBool(raw)
		if err != nil {
			return typeErr("a boolean or null", raw)
		}
		*v = &bv
	case *map[string]any:
		m, err := decodeAnyMap(raw)
		if err != nil {
			return err
		}
		if name == "capability_overrides" {
			for k, val := range m {
				switch val.(type) {
				case bool, string:
				default:
					return fmt.Errorf("member %q: expected a boolean or a string", k)
				}
			}
		}
		*v = m
	case *map[string]*string:
		if isNull(raw) {
			*v = nil
			return nil
		}
		if jsonKind(raw) != "an object" {
			return typeErr("an object or null", raw)
		}
		if isEmptyObject(raw) {
			*v = map[string]*string{}
			return nil
		}
		var m map[string]*string
		if err := json.Unmarshal(raw, &m); err != nil {
			return errors.New("expected an object of strings or nulls")
		}
		*v = m
	default:
		return fmt.Errorf("unsupported field type %T", p)
	}
	return nil
}

// String returns the redacted JSON form.
func (l LLM) String() string {
	b, err := l.MarshalJSON()
	if err != nil {
		return "llm.LLM{<unencodable>}"
	}
	return string(b)
}

// GoString returns a Go-syntax-like form (redacted).
func (l LLM) GoString() string { return "llm.LLM" + l.String() }

// Format implements [fmt.Formatter] for LLM values: every verb prints the
// redacted JSON form (%#v prefixes it with "llm.LLM"; %q quotes it; %x hex
// encodes it). Secret fields are never printed.
func (l LLM) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, l.GoString())
		return
	}
	switch verb {
	case 's', 'q', 'x', 'X':
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), l.String())
	default:
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, 's'), l.String())
	}
}

// LogValue implements slog.LogValuer: the redacted JSON form.
func (l LLM) LogValue() slog.Value { return slog.StringValue(l.String()) }

// Unknown returns the names of members this version does not know, in input
// order.
func (l *LLM) Unknown() []string {
	out := make([]string, len(l.unknown))
	for i, m := range l.unknown {
		out[i] = m.key
	}
	return out
}

// sortedKeys returns the keys of m sorted.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
