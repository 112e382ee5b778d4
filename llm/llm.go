// Package llm holds the client-side LLM configuration object of the OpenHands
// Settings and Secrets API (data-model.md §3): the value found in
// agent_settings.llm, in LLM profile configs and in profile save/validate
// requests.
//
// The four secret fields (api_key and the three AWS credentials) are
// [secret.Str]: json.Marshal, fmt and log/slog print them redacted; use
// [LLM.PlaintextJSON] to send the real values to a server.
package llm

import (
	"encoding/json"

	"github.com/openhands-go/sdk/secret"
)

// Enumerated values of string fields.
const (
	// AuthTypeAPIKey is the default auth_type.
	AuthTypeAPIKey = "api_key"
	// AuthTypeSubscription selects subscription (vendor login) authentication.
	AuthTypeSubscription = "subscription"

	// APIModeAuto lets the SDK choose between chat and responses APIs.
	APIModeAuto = "auto"
	// APIModeChat forces the chat completions API.
	APIModeChat = "chat"
	// APIModeResponses forces the responses API.
	APIModeResponses = "responses"

	// DefaultModel is the default model name.
	DefaultModel = "gpt-5.5"
	// DefaultUsageID is the default usage_id.
	DefaultUsageID = "default"
	// AzureDefaultAPIVersion is set as api_version for azure models without one.
	AzureDefaultAPIVersion = "2024-12-01-preview"
)

// SecretFields returns the JSON names of the four secret fields (upstream
// LLM_SECRET_FIELDS).
func SecretFields() []string {
	return []string{"api_key", "aws_access_key_id", "aws_secret_access_key", "aws_session_token"}
}

