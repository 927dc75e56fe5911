//! `POST /api/v2/profile/me/image/`: the mobile app's multipart upload
//! (field `image`), for files that fit in a Lambda request. Same checks and
//! messages as the presigned flow; larger bodies are pointed to it.

use crate::common::authenticated_user;
use crate::profile_image::attach;
use lambda_http::{Body, Request, Response};
use shared::errors::respond;
use shared::images::{self, ImageError};
use shared::uploads::MAX_DIRECT_UPLOAD_BYTES;
use shared::{http, multipart, ApiError, AppContext};

pub async fn handle(ctx: &AppContext, req: Request) -> Response<Body> {
    respond(run(ctx, &req).await)
}

async fn run(ctx: &AppContext, req: &Request) -> Result<Response<Body>, ApiError> {
    let (principal, user) = authenticated_user(ctx, req).await?;
    // No body at all is the contract's "no image"; a body that is not
    // multipart is a 415.
    if http::declared_kind(req, &[http::BodyKind::Multipart])?.is_none() {
        return Err(ImageError::NoFile.into());
    }
    let content_type = http::content_type(req).unwrap_or_default().to_string();
    let body = bytes::Bytes::copy_from_slice(http::body_bytes(req));
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
