//! The contract is code: `openapi.yaml` is exactly what the code generates,
//! a wire change comes with a `CONTRACT_VERSION` bump big enough for it (and a
//! changelog entry), and the live API answers what the document says.
//!
//! The classification is oasdiff's with the project's rule (contract-tools,
//! whose tests/cases.rs runs it on edits of the real document); here: the
//! committed document is the generated one, and the live API answers what it
//! says.

use crate::support::*;
use contract_tools::generate::{
    self as openapi, CHANGELOG_FILE, DOCUMENT_FILE, REGENERATE_COMMAND,
};
use functions::routes::ROUTES;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use shared::contract::CONTRACT_VERSION;
use shared::store::attrs::AttributeValue;
use std::collections::BTreeSet;

fn read_root_file(name: &str) -> String {
    let path = openapi::workspace_root().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; generate it with `{REGENERATE_COMMAND}`",
            path.display()
        )
    })
}

fn committed_document() -> Value {
    serde_saphyr::from_str(&read_root_file(DOCUMENT_FILE)).expect("openapi.yaml is YAML")
}

#[test]
fn the_committed_document_is_the_one_the_code_generates() {
    let committed = read_root_file(DOCUMENT_FILE);
    let changelog = read_root_file(CHANGELOG_FILE);
    match openapi::drift(&committed, &changelog) {
        None => {}
        Some(Ok(report)) => {
            panic!("{DOCUMENT_FILE} differs from the code:\n{report}run `{REGENERATE_COMMAND}`")
        }
        Some(Err(e)) => panic!("{DOCUMENT_FILE} differs from the code: {e}"),
    }
}

#[test]
fn the_contract_version_has_a_changelog_entry() {
    let changelog = read_root_file(CHANGELOG_FILE);
    let newest = contract_tools::changelog_versions(&changelog)
        .into_iter()
        .next();
    assert_eq!(
        newest.map(|v| v.to_string()),
        Some(CONTRACT_VERSION.to_string()),
        "{CHANGELOG_FILE}: its newest entry must be `## {CONTRACT_VERSION}`"
    );
    assert_eq!(committed_document()["info"]["version"], CONTRACT_VERSION);
}

#[test]
fn the_committed_document_lists_every_route_of_the_route_table() {
    let doc = committed_document();
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().unwrap().keys() {
            documented.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    let served: BTreeSet<String> = ROUTES
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(documented, served, "run `{REGENERATE_COMMAND}`");
}

/// Every object schema of `components` with declared properties refuses
/// undeclared ones, so a key the API sends but the document lacks fails.
fn closed(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.contains_key("properties") && !m.contains_key("additionalProperties") {
                m.insert("additionalProperties".into(), Value::Bool(false));
            }
            m.values_mut().for_each(closed);
        }
        Value::Array(a) => a.iter_mut().for_each(closed),
        _ => {}
    }
}

/// A validator for `schema` (an OpenAPI 3.1 schema, i.e. JSON Schema 2020-12)
/// with `#/components/...` references resolved against `doc`. Formats
/// (date, date-time, email) are checked.
pub fn openapi_validator(
    doc: &Value,
    schema: &Value,
    closed_objects: bool,
) -> jsonschema::Validator {
    let mut components = doc["components"].clone();
    if closed_objects {
        closed(&mut components);
    }
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "allOf": [schema],
        "components": components,
    });
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("schema {schema} does not compile: {e}"))
}

/// The problems of `instance` against `validator`, one line each.
pub fn problems(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("at {}: {e}", e.instance_path()))
        .collect()
}

/// The schema of the JSON body of `method path` answering `status`.
fn response_schema(doc: &Value, method: &Method, path: &str, status: StatusCode) -> Value {
    let op = &doc["paths"][path][method.as_str().to_lowercase()];
    assert!(op.is_object(), "{method} {path} is not in the document");
    let schema = &op["responses"][status.as_str()]["content"]["application/json"]["schema"];
    assert!(
        schema.is_object(),
        "{method} {path} answered {status}, which the document does not list"
    );
    schema.clone()
}