// LLM is the LLM configuration object (data-model.md §3.2). Fields are in
// upstream declaration order, which is also the JSON output order. Pointer
// fields are nullable (nil ↔ JSON null).
//
// Members this version does not know are kept (in input order) and emitted
// after the known ones, so a read-modify-write round trip is lossless.
//
// The zero value is not the default configuration; use [Default].
type LLM struct {
	// Model is the model name (required, non-empty).
	Model string
	// APIKey is the provider API key (secret).
	APIKey secret.Str
	// ProviderConnectionID identifies a stored provider connection.
	ProviderConnectionID *string
	// AuthType is "api_key" or "subscription".
	AuthType string
	// SubscriptionVendor is "openai" or nil.
	SubscriptionVendor *string
	// BaseURL is the provider base URL.
	BaseURL *string
	// APIVersion is the provider API version (azure).
	APIVersion *string
	// AWSAccessKeyID is the AWS access key id (secret).
	AWSAccessKeyID secret.Str
	// AWSSecretAccessKey is the AWS secret access key (secret).
	AWSSecretAccessKey secret.Str
	// AWSSessionToken is the AWS session token (secret).
	AWSSessionToken secret.Str
	// AWSRegionName is the AWS region.
	AWSRegionName *string
	// AWSProfileName is the AWS profile.
	AWSProfileName *string
	// AWSRoleName is the AWS role.
	AWSRoleName *string
	// AWSSessionName is the AWS session name.
	AWSSessionName *string
	// AWSBedrockRuntimeEndpoint overrides the Bedrock runtime endpoint.
	AWSBedrockRuntimeEndpoint *string
	// OpenRouterSiteURL is sent to OpenRouter.
	OpenRouterSiteURL string
	// OpenRouterAppName is sent to OpenRouter.
	OpenRouterAppName string
	// NumRetries is the number of retries (≥ 0).
	NumRetries int
	// RetryMultiplier is the retry backoff multiplier (≥ 0).
	RetryMultiplier float64
	// RetryMinWait is the minimum retry wait in seconds (≥ 0).
	RetryMinWait int
	// RetryMaxWait is the maximum retry wait in seconds (≥ 0).
	RetryMaxWait int
	// Timeout is the request timeout in seconds (≥ 0).
	Timeout *int
	// MaxMessageChars truncates long messages (≥ 1).
	MaxMessageChars int
	// Temperature is the sampling temperature (≥ 0).
	Temperature *float64
	// TopP is nucleus sampling (0..1).
	TopP *float64
	// TopK is top-k sampling (≥ 0).
	TopK *float64
	// MaxInputTokens is the context limit (≥ 1).
	MaxInputTokens *int
	// MaxOutputTokens is the output limit (≥ 1).
	MaxOutputTokens *int
	// ModelCanonicalName is the catalogue name of the model.
	ModelCanonicalName *string
	// APIMode is "auto", "chat" or "responses".
	APIMode string
	// CapabilityOverrides maps capability names to a boolean or string.
	CapabilityOverrides map[string]any
	// ExtraHeaders are extra HTTP headers (values may be null).
	ExtraHeaders map[string]*string
	// InputCostPerToken overrides the input token price (≥ 0).
	InputCostPerToken *float64
	// OutputCostPerToken overrides the output token price (≥ 0).
	OutputCostPerToken *float64
	// OllamaBaseURL is the Ollama server URL.
	OllamaBaseURL *string
	// Stream enables streaming.
	Stream bool
	// DropParams drops unsupported parameters.
	DropParams bool
	// ModifyParams is deprecated but still emitted.
	ModifyParams bool
	// DisableVision disables image input.
	DisableVision *bool
	// DisableStopWord disables stop words.
	DisableStopWord *bool
	// CachingPrompt enables prompt caching.
	CachingPrompt bool
	// LogCompletions enables completion logging.
	LogCompletions bool
	// LogCompletionsFolder is where completions are logged.
	LogCompletionsFolder string
	// CustomTokenizer names a custom tokenizer.
	CustomTokenizer *string
	// NativeToolCalling enables native tool calling.
	NativeToolCalling bool
	// ForceStringSerializer forces string message serialisation.
	ForceStringSerializer *bool
	// InlineImageURLs inlines image URLs.
	InlineImageURLs *bool
	// ReasoningEffort is e.g. "low", "medium", "high", "xhigh", "none".
	ReasoningEffort *string
	// ReasoningSummary is "auto", "concise", "detailed" or nil.
	ReasoningSummary *string
	// EnableEncryptedReasoning enables encrypted reasoning items.
	EnableEncryptedReasoning bool
	// PromptCacheRetention is e.g. "24h".
	PromptCacheRetention *string
	// ExtendedThinkingBudget is the thinking token budget.
	ExtendedThinkingBudget *int
	// Seed is the sampling seed.
	Seed *int
	// UsageID labels usage accounting (e.g. "default", "profile:<name>").
	UsageID string
	// LitellmExtraBody is passed through to the provider call.
	LitellmExtraBody map[string]any
	// IsSubscription is output-only (computed) upstream; it round-trips.
	IsSubscription bool

	// unknown holds members this version does not know, in input order.
	unknown []member
}

// member is one unknown JSON member (raw value compacted).
type member struct {
	key   string
	value json.RawMessage
}

func strp(s string) *string { return &s }
func intp(i int) *int       { return &i }
func boolp(b bool) *bool    { return &b }

// Default returns the default configuration of data-model.md §3.2.
func Default() *LLM {
	return &LLM{
		Model:                    DefaultModel,
		AuthType:                 AuthTypeAPIKey,
		OpenRouterSiteURL:        "https://docs.all-hands.dev/",
		OpenRouterAppName:        "OpenHands",
		NumRetries:               5,
		RetryMultiplier:          8,
		RetryMinWait:             8,
		RetryMaxWait:             64,
		Timeout:                  intp(300),
		MaxMessageChars:          30000,
		APIMode:                  APIModeAuto,
		CapabilityOverrides:      map[string]any{},
		DropParams:               true,
		ModifyParams:             true,
		DisableStopWord:          boolp(false),
		CachingPrompt:            true,
		LogCompletionsFolder:     "logs/completions",
		NativeToolCalling:        true,
		ReasoningEffort:          strp("high"),
		EnableEncryptedReasoning: true,
		PromptCacheRetention:     strp("24h"),
		ExtendedThinkingBudget:   intp(200000),
		UsageID:                  DefaultUsageID,
		LitellmExtraBody:         map[string]any{},
	}
}
