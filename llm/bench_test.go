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

// benchFull is a full LLM object as a server emits it (all 56 members, a
// few non-default values), the shape GetLLM decodes.
var benchFull = func() []byte {
	var l llm.LLM
	if err := l.UnmarshalJSON([]byte(`{"model":"openai/gpt-4o","api_key":"sk-bench-key","base_url":"https://litellm.example.com","temperature":0.2,"top_p":0.9,"max_output_tokens":4096,"extra_headers":{"X-Team":"bench","X-Null":null},"capability_overrides":{"vision":true},"litellm_extra_body":{"metadata":{"a":1,"tags":["x","y"]}},"usage_id":"default"}`)); err != nil {
		panic(err)
	}
	p, err := l.PlaintextJSON()
	if err != nil {
		panic(err)
	}
	return p
}()

// llmPtrStruct mirrors the LLM object with one pointer field per member:
// what a plain encoding/json decode that can tell "absent" from "null"
// needs. It is the baseline of BenchmarkUnmarshalFull.
type llmPtrStruct struct {
	Model                     *string            `json:"model"`
	APIKey                    *string            `json:"api_key"`
	ProviderConnectionID      *string            `json:"provider_connection_id"`
	AuthType                  *string            `json:"auth_type"`
	SubscriptionVendor        *string            `json:"subscription_vendor"`
	BaseURL                   *string            `json:"base_url"`
	APIVersion                *string            `json:"api_version"`
	AWSAccessKeyID            *string            `json:"aws_access_key_id"`
	AWSSecretAccessKey        *string            `json:"aws_secret_access_key"`
	AWSSessionToken           *string            `json:"aws_session_token"`
	AWSRegionName             *string            `json:"aws_region_name"`
	AWSProfileName            *string            `json:"aws_profile_name"`
	AWSRoleName               *string            `json:"aws_role_name"`
	AWSSessionName            *string            `json:"aws_session_name"`
	AWSBedrockRuntimeEndpoint *string            `json:"aws_bedrock_runtime_endpoint"`
	OpenRouterSiteURL         *string            `json:"openrouter_site_url"`
	OpenRouterAppName         *string            `json:"openrouter_app_name"`
	NumRetries                *int               `json:"num_retries"`
	RetryMultiplier           *float64           `json:"retry_multiplier"`
	RetryMinWait              *int               `json:"retry_min_wait"`
	RetryMaxWait              *int               `json:"retry_max_wait"`
	Timeout                   *int               `json:"timeout"`
	MaxMessageChars           *int               `json:"max_message_chars"`
	Temperature               *float64           `json:"temperature"`
	TopP                      *float64           `json:"top_p"`
	TopK                      *float64           `json:"top_k"`
	MaxInputTokens            *int               `json:"max_input_tokens"`
	MaxOutputTokens           *int               `json:"max_output_tokens"`
	ModelCanonicalName        *string            `json:"model_canonical_name"`
	APIMode                   *string            `json:"api_mode"`
	CapabilityOverrides       map[string]any     `json:"capability_overrides"`
	ExtraHeaders              map[string]*string `json:"extra_headers"`
	InputCostPerToken         *float64           `json:"input_cost_per_token"`
	OutputCostPerToken        *float64           `json:"output_cost_per_token"`
	OllamaBaseURL             *string            `json:"ollama_base_url"`
	Stream                    *bool              `json:"stream"`
	DropParams                *bool              `json:"drop_params"`
	ModifyParams              *bool              `json:"modify_params"`
	DisableVision             *bool              `json:"disable_vision"`
	DisableStopWord           *bool              `json:"disable_stop_word"`
	CachingPrompt             *bool              `json:"caching_prompt"`
	LogCompletions            *bool              `json:"log_completions"`
	LogCompletionsFolder      *string            `json:"log_completions_folder"`
	CustomTokenizer           *string            `json:"custom_tokenizer"`
	NativeToolCalling         *bool              `json:"native_tool_calling"`
	ForceStringSerializer     *bool              `json:"force_string_serializer"`
	InlineImageURLs           *bool              `json:"inline_image_urls"`
	ReasoningEffort           *string            `json:"reasoning_effort"`
	ReasoningSummary          *string            `json:"reasoning_summary"`
	EnableEncryptedReasoning  *bool              `json:"enable_encrypted_reasoning"`
	PromptCacheRetention      *string            `json:"prompt_cache_retention"`
	ExtendedThinkingBudget    *int               `json:"extended_thinking_budget"`
	Seed                      *int               `json:"seed"`
	UsageID                   *string            `json:"usage_id"`
	LitellmExtraBody          map[string]any     `json:"litellm_extra_body"`
	IsSubscription            *bool              `json:"is_subscription"`
}

// BenchmarkUnmarshalFull decodes a full LLM object with this package.
func BenchmarkUnmarshalFull(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(benchFull)))
	for i := 0; i < b.N; i++ {
		var l llm.LLM
		if err := l.UnmarshalJSON(benchFull); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnmarshalFullBaselineStruct is the baseline: encoding/json of
// the same bytes into a struct with a pointer field per member.
func BenchmarkUnmarshalFullBaselineStruct(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(benchFull)))
	for i := 0; i < b.N; i++ {
		var s llmPtrStruct
		if err := json.Unmarshal(benchFull, &s); err != nil {
			b.Fatal(err)
		}
	}
}
