//! The journal entry endpoints:
//!
//! - `POST /api/v2/journal/entries/` (201, version 1)
//! - `GET /api/v2/journal/entries/`: the caller's entries, newest `timestamp`
//!   first; `?page_size=` (default 20, larger than 100 is clamped to 100,
//!   anything not a positive integer is a 400) and `?cursor=` (opaque, from
//!   the previous page's `next_cursor`); answer `{"results": [...],
//!   "next_cursor": "..." | null}`.
//! - `GET`, `PATCH` (must carry the `version` it read; a stale one is a 409
//!   and writes nothing) and `DELETE` (204; the attachments' objects go too)
//!   `/api/v2/journal/entries/{id}/`.
//!
//! Another user's or tenant's entry is a 404, the same as a missing one.

use crate::common::authenticated_user;
use crate::journal::{delete_entry, entry_response, json_status, own_entry};
use base64::Engine;
use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, RequestExt, Response};
use serde_json::Value;
use shared::errors::{respond, FieldErrors};
use shared::journal::{parse_entry, JournalPage, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use shared::store::{is_journal_index_sk, StoreError};
use shared::{http, ApiError, AppContext};

pub async fn create(ctx: &AppContext, req: Request) -> Response<Body> {
    respond(run_create(ctx, &req).await)
}

async fn run_create(ctx: &AppContext, req: &Request) -> Result<Response<Body>, ApiError> {
    let (principal, _) = authenticated_user(ctx, req).await?;
    let body = http::json_object(req)?;
    let fields = parse_entry(&body, true).map_err(ApiError::Validation)?;
    let now = shared::time::iso(shared::time::now());
    let entry = ctx
        .store
        .create_journal_entry(&principal, &fields, &now)
        .await?;
    tracing::info!(
        user_id = principal.user_id,
        tenant_id = principal.tenant_id,
        entry_id = entry.id,
        "journal entry created"
    );
    json_status(StatusCode::CREATED, &entry_response(ctx, &entry).await)
}

pub async fn list(ctx: &AppContext, req: Request) -> Response<Body> {
    respond(run_list(ctx, &req).await)
}

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::field(field, message)
}

async fn run_list(ctx: &AppContext, req: &Request) -> Result<Response<Body>, ApiError> {
    let (principal, _) = authenticated_user(ctx, req).await?;
    let params = req.query_string_parameters_ref();
    let page_size = match params.and_then(|p| p.first("page_size")) {
        None => DEFAULT_PAGE_SIZE,
        Some(raw) => match raw.trim().parse::<u64>() {
            Ok(n) if n >= 1 => (n.min(MAX_PAGE_SIZE as u64)) as usize,
            _ => {
                return Err(invalid(
                    "page_size",
                    "A positive whole number is required (at most 100 are returned).",
                ))
            }
        },
    };
    let after = match params
        .and_then(|p| p.first("cursor"))
        .filter(|c| !c.is_empty())
    {
        None => None,
        Some(raw) => Some(
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(raw)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .filter(|sk| is_journal_index_sk(sk))
                .ok_or_else(|| invalid("cursor", "Invalid cursor."))?,
        ),
    };
    let (entries, next) = ctx
        .store
        .list_journal_entries(&principal, page_size, after.as_deref())
        .await?;
    let mut results = Vec::with_capacity(entries.len());
    for e in &entries {
        results.push(entry_response(ctx, e).await);
    }
    json_status(
        StatusCode::OK,
        &JournalPage {
            results,
            next_cursor: next.map(|sk| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sk)),
        },
    )
}

pub async fn get(ctx: &AppContext, req: Request) -> Response<Body> {
    respond(run_get(ctx, &req).await)
}

async fn run_get(ctx: &AppContext, req: &Request) -> Result<Response<Body>, ApiError> {
    let (_, _, entry) = own_entry(ctx, req).await?;
    json_status(StatusCode::OK, &entry_response(ctx, &entry).await)
}

pub async fn update(ctx: &AppContext, req: Request) -> Response<Body> {
    respond(run_update(ctx, &req).await)
}

async fn run_update(ctx: &AppContext, req: &Request) -> Result<Response<Body>, ApiError> {
    let (principal, _, entry) = own_entry(ctx, req).await?;
    let body = http::json_object(req)?;
    let mut errors = FieldErrors::new();
    let version = match body.get("version") {
        Some(Value::Number(n)) if n.as_u64().is_some_and(|v| v >= 1) => n.as_u64(),
        None | Some(Value::Null) => {
            errors.insert(
                "version".into(),
                vec!["This field is required: send the version you read.".into()],
            );
            None
        }
        Some(_) => {
            errors.insert(
                "version".into(),
                vec!["A positive whole number is required.".into()],
            );
            None
        }
    };
    let fields = match parse_entry(&body, false) {
        Ok(f) => Some(f),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    let (Some(version), Some(fields)) = (version, fields) else {
        return Err(ApiError::Validation(errors));
    };
    let stale = || {
        ApiError::Conflict(
            "This journal entry was changed since you read it. Reload it and try again.".into(),
        )
    };
    if version != entry.version {
        return Err(stale());
    }
    let now = shared::time::iso(shared::time::now());
    let updated = match ctx
        .store
        .update_journal_entry(&entry, version, &fields, &now)
        .await
    {
        Ok(u) => u,
        Err(StoreError::Conflict) => {
            tracing::info!(
                user_id = principal.user_id,
                tenant_id = principal.tenant_id,
                entry_id = entry.id,
                version,
                "journal entry update lost a race"
            );
            return Err(stale());
        }
        Err(e) => return Err(e.into()),
    };
    tracing::info!(
        user_id = principal.user_id,
        tenant_id = principal.tenant_id,
        entry_id = entry.id,
        version = updated.version,
        "journal entry updated"
    );
    json_status(StatusCode::OK, &entry_response(ctx, &updated).await)
}

pub async fn delete(ctx: &AppContext, req: Request) -> Response<Body> {
    respond(run_delete(ctx, &req).await)
}

async fn run_delete(ctx: &AppContext, req: &Request) -> Result<Response<Body>, ApiError> {
    let (principal, _, entry) = own_entry(ctx, req).await?;
    delete_entry(ctx, &principal, entry).await?;
    Ok(Response::builder()
        .status(StatusCode::NO_CONTENT)
        .body(Body::Empty)
        .expect("static response parts are valid"))
}
