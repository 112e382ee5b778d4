package model

import (
	"strings"

	"github.com/openhands-go/sdk/internal/jsonx"
)

// The schema metadata documents of server-api.md §4.3, exported from the
// same model tables as validation (mirroring upstream export_settings_schema
// and export_agent_settings_schema). They are static: built once at package
// initialisation and copied on every call.

var (
	agentSchemaDoc        = buildAgentSchema()
	conversationSchemaDoc = exportSchema(schemas.conversation, "ConversationSettings").doc()
)

// AgentSchema returns the GET /api/settings/agent-schema document.
func AgentSchema() *jsonx.Object { return agentSchemaDoc.Clone() }

// ConversationSchema returns the GET /api/settings/conversation-schema document.
func ConversationSchema() *jsonx.Object { return conversationSchemaDoc.Clone() }

type schemaSection struct {
	key, label, variant string
	fields              []*jsonx.Object
	keys                map[string]*jsonx.Object
}

type settingsSchema struct {
	name     string
	sections []*schemaSection
}

func (s *settingsSchema) doc() *jsonx.Object {
	secs := make([]any, 0, len(s.sections))
	for _, sec := range s.sections {
		fields := make([]any, len(sec.fields))
		for i, f := range sec.fields {
			fields[i] = f
		}
		secs = append(secs, jsonx.Obj(
			"key", sec.key,
			"label", sec.label,
			"fields", fields,
			"variant", strOrNull(sec.variant),
		))
	}
	return jsonx.Obj("model_name", s.name, "sections", secs)
}

func strOrNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

var generalSection = sectionMeta{key: "general", label: "General"}

// exportSchema walks one model (upstream export_settings_schema).
func exportSchema(m *model, name string) *settingsSchema {
	s := &settingsSchema{name: name}
	byKey := map[string]*schemaSection{}
	ensure := func(meta *sectionMeta) *schemaSection {
		if sec, ok := byKey[meta.key]; ok {
			return sec
		}
		label := meta.label
		if label == "" {
			label = humanize(meta.key)
		}
		sec := &schemaSection{key: meta.key, label: label, variant: meta.variant, keys: map[string]*jsonx.Object{}}
		byKey[meta.key] = sec
		s.sections = append(s.sections, sec)
		return sec
	}
	for _, f := range m.fields {
		if f.computed != nil {
			continue
		}
		nested := nestedModels(f.t)
		if f.section != nil && len(nested) > 0 {
			sec := ensure(f.section)
			def, _ := f.def().(*jsonx.Object)
			for _, nm := range nested {
				for _, nf := range nm.fields {
					if nf.computed != nil {
						continue
					}
					meta := nf.meta
					if meta == nil {
						if f.section.optIn {
							continue
						}
						meta = &fieldMeta{}
					}
					key := f.section.key + "." + nf.name
					if existing, ok := sec.keys[key]; ok {
						mergeChoices(existing, nf.t)
						continue
					}
					deps := make([]string, len(meta.dependsOn))
					for i, d := range meta.dependsOn {
						deps[i] = f.section.key + "." + d
					}
					var defVal any
					if def != nil {
						defVal = jsonx.Clone(def.Value(nf.name))
					}
					fs := fieldSchema(key, nf.name, meta, sec, nf.t, defVal, deps)
					sec.keys[key] = fs
					sec.fields = append(sec.fields, fs)
				}
			}
			continue
		}
		if f.meta == nil {
			continue
		}
		meta := f.section
		if meta == nil {
			meta = &generalSection
		}
		sec := ensure(meta)
		var defVal any
		if f.def != nil {
			defVal = f.def()
		}
		fs := fieldSchema(f.name, f.name, f.meta, sec, f.t, defVal, append([]string{}, f.meta.dependsOn...))
		sec.keys[f.name] = fs
		sec.fields = append(sec.fields, fs)
	}
	return s
}

