package llm_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/llm"
	"github.com/openhands-go/sdk/secret"
)

// specDefault is the "full default object as emitted" of data-model.md §3.2.
const specDefault = `{
  "model": "gpt-5.5", "api_key": null, "provider_connection_id": null,
  "auth_type": "api_key", "subscription_vendor": null, "base_url": null, "api_version": null,
  "aws_access_key_id": null, "aws_secret_access_key": null, "aws_session_token": null,
  "aws_region_name": null, "aws_profile_name": null, "aws_role_name": null,
  "aws_session_name": null, "aws_bedrock_runtime_endpoint": null,
  "openrouter_site_url": "https://docs.all-hands.dev/", "openrouter_app_name": "OpenHands",
  "num_retries": 5, "retry_multiplier": 8.0, "retry_min_wait": 8, "retry_max_wait": 64,
  "timeout": 300, "max_message_chars": 30000,
  "temperature": null, "top_p": null, "top_k": null,
  "max_input_tokens": null, "max_output_tokens": null, "model_canonical_name": null,
  "api_mode": "auto", "capability_overrides": {}, "extra_headers": null,
  "input_cost_per_token": null, "output_cost_per_token": null, "ollama_base_url": null,
  "stream": false, "drop_params": true, "modify_params": true,
  "disable_vision": null, "disable_stop_word": false, "caching_prompt": true,
  "log_completions": false, "log_completions_folder": "logs/completions",
  "custom_tokenizer": null, "native_tool_calling": true,
  "force_string_serializer": null, "inline_image_urls": null,
  "reasoning_effort": "high", "reasoning_summary": null, "enable_encrypted_reasoning": true,
  "prompt_cache_retention": "24h", "extended_thinking_budget": 200000, "seed": null,
  "usage_id": "default", "litellm_extra_body": {}, "is_subscription": false
}`

// keysInOrder returns the top-level member names of a JSON object in order.
func keysInOrder(t *testing.T, data []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok)
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		require.NoError(t, err)
		keys = append(keys, tok.(string))
		var raw json.RawMessage
		require.NoError(t, dec.Decode(&raw))
	}
	return keys
}

func ptr[T any](v T) *T { return &v }

func TestDefaultMatchesSpec(t *testing.T) {
	d := llm.Default()
	plain, err := d.PlaintextJSON()
	require.NoError(t, err)
	require.JSONEq(t, specDefault, string(plain))
	redacted, err := json.Marshal(d)
	require.NoError(t, err)
	require.Equal(t, string(plain), string(redacted), "no secret set: both modes are equal")

	// Declaration order = output order = spec order.
	require.Equal(t, keysInOrder(t, []byte(specDefault)), keysInOrder(t, plain))
	require.Equal(t, keysInOrder(t, []byte(specDefault)), llm.FieldNames())
	// Floats are printed with a decimal point like upstream.
	require.Contains(t, string(plain), `"retry_multiplier":8.0,`)

	// Default returns independent values.
	d.CapabilityOverrides["x"] = true
	*d.Timeout = 1
	require.Empty(t, llm.Default().CapabilityOverrides)
	require.Equal(t, 300, *llm.Default().Timeout)
	require.NoError(t, llm.Default().Validate())
	require.Equal(t, []string{"api_key", "aws_access_key_id", "aws_secret_access_key", "aws_session_token"}, llm.SecretFields())
}

func TestUnmarshalSpecDefaultEqualsDefault(t *testing.T) {
	var l llm.LLM
	require.NoError(t, json.Unmarshal([]byte(specDefault), &l))
	require.Equal(t, llm.Default(), &l)

	var empty llm.LLM
	require.NoError(t, json.Unmarshal([]byte(`{}`), &empty))
	require.Equal(t, llm.Default(), &empty)
}

