package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/jsonx"
	"github.com/openhands-go/sdk/internal/migrate"
	"github.com/openhands-go/sdk/internal/model"
	"github.com/openhands-go/sdk/internal/store"
)

// maxProfiles is the profile limit (server-api.md §6.3).
const maxProfiles = 50

// profileFile is the store name of a profile. Like upstream, a ".json"
// suffix on the name is dropped first, so "fast.json" names "fast".
func profileFile(name string) string {
	return store.ProfilesDir + "/" + strings.TrimSuffix(name, ".json") + ".json"
}

func profileNotFound(name string) error {
	return newHTTPError(http.StatusNotFound, fmt.Sprintf("Profile '%s' not found", name))
}

// withProfiles runs fn under the profile store lock; a lock that cannot be
// acquired in time answers 503 "Profile store is busy. Please retry.".
func (s *Server) withProfiles(ctx context.Context, fn func(tx store.Tx) error) error {
	var ferr error
	lerr := s.st.Locked(ctx, store.ProfilesLock, func(tx store.Tx) error {
		ferr = fn(tx)
		return ferr
	})
	if ferr != nil {
		return ferr
	}
	if lerr != nil {
		if errors.Is(lerr, store.ErrBusy) {
			s.log.Error("Profile store lock not acquired in time")
			return newHTTPError(http.StatusServiceUnavailable, detailProfileBusy)
		}
		return &internalError{msg: "Failed to access the profile store", err: lerr}
	}
	return nil
}

// loadProfile loads one profile as an internal LLM object. With resolve, a
// referenced provider connection is required (server-api.md §4.2, §6.6):
// this server stores none, so a profile that names one answers 422 even if
// its file also carries an inline key.
func (s *Server) loadProfile(ctx context.Context, name string, resolve bool) (*jsonx.Object, error) {
	var llm *jsonx.Object
	err := s.withProfiles(ctx, func(tx store.Tx) error {
		data, err := tx.Read(profileFile(name))
		if errors.Is(err, store.ErrNotExist) {
			return profileNotFound(name)
		}
		if err != nil {
			return &internalError{msg: "Failed to read profile", err: err}
		}
		l, err := model.LoadProfileFile(data, model.Input{Cipher: s.c, FromDisk: true})
		if err != nil {
			return newHTTPError(http.StatusBadRequest, fmt.Sprintf("Failed to load profile `%s`: %s", name, safeErrText(err)))
		}
		if l == nil {
			return &internalError{msg: "Failed to load profile"}
		}
		llm = l
		return nil
	})
	if err != nil {
		return nil, err
	}
	if resolve {
		if id, ok := llm.String("provider_connection_id"); ok && id != "" {
			return nil, newHTTPError(http.StatusUnprocessableEntity, fmt.Sprintf(
				"Profile %s references provider connection %s, which does not exist. Update the profile or recreate the connection.",
				pyRepr(name), pyRepr(id)))
		}
	}
	return llm, nil
}

// listProfiles is GET /api/profiles.
func (s *Server) listProfiles(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	infos := []any{}
	err := s.withProfiles(ctx, func(tx store.Tx) error {
		names, err := tx.List(store.ProfilesDir)
		if err != nil {
			return &internalError{msg: "Failed to list profiles", err: err}
		}
		for _, fn := range names {
			stem, ok := strings.CutSuffix(fn, ".json")
			if !ok || !profileNameRe.MatchString(stem) {
				continue
			}
			data, err := tx.Read(store.ProfilesDir + "/" + fn)
			if errors.Is(err, store.ErrNotExist) {
				continue
			}
			if err != nil {
				return &internalError{msg: "Failed to read profile", err: err}
			}
			doc, err := jsonx.ParseObject(data)
			if err != nil {
				s.log.Warn("Skipping unreadable profile", "profile", stem)
				continue
			}
			infos = append(infos, profileSummary(stem, doc))
		}
		return nil
	})
	if err != nil {
		return err
	}
	e, err := s.currentSettings(ctx)
	if err != nil {
		return err
	}
	var active any
	if e.s.ActiveProfile != nil {
		active = *e.s.ActiveProfile
	}
	writeJSON(w, http.StatusOK, jsonx.Obj("profiles", infos, "active_profile", active))
	return nil
}

