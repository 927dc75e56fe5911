//! `POST /api/v2/profile/me/image/upload-url/`: the presigned flow, step 1.
//! The declared type and size are checked against the limits first; the
//! answer is a PUT URL that signs them, valid for a short time.

use crate::handler::{authenticated_user, ok, Answer};
use crate::uploads::upload_url_answer;
use lambda_http::Request;
use serde::Deserialize;
use shared::context::Needs;
use shared::errors::FieldErrors;
use shared::request::{self, msg, Field, Files, RequestBody};
use shared::{images, media, AppContext};

#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::MEDIA;

/// Body of `POST /api/v2/profile/me/image/upload-url/`: what the client is
/// about to upload. Both are checked against the limits before a URL is issued.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadUrlRequest {
    /// `image/jpeg`, `image/png`, `image/webp` or `image/gif` (the API also
    /// takes them in any case, with spaces around or `; parameters`). Only a
    /// hint: the confirm step judges the file by its bytes.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = shared::contract::uploads::ImageContentType, required = true, example = "image/jpeg")
    )]
    #[serde(default)]
    pub content_type: Field<String>,
    /// The exact size in bytes; the PUT must send exactly this many. At most
    /// `MAX_PROFILE_IMAGE_SIZE_MB` (5 by default: 5,000,000 bytes).
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = u64, required = true, minimum = 1, maximum = 5_000_000, example = 482113)
    )]
    #[serde(default)]
    pub size: Field<u64>,
}

/// A validated upload-URL request: the lowercased type and the size.
pub struct Declared {
    pub content_type: String,
    pub size: u64,
}

pub const MSG_SIZE_TYPE: &str = "A valid integer (bytes) is required.";

impl RequestBody for UploadUrlRequest {
    type Valid = Declared;

    fn validate(self, errors: &mut FieldErrors, _: &mut Files) -> Option<Declared> {
        let content_type = self
            .content_type
            .required("content_type", errors, msg::NOT_A_STRING);
        let size = self.size.required("size", errors, MSG_SIZE_TYPE);
        Some(Declared {
            content_type: content_type?.trim().to_ascii_lowercase(),
            size: size?,
        })
    }
}

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, _) = authenticated_user(ctx, req).await?;
    let Declared { content_type, size } = request::json::<UploadUrlRequest>(req)?;
    images::check_declared(
        &content_type,
        size,
        ctx.config.limits.max_profile_image_bytes,
    )?;
    let key = media::new_profile_upload_key(&principal);
    ok(&upload_url_answer(ctx, key, &content_type, size).await?)
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "requestProfileImageUpload",
    tag: "profile",
    summary: "Presigned upload of a profile image, step 1: an upload URL",
    description: "Declare the image's content type and exact size; both are checked \
        against the limits (`MAX_PROFILE_IMAGE_SIZE_MB`, 5 by default) before a URL is \
        issued. PUT the bytes to `upload_url` with exactly `headers` before it expires, \
        then call `/api/v2/profile/me/image/confirm/` with `key`. This is how every client \
        should upload: the bytes go straight to S3, never through a Lambda request.",
    access: Access::Bearer,
    params: &[],
    request: Some(RequestDoc {
        media_type: JSON,
        schema: schema_of::<UploadUrlRequest>,
        required: true,
        examples: &[example(
            "jpeg",
            "A 470 KiB JPEG",
            r#"{"content_type": "image/jpeg", "size": 482113}"#,
        )],
        also: &[],
    }),
    responses: &[
        response(
            200,
            "Where and how to PUT the file.",
            schema_of::<UploadUrlResponse>,
            &[],
        ),
        response(
            400,
            "A declared type the contract does not accept, a size over the limit or zero \
             (the contract's upload messages as `{\"error\": ...}`), or a missing field \
             (`{\"errors\": ...}`).",
            upload_bad_request,
            &[EX_IMAGE_TOO_LARGE, EX_IMAGE_TYPE],
        ),
        R401,
        R415_JSON,
        R500,
        R503,
    ],
};
