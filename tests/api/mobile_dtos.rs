//! What the apps can parse: live answers against the mobile DTOs, written as
//! JSON Schemas (contract/mobile-dtos/) by hand from the Kotlin DTOs in the
//! contract, independently of our Rust types. If our types drift from what
//! the apps parse, these fail even when openapi.yaml was regenerated.

use crate::contract_drift::problems;
use crate::support::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::path::PathBuf;

fn dto_dir() -> PathBuf {
    contract_tools::generate::workspace_root().join("contract/mobile-dtos")
}

fn dto_schema(name: &str) -> Value {
    let path = dto_dir().join(format!("{name}.schema.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("DTO schema exists"))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Resolves the schemas' relative `$ref`s (`MissingFieldDto.schema.json`) to
/// the files next to them; nothing else is fetched.
struct DtoFiles;

impl jsonschema::Retrieve for DtoFiles {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri
            .as_str()
            .strip_prefix("file:///mobile-dtos/")
            .ok_or_else(|| format!("not a mobile DTO schema: {}", uri.as_str()))?;
        let text = std::fs::read_to_string(dto_dir().join(name))?;
        Ok(serde_json::from_str(&text)?)
    }
}

fn validator(name: &str) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .with_base_uri(format!("file:///mobile-dtos/{name}.schema.json"))
        .with_retriever(DtoFiles)
        .should_validate_formats(true)
        .build(&dto_schema(name))
        .unwrap_or_else(|e| panic!("{name} does not compile: {e}"))
}

fn assert_parses(dto: &str, body: &Value, context: &str) {
    let p = problems(&validator(dto), body);
    assert!(
        p.is_empty(),
        "{context}: the apps' {dto} cannot parse {body:#}:\n{}",
        p.join("\n")
    );
}

fn fixture(name: &str) -> Value {
    let path = format!("{}/fixtures/contract/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

const STATUS: &str = "/api/v2/profile/completion-status/";
const COMPLETE: &str = "/api/v2/profile/mark-onboarding-complete/";

/// The contract's four integration test users, each as the apps would meet
/// the API: login, completion status, mark complete (or skip), status again.
#[tokio::test]
async fn the_four_integration_users_get_answers_the_apps_can_parse() {
    let api = Api::start().await;
    let users = [
        (ADMIN, json!({"skipped": true, "completed_steps": []})),
        (REGULAR, json!({"skipped": true, "completed_steps": []})),
        (NEW_EMPLOYEE, fixture("mark_complete_request.json")),
        (
            EXISTING,
            json!({"skipped": false, "completed_steps": ["welcome", "voice_enrollment"]}),
        ),
    ];
    for (who, request) in users {
        let login = api.login(who).await;
        assert_eq!(login.status, StatusCode::OK, "{}", who.0);
        assert_parses(
            "UserCapabilities",
            &login.body["user"]["capabilities"],
            &format!("login of {}", who.0),
        );
        let token = login.body["access"].as_str().unwrap().to_string();

        let me = api.get("/api/v2/profile/me/", &token).await;
        assert_eq!(me.status, StatusCode::OK);
        assert_parses(
            "UserCapabilities",
            &me.body["capabilities"],
            &format!("profile of {}", who.0),
        );

        let may_onboard = who != REGULAR;
        let status = api.get(STATUS, &token).await;
        if may_onboard {
            assert_eq!(status.status, StatusCode::OK, "{}", who.0);
            assert_parses("ProfileCompletionDto", &status.body, who.0);
        } else {
            assert_eq!(status.status, StatusCode::FORBIDDEN);
        }

        assert_parses(
            "MarkOnboardingCompleteRequestDto",
            &request,
            &format!("the request sent for {}", who.0),
        );
        let marked = api.post(COMPLETE, &token, request).await;
        if may_onboard {
            assert_eq!(marked.status, StatusCode::OK, "{}: {}", who.0, marked.body);
            assert_parses("MarkOnboardingCompleteResponseDto", &marked.body, who.0);
            let after = api.get(STATUS, &token).await;
            assert_parses("ProfileCompletionDto", &after.body, who.0);
        } else {
            assert_eq!(marked.status, StatusCode::FORBIDDEN);
        }
    }
}

#[test]
fn the_contracts_examples_parse_as_the_mobile_dtos() {
    assert_parses(
        "ProfileCompletionDto",
        &fixture("completion_status.json"),
        "Endpoint 4 example",
    );
    assert_parses(
        "MarkOnboardingCompleteRequestDto",
        &fixture("mark_complete_request.json"),
        "Endpoint 5 request example",
    );
    assert_parses(
        "MarkOnboardingCompleteResponseDto",
        &fixture("mark_complete_response.json"),
        "Endpoint 5 example",
    );
    assert_parses(
        "UserCapabilities",
        &fixture("profile_me.json")["capabilities"],
        "Endpoint 1 example",
    );
    // No endpoint answers this yet (image upload is being built): the
    // contract's example, so the schema is known to be right when it lands.
    assert_parses(
        "ProfileImageResponseDto",
        &json!({
            "image_url": "https://cdn.intelliwiz.com/media/profiles/123.jpg",
            "profile_completion_percentage": 100
        }),
        "Endpoint 3 example",
    );
    assert_parses(
        "MissingFieldDto",
        &json!({"field": "peopleimg", "display_name": "Profile Image"}),
        "a missing field",
    );
}

/// The schemas are not vacuous: they refuse what kotlinx.serialization would.
#[test]
fn the_mobile_dto_schemas_refuse_what_the_apps_cannot_parse() {
    let status = fixture("completion_status.json");
    let mut cases: Vec<(&str, Value)> = Vec::new();
    let mut without_at = status.clone();
    without_at
        .as_object_mut()
        .unwrap()
        .remove("onboarding_completed_at");
    cases.push(("ProfileCompletionDto", without_at));
    let mut text_percentage = status.clone();
    text_percentage["completion_percentage"] = json!("60");
    cases.push(("ProfileCompletionDto", text_percentage));
    let mut null_documents = status.clone();
    null_documents["required_documents"] = Value::Null;
    cases.push(("ProfileCompletionDto", null_documents));
    let mut bad_missing = status.clone();
    bad_missing["missing_fields"] = json!([{"field": "peopleimg"}]);
    cases.push(("ProfileCompletionDto", bad_missing));
    let mut huge = status;
    huge["completion_percentage"] = json!(3_000_000_000u64);
    cases.push(("ProfileCompletionDto", huge));
    cases.push((
        "MarkOnboardingCompleteRequestDto",
        json!({"skipped": false}),
    ));
    cases.push((
        "MarkOnboardingCompleteResponseDto",
        json!({"success": true, "onboarding_skipped": false, "first_login_completed": true}),
    ));
    cases.push(("UserCapabilities", json!({"canAccessOnboarding": null})));
    cases.push((
        "ProfileImageResponseDto",
        json!({"image_url": null, "profile_completion_percentage": 100}),
    ));
    for (dto, body) in cases {
        assert!(
            !validator(dto).is_valid(&body),
            "{dto} should refuse {body}"
        );
    }
    // Optional with a Kotlin default: may be absent.
    let mut minimal = fixture("completion_status.json");
    minimal
        .as_object_mut()
        .unwrap()
        .remove("required_documents");
    minimal
        .as_object_mut()
        .unwrap()
        .remove("onboarding_workflow_state");
    assert_parses("ProfileCompletionDto", &minimal, "without defaulted keys");
    assert_parses("UserCapabilities", &json!({}), "no flags at all");
}

/// The apps' defaults (Kotlin `UserCapabilities`) are the backend's defaults.
#[test]
fn user_capabilities_defaults_are_the_capability_table() {
    let schema = dto_schema("UserCapabilities");
    let props = schema["properties"].as_object().unwrap();
    let keys: Vec<&str> = props.keys().map(String::as_str).collect();
    let table: Vec<&str> = shared::capabilities::TABLE.iter().map(|d| d.key).collect();
    assert_eq!(keys, table);
    for d in &shared::capabilities::TABLE {
        assert_eq!(props[d.key]["default"], d.default, "{}", d.key);
    }
}

/// Every answer a mobile DTO parses, for the four demo users in every state
/// the apps meet: new, with an image, skipped, completed; through both image
/// flows. The DTO schemas refuse unknown keys, as the Android app's parser
/// does by default.
#[tokio::test]
async fn every_answer_a_dto_parses_in_every_state() {
    use crate::images::{multipart, presigned, sample};
    use image::ImageFormat;
    let api = Api::start().await;
    for who in [ADMIN, REGULAR, NEW_EMPLOYEE, EXISTING] {
        let token = api.token(who).await;
        let may_onboard = who != REGULAR;
        let status = |state: &'static str| {
            let (api, token) = (&api, token.clone());
            async move {
                let reply = api.get(STATUS, &token).await;
                if may_onboard {
                    assert_eq!(reply.status, StatusCode::OK, "{} {state}", who.0);
                    assert_parses(
                        "ProfileCompletionDto",
                        &reply.body,
                        &format!("{} {state}", who.0),
                    );
                    for missing in reply.body["missing_fields"].as_array().unwrap() {
                        assert_parses("MissingFieldDto", missing, who.0);
                    }
                } else {
                    assert_eq!(reply.status, StatusCode::FORBIDDEN);
                }
            }
        };
        status("as seeded").await;

        let (jpeg, ct) = sample(ImageFormat::Jpeg);
        let uploaded = multipart(&api, &token, "image", jpeg.clone(), ct).await;
        assert_eq!(uploaded.status, StatusCode::OK, "{}", uploaded.body);
        assert_parses(
            "ProfileImageResponseDto",
            &uploaded.body,
            "multipart upload",
        );
        status("with an image").await;

        for (state, body) in [
            ("skipped", json!({"skipped": true, "completed_steps": []})),
            ("completed", fixture("mark_complete_request.json")),
        ] {
            let marked = api.post(COMPLETE, &token, body).await;
            if may_onboard {
                assert_eq!(marked.status, StatusCode::OK);
                assert_parses("MarkOnboardingCompleteResponseDto", &marked.body, state);
            } else {
                assert_eq!(marked.status, StatusCode::FORBIDDEN);
            }
            status(state).await;
        }

        let confirmed = presigned(&api, &token, jpeg, ct).await;
        assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
        assert_parses(
            "ProfileImageResponseDto",
            &confirmed.body,
            "presigned confirm",
        );

        let me = api.get("/api/v2/profile/me/", &token).await;
        assert_parses("UserCapabilities", &me.body["capabilities"], who.0);
        let expected_keys = fixture("profile_me.json");
        assert_same_keys(&expected_keys, &me.body, "GET /profile/me/");
    }
}

/// `actual` has exactly the keys of `expected`, at every level of objects.
fn assert_same_keys(expected: &Value, actual: &Value, path: &str) {
    if let (Some(e), Some(a)) = (expected.as_object(), actual.as_object()) {
        let ek: Vec<&String> = e.keys().collect();
        let ak: Vec<&String> = a.keys().collect();
        let (mut ek, mut ak) = (ek, ak);
        ek.sort();
        ak.sort();
        assert_eq!(ak, ek, "{path}: keys differ from the contract's");
        for (k, v) in e {
            assert_same_keys(v, &a[k], &format!("{path}.{k}"));
        }
    }
}

/// Opt-in additions stay out of what the apps parse unless asked for.
#[tokio::test]
async fn additions_come_only_when_asked_for() {
    use crate::images::{multipart, sample};
    use image::ImageFormat;
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    let (jpeg, ct) = sample(ImageFormat::Jpeg);
    let plain = multipart(&api, &token, "image", jpeg.clone(), ct).await;
    assert!(plain.body.get("thumbnail_url").is_none(), "{}", plain.body);
    let part = reqwest::multipart::Part::bytes(jpeg)
        .file_name("a.jpg")
        .mime_str(ct)
        .unwrap();
    let res = api
        .http
        .post(api.url("/api/v2/profile/me/image/?include=thumbnail_url"))
        .bearer_auth(&token)
        .multipart(reqwest::multipart::Form::new().part("image", part))
        .send()
        .await
        .unwrap();
    let with: Value = res.json().await.unwrap();
    assert!(with["thumbnail_url"].as_str().is_some(), "{with}");
    // The DTO refuses the addition: only a client that asked gets it.
    assert!(!validator("ProfileImageResponseDto").is_valid(&with));
}
