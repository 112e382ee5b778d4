package model

import (
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/openhands-go/sdk/internal/jsonx"
)

// Current schema versions of the documents validated here.
const (
	agentSchemaVersion        = 5
	conversationSchemaVersion = 1
	settingsFileVersion       = 2
	profileFileVersion        = 1
)

// DefaultLLMModel is the model of the default LLM configuration.
const DefaultLLMModel = "gpt-5.5"

// Prominence values of the schema endpoints.
const (
	critical = "critical"
	major    = "major"
	minor    = "minor"
)

// registry holds every model of the settings data model.
type registry struct {
	llm          *model
	openhands    *model
	acp          *model
	agent        *union
	condenser    *union
	verification *model
	agentContext *model
	secretSource *union
	mcpServer    *model
	mcpPatch     *model
	auth         *union
	conversation *model

	agentT        *typ
	llmT          *typ
	mcpServerT    *typ
	mcpPatchT     *typ
	conversationT *typ
}

// schemas is built once at package initialisation and is read-only.
var schemas = buildRegistry()

func num(lit string) json.Number { return json.Number(lit) }

func buildRegistry() *registry {
	r := &registry{}
	r.llm = buildLLM()
	r.mcpServer, r.auth = buildMCP()
	r.mcpPatch = buildMCPPatch()
	r.secretSource = buildSecretSources()
	r.agentContext = buildAgentContext(r.secretSource)
	r.condenser = buildCondenser()
	r.verification = buildVerification()

	mcpConfig := func() *typ { return tMap(tModel(r.mcpServer)) }
	schemaVersion := fld("schema_version", tInt().ge("1"), num("5"))

	r.openhands = newModel("OpenHandsAgentSettings", extraIgnore,
		schemaVersion,
		fld("agent_kind", tEnum("openhands"), "openhands"),
		fld("agent", tString(), "CodeActAgent").
			m(fieldMeta{label: "Agent", desc: "Agent class to use.", prominence: major, variant: "openhands"}),
		fldFn("llm", tModel(r.llm), r.llm.defaultFn()).
			in(sectionMeta{key: "llm", label: "LLM", variant: "openhands"}),
		fld("tools", tArray(tModel(buildTool())).null(), nil).
			m(fieldMeta{label: "Tools", desc: "Tools available to the agent; null selects the default tool set, [] no tools.", prominence: major, variant: "openhands"}),
		fld("enable_sub_agents", tBool(), false).
			m(fieldMeta{label: "Enable sub-agents", desc: "Enable sub-agent delegation.", prominence: major, variant: "openhands"}),
		fld("enable_switch_llm_tool", tBool(), true).
			m(fieldMeta{label: "Enable LLM switching tool", desc: "Enable the built-in tool that switches between saved LLM profiles.", prominence: minor, variant: "openhands"}),
		fld("tool_concurrency_limit", tInt().ge("1"), num("1")).
			m(fieldMeta{label: "Parallel tool calls", desc: "Maximum number of tool calls executed concurrently per agent step.", prominence: major, variant: "openhands"}),
		fld("mcp_config", mcpConfig(), jsonx.NewObject()).
			m(fieldMeta{label: "MCP servers", desc: "MCP servers available to the agent.", prominence: minor, variant: "openhands"}),
		fldFn("agent_context", tModel(r.agentContext), r.agentContext.defaultFn()).
			in(sectionMeta{key: "agent_context", label: "Memory", variant: "openhands", optIn: true}),
		fldFn("condenser", tUnion(r.condenser), r.condenser.defaultFn()).
			in(sectionMeta{key: "condenser", label: "Condenser", variant: "openhands"}),
		fldFn("verification", tModel(r.verification), r.verification.defaultFn()).
			in(sectionMeta{key: "verification", label: "Verification", variant: "openhands"}),
	)

	acpSection := sectionMeta{key: "acp", label: "ACP (Agent Client Protocol)", variant: "acp"}
	r.acp = newModel("ACPAgentSettings", extraIgnore,
		schemaVersion,
		fld("agent_kind", tEnum("acp"), "acp"),
		fld("acp_server", tEnum("claude-code", "codex", "gemini-cli", "custom"), "claude-code").
			m(fieldMeta{label: "ACP server", desc: "Which ACP-compatible backend to launch.", prominence: critical}).in(acpSection),
		fld("acp_command", tArray(tString()), []any{}).
			m(fieldMeta{label: "ACP command (custom override)", desc: "Explicit command launching the ACP subprocess; required when acp_server is custom.", prominence: minor}).in(acpSection),
		fld("acp_args", tArray(tString()), []any{}).
			m(fieldMeta{label: "ACP extra args", desc: "Additional arguments appended to the ACP server command.", prominence: minor}).in(acpSection),
		fld("acp_model", tString().null(), nil).
			m(fieldMeta{label: "ACP model", desc: "Model identifier for the ACP server; blank lets the server choose.", prominence: critical}).in(acpSection),
		fld("acp_session_mode", tString().null(), nil).
			m(fieldMeta{label: "ACP session mode", desc: "Session mode ID; blank auto-detects it from the server type.", prominence: minor}).in(acpSection),
		fld("acp_prompt_timeout", tNumber().gt("0"), num("1800.0")).
			m(fieldMeta{label: "ACP prompt timeout (seconds)", desc: "Timeout in seconds for one ACP prompt round-trip.", prominence: minor}).in(acpSection),
		fld("acp_startup_timeout", tNumber().gt("0"), num("90.0")).
			m(fieldMeta{label: "ACP startup timeout (seconds)", desc: "Timeout in seconds for starting the ACP server.", prominence: minor}).in(acpSection),
		fld("mcp_config", mcpConfig(), jsonx.NewObject()).
			m(fieldMeta{label: "MCP servers", desc: "MCP servers forwarded to the ACP subprocess.", prominence: minor, variant: "acp"}),
		fld("acp_isolate_data_dir", tBool(), false),
		fldFn("acp_file_secrets", tArray(tModel(buildFileSecretSpec())), defaultACPFileSecrets),
		fldFn("llm", tModel(r.llm), r.llm.defaultFn()).
			in(sectionMeta{key: "llm", label: "LLM (for metrics)", variant: "acp"}),
		fld("agent_context", tModel(r.agentContext).null(), nil),
	)

	r.agent = newUnion("AgentSettings", "agent_kind", "openhands", r.openhands, r.acp)
	r.agent.alias = map[string]string{"llm": "openhands"}

	r.conversation = newModel("ConversationSettings", extraIgnore,
		fld("schema_version", tInt().ge("1"), num("1")),
		fld("max_iterations", tInt().ge("1"), num("500")).
			m(fieldMeta{label: "Max iterations", desc: "Maximum number of iterations the conversation runs before stopping.", prominence: major}),
		fld("confirmation_mode", tBool(), false).
			m(fieldMeta{label: "Confirmation mode", desc: "Require user confirmation before executing risky actions.", prominence: critical}).
			in(sectionMeta{key: "verification", label: "Verification"}),
		fld("security_analyzer", tEnum("llm", "none").null(), "llm").
			m(fieldMeta{label: "Security analyzer", desc: "Security analyzer that evaluates actions before execution.", prominence: major, dependsOn: []string{"confirmation_mode"}}).
			in(sectionMeta{key: "verification", label: "Verification"}),
	)

	r.agentT = tUnion(r.agent)
	r.llmT = tModel(r.llm)
	r.mcpServerT = tModel(r.mcpServer)
	r.conversationT = tModel(r.conversation)
	r.mcpPatchT = tModel(r.mcpPatch)
	for _, t := range []*typ{r.agentT, r.llmT, r.mcpServerT, r.conversationT, r.mcpPatchT} {
		markSecrets(t)
	}
	return r
}

