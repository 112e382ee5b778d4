package migrate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/openhands-go/sdk/internal/jsonx"
)

var mergeSeeds = [][2]string{
	{`{}`, `{}`},
	{`{"a":1,"b":{"c":2}}`, `{"a":null,"b":{"c":null,"d":[null]}}`},
	{`{"a":5}`, `{"a":{"x":null,"y":{"z":null}}}`},
	{`{"a":{"x":1}}`, `{"a":{"x":{"y":null}},"n":null}`},
	{`{"llm":{"model":"m","api_key":"k"},"tools":null}`, `{"llm":{"api_key":null},"tools":[{"name":"t"}]}`},
	{`{"ui":{"theme":"dark","tags":["a"]}}`, `{"ui":{"theme":null,"tags":[]},"top":null}`},
	{`{"a":[1,{"b":null}]}`, `{"a":{"b":null}}`},
}

// byteGen turns fuzz bytes into JSON values so that every input yields
// valid documents (random bytes rarely parse as two JSON objects).
type byteGen struct{ data []byte }

func (g *byteGen) next() byte {
	if len(g.data) == 0 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return b
}

func (g *byteGen) object(depth int) *jsonx.Object {
	o := jsonx.NewObject()
	n := int(g.next() % 5)
	for i := 0; i < n; i++ {
		o.Set(string(rune('a'+g.next()%4)), g.value(depth+1))
	}
	return o
}

func (g *byteGen) value(depth int) any {
	c := g.next()
	if depth > 4 {
		c %= 4
	}
	switch c % 7 {
	case 0:
		return nil
	case 1:
		return json.Number(strconv.Itoa(int(g.next())))
	case 2:
		return string(rune('x' + g.next()%3))
	case 3:
		return g.next()%2 == 0
	case 4:
		return []any{g.value(depth + 1)}
	default:
		return g.object(depth)
	}
}

func parseObjects(a, b []byte) (*jsonx.Object, *jsonx.Object, bool) {
	x, err := jsonx.ParseObject(a)
	if err != nil {
		return nil, nil, false
	}
	y, err := jsonx.ParseObject(b)
	if err != nil {
		return nil, nil, false
	}
	return x, y, true
}

// rfc7386 is an independent, out-of-place implementation of RFC 7386
// MergePatch used as a reference model.
func rfc7386(target, patch any) any {
	p, ok := patch.(*jsonx.Object)
	if !ok {
		return jsonx.Clone(patch)
	}
	out := jsonx.NewObject()
	if t, ok := target.(*jsonx.Object); ok {
		out = t.Clone()
	}
	for _, k := range p.Keys() {
		v := p.Value(k)
		if v == nil {
			out.Delete(k)
			continue
		}
		cur, _ := out.Get(k)
		out.Set(k, rfc7386(cur, v))
	}
	return out
}

// upstreamMerge is an out-of-place model of upstream's _merge_patch (and,
// with top=true semantics for null, of the conversation deep merge).
func upstreamMerge(base, diff *jsonx.Object, nullStoredAtTop, top bool) *jsonx.Object {
	out := base.Clone()
	for _, k := range diff.Keys() {
		v := diff.Value(k)
		if v == nil && !(nullStoredAtTop && top) {
			out.Delete(k)
			continue
		}
		dv, dok := v.(*jsonx.Object)
		bv := out.Object(k)
		if dok && bv != nil {
			out.Set(k, upstreamMerge(bv, dv, nullStoredAtTop, false))
			continue
		}
		out.Set(k, jsonx.Clone(v))
	}
	return out
}

// markAll sets a marker member in every object reachable from v, to detect
// aliasing between a result and its inputs.
func markAll(v any) {
	switch t := v.(type) {
	case *jsonx.Object:
		for _, k := range t.Keys() {
			markAll(t.Value(k))
		}
		t.Set("\x00fuzz-marker", true)
	case []any:
		for _, e := range t {
			markAll(e)
		}
	}
}

// checkMergedNullsDeleted: wherever the diff was merged into an object of the
// base (top level, and recursively where both sides are objects), a null in
// the diff means the member is absent from the result.
func checkMergedNullsDeleted(t *testing.T, base, diff, res *jsonx.Object, top, nullStoredAtTop bool) {
	t.Helper()
	for _, k := range diff.Keys() {
		v := diff.Value(k)
		if v == nil {
			if top && nullStoredAtTop {
				got, ok := res.Get(k)
				if !ok || got != nil {
					t.Fatalf("top-level null for %q not stored", k)
				}
			} else if res.Has(k) {
				t.Fatalf("null for %q did not delete the member", k)
			}
			continue
		}
		dv, dok := v.(*jsonx.Object)
		bv := base.Object(k)
		if dok && bv != nil {
			rv := res.Object(k)
			if rv == nil {
				t.Fatalf("merged member %q is no longer an object", k)
			}
			checkMergedNullsDeleted(t, bv, dv, rv, false, nullStoredAtTop)
		}
	}
}

func mustEqual(t *testing.T, what string, want, got any) {
	t.Helper()
	if !jsonx.Equal(want, got) {
		w, _ := jsonx.Marshal(want)
		g, _ := jsonx.Marshal(got)
		t.Fatalf("%s:\nwant %s\ngot  %s", what, w, g)
	}
}

