//! `POST /api/v2/profile/me/image/`: the mobile app's multipart upload
//! (field `image`), for files that fit in a Lambda request. Same checks and
//! messages as the presigned flow; larger bodies are pointed to it.

use crate::common::authenticated_user;
use crate::profile_image::attach;
use lambda_http::{Body, Request, Response};
use shared::errors::respond;
use shared::images::{self, ImageError};
use shared::uploads::MAX_DIRECT_UPLOAD_BYTES;
use shared::{multipart, ApiError, AppContext};

pub async fn handle(ctx: &AppContext, req: Request) -> Response<Body> {
    respond(run(ctx, &req).await)
}

async fn run(ctx: &AppContext, req: &Request) -> Result<Response<Body>, ApiError> {
    let (principal, user) = authenticated_user(ctx, req).await?;
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = match req.body() {
        Body::Binary(b) => bytes::Bytes::copy_from_slice(b),
        Body::Text(t) => bytes::Bytes::copy_from_slice(t.as_bytes()),
        _ => bytes::Bytes::new(),
    };
    if !content_type
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
        || body.is_empty()
    {
        return Err(ImageError::NoFile.into());
    }
    let body_len = body.len() as u64;
    let parts = multipart::parse(&content_type, body)
        .await
        .map_err(|e| ApiError::BadRequest(format!("Malformed multipart body: {e}")))?;
    let Some(image) = parts
        .into_iter()
        .find(|p| p.name == "image" && !p.data.is_empty())
    else {
        return Err(ImageError::NoFile.into());
    };
    // The contract's message comes first; a file within the image limit that
    // does not fit in a Lambda request is sent to the presigned flow.
    images::check_size(
        image.data.len() as u64,
        ctx.config.limits.max_profile_image_bytes,
    )?;
    if body_len > MAX_DIRECT_UPLOAD_BYTES {
        return Err(ApiError::PayloadTooLarge(
            "This file is too large for a direct upload. Request an upload URL with \
             POST /api/v2/profile/me/image/upload-url/, PUT the file there, then call \
             POST /api/v2/profile/me/image/confirm/."
                .into(),
        ));
    }
    attach(ctx, &principal, user, image.data).await
}