// profileSummary builds a ProfileInfo from a raw profile file document.
func profileSummary(name string, doc *jsonx.Object) *jsonx.Object {
	migrate.CanonicalizeOpenHandsLLM(doc)
	str := func(k string) any {
		if v, ok := doc.String(k); ok {
			return v
		}
		return nil
	}
	apiKey, _ := doc.String("api_key")
	apiKeySet := strings.TrimSpace(apiKey) != "" && apiKey != model.Marker
	connID := str("provider_connection_id")
	// Provider connections are not stored by this server: a referenced
	// connection is always missing, hence broken.
	broken := connID != nil
	return jsonx.Obj(
		"name", name,
		"model", str("model"),
		"base_url", str("base_url"),
		"provider_connection_id", connID,
		"provider_connection_broken", broken,
		"api_key_set", apiKeySet,
	)
}

// getProfile is GET /api/profiles/{name}.
func (s *Server) getProfile(w http.ResponseWriter, r *http.Request) error {
	var l itemList
	name := profileNameParam(r, &l)
	if err := l.err(); err != nil {
		return err
	}
	mode, modeName, err := exposeMode(r)
	if err != nil {
		return err
	}
	llm, err := s.loadProfile(r.Context(), name, false)
	if err != nil {
		return err
	}
	cfg, err := model.RenderLLM(llm, mode, s.c)
	if err != nil {
		if errors.Is(err, model.ErrNoCipher) {
			return newHTTPError(http.StatusServiceUnavailable, detailNoCipher)
		}
		return &internalError{msg: "Failed to render profile", err: err}
	}
	if mode == model.Redacted {
		cfg.Set("api_key", nil)
	}
	if mode == model.Plaintext {
		s.log.Warn("Profile accessed with PLAINTEXT secrets", "profile", name, "client_host", clientHost(r))
	} else {
		s.log.Info("Profile accessed", "profile", name, "expose_mode", modeName, "client_host", clientHost(r))
	}
	writeJSON(w, http.StatusOK, jsonx.Obj("name", name, "config", cfg, "api_key_set", model.ProfileAPIKeySet(llm)))
	return nil
}

// llmSecretFields are the four LLM secret members.
func llmSecretFields() []string {
	return []string{"api_key", "aws_access_key_id", "aws_secret_access_key", "aws_session_token"}
}

// llmBody validates the "llm" member of a profile request body (items go
// to l; the error is for unexpected failures only).
func llmBody(body *jsonx.Object, l *itemList) (*jsonx.Object, error) {
	if body == nil {
		return nil, nil
	}
	v, ok := body.Get("llm")
	if !ok {
		l.add(typeMissing, loc("body", "llm"), msgMissing, body, nil)
		return nil, nil
	}
	obj := bodyObject(v, l, "body", "llm")
	if obj == nil {
		return nil, nil
	}
	llm, err := model.ValidateLLM(obj, model.Input{})
	if err != nil {
		if prefixItems(err, l, "body", "llm") {
			return nil, nil
		}
		return nil, &internalError{msg: "Failed to validate LLM", err: err}
	}
	return llm, nil
}

// decryptIncomingLLM decrypts Fernet tokens posted back in the LLM secret
// fields; tokens that do not decrypt are left as they are.
func decryptIncomingLLM(llm *jsonx.Object, c *cipher.Cipher) {
	if c == nil {
		return
	}
	for _, f := range llmSecretFields() {
		v, ok := llm.String(f)
		if !ok || !cipher.LooksLikeToken(v) {
			continue
		}
		if p, err := c.Decrypt(v); err == nil {
			llm.Set(f, p)
		}
	}
}