// FuzzMergePatch checks MergePatch against the upstream model, that nulls
// delete wherever the diff merges into existing objects, that the diff is
// neither modified nor aliased, and that re-applying the patch converges:
// applying it twice equals strict RFC 7386 and a third application changes
// nothing (idempotence). A single application is not idempotent by design:
// upstream copies an object that replaces a non-object wholesale, nulls
// included, and only a second pass merges into it.
func FuzzMergePatch(f *testing.F) {
	for _, s := range mergeSeeds {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		base, diff, ok := parseObjects(a, b)
		if !ok {
			// Not JSON: derive two documents from the bytes instead.
			g := &byteGen{data: append(append([]byte(nil), a...), b...)}
			base, diff = g.object(0), g.object(0)
		}
		baseCopy, diffCopy := base.Clone(), diff.Clone()

		once := MergePatch(base.Clone(), diff)
		mustEqual(t, "diff modified", diffCopy, diff)
		mustEqual(t, "differs from upstream model", upstreamMerge(baseCopy, diffCopy, false, true), once)
		checkMergedNullsDeleted(t, baseCopy, diffCopy, once, true, false)

		twice := MergePatch(once.Clone(), diff)
		mustEqual(t, "twice differs from RFC 7386", rfc7386(baseCopy, diffCopy), twice)
		thrice := MergePatch(twice.Clone(), diff)
		mustEqual(t, "not idempotent", twice, thrice)
		if !hasNull(diffCopy) {
			mustEqual(t, "null-free patch not idempotent", once, twice)
		}

		markAll(once)
		mustEqual(t, "result aliases diff", diffCopy, diff)

		if _, err := jsonx.Marshal(once); err != nil {
			t.Fatalf("result does not marshal: %v", err)
		}
	})
}

func hasNull(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case *jsonx.Object:
		for _, k := range t.Keys() {
			if hasNull(t.Value(k)) {
				return true
			}
		}
	case []any:
		for _, e := range t {
			if hasNull(e) {
				return true
			}
		}
	}
	return false
}

// FuzzDeepMerge checks DeepMerge against the upstream model: top-level nulls
// are stored, nested nulls delete where merged, the diff is neither modified
// nor aliased, and repeated application converges after the second pass.
func FuzzDeepMerge(f *testing.F) {
	for _, s := range mergeSeeds {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		base, diff, ok := parseObjects(a, b)
		if !ok {
			// Not JSON: derive two documents from the bytes instead.
			g := &byteGen{data: append(append([]byte(nil), a...), b...)}
			base, diff = g.object(0), g.object(0)
		}
		baseCopy, diffCopy := base.Clone(), diff.Clone()

		once := DeepMerge(base.Clone(), diff)
		mustEqual(t, "diff modified", diffCopy, diff)
		mustEqual(t, "differs from upstream model", upstreamMerge(baseCopy, diffCopy, true, true), once)
		checkMergedNullsDeleted(t, baseCopy, diffCopy, once, true, true)

		twice := DeepMerge(once.Clone(), diff)
		thrice := DeepMerge(twice.Clone(), diff)
		mustEqual(t, "not idempotent", twice, thrice)
		if !hasNull(diffCopy) {
			mustEqual(t, "null-free patch not idempotent", once, twice)
		}

		markAll(once)
		mustEqual(t, "result aliases diff", diffCopy, diff)
	})
}

// FuzzAgentSettings runs every migration on arbitrary JSON objects: no
// panics; on success the documents carry the current version, re-migrating
// is a no-op, and the result still serialises to parseable JSON.
func FuzzAgentSettings(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(baselineDir, "v*", "*.json"))
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		`{}`,
		`{"schema_version":4,"mcp_config":{"mcpServers":{"sse":{"url":"https://mcp.linear.app/sse","type":"sse","auth":"oauth","authentication":{},"oauth_credentials":{"mcp-oauth-token":{"a/tokens":{"value":{"access_token":"x"}}},"mcp-oauth-client-info":{"b":{"client_id":"c"}},"mcp-oauth-token-expiry":{"c":{"expires_at":1}}}},"shttp":{"headers":{"Authorization":"Bearer t"}}}}}`,
		`{"schema_version":4,"mcp_config":{"s":{"auth":{"strategy":"oauth2","credentials":{"mcp-oauth-token":[]},"state":5}}}}`,
		`{"schema_version":3,"llm":{"model":"litellm_proxy/gpt-5.5","base_url":"https://llm-proxy.app.all-hands.dev/v1"}}`,
		`{"schema_version":true}`,
		`{"schema_version":-0}`,
		`{"schema_version":1e400}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := jsonx.ParseObject(data)
		if err != nil {
			return
		}
		checks := []struct {
			run     func(*jsonx.Object) error
			version string
		}{
			{AgentSettings, "5"},
			{ConversationSettings, "1"},
			{PersistedSettings, "2"},
			{LLMProfile, ""},
		}
		for _, c := range checks {
			d := doc.Clone()
			if err := c.run(d); err != nil {
				mustEqual(t, "unloadable document modified", doc, d)
				continue
			}
			if c.version != "" {
				v, _ := jsonx.Marshal(d.Value("schema_version"))
				if string(v) != c.version {
					t.Fatalf("schema_version %s after migration, want %s", v, c.version)
				}
			}
			again := d.Clone()
			if err := c.run(again); err != nil {
				t.Fatalf("re-migration failed: %v", err)
			}
			mustEqual(t, "re-migration changed the document", d, again)
			out, err := jsonx.Marshal(d)
			if err != nil {
				t.Fatalf("marshal: %v", err)
			}
			back, err := jsonx.Parse(out)
			if err != nil {
				t.Fatalf("migrated document does not re-parse: %v", err)
			}
			mustEqual(t, "round trip", d, back)
		}
		if d := doc.Clone(); AgentSettings(d) == nil {
			if k, ok := d.String("agent_kind"); ok && k == "llm" {
				t.Fatal("agent_kind llm survived migration")
			}
		}
	})
}
