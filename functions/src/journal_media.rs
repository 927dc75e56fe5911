//! The journal media endpoints:
//!
//! - `POST /api/v2/journal/entries/{id}/media/upload-url/`: a presigned PUT
//!   for one attachment, after the declared `media_type`, `content_type` and
//!   `size` are checked (and, for `AUDIO`, the voice permission).
//! - `POST /api/v2/journal/entries/{id}/media/`: attaches either an uploaded
//!   object (JSON `{"key", "media_type", "caption", "duration"}`; the object
//!   is checked from its bytes) or the contract's multipart form (`file`,
//!   `media_type`, `caption`, `duration`) for files that fit in a Lambda
//!   request (larger: 413, pointing to the presigned flow). 201.
//! - `GET /api/v2/journal/entries/{id}/media/`: the entry's attachments, a
//!   JSON array with presigned `file_url`s.
//!
//! Another user's entry (same tenant): 403 with the contract's message for
//! the two POSTs, 404 for the list; another tenant's entry: 404.

use crate::common::ok_json;
use crate::journal::{
    attach, check_declared, check_size, entry_for_media, media_response, own_entry, remove,
    require_audio_permission, Attachment,
};
use crate::upload::read_upload;
use lambda_http::{Body, Request, Response};
use serde_json::{Map, Value};
use shared::errors::{respond, FieldErrors};
use shared::journal::{
    parse_client_duration, MediaType, MAX_CAPTION_CHARS, MEDIA_TYPES, MSG_UPLOAD_NOT_FOUND,
};
use shared::uploads::{UploadUrlResponse, MAX_DIRECT_UPLOAD_BYTES};
use shared::{http, media, multipart, time, ApiError, AppContext};

fn push(errors: &mut FieldErrors, field: &str, message: impl Into<String>) {
    errors.entry(field.into()).or_default().push(message.into());
}

fn media_type_field(v: Option<&Value>, errors: &mut FieldErrors) -> Option<MediaType> {
    match v {
        None | Some(Value::Null) => {
            push(errors, "media_type", "This field is required.");
            None
        }
        Some(Value::String(s)) => MediaType::parse(s.trim()).or_else(|| {
            push(
                errors,
                "media_type",
                format!(
                    "\"{s}\" is not a valid choice. Allowed: {}",
                    MEDIA_TYPES.join(", ")
                ),
            );
            None
        }),
        Some(_) => {
            push(errors, "media_type", "Not a valid string.");
            None
        }
    }
}

fn caption_field(v: Option<&Value>, errors: &mut FieldErrors) -> Option<String> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) if s.chars().count() > MAX_CAPTION_CHARS => {
            push(
                errors,
                "caption",
                format!("Ensure this field has no more than {MAX_CAPTION_CHARS} characters."),
            );
            None
        }
        Some(Value::String(s)) => Some(s.trim().to_string()),
        Some(_) => {
            push(errors, "caption", "Not a valid string.");
            None
        }
    }
}

fn reject_unknown(body: &Map<String, Value>, allowed: &[&str], errors: &mut FieldErrors) {
    for key in body.keys().filter(|k| !allowed.contains(&k.as_str())) {
        push(errors, key, "Unknown field.");
    }
}

pub async fn upload_url(ctx: &AppContext, req: Request) -> Response<Body> {
    respond(run_upload_url(ctx, &req).await)
}