func fieldSchema(key, name string, meta *fieldMeta, sec *schemaSection, t *typ, def any, deps []string) *jsonx.Object {
	label := meta.label
	if label == "" {
		label = humanize(name)
	}
	prominence := meta.prominence
	if prominence == "" {
		prominence = minor
	}
	variant := meta.variant
	if variant == "" {
		variant = sec.variant
	}
	if t.secret == secretField {
		def = nil
	}
	depList := make([]any, len(deps))
	for i, d := range deps {
		depList[i] = d
	}
	return jsonx.Obj(
		"key", key,
		"label", label,
		"description", strOrNull(meta.desc),
		"section", sec.key,
		"section_label", sec.label,
		"value_type", valueType(t),
		"default", def,
		"prominence", prominence,
		"depends_on", depList,
		"secret", t.secret == secretField,
		"choices", choices(t),
		"variant", strOrNull(variant),
	)
}

func choices(t *typ) []any {
	out := make([]any, 0, len(t.enum))
	for _, e := range t.enum {
		out = append(out, jsonx.Obj("value", e, "label", e))
	}
	return out
}

// mergeChoices adds the literal choices of another union variant's field.
func mergeChoices(fs *jsonx.Object, t *typ) {
	cur, _ := fs.Value("choices").([]any)
	seen := map[string]bool{}
	for _, c := range cur {
		if s, ok := c.(*jsonx.Object).String("value"); ok {
			seen[s] = true
		}
	}
	for _, e := range t.enum {
		if !seen[e] {
			cur = append(cur, jsonx.Obj("value", e, "label", e))
			seen[e] = true
		}
	}
	fs.Set("choices", cur)
}

func nestedModels(t *typ) []*model {
	switch t.kind {
	case kModel:
		return []*model{t.model}
	case kUnion:
		out := make([]*model, 0, len(t.union.tags))
		for _, tag := range t.union.tags {
			out = append(out, t.union.variants[tag])
		}
		return out
	}
	return nil
}

func valueType(t *typ) string {
	switch t.kind {
	case kInt:
		return "integer"
	case kNumber:
		return "number"
	case kBool:
		return "boolean"
	case kArray:
		return "array"
	case kModel, kUnion, kMap, kObject:
		return "object"
	}
	return "string"
}

// humanize mirrors upstream _humanize_name.
func humanize(name string) string {
	acronyms := map[string]bool{"api": true, "aws": true, "id": true, "llm": true, "url": true}
	parts := strings.Split(name, "_")
	for i, p := range parts {
		if acronyms[p] {
			parts[i] = strings.ToUpper(p)
		} else if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + strings.ToLower(p[1:])
		}
	}
	return strings.Join(parts, " ")
}

// buildAgentSchema merges the two variants' schemas (upstream
// export_agent_settings_schema): the shared "general" section keeps
// variant null, other sections are tagged with their variant, and sections
// with the same key and variant are unioned by field key.
func buildAgentSchema() *jsonx.Object {
	merged := &settingsSchema{name: "AgentSettings"}
	type sk struct{ key, variant string }
	byKey := map[sk]*schemaSection{}
	add := func(s *settingsSchema, defVariant string) {
		for _, sec := range s.sections {
			variant := sec.variant
			if !(sec.key == generalSection.key && sec.variant == "") && variant == "" {
				variant = defVariant
			}
			k := sk{sec.key, variant}
			existing := byKey[k]
			if existing == nil {
				c := *sec
				c.variant = variant
				c.fields = append([]*jsonx.Object(nil), sec.fields...)
				byKey[k] = &c
				merged.sections = append(merged.sections, &c)
				continue
			}
			for _, f := range sec.fields {
				key, _ := f.String("key")
				if _, seen := existing.keys[key]; !seen {
					existing.fields = append(existing.fields, f)
					existing.keys[key] = f
				}
			}
		}
	}
	add(exportSchema(schemas.openhands, "OpenHandsAgentSettings"), "openhands")
	add(exportSchema(schemas.acp, "ACPAgentSettings"), "acp")
	return merged.doc()
}
