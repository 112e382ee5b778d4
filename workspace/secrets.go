package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"

	"github.com/openhands-go/sdk/secret"
)

// SecretInfo is one listed secret (never its value).
type SecretInfo struct {
	// Name is the secret name.
	Name string `json:"name"`
	// Description is the optional description.
	Description *string `json:"description"`
}

const secretsPath = "/api/settings/secrets"

// ListSecrets returns GET /api/settings/secrets in server order (names and
// descriptions only).
func (w *Workspace) ListSecrets(ctx context.Context) ([]SecretInfo, error) {
	c := &call{method: "GET", path: secretsPath}
	body, err := w.do(ctx, c)
	if err != nil {
		return nil, err
	}
	list, err := decodeSecretsList(body)
	if err != nil {
		return nil, invalid(c, "expected {\"secrets\": [{\"name\", \"description\"}]}")
	}
	for _, s := range list {
		if s.Name == "" {
			return nil, invalid(c, "a listed secret has no name")
		}
	}
	if list == nil {
		list = []SecretInfo{}
	}
	return list, nil
}

// GetSecrets returns a LookupSecret for every secret stored on the server
// (client.md §5), keyed by name; with names, only those names (names the
// server does not list are simply absent). No value is fetched: each
// LookupSecret points at GET <host>/api/settings/secrets/<name> with a copy
// of the workspace auth headers ({"X-Session-API-Key": key}, or {} without
// a key), for the agent-server to resolve.
//
// Go variadics cannot tell "no filter" from "an empty filter": GetSecrets(ctx)
// returns all secrets; use GetSecretsNamed(ctx, []string{}) for an explicit
// empty filter (an empty result).
func (w *Workspace) GetSecrets(ctx context.Context, names ...string) (map[string]secret.LookupSecret, error) {
	if len(names) == 0 {
		names = nil
	}
	return w.GetSecretsNamed(ctx, names)
}

// GetSecretsNamed is GetSecrets with an explicit filter: nil means all
// secrets, a non-nil empty slice means none (the list request is still made,
// as upstream does, so errors surface).
func (w *Workspace) GetSecretsNamed(ctx context.Context, names []string) (map[string]secret.LookupSecret, error) {
	if w == nil || w.host == "" {
		return nil, ErrHostNotSet
	}
	list, err := w.ListSecrets(ctx)
	if err != nil {
		return nil, err
	}
	var want map[string]struct{}
	if len(names) > 8 {
		want = make(map[string]struct{}, len(names))
		for _, n := range names {
			want[n] = struct{}{}
		}
	}
	keep := func(name string) bool {
		if names == nil {
			return true
		}
		if want != nil {
			_, ok := want[name]
			return ok
		}
		for _, n := range names {
			if n == name {
				return true
			}
		}
		return false
	}
	n := len(list)
	if names != nil && len(names) < n {
		n = len(names)
	}
	out := make(map[string]secret.LookupSecret, n)
	prefix := w.secretURLPrefix
	for _, s := range list {
		if !keep(s.Name) {
			continue
		}
		out[s.Name] = secret.LookupSecret{
			Description: s.Description,
			URL:         prefix + url.PathEscape(s.Name), // equal to upstream's plain concatenation for every valid name
			Headers:     w.AuthHeaders(),
		}
	}
	return out, nil
}

// PutSecret creates or replaces a secret (PUT /api/settings/secrets). A nil
// description clears a previous one. The value "**********" is refused with
// ErrRedactedValue (the server would store "no value"). Returns the stored
// name and description.
func (w *Workspace) PutSecret(ctx context.Context, name, value string, description *string) (*SecretInfo, error) {
	body, err := marshalNoEscape(struct {
		Name        string  `json:"name"`
		Value       string  `json:"value"`
		Description *string `json:"description"`
	}{name, value, description})
	if err != nil {
		return nil, err
	}
	c := &call{method: "PUT", path: secretsPath, body: body, scrub: []string{value}}
	if w == nil || w.host == "" {
		return nil, ErrHostNotSet
	}
	if err := guard(c); err != nil {
		return nil, err
	}
	resp, err := w.do(ctx, c)
	if err != nil {
		return nil, err
	}
	var info SecretInfo
	if !isObject(resp) || json.Unmarshal(resp, &info) != nil {
		return nil, invalid(c, "expected {\"name\", \"description\"}")
	}
	return &info, nil
}

// SecretValue fetches a secret's value (GET /api/settings/secrets/{name},
// name path-escaped). A missing secret, or one without a value, is an
// *APIError matching ErrNotFound.
func (w *Workspace) SecretValue(ctx context.Context, name string) (secret.Str, error) {
	path, err := secretPath(name)
	if err != nil {
		return "", err
	}
	body, err := w.do(ctx, &call{method: "GET", path: path})
	if err != nil {
		return "", err
	}
	return secret.Str(body), nil
}

// DeleteSecret deletes a secret (DELETE /api/settings/secrets/{name}); a
// missing secret is an *APIError matching ErrNotFound.
func (w *Workspace) DeleteSecret(ctx context.Context, name string) error {
	path, err := secretPath(name)
	if err != nil {
		return err
	}
	_, err = w.do(ctx, &call{method: "DELETE", path: path})
	return err
}

func secretPath(name string) (string, error) {
	if err := checkSegment("secret name", name); err != nil {
		return "", err
	}
	return secretsPath + "/" + url.PathEscape(name), nil
}

// checkSegment refuses names that cannot address a resource as one path
// segment even when escaped.
func checkSegment(what, name string) error {
	switch name {
	case "":
		return errors.New("workspace: empty " + what)
	case ".", "..":
		return errors.New("workspace: invalid " + what + " " + `"` + name + `"`)
	}
	return nil
}

// quoteAll percent-encodes every byte except the unreserved characters
// A-Z a-z 0-9 _ . - ~ (Python urllib.parse.quote(s, safe="")).
func quoteAll(s string) string {
	const hex = "0123456789ABCDEF"
	clean := true
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) * 3)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == '.' || c == '-' || c == '~'
}