// ---- LLM (data-model.md §3) ---------------------------------------------

func buildLLM() *model {
	mm := func(name string, t *typ, def any) *field {
		return fld(name, t, def).m(fieldMeta{})
	}
	secret := func(name string) *field {
		return fld(name, tString().null().sec(secretField), nil).m(fieldMeta{})
	}
	m := newModel("LLM", extraIgnore,
		fld("model", tString(), DefaultLLMModel).m(fieldMeta{desc: "Model name.", prominence: critical}),
		fld("api_key", tString().null().sec(secretField), nil).m(fieldMeta{label: "API Key", desc: "API key.", prominence: critical}),
		fld("provider_connection_id", tString().null(), nil).m(fieldMeta{desc: "Provider connection whose API key and base URL are applied when the profile is loaded.", prominence: major}),
		fld("auth_type", tEnum("api_key", "subscription"), "api_key").m(fieldMeta{label: "Authentication", desc: "Authentication mode for the LLM.", prominence: critical}),
		fld("subscription_vendor", tEnum("openai").null(), nil).m(fieldMeta{label: "Subscription provider", desc: "Subscription provider for subscription-backed LLM access.", prominence: critical, dependsOn: []string{"auth_type"}}),
		fld("base_url", tString().null(), nil).m(fieldMeta{desc: "Custom base URL.", prominence: major}),
		fld("api_version", tString().null(), nil).m(fieldMeta{desc: "API version (e.g. Azure)."}),
		secret("aws_access_key_id"),
		secret("aws_secret_access_key"),
		secret("aws_session_token"),
		mm("aws_region_name", tString().null(), nil),
		mm("aws_profile_name", tString().null(), nil),
		mm("aws_role_name", tString().null(), nil),
		mm("aws_session_name", tString().null(), nil),
		mm("aws_bedrock_runtime_endpoint", tString().null(), nil),
		mm("openrouter_site_url", tString(), "https://docs.all-hands.dev/"),
		mm("openrouter_app_name", tString(), "OpenHands"),
		mm("num_retries", tInt().ge("0"), num("5")),
		mm("retry_multiplier", tNumber().ge("0"), num("8.0")),
		mm("retry_min_wait", tInt().ge("0"), num("8")),
		mm("retry_max_wait", tInt().ge("0"), num("64")),
		fld("timeout", tInt().ge("0").null(), num("300")).m(fieldMeta{desc: "HTTP timeout in seconds; null disables the timeout."}),
		fld("max_message_chars", tInt().ge("1"), num("30000")).m(fieldMeta{desc: "Approximate maximum characters of each event sent to the LLM."}),
		fld("temperature", tNumber().ge("0").null(), nil).m(fieldMeta{desc: "Sampling temperature; null uses the provider default."}),
		fld("top_p", tNumber().ge("0").le("1").null(), nil).m(fieldMeta{desc: "Nucleus sampling parameter; null uses the provider default."}),
		mm("top_k", tNumber().ge("0").null(), nil),
		fld("max_input_tokens", tInt().ge("1").null(), nil).m(fieldMeta{desc: "Maximum number of input tokens."}),
		fld("max_output_tokens", tInt().ge("1").null(), nil).m(fieldMeta{desc: "Maximum number of output tokens."}),
		fld("model_canonical_name", tString().null(), nil).m(fieldMeta{desc: "Canonical model name used for capability lookups."}),
		fld("api_mode", tEnum("auto", "chat", "responses"), "auto").m(fieldMeta{desc: "LLM API endpoint mode."}),
		fld("capability_overrides", tMap(tAlt(tBool(), tString())), jsonx.NewObject()).m(fieldMeta{desc: "Explicit model capability overrides."}),
		fld("extra_headers", tMap(tString()).null(), nil).m(fieldMeta{desc: "Extra HTTP headers forwarded to LLM requests."}),
		fld("input_cost_per_token", tNumber().ge("0").null(), nil).m(fieldMeta{desc: "Cost per input token."}),
		fld("output_cost_per_token", tNumber().ge("0").null(), nil).m(fieldMeta{desc: "Cost per output token."}),
		mm("ollama_base_url", tString().null(), nil),
		fld("stream", tBool(), false).m(fieldMeta{desc: "Enable streaming responses."}),
		mm("drop_params", tBool(), true),
		fld("modify_params", tBool(), true).m(fieldMeta{desc: "Deprecated; let LiteLLM adjust request parameters."}),
		fld("disable_vision", tBool().null(), nil).m(fieldMeta{desc: "Disable image processing for vision-capable models."}),
		fld("disable_stop_word", tBool().null(), false).m(fieldMeta{desc: "Disable the use of stop words."}),
		fld("caching_prompt", tBool(), true).m(fieldMeta{desc: "Enable prompt caching."}),
		fld("log_completions", tBool(), false).m(fieldMeta{desc: "Enable logging of completions."}),
		fld("log_completions_folder", tString(), "logs/completions").m(fieldMeta{desc: "Folder completions are logged to."}),
		fld("custom_tokenizer", tString().null(), nil).m(fieldMeta{desc: "Custom tokenizer used for token counting."}),
		fld("native_tool_calling", tBool(), true).m(fieldMeta{desc: "Use native tool calling."}),
		fld("force_string_serializer", tBool().null(), nil).m(fieldMeta{desc: "Force the string content serializer; null auto-detects."}),
		fld("inline_image_urls", tBool().null(), nil).m(fieldMeta{desc: "Inline image URLs as data URLs; null auto-detects."}),
		fld("reasoning_effort", tString().null(), "high").m(fieldMeta{desc: "Reasoning effort (low, medium, high, xhigh, none, ...)."}),
		fld("reasoning_summary", tEnum("auto", "concise", "detailed").null(), nil).m(fieldMeta{desc: "Detail level of reasoning summaries."}),
		fld("enable_encrypted_reasoning", tBool(), true).m(fieldMeta{desc: "Request encrypted reasoning content from the Responses API."}),
		fld("prompt_cache_retention", tString().null(), "24h").m(fieldMeta{desc: "Prompt cache retention policy."}),
		fld("extended_thinking_budget", tInt().null(), num("200000")).m(fieldMeta{desc: "Token budget for extended thinking."}),
		fld("seed", tInt().null(), nil).m(fieldMeta{desc: "Seed for random number generation."}),
		fld("usage_id", tString(), "default").m(fieldMeta{desc: "Usage identifier for registry lookups, telemetry and spend tracking."}),
		fld("litellm_extra_body", tObject(), jsonx.NewObject()).m(fieldMeta{desc: "Extra members passed in the request body."}),
		&field{name: "is_subscription", t: tBool(), computed: func(in *jsonx.Object) any {
			b, _ := in.Value("is_subscription").(bool)
			return b
		}},
	)
	m.before = llmBefore
	return m
}

