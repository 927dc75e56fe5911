//! The harness: a running stack and an HTTP client with the contract's calls.

use infra::{LocalStack, StackOptions};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use shared::auth::Principal;
use shared::store::UserRecord;

pub const ADMIN: (&str, &str) = ("admin", "admin-pass-1");
pub const REGULAR: (&str, &str) = ("regular.user", "regular-pass-1");
pub const NEW_EMPLOYEE: (&str, &str) = ("new.employee", "newbie-pass-1");
pub const EXISTING: (&str, &str) = ("existing.user", "existing-pass-1");

pub struct Api {
    pub stack: LocalStack,
    pub http: reqwest::Client,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Api {
    pub async fn start() -> Api {
        Self::start_with(&[]).await
    }

    /// A stack with extra settings, as environment variables would give them.
    pub async fn start_with(settings: &[(&str, &str)]) -> Api {
        let mut opts = StackOptions::ephemeral();
        opts.settings = settings
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let stack = LocalStack::start(opts).await.expect("local stack starts");
        Api {
            stack,
            http: reqwest::Client::new(),
        }
    }

    /// A client whose connections come from another loopback address
    /// (127.0.0.0/8 is all loopback), so the gateway's `sourceIp` differs:
    /// a second device on another network, as far as the API can tell.
    pub fn client_at(&self, ip: [u8; 4]) -> Api2<'_> {
        Api2 {
            api: self,
            http: reqwest::Client::builder()
                .local_address(std::net::IpAddr::from(ip))
                .build()
                .expect("client"),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.stack.api_url, path)
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = self.http.request(method, self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.expect("request reaches the gateway");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON body, got {text:?}"))
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    pub async fn login(&self, who: (&str, &str)) -> Reply {
        self.call(
            Method::POST,
            "/api/v2/auth/login/",
            None,
            Some(json!({"username": who.0, "password": who.1})),
        )
        .await
    }

    /// An access token for a demo user.
    pub async fn token(&self, who: (&str, &str)) -> String {
        let reply = self.login(who).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "login of {}: {}",
            who.0,
            reply.body
        );
        reply.body["access"]
            .as_str()
            .expect("access token")
            .to_string()
    }

    /// The stored record of a demo user, read around the API.
    pub async fn record(&self, username: &str) -> UserRecord {
        let store = self.stack.admin_store();
        let principal = store
            .find_username(username)
            .await
            .unwrap()
            .expect("user exists");
        store
            .get_user(&principal)
            .await
            .unwrap()
            .expect("record exists")
    }

    pub async fn principal(&self, username: &str) -> Principal {
        self.stack
            .admin_store()
            .find_username(username)
            .await
            .unwrap()
            .expect("user exists")
    }

    /// Sets stored capabilities as an admin would with the ops CLI.
    pub async fn set_capabilities(&self, username: &str, values: &[(&str, bool)]) {
        let record = self.record(username).await;
        let changes: Vec<_> = values
            .iter()
            .map(|(k, v)| {
                (
                    shared::capabilities::Capability::from_key(k).expect("known key"),
                    Some(*v),
                )
            })
            .collect();
        infra::provision::change_capabilities(&self.stack.admin_store(), &record, &changes)
            .await
            .expect("capabilities stored");
    }

    /// Overwrites top-level attributes of a user's item (test set-up only).
    pub async fn put_attributes(
        &self,
        username: &str,
        sets: Vec<(&str, shared::store::attrs::AttributeValue)>,
    ) {
        let record = self.record(username).await;
        self.stack
            .admin_store()
            .update_user(&record.principal(), record.version, sets)
            .await
            .expect("set-up write");
    }
}

/// The API seen from another client address (see [`Api::client_at`]).
pub struct Api2<'a> {
    pub api: &'a Api,
    pub http: reqwest::Client,
}

impl Api2<'_> {
    pub async fn login(&self, who: (&str, &str)) -> StatusCode {
        self.http
            .post(self.api.url("/api/v2/auth/login/"))
            .json(&json!({"username": who.0, "password": who.1}))
            .send()
            .await
            .expect("request reaches the gateway")
            .status()
    }
}

/// `{"field": value, ...}` profile map for set-up writes.
pub fn profile_map(pairs: &[(&str, Option<&str>)]) -> shared::store::attrs::AttributeValue {
    shared::store::attrs::AttributeValue::M(
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    shared::store::attrs::opt_s(v.map(str::to_string)),
                )
            })
            .collect(),
    )
}

/// A user of another tenant ("Other Corp"), with these capabilities; their token.
pub async fn outsider(api: &Api, caps: &[(shared::capabilities::Capability, bool)]) -> String {
    let store = api.stack.admin_store();
    let (tenant, _) = infra::provision::create_tenant(&store, "Other Corp", &[])
        .await
        .unwrap();
    store
        .create_user(shared::store::NewUser {
            tenant_id: tenant,
            username: "outsider".into(),
            password_hash: shared::password::hash("outsider-pass"),
            profile: Some(Default::default()),
            capabilities: Some(infra::provision::capability_map(caps)),
            ..Default::default()
        })
        .await
        .unwrap();
    api.token(("outsider", "outsider-pass")).await
}

impl Api {
    /// A multipart POST: text `fields` and one file part.
    pub async fn upload(
        &self,
        path: &str,
        token: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, Vec<u8>, &str)>,
    ) -> Reply {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        if let Some((name, bytes, content_type)) = file {
            let part = reqwest::multipart::Part::bytes(bytes)
                .file_name("recording.wav")
                .mime_str(content_type)
                .unwrap();
            form = form.part(name.to_string(), part);
        }
        let res = self
            .http
            .post(self.url(path))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .expect("request reaches the gateway");
        into_reply(res).await
    }
}

/// A response as a `Reply`: its body as JSON, or as a string when it is not.
pub async fn into_reply(res: reqwest::Response) -> Reply {
    let status = res.status();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap_or_default();
    Reply {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

/// A committed fixture file (tests/fixtures/<dir>/<name>).
pub fn fixture_bytes(dir: &str, name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/{dir}/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}
