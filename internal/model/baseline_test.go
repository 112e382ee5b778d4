package model

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/internal/jsonx"
	"github.com/openhands-go/sdk/internal/migrate"
)

const baselineDir = "../../testdata/upstream/persisted_settings_baselines"

// loadBaseline loads one stored payload of the given surface the way the
// server loads it (full migration + validation) and re-serialises it with
// plaintext secrets (persistence.md §8.6). It returns the document and the
// surface's current schema version.
func loadBaseline(t *testing.T, surface string, payload *jsonx.Object) (*jsonx.Object, int) {
	t.Helper()
	switch surface {
	case "agent_settings":
		require.NoError(t, migrate.AgentSettings(payload))
		internal, err := ValidateAgentSettings(payload, Input{FromDisk: true})
		require.NoError(t, err)
		out, err := RenderAgentSettings(internal, Plaintext, nil)
		require.NoError(t, err)
		return out, migrate.AgentSettingsVersion
	case "conversation_settings":
		require.NoError(t, migrate.ConversationSettings(payload))
		out, err := ValidateConversationSettings(payload)
		require.NoError(t, err)
		return out, migrate.ConversationSettingsVersion
	case "persisted_settings":
		data, err := jsonx.Marshal(payload)
		require.NoError(t, err)
		s, err := LoadSettingsFile(data, Input{})
		require.NoError(t, err)
		agent, err := RenderAgentSettings(s.Agent, Plaintext, nil)
		require.NoError(t, err)
		requireJSON(t, `5`, agent.Value("schema_version"))
		requireJSON(t, `1`, s.Conversation.Value("schema_version"))
		return jsonx.Obj(
			"schema_version", json.Number("2"),
			"agent_settings", agent,
			"conversation_settings", s.Conversation,
			"active_profile", strOrNil(s.ActiveProfile),
			"active_agent_profile_id", strOrNil(s.ActiveAgentProfileID),
			"misc_settings", s.Misc,
		), migrate.PersistedSettingsVersion
	}
	t.Fatalf("unknown surface %s", surface)
	return nil, 0
}

func TestBaselines(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(baselineDir, "v*", "*.json"))
	require.NoError(t, err)
	surfaces := []string{"agent_settings", "conversation_settings", "persisted_settings"}
	seen := map[string]map[int]bool{}
	ran := 0
	for _, file := range files {
		base := filepath.Base(file)
		var surface string
		for _, s := range surfaces {
			if strings.HasPrefix(base, s+"_") || base == s+".json" {
				surface = s
			}
		}
		if surface == "" {
			continue // agent_profile_* baselines: agent profiles are not implemented
		}
		ran++
		rel, _ := filepath.Rel(baselineDir, file)
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			payload, err := jsonx.ParseObject(data)
			require.NoError(t, err)
			expected := payload.Object("__expected__")
			payload.Delete("__expected__")

			dirVersion := strings.TrimPrefix(filepath.Base(filepath.Dir(file)), "v")
			requireJSON(t, dirVersion, payload.Value("schema_version"))
			v, err := payload.Value("schema_version").(json.Number).Int64()
			require.NoError(t, err)
			if seen[surface] == nil {
				seen[surface] = map[int]bool{}
			}
			seen[surface][int(v)] = true

			loaded, current := loadBaseline(t, surface, payload)
			requireJSON(t, itoa(current), loaded.Value("schema_version"))
			require.NotNil(t, expected, "baseline without __expected__")
			for _, path := range expected.Keys() {
				got, ok := get(loaded, path)
				require.True(t, ok, "%s: missing path %s", rel, path)
				want := expected.Value(path)
				if !jsonx.Equal(want, got) {
					wb, _ := jsonx.Marshal(want)
					gb, _ := jsonx.Marshal(got)
					require.Failf(t, "baseline mismatch", "%s: %s: want %s, got %s", rel, path, wb, gb)
				}
			}
		})
	}
	require.Equal(t, 9, ran, "agent, conversation and persisted-settings baselines")
	// upstream CI rule: at least one baseline for every version 1..current
	for surface, current := range map[string]int{"agent_settings": migrate.AgentSettingsVersion, "conversation_settings": migrate.ConversationSettingsVersion, "persisted_settings": migrate.PersistedSettingsVersion} {
		for v := 1; v <= current; v++ {
			require.True(t, seen[surface][v], "%s has no v%d baseline", surface, v)
		}
	}
}