func TestUnmarshalValues(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want func(l *llm.LLM)
	}{
		{"model only", `{"model":"claude"}`, func(l *llm.LLM) { l.Model = "claude" }},
		{"secrets", `{"api_key":"sk-1","aws_access_key_id":"AK","aws_secret_access_key":"SK","aws_session_token":"ST"}`, func(l *llm.LLM) {
			l.APIKey, l.AWSAccessKeyID, l.AWSSecretAccessKey, l.AWSSessionToken = "sk-1", "AK", "SK", "ST"
		}},
		{"explicit nulls clear pointer defaults", `{"timeout":null,"reasoning_effort":null,"disable_stop_word":null,"prompt_cache_retention":null,"extended_thinking_budget":null,"api_key":null}`, func(l *llm.LLM) {
			l.Timeout, l.ReasoningEffort, l.DisableStopWord, l.PromptCacheRetention, l.ExtendedThinkingBudget = nil, nil, nil, nil, nil
		}},
		{"floats accept ints", `{"retry_multiplier":2,"temperature":1,"top_p":1,"top_k":40,"input_cost_per_token":0}`, func(l *llm.LLM) {
			l.RetryMultiplier = 2
			l.Temperature, l.TopP, l.TopK, l.InputCostPerToken = ptr(1.0), ptr(1.0), ptr(40.0), ptr(0.0)
		}},
		{"floats", `{"retry_multiplier":1.5,"temperature":0.3,"output_cost_per_token":1e-7}`, func(l *llm.LLM) {
			l.RetryMultiplier = 1.5
			l.Temperature, l.OutputCostPerToken = ptr(0.3), ptr(1e-7)
		}},
		{"integral floats accepted for ints", `{"timeout":120.0,"num_retries":3e0,"seed":-1}`, func(l *llm.LLM) {
			l.Timeout, l.NumRetries, l.Seed = ptr(120), 3, ptr(-1)
		}},
		{"maps", `{"capability_overrides":{"vision":false,"tool_format":"json"},"extra_headers":{"X-A":"1","X-B":null},"litellm_extra_body":{"metadata":{"n":12345678901234567890,"l":[1,"a"]}}}`, func(l *llm.LLM) {
			l.CapabilityOverrides = map[string]any{"vision": false, "tool_format": "json"}
			l.ExtraHeaders = map[string]*string{"X-A": ptr("1"), "X-B": nil}
			l.LitellmExtraBody = map[string]any{"metadata": map[string]any{"n": json.Number("12345678901234567890"), "l": []any{json.Number("1"), "a"}}}
		}},
		{"is_subscription remembered", `{"is_subscription":true,"auth_type":"subscription","subscription_vendor":"openai"}`, func(l *llm.LLM) {
			l.IsSubscription, l.AuthType, l.SubscriptionVendor = true, "subscription", ptr("openai")
		}},
		{"strings and bools", `{"base_url":"http://x","stream":true,"drop_params":false,"disable_vision":true,"usage_id":"profile:p","api_mode":"responses","reasoning_summary":"auto"}`, func(l *llm.LLM) {
			l.BaseURL, l.Stream, l.DropParams, l.DisableVision, l.UsageID, l.APIMode, l.ReasoningSummary = ptr("http://x"), true, false, ptr(true), "profile:p", "responses", ptr("auto")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := llm.Default()
			tc.want(want)
			var got llm.LLM
			require.NoError(t, json.Unmarshal([]byte(tc.in), &got))
			require.Equal(t, want, &got)

			// Round trip through the plaintext form is lossless.
			p, err := got.PlaintextJSON()
			require.NoError(t, err)
			var back llm.LLM
			require.NoError(t, json.Unmarshal(p, &back))
			require.Equal(t, &got, &back)
		})
	}
}

func TestUnmarshalErrors(t *testing.T) {
	const val = "VALUE-MUST-NOT-APPEAR"
	cases := []struct {
		in    string
		field string
	}{
		{`{"model":null}`, `"model"`},
		{`{"model":7}`, `"model"`},
		{`{"api_key":["` + val + `"]}`, `"api_key"`},
		{`{"api_key":{"v":"` + val + `"}}`, `"api_key"`},
		{`{"temperature":"` + val + `"}`, `"temperature"`},
		{`{"num_retries":1.5}`, `"num_retries"`},
		{`{"num_retries":"5"}`, `"num_retries"`},
		{`{"num_retries":null}`, `"num_retries"`},
		{`{"timeout":1e100}`, `"timeout"`},
		{`{"retry_multiplier":1e400}`, `"retry_multiplier"`},
		{`{"stream":"true"}`, `"stream"`},
		{`{"stream":null}`, `"stream"`},
		{`{"disable_vision":0}`, `"disable_vision"`},
		{`{"capability_overrides":null}`, `"capability_overrides"`},
		{`{"capability_overrides":{"a":1}}`, `"capability_overrides"`},
		{`{"litellm_extra_body":[]}`, `"litellm_extra_body"`},
		{`{"extra_headers":{"a":1}}`, `"extra_headers"`},
		{`{"extra_headers":"` + val + `"}`, `"extra_headers"`},
		{`{"model":"a","model":"b"}`, `duplicate member "model"`},
		{`[]`, "expected a JSON object"},
		{`"` + val + `"`, "expected a JSON object"},
		{`{"model":"` + val + `"`, "invalid JSON"},
		{`{"model":"a"} {}`, "invalid JSON"},
		{``, "invalid JSON"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			l := llm.Default()
			before := l.Clone()
			err := l.UnmarshalJSON([]byte(tc.in))
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.field)
			require.NotContains(t, err.Error(), val)
			require.Equal(t, before, l, "failed decode leaves the value unchanged")
		})
	}
}

