package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/jsonx"
	"github.com/openhands-go/sdk/internal/migrate"
	"github.com/openhands-go/sdk/internal/model"
	"github.com/openhands-go/sdk/internal/store"
)

// settingsState says what settings.json held when an entry was built.
type settingsState int8

const (
	settingsAbsent     settingsState = iota // no file: defaults
	settingsLoaded                          // loaded and valid
	settingsUnloadable                      // present but unloadable: defaults for reads
)

// settingsEntry is the parsed settings for one store Version plus the
// rendered GET bodies that do not change between requests (redacted and
// plaintext). Entries are immutable once published, except for the lazily
// filled byte caches.
type settingsEntry struct {
	ver       store.Version
	state     settingsState
	s         *model.Settings
	apiKeySet bool
	redacted  atomic.Pointer[[]byte]
	plaintext atomic.Pointer[[]byte]
}

// settingsCache holds the latest entry; a Stat whose Version differs from
// the entry's makes readers load the file again (every write changes it).
// file remembers the settings of the last settings.json this server wrote,
// keyed by the file's bytes, so that reading those bytes back needs no
// parsing or validation.
type settingsCache struct {
	cur  atomic.Pointer[settingsEntry]
	file atomic.Pointer[fileEntry]
	// bufs holds *[]byte buffers for encoding write responses.
	bufs sync.Pool
}

// fileEntry says that model.LoadSettingsFile(data, Input{Cipher: the
// server's cipher, FromDisk: true}) returns settings identical to s (see
// model.AppendSettingsFileReusable). s and everything it points to are never
// modified; users copy the Settings struct before replacing its parts.
type fileEntry struct {
	data []byte
	s    *model.Settings
}

// loadSettingsFile is model.LoadSettingsFile for the server's cipher,
// answered from the file cache when data are the bytes last written. The
// result may share its parts with the cache: callers replace them, they
// never modify them in place.
func (s *Server) loadSettingsFile(data []byte) (*model.Settings, error) {
	if fe := s.settings.file.Load(); fe != nil && bytes.Equal(fe.data, data) {
		c := *fe.s
		return &c, nil
	}
	return model.LoadSettingsFile(data, model.Input{Cipher: s.c, FromDisk: true})
}

// schemaCache keeps the rendered schema documents (and the OpenAPI one).
type schemaCache struct{ agent, conversation, openapi atomic.Pointer[[]byte] }

// render returns the SettingsResponse bytes for mode: cached for redacted
// and plaintext, fresh for encrypted (new tokens each time).
func (e *settingsEntry) render(mode model.Mode, c *cipher.Cipher) ([]byte, error) {
	var slot *atomic.Pointer[[]byte]
	switch mode {
	case model.Redacted:
		slot = &e.redacted
	case model.Plaintext:
		slot = &e.plaintext
	}
	if slot != nil {
		if b := slot.Load(); b != nil {
			return *b, nil
		}
	}
	obj, err := e.s.ResponseView(mode, c)
	if err != nil {
		return nil, err
	}
	b, err := jsonx.Marshal(obj)
	if err != nil {
		return nil, err
	}
	if slot != nil {
		slot.Store(&b)
	}
	return b, nil
}

// defaultSettings returns fresh default settings or an internal error.
func defaultSettings() (*model.Settings, error) {
	d := model.DefaultSettings()
	if d == nil {
		return nil, &internalError{msg: "default settings are unavailable"}
	}
	return d, nil
}

// currentSettings returns the settings as GET /api/settings sees them
// (absent or unloadable file → defaults), from the cache when the file has
// not changed.
func (s *Server) currentSettings(ctx context.Context) (*settingsEntry, error) {
	ver, err := s.st.Stat(ctx, store.SettingsFile)
	if err != nil {
		return nil, &internalError{msg: "Failed to read settings", err: err}
	}
	if e := s.settings.cur.Load(); e != nil && e.ver == ver {
		return e, nil
	}
	data, ver, err := s.st.Read(ctx, store.SettingsFile)
	e := &settingsEntry{ver: ver}
	switch {
	case errors.Is(err, store.ErrNotExist):
		e.ver = store.Version{}
		e.state = settingsAbsent
		if e.s, err = defaultSettings(); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, &internalError{msg: "Failed to read settings", err: err}
	default:
		loaded, lerr := s.loadSettingsFile(data)
		if lerr != nil {
			s.log.Warn("Settings file cannot be loaded; using defaults", "reason", safeErrText(lerr))
			e.state = settingsUnloadable
			if e.s, err = defaultSettings(); err != nil {
				return nil, err
			}
		} else {
			e.state = settingsLoaded
			e.s = loaded
		}
	}
	e.apiKeySet = model.LLMAPIKeyIsSet(e.s.Agent)
	s.settings.cur.Store(e)
	return e, nil
}

