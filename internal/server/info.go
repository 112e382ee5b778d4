package server

import (
	"net/http"
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