func TestUnmarshalNullIsNoOp(t *testing.T) {
	l := llm.Default()
	l.Model = "kept"
	require.NoError(t, json.Unmarshal([]byte(`null`), l))
	require.Equal(t, "kept", l.Model)
	var wrapper struct{ LLM *llm.LLM }
	require.NoError(t, json.Unmarshal([]byte(`{"LLM":null}`), &wrapper))
	require.Nil(t, wrapper.LLM)
	require.NoError(t, json.Unmarshal([]byte(`{"LLM":{"model":"x"}}`), &wrapper))
	require.Equal(t, "x", wrapper.LLM.Model)
	require.Equal(t, 300, *wrapper.LLM.Timeout)
}

func TestUnknownMembersPreserved(t *testing.T) {
	in := `{"future_b":{"x":[1,2]},"model":"m","zzz_new":"v","api_key":"sk-9","aaa":null,"temperature":0.5}`
	var l llm.LLM
	require.NoError(t, json.Unmarshal([]byte(in), &l))
	require.Equal(t, []string{"future_b", "zzz_new", "aaa"}, l.Unknown())

	p, err := l.PlaintextJSON()
	require.NoError(t, err)
	keys := keysInOrder(t, p)
	require.Equal(t, llm.FieldNames(), keys[:len(llm.FieldNames())])
	require.Equal(t, []string{"future_b", "zzz_new", "aaa"}, keys[len(llm.FieldNames()):])
	require.True(t, strings.HasSuffix(string(p), `,"future_b":{"x":[1,2]},"zzz_new":"v","aaa":null}`), string(p))

	var back llm.LLM
	require.NoError(t, json.Unmarshal(p, &back))
	require.Equal(t, l, back)

	// Read-modify-write keeps the unknown members.
	back.Temperature = ptr(0.7)
	p2, err := back.PlaintextJSON()
	require.NoError(t, err)
	var generic map[string]any
	require.NoError(t, json.Unmarshal(p2, &generic))
	require.Equal(t, map[string]any{"x": []any{1.0, 2.0}}, generic["future_b"])
	require.Equal(t, "v", generic["zzz_new"])
	require.Contains(t, generic, "aaa")
	require.Equal(t, 0.7, generic["temperature"])

	// Clone keeps them too.
	require.Equal(t, back.Unknown(), back.Clone().Unknown())
}

func TestUnknownSecretLookingMemberRedacted(t *testing.T) {
	var l llm.LLM
	require.NoError(t, json.Unmarshal([]byte(`{"model":"m","future_api_key":"FUTURE-SECRET","future_count":3}`), &l))
	r, err := json.Marshal(l)
	require.NoError(t, err)
	require.NotContains(t, string(r), "FUTURE-SECRET")
	require.Contains(t, string(r), `"future_api_key":"**********"`)
	require.Contains(t, string(r), `"future_count":3`)
	p, err := l.PlaintextJSON()
	require.NoError(t, err)
	require.Contains(t, string(p), `"future_api_key":"FUTURE-SECRET"`)
}

func TestSecretsRedactedAndPlaintext(t *testing.T) {
	l := llm.Default()
	l.APIKey = "sk-abc"
	l.AWSAccessKeyID = "AKIA"
	l.AWSSecretAccessKey = "aws-secret"
	// AWSSessionToken left empty.
	r, err := json.Marshal(l)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(r, &m))
	require.Equal(t, secret.Marker, m["api_key"])
	require.Equal(t, secret.Marker, m["aws_access_key_id"])
	require.Equal(t, secret.Marker, m["aws_secret_access_key"])
	require.Nil(t, m["aws_session_token"])
	require.Contains(t, m, "aws_session_token")

	p, err := l.PlaintextJSON()
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(p, &m))
	require.Equal(t, "sk-abc", m["api_key"])
	require.Equal(t, "AKIA", m["aws_access_key_id"])
	require.Equal(t, "aws-secret", m["aws_secret_access_key"])
	require.Nil(t, m["aws_session_token"])

	// Value and pointer marshal the same way; a struct embedding it too.
	r2, err := json.Marshal(*l)
	require.NoError(t, err)
	require.Equal(t, string(r), string(r2))
	r3, err := json.Marshal(struct{ LLM *llm.LLM }{l})
	require.NoError(t, err)
	require.NotContains(t, string(r3), "sk-abc")
}

