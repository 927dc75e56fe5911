//! `POST /api/v2/auth/login/`: username and password for tokens and the
//! user's capabilities. Wrong credentials never say which part was wrong;
//! repeated failures lock the login name for a while.

use super::tokens::issue_tokens;
use crate::handler::{now_epoch, ok, Answer};
use lambda_http::Request;
use serde::Deserialize;
use shared::auth::random_token;
use shared::context::Needs;
use shared::contract::{LoginResponse, LoginUser};
use shared::errors::{FieldErrors, MSG_BAD_LOGIN};
use shared::request::{self, Field, Files, RequestBody};
use shared::store::login_attempts::{
    AttemptKey, AttemptLimit, Refused, Reservation, CLIENT_LIMIT, NAME_LIMIT,
};
use shared::{http, password, ApiError, AppContext};

#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::TOKENS;

const MSG_LOCKED: &str = "Too many failed login attempts. Try again later.";

/// Body of `POST /api/v2/auth/login/`.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// The login name (case-insensitive; surrounding spaces are ignored).
    #[cfg_attr(feature = "openapi", schema(value_type = String, required = true, min_length = 1))]
    #[serde(default)]
    pub username: Field<String>,
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, required = true, min_length = 1, format = Password)
    )]
    #[serde(default)]
    pub password: Field<String>,
}

/// A validated login body.
pub struct Login {
    pub username: String,
    pub password: String,
}

impl RequestBody for LoginRequest {
    type Valid = Login;

    fn validate(self, errors: &mut FieldErrors, _: &mut Files) -> Option<Login> {
        let username = self.username.required_text("username", errors);
        let password = self.password.required_text("password", errors);
        Some(Login {
            username: username?,
            password: password?,
        })
    }
}

fn locked(refused: Refused) -> ApiError {
    ApiError::TooManyRequests {
        detail: MSG_LOCKED,
        retry_after_secs: refused.retry_after_secs,
    }
}

async fn reserve(
    ctx: &AppContext,
    key: &AttemptKey,
    limit: AttemptLimit,
    now: u64,
) -> Result<Reservation, ApiError> {
    match ctx.store.reserve_attempt(key, limit, now).await? {
        Ok(slot) => Ok(slot),
        Err(refused) => {
            tracing::warn!(target: "audit", event = "login_refused_client", "client locked after failed logins");
            shared::metrics::login_refused_locked();
            Err(locked(refused))
        }
    }
}

/// Gives a reservation back on a path where no password was checked; a
/// failure here only leaves one check counted, so it is logged, not raised.
async fn give_back(ctx: &AppContext, key: Option<&AttemptKey>) {
    let Some(key) = key else { return };
    if let Err(e) = ctx.store.release_attempt(key).await {
        tracing::warn!(error = %e, "could not give back a login reservation");
    }
}

async fn find_user(
    ctx: &AppContext,
    username: &str,
) -> Result<Option<shared::store::UserRecord>, shared::store::StoreError> {
    match ctx.store.find_username(username).await? {
        Some(principal) => ctx.store.get_user(&principal).await,
        None => Ok(None),
    }
}

