package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/openhands-go/sdk/llm"
	"github.com/openhands-go/sdk/secret"
)

// LLMOption configures GetLLM.
type LLMOption func(*llmRequest)

type llmRequest struct {
	profile    string
	hasProfile bool
	overrides  map[string]any
	err        error
}

func (r *llmRequest) set(key string, v any) {
	if r.overrides == nil {
		r.overrides = make(map[string]any, 4)
	}
	r.overrides[key] = v
}

// FromProfile makes GetLLM fetch the named LLM profile directly
// (GET /api/profiles/{name}, plaintext) instead of resolving the active one.
// The result's usage_id is "profile:<name>" unless overridden.
func FromProfile(name string) LLMOption {
	return func(r *llmRequest) {
		if name == "" {
			r.err = errors.New("workspace: FromProfile: empty profile name")
			return
		}
		r.profile, r.hasProfile = name, true
	}
}

// Override sets one LLM member (JSON name, e.g. "model", "api_key",
// "temperature", "usage_id", "extra_headers") on the resolved configuration;
// overrides apply last, key by key, and the result is validated as an LLM.
// The value replaces the member entirely; nil is JSON null; a secret.Str
// contributes its real value. A later Override of the same key wins.
func Override(key string, value any) LLMOption {
	return func(r *llmRequest) { r.set(key, value) }
}

// WithModel overrides the LLM model.
func WithModel(model string) LLMOption { return Override("model", model) }

// WithTemperature overrides the LLM sampling temperature.
func WithTemperature(t float64) LLMOption { return Override("temperature", t) }

// WithBaseURL overrides the LLM's provider base_url (not the agent-server
// host).
func WithBaseURL(baseURL string) LLMOption { return Override("base_url", baseURL) }

// WithUsageID overrides usage_id (it beats the "profile:<name>" default).
func WithUsageID(id string) LLMOption { return Override("usage_id", id) }

// WithLLMAPIKey overrides the LLM api_key (the provider key, not the
// session key).
func WithLLMAPIKey(key string) LLMOption { return Override("api_key", secret.Str(key)) }

// GetLLM resolves the LLM configuration as upstream RemoteWorkspace.get_llm
// (client.md §3):
//
//   - FromProfile(name): GET /api/profiles/{name} (X-Expose-Secrets:
//     plaintext) → config, usage_id "profile:<name>";
//   - otherwise GET /api/settings (redacted, no X-Expose-Secrets); when
//     active_profile is non-empty, that profile is fetched as above;
//   - otherwise GET /api/settings with X-Expose-Secrets: plaintext and
//     agent_settings.llm (the ACP attribution llm for an ACP agent) is used;
//     without overrides it is returned unchanged (stored usage_id kept).
//
// Overrides (Override, WithModel, ...) apply last. A missing profile is an
// error matching ErrProfileNotFound ("LLM profile '<name>' not found"); a
// profile body without an object config matches ErrInvalidConfig. The
// result holds secrets in plaintext inside secret.Str fields.
func (w *Workspace) GetLLM(ctx context.Context, opts ...LLMOption) (*llm.LLM, error) {
	if w == nil || w.host == "" {
		return nil, ErrHostNotSet
	}
	var r llmRequest
	for _, o := range opts {
		if o != nil {
			o(&r)
		}
	}
	if r.err != nil {
		return nil, r.err
	}

	var l *llm.LLM
	switch {
	case r.hasProfile:
		p, err := w.profileLLM(ctx, r.profile, r.overrides)
		if err != nil {
			return nil, err
		}
		l = p
	default:
		c := &call{method: "GET", path: "/api/settings"}
		body, err := w.do(ctx, c)
		if err != nil {
			return nil, err
		}
		ap, err := probeActiveProfile(c, body)
		if err != nil {
			return nil, err
		}
		if ap != nil && *ap != "" {
			p, err := w.profileLLM(ctx, *ap, r.overrides)
			if err != nil {
				return nil, err
			}
			l = p
			break
		}
		c2 := &call{method: "GET", path: "/api/settings", expose: Plaintext}
		body, err = w.do(ctx, c2)
		if err != nil {
			return nil, err
		}
		env, err := parseSettingsEnvelope(c2, body)
		if err != nil {
			return nil, err
		}
		agent, err := parseValidAgentSettings(env.AgentSettings, partLLM, w.cache())
		if err != nil {
			return nil, &opError{method: c2.method, path: c2.path, err: err}
		}
		l = agent.LLM
		if len(r.overrides) == 0 {
			return l, nil
		}
	}

	if len(r.overrides) > 0 {
		if err := l.ApplyOverrides(r.overrides); err != nil {
			return nil, fmt.Errorf("workspace: GetLLM: overrides: %w", err)
		}
		return l, nil
	}
	l.Normalize()
	if err := l.Validate(); err != nil {
		return nil, fmt.Errorf("workspace: GetLLM: %w", err)
	}
	return l, nil
}

// profileLLM is profileConfig plus the rule that the LLM built from the
// config and the overrides must name its model (data-model.md §3.2): a
// config without "model" is valid only when an override supplies one.
func (w *Workspace) profileLLM(ctx context.Context, name string, overrides map[string]any) (*llm.LLM, error) {
	l, hasModel, err := w.profileConfig(ctx, name)
	if err != nil {
		return nil, err
	}
	if _, overridden := overrides["model"]; !hasModel && !overridden {
		return nil, fmt.Errorf("workspace: LLM profile '%s': %w: %w", name, ErrInvalidConfig, errModelRequired)
	}
	return l, nil
}

// errModelRequired reports a supplied LLM object without a model.
var errModelRequired = errors.New(`llm: field "model": required when an LLM object is supplied`)

// profileConfig fetches a profile with plaintext exposure and returns its
// config as an LLM with usage_id "profile:<name>" (client.md §3.1), and
// whether the config had a "model" member.
func (w *Workspace) profileConfig(ctx context.Context, name string) (*llm.LLM, bool, error) {
	path, err := profilePath(name, "")
	if err != nil {
		return nil, false, err
	}
	c := &call{method: "GET", path: path, expose: Plaintext}
	body, err := w.do(ctx, c)
	if err != nil {
		var ae *APIError
		if errors.As(err, &ae) && ae.StatusCode == 404 {
			return nil, false, &profileError{name: name, sentinel: ErrProfileNotFound, cause: ae}
		}
		return nil, false, err
	}
	var wire struct {
		Config json.RawMessage `json:"config"`
	}
	if !isObject(body) || json.Unmarshal(body, &wire) != nil || !isObject(wire.Config) {
		return nil, false, &profileError{name: name, sentinel: ErrInvalidConfig}
	}
	l, hasModel, err := w.cache().decodeSupplied(wire.Config)
	if err != nil {
		return nil, false, fmt.Errorf("workspace: LLM profile '%s': %w: %w", name, ErrInvalidConfig, err)
	}
	l.UsageID = "profile:" + name
	return l, hasModel, nil
}