// saveProfile is POST /api/profiles/{name}.
func (s *Server) saveProfile(w http.ResponseWriter, r *http.Request) error {
	v, present, err := s.readJSON(w, r)
	if err != nil {
		return err
	}
	var l itemList
	name := profileNameParam(r, &l)
	body := requireObject(v, present, &l)
	llm, err := llmBody(body, &l)
	if err != nil {
		return err
	}
	include := true
	if body != nil {
		if iv, ok := body.Get("include_secrets"); ok {
			include, _ = laxBool(iv, loc("body", "include_secrets"), &l)
		}
	}
	if err := l.err(); err != nil {
		return err
	}
	decryptIncomingLLM(llm, s.c)
	if id, ok := llm.String("provider_connection_id"); ok && id != "" {
		llm.Set("api_key", nil)
		llm.Set("base_url", nil)
	}
	enc, err := model.EncodeProfileFile(llm, include, s.c)
	if err != nil {
		return &internalError{msg: "Failed to encode profile", err: err}
	}
	path := profileFile(name)
	err = s.withProfiles(r.Context(), func(tx store.Tx) error {
		_, err := tx.Read(path)
		exists := err == nil
		if err != nil && !errors.Is(err, store.ErrNotExist) {
			return &internalError{msg: "Failed to read profile", err: err}
		}
		if !exists {
			names, err := tx.List(store.ProfilesDir)
			if err != nil {
				return &internalError{msg: "Failed to list profiles", err: err}
			}
			count := 0
			for _, fn := range names {
				if stem, ok := strings.CutSuffix(fn, ".json"); ok && profileNameRe.MatchString(stem) {
					count++
				}
			}
			if count >= maxProfiles {
				return newHTTPError(http.StatusConflict, detailProfileLimit)
			}
		}
		if err := tx.Write(path, enc); err != nil {
			return &internalError{msg: "Failed to save profile", err: err}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.log.Info("Saved profile", "profile", name, "include_secrets", include, "client_host", clientHost(r))
	writeJSON(w, http.StatusCreated, jsonx.Obj("name", name, "message", fmt.Sprintf("Profile '%s' saved", name)))
	return nil
}

// deleteProfile is DELETE /api/profiles/{name} (idempotent).
func (s *Server) deleteProfile(w http.ResponseWriter, r *http.Request) error {
	var l itemList
	name := profileNameParam(r, &l)
	if err := l.err(); err != nil {
		return err
	}
	err := s.withProfiles(r.Context(), func(tx store.Tx) error {
		if err := tx.Remove(profileFile(name)); err != nil && !errors.Is(err, store.ErrNotExist) {
			return &internalError{msg: "Failed to delete profile", err: err}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := s.movePointer(r.Context(), name, nil); err != nil {
		return err
	}
	s.log.Info("Deleted profile", "profile", name, "client_host", clientHost(r))
	writeJSON(w, http.StatusOK, jsonx.Obj("name", name, "message", fmt.Sprintf("Profile '%s' deleted", name)))
	return nil
}

// renameProfile is POST /api/profiles/{name}/rename.
func (s *Server) renameProfile(w http.ResponseWriter, r *http.Request) error {
	v, present, err := s.readJSON(w, r)
	if err != nil {
		return err
	}
	var l itemList
	name := profileNameParam(r, &l)
	body := requireObject(v, present, &l)
	var newName string
	if body != nil {
		if p, _ := stringField(body, "new_name", true, false, &l, "body"); p != nil {
			newName = *p
			checkConstrained(newName, loc("body", "new_name"), 1, 64, profileNamePattern, profileNameRe, &l)
		}
	}
	if err := l.err(); err != nil {
		return err
	}
	oldPath, newPath := profileFile(name), profileFile(newName)
	err = s.withProfiles(r.Context(), func(tx store.Tx) error {
		data, err := tx.Read(oldPath)
		if errors.Is(err, store.ErrNotExist) {
			return profileNotFound(name)
		}
		if err != nil {
			return &internalError{msg: "Failed to read profile", err: err}
		}
		if oldPath == newPath {
			return nil
		}
		if _, err := tx.Read(newPath); err == nil {
			return newHTTPError(http.StatusConflict, fmt.Sprintf("Profile '%s' already exists", newName))
		} else if !errors.Is(err, store.ErrNotExist) {
			return &internalError{msg: "Failed to read profile", err: err}
		}
		if err := tx.Write(newPath, data); err != nil {
			return &internalError{msg: "Failed to rename profile", err: err}
		}
		if err := tx.Remove(oldPath); err != nil {
			return &internalError{msg: "Failed to rename profile", err: err}
		}
		return nil
	})
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Profile '%s' renamed to '%s'", name, newName)
	if name == newName {
		msg = fmt.Sprintf("Profile '%s' unchanged (same name)", name)
	} else if err := s.movePointer(r.Context(), name, &newName); err != nil {
		return err
	}
	s.log.Info("Renamed profile", "profile", name, "new_name", newName, "client_host", clientHost(r))
	writeJSON(w, http.StatusOK, jsonx.Obj("name", newName, "message", msg))
	return nil
}

// movePointer sets settings.active_profile to to when it currently equals
// from (profile delete and rename). Unreadable settings are left alone.
func (s *Server) movePointer(ctx context.Context, from string, to *string) error {
	e, err := s.currentSettings(ctx)
	if err != nil {
		return err
	}
	if e.s.ActiveProfile == nil || *e.s.ActiveProfile != from {
		return nil
	}
	noChange := errors.New("active profile changed meanwhile")
	_, err = s.mutateSettings(ctx, detailUpdateFailed, func(cur *model.Settings) error {
		if cur.ActiveProfile == nil || *cur.ActiveProfile != from {
			return noChange
		}
		cur.ActiveProfile = to
		return nil
	})
	if errors.Is(err, noChange) {
		return nil
	}
	if err == nil {
		s.log.Info("Active profile pointer updated", "from", from, "to_cleared", to == nil)
	}
	return err
}

// activateProfile is POST /api/profiles/{name}/activate.
func (s *Server) activateProfile(w http.ResponseWriter, r *http.Request) error {
	var l itemList
	name := profileNameParam(r, &l)
	if err := l.err(); err != nil {
		return err
	}
	llm, err := s.loadProfile(r.Context(), name, true)
	if err != nil {
		return err
	}
	_, err = s.mutateSettings(r.Context(), detailActivateFailed, func(cur *model.Settings) error {
		agent := cur.Agent.Clone()
		if agent == nil {
			agent = jsonx.NewObject()
		}
		agent.Set("llm", llm)
		cur.Agent = agent
		n := name
		cur.ActiveProfile = &n
		return nil
	})
	if err != nil {
		return err
	}
	s.log.Info("Activated profile", "profile", name, "client_host", clientHost(r))
	writeJSON(w, http.StatusOK, jsonx.Obj(
		"name", name,
		"message", fmt.Sprintf("Profile '%s' activated and applied to current settings", name),
		"llm_applied", true,
	))
	return nil
}

// validateProfile is POST /api/profiles/{name}/validate. This server makes
// no provider call: a body that validates is reported valid.
func (s *Server) validateProfile(w http.ResponseWriter, r *http.Request) error {
	v, present, err := s.readJSON(w, r)
	if err != nil {
		return err
	}
	var l itemList
	name := profileNameParam(r, &l)
	body := requireObject(v, present, &l)
	if _, err := llmBody(body, &l); err != nil {
		return err
	}
	if err := l.err(); err != nil {
		return err
	}
	s.log.Info("Profile pre-flight validated (no provider call)", "profile", name, "client_host", clientHost(r))
	writeJSON(w, http.StatusOK, jsonx.Obj("valid", true, "error", nil))
	return nil
}
