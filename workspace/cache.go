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
	mu       sync.Mutex
	raw      []byte
	l        *llm.LLM
	hasModel bool
}

// decode returns a fresh LLM decoded from raw (llm.UnmarshalJSON semantics:
// defaults filled, no normalisation or validation).
func (c *llmCache) decode(raw []byte) (*llm.LLM, error) {
	l, _, err := c.decodeSupplied(raw)
	return l, err
}

// decodeSupplied is decode that also reports whether raw had a "model"
// member: a supplied LLM object must name its model (data-model.md §3.2);
// only a wholly absent llm object takes the default model.
func (c *llmCache) decodeSupplied(raw []byte) (*llm.LLM, bool, error) {
	if c != nil {
		c.mu.Lock()
		if c.l != nil && bytes.Equal(c.raw, raw) {
			l, hasModel := c.l.Clone(), c.hasModel
			c.mu.Unlock()
			return l, hasModel, nil
		}
		c.mu.Unlock()
	}
	l := new(llm.LLM)
	if err := l.UnmarshalJSON(raw); err != nil {
		return nil, false, err
	}
	hasModel := llm.HasMember(raw, "model")
	if c != nil && len(raw) <= maxCachedLLM {
		keep := l.Clone()
		c.mu.Lock()
		c.raw = append(c.raw[:0], raw...)
		c.l = keep
		c.hasModel = hasModel
		c.mu.Unlock()
	}
	return l, hasModel, nil
}