func TestMarshalNonFinite(t *testing.T) {
	l := llm.Default()
	nan := 0.0
	nan /= nan
	l.Temperature = &nan
	_, err := l.PlaintextJSON()
	require.ErrorContains(t, err, `"temperature"`)
	require.ErrorContains(t, l.Validate(), `"temperature"`)
}

func TestClone(t *testing.T) {
	var l llm.LLM
	require.NoError(t, json.Unmarshal([]byte(`{"model":"m","api_key":"k","temperature":0.1,"extra_headers":{"a":"b"},"litellm_extra_body":{"n":{"m":[1]}},"capability_overrides":{"x":true},"unknown_thing":[1]}`), &l))
	c := l.Clone()
	require.Equal(t, &l, c)

	*c.Temperature = 0.9
	*c.ExtraHeaders["a"] = "changed"
	c.LitellmExtraBody["n"].(map[string]any)["m"].([]any)[0] = "changed"
	c.CapabilityOverrides["x"] = false
	*c.Timeout = 1
	require.Equal(t, 0.1, *l.Temperature)
	require.Equal(t, "b", *l.ExtraHeaders["a"])
	require.Equal(t, json.Number("1"), l.LitellmExtraBody["n"].(map[string]any)["m"].([]any)[0])
	require.Equal(t, true, l.CapabilityOverrides["x"])
	require.Equal(t, 300, *l.Timeout)
	require.Nil(t, (*llm.LLM)(nil).Clone())
}

