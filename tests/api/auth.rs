//! Login, refresh and token verification.

use crate::support::*;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const CAPABILITY_KEYS: [&str; 13] = [
    "canAccessPeople",
    "canAccessAttendance",
    "canAccessOperations",
    "canAccessHelpdesk",
    "canAccessJournal",
    "canAccessReports",
    "canAccessCalendar",
    "canAccessOnboarding",
    "canUseVoiceFeatures",
    "canUseVoiceBiometrics",
    "canApproveJobs",
    "canManageTeam",
    "canViewAnalytics",
];

fn jwt_payload(token: &str) -> Value {
    use base64::Engine;
    let part = token.split('.').nth(1).expect("three parts");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("json claims")
}

#[tokio::test]
async fn login_returns_tokens_and_all_thirteen_capabilities() {
    let api = Api::start().await;
    let reply = api.login(ADMIN).await;
    assert_eq!(reply.status, StatusCode::OK);
    let user = &reply.body["user"];
    assert!(user["id"].is_u64());
    assert_eq!(user["username"], "admin");
    assert_eq!(user["email"], "admin@demo.example");
    let caps = user["capabilities"].as_object().unwrap();
    let keys: Vec<&str> = caps.keys().map(String::as_str).collect();
    assert_eq!(keys, CAPABILITY_KEYS);
    assert_eq!(caps["canAccessOnboarding"], true);
    assert!(reply.body["refresh"].as_str().unwrap().len() >= 40);

    // The access token carries the tenant and the same 13 flags.
    let claims = jwt_payload(reply.body["access"].as_str().unwrap());
    assert_eq!(claims["capabilities"], user["capabilities"]);
    assert_eq!(claims["tenant_id"], api.principal("admin").await.tenant_id);
    assert_eq!(claims["sub"], user["id"].to_string());
    for claim in ["exp", "iss", "aud", "iat"] {
        assert!(!claims[claim].is_null(), "{claim} present");
    }
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_401() {
    let api = Api::start().await;
    let wrong = api.login(("admin", "nope-nope")).await;
    let unknown = api.login(("nobody.here", "nope-nope")).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(
        wrong.body["detail"],
        "No active account found with the given credentials"
    );
}

#[tokio::test]
async fn login_without_fields_is_a_field_error() {
    let api = Api::start().await;
    let reply = api
        .call(
            Method::POST,
            "/api/v2/auth/login/",
            None,
            Some(json!({"username": "admin"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body,
        json!({"errors": {"password": ["This field is required."]}})
    );

    let reply = api
        .call(Method::POST, "/api/v2/auth/login/", None, None)
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body["errors"]["username"].is_array());
}

#[tokio::test]
async fn malformed_json_is_a_400_not_a_500() {
    let api = Api::start().await;
    let res = api
        .http
        .post(api.url("/api/v2/auth/login/"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: Value = res.json().await.unwrap();
    assert!(body["errors"]["body"][0]
        .as_str()
        .unwrap()
        .starts_with("JSON parse error"));
}

#[tokio::test]
async fn repeated_failures_lock_the_login_for_a_while() {
    let api = Api::start().await;
    for _ in 0..5 {
        assert_eq!(
            api.login(("regular.user", "bad-guess")).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // Now even the right password is refused until the lock expires.
    let locked = api.login(REGULAR).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.body["detail"]
        .as_str()
        .unwrap()
        .contains("Too many failed login attempts"));
    let retry: u64 = locked.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 15 * 60);
    // Other accounts are unaffected.
    assert_eq!(api.login(ADMIN).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_success_resets_the_failure_count() {
    let api = Api::start().await;
    for _ in 0..4 {
        api.login(("regular.user", "bad-guess")).await;
    }
    assert_eq!(api.login(REGULAR).await.status, StatusCode::OK);
    for _ in 0..4 {
        api.login(("regular.user", "bad-guess")).await;
    }
    assert_eq!(api.login(REGULAR).await.status, StatusCode::OK);
}

async fn refresh(api: &Api, token: &str) -> crate::support::Reply {
    api.call(
        Method::POST,
        "/api/v2/auth/refresh/",
        None,
        Some(json!({"refresh": token})),
    )
    .await
}

#[tokio::test]
async fn refresh_rotates_and_a_replayed_token_revokes_the_family() {
    // A replay within the grace window returns the same pair (attacks.rs);
    // here the window is one second and the replay comes after it.
    let api = Api::start_with(&[("REFRESH_GRACE_SECONDS", "1")]).await;
    let login = api.login(NEW_EMPLOYEE).await;
    let first = login.body["refresh"].as_str().unwrap().to_string();

    let rotated = refresh(&api, &first).await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.body);
    let second = rotated.body["refresh"].as_str().unwrap().to_string();
    assert_ne!(first, second);
    let access = rotated.body["access"].as_str().unwrap();
    assert_eq!(
        api.get("/api/v2/profile/me/", access).await.status,
        StatusCode::OK
    );

    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    // Replaying the first token: refused, and the family is revoked...
    let replay = refresh(&api, &first).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert_eq!(replay.body["detail"], "Token is invalid or expired");
    // ...so the legitimate newer token no longer works either.
    assert_eq!(
        refresh(&api, &second).await.status,
        StatusCode::UNAUTHORIZED
    );

    // A fresh login starts a new family.
    let again = api.login(NEW_EMPLOYEE).await;
    let third = again.body["refresh"].as_str().unwrap();
    assert_eq!(refresh(&api, third).await.status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_refresh_token_is_401_and_missing_one_is_400() {
    let api = Api::start().await;
    assert_eq!(
        refresh(&api, "made-up").await.status,
        StatusCode::UNAUTHORIZED
    );
    let reply = api
        .call(Method::POST, "/api/v2/auth/refresh/", None, Some(json!({})))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body,
        json!({"errors": {"refresh": ["This field is required."]}})
    );
}

fn now() -> u64 {
    chrono::Utc::now().timestamp() as u64
}

fn claims(api: &Api, sub: &str, tenant: u64, exp: u64) -> Value {
    let _ = api;
    json!({
        "sub": sub, "iss": infra::stack::ISSUER, "aud": infra::stack::AUDIENCE,
        "exp": exp, "iat": now(), "jti": "t", "token_use": "access",
        "tenant_id": tenant, "username": "x", "capabilities": {}
    })
}

fn sign(pem: &str, claims: &Value) -> String {
    let key = EncodingKey::from_ed_pem(pem.as_bytes()).unwrap();
    encode(&Header::new(Algorithm::EdDSA), claims, &key).unwrap()
}

#[tokio::test]
async fn bad_expired_forged_and_foreign_tokens_are_401() {
    let api = Api::start().await;
    let me = api.principal("admin").await;
    let sub = me.user_id.to_string();
    let valid = sign(
        &api.stack.private_key_pem,
        &claims(&api, &sub, me.tenant_id, now() + 600),
    );
    assert_eq!(
        api.get("/api/v2/profile/me/", &valid).await.status,
        StatusCode::OK
    );

    let expired = sign(
        &api.stack.private_key_pem,
        &claims(&api, &sub, me.tenant_id, now() - 3600),
    );
    let forged = sign(
        &infra::keys::generate().private_pem,
        &claims(&api, &sub, me.tenant_id, now() + 600),
    );
    let mut wrong_aud = claims(&api, &sub, me.tenant_id, now() + 600);
    wrong_aud["aud"] = json!("someone-else");
    let wrong_aud = sign(&api.stack.private_key_pem, &wrong_aud);
    let mut no_sub = claims(&api, &sub, me.tenant_id, now() + 600);
    no_sub.as_object_mut().unwrap().remove("sub");
    let no_sub = sign(&api.stack.private_key_pem, &no_sub);
    // HS256 with the public key as the secret: the classic algorithm confusion.
    let hs256 = encode(
        &Header::new(Algorithm::HS256),
        &claims(&api, &sub, me.tenant_id, now() + 600),
        &EncodingKey::from_secret(api.stack.public_key_pem.as_bytes()),
    )
    .unwrap();
    // The same user id in another tenant is another (non-existent) user.
    let other_tenant = sign(
        &api.stack.private_key_pem,
        &claims(&api, &sub, me.tenant_id + 100, now() + 600),
    );

    for (name, token) in [
        ("expired", expired.as_str()),
        ("forged", &forged),
        ("wrong audience", &wrong_aud),
        ("no sub", &no_sub),
        ("hs256", &hs256),
        ("other tenant", &other_tenant),
        ("garbage", "not.a.jwt"),
    ] {
        let reply = api.get("/api/v2/profile/me/", token).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{name}");
        assert_eq!(
            reply.body["detail"], "Given token not valid for any token type",
            "{name}"
        );
    }
}

#[tokio::test]
async fn missing_or_non_bearer_credentials_are_401_with_the_contract_detail() {
    let api = Api::start().await;
    let reply = api
        .call(Method::GET, "/api/v2/profile/me/", None, None)
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        reply.body,
        json!({"detail": "Authentication credentials were not provided."})
    );
    let res = api
        .http
        .get(api.url("/api/v2/profile/me/"))
        .header("authorization", "Basic YWRtaW46eA==")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}
