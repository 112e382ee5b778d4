package workspace

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLLMCache_ReturnsIndependentCopies(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/api/settings", jsonResp(200, settingsRedactedNoProfile), jsonResp(200, settingsPlainNoProfile))
	w, _ := newTestWS(t, f)
	ctx := context.Background()
	a, err := w.GetLLM(ctx)
	require.NoError(t, err)
	a.Model = "mutated"
	a.APIKey = "mutated-key"
	*a.BaseURL = "https://mutated.example"
	b, err := w.GetLLM(ctx)
	require.NoError(t, err)
	require.Equal(t, "openai/gpt-4o", b.Model)
	require.Equal(t, "sk-PLAINTEXT-LLM-KEY", b.APIKey.Reveal())
	require.Equal(t, "https://litellm.example.com", *b.BaseURL)
	require.NotSame(t, a, b)

	// A different document is decoded afresh.
	c, err := w.cache().decode([]byte(`{"model":"other"}`))
	require.NoError(t, err)
	require.Equal(t, "other", c.Model)
	_, err = w.cache().decode([]byte(`{"model":5}`))
	require.Error(t, err)
	d, err := w.cache().decode([]byte(`{"model":"other"}`))
	require.NoError(t, err)
	require.Equal(t, "other", d.Model)

	var nilCache *llmCache
	e, err := nilCache.decode([]byte(`{"model":"x"}`))
	require.NoError(t, err)
	require.Equal(t, "x", e.Model)
}

func TestLLMCache_Concurrent(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/api/profiles/a", jsonResp(200, profileFast))
	f.on("GET", "/api/profiles/b", jsonResp(200, `{"name":"b","config":{"model":"bee"},"api_key_set":false}`))
	w, _ := newTestWS(t, f)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				name, model := "a", "openai/gpt-4o-mini"
				if (i+j)%2 == 0 {
					name, model = "b", "bee"
				}
				l, err := w.GetLLM(context.Background(), FromProfile(name))
				if err != nil || l.Model != model || l.UsageID != "profile:"+name {
					t.Errorf("got %v, %v", l, err)
					return
				}
				l.Model = "scribble"
			}
		}(i)
	}
	wg.Wait()
}
