#!/usr/bin/env python3
"""Regenerates the interoperability fixtures under testdata/interop/.

The files imitate data directories written by the upstream Python
agent-server: json.dumps(indent=2) (ASCII only, no trailing newline), secret
values given as Fernet tokens taken verbatim from ../fernet-vectors.json
(produced by Python's cryptography library). Nothing here encrypts: the
tokens are the vectors' own. Run from the repository root:

    python3 testdata/interop/generate.py

Used by internal/server/interop_test.go (TestInterop...).
"""
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = json.load(open(os.path.join(HERE, "..", "fernet-vectors.json"), encoding="utf-8"))


def dump(path, doc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="ascii") as f:
        f.write(json.dumps(doc, indent=2))


def case(name):
    for c in VECTORS["cases"]:
        if c["name"] == name:
            return c
    raise KeyError(name)


def settings_doc(tok, tok2=None, tok3=None):
    """A current-version settings.json with a token in every kind of secret
    location (tok2/tok3 default to tok)."""
    tok2 = tok2 or tok
    tok3 = tok3 or tok
    return {
        "schema_version": 2,
        "agent_settings": {
            "schema_version": 5,
            "agent_kind": "openhands",
            "agent": "CodeActAgent",
            "llm": {
                "model": "openai/gpt-4o",
                "api_key": tok,
                "base_url": "https://litellm.example.com",
                "aws_secret_access_key": tok2,
                "usage_id": "default",
            },
            "tools": None,
            "mcp_config": {
                "github": {
                    "command": "uvx",
                    "args": ["mcp-server-github"],
                    "env": {"GITHUB_TOKEN": tok3, "PLAIN_SETTING": "not-a-secret-but-stored-as-one"},
                    "enabled": True,
                },
                "remote": {
                    "url": "https://mcp.example.com/mcp",
                    "transport": "http",
                    "headers": {"X-Api-Key": tok2},
                    "auth": {"strategy": "bearer", "value": tok},
                    "enabled": True,
                },
                "mail": {
                    "url": "https://mcp.mail.example.com/mcp",
                    "transport": "http",
                    "auth": {
                        "strategy": "oauth2",
                        "state": {
                            "tokens": {"access_token": tok3, "token_type": "Bearer"},
                            "client_info": {"client_id": "client-id"},
                            "token_expires_at": 1234567890.0,
                        },
                    },
                    "enabled": True,
                },
            },
            "agent_context": {
                "secrets": {
                    "CTX_STRING": tok,
                    "CTX_STATIC": {"description": None, "value": tok2, "kind": "StaticSecret"},
                    "CTX_LOOKUP": {
                        "description": "lookup",
                        "url": "http://127.0.0.1:8000/api/settings/secrets/VECTOR_SECRET",
                        "headers": {"X-Session-API-Key": tok3, "Accept": "text/plain"},
                        "kind": "LookupSecret",
                    },
                },
            },
            "verification": {"critic_enabled": False, "critic_api_key": tok2},
        },
        "conversation_settings": {
            "schema_version": 1,
            "max_iterations": 500,
            "confirmation_mode": False,
            "security_analyzer": "llm",
        },
        "active_profile": "x",
        "active_agent_profile_id": None,
        "misc_settings": {"ui": {"theme": "dark"}},
    }


def secrets_doc(entries):
    return {"custom_secrets": {n: {"name": n, "secret": s, "description": d} for n, s, d in entries}}


def profile_doc(tok, tok2=None, tok3=None):
    return {
        "model": "openai/gpt-4o",
        "api_key": tok,
        "auth_type": "api_key",
        "base_url": "https://litellm.example.com",
        "aws_secret_access_key": tok2 or tok,
        "aws_session_token": tok3 or tok,
        "openrouter_site_url": "https://docs.all-hands.dev/",
        "openrouter_app_name": "OpenHands",
        "num_retries": 5,
        "usage_id": "default",
        "litellm_extra_body": {},
        "is_subscription": False,
        "schema_version": 1,
    }


