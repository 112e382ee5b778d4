package secret_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/secret"
)

func TestStrRevealIsSet(t *testing.T) {
	require.Equal(t, "v4lue", secret.Str("v4lue").Reveal())
	require.True(t, secret.Str("x").IsSet())
	require.False(t, secret.Str("").IsSet())
	var zero secret.Str
	require.False(t, zero.IsSet())
	require.Equal(t, "", zero.Reveal())
}

func TestStrFormat(t *testing.T) {
	set := secret.Str("hunter2")
	var empty secret.Str
	cases := []struct {
		format    string
		set, none string
	}{
		{"%v", "**********", ""},
		{"%+v", "**********", ""},
		{"%#v", `"**********"`, `""`},
		{"%s", "**********", ""},
		{"%q", `"**********"`, `""`},
		{"%x", "2a2a2a2a2a2a2a2a2a2a", ""},
		{"%X", "2A2A2A2A2A2A2A2A2A2A", ""},
		{"%d", "**********", ""},
		{"%t", "**********", ""},
		{"%12s|", "  **********|", "            |"},
		{"%-12v|", "**********  |", "            |"},
		{"%.3s", "***", ""},
	}
	for _, tc := range cases {
		t.Run(tc.format, func(t *testing.T) {
			require.Equal(t, tc.set, fmt.Sprintf(tc.format, set))
			require.Equal(t, tc.none, fmt.Sprintf(tc.format, empty))
		})
	}
	require.Equal(t, "**********", set.String())
	require.Equal(t, `"**********"`, set.GoString())
	require.Equal(t, "", empty.String())
	require.Equal(t, "**********", set.LogValue().String())
	require.Equal(t, "[**********]", fmt.Sprint([]secret.Str{set}))
	require.Equal(t, "map[k:**********]", fmt.Sprint(map[string]secret.Str{"k": set}))
	require.Equal(t, "**********", fmt.Sprint(&set))
}

func TestStrJSON(t *testing.T) {
	b, err := json.Marshal(secret.Str("hunter2"))
	require.NoError(t, err)
	require.Equal(t, `"**********"`, string(b))

	b, err = json.Marshal(secret.Str(""))
	require.NoError(t, err)
	require.Equal(t, `null`, string(b))

	b, err = json.Marshal(struct {
		K secret.Str `json:"k"`
		M map[string]secret.Str
	}{"x", map[string]secret.Str{"a": "y"}})
	require.NoError(t, err)
	require.Equal(t, `{"k":"**********","M":{"a":"**********"}}`, string(b))

	txt, err := secret.Str("hunter2").MarshalText()
	require.NoError(t, err)
	require.Equal(t, secret.Marker, string(txt))
	txt, err = secret.Str("").MarshalText()
	require.NoError(t, err)
	require.Equal(t, "", string(txt))

	cases := []struct {
		in      string
		want    secret.Str
		wantErr bool
	}{
		{`"abc"`, "abc", false},
		{`"é\n\u2713"`, "é\n✓", false},
		{`null`, "", false},
		{`""`, "", false},
		{`12`, "", true},
		{`{"a":1}`, "", true},
		{`true`, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			var s secret.Str = "previous"
			err := json.Unmarshal([]byte(tc.in), &s)
			if tc.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, s)
		})
	}
}

func ExampleStr() {
	key := secret.Str("sk-live-123")
	fmt.Println(key)
	fmt.Printf("%q %#v\n", key, key)
	b, _ := json.Marshal(map[string]secret.Str{"api_key": key, "unset": ""})
	fmt.Println(string(b))
	fmt.Println(key.Reveal())
	// Output:
	// **********
	// "**********" "**********"
	// {"api_key":"**********","unset":null}
	// sk-live-123
}