async fn run_upload_url(ctx: &AppContext, req: &Request) -> Result<Response<Body>, ApiError> {
    let (principal, user, entry) = entry_for_media(ctx, req).await?;
    let body = http::json_object(req)?;
    let mut errors = FieldErrors::new();
    reject_unknown(&body, &["media_type", "content_type", "size"], &mut errors);
    let media_type = media_type_field(body.get("media_type"), &mut errors);
    let content_type = match body.get("content_type") {
        Some(Value::String(ct)) if !ct.trim().is_empty() => Some(ct.trim().to_ascii_lowercase()),
        None | Some(Value::Null) => {
            push(&mut errors, "content_type", "This field is required.");
            None
        }
        Some(_) => {
            push(&mut errors, "content_type", "Not a valid string.");
            None
        }
    };
    let size = match body.get("size") {
        Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64(),
        None | Some(Value::Null) => {
            push(&mut errors, "size", "This field is required.");
            None
        }
        Some(_) => {
            push(&mut errors, "size", "A valid integer (bytes) is required.");
            None
        }
    };
    let (Some(media_type), Some(content_type), Some(size)) = (media_type, content_type, size)
    else {
        return Err(ApiError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    if media_type == MediaType::Audio {
        require_audio_permission(ctx, &principal, &user, req)?;
    }
    check_declared(ctx, media_type, &content_type, size)?;

    let key = media::new_journal_upload_key(&principal, entry.id);
    let upload = media::presign_put(&ctx.s3, &ctx.config, &key, &content_type, size).await?;
    let expires_at =
        time::now() + chrono::Duration::from_std(upload.expires_in).unwrap_or_default();
    tracing::info!(
        user_id = principal.user_id,
        tenant_id = principal.tenant_id,
        entry_id = entry.id,
        media_type = media_type.as_str(),
        size,
        "journal upload URL issued"
    );
    ok_json(&UploadUrlResponse {
        upload_url: upload.url,
        method: "PUT".into(),
        headers: upload.headers.into_iter().collect(),
        key,
        expires_in: upload.expires_in.as_secs(),
        expires_at: time::iso(expires_at),
    })
}

pub async fn add(ctx: &AppContext, req: Request) -> Response<Body> {
    respond(run_add(ctx, &req).await)
}

async fn run_add(ctx: &AppContext, req: &Request) -> Result<Response<Body>, ApiError> {
    let (principal, user, entry) = entry_for_media(ctx, req).await?;
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if content_type
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        return add_multipart(ctx, req, &content_type, principal, user, entry).await;
    }

    // The presigned flow: the JSON body names the uploaded object.
    let body = http::json_object(req)?;
    let mut errors = FieldErrors::new();
    reject_unknown(
        &body,
        &["key", "media_type", "caption", "duration"],
        &mut errors,
    );
    let media_type = media_type_field(body.get("media_type"), &mut errors);
    let caption = caption_field(body.get("caption"), &mut errors);
    let client_duration = parse_client_duration(body.get("duration"))
        .map_err(|m| push(&mut errors, "duration", m))
        .ok()
        .flatten();
    let key = crate::common::required_str(&body, "key", &mut errors);
    let (Some(media_type), Some(key)) = (media_type, key) else {
        return Err(ApiError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    // The permission comes before the upload is read.
    if media_type == MediaType::Audio {
        require_audio_permission(ctx, &principal, &user, req)?;
    }
    if !media::owns_journal_upload(&principal, entry.id, &key) {
        return Err(ApiError::NotFound(MSG_UPLOAD_NOT_FOUND.into()));
    }
    let bytes = read_upload(ctx, &key, |size| check_size(ctx, media_type, size)).await?;
    let result = attach(
        ctx,
        &principal,
        &entry,
        Attachment {
            media_type,
            caption,
            client_duration,
        },
        bytes,
    )
    .await;
    // A bad upload will never become good: drop it either way.
    if result.is_ok() || matches!(&result, Err(ApiError::BadRequest(_))) {
        remove(ctx, &key).await;
    }
    result
}

async fn add_multipart(
    ctx: &AppContext,
    req: &Request,
    content_type: &str,
    principal: shared::auth::Principal,
    user: shared::store::UserRecord,
    entry: shared::store::JournalEntry,
) -> Result<Response<Body>, ApiError> {
    let body = match req.body() {
        Body::Binary(b) => bytes::Bytes::copy_from_slice(b),
        Body::Text(t) => bytes::Bytes::copy_from_slice(t.as_bytes()),
        _ => bytes::Bytes::new(),
    };
    let body_len = body.len() as u64;
    let parts = multipart::parse(content_type, body)
        .await
        .map_err(|e| ApiError::BadRequest(format!("Malformed multipart body: {e}")))?;
    let text = |name: &str| -> Option<Value> {
        parts
            .iter()
            .find(|p| p.name == name)
            .map(|p| Value::String(String::from_utf8_lossy(&p.data).to_string()))
    };
    let mut errors = FieldErrors::new();
    for p in &parts {
        if !["file", "media_type", "caption", "duration"].contains(&p.name.as_str()) {
            push(&mut errors, &p.name, "Unknown field.");
        }
    }
    let media_type = media_type_field(text("media_type").as_ref(), &mut errors);
    let caption = caption_field(text("caption").as_ref(), &mut errors);
    let client_duration = parse_client_duration(text("duration").as_ref())
        .map_err(|m| push(&mut errors, "duration", m))
        .ok()
        .flatten();
    let Some(media_type) = media_type.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    if media_type == MediaType::Audio {
        require_audio_permission(ctx, &principal, &user, req)?;
    }
    let file = parts
        .into_iter()
        .find(|p| p.name == "file" && !p.data.is_empty());
    let Some(file) = file else {
        return Err(ApiError::BadRequest("No file provided".into()));
    };
    // The type's own size message first; a file within it that does not
    // fit in a Lambda request is sent to the presigned flow.
    check_size(ctx, media_type, file.data.len() as u64)?;
    if body_len > MAX_DIRECT_UPLOAD_BYTES {
        return Err(ApiError::PayloadTooLarge(format!(
            "This file is too large for a direct upload. Request an upload URL with \
             POST /api/v2/journal/entries/{id}/media/upload-url/, PUT the file there, then call \
             POST /api/v2/journal/entries/{id}/media/ with {{\"key\": ...}}.",
            id = entry.id
        )));
    }
    attach(
        ctx,
        &principal,
        &entry,
        Attachment {
            media_type,
            caption,
            client_duration,
        },
        file.data,
    )
    .await
}

pub async fn list(ctx: &AppContext, req: Request) -> Response<Body> {
    respond(run_list(ctx, &req).await)
}

async fn run_list(ctx: &AppContext, req: &Request) -> Result<Response<Body>, ApiError> {
    let (_, _, entry) = own_entry(ctx, req).await?;
    let mut items = Vec::with_capacity(entry.media.len());
    for m in &entry.media {
        items.push(media_response(ctx, entry.id, m).await);
    }
    ok_json(&items)
}
