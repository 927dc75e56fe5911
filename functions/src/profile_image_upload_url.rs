//! `POST /api/v2/profile/me/image/upload-url/`: the presigned flow, step 1.
//! The declared type and size are checked against the limits first; the
//! answer is a PUT URL that signs them, valid for a short time.

use crate::common::{authenticated_user, ok_json, reject_unknown};
use lambda_http::{Body, Request, Response};
use serde_json::Value;
use shared::errors::{respond, FieldErrors};
use shared::uploads::UploadUrlResponse;
use shared::{http, images, media, time, ApiError, AppContext};

pub async fn handle(ctx: &AppContext, req: Request) -> Response<Body> {
    respond(run(ctx, &req).await)
}

async fn run(ctx: &AppContext, req: &Request) -> Result<Response<Body>, ApiError> {
    let (principal, _) = authenticated_user(ctx, req).await?;
    let body = http::json_object(req)?;
    let mut errors = FieldErrors::new();
    reject_unknown(&body, &["content_type", "size"], "", &mut errors);
    let content_type = match body.get("content_type") {
        Some(Value::String(ct)) => Some(ct.trim().to_ascii_lowercase()),
        None | Some(Value::Null) => {
            errors.insert(
                "content_type".into(),
                vec!["This field is required.".into()],
            );
            None
        }
        Some(_) => {
            errors.insert("content_type".into(), vec!["Not a valid string.".into()]);
            None
        }
    };
    let size = match body.get("size") {
        Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64(),
        None | Some(Value::Null) => {
            errors.insert("size".into(), vec!["This field is required.".into()]);
            None
        }
        Some(_) => {
            errors.insert(
                "size".into(),
                vec!["A valid integer (bytes) is required.".into()],
            );
            None
        }
    };
    let (Some(content_type), Some(size)) = (content_type, size) else {
        return Err(ApiError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    images::check_declared(
        &content_type,
        size,
        ctx.config.limits.max_profile_image_bytes,
    )?;

    let key = media::new_profile_upload_key(&principal);
    let upload = media::presign_put(&ctx.s3, &ctx.config, &key, &content_type, size).await?;
    let expires_at =
        time::now() + chrono::Duration::from_std(upload.expires_in).unwrap_or_default();
    ok_json(&UploadUrlResponse {
        upload_url: upload.url,
        method: "PUT".into(),
        headers: upload.headers.into_iter().collect(),
        key,
        expires_in: upload.expires_in.as_secs(),
        expires_at: time::iso(expires_at),
    })
}