fn request_schema(doc: &Value, method: &Method, path: &str) -> Value {
    doc["paths"][path][method.as_str().to_lowercase()]["requestBody"]["content"]["application/json"]
        ["schema"]
        .clone()
}

/// Calls the API and checks the request body (when `valid_request`) and the
/// response body against the generated document; returns the reply.
async fn checked_call(
    api: &Api,
    doc: &Value,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    valid_request: bool,
) -> Reply {
    if let (Some(body), true) = (&body, valid_request) {
        let v = openapi_validator(doc, &request_schema(doc, &method, path), false);
        let p = problems(&v, body);
        assert!(
            p.is_empty(),
            "{method} {path} request {body}:\n{}",
            p.join("\n")
        );
    }
    let reply = api.call(method.clone(), path, token, body).await;
    let v = openapi_validator(
        doc,
        &response_schema(doc, &method, path, reply.status),
        true,
    );
    let p = problems(&v, &reply.body);
    assert!(
        p.is_empty(),
        "{method} {path} answered {} with a body the document does not describe:\n{}\nbody: {:#}",
        reply.status,
        p.join("\n"),
        reply.body
    );
    reply
}

#[tokio::test]
async fn live_responses_match_the_generated_document() {
    let doc = openapi::document_json();
    let api = Api::start().await;
    // Fill every field of one user, so that non-null values are checked too.
    let boss = api.principal("admin").await.user_id;
    api.put_attributes(
        "existing.user",
        vec![(
            "profile",
            profile_map(&[
                (
                    "peopleimg",
                    Some("https://cdn.example/media/profiles/4.jpg"),
                ),
                ("dateofbirth", Some("1988-07-21")),
                ("dateofjoin", Some("2019-05-13")),
                ("dateofreport", Some("2019-05-20")),
                ("gender", Some("M")),
            ]),
        )],
    )
    .await;

    let login = "/api/v2/auth/login/";
    let me = "/api/v2/profile/me/";
    let status = "/api/v2/profile/completion-status/";
    let complete = "/api/v2/profile/mark-onboarding-complete/";

    let mut tokens = Vec::new();
    for who in [ADMIN, REGULAR, NEW_EMPLOYEE, EXISTING] {
        let body = json!({"username": who.0, "password": who.1});
        let reply = checked_call(&api, &doc, Method::POST, login, None, Some(body), true).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", who.0);
        tokens.push((
            who.0,
            reply.body["access"].as_str().unwrap().to_string(),
            reply.body["refresh"].as_str().unwrap().to_string(),
        ));
    }
    for (who, access, _) in &tokens {
        let reply = checked_call(&api, &doc, Method::GET, me, Some(access), None, true).await;
        assert_eq!(reply.status, StatusCode::OK, "{who}");
        let reply = checked_call(&api, &doc, Method::GET, status, Some(access), None, true).await;
        let expected = if *who == REGULAR.0 {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::OK
        };
        assert_eq!(reply.status, expected, "{who}");
    }

    let newbie = &tokens[2].1;
    let existing = &tokens[3].1;
    // PATCH, both paths; then errors.
    let patch = json!({
        "mobno": "+9876543210",
        "profile": {"gender": "FEMALE", "dateofbirth": "1990-01-15", "dateofjoin": "2025-01-01"},
        "organizational": {"reportto": boss}
    });
    for path in [me, "/api/v2/profile/me/update/"] {
        let reply = checked_call(
            &api,
            &doc,
            Method::PATCH,
            path,
            Some(newbie),
            Some(patch.clone()),
            true,
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    let reply = checked_call(
        &api,
        &doc,
        Method::PATCH,
        me,
        Some(existing),
        Some(json!({"email": "ezra@demo.example"})),
        true,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["profile"]["gender"], "MALE");
    for bad in [
        json!({"profile": {"dateofbirth": "2999-01-15", "dateofjoin": "2025-01-01"}}),
        json!({"capabilities": {"canAccessReports": true}}),
        json!({"organizational": {"location": 999999}}),
    ] {
        let reply = checked_call(
            &api,
            &doc,
            Method::PATCH,
            me,
            Some(newbie),
            Some(bad),
            false,
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    }

    // Onboarding: complete, skip, invalid step, no capability.
    let body = json!({"skipped": false, "completed_steps": ["welcome", "permissions"]});
    let reply = checked_call(
        &api,
        &doc,
        Method::POST,
        complete,
        Some(newbie),
        Some(body),
        true,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = json!({"skipped": true, "completed_steps": []});
    let reply = checked_call(
        &api,
        &doc,
        Method::POST,
        complete,
        Some(&tokens[0].1),
        Some(body),
        true,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = json!({"skipped": false, "completed_steps": ["invalid_step"]});
    let reply = checked_call(
        &api,
        &doc,
        Method::POST,
        complete,
        Some(newbie),
        Some(body),
        false,
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let body = json!({"skipped": true, "completed_steps": []});
    let reply = checked_call(
        &api,
        &doc,
        Method::POST,
        complete,
        Some(&tokens[1].1),
        Some(body),
        true,
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = checked_call(&api, &doc, Method::GET, status, Some(newbie), None, true).await;
    assert_eq!(reply.status, StatusCode::OK);

    // Refresh: once, then the used token is refused.
    let refresh = json!({"refresh": tokens[3].2});
    let reply = checked_call(
        &api,
        &doc,
        Method::POST,
        "/api/v2/auth/refresh/",
        None,
        Some(refresh.clone()),
        true,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let _ = refresh;
    let reply = checked_call(
        &api,
        &doc,
        Method::POST,
        "/api/v2/auth/refresh/",
        None,
        Some(json!({"refresh": "not-a-refresh-token-we-issued"})),
        true,
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);

    // Authentication failures.
    let reply = checked_call(&api, &doc, Method::GET, me, None, None, true).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let reply = checked_call(
        &api,
        &doc,
        Method::GET,
        status,
        Some("not.a.token"),
        None,
        true,
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let body = json!({"username": "admin", "password": "wrong-password"});
    let reply = checked_call(&api, &doc, Method::POST, login, None, Some(body), true).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let reply = checked_call(
        &api,
        &doc,
        Method::POST,
        login,
        None,
        Some(json!({"username": "admin"})),
        false,
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);

    // A user whose profile part was never created: 404.
    api.put_attributes(
        "regular.user",
        vec![("profile", AttributeValue::Null(true))],
    )
    .await;
    let reply = checked_call(&api, &doc, Method::GET, me, Some(&tokens[1].1), None, true).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
}

/// The contract's examples in the document validate against the schemas they
/// illustrate (request and response), apart from the documented extra.
#[test]
fn the_documents_examples_match_their_schemas() {
    // The contract's Endpoint 1 example predates `profile.dateofreport`.
    const KNOWN: &[(&str, &str)] = &[("contract", "\"dateofreport\"")];
    let doc = openapi::document_json();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let mut media = vec![(
                "request".to_string(),
                &op["requestBody"]["content"]["application/json"],
            )];
            for (status, r) in op["responses"].as_object().unwrap() {
                media.push((status.clone(), &r["content"]["application/json"]));
            }
            for (what, m) in media {
                let Some(examples) = m["examples"].as_object() else {
                    continue;
                };
                let v = openapi_validator(&doc, &m["schema"], true);
                for (name, ex) in examples {
                    let p: Vec<String> = problems(&v, &ex["value"])
                        .into_iter()
                        .filter(|p| {
                            !KNOWN
                                .iter()
                                .any(|(n, needle)| n == name && p.contains(needle))
                        })
                        .collect();
                    assert!(
                        p.is_empty(),
                        "{method} {path} {what} example {name}:\n{}",
                        p.join("\n")
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 20, "only {checked} examples");
}

/// Every error body the code can produce matches the schema the document
/// gives its status, on every operation that can answer it. Most statuses
/// have one shape API-wide; two do not, as the contract wants: a 403 is
/// `{"detail"}` from a capability guard but `{"error"}` from the journal
/// media routes, and the multipart image upload answers its 400s with the
/// contract's `{"error"}` upload messages only (never field errors).
#[test]
fn error_bodies_match_the_documented_error_schemas() {
    use shared::ApiError;
    #[derive(Clone, Copy)]
    enum Scope {
        /// Every operation documenting the status.
        All,
        /// Operations gated by a capability (`x-required-capability`).
        CapabilityGated,
        /// Every operation documenting the status but these.
        AllBut(&'static [&'static str]),
    }
    let doc = openapi::document_json();
    let errors = [
        (ApiError::no_credentials(), Scope::All),
        (ApiError::invalid_token(), Scope::All),
        (
            ApiError::CapabilityDenied("You do not have permission to access onboarding features."),
            Scope::CapabilityGated,
        ),
        (
            ApiError::NotFound("User profile not fully initialized".into()),
            Scope::All,
        ),
        (
            ApiError::field("dateofbirth", "Date of birth cannot be in the future"),
            Scope::AllBut(&["uploadProfileImage"]),
        ),
        (
            ApiError::BadRequest("Image file too large. Maximum size is 5MB".into()),
            Scope::AllBut(&[
                "login",
                "refreshToken",
                // Its only 400 is an unknown `include` (a field error).
                "getProfile",
                "updateProfile",
                "updateProfileAlias",
                "markOnboardingComplete",
                "createJournalEntry",
                "listJournalEntries",
                "updateJournalEntry",
                "startOnboardingConversation",
                "processOnboardingMessage",
            ]),
        ),
        (
            ApiError::Conflict("The record was changed by another request. Please retry.".into()),
            Scope::All,
        ),
        (
            ApiError::TooManyRequests {
                detail: "Too many failed login attempts. Try again later.",
                retry_after_secs: 60,
            },
            Scope::All,
        ),
        (ApiError::Internal, Scope::All),
        (ApiError::Unavailable, Scope::All),
    ];
    for (error, scope) in errors {
        let status = error.status();
        let mut seen = 0;
        for item in doc["paths"].as_object().unwrap().values() {
            for op in item.as_object().unwrap().values() {
                let schema =
                    &op["responses"][status.as_str()]["content"]["application/json"]["schema"];
                if !schema.is_object() {
                    continue;
                }
                let in_scope = match scope {
                    Scope::All => true,
                    Scope::CapabilityGated => op.get("x-required-capability").is_some(),
                    Scope::AllBut(ids) => !ids.contains(&op["operationId"].as_str().unwrap_or("")),
                };
                if !in_scope {
                    continue;
                }
                let v = openapi_validator(&doc, schema, true);
                let p = problems(&v, &error.body());
                assert!(
                    p.is_empty(),
                    "{} {error:?} -> {}: {}",
                    op["operationId"],
                    error.body(),
                    p.join("\n")
                );
                seen += 1;
            }
        }
        assert!(
            seen > 0,
            "no operation documents status {status} for {error:?}"
        );
    }
}

/// Request bodies the API refuses are refused by the document's schemas too
/// (unknown keys, wrong types, unknown steps and genders, null email).
#[test]
fn the_request_schemas_refuse_what_the_api_refuses() {
    let doc = openapi::document_json();
    let cases = [
        ("/api/v2/auth/login/", "post", json!({"username": "a"})),
        (
            "/api/v2/auth/login/",
            "post",
            json!({"username": "a", "password": "b", "remember": true}),
        ),
        ("/api/v2/auth/refresh/", "post", json!({})),
        ("/api/v2/profile/me/", "patch", json!({"email": null})),
        (
            "/api/v2/profile/me/",
            "patch",
            json!({"email": "not-an-email"}),
        ),
        ("/api/v2/profile/me/", "patch", json!({"capabilities": {}})),
        (
            "/api/v2/profile/me/",
            "patch",
            json!({"profile": {"gender": "M"}}),
        ),
        (
            "/api/v2/profile/me/",
            "patch",
            json!({"profile": {"dateofbirth": "15/01/1990"}}),
        ),
        (
            "/api/v2/profile/me/",
            "patch",
            json!({"profile": {"peopleimg": "x"}}),
        ),
        (
            "/api/v2/profile/me/",
            "patch",
            json!({"organizational": {"location": "Site A"}}),
        ),
        (
            "/api/v2/profile/me/",
            "patch",
            json!({"organizational": {"client": 1}}),
        ),
        (
            "/api/v2/profile/mark-onboarding-complete/",
            "post",
            json!({"completed_steps": []}),
        ),
        (
            "/api/v2/profile/mark-onboarding-complete/",
            "post",
            json!({"skipped": "no"}),
        ),
        (
            "/api/v2/profile/mark-onboarding-complete/",
            "post",
            json!({"skipped": false, "completed_steps": ["profile"]}),
        ),
    ];
    for (path, method, body) in cases {
        let schema =
            &doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"];
        let v = openapi_validator(&doc, schema, false);
        assert!(
            !v.is_valid(&body),
            "{method} {path}: {body} should not validate"
        );
    }
}

/// The live check is not vacuous: undocumented keys, legacy codes and bad
/// formats fail it.
#[test]
fn the_live_check_refuses_what_the_document_does_not_describe() {
    let doc = openapi::document_json();
    let schema = response_schema(&doc, &Method::GET, "/api/v2/profile/me/", StatusCode::OK);
    let v = openapi_validator(&doc, &schema, true);
    let mut body: Value =
        serde_json::from_str(include_str!("../fixtures/contract/profile_me.json")).unwrap();
    body["profile"]["dateofreport"] = Value::Null;
    let p = problems(&v, &body);
    assert!(p.is_empty(), "{}", p.join("\n"));
    let broken = [
        ("/nickname", json!("x")),
        ("/profile/gender", json!("M")),
        (
            "/onboarding_status/onboarding_completed_at",
            json!("yesterday"),
        ),
        ("/profile/dateofbirth", json!("15/01/1990")),
        ("/capabilities/canAccessOnboarding", Value::Null),
        ("/id", json!("123")),
    ];
    for (pointer, value) in broken {
        let mut b = body.clone();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let target = if parent.is_empty() {
            &mut b
        } else {
            b.pointer_mut(parent).unwrap()
        };
        target[key] = value.clone();
        assert!(!v.is_valid(&b), "{pointer} = {value} should fail");
    }
}

/// docs/CONTRACT.md (for client teams) says what the code does: the
/// capability table, the steps, the required fields, the messages, the routes.
#[test]
fn the_contract_document_agrees_with_the_code() {
    use shared::errors::*;
    let text = read_root_file("docs/CONTRACT.md");
    let mut missing = Vec::new();
    for def in &shared::capabilities::TABLE {
        missing.push(format!(
            "| `{}` | {} | {} | {} |",
            def.key, def.default, def.admin_default, def.gates
        ));
    }
    for (field, display) in shared::profile::REQUIRED_FIELDS {
        missing.push(format!("| `{field}` | {display} |"));
    }
    for step in shared::profile::ONBOARDING_STEPS {
        missing.push(format!("`{step}`"));
    }
    for message in [
        MSG_NO_CREDENTIALS,
        MSG_TOKEN_INVALID,
        MSG_BAD_LOGIN,
        MSG_REFRESH_INVALID,
        MSG_PROFILE_NOT_INITIALIZED,
        shared::guards::Guard::OnboardingAccess.message(),
    ] {
        missing.push(format!("\"{message}\""));
    }
    for route in ROUTES {
        missing.push(format!("`{}`", route.path));
    }
    missing.retain(|needle| !text.contains(needle.as_str()));
    assert!(
        missing.is_empty(),
        "docs/CONTRACT.md lacks or differs on:\n{}",
        missing.join("\n")
    );
}