fn bad_credentials() -> ApiError {
    ApiError::Unauthenticated {
        detail: MSG_BAD_LOGIN,
        code: Some("no_active_account"),
    }
}

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let Login { username, password } = request::json::<LoginRequest>(req)?;
    let username = username.trim().to_string();

    let now = now_epoch();
    let name = AttemptKey::Name(username.clone());
    let client = http::source_ip(req).map(AttemptKey::Client);
    // Each password check is reserved first, per client and per name: a
    // burst of concurrent guesses checks at most the limit.
    let client_slot = match &client {
        Some(key) => Some(reserve(ctx, key, CLIENT_LIMIT, now).await?),
        None => None,
    };
    let name_slot = match ctx.store.reserve_attempt(&name, NAME_LIMIT, now).await {
        Ok(Ok(slot)) => slot,
        Ok(Err(refused)) => {
            give_back(ctx, client.as_ref()).await;
            tracing::warn!(target: "audit", event = "login_refused_locked", "login name locked");
            shared::metrics::login_refused_locked();
            return Err(locked(refused));
        }
        Err(e) => {
            give_back(ctx, client.as_ref()).await;
            return Err(e.into());
        }
    };

    let user = match find_user(ctx, &username).await {
        Ok(user) => user,
        Err(e) => {
            // No password was checked: a failing store must not count
            // against the name or the client.
            give_back(ctx, Some(&name)).await;
            give_back(ctx, client.as_ref()).await;
            return Err(e.into());
        }
    };
    let verified = match user.as_ref().and_then(|u| u.password_hash.as_deref()) {
        Some(hash) => password::verify(&password, hash).await,
        None => {
            password::verify_against_dummy(&password).await;
            false
        }
    };
    let user = match user {
        Some(user) if verified && user.is_active => user,
        refused => {
            // The account is named by its id when it exists; a login name
            // (personal data) and the password are never logged.
            let user_id = refused.as_ref().map(|u| u.id);
            tracing::warn!(target: "audit", event = "login_failed", user_id, failures = name_slot.attempts, "login refused");
            shared::metrics::login_failed();
            if name_slot.is_last {
                ctx.store.lock_attempts(&name, NAME_LIMIT, now).await?;
                tracing::warn!(target: "audit", event = "login_locked", user_id, lock_secs = NAME_LIMIT.lock_secs, "login name locked");
                shared::metrics::login_locked();
            }
            if let (Some(key), Some(slot)) = (&client, client_slot) {
                if slot.is_last {
                    ctx.store.lock_attempts(key, CLIENT_LIMIT, now).await?;
                    tracing::warn!(target: "audit", event = "login_client_locked", lock_secs = CLIENT_LIMIT.lock_secs, "client locked after failed logins");
                    shared::metrics::login_locked();
                }
            }
            return Err(bad_credentials());
        }
    };
    ctx.store.forgive_attempts(&name, now).await?;
    if let Some(key) = &client {
        ctx.store.release_attempt(key).await?;
    }
    let tokens = issue_tokens(ctx, &user, &random_token(16)).await?;
    tracing::info!(user_id = user.id, tenant_id = user.tenant_id, "login");
    shared::metrics::login_succeeded();
    ok(&LoginResponse {
        access: tokens.0,
        refresh: tokens.1,
        user: LoginUser {
            id: user.id,
            username: user.username.clone(),
            email: user.email.clone(),
            capabilities: user.effective_capabilities(&ctx.config),
        },
    })
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "login",
    tag: "auth",
    summary: "Log in: tokens and the user's capabilities",
    description: "Username and password for an access token, a refresh token and the \
        user with all 13 capability flags (the apps route on them right after login). \
        Wrong credentials never say which part was wrong. After 5 failed logins for one \
        name within 15 minutes the name is locked for 15 minutes, and after 30 failed \
        logins from one client address that address is (429 with `Retry-After`); each \
        password check is counted before it is made, so concurrent guesses cannot \
        exceed the limit.",
    access: Access::Public,
    params: &[],
    request: Some(RequestDoc {
        media_type: JSON,
        schema: schema_of::<LoginRequest>,
        required: true,
        examples: &[example(
            "login",
            "A username and password",
            r#"{"username": "new.employee", "password": "newbie-pass-1"}"#,
        )],
        also: &[],
    }),
    responses: &[
        response(
            200,
            "Logged in.",
            schema_of::<LoginResponse>,
            &[example("login", "A new employee", LOGIN_200)],
        ),
        response(
            400,
            "`username` or `password` is missing or blank, or an unknown key was sent.",
            schema_of::<ValidationErrors>,
            &[example(
                "missing",
                "No password",
                r#"{"errors": {"password": ["This field is required."]}}"#,
            )],
        ),
        response(
            401,
            "Wrong username or password, or an inactive user.",
            schema_of::<ErrorDetail>,
            &[example(
                "no_active_account",
                "Wrong credentials",
                r#"{"detail": "No active account found with the given credentials", "code": "no_active_account"}"#,
            )],
        ),
        response(
            429,
            "Too many failed logins for this name: locked; `Retry-After` gives the seconds \
             left.",
            schema_of::<ErrorDetail>,
            &[example(
                "locked",
                "Locked after 5 failures",
                r#"{"detail": "Too many failed login attempts. Try again later."}"#,
            )],
        ),
        R415_JSON,
        R500,
        R503,
    ],
};
