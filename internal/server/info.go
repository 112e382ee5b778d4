package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/openhands-go/sdk/internal/jsonx"
)

// alive answers /alive and /health.
func (s *Server) alive(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, jsonx.Obj("status", "ok"))
	return nil
}

// ready answers /ready; this server has no deferred initialisation.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, jsonx.Obj("status", "ready"))
	return nil
}

// serverInfo answers / and /server_info.
func (s *Server) serverInfo(w http.ResponseWriter, r *http.Request) error {
	now := s.now()
	// Idle time counts from the latest /api request (health checks and
	// info requests do not count as activity).
	idle := time.Duration(now.UnixNano() - s.lastSeen.Load())
	if idle < 0 {
		idle = 0
	}
	writeJSON(w, http.StatusOK, jsonx.Obj(
		"uptime", now.Sub(s.started).Seconds(),
		"idle_time", idle.Seconds(),
		"title", "OpenHands Agent Server (Go reference)",
		"version", Version,
	))
	return nil
}

// openAPI answers /openapi.json: an OpenAPI 3.1 description of the route
// table (server-api.md §2.3 lists it among the unauthenticated paths).
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	if b := s.schemas.openapi.Load(); b != nil {
		writeJSONBytes(w, http.StatusOK, *b)
		return nil
	}
	b, err := jsonx.Marshal(s.openAPIDoc())
	if err != nil {
		return &internalError{msg: "Failed to render the OpenAPI document", err: err}
	}
	s.schemas.openapi.Store(&b)
	writeJSONBytes(w, http.StatusOK, b)
	return nil
}

// openAPIDoc builds the OpenAPI document from the route table.
func (s *Server) openAPIDoc() *jsonx.Object {
	paths := jsonx.NewObject()
	for _, rt := range s.routes {
		if rt.Pattern == "/" || !strings.HasPrefix(rt.Pattern, "/") {
			continue
		}
		item := paths.Object(rt.Pattern)
		if item == nil {
			item = jsonx.NewObject()
			paths.Set(rt.Pattern, item)
		}
		status := "200"
		if rt.Method == http.MethodPost && (rt.Pattern == "/api/profiles/{name}" || rt.Pattern == "/api/settings/mcp/{settings_key}") {
			status = "201"
		}
		op := jsonx.Obj(
			"operationId", strings.ToLower(rt.Method)+strings.NewReplacer("/", "_", "{", "", "}", "", "-", "_").Replace(rt.Pattern),
			"responses", jsonx.Obj(status, jsonx.Obj("description", "Successful Response")),
		)
		var params []any
		for _, seg := range strings.Split(rt.Pattern, "/") {
			if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
				params = append(params, jsonx.Obj("name", seg[1:len(seg)-1], "in", "path", "required", true, "schema", jsonx.Obj("type", "string")))
			}
		}
		if len(params) > 0 {
			op.Set("parameters", params)
		}
		if rt.Auth {
			op.Set("security", []any{jsonx.Obj("APIKeyHeader", []any{})})
		}
		item.Set(strings.ToLower(rt.Method), op)
	}
	return jsonx.Obj(
		"openapi", "3.1.0",
		"info", jsonx.Obj("title", "OpenHands Agent Server (Go reference)", "version", Version),
		"paths", paths,
		"components", jsonx.Obj("securitySchemes", jsonx.Obj(
			"APIKeyHeader", jsonx.Obj("type", "apiKey", "in", "header", "name", "X-Session-API-Key"),
		)),
	)
}

// docsPage answers /docs and /redoc: a minimal HTML page pointing at
// /openapi.json (no scripts are bundled with this server).
func docsPage(title string) handlerFunc {
	page := []byte("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title +
		"</title></head><body><h1>" + title + "</h1><p>The OpenAPI document is at <a href=\"/openapi.json\">/openapi.json</a>.</p></body></html>\n")
	return func(w http.ResponseWriter, r *http.Request) error {
		h := w.Header()
		h["Content-Type"] = []string{"text/html; charset=utf-8"}
		h["Content-Length"] = []string{strconv.Itoa(len(page))}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(page)
		return nil
	}
}