// ---- agent pieces -------------------------------------------------------

func buildTool() *model {
	return newModel("Tool", extraIgnore,
		req("name", tString().checkedStr(func(s string) string {
			if strings.TrimSpace(s) == "" {
				return "tool name must not be blank"
			}
			return ""
		})),
		fld("params", tObject(), jsonx.NewObject()),
	)
}

func buildCondenser() *union {
	dep := []string{"enabled"}
	enabled := func() *field {
		return fld("enabled", tBool(), true).m(fieldMeta{label: "Enable memory condensation", desc: "Enable conversation memory condensation.", prominence: critical})
	}
	summarizing := newModel("LLMSummarizingCondenserSettings", extraIgnore,
		enabled(),
		fld("max_size", tInt().ge("20"), num("240")).m(fieldMeta{label: "Max size", desc: "Maximum number of events kept before the condenser runs.", dependsOn: dep}),
		fld("condenser_kind", tEnum("llm_summarizing"), "llm_summarizing").m(fieldMeta{desc: "Condenser variant."}),
		fld("max_tokens", tInt().gt("0").null(), nil).m(fieldMeta{label: "Max tokens", desc: "Maximum number of tokens before the condenser runs.", dependsOn: dep}),
		fld("keep_first", tInt().ge("0"), num("2")).m(fieldMeta{label: "Keep first", desc: "Number of initial events always kept.", dependsOn: dep}),
		fld("minimum_progress", tNumber().gt("0.0").lt("1.0"), num("0.1")).m(fieldMeta{label: "Minimum progress", desc: "Minimum fraction of events a condensation must remove.", dependsOn: dep}),
		fld("hard_context_reset_max_retries", tInt().gt("0"), num("5")).m(fieldMeta{label: "Hard reset retries", desc: "Number of hard context reset attempts.", dependsOn: dep}),
		fld("hard_context_reset_context_scaling", tNumber().gt("0.0").lt("1.0"), num("0.8")).m(fieldMeta{label: "Hard reset scaling", desc: "Factor reducing event size after a failed hard reset.", dependsOn: dep}),
	)
	noop := newModel("NoOpCondenserSettings", extraIgnore,
		enabled(),
		fld("condenser_kind", tEnum("no_op"), "no_op").m(fieldMeta{desc: "Condenser variant."}),
	)
	return newUnion("CondenserSettings", "condenser_kind", "llm_summarizing", summarizing, noop)
}

