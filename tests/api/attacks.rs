//! The families of attacks an outside attack run tried, kept as tests so the
//! holes it found stay closed: lockout bypass by concurrency, guessing from
//! one client, token time claims, refresh races, module switches.

use crate::support::*;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn burst(api: &Api, n: usize, who: (&str, &str)) -> Vec<StatusCode> {
    let calls = (0..n).map(|_| api.login(who));
    futures::future::join_all(calls)
        .await
        .into_iter()
        .map(|r| r.status)
        .collect()
}

fn count(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

#[tokio::test]
async fn concurrent_wrong_logins_check_at_most_the_limit() {
    for n in [30, 100] {
        let api = Api::start().await;
        let statuses = burst(&api, n, ("regular.user", "wrong-guess")).await;
        // A 401 is a password that was checked; everything else was refused
        // before any check.
        let checked = count(&statuses, StatusCode::UNAUTHORIZED);
        assert_eq!(checked, 5, "{n} concurrent guesses: {statuses:?}");
        assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), n - 5);
        // The name is locked: the right password is refused too.
        let after = api.login(REGULAR).await;
        assert_eq!(after.status, StatusCode::TOO_MANY_REQUESTS, "after {n}");
        assert!(after.headers.contains_key("retry-after"));
    }
}

#[tokio::test]
async fn a_correct_password_inside_a_burst_is_refused_once_the_window_is_full() {
    let api = Api::start().await;
    let mut pending: futures::stream::FuturesUnordered<_> = (0..30)
        .map(|_| api.login(("regular.user", "wrong-guess")))
        .collect();
    use futures::StreamExt;
    let mut failed = 0;
    while let Some(reply) = pending.next().await {
        if reply.status == StatusCode::UNAUTHORIZED {
            failed += 1;
        }
        if failed == 5 {
            break;
        }
    }
    // Five guesses were checked; the rest of the burst is still in flight.
    let inside = api.login(REGULAR).await;
    assert_eq!(inside.status, StatusCode::TOO_MANY_REQUESTS);
    while let Some(reply) = pending.next().await {
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    }
}

