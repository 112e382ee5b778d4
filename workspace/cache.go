package workspace

import (
	"bytes"
	"sync"

	"github.com/openhands-go/sdk/llm"
)

// maxCachedLLM bounds the size of an LLM document kept by llmCache.
const maxCachedLLM = 64 << 10

// llmCache remembers the last decoded LLM document of a Workspace, so that
// repeated GetLLM calls returning the same configuration skip the decode and
// pay for a deep copy only. It is a pure function cache: the key is the
// exact JSON bytes.
type llmCache struct {
	mu  sync.Mutex
	raw []byte
	l   *llm.LLM
}

// decode returns a fresh LLM decoded from raw (llm.UnmarshalJSON semantics:
// defaults filled, no normalisation or validation).
func (c *llmCache) decode(raw []byte) (*llm.LLM, error) {
	if c != nil {
		c.mu.Lock()
		if c.l != nil && bytes.Equal(c.raw, raw) {
			l := c.l.Clone()
			c.mu.Unlock()
			return l, nil
		}
		c.mu.Unlock()
	}
	l := new(llm.LLM)
	if err := l.UnmarshalJSON(raw); err != nil {
		return nil, err
	}
	if c != nil && len(raw) <= maxCachedLLM {
		keep := l.Clone()
		c.mu.Lock()
		c.raw = append(c.raw[:0], raw...)
		c.l = keep
		c.mu.Unlock()
	}
	return l, nil
}