func buildVerification() *model {
	crit := []string{"critic_enabled"}
	refine := []string{"critic_enabled", "enable_iterative_refinement"}
	return newModel("VerificationSettings", extraIgnore,
		fld("critic_enabled", tBool(), false).m(fieldMeta{label: "Enable critic", desc: "Enable critic evaluation for the agent.", prominence: critical}),
		fld("critic_mode", tEnum("finish_and_message", "all_actions"), "finish_and_message").m(fieldMeta{label: "Critic mode", desc: "When critic evaluation runs.", dependsOn: crit}),
		fld("enable_iterative_refinement", tBool(), false).m(fieldMeta{label: "Enable iterative refinement", desc: "Retry tasks when critic scores fall below the threshold.", prominence: critical, dependsOn: crit}),
		fld("critic_threshold", tNumber().ge("0.0").le("1.0"), num("0.6")).m(fieldMeta{label: "Critic threshold", desc: "Critic success threshold for iterative refinement.", dependsOn: refine}),
		fld("max_refinement_iterations", tInt().ge("1"), num("3")).m(fieldMeta{label: "Max refinement iterations", desc: "Maximum number of refinement attempts.", dependsOn: refine}),
		fld("critic_server_url", tString().null(), nil).m(fieldMeta{label: "Critic server URL", desc: "Override of the critic service URL.", dependsOn: crit}),
		fld("critic_model_name", tString().null(), nil).m(fieldMeta{label: "Critic model name", desc: "Override of the critic model name.", dependsOn: crit}),
		fld("critic_api_key", tString().null().sec(secretField), nil).m(fieldMeta{label: "Critic API Key", desc: "API key for the critic service; null reuses the LLM API key.", prominence: critical, dependsOn: crit}),
	)
}