// safeErrText describes a load/validation error without input values.
func safeErrText(err error) string {
	var ve *model.ValidationError
	var se *jsonx.SyntaxError
	var mv *migrate.VersionError
	switch {
	case errors.As(err, &ve):
		return ve.Error()
	case errors.As(err, &se):
		return se.Error()
	case errors.As(err, &mv):
		return mv.Error()
	case errors.Is(err, jsonx.ErrEmpty):
		return err.Error()
	}
	return err.Error()
}

// getSettings is GET /api/settings (server-api.md §4.1).
func (s *Server) getSettings(w http.ResponseWriter, r *http.Request) error {
	mode, modeName, err := exposeMode(r)
	if err != nil {
		return err
	}
	e, err := s.currentSettings(r.Context())
	if err != nil {
		return err
	}
	if mode == model.Plaintext {
		if s.log.Enabled(r.Context(), slog.LevelWarn) {
			s.log.Warn("Settings accessed with PLAINTEXT secrets", "client_host", clientHost(r), "expose_mode", modeName, "has_llm_api_key", e.apiKeySet)
		}
	} else if s.log.Enabled(r.Context(), slog.LevelInfo) {
		s.log.Info("Settings accessed", "client_host", clientHost(r), "expose_mode", modeName, "has_llm_api_key", e.apiKeySet)
	}
	body, err := e.render(mode, s.c)
	if err != nil {
		if errors.Is(err, model.ErrNoCipher) {
			return newHTTPError(http.StatusServiceUnavailable, detailNoCipher)
		}
		return &internalError{msg: "Failed to render settings", err: err}
	}
	writeJSONBytes(w, http.StatusOK, body)
	return nil
}

// settingsUpdate is a validated SettingsUpdateRequest.
type settingsUpdate struct {
	agent, conversation, misc *jsonx.Object
	setActiveProfile          bool
	activeProfile             *string
	setAgentProfileID         bool
	agentProfileID            *string
}

func (u *settingsUpdate) empty() bool {
	return u.agent == nil && u.conversation == nil && u.misc == nil && !u.setActiveProfile && !u.setAgentProfileID
}

// diffField reads one of the *_diff members: object or null.
func diffField(body *jsonx.Object, key string, l *itemList) *jsonx.Object {
	v, ok := body.Get(key)
	if !ok || v == nil {
		return nil
	}
	o, isObj := v.(*jsonx.Object)
	if !isObj {
		l.add(typeDictType, loc("body", key), msgDictType, v, nil)
		return nil
	}
	return o
}

// pointerField reads active_profile / active_agent_profile_id: a string
// matching pattern, or null; presence matters.
func pointerField(body *jsonx.Object, key, pattern string, re interface{ MatchString(string) bool }, l *itemList) (*string, bool) {
	p, present := stringField(body, key, false, true, l, "body")
	if p != nil && !re.MatchString(*p) {
		l.add(typePattern, loc("body", key), fmt.Sprintf("String should match pattern '%s'", pattern), *p, jsonx.Obj("pattern", pattern))
	}
	return p, present
}

// patchSettings is PATCH /api/settings (server-api.md §4.2).
func (s *Server) patchSettings(w http.ResponseWriter, r *http.Request) error {
	body, err := s.parseJSONBody(w, r)
	if err != nil {
		return err
	}
	var l itemList
	u := &settingsUpdate{
		agent:        diffField(body, "agent_settings_diff", &l),
		conversation: diffField(body, "conversation_settings_diff", &l),
		misc:         diffField(body, "misc_settings_diff", &l),
	}
	u.activeProfile, u.setActiveProfile = pointerField(body, "active_profile", profileNamePattern, profileNameRe, &l)
	u.agentProfileID, u.setAgentProfileID = pointerField(body, "active_agent_profile_id", uuidPattern, uuidRe, &l)
	if err := l.err(); err != nil {
		return err
	}
	if u.empty() {
		return newHTTPError(http.StatusBadRequest, detailEmptyPatch)
	}
	next, err := s.applyUpdate(r, u, nil)
	if err != nil {
		return err
	}
	return s.respondSettings(w, http.StatusOK, next)
}

// maxPooledBuf is the largest response buffer kept for reuse.
const maxPooledBuf = 1 << 20

