package workspace

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// referenceSecretsList decodes a SecretsListResponse with encoding/json and
// exact-case keys (last duplicate wins): the behaviour decodeSecretsList
// must have.
func referenceSecretsList(body []byte) ([]SecretInfo, bool) {
	if !isObject(body) {
		return nil, false
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return nil, false
	}
	raw, ok := top["secrets"]
	if !ok || string(raw) == "null" {
		return nil, true
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil, false
	}
	out := make([]SecretInfo, 0, len(items))
	for _, it := range items {
		var s SecretInfo
		if string(it) == "null" {
			out = append(out, s)
			continue
		}
		var m map[string]json.RawMessage
		if json.Unmarshal(it, &m) != nil || m == nil {
			return nil, false
		}
		if n, ok := m["name"]; ok && string(n) != "null" {
			if json.Unmarshal(n, &s.Name) != nil {
				return nil, false
			}
		}
		if d, ok := m["description"]; ok && string(d) != "null" {
			var v string
			if json.Unmarshal(d, &v) != nil {
				return nil, false
			}
			s.Description = &v
		}
		out = append(out, s)
	}
	return out, true
}

var secretsListSeeds = []string{
	`{"secrets":[]}`,
	`{"secrets":null}`,
	`{}`,
	`{"other":1}`,
	` { "secrets" : [ { "name" : "A" , "description" : null } , {"name":"B","description":"d"} ] , "x":{"secrets":[1]} } `,
	`{"secrets":[{"name":"A","extra":{"name":"inner","description":[1,"}"]},"description":"x\"y\\z\u00e9"}]}`,
	`{"secrets":[{"name":"A","name":"B","description":"1","description":null}]}`,
	`{"secrets":[{"na\u006de":"escaped-key","descr\u0069ption":"d"}]}`,
	`{"secrets":[{"name":"\xff\xfe"}]}`,
	`{"secrets":[{"name":"ключ","description":"😀"}]}`,
	`{"secrets":[null,{"name":"A"}]}`,
	`{"secrets":[{"NAME":"case"}]}`,
	`{"secrets":[{"name":null}]}`,
	`{"secrets":[{"name":5}]}`,
	`{"secrets":[{"name":"A","description":5}]}`,
	`{"secrets":[1]}`,
	`{"secrets":{}}`,
	`{"secrets":"x"}`,
	`{"secrets":[{"name":"A"}],"secrets":[{"name":"B"}]}`,
	`[]`, `"s"`, `null`, ``, `{"secrets":[`, `{"secrets":[]} x`,
}

func TestDecodeSecretsListMatchesReference(t *testing.T) {
	for _, in := range secretsListSeeds {
		t.Run(in, func(t *testing.T) { checkSecretsList(t, []byte(in)) })
	}
	body := benchSecretsBody()
	got, err := decodeSecretsList(body)
	require.NoError(t, err)
	require.Len(t, got, 8)
	require.Equal(t, "GITHUB_TOKEN", got[0].Name)
	require.Equal(t, "token for GITHUB_TOKEN", *got[0].Description)
}

func checkSecretsList(t *testing.T, body []byte) {
	t.Helper()
	want, ok := referenceSecretsList(body)
	got, err := decodeSecretsList(body)
	if !ok {
		require.Error(t, err)
		return
	}
	require.NoError(t, err)
	if len(want) == 0 {
		require.Empty(t, got)
		return
	}
	require.Equal(t, want, got)
}

func FuzzDecodeSecretsList(f *testing.F) {
	for _, s := range secretsListSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkSecretsList(t, body) })
}

func TestParseSettingsEnvelopeScan(t *testing.T) {
	c := &call{method: "GET", path: "/api/settings"}
	body := " {\n \"misc_settings\" : {\"active_profile\":\"nested\"} ,\"agent_settings\":{\"llm\":{\"model\":\"m\"},\"x\":\"}\\\"{\"},\n" +
		"\"conversation_settings\":{}, \"llm_api_key_is_set\" : false, \"active_pr\\u006ffile\":\"esc\\u00e9aped\", \"active_agent_profile_id\":null } "
	w, err := parseSettingsEnvelope(c, []byte(body))
	require.NoError(t, err)
	require.Equal(t, `{"llm":{"model":"m"},"x":"}\"{"}`, string(w.AgentSettings))
	require.Equal(t, `{}`, string(w.ConversationSettings))
	require.Equal(t, `false`, string(w.LLMAPIKeyIsSet))
	require.Equal(t, `null`, string(w.ActiveAgentProfileID))
	require.Equal(t, `{"active_profile":"nested"}`, string(w.MiscSettings))
	require.Equal(t, "escéaped", *optString(w.ActiveProfile))

	// Keys match exactly (pydantic), a repeated key keeps its last value.
	_, err = parseSettingsEnvelope(c, []byte(`{"Agent_Settings":{},"conversation_settings":{},"llm_api_key_is_set":true}`))
	require.ErrorIs(t, err, ErrInvalidResponse)
	w, err = parseSettingsEnvelope(c, []byte(`{"agent_settings":[],"agent_settings":{},"conversation_settings":{},"llm_api_key_is_set":true,"active_profile":"a","active_profile":"b"}`))
	require.NoError(t, err)
	require.Equal(t, "b", *optString(w.ActiveProfile))

	for _, bad := range []string{`{"agent_settings":{}`, `{"agent_settings":{},"conversation_settings":{},"llm_api_key_is_set":true} x`, `[]`, ``} {
		_, err := parseSettingsEnvelope(c, []byte(bad))
		require.ErrorIs(t, err, ErrInvalidResponse, bad)
	}
}
