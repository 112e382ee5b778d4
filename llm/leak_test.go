package llm_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/llm"
)

// renderings returns every way a value is commonly turned into text.
func renderings(t *testing.T, v any) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.4000v"} {
		out[verb] = fmt.Sprintf(verb, v)
		out["slice "+verb] = fmt.Sprintf(verb, []any{v})
		out["map "+verb] = fmt.Sprintf(verb, map[string]any{"k": v})
		out["struct "+verb] = fmt.Sprintf(verb, struct{ F any }{v})
	}
	out["Sprint"] = fmt.Sprint(v)
	out["Sprintln"] = fmt.Sprintln(v, v)

	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("msg", "value", v, slog.Any("any", v), slog.Group("g", "inner", v))
	slog.New(slog.NewJSONHandler(&js, nil)).Info("msg", "value", v, slog.Any("any", v), slog.Group("g", "inner", v))
	out["slog text"] = text.String()
	out["slog json"] = js.String()

	if b, err := json.Marshal(v); err == nil {
		out["json"] = string(b)
	} else {
		out["json error"] = err.Error()
	}
	if b, err := json.Marshal(map[string]any{"k": v}); err == nil {
		out["json map"] = string(b)
	}
	out["error %v"] = fmt.Errorf("wrapped: %v", v).Error()
	out["error join"] = errors.Join(errors.New("x"), fmt.Errorf("%+v", v)).Error()

	recovered := func() (r any) {
		defer func() { r = recover() }()
		panic(v)
	}()
	out["panic %v"] = fmt.Sprintf("%v", recovered)
	out["panic %#v"] = fmt.Sprintf("%#v", recovered)
	return out
}

func TestLeak(t *testing.T) {
	secrets := []string{"SK-API-KEY-VALUE", "AWS-ACCESS-KEY-VALUE", "AWS-SECRET-VALUE", "AWS-SESSION-TOKEN-VALUE"}
	l := llm.Default()
	l.APIKey = "SK-API-KEY-VALUE"
	l.AWSAccessKeyID = "AWS-ACCESS-KEY-VALUE"
	l.AWSSecretAccessKey = "AWS-SECRET-VALUE"
	l.AWSSessionToken = "AWS-SESSION-TOKEN-VALUE"

	// Errors produced while handling the object.
	bad := l.Clone()
	bad.Model = ""
	validateErr := bad.Validate()
	require.Error(t, validateErr)
	overrideErr := l.Clone().ApplyOverrides(map[string]any{"temperature": "SK-API-KEY-VALUE"})
	require.Error(t, overrideErr)
	var decoded llm.LLM
	decodeErr := decoded.UnmarshalJSON([]byte(`{"api_key":{"SK-API-KEY-VALUE":1}}`))
	require.Error(t, decodeErr)

	values := []any{l, *l, []*llm.LLM{l}, map[string]llm.LLM{"a": *l}, struct{ L *llm.LLM }{l}, validateErr, overrideErr, decodeErr}
	for _, v := range values {
		t.Run(fmt.Sprintf("%T", v), func(t *testing.T) {
			for how, s := range renderings(t, v) {
				for _, sec := range secrets {
					require.NotContains(t, s, sec, "leak via %s", how)
				}
			}
		})
	}
	// Sanity: the plaintext form does contain them (the test can fail).
	p, err := l.PlaintextJSON()
	require.NoError(t, err)
	for _, sec := range secrets {
		require.Contains(t, string(p), sec)
	}
}