// respondSettings answers the redacted SettingsResponse of a write.
func (s *Server) respondSettings(w http.ResponseWriter, status int, st *model.Settings) error {
	obj, err := st.ResponseView(model.Redacted, s.c)
	if err != nil {
		return &internalError{msg: "Failed to render settings", err: err}
	}
	bp, _ := s.settings.bufs.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	body, err := jsonx.AppendMarshal((*bp)[:0], obj)
	if err != nil {
		writeJSON(w, status, obj) // answers the encoding failure
		return nil
	}
	writeJSONBytes(w, status, body) // the writer copies body
	if cap(body) <= maxPooledBuf {
		*bp = body
		s.settings.bufs.Put(bp)
	}
	return nil
}

// applyUpdate runs the PATCH machinery (profile auto-load, then merge,
// validate and save under the settings lock). pre runs inside the lock on
// the loaded settings before anything is merged (MCP preconditions).
func (s *Server) applyUpdate(r *http.Request, u *settingsUpdate, pre func(cur *model.Settings) error) (*model.Settings, error) {
	ctx := r.Context()
	if u.setActiveProfile && u.activeProfile != nil && *u.activeProfile != "" && (u.agent == nil || !u.agent.Has("llm")) {
		name := *u.activeProfile
		llm, err := s.loadProfile(ctx, name, true)
		if err != nil {
			return nil, err
		}
		rendered, err := model.RenderLLM(llm, model.Plaintext, s.c)
		if err != nil {
			return nil, &internalError{msg: "Failed to apply profile", err: err}
		}
		if u.agent == nil {
			u.agent = jsonx.NewObject()
		} else {
			u.agent = u.agent.Clone()
		}
		u.agent.Set("llm", rendered)
	}
	host := clientHost(r)
	var fresh validatedParts
	next, err := s.mutate(ctx, detailUpdateFailed, &fresh, func(cur *model.Settings) error {
		if pre != nil {
			if err := pre(cur); err != nil {
				return err
			}
		}
		if u.agent != nil {
			agent, err := s.mergeAgent(cur.Agent, u.agent)
			if err != nil {
				return s.validationFailed(host, err)
			}
			cur.Agent, fresh.agent = agent, agent
		}
		if u.conversation != nil {
			// DeepMerge copies what it takes from the diff.
			base := cur.Conversation.Clone()
			if base == nil {
				base = jsonx.NewObject()
			}
			merged := migrate.DeepMerge(base, u.conversation)
			if err := migrate.ConversationSettings(merged); err != nil {
				return s.validationFailed(host, err)
			}
			conv, err := model.ValidateConversationSettings(merged)
			if err != nil {
				return s.validationFailed(host, err)
			}
			cur.Conversation, fresh.conversation = conv, conv
		}
		if u.misc != nil {
			base := cur.Misc.Clone()
			if base == nil {
				base = jsonx.NewObject()
			}
			cur.Misc = migrate.DeepMerge(base, u.misc)
		}
		if u.setActiveProfile {
			cur.ActiveProfile = u.activeProfile
		}
		if u.setAgentProfileID {
			cur.ActiveAgentProfileID = u.agentProfileID
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if s.log.Enabled(ctx, slog.LevelInfo) {
		s.log.Info("Settings updated", "client_host", host,
			"agent_settings_modified", u.agent != nil,
			"conversation_settings_modified", u.conversation != nil,
			"misc_settings_modified", u.misc != nil)
	}
	return next, nil
}

// validationFailed logs and returns the fixed 422.
func (s *Server) validationFailed(host string, err error) error {
	s.log.Warn("Settings update validation failed", "client_host", host, "reason", safeErrText(err))
	return newHTTPError(http.StatusUnprocessableEntity, detailValidation)
}

// atCurrentAgentVersion reports whether doc's schema_version is the
// literal of the current agent version (migrate.AgentSettings then only
// touches its top level).
func atCurrentAgentVersion(doc *jsonx.Object) bool {
	v, _ := doc.Value("schema_version").(json.Number)
	return string(v) == strconv.Itoa(migrate.AgentSettingsVersion)
}

// mergeAgent applies agent_settings_diff (server-api.md §4.2.1).
//
// MergePatch copies what it takes from diff, so diff is not copied. cur is
// not copied either when the merged document is already at the current
// schema version: mergePatchShared then shares every member the diff does
// not touch with cur, which is safe because migrate.AgentSettings only
// rewrites the (fresh) top level of such a document and validation never
// modifies its input. Otherwise the document is merged into a deep copy of
// cur, as migration may rewrite nested members.
func (s *Server) mergeAgent(cur, diff *jsonx.Object) (*jsonx.Object, error) {
	curKind, _ := cur.String("agent_kind")
	var merged *jsonx.Object
	if k, ok := diff.Get("agent_kind"); ok && jsonx.Truthy(k) && k != any(curKind) {
		// Kind switch: nothing of the old settings is kept.
		merged = migrate.MergePatch(jsonx.Obj("agent_kind", jsonx.Clone(k)), diff)
	} else if cur == nil {
		merged = migrate.MergePatch(jsonx.NewObject(), diff)
	} else if merged = mergePatchShared(cur, diff); !atCurrentAgentVersion(merged) {
		merged = migrate.MergePatch(cur.Clone(), diff)
	}
	if err := migrate.AgentSettings(merged); err != nil {
		return nil, err
	}
	return model.ValidateAgentSettings(merged, model.Input{Cipher: s.c})
}

// mergePatchShared returns what migrate.MergePatch(base.Clone(), diff)
// returns, but copies only the objects on the paths the diff changes: the
// other members are shared with base, which is not modified.
func mergePatchShared(base, diff *jsonx.Object) *jsonx.Object {
	out := base.CloneShallow()
	for i := 0; i < diff.Len(); i++ {
		k, v := diff.At(i)
		if v == nil {
			out.Delete(k)
			continue
		}
		if dv, ok := v.(*jsonx.Object); ok {
			if bv := out.Object(k); bv != nil {
				out.Set(k, mergePatchShared(bv, dv))
				continue
			}
		}
		out.Set(k, jsonx.Clone(v))
	}
	return out
}

// mutateSettings loads settings.json under the settings lock (absent →
// defaults, unloadable → 409), lets fn change it, and saves it. I/O errors
// answer 500 with ioDetail. fn replaces parts of cur; it never modifies
// them in place (they may be shared with the caches).
func (s *Server) mutateSettings(ctx context.Context, ioDetail string, fn func(cur *model.Settings) error) (*model.Settings, error) {
	return s.mutate(ctx, ioDetail, nil, fn)
}

// validatedParts names the parts fn set to fresh validation output (for
// the file cache; nil parts: none).
type validatedParts struct{ agent, conversation *jsonx.Object }

// mutate is mutateSettings. When the saved settings are internal form —
// each of agent and conversation settings either loaded from the file or
// recorded in fresh as validation output — and the encoder reports them
// reusable, the written bytes and the settings are remembered in the file
// cache.
func (s *Server) mutate(ctx context.Context, ioDetail string, fresh *validatedParts, fn func(cur *model.Settings) error) (*model.Settings, error) {
	var out *model.Settings
	var ferr error
	lerr := s.st.Locked(ctx, store.SettingsLock, func(tx store.Tx) error {
		ferr = func() error {
			data, err := tx.Read(store.SettingsFile)
			var cur *model.Settings
			var loaded model.Settings // the parts as loaded from the file
			switch {
			case errors.Is(err, store.ErrNotExist):
				if cur, err = defaultSettings(); err != nil {
					return err
				}
			case err != nil:
				s.log.Error("Settings update failed - file I/O error", "error", err.Error())
				return newHTTPError(http.StatusInternalServerError, ioDetail)
			default:
				cur, err = s.loadSettingsFile(data)
				if err != nil {
					s.log.Error("Settings update blocked: settings file cannot be loaded", "reason", safeErrText(err))
					return newHTTPError(http.StatusConflict, detailCorruptSettings)
				}
				loaded = *cur
			}
			if err := fn(cur); err != nil {
				return err
			}
			// Room for the file as it was plus some growth.
			enc, reusable, err := model.AppendSettingsFileReusable(make([]byte, 0, len(data)+len(data)/16+1024), cur, s.c)
			if err != nil {
				return &internalError{msg: "Failed to encode settings", err: err}
			}
			if err := tx.Write(store.SettingsFile, enc); err != nil {
				s.log.Error("Settings update failed - file I/O error", "error", err.Error())
				return newHTTPError(http.StatusInternalServerError, ioDetail)
			}
			out = cur
			internal := func(part, fromFile, validated *jsonx.Object) bool {
				return part != nil && (part == fromFile || part == validated)
			}
			if fresh == nil {
				fresh = &validatedParts{}
			}
			if reusable && internal(cur.Agent, loaded.Agent, fresh.agent) &&
				internal(cur.Conversation, loaded.Conversation, fresh.conversation) {
				s.settings.file.Store(&fileEntry{data: enc, s: cur})
			}
			return nil
		}()
		return ferr
	})
	if ferr != nil {
		return nil, ferr
	}
	if lerr != nil {
		s.log.Error("Settings update failed - lock error", "error", lerr.Error())
		return nil, newHTTPError(http.StatusInternalServerError, ioDetail)
	}
	return out, nil
}

// agentSchema is GET /api/settings/agent-schema.
func (s *Server) agentSchema(w http.ResponseWriter, r *http.Request) error {
	return serveSchema(w, &s.schemas.agent, model.AgentSchema)
}

// conversationSchema is GET /api/settings/conversation-schema.
func (s *Server) conversationSchema(w http.ResponseWriter, r *http.Request) error {
	return serveSchema(w, &s.schemas.conversation, model.ConversationSchema)
}

func serveSchema(w http.ResponseWriter, slot *atomic.Pointer[[]byte], build func() *jsonx.Object) error {
	if b := slot.Load(); b != nil {
		writeJSONBytes(w, http.StatusOK, *b)
		return nil
	}
	doc := build()
	if doc == nil {
		return &internalError{msg: "settings schema is unavailable"}
	}
	b, err := jsonx.Marshal(doc)
	if err != nil {
		return &internalError{msg: "Failed to render schema", err: err}
	}
	slot.Store(&b)
	writeJSONBytes(w, http.StatusOK, b)
	return nil
}

// mcpExists reports whether the current agent settings have server key.
func mcpExists(cur *model.Settings, key string) bool {
	if cur == nil || cur.Agent == nil {
		return false
	}
	m := cur.Agent.Object("mcp_config")
	return m != nil && m.Has(key)
}

func mcpMustExist(key string) func(cur *model.Settings) error {
	return func(cur *model.Settings) error {
		if !mcpExists(cur, key) {
			return newHTTPError(http.StatusNotFound, fmt.Sprintf("MCP server '%s' was not found", key))
		}
		return nil
	}
}

// createMCP is POST /api/settings/mcp/{settings_key} (server-api.md §4.4).
func (s *Server) createMCP(w http.ResponseWriter, r *http.Request) error {
	key := r.PathValue("settings_key")
	body, err := s.parseJSONBody(w, r)
	if err != nil {
		return err
	}
	var l itemList
	srv, err := model.ValidateMCPServer(body, model.Input{})
	if err != nil {
		if prefixItems(err, &l, "body") {
			return l.err()
		}
		return &internalError{msg: "Failed to validate MCP server", err: err}
	}
	if enabled, ok := srv.Get("enabled"); ok && enabled == true {
		srv.Delete("enabled") // default values are not stored explicitly
	}
	u := &settingsUpdate{agent: jsonx.Obj("mcp_config", jsonx.Obj(key, srv))}
	next, err := s.applyUpdate(r, u, func(cur *model.Settings) error {
		if mcpExists(cur, key) {
			return newHTTPError(http.StatusConflict, fmt.Sprintf("MCP server '%s' already exists", key))
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.log.Info("MCP server created", "settings_key", key, "client_host", clientHost(r))
	return s.respondSettings(w, http.StatusCreated, next)
}

// patchMCP is PATCH /api/settings/mcp/{settings_key}.
func (s *Server) patchMCP(w http.ResponseWriter, r *http.Request) error {
	key := r.PathValue("settings_key")
	body, err := s.parseJSONBody(w, r)
	if err != nil {
		return err
	}
	var l itemList
	if err := model.ValidateMCPServerPatch(body); err != nil {
		if prefixItems(err, &l, "body") {
			return l.err()
		}
		return &internalError{msg: "Failed to validate MCP server patch", err: err}
	}
	u := &settingsUpdate{agent: jsonx.Obj("mcp_config", jsonx.Obj(key, body))}
	next, err := s.applyUpdate(r, u, mcpMustExist(key))
	if err != nil {
		return err
	}
	s.log.Info("MCP server updated", "settings_key", key, "client_host", clientHost(r))
	return s.respondSettings(w, http.StatusOK, next)
}

// deleteMCP is DELETE /api/settings/mcp/{settings_key}.
func (s *Server) deleteMCP(w http.ResponseWriter, r *http.Request) error {
	key := r.PathValue("settings_key")
	u := &settingsUpdate{agent: jsonx.Obj("mcp_config", jsonx.Obj(key, nil))}
	next, err := s.applyUpdate(r, u, mcpMustExist(key))
	if err != nil {
		return err
	}
	s.log.Info("MCP server deleted", "settings_key", key, "client_host", clientHost(r))
	return s.respondSettings(w, http.StatusOK, next)
}