def main():
    vec_dir = os.path.join(HERE, "vectors")
    shutil.rmtree(vec_dir, ignore_errors=True)
    # One Python-written data directory per valid vector (each has its own key).
    for c in VECTORS["cases"]:
        if not c["valid"]:
            continue
        d = os.path.join(vec_dir, c["name"])
        t = c["token"]
        dump(os.path.join(d, "settings.json"), settings_doc(t))
        dump(os.path.join(d, "secrets.json"), secrets_doc([("VECTOR_SECRET", t, "written by python")]))
        dump(os.path.join(d, "profiles", "x.json"), profile_doc(t))
    # Invalid vectors: all three are invalid under "correct-key".
    wrong, tampered, truncated = (case(n)["token"] for n in ("wrong-key", "tampered-byte", "truncated"))
    d = os.path.join(vec_dir, "invalid")
    dump(os.path.join(d, "settings.json"), settings_doc(wrong, tampered, truncated))
    dump(os.path.join(d, "secrets.json"), secrets_doc([
        ("WRONG_KEY", wrong, "wrong key"),
        ("TAMPERED", tampered, "tampered"),
        ("TRUNCATED", truncated, None),
        ("GOOD_LEGACY", "legacy-plaintext-value", "plaintext from before the key"),
    ]))
    dump(os.path.join(d, "profiles", "x.json"), profile_doc(wrong, tampered, truncated))

    # secrets.json in upstream's lenient/legacy shapes (key of "typical-api-key").
    typ = case("typical-api-key")["token"]
    dump(os.path.join(HERE, "secrets-legacy", "secrets.json"), {
        "custom_secrets": {
            "PLAIN_LEGACY": "legacy-plain-value",
            "NO_SECRET": {"name": "NO_SECRET", "description": "entry without a secret member"},
            "DROPPED_NUMBER": 42,
            "MISMATCH": {"name": "SOME_OTHER_NAME", "secret": typ, "description": "map key wins"},
            "DROPPED_LIST": ["not", "an", "entry"],
            "VERSIONED": {"name": "VERSIONED", "secret": typ, "description": "bound credential"},
            "DROPPED_BOOL": True,
            "UNTOUCHED_V": {"name": "UNTOUCHED_V", "secret": typ, "description": None},
        },
        "_credential_versions": {
            "VERSIONED": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "UNTOUCHED_V": "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
        },
        "future_top_level_member": {"dropped": "on rewrite"},
    })

    # Unloadable files (persistence.md section 7).
    u = os.path.join(HERE, "unloadable")
    shutil.rmtree(u, ignore_errors=True)
    os.makedirs(u)
    with open(os.path.join(u, "settings-corrupt.json"), "w") as f:
        f.write('{\n  "schema_version": 2,\n  "agent_settings": {\n    "llm": {"model": "gpt-4o"')
    dump(os.path.join(u, "settings-too-new.json"), {
        "schema_version": 3,
        "agent_settings": {"schema_version": 5, "llm": {"model": "from-the-future"}},
        "misc_settings": {},
    })
    dump(os.path.join(u, "settings-agent-too-new.json"), {
        "schema_version": 2,
        "agent_settings": {"schema_version": 6, "llm": {"model": "from-the-future"}},
    })
    dump(os.path.join(u, "settings-not-object.json"), [{"schema_version": 2}])
    with open(os.path.join(u, "secrets-corrupt.json"), "w") as f:
        f.write('{"custom_secrets": {"A": {"name": "A", "secret": "x"')
    dump(os.path.join(u, "secrets-invalid-name.json"), secrets_doc([
        ("GOOD", "value", None), ("1_STARTS_WITH_DIGIT", "value", None)]))
    dump(os.path.join(u, "secrets-not-object.json"), ["custom_secrets"])
    dump(os.path.join(u, "profile-p.json"), {"model": "openai/gpt-4o", "usage_id": "default", "schema_version": 1})


if __name__ == "__main__":
    main()
