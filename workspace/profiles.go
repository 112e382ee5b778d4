package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/openhands-go/sdk/llm"
)

// ProfileInfo is one entry of GET /api/profiles (data-model.md §5).
type ProfileInfo struct {
	// Name is the profile name.
	Name string `json:"name"`
	// Model is the stored model.
	Model *string `json:"model"`
	// BaseURL is the stored base URL.
	BaseURL *string `json:"base_url"`
	// ProviderConnectionID links a provider connection.
	ProviderConnectionID *string `json:"provider_connection_id"`
	// ProviderConnectionBroken reports a missing linked connection.
	ProviderConnectionBroken bool `json:"provider_connection_broken"`
	// APIKeySet reports whether a key is stored (or provided by the link).
	APIKeySet bool `json:"api_key_set"`
}

// ProfileList is GET /api/profiles.
type ProfileList struct {
	// Profiles sorted by name.
	Profiles []ProfileInfo `json:"profiles"`
	// ActiveProfile mirrors settings.active_profile.
	ActiveProfile *string `json:"active_profile"`
}

// Profile is GET /api/profiles/{name}.
type Profile struct {
	// Name is the profile name.
	Name string
	// Config is the stored LLM configuration (secrets per exposure).
	Config *llm.LLM
	// APIKeySet reports whether a key is stored.
	APIKeySet bool
}

// ProfileMutation is the answer of save, delete and rename.
type ProfileMutation struct {
	// Name is the (new) profile name.
	Name string `json:"name"`
	// Message is the server's message.
	Message string `json:"message"`
}

// ProfileActivation is the answer of POST /api/profiles/{name}/activate.
type ProfileActivation struct {
	// Name is the profile name.
	Name string `json:"name"`
	// Message is the server's message.
	Message string `json:"message"`
	// LLMApplied reports that the profile's LLM replaced agent_settings.llm.
	LLMApplied bool `json:"llm_applied"`
}

// ProfileValidation is the answer of POST /api/profiles/{name}/validate.
type ProfileValidation struct {
	// Valid reports whether a test completion succeeded.
	Valid bool `json:"valid"`
	// Error describes the failure, nil when valid.
	Error *ProfileValidationError `json:"error"`
}

// ProfileValidationError is the error member of a ProfileValidation.
type ProfileValidationError struct {
	// Type is the provider error class.
	Type string `json:"type"`
	// Message is the (server-redacted) error text.
	Message string `json:"message"`
}

// profilePath is /api/profiles/{quote(name, safe="")}[/suffix].
func profilePath(name, suffix string) (string, error) {
	if err := checkSegment("profile name", name); err != nil {
		return "", err
	}
	p := "/api/profiles/" + quoteAll(name)
	if suffix != "" {
		p += "/" + suffix
	}
	return p, nil
}

// decodeInto unmarshals a 2xx object body.
func decodeInto(c *call, body []byte, dst any) error {
	if !isObject(body) || json.Unmarshal(body, dst) != nil {
		return invalid(c, "unexpected body shape")
	}
	return nil
}

// ListProfiles returns GET /api/profiles.
func (w *Workspace) ListProfiles(ctx context.Context) (*ProfileList, error) {
	c := &call{method: "GET", path: "/api/profiles"}
	body, err := w.do(ctx, c)
	if err != nil {
		return nil, err
	}
	var l ProfileList
	if err := decodeInto(c, body, &l); err != nil {
		return nil, err
	}
	if l.Profiles == nil {
		l.Profiles = []ProfileInfo{}
	}
	return &l, nil
}

// GetProfile returns GET /api/profiles/{name} with the given exposure
// (Redacted: api_key null, other secrets "**********"). A missing profile is
// an *APIError matching ErrProfileNotFound and ErrNotFound.
func (w *Workspace) GetProfile(ctx context.Context, name string, exposure Exposure) (*Profile, error) {
	path, err := profilePath(name, "")
	if err != nil {
		return nil, err
	}
	c := &call{method: "GET", path: path, expose: exposure}
	body, err := w.do(ctx, c)
	if err != nil {
		return nil, err
	}
	var wire struct {
		Name      string          `json:"name"`
		Config    json.RawMessage `json:"config"`
		APIKeySet bool            `json:"api_key_set"`
	}
	if err := decodeInto(c, body, &wire); err != nil {
		return nil, err
	}
	if !isObject(wire.Config) {
		return nil, invalid(c, "member %q is required and must be an object", "config")
	}
	l, err := w.cache().decode(wire.Config)
	if err != nil {
		return nil, &opError{method: c.method, path: c.path, err: fmt.Errorf("%w: config: %w", ErrInvalidResponse, err)}
	}
	return &Profile{Name: wire.Name, Config: l, APIKeySet: wire.APIKeySet}, nil
}

