//! `POST /api/v2/profile/me/image/confirm/`: the presigned flow, step 2. The
//! uploaded object is checked again from its bytes before it is attached.
//! A key that is missing or not the caller's own upload is a 404 (another
//! user's or tenant's upload is indistinguishable from a missing one).

use crate::common::{authenticated_user, reject_unknown, required_str};
use crate::profile_image::{attach, remove};
use crate::upload::read_upload;
use lambda_http::{Body, Request, Response};
use shared::errors::{respond, FieldErrors};
use shared::images;
use shared::uploads::MSG_UPLOAD_NOT_FOUND;
use shared::{http, media, ApiError, AppContext};

pub async fn handle(ctx: &AppContext, req: Request) -> Response<Body> {
    respond(run(ctx, &req).await)
}

async fn run(ctx: &AppContext, req: &Request) -> Result<Response<Body>, ApiError> {
    let (principal, user) = authenticated_user(ctx, req).await?;
    let body = http::json_object(req)?;
    let mut errors = FieldErrors::new();
    reject_unknown(&body, &["key"], "", &mut errors);
    let key = required_str(&body, "key", &mut errors);
    let Some(key) = key.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    if !media::owns_profile_upload(&principal, &key) {
        return Err(ApiError::NotFound(MSG_UPLOAD_NOT_FOUND.into()));
    }
    let max = ctx.config.limits.max_profile_image_bytes;
    let bytes = read_upload(ctx, &key, |size| Ok(images::check_size(size, max)?)).await?;
    let result = attach(ctx, &principal, user, bytes).await;
    // A bad upload will never become good: drop it either way.
    if result.is_ok() || matches!(&result, Err(ApiError::BadRequest(_))) {
        remove(ctx, &key).await;
    }
    result
}