// nowStamp is the upstream rendering of an aware UTC datetime.
func nowStamp() any { return time.Now().UTC().Format("2006-01-02T15:04:05.000000Z") }

func buildAgentContext(secretSource *union) *model {
	return newModel("AgentContext", extraIgnore,
		fld("skills", tArray(tObject()).checkedArr(checkSkills), []any{}),
		fld("system_message_suffix", tString().null(), nil),
		fld("user_message_suffix", tString().null(), nil),
		fld("load_user_skills", tBool(), false),
		fld("load_public_skills", tBool(), false),
		fld("marketplace_path", tString().null(), "marketplaces/default.json"),
		fld("registered_marketplaces", tArray(tObject()), []any{}),
		fld("load_project_skills", tBool(), false),
		fld("load_memory", tBool(), false).m(fieldMeta{label: "Persistent memory", desc: "Keep notes under .openhands/memory/ and load them at the start of each conversation.", prominence: major}),
		fld("disabled_skills", tArray(tString()), []any{}),
		fld("secrets", tMap(tAlt(tString().sec(secretVerbatim), tUnion(secretSource))).null(), nil),
		fldFn("current_datetime", tString().null(), nowStamp),
	)
}

// checkSkills enforces unique skill names.
func checkSkills(v []any) string {
	seen := map[string]bool{}
	for _, it := range v {
		o, _ := it.(*jsonx.Object)
		name, ok := o.String("name")
		if !ok {
			continue
		}
		if seen[name] {
			return "skill names must be unique"
		}
		seen[name] = true
	}
	return ""
}

// secretHeaderWords are the substrings that make a header name secret
// (data-model.md §9.2).
var secretHeaderWords = [...]string{"AUTHORIZATION", "COOKIE", "CREDENTIAL", "KEY", "PASSWORD", "SECRET", "SESSION", "TOKEN"}

// IsSecretHeaderName reports whether a LookupSecret header value is secret.
func IsSecretHeaderName(name string) bool {
	ascii := true
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		for _, w := range secretHeaderWords {
			if containsUpperASCII(name, w) {
				return true
			}
		}
		return false
	}
	u := strings.ToUpper(name)
	for _, w := range secretHeaderWords {
		if strings.Contains(u, w) {
			return true
		}
	}
	return false
}

