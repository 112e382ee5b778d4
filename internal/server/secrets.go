package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/openhands-go/sdk/internal/jsonx"
	"github.com/openhands-go/sdk/internal/secretstore"
)

// checkSecretName applies the secret name rule (server-api.md §5.1), the
// one the secret store enforces too (a trailing newline is rejected).
func checkSecretName(name string) error {
	if !secretstore.ValidName(name) {
		return newHTTPError(http.StatusUnprocessableEntity, detailSecretName)
	}
	return nil
}

// listSecrets is GET /api/settings/secrets.
func (s *Server) listSecrets(w http.ResponseWriter, r *http.Request) error {
	items, err := s.secrets.List(r.Context())
	if err != nil {
		return &internalError{msg: "Failed to list secrets", err: err}
	}
	s.log.Info("Secrets list accessed", "client_host", clientHost(r), "secret_count", len(items))
	list := make([]any, 0, len(items))
	for _, it := range items {
		var desc any
		if it.Description != nil {
			desc = *it.Description
		}
		list = append(list, jsonx.Obj("name", it.Name, "description", desc))
	}
	writeJSON(w, http.StatusOK, jsonx.Obj("secrets", list))
	return nil
}

// putSecret is PUT /api/settings/secrets (create or replace).
func (s *Server) putSecret(w http.ResponseWriter, r *http.Request) error {
	body, err := s.parseJSONBody(w, r)
	if err != nil {
		return err
	}
	var l itemList
	name, _ := stringField(body, "name", true, false, &l, "body")
	value, _ := stringField(body, "value", true, false, &l, "body")
	desc, _ := stringField(body, "description", false, true, &l, "body")
	if err := l.err(); err != nil {
		return err
	}
	if err := checkSecretName(*name); err != nil {
		return err
	}
	if err := s.secrets.Put(r.Context(), *name, *value, desc); err != nil {
		if errors.Is(err, secretstore.ErrCorrupt) {
			s.log.Error("Secret create blocked: secrets file cannot be loaded", "secret_name", *name)
			return newHTTPError(http.StatusInternalServerError, detailSecretsCorrupt)
		}
		s.log.Error("Failed to save secret - file I/O error", "secret_name", *name)
		return newHTTPError(http.StatusInternalServerError, detailSaveSecretFailed)
	}
	s.log.Info("Secret created/updated", "secret_name", *name, "client_host", clientHost(r))
	var d any
	if desc != nil {
		d = *desc
	}
	writeJSON(w, http.StatusOK, jsonx.Obj("name", *name, "description", d))
	return nil
}

// getSecret is GET /api/settings/secrets/{name}: the raw value as text.
func (s *Server) getSecret(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	if err := checkSecretName(name); err != nil {
		return err
	}
	value, err := s.secrets.Get(r.Context(), name)
	if err != nil {
		if errors.Is(err, secretstore.ErrNotFound) {
			s.log.Warn("Secret access failed - not found", "secret_name", name, "client_host", clientHost(r))
			return newHTTPError(http.StatusNotFound, detailSecretNotFound)
		}
		return &internalError{msg: "Failed to read secret", err: err}
	}
	s.log.Info("Secret accessed", "secret_name", name, "client_host", clientHost(r))
	h := w.Header()
	h["Content-Type"] = []string{"text/plain; charset=utf-8"}
	h["Content-Length"] = []string{strconv.Itoa(len(value))}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(value))
	return nil
}

// deleteSecret is DELETE /api/settings/secrets/{name}.
func (s *Server) deleteSecret(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	if err := checkSecretName(name); err != nil {
		return err
	}
	if err := s.secrets.Delete(r.Context(), name); err != nil {
		switch {
		case errors.Is(err, secretstore.ErrNotFound):
			s.log.Warn("Secret deletion failed - not found", "secret_name", name, "client_host", clientHost(r))
			return newHTTPError(http.StatusNotFound, detailSecretNotFound)
		case errors.Is(err, secretstore.ErrCorrupt):
			s.log.Error("Secret delete blocked: secrets file cannot be loaded", "secret_name", name)
			return newHTTPError(http.StatusInternalServerError, detailSecretsCorrupt)
		}
		return &internalError{msg: "Failed to delete secret", err: err}
	}
	s.log.Info("Secret deleted", "secret_name", name, "client_host", clientHost(r))
	writeJSON(w, http.StatusOK, jsonx.Obj("deleted", true))
	return nil
}
