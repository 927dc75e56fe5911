//! `POST /api/v2/profile/me/image/confirm/`: the presigned flow, step 2. The
//! uploaded object is checked again from its bytes before it is attached.
//! A key that is missing or not the caller's own upload is a 404 (another
//! user's or tenant's upload is indistinguishable from a missing one).

use super::image::{attach, INCLUDES};
use crate::handler::{authenticated_user, Answer};
use crate::uploads::{read_upload, remove};
use lambda_http::Request;
use serde::Deserialize;
use shared::context::Needs;
use shared::contract::uploads::MSG_UPLOAD_NOT_FOUND;
use shared::errors::FieldErrors;
use shared::request::{self, Field, Files, RequestBody};
use shared::{http, images, media, ApiError, AppContext};

#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::MEDIA;

/// Body of `POST /api/v2/profile/me/image/confirm/`.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmUploadRequest {
    /// The `key` of the upload-url answer.
    #[cfg_attr(feature = "openapi", schema(value_type = String, required = true, min_length = 1))]
    #[serde(default)]
    pub key: Field<String>,
}

impl RequestBody for ConfirmUploadRequest {
    /// The upload's key.
    type Valid = String;

    fn validate(self, errors: &mut FieldErrors, _: &mut Files) -> Option<String> {
        self.key.required_text("key", errors)
    }
}

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, user) = authenticated_user(ctx, req).await?;
    let include = http::includes(req, INCLUDES)?;
    let key = request::json::<ConfirmUploadRequest>(req)?;
    if !media::owns_profile_upload(&principal, &key) {
        return Err(ApiError::NotFound(MSG_UPLOAD_NOT_FOUND.into()));
    }
    let max = ctx.config.limits.max_profile_image_bytes;
    let bytes = read_upload(ctx, &key, |size| Ok(images::check_size(size, max)?)).await?;
    let result = attach(ctx, &principal, user, bytes, &include).await;
    // A bad upload will never become good: drop it either way.
    if result.is_ok() || matches!(&result, Err(ApiError::BadRequest(_))) {
        remove(ctx, &key).await;
    }
    result
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "confirmProfileImageUpload",
    tag: "profile",
    summary: "Presigned upload of a profile image, step 2: check and attach it",
    description: "The uploaded object is read back and judged by its bytes: the format \
        is sniffed, the dimensions (200x200 to 2048x2048) are read from the header before \
        anything is decoded, only the first frame of an animated GIF is kept, the EXIF \
        orientation is applied and the image is re-encoded without metadata, with a \
        thumbnail. The profile then points at it and its completion percentage is \
        recomputed. A key that is missing, or is another user's or tenant's upload, is a \
        404 and changes nothing.",
    access: Access::Bearer,
    params: &[INCLUDE_THUMBNAIL],
    request: Some(RequestDoc {
        media_type: JSON,
        schema: schema_of::<ConfirmUploadRequest>,
        required: true,
        examples: &[example(
            "confirm",
            "The key of the upload-url answer",
            r#"{"key": "uploads/1/3/profile-image/jqbOtvObD4MH4idDPTtBsg"}"#,
        )],
        also: &[],
    }),
    responses: &[
        response(
            200,
            "The image is the profile's; `profile_completion_percentage` is the new one.",
            schema_of::<ProfileImageResponse>,
            &[EX_IMAGE_200, EX_IMAGE_200_THUMBNAIL],
        ),
        response(
            400,
            "The bytes are not an accepted image, too large, or of the wrong dimensions \
             (the contract's messages, `{\"error\": ...}`); or `key` is missing \
             (`{\"errors\": ...}`).",
            upload_bad_request,
            &[EX_IMAGE_TYPE, EX_IMAGE_SMALL, EX_IMAGE_BIG],
        ),
        R401,
        response(
            404,
            "No such upload of this user.",
            schema_of::<ErrorMessage>,
            &[example(
                "not_found",
                "Missing or not the caller's",
                r#"{"error": "Upload not found"}"#,
            )],
        ),
        R409,
        R415_JSON,
        R500,
        R503,
    ],
};