// SaveProfile stores l as profile name (POST /api/profiles/{name}), with
// its real secrets; includeSecrets=false makes the server store no API key.
// An LLM carrying "**********" is refused with ErrRedactedValue. Saving is
// idempotent and retried.
func (w *Workspace) SaveProfile(ctx context.Context, name string, l *llm.LLM, includeSecrets bool) (*ProfileMutation, error) {
	if l == nil {
		return nil, errors.New("workspace: SaveProfile: nil LLM")
	}
	path, err := profilePath(name, "")
	if err != nil {
		return nil, err
	}
	plain, err := l.PlaintextJSON()
	if err != nil {
		return nil, err
	}
	body, err := marshalNoEscape(struct {
		LLM            json.RawMessage `json:"llm"`
		IncludeSecrets bool            `json:"include_secrets"`
	}{plain, includeSecrets})
	if err != nil {
		return nil, err
	}
	c := &call{method: "POST", path: path, body: body, scrub: llmSecrets(l)}
	if err := guard(c); err != nil {
		return nil, err
	}
	var out ProfileMutation
	if err := w.doDecode(ctx, c, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteProfile deletes a profile (idempotent: a missing profile succeeds).
func (w *Workspace) DeleteProfile(ctx context.Context, name string) (*ProfileMutation, error) {
	path, err := profilePath(name, "")
	if err != nil {
		return nil, err
	}
	var out ProfileMutation
	if err := w.doDecode(ctx, &call{method: "DELETE", path: path}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// RenameProfile renames a profile (POST /api/profiles/{name}/rename; never
// retried). A missing source matches ErrProfileNotFound, an existing target
// ErrConflict.
func (w *Workspace) RenameProfile(ctx context.Context, name, newName string) (*ProfileMutation, error) {
	path, err := profilePath(name, "rename")
	if err != nil {
		return nil, err
	}
	body, err := marshalNoEscape(map[string]string{"new_name": newName})
	if err != nil {
		return nil, err
	}
	var out ProfileMutation
	if err := w.doDecode(ctx, &call{method: "POST", path: path, body: body, noRetry: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ActivateProfile makes a profile active and copies its LLM into
// agent_settings.llm (POST /api/profiles/{name}/activate; idempotent,
// retried).
func (w *Workspace) ActivateProfile(ctx context.Context, name string) (*ProfileActivation, error) {
	path, err := profilePath(name, "activate")
	if err != nil {
		return nil, err
	}
	var out ProfileActivation
	if err := w.doDecode(ctx, &call{method: "POST", path: path}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ValidateProfile asks the server to test l with a one-token completion
// (POST /api/profiles/{name}/validate; idempotent, retried).
func (w *Workspace) ValidateProfile(ctx context.Context, name string, l *llm.LLM) (*ProfileValidation, error) {
	if l == nil {
		return nil, errors.New("workspace: ValidateProfile: nil LLM")
	}
	path, err := profilePath(name, "validate")
	if err != nil {
		return nil, err
	}
	plain, err := l.PlaintextJSON()
	if err != nil {
		return nil, err
	}
	body, err := marshalNoEscape(struct {
		LLM json.RawMessage `json:"llm"`
	}{plain})
	if err != nil {
		return nil, err
	}
	var out ProfileValidation
	if err := w.doDecode(ctx, &call{method: "POST", path: path, body: body, scrub: llmSecrets(l)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (w *Workspace) doDecode(ctx context.Context, c *call, dst any) error {
	body, err := w.do(ctx, c)
	if err != nil {
		return err
	}
	return decodeInto(c, body, dst)
}

func llmSecrets(l *llm.LLM) []string {
	return []string{l.APIKey.Reveal(), l.AWSAccessKeyID.Reveal(), l.AWSSecretAccessKey.Reveal(), l.AWSSessionToken.Reveal()}
}