func TestApplyOverrides(t *testing.T) {
	base := func() *llm.LLM {
		var l llm.LLM
		require.NoError(t, json.Unmarshal([]byte(`{"model":"openai/gpt-4o","api_key":"sk-base","usage_id":"profile:fast-model","future":1}`), &l))
		return &l
	}
	cases := []struct {
		name      string
		overrides map[string]any
		check     func(t *testing.T, l *llm.LLM)
		wantErr   string
	}{
		{"temperature", map[string]any{"temperature": 0.3}, func(t *testing.T, l *llm.LLM) {
			require.Equal(t, 0.3, *l.Temperature)
			require.Equal(t, "profile:fast-model", l.UsageID)
			require.Equal(t, secret.Str("sk-base"), l.APIKey, "secrets survive the plaintext round trip")
		}, ""},
		{"usage_id beats profile prefix", map[string]any{"usage_id": "custom-usage"}, func(t *testing.T, l *llm.LLM) {
			require.Equal(t, "custom-usage", l.UsageID)
		}, ""},
		{"api_key as string", map[string]any{"api_key": "sk-new"}, func(t *testing.T, l *llm.LLM) {
			require.Equal(t, secret.Str("sk-new"), l.APIKey)
		}, ""},
		{"api_key as secret.Str", map[string]any{"api_key": secret.Str("sk-str")}, func(t *testing.T, l *llm.LLM) {
			require.Equal(t, secret.Str("sk-str"), l.APIKey)
		}, ""},
		{"api_key as *secret.Str", map[string]any{"api_key": ptr(secret.Str("sk-ptr"))}, func(t *testing.T, l *llm.LLM) {
			require.Equal(t, secret.Str("sk-ptr"), l.APIKey)
		}, ""},
		{"nil clears nullable", map[string]any{"timeout": nil, "api_key": nil}, func(t *testing.T, l *llm.LLM) {
			require.Nil(t, l.Timeout)
			require.False(t, l.APIKey.IsSet())
		}, ""},
		{"model with normalisation", map[string]any{"model": "azure/gpt", "base_url": "https://x"}, func(t *testing.T, l *llm.LLM) {
			require.Equal(t, "azure/gpt", l.Model)
			require.Equal(t, llm.AzureDefaultAPIVersion, *l.APIVersion)
		}, ""},
		{"openai base url dropped", map[string]any{"base_url": "https://api.openai.com/"}, func(t *testing.T, l *llm.LLM) {
			require.Nil(t, l.BaseURL)
		}, ""},
		{"maps and ints", map[string]any{"litellm_extra_body": map[string]any{"a": 1}, "max_output_tokens": 100, "seed": int64(7)}, func(t *testing.T, l *llm.LLM) {
			require.Equal(t, map[string]any{"a": json.Number("1")}, l.LitellmExtraBody)
			require.Equal(t, 100, *l.MaxOutputTokens)
			require.Equal(t, 7, *l.Seed)
		}, ""},
		{"raw JSON", map[string]any{"extra_headers": json.RawMessage(`{"X": "y"}`)}, func(t *testing.T, l *llm.LLM) {
			require.Equal(t, map[string]*string{"X": ptr("y")}, l.ExtraHeaders)
		}, ""},
		{"unknown key kept", map[string]any{"new_field": "x"}, func(t *testing.T, l *llm.LLM) {
			require.Equal(t, []string{"future", "new_field"}, l.Unknown())
		}, ""},
		{"type mismatch", map[string]any{"temperature": "hot-secret-ish"}, nil, `"temperature"`},
		{"null for non-nullable", map[string]any{"num_retries": nil}, nil, `"num_retries"`},
		{"empty model fails validation", map[string]any{"model": ""}, nil, `"model"`},
		{"range fails validation", map[string]any{"top_p": 1.5}, nil, `"top_p"`},
		{"unencodable", map[string]any{"temperature": make(chan int)}, nil, `override "temperature"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := base()
			before := l.Clone()
			err := l.ApplyOverrides(tc.overrides)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				require.NotContains(t, err.Error(), "sk-base")
				require.NotContains(t, err.Error(), "hot-secret-ish")
				require.Equal(t, before, l)
				return
			}
			require.NoError(t, err)
			tc.check(t, l)
		})
	}
	l := base()
	require.NoError(t, l.ApplyOverrides(nil))
	require.Equal(t, base(), l)
}

func TestNormalize(t *testing.T) {
	cases := []struct {
		model, baseURL, apiVersion *string
		wantBase, wantVersion      *string
	}{
		{model: ptr("azure/gpt-4"), wantVersion: ptr(llm.AzureDefaultAPIVersion)},
		{model: ptr("azure/gpt-4"), apiVersion: ptr("2023"), wantVersion: ptr("2023")},
		{model: ptr("openai/gpt-4o"), baseURL: ptr("https://api.openai.com"), wantBase: nil},
		{model: ptr("openai/gpt-4o"), baseURL: ptr("https://api.openai.com/"), wantBase: nil},
		{model: ptr("openai/gpt-4o"), baseURL: ptr("https://api.openai.com/v1"), wantBase: ptr("https://api.openai.com/v1")},
		{model: ptr("gpt-4o"), baseURL: ptr("https://api.openai.com"), wantBase: ptr("https://api.openai.com")},
	}
	for _, tc := range cases {
		l := llm.Default()
		l.Model, l.BaseURL, l.APIVersion = *tc.model, tc.baseURL, tc.apiVersion
		l.Normalize()
		require.Equal(t, tc.wantBase, l.BaseURL, *tc.model)
		require.Equal(t, tc.wantVersion, l.APIVersion, *tc.model)
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(l *llm.LLM)
		field  string
	}{
		{"empty model", func(l *llm.LLM) { l.Model = "" }, "model"},
		{"auth type", func(l *llm.LLM) { l.AuthType = "oauth" }, "auth_type"},
		{"vendor", func(l *llm.LLM) { l.SubscriptionVendor = ptr("anthropic") }, "subscription_vendor"},
		{"api mode", func(l *llm.LLM) { l.APIMode = "batch" }, "api_mode"},
		{"reasoning summary", func(l *llm.LLM) { l.ReasoningSummary = ptr("long") }, "reasoning_summary"},
		{"num retries", func(l *llm.LLM) { l.NumRetries = -1 }, "num_retries"},
		{"retry multiplier", func(l *llm.LLM) { l.RetryMultiplier = -0.5 }, "retry_multiplier"},
		{"retry min wait", func(l *llm.LLM) { l.RetryMinWait = -1 }, "retry_min_wait"},
		{"retry max wait", func(l *llm.LLM) { l.RetryMaxWait = -1 }, "retry_max_wait"},
		{"timeout", func(l *llm.LLM) { l.Timeout = ptr(-1) }, "timeout"},
		{"max message chars", func(l *llm.LLM) { l.MaxMessageChars = 0 }, "max_message_chars"},
		{"temperature", func(l *llm.LLM) { l.Temperature = ptr(-0.1) }, "temperature"},
		{"top_p high", func(l *llm.LLM) { l.TopP = ptr(1.01) }, "top_p"},
		{"top_p low", func(l *llm.LLM) { l.TopP = ptr(-0.01) }, "top_p"},
		{"top_k", func(l *llm.LLM) { l.TopK = ptr(-1.0) }, "top_k"},
		{"max input tokens", func(l *llm.LLM) { l.MaxInputTokens = ptr(0) }, "max_input_tokens"},
		{"max output tokens", func(l *llm.LLM) { l.MaxOutputTokens = ptr(0) }, "max_output_tokens"},
		{"input cost", func(l *llm.LLM) { l.InputCostPerToken = ptr(-1.0) }, "input_cost_per_token"},
		{"output cost", func(l *llm.LLM) { l.OutputCostPerToken = ptr(-1.0) }, "output_cost_per_token"},
		{"capability override type", func(l *llm.LLM) { l.CapabilityOverrides = map[string]any{"v": 1} }, "capability_overrides"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := llm.Default()
			l.APIKey = "sk-validate"
			tc.mutate(l)
			err := l.Validate()
			require.ErrorContains(t, err, `"`+tc.field+`"`)
			require.NotContains(t, err.Error(), "sk-validate")
		})
	}
	// Boundaries are valid.
	l := llm.Default()
	l.TopP, l.Temperature, l.Timeout, l.MaxOutputTokens, l.NumRetries = ptr(1.0), ptr(0.0), ptr(0), ptr(1), 0
	l.ReasoningEffort = ptr("anything-goes")
	require.NoError(t, l.Validate())
	// Several violations are reported together.
	l.Model, l.NumRetries = "", -1
	err := l.Validate()
	require.ErrorContains(t, err, `"model"`)
	require.ErrorContains(t, err, `"num_retries"`)
}

func ExampleDefault() {
	l := llm.Default()
	fmt.Println(l.Model, *l.ReasoningEffort, *l.Timeout, l.UsageID)

	l.APIKey = "sk-example"
	b, _ := json.Marshal(struct {
		APIKey secret.Str `json:"api_key"`
		Model  string     `json:"model"`
	}{l.APIKey, l.Model})
	fmt.Println(string(b))

	plain, _ := l.PlaintextJSON()
	fmt.Println(strings.Contains(string(plain), `"api_key":"sk-example"`))
	fmt.Println(strings.Contains(fmt.Sprint(l), "sk-example"))
	// Output:
	// gpt-5.5 high 300 default
	// {"api_key":"**********","model":"gpt-5.5"}
	// true
	// false
}

func FuzzUnmarshalJSON(f *testing.F) {
	f.Add([]byte(specDefault))
	f.Add([]byte(`{"model":"m","api_key":"k","future":{"a":[1,2.5,"x"]},"temperature":0.1}`))
	f.Add([]byte(`{"timeout":1e2,"extra_headers":{"a":null},"litellm_extra_body":{"n":1e400}}`))
	f.Add([]byte(`{"capability_overrides":{"a":"b"},"retry_multiplier":-0.0}`))
	f.Add([]byte(`{"model":"\ud800","x":"\xff"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if string(bytes.TrimSpace(data)) == "null" {
			return // null leaves the (zero) value unchanged
		}
		var l llm.LLM
		if err := l.UnmarshalJSON(data); err != nil {
			return
		}
		p, err := l.PlaintextJSON()
		if err != nil {
			// Only non-finite floats can fail, and decoding never yields them.
			t.Fatalf("PlaintextJSON after successful decode: %v", err)
		}
		var back llm.LLM
		require.NoError(t, back.UnmarshalJSON(p))
		require.Equal(t, l, back)
		p2, err := back.PlaintextJSON()
		require.NoError(t, err)
		require.Equal(t, string(p), string(p2))
	})
}

func TestFieldNamesComplete(t *testing.T) {
	names := llm.FieldNames()
	seen := map[string]bool{}
	for _, n := range names {
		require.NotEmpty(t, n)
		require.False(t, seen[n], n)
		seen[n] = true
	}
	// Every exported field of the struct has a JSON member.
	require.Len(t, names, reflect.TypeOf(llm.LLM{}).NumField()-1) // minus the unknown holder
}
