//! `POST /api/v2/profile/me/image/`: the mobile app's multipart upload
//! (field `image`), for files that fit in a Lambda request. Same checks and
//! messages as the presigned flow; larger bodies are pointed to it.

use super::image::{attach, INCLUDES};
use crate::handler::{authenticated_user, Answer};
use lambda_http::Request;
use serde::Deserialize;
use shared::context::Needs;
use shared::contract::uploads::MAX_DIRECT_UPLOAD_BYTES;
use shared::errors::FieldErrors;
use shared::images::{self, ImageError};
use shared::request::{self, Field, File, FileRef, Files, RequestBody};
use shared::{http, ApiError, AppContext};

#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::MEDIA;

/// The multipart form of `POST /api/v2/profile/me/image/`.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileImageForm {
    /// The image file (JPEG, PNG, WebP or GIF; 200x200 to 2048x2048 pixels).
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, format = Binary, required = true)
    )]
    #[serde(default)]
    pub image: Field<FileRef>,
}

impl RequestBody for ProfileImageForm {
    /// The image, if one was sent.
    type Valid = Option<File>;

    /// Other parts are ignored, as the apps' clients may add some.
    fn unknown_key(_: &str, _: &str) -> Option<(String, &'static str)> {
        None
    }

    fn validate(self, _: &mut FieldErrors, files: &mut Files) -> Option<Self::Valid> {
        Some(match self.image {
            Field::Value(file) => files.take(file).filter(|f| !f.data.is_empty()),
            _ => None,
        })
    }
}

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, user) = authenticated_user(ctx, req).await?;
    let include = http::includes(req, INCLUDES)?;
    // No body at all, or no `image` part, is the contract's "no image"; a
    // body that is not multipart is a 415.
    let Some(Some(image)) = request::form::<ProfileImageForm>(req).await? else {
        return Err(ImageError::NoFile.into());
    };
    // The contract's message comes first; a file within the image limit that
    // does not fit in a Lambda request is sent to the presigned flow.
    images::check_size(
        image.data.len() as u64,
        ctx.config.limits.max_profile_image_bytes,
    )?;
    if http::body_bytes(req).len() as u64 > MAX_DIRECT_UPLOAD_BYTES {
        return Err(ApiError::PayloadTooLarge(
            "This file is too large for a direct upload. Request an upload URL with \
             POST /api/v2/profile/me/image/upload-url/, PUT the file there, then call \
             POST /api/v2/profile/me/image/confirm/."
                .into(),
        ));
    }
    attach(ctx, &principal, user, image.data, &include).await
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "uploadProfileImage",
    tag: "profile",
    summary: "Upload a profile image in one multipart request (the mobile app's way)",
    description: "Field `image`. The same checks, messages and answer as the presigned \
        flow, for files that fit in a Lambda request (about 4.4 MB of body); a larger body \
        is a 413 that points to the presigned flow.",
    access: Access::Bearer,
    params: &[INCLUDE_THUMBNAIL],
    request: Some(RequestDoc {
        media_type: "multipart/form-data",
        schema: schema_of::<ProfileImageForm>,
        required: true,
        examples: &[],
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
            "No `image` field, or not an accepted image, too large, or of the wrong \
             dimensions: the contract's five messages (`{\"error\": ...}`); an unknown \
             `include` value (`{\"errors\": ...}`).",
            upload_bad_request,
            &[
                EX_IMAGE_NONE,
                EX_IMAGE_TOO_LARGE,
                EX_IMAGE_TYPE,
                EX_IMAGE_SMALL,
                EX_IMAGE_BIG,
            ],
        ),
        R401,
        response(
            413,
            "Within the image limit but too large for a Lambda request: use the presigned flow.",
            schema_of::<ErrorMessage>,
            &[],
        ),
        R409,
        R415_MULTIPART,
        R500,
        R503,
    ],
};
