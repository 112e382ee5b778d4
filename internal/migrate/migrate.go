// Package migrate implements the persisted-data migration chains and the
// JSON merge rules of the settings API (spec persistence.md §8 and
// server-api.md §4.2.1–4.2.3). Everything works in place on jsonx documents.
package migrate

import (
	"errors"

	"github.com/openhands-go/sdk/internal/jsonx"
)

// Current schema versions.
const (
	PersistedSettingsVersion    = 2
	AgentSettingsVersion        = 5
	ConversationSettingsVersion = 1
	LLMProfileVersion           = 1
)

var errTODO = errors.New("migrate: not implemented yet")

// PersistedSettings migrates the top level of a settings.json document
// (§8.1) to version 2 in place. It does not touch the nested agent and
// conversation documents. Errors mean "unloadable".
func PersistedSettings(doc *jsonx.Object) error { return errTODO }

// AgentSettings runs the agent-settings chain (§8.2, v0→v5, then the
// always-applied llm→openhands rewrite) in place. Errors mean "unloadable".
func AgentSettings(doc *jsonx.Object) error { return errTODO }

// ConversationSettings runs the conversation-settings chain (§8.3) in place.
func ConversationSettings(doc *jsonx.Object) error { return errTODO }

// LLMProfile prepares a profile file (§8.5): checks and removes
// schema_version, then applies CanonicalizeOpenHandsLLM.
func LLMProfile(doc *jsonx.Object) error { return errTODO }

// CanonicalizeOpenHandsLLM applies the v3→v4 OpenHands-proxy rule to an LLM
// object in place.
func CanonicalizeOpenHandsLLM(llm *jsonx.Object) {}

// MergePatch applies an RFC 7386 merge patch (§4.2.1 merge branch): objects
// merge recursively, null deletes at any depth, anything else replaces.
// base is modified and returned (a nil base starts from an empty object).
func MergePatch(base, diff *jsonx.Object) *jsonx.Object { return base }

// DeepMerge applies the conversation/misc rule (§4.2.2, §4.2.3): at the top
// level null is stored as a value; inside nested objects null deletes; a key
// absent from base whose diff value is an object is copied wholesale; other
// values replace. base is modified and returned.
func DeepMerge(base, diff *jsonx.Object) *jsonx.Object { return base }
