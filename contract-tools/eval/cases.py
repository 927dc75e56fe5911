"""Writes the evaluation's document pairs: CASES_DIR/<case>/{old,new}.{yaml,json}.

Each case edits the real openapi.yaml (argument 1) the way the old drift tests
(tests/api/contract_drift.rs, functions/src/openapi/drift.rs) and the
contract-tools tests do. Used only for EVALUATION.md (the commands are there); the Rust
tests build their own pairs (tests/cases.rs).
"""

import copy
import json
import sys
from pathlib import Path

import yaml

def schema(d, name):
    return d["components"]["schemas"][name]


def remove_prop(d, name, prop):
    s = schema(d, name)
    value = s["properties"].pop(prop)
    if prop in s.get("required", []):
        s["required"].remove(prop)
    return value


def rename(d, name, old, new):
    s = schema(d, name)
    was_required = old in s.get("required", [])
    s["properties"][new] = remove_prop(d, name, old)
    if was_required:
        s["required"].append(new)


def op(d, path, method):
    return d["paths"][path][method]


# (case, expected per the project's rules: breaking / additive / none, edit)
CASES = [
    ("renamed_response_field", "breaking", lambda d: rename(d, "LoginResponse", "access", "access_token")),
    ("renamed_request_field", "breaking", lambda d: rename(d, "MarkOnboardingCompleteRequest", "completed_steps", "steps")),
    ("removed_response_field", "breaking", lambda d: remove_prop(d, "CompletionStatus", "can_skip_onboarding")),
    ("changed_type", "breaking", lambda d: schema(d, "CompletionStatus")["properties"].__setitem__("completion_percentage", {"type": "string"})),
    ("changed_format", "breaking", lambda d: schema(d, "JournalEntryResponse")["properties"]["timestamp"].__setitem__("format", "date")),
    ("newly_required_request_field", "breaking", lambda d: schema(d, "MarkOnboardingCompleteRequest")["required"].append("completed_steps")),
    ("new_required_request_field", "breaking", lambda d: (schema(d, "JournalEntryCreateRequest")["properties"].__setitem__("mood", {"type": "integer"}), schema(d, "JournalEntryCreateRequest")["required"].append("mood"))),
    ("added_optional_request_field", "additive", lambda d: schema(d, "ProfileUpdateRequest")["properties"].__setitem__("nickname", {"type": ["string", "null"]})),
    ("added_optional_response_field", "additive", lambda d: schema(d, "ProfileImageResponse")["properties"].__setitem__("blur_hash", {"type": ["string", "null"]})),
    ("added_always_present_response_field", "additive", lambda d: (schema(d, "CompletionStatus")["properties"].__setitem__("note", {"type": "string"}), schema(d, "CompletionStatus")["required"].append("note"))),
    ("response_field_may_be_absent", "breaking", lambda d: schema(d, "CompletionStatus")["required"].remove("can_skip_onboarding")),
    ("response_field_may_be_null", "breaking", lambda d: schema(d, "LoginResponse")["properties"]["access"].__setitem__("type", ["string", "null"])),
    ("request_field_accepts_null", "additive", lambda d: schema(d, "JournalEntryCreateRequest")["properties"]["title"].__setitem__("type", ["string", "null"])),
    ("request_constraint_stricter", "breaking", lambda d: schema(d, "JournalEntryCreateRequest")["properties"]["title"].__setitem__("maxLength", 100)),
    ("removed_endpoint", "breaking", lambda d: d["paths"]["/api/v2/journal/entries/{id}/"].pop("delete")),
    ("removed_path", "breaking", lambda d: d["paths"].pop("/api/v2/profile/me/update/")),
    ("added_endpoint", "additive", lambda d: d["paths"].__setitem__("/api/v2/health/", {"get": {"operationId": "health", "responses": {"200": {"description": "Up.", "content": {"application/json": {"schema": {"type": "object", "properties": {"ok": {"type": "boolean"}}}}}}}}})),
    ("request_enum_value_removed", "breaking", lambda d: schema(d, "OnboardingStep")["enum"].remove("voice_enrollment")),
    ("request_enum_value_added", "additive", lambda d: schema(d, "OnboardingStep")["enum"].append("tutorial")),
    ("shared_enum_value_removed", "breaking", lambda d: schema(d, "Gender")["enum"].remove("OTHER")),
    ("shared_enum_value_added", "additive", lambda d: schema(d, "EntryType")["enum"].append("IDEA")),
    ("now_needs_authentication", "breaking", lambda d: op(d, "/api/v2/auth/refresh/", "post").__setitem__("security", [{"bearerAuth": []}])),
    ("now_needs_capability", "breaking", lambda d: op(d, "/api/v2/profile/me/", "get").__setitem__("x-required-capability", "canAccessPeople")),
    ("response_header_added", "additive", lambda d: op(d, "/api/v2/profile/me/", "get")["responses"]["200"].__setitem__("headers", {"X-Rate": {"schema": {"type": "integer"}}})),
    ("request_body_now_optional", "additive", lambda d: op(d, "/api/v2/journal/entries/", "post")["requestBody"].__setitem__("required", False)),
    ("nullable_spelled_as_one_of", "none", lambda d: schema(d, "ProfileBlock")["properties"].__setitem__("dateofbirth", {"oneOf": [{"type": "null"}, {"type": "string", "format": "date"}], "description": schema(d, "ProfileBlock")["properties"]["dateofbirth"]["description"]})),
    ("docs_only", "none", lambda d: op(d, "/api/v2/profile/me/", "get").__setitem__("summary", "Who am I")),
    ("identical", "none", lambda d: None),
]


def main():
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    base = yaml.safe_load(source.read_text())
    expected = {}
    for name, expect, edit in CASES:
        new = copy.deepcopy(base)
        edit(new)
        case = out / name
        case.mkdir(parents=True, exist_ok=True)
        # sort_keys=False keeps the document's order; both sides written alike.
        for side, doc in (("old", base), ("new", new)):
            (case / f"{side}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
            (case / f"{side}.json").write_text(json.dumps(doc))
        expected[name] = expect
    (out / "expected.json").write_text(json.dumps(expected, indent=1))


if __name__ == "__main__":
    main()