// containsUpperASCII reports whether strings.ToUpper(s) contains w, for
// ASCII s and upper-case ASCII w, without building the upper-case copy.
func containsUpperASCII(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		j := 0
		for ; j < len(w); j++ {
			c := s[i+j]
			if c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			}
			if c != w[j] {
				break
			}
		}
		if j == len(w) {
			return true
		}
	}
	return false
}

// DefaultInternalServerURL is used when OH_INTERNAL_SERVER_URL is unset.
const DefaultInternalServerURL = "http://127.0.0.1:8000"

// resolveLookupURL resolves a URL without scheme and host against
// OH_INTERNAL_SERVER_URL (data-model.md §9.2).
func resolveLookupURL(s string) string {
	if hasURLScheme(s) {
		return s
	}
	ref, err := url.Parse(s)
	if err != nil || ref.Scheme != "" || ref.Host != "" {
		return s
	}
	base := os.Getenv("OH_INTERNAL_SERVER_URL")
	if base == "" {
		base = DefaultInternalServerURL
	}
	b, err := url.Parse(strings.TrimRight(base, "/") + "/")
	if err != nil {
		return s
	}
	return b.ResolveReference(ref).String()
}

// lookupURLIsAbsolute reports whether resolveLookupURL returns s unchanged
// without consulting the environment.
func lookupURLIsAbsolute(s string) bool {
	if hasURLScheme(s) {
		return true
	}
	ref, err := url.Parse(s)
	return err != nil || ref.Scheme != "" || ref.Host != ""
}

// hasURLScheme reports whether s starts with a scheme as url.Parse reads
// it (a letter, then letters, digits, '+', '-' or '.', then ':'). For such
// s url.Parse either fails or returns a non-empty Scheme, so
// resolveLookupURL returns s unchanged either way.
func hasURLScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.':
			if i == 0 {
				return false
			}
		case c == ':':
			return i > 0
		default:
			return false
		}
	}
	return false
}

func buildSecretSources() *union {
	static := newModel("StaticSecret", extraIgnore,
		fld("description", tString().null(), nil),
		fld("value", tString().null().sec(secretField), nil),
		fld("kind", tEnum("StaticSecret"), "StaticSecret"),
	)
	headers := tMap(tString().sec(secretVerbatim))
	headers.secretKey = IsSecretHeaderName
	urlT := tString()
	urlT.norm = resolveLookupURL
	lookup := newModel("LookupSecret", extraIgnore,
		fld("description", tString().null(), nil),
		req("url", urlT),
		fld("headers", headers, jsonx.NewObject()),
		fld("kind", tEnum("LookupSecret"), "LookupSecret"),
	)
	return newUnion("SecretSource", "kind", "", static, lookup)
}

func buildFileSecretSpec() *model {
	return newModel("ACPFileSecretSpec", extraIgnore,
		req("secret_name", tString().min(1)),
		req("filename", tString().checkedStr(func(s string) string {
			if strings.ContainsAny(s, `/\`) || s == "." || s == ".." {
				return "filename must be a bare basename, not a path"
			}
			return ""
		})),
		req("env_var", tString().min(1)),
		req("subdir", tString().min(1).checkedStr(func(s string) string {
			bad := strings.HasPrefix(s, "/") || strings.TrimSpace(s) == "" || strings.TrimSpace(s) == "."
			for _, part := range strings.Split(s, "/") {
				if part == ".." {
					bad = true
				}
			}
			if bad {
				return "subdir must be a non-empty relative path without '.'/'..' segments"
			}
			return ""
		})),
		fld("env_points_to", tEnum("dir", "file"), "file"),
		fld("warn_if_unset", tArray(tString()), []any{}),
	)
}

func defaultACPFileSecrets() any {
	return []any{
		jsonx.Obj("secret_name", "CODEX_AUTH_JSON", "filename", "auth.json", "env_var", "CODEX_HOME",
			"subdir", "codex", "env_points_to", "dir", "warn_if_unset", []any{}),
		jsonx.Obj("secret_name", "GOOGLE_APPLICATION_CREDENTIALS_JSON", "filename", "gcloud-credentials.json",
			"env_var", "GOOGLE_APPLICATION_CREDENTIALS", "subdir", "gemini-cli", "env_points_to", "file",
			"warn_if_unset", []any{"GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION"}),
	}
}
