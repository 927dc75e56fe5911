//! `POST /api/v2/journal/entries/{id}/media/upload-url/`: a presigned PUT
//! for one attachment, after the declared `media_type`, `content_type` and
//! `size` are checked (and, for `AUDIO`, the voice permission).

use super::attach::check_declared;
use super::{entry_for_media, media_fields, require_audio_permission};
use crate::handler::{ok, Answer};
use crate::uploads::upload_url_answer;
use lambda_http::Request;
use serde::Deserialize;
use serde_json::Value;
use shared::context::Needs;
use shared::contract::journal::MediaType;
use shared::errors::FieldErrors;
use shared::request::{self, msg, push, Field, Files, RequestBody};
use shared::{media, AppContext};

#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::MEDIA;

/// Body of `POST /api/v2/journal/entries/{id}/media/upload-url/`: what the
/// client is about to upload, checked against the media type's limits before
/// a URL is issued.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JournalMediaUploadUrlRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = MediaType, required = true))]
    #[serde(default)]
    pub media_type: Field<Value>,
    /// PHOTO: `image/jpeg`, `image/png`, `image/webp` or `image/gif`; AUDIO:
    /// `audio/mpeg`, `audio/wav`, `audio/m4a`, `audio/aac` or `audio/ogg`;
    /// VIDEO: `video/mp4` or `video/quicktime`. The file is judged by its
    /// bytes when it is attached. (The API also takes them in any case, with
    /// spaces around.)
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = shared::contract::uploads::JournalContentType, required = true, example = "audio/m4a")
    )]
    #[serde(default)]
    pub content_type: Field<Value>,
    /// The exact size in bytes; the PUT must send exactly this many. At most
    /// the media type's limit: by default PHOTO 5,000,000, AUDIO 50,000,000,
    /// VIDEO 100,000,000 bytes.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = u64, required = true, minimum = 1, maximum = 100_000_000, example = 512000)
    )]
    #[serde(default)]
    pub size: Field<u64>,
}

/// A validated media upload-URL request.
pub struct MediaDeclared {
    pub media_type: MediaType,
    /// Lowercased, trimmed.
    pub content_type: String,
    pub size: u64,
}

impl RequestBody for JournalMediaUploadUrlRequest {
    type Valid = MediaDeclared;

    fn validate(self, errors: &mut FieldErrors, _: &mut Files) -> Option<MediaDeclared> {
        let media_type = media_fields::media_type(self.media_type, errors);
        let content_type = match self.content_type {
            Field::Value(Value::String(ct)) if !ct.trim().is_empty() => {
                Some(ct.trim().to_ascii_lowercase())
            }
            Field::Absent | Field::Null => {
                push(errors, "content_type", msg::REQUIRED);
                None
            }
            _ => {
                push(errors, "content_type", msg::NOT_A_STRING);
                None
            }
        };
        let size = self.size.required(
            "size",
            errors,
            crate::profile::image_upload_url::MSG_SIZE_TYPE,
        );
        Some(MediaDeclared {
            media_type: media_type?,
            content_type: content_type?,
            size: size?,
        })
    }
}

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, user, entry) = entry_for_media(ctx, req).await?;
    let MediaDeclared {
        media_type,
        content_type,
        size,
    } = request::json::<JournalMediaUploadUrlRequest>(req)?;
    if media_type == MediaType::Audio {
        require_audio_permission(ctx, &principal, &user, req)?;
    }
    check_declared(ctx, media_type, &content_type, size)?;
    let key = media::new_journal_upload_key(&principal, entry.id);
    let answer = upload_url_answer(ctx, key, &content_type, size).await?;
    tracing::info!(
        user_id = principal.user_id,
        tenant_id = principal.tenant_id,
        entry_id = entry.id,
        media_type = media_type.as_str(),
        size,
        "journal upload URL issued"
    );
    ok(&answer)
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "requestJournalMediaUpload",
    tag: "journal",
    summary: "Presigned upload of an attachment, step 1: an upload URL",
    description: concat!(
        "Declare the attachment's `media_type`, content type and exact size; \
        they are checked against the media type's limits (PHOTO: the profile image \
        rules, `MAX_PROFILE_IMAGE_SIZE_MB`; AUDIO: `MAX_VOICE_NOTE_SIZE_MB`, 50 by \
        default; VIDEO: `MAX_VIDEO_SIZE_MB`, 100 by default) before a URL is issued. PUT \
        the bytes to `upload_url` with exactly `headers` before it expires, then call \
        `POST /api/v2/journal/entries/{id}/media/` with `{\"key\", \"media_type\"}`. \
        This is the way for files too large for a Lambda request.\n\n",
        journal_media_access!()
    ),
    access: Access::Bearer,
    params: &[],
    request: Some(RequestDoc {
        media_type: JSON,
        schema: schema_of::<JournalMediaUploadUrlRequest>,
        required: true,
        examples: &[example(
            "voice_note",
            "A 500 KB voice note",
            r#"{"media_type": "AUDIO", "content_type": "audio/m4a", "size": 512000}"#,
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
            "A field is missing, invalid or unknown (`{\"errors\": ...}`), or the declared \
             type or size is refused (`{\"error\": ...}`).",
            upload_bad_request,
            &[EX_MEDIA_FIELD, EX_AUDIO_TOO_LARGE, EX_AUDIO_TYPE],
        ),
        R401,
        R403_JOURNAL_MEDIA,
        R404_JOURNAL,
        R415_JSON,
        R500,
        R503,
    ],
};