#[tokio::test]
async fn one_client_cannot_guess_across_names_without_limit() {
    let api = Api::start().await;
    let attacker = api.client_at([127, 0, 0, 7]);
    let mut statuses = Vec::new();
    // A spread of names, a few guesses each: never enough to lock a name.
    for i in 0..40 {
        let name = format!("someone.{i}");
        for _ in 0..2 {
            statuses.push(attacker.login((&name, "guess")).await);
        }
    }
    // 30 checks from one address per window, then refused.
    assert_eq!(count(&statuses, StatusCode::UNAUTHORIZED), 30);
    assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 50);
    // That client is refused even with a right password...
    assert_eq!(attacker.login(ADMIN).await, StatusCode::TOO_MANY_REQUESTS);
    // ...but it could not lock the names out for everyone else.
    assert_eq!(
        api.client_at([127, 0, 0, 8]).login(ADMIN).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn one_client_cannot_lock_out_every_known_name() {
    let api = Api::start().await;
    let attacker = api.client_at([127, 0, 0, 9]);
    let known = ["admin", "regular.user", "new.employee", "existing.user"];
    // Six failures per name would lock each one; the client runs out first
    // only if it targets more names than its budget allows: 30 / 5 = 6.
    for name in known {
        for _ in 0..5 {
            attacker.login((name, "guess")).await;
        }
    }
    // Those four are locked (5 failures each = 20 checks)...
    let victim = api.client_at([127, 0, 0, 10]);
    assert_eq!(victim.login(ADMIN).await, StatusCode::TOO_MANY_REQUESTS);
    // ...and the client has 10 checks left: two more names at most.
    let mut statuses = Vec::new();
    for i in 0..5 {
        for _ in 0..5 {
            statuses.push(attacker.login((&format!("other.{i}"), "guess")).await);
        }
    }
    assert_eq!(count(&statuses, StatusCode::UNAUTHORIZED), 10);
}

fn now() -> u64 {
    chrono::Utc::now().timestamp() as u64
}

async fn token_with(api: &Api, edit: impl Fn(&mut Value)) -> String {
    let me = api.principal("admin").await;
    let mut claims = json!({
        "sub": me.user_id.to_string(), "iss": infra::stack::ISSUER,
        "aud": infra::stack::AUDIENCE, "exp": now() + 600, "iat": now(),
        "jti": "t", "token_use": "access", "tenant_id": me.tenant_id,
        "username": "admin", "capabilities": {}
    });
    edit(&mut claims);
    let key = EncodingKey::from_ed_pem(api.stack.private_key_pem.as_bytes()).unwrap();
    encode(&Header::new(Algorithm::EdDSA), &claims, &key).unwrap()
}

#[tokio::test]
async fn tokens_not_yet_valid_or_issued_in_the_future_are_401() {
    let api = Api::start().await;
    type Edit = Box<dyn Fn(&mut Value)>;
    let cases: [(&str, Edit, StatusCode); 5] = [
        ("plain", Box::new(|_| {}), StatusCode::OK),
        (
            "nbf in the past",
            Box::new(|c| c["nbf"] = json!(now() - 60)),
            StatusCode::OK,
        ),
        (
            "nbf a day ahead",
            Box::new(|c| c["nbf"] = json!(now() + 86_400)),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "iat a day ahead",
            Box::new(|c| c["iat"] = json!(now() + 86_400)),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "iat within the leeway",
            Box::new(|c| c["iat"] = json!(now() + 5)),
            StatusCode::OK,
        ),
    ];
    for (name, edit, expected) in cases {
        let token = token_with(&api, edit).await;
        let reply = api.get("/api/v2/profile/me/", &token).await;
        assert_eq!(reply.status, expected, "{name}: {}", reply.body);
    }
}

async fn refresh(api: &Api, token: &str) -> Reply {
    api.call(
        Method::POST,
        "/api/v2/auth/refresh/",
        None,
        Some(json!({"refresh": token})),
    )
    .await
}

#[tokio::test]
async fn racing_refreshes_of_one_token_get_the_same_pair_and_keep_the_session() {
    let api = Api::start().await;
    let session = api.login(EXISTING).await.body["refresh"]
        .as_str()
        .unwrap()
        .to_string();
    let mut current = session;
    for trial in 0..10 {
        let replies = futures::future::join_all((0..2).map(|_| refresh(&api, &current))).await;
        for r in &replies {
            assert_eq!(r.status, StatusCode::OK, "trial {trial}: {}", r.body);
        }
        assert_eq!(
            replies[0].body, replies[1].body,
            "trial {trial}: both get the same pair"
        );
        current = replies[0].body["refresh"].as_str().unwrap().to_string();
    }
    // The session survived ten races: its newest token still works.
    assert_eq!(refresh(&api, &current).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_replay_after_the_grace_window_still_revokes_the_family() {
    let api = Api::start_with(&[("REFRESH_GRACE_SECONDS", "1")]).await;
    let first = api.login(NEW_EMPLOYEE).await.body["refresh"]
        .as_str()
        .unwrap()
        .to_string();
    let rotated = refresh(&api, &first).await;
    assert_eq!(rotated.status, StatusCode::OK);
    // A retry inside the window: the same pair again.
    let retry = refresh(&api, &first).await;
    assert_eq!(retry.status, StatusCode::OK);
    assert_eq!(retry.body, rotated.body);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    // Later, the old token is a stolen copy: refused, the family revoked.
    assert_eq!(refresh(&api, &first).await.status, StatusCode::UNAUTHORIZED);
    let second = rotated.body["refresh"].as_str().unwrap();
    assert_eq!(refresh(&api, second).await.status, StatusCode::UNAUTHORIZED);
}

fn jwt_claims(token: &str) -> Value {
    use base64::Engine;
    let part = token.split('.').nth(1).expect("three parts");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("json claims")
}

#[tokio::test]
async fn switched_off_modules_are_reported_off_everywhere() {
    let api = Api::start_with(&[
        ("ONBOARDING_MODULE_ENABLED", "false"),
        ("VOICE_FEATURES_ENABLED", "false"),
    ])
    .await;
    let login = api.login(ADMIN).await;
    assert_eq!(login.status, StatusCode::OK);
    let access = login.body["access"].as_str().unwrap().to_string();
    let profile = api.get("/api/v2/profile/me/", &access).await;
    let refreshed = refresh(&api, login.body["refresh"].as_str().unwrap()).await;
    let sources = [
        ("login", login.body["user"]["capabilities"].clone()),
        ("token", jwt_claims(&access)["capabilities"].clone()),
        (
            "refreshed token",
            jwt_claims(refreshed.body["access"].as_str().unwrap())["capabilities"].clone(),
        ),
        ("profile", profile.body["capabilities"].clone()),
    ];
    for (name, caps) in sources {
        for off in [
            "canAccessOnboarding",
            "canUseVoiceFeatures",
            "canUseVoiceBiometrics",
        ] {
            assert_eq!(caps[off], json!(false), "{name}: {off}");
        }
        // The admin's other flags are untouched.
        assert_eq!(caps["canAccessReports"], json!(true), "{name}");
    }
    // With the modules on, the same admin sees them on.
    let api = Api::start().await;
    let caps = api.login(ADMIN).await.body["user"]["capabilities"].clone();
    assert_eq!(caps["canAccessOnboarding"], json!(true));
    assert_eq!(caps["canUseVoiceBiometrics"], json!(true));
}

async fn raw(
    api: &Api,
    method: Method,
    path: &str,
    token: Option<&str>,
    ct: Option<&str>,
    body: &str,
) -> Reply {
    let mut req = api
        .http
        .request(method, api.url(path))
        .body(body.to_string());
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if let Some(ct) = ct {
        req = req.header("content-type", ct);
    }
    let res = req.send().await.expect("request reaches the gateway");
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.json().await.unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        body,
    }
}

#[tokio::test]
async fn bodies_not_declared_as_json_are_415() {
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    let login = json!({"username": "admin", "password": "admin-pass-1"}).to_string();
    let patch = json!({"mobno": "+15550000000"}).to_string();
    let complete = json!({"skipped": true, "completed_steps": []}).to_string();
    let entry = json!({"entry_type": "DAILY", "title": "t"}).to_string();
    let cases = [
        (Method::POST, "/api/v2/auth/login/", None, login.as_str()),
        (
            Method::PATCH,
            "/api/v2/profile/me/",
            Some(token.as_str()),
            &patch,
        ),
        (
            Method::POST,
            "/api/v2/profile/mark-onboarding-complete/",
            Some(token.as_str()),
            &complete,
        ),
        (
            Method::POST,
            "/api/v2/journal/entries/",
            Some(token.as_str()),
            &entry,
        ),
    ];
    for (method, path, token, body) in &cases {
        for ct in [
            Some("text/plain"),
            None,
            Some("application/x-www-form-urlencoded"),
        ] {
            let reply = raw(&api, method.clone(), path, *token, ct, body).await;
            assert_eq!(
                reply.status,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{path} {ct:?}"
            );
            assert!(
                reply.body["error"]
                    .as_str()
                    .unwrap()
                    .contains("application/json"),
                "{path}: {}",
                reply.body
            );
        }
    }
    // Nothing was written by any refused request.
    let me = api.get("/api/v2/profile/me/", &token).await;
    assert_ne!(me.body["phone"], json!("+15550000000"));
    for (method, path, token, body) in &cases {
        let ok = raw(
            &api,
            method.clone(),
            path,
            *token,
            Some("application/json; charset=utf-8"),
            body,
        )
        .await;
        assert_ne!(ok.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{path}");
    }
    // The multipart route: JSON is not multipart.
    let reply = raw(
        &api,
        Method::POST,
        "/api/v2/profile/me/image/",
        Some(&token),
        Some("application/json"),
        "{}",
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(reply.body["error"]
        .as_str()
        .unwrap()
        .contains("multipart/form-data"));
}

#[tokio::test]
async fn dates_and_timestamps_are_read_exactly() {
    let api = Api::start().await;
    let token = api.token(NEW_EMPLOYEE).await;
    for bad in [
        "-9999-12-31",
        "-0001-01-01",
        "+002000-01-01",
        "2000-1-1",
        " 2000-01-01",
        "1899-12-31",
    ] {
        let reply = api
            .patch(
                "/api/v2/profile/me/",
                &token,
                json!({"profile": {"dateofbirth": bad}}),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{bad:?}: {}",
            reply.body
        );
        assert!(reply.body["errors"]["dateofbirth"].is_array(), "{bad:?}");
    }
    let me = api.get("/api/v2/profile/me/", &token).await;
    assert_eq!(me.body["profile"]["dateofbirth"], Value::Null);

    let admin = api.token(ADMIN).await;
    for bad in [
        " 2025-11-12T18:00:00Z",
        "+02025-11-12T18:00:00Z",
        "2025-11-12T18:00:00",
    ] {
        let reply = api
            .post(
                "/api/v2/journal/entries/",
                &admin,
                json!({"entry_type": "DAILY", "title": "t", "timestamp": bad}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert!(reply.body["errors"]["timestamp"].is_array());
    }
}

#[tokio::test]
async fn joining_on_the_day_of_birth_is_refused() {
    let api = Api::start().await;
    let token = api.token(NEW_EMPLOYEE).await;
    let reply = api
        .patch(
            "/api/v2/profile/me/",
            &token,
            json!({"profile": {"dateofbirth": "1990-01-15", "dateofjoin": "1990-01-15"}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body,
        json!({"errors": {"dateofjoin": ["Date of joining cannot be before date of birth"]}})
    );
}

#[tokio::test]
async fn a_video_duration_is_measured_not_taken_from_the_client() {
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    let entry = api
        .post(
            "/api/v2/journal/entries/",
            &token,
            json!({"entry_type": "DAILY", "title": "site walk"}),
        )
        .await;
    let id = entry.body["id"].as_u64().unwrap();
    let path = format!("/api/v2/journal/entries/{id}/media/");
    let clip = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../video/fixtures/clip.mp4"
    ))
    .unwrap();
    let reply = api
        .upload(
            &path,
            &token,
            &[("media_type", "VIDEO"), ("duration", "1e300")],
            Some(("file", clip, "video/mp4")),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    // The 2-second fixture, whatever the client said.
    assert_eq!(reply.body["duration"], 2);
    // An ftyp box and nothing behind it is not a video.
    let mut fake = vec![0, 0, 0, 24];
    fake.extend_from_slice(b"ftypisom\0\0\x02\0isomiso2");
    fake.resize(4096, 0);
    let reply = api
        .upload(
            &path,
            &token,
            &[("media_type", "VIDEO")],
            Some(("file", fake, "video/mp4")),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body,
        json!({"error": "Invalid video file type. Allowed: video/mp4, video/quicktime"})
    );
}
