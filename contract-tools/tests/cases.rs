//! Each kind of change, made to the real openapi.yaml, through the real
//! checker: its classification, its findings, and the version decisions
//! (same version, patch, minor, major bump; a bump without changelog entry).

mod support;

use contract_tools::{classify, judge, Change, ChangeKind, Document, Needed, Severity};
use serde_json::{json, Value};
use support::*;

/// Classifies `edit` of the real document and checks every version decision.
fn case(edit: impl FnOnce(&mut Value), kind: ChangeKind) -> Change {
    let old = real();
    let mut new = old.clone();
    edit(&mut new);
    let change = classify(
        &checker(),
        &Document::from_value("old", old.clone()),
        &Document::from_value("new", new),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let shown: Vec<String> = change.findings.iter().map(ToString::to_string).collect();
    assert_eq!(change.kind, kind, "findings:\n{}", shown.join("\n"));

    let needed = Needed::of(kind);
    let base = version_of(&old);
    let patch = contract_tools::Version::new(base.major, base.minor, base.patch + 1);
    let decisions = [
        (base.clone(), needed == Needed::Nothing),
        (patch, needed == Needed::Nothing),
        (Needed::Minor.target(&base), needed <= Needed::Minor),
        (Needed::Major.target(&base), true),
    ];
    for (version, ok) in decisions {
        let report = judge(
            change.clone(),
            base.clone(),
            version.clone(),
            &changelog_with(&version),
        );
        assert_eq!(report.ok(), ok, "at {version}:\n{report}");
        assert_eq!(report.needed, needed, "{report}");
        if !ok {
            let target = needed.target(&base).to_string();
            assert!(
                report.to_string().contains(&target),
                "names {target}:\n{report}"
            );
        }
    }
    // A big enough bump without a changelog entry is still refused.
    let target = Needed::Major.target(&base);
    let report = judge(change.clone(), base.clone(), target.clone(), "## 1.0.0\n");
    assert!(
        !report.ok() && report.problems.iter().any(|p| p.contains("changelog")),
        "{report}"
    );
    change
}

/// Whether some finding of `severity` mentions every one of `words`.
fn said(change: &Change, severity: Severity, words: &[&str]) -> bool {
    change
        .findings
        .iter()
        .any(|f| f.severity == severity && words.iter().all(|w| f.to_string().contains(w)))
}

fn show(change: &Change) -> String {
    change.findings.iter().map(|f| format!("{f}\n")).collect()
}

// --- Breaking -----------------------------------------------------------------

#[test]
fn renamed_response_field_is_breaking() {
    let c = case(
        |d| rename_property(d, "LoginResponse", "access", "access_token"),
        ChangeKind::Breaking,
    );
    assert!(
        said(
            &c,
            Severity::Breaking,
            &["POST /api/v2/auth/login/", "`access`"]
        ),
        "{}",
        show(&c)
    );
    assert!(
        said(&c, Severity::Additive, &["`access_token`"]),
        "{}",
        show(&c)
    );
}

#[test]
fn renamed_request_field_is_breaking() {
    let c = case(
        |d| {
            rename_property(
                d,
                "MarkOnboardingCompleteRequest",
                "completed_steps",
                "steps",
            )
        },
        ChangeKind::Breaking,
    );
    assert!(
        said(&c, Severity::Breaking, &["`completed_steps`"]),
        "{}",
        show(&c)
    );
}

#[test]
fn removed_response_field_is_breaking() {
    let c = case(
        |d| {
            remove_property(d, "CompletionStatus", "can_skip_onboarding");
        },
        ChangeKind::Breaking,
    );
    assert!(
        said(
            &c,
            Severity::Breaking,
            &["can_skip_onboarding", "response-required-property-removed"]
        ),
        "{}",
        show(&c)
    );
}

#[test]
fn changed_type_is_breaking() {
    let c = case(
        |d| {
            schema(d, "CompletionStatus")["properties"]["completion_percentage"] =
                json!({"type": "string"})
        },
        ChangeKind::Breaking,
    );
    assert!(
        said(
            &c,
            Severity::Breaking,
            &["completion_percentage", "integer", "string"]
        ),
        "{}",
        show(&c)
    );
}

#[test]
fn changed_format_is_breaking_though_oasdiff_does_not_classify_it() {
    let c = case(
        |d| schema(d, "JournalEntryResponse")["properties"]["timestamp"]["format"] = json!("date"),
        ChangeKind::Breaking,
    );
    assert!(
        said(
            &c,
            Severity::Unclassified,
            &["timestamp", "date-time", "date"]
        ),
        "{}",
        show(&c)
    );
}

#[test]
fn newly_required_request_field_is_breaking() {
    let c = case(
        |d| require(d, "MarkOnboardingCompleteRequest", "completed_steps"),
        ChangeKind::Breaking,
    );
    assert!(
        said(
            &c,
            Severity::Breaking,
            &["`completed_steps` became required"]
        ),
        "{}",
        show(&c)
    );
}

#[test]
fn new_required_request_field_is_breaking() {
    let c = case(
        |d| {
            schema(d, "JournalEntryCreateRequest")["properties"]["mood"] =
                json!({"type": "integer"});
            require(d, "JournalEntryCreateRequest", "mood");
        },
        ChangeKind::Breaking,
    );
    assert!(
        said(
            &c,
            Severity::Breaking,
            &["new required request property `mood`"]
        ),
        "{}",
        show(&c)
    );
}

#[test]
fn response_field_that_may_be_absent_is_breaking() {
    let c = case(
        |d| {
            schema(d, "CompletionStatus")["required"]
                .as_array_mut()
                .unwrap()
                .retain(|r| r != "can_skip_onboarding")
        },
        ChangeKind::Breaking,
    );
    assert!(
        said(&c, Severity::Breaking, &["can_skip_onboarding", "optional"]),
        "{}",
        show(&c)
    );
}

#[test]
fn response_field_that_may_be_null_is_breaking() {
    case(
        |d| schema(d, "LoginResponse")["properties"]["access"]["type"] = json!(["string", "null"]),
        ChangeKind::Breaking,
    );
}

#[test]
fn stricter_request_constraint_is_breaking() {
    let c = case(
        |d| schema(d, "JournalEntryCreateRequest")["properties"]["title"]["maxLength"] = json!(100),
        ChangeKind::Breaking,
    );
    assert!(said(&c, Severity::Breaking, &["maxLength"]), "{}", show(&c));
}

#[test]
fn removed_endpoint_is_breaking() {
    let c = case(
        |d| {
            d["paths"]["/api/v2/journal/entries/{id}/"]
                .as_object_mut()
                .unwrap()
                .shift_remove("delete");
        },
        ChangeKind::Breaking,
    );
    assert!(
        said(
            &c,
            Severity::Breaking,
            &["DELETE /api/v2/journal/entries/{id}/", "removed"]
        ),
        "{}",
        show(&c)
    );
}

#[test]
fn removed_path_is_breaking() {
    case(
        |d| {
            d["paths"]
                .as_object_mut()
                .unwrap()
                .shift_remove("/api/v2/profile/me/update/");
        },
        ChangeKind::Breaking,
    );
}

#[test]
fn removed_request_enum_value_is_breaking() {
    let c = case(
        |d| enum_values(d, "OnboardingStep").retain(|v| v != "voice_enrollment"),
        ChangeKind::Breaking,
    );
    assert!(
        said(&c, Severity::Breaking, &["voice_enrollment"]),
        "{}",
        show(&c)
    );
}

#[test]
fn removed_enum_value_of_requests_and_responses_is_breaking() {
    let c = case(
        |d| enum_values(d, "Gender").retain(|v| v != "OTHER"),
        ChangeKind::Breaking,
    );
    // The project's rule: removed from what the server sends is breaking too.
    assert!(
        said(
            &c,
            Severity::Breaking,
            &["GET /api/v2/profile/me/", "OTHER"]
        ),
        "{}",
        show(&c)
    );
}

#[test]
fn route_that_now_needs_a_token_is_breaking() {
    let c = case(
        |d| operation(d, "/api/v2/auth/refresh/", "post")["security"] = json!([{"bearerAuth": []}]),
        ChangeKind::Breaking,
    );
    assert!(
        said(
            &c,
            Severity::Breaking,
            &["bearerAuth", "api-security-added"]
        ),
        "{}",
        show(&c)
    );
}

#[test]
fn route_that_now_needs_a_capability_is_breaking_as_unclassified() {
    let c = case(
        |d| {
            operation(d, "/api/v2/profile/me/", "get")["x-required-capability"] =
                json!("canAccessPeople")
        },
        ChangeKind::Breaking,
    );
    assert!(
        said(
            &c,
            Severity::Unclassified,
            &["GET /api/v2/profile/me/", "x-required-capability"]
        ),
        "{}",
        show(&c)
    );
}

// --- Additive ----------------------------------------------------------------

#[test]
fn added_optional_request_field_is_additive() {
    let c = case(
        |d| {
            schema(d, "ProfileUpdateRequest")["properties"]["nickname"] =
                json!({"type": ["string", "null"]})
        },
        ChangeKind::Additive,
    );
    assert!(
        said(
            &c,
            Severity::Additive,
            &["PATCH /api/v2/profile/me/", "`nickname`"]
        ),
        "{}",
        show(&c)
    );
}

#[test]
fn added_optional_response_field_is_additive() {
    case(
        |d| {
            schema(d, "ProfileImageResponse")["properties"]["blur_hash"] =
                json!({"type": ["string", "null"]})
        },
        ChangeKind::Additive,
    );
}

#[test]
fn added_always_present_response_field_is_additive() {
    case(
        |d| {
            schema(d, "CompletionStatus")["properties"]["note"] = json!({"type": "string"});
            require(d, "CompletionStatus", "note");
        },
        ChangeKind::Additive,
    );
}

#[test]
fn request_field_that_now_accepts_null_is_additive() {
    case(
        |d| {
            schema(d, "JournalEntryCreateRequest")["properties"]["title"]["type"] =
                json!(["string", "null"])
        },
        ChangeKind::Additive,
    );
}

#[test]
fn added_endpoint_is_additive() {
    let c = case(
        |d| {
            d["paths"]["/api/v2/health/"] = json!({"get": {"operationId": "health", "responses": {"200": {"description": "Up."}}}});
        },
        ChangeKind::Additive,
    );
    assert!(
        said(
            &c,
            Severity::Additive,
            &["GET /api/v2/health/", "endpoint added"]
        ),
        "{}",
        show(&c)
    );
}

#[test]
fn added_request_enum_value_is_additive() {
    case(
        |d| enum_values(d, "OnboardingStep").push(json!("tutorial")),
        ChangeKind::Additive,
    );
}

#[test]
fn added_response_enum_value_is_additive() {
    // oasdiff warns; the project's rule (clients accept unknown values) says minor.
    case(
        |d| enum_values(d, "EntryType").push(json!("IDEA")),
        ChangeKind::Additive,
    );
}

#[test]
fn request_body_that_became_optional_is_additive() {
    case(
        |d| {
            operation(d, "/api/v2/journal/entries/", "post")["requestBody"]["required"] =
                json!(false)
        },
        ChangeKind::Additive,
    );
}

// --- No wire effect, unchanged -------------------------------------------------

#[test]
fn reworded_documentation_has_no_wire_effect() {
    let c = case(
        |d| {
            operation(d, "/api/v2/profile/me/", "get")["summary"] = json!("Who am I");
            schema(d, "LoginResponse")["description"] = json!("Tokens, and the user.");
            d["info"]["description"] = json!("Shorter.");
        },
        ChangeKind::NoWireEffect,
    );
    assert!(c.findings.is_empty(), "{}", show(&c));
}

#[test]
fn changed_examples_have_no_wire_effect() {
    case(
        |d| {
            let ex = &mut operation(d, "/api/v2/auth/login/", "post")["requestBody"]["content"]
                ["application/json"]["examples"];
            assert!(ex.is_object());
            *ex = json!({"other": {"value": {"username": "x", "password": "y"}}});
        },
        ChangeKind::NoWireEffect,
    );
}

#[test]
fn identical_documents_are_unchanged() {
    case(|_| {}, ChangeKind::Unchanged);
}

// --- Where the checker errs, on the safe side ------------------------------------

/// A new response header breaks no client: oasdiff has no check for it, so
/// the project's rule calls it additive (a minor bump).
#[test]
fn added_response_header_is_additive() {
    let c = case(
        |d| {
            operation(d, "/api/v2/profile/me/", "get")["responses"]["200"]["headers"] =
                json!({"X-Rate": {"schema": {"type": "integer"}}})
        },
        ChangeKind::Additive,
    );
    assert!(
        said(&c, Severity::Additive, &["headers", "X-Rate"]),
        "{}",
        show(&c)
    );
}

/// `type: [string, "null"]` and `oneOf: [{type: null}, {type: string}]` say
/// the same; oasdiff reads the second as a widened response (a false
/// breaking change). utoipa spells `Option<T>` both ways, so a utoipa upgrade
/// could trigger it: bump, or spell the schema as before.
#[test]
fn nullable_respelled_as_one_of_is_a_false_breaking_change() {
    let c = case(
        |d| {
            let p = &mut schema(d, "ProfileBlock")["properties"]["dateofbirth"];
            let description = p["description"].clone();
            *p = json!({"oneOf": [{"type": "null"}, {"type": "string", "format": "date"}], "description": description});
        },
        ChangeKind::Breaking,
    );
    assert!(
        said(&c, Severity::Breaking, &["dateofbirth", "widened"]),
        "{}",
        show(&c)
    );
}
