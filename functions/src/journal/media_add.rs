//! `POST /api/v2/journal/entries/{id}/media/`: attaches either an uploaded
//! object (JSON `{"key", "media_type", "caption", "duration"}`; the object
//! is checked from its bytes) or the contract's multipart form (`file`,
//! `media_type`, `caption`, `duration`) for files that fit in a Lambda
//! request (larger: 413, pointing to the presigned flow). 201.

use super::attach::{attach, check_size, Attachment};
use super::{entry_for_media, media_fields, require_audio_permission};
use crate::handler::Answer;
use crate::uploads::{read_upload, remove};
use lambda_http::Request;
use serde::Deserialize;
use serde_json::Value;
use shared::context::Needs;
use shared::contract::journal::{MediaType, MSG_UPLOAD_NOT_FOUND};
use shared::contract::uploads::MAX_DIRECT_UPLOAD_BYTES;
use shared::errors::FieldErrors;
use shared::http::{self, BodyKind};
use shared::request::{self, Field, File, FileRef, Files, RequestBody};
use shared::{media, ApiError, AppContext};

#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::MEDIA;

/// JSON body of `POST /api/v2/journal/entries/{id}/media/`: attach an object
/// uploaded through the upload URL.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JournalMediaAttachRequest {
    /// The `key` of the upload-url answer (for this entry).
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, required = true, min_length = 1, pattern = r"\S")
    )]
    #[serde(default)]
    pub key: Field<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = MediaType, required = true))]
    #[serde(default)]
    pub media_type: Field<Value>,
    /// At most 500 characters; blank or `null`: none.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 500))]
    #[serde(default)]
    pub caption: Field<Value>,
    /// Seconds, a non-negative number (a numeric string is accepted too).
    /// AUDIO: only a hint; the measured duration is stored, a differing value
    /// is corrected. VIDEO: stored, rounded to whole seconds.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>, minimum = 0))]
    #[serde(default)]
    pub duration: Field<Value>,
}

/// The multipart form of `POST /api/v2/journal/entries/{id}/media/` (the
/// contract's way), for files that fit in a Lambda request.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JournalMediaForm {
    /// The file. PHOTO: JPEG, PNG, WebP or GIF (200x200 to 2048x2048 pixels);
    /// AUDIO: MP3, WAV, M4A, AAC or Ogg, at most 300 seconds; VIDEO: MP4 or
    /// QuickTime.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, format = Binary, required = true)
    )]
    #[serde(default)]
    pub file: Field<FileRef>,
    #[cfg_attr(feature = "openapi", schema(value_type = MediaType, required = true))]
    #[serde(default)]
    pub media_type: Field<Value>,
    /// At most 500 characters; blank: none.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<String>, max_length = 500, nullable = false)
    )]
    #[serde(default)]
    pub caption: Field<Value>,
    /// Seconds, a non-negative number. AUDIO: only a hint (the measured
    /// duration is stored); VIDEO: stored, rounded to whole seconds.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<f64>, minimum = 0, nullable = false)
    )]
    #[serde(default)]
    pub duration: Field<Value>,
}

/// A validated attach request: the JSON one names an upload, the form one
/// carries the file (if any).
pub struct MediaRequest<S> {
    pub source: S,
    pub attachment: Attachment,
}

impl RequestBody for JournalMediaAttachRequest {
    /// The upload's key.
    type Valid = MediaRequest<String>;

    fn validate(self, errors: &mut FieldErrors, _: &mut Files) -> Option<Self::Valid> {
        let media_type = media_fields::media_type(self.media_type, errors);
        let caption = media_fields::caption(self.caption, errors);
        let client_duration = media_fields::duration(self.duration, errors);
        let key = self.key.required_text("key", errors);
        Some(MediaRequest {
            source: key?,
            attachment: Attachment {
                media_type: media_type?,
                caption,
                client_duration,
            },
        })
    }
}

impl RequestBody for JournalMediaForm {
    /// The file, if one was sent.
    type Valid = MediaRequest<Option<File>>;

    fn validate(self, errors: &mut FieldErrors, files: &mut Files) -> Option<Self::Valid> {
        let media_type = media_fields::media_type(self.media_type, errors);
        let caption = media_fields::caption(self.caption, errors);
        let client_duration = media_fields::duration(self.duration, errors);
        let file = match self.file {
            Field::Value(r) => files.take(r).filter(|f| !f.data.is_empty()),
            _ => None,
        };
        Some(MediaRequest {
            source: file,
            attachment: Attachment {
                media_type: media_type?,
                caption,
                client_duration,
            },
        })
    }
}

/// A retry with the same `Idempotency-Key` gets the first answer again.
pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    crate::idempotency::once(ctx, req, "journal-media-add", handle(ctx, req)).await
}

async fn handle(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, user, entry) = entry_for_media(ctx, req).await?;
    if http::declared_kind(req, &[BodyKind::Json, BodyKind::Multipart])?
        == Some(BodyKind::Multipart)
    {
        return add_form(ctx, req, principal, user, entry).await;
    }

    // The presigned flow: the JSON body names the uploaded object.
    let MediaRequest {
        source: key,
        attachment,
    } = request::json::<JournalMediaAttachRequest>(req)?;
    // The permission comes before the upload is read.
    if attachment.media_type == MediaType::Audio {
        require_audio_permission(ctx, &principal, &user, req)?;
    }
    if !media::owns_journal_upload(&principal, entry.id, &key) {
        return Err(ApiError::NotFound(MSG_UPLOAD_NOT_FOUND.into()));
    }
    let media_type = attachment.media_type;
    let bytes = read_upload(ctx, &key, |size| check_size(ctx, media_type, size)).await?;
    let result = attach(ctx, &principal, &entry, attachment, bytes).await;
    // A bad upload will never become good: drop it either way.
    if result.is_ok() || matches!(&result, Err(ApiError::BadRequest(_))) {
        remove(ctx, &key).await;
    }
    result
}

async fn add_form(
    ctx: &AppContext,
    req: &Request,
    principal: shared::auth::Principal,
    user: shared::store::UserRecord,
    entry: shared::store::JournalEntry,
) -> Answer {
    let Some(MediaRequest {
        source: file,
        attachment,
    }) = request::form::<JournalMediaForm>(req).await?
    else {
        return Err(ApiError::BadRequest("No file provided".into()));
    };
    if attachment.media_type == MediaType::Audio {
        require_audio_permission(ctx, &principal, &user, req)?;
    }
    let Some(file) = file else {
        return Err(ApiError::BadRequest("No file provided".into()));
    };
    // The type's own size message first; a file within it that does not
    // fit in a Lambda request is sent to the presigned flow.
    check_size(ctx, attachment.media_type, file.data.len() as u64)?;
    if http::body_bytes(req).len() as u64 > MAX_DIRECT_UPLOAD_BYTES {
        return Err(ApiError::PayloadTooLarge(format!(
            "This file is too large for a direct upload. Request an upload URL with \
             POST /api/v2/journal/entries/{id}/media/upload-url/, PUT the file there, then call \
             POST /api/v2/journal/entries/{id}/media/ with {{\"key\": ...}}.",
            id = entry.id
        )));
    }
    attach(ctx, &principal, &entry, attachment, file.data).await
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "addJournalMedia",
    tag: "journal",
    summary: "Attach a photo, video or voice note to a journal entry",
    description: concat!(
        "Either the contract's multipart form (`file`, `media_type`, `caption`, \
        `duration`) for files that fit in a Lambda request (about 4.4 MB of body; a \
        larger one is a 413 that points to the presigned flow), or a JSON body naming an \
        object uploaded through the upload URL (`key`, `media_type`, `caption`, \
        `duration`). Either way the file is judged by its bytes: photos are checked and \
        re-encoded like profile images; voice notes must be MP3, WAV, M4A, AAC or Ogg, \
        must decode and may last at most 300 seconds (measured); videos must be MP4 or \
        QuickTime with a readable video track, at most 600 seconds (measured). The stored \
        and returned `duration` of a voice note or a video is the measured one (a \
        differing client value is corrected). An entry holds at most 20 attachments.\n\n",
        journal_media_access!()
    ),
    access: Access::Bearer,
    params: &[IDEMPOTENCY_KEY],
    request: Some(RequestDoc {
        media_type: "multipart/form-data",
        schema: schema_of::<JournalMediaForm>,
        required: true,
        examples: &[],
        also: &[RequestContent {
            media_type: JSON,
            schema: schema_of::<JournalMediaAttachRequest>,
            examples: &[example(
                "presigned",
                "An object uploaded through the upload URL",
                r#"{"key": "uploads/1/123/journal/789/jqbOtvObD4MH4idDPTtBsg", "media_type": "AUDIO", "caption": "Voice note from the field", "duration": 45}"#,
            )],
        }],
    }),
    responses: &[
        response(
            201,
            "Attached.",
            schema_of::<MediaAttachmentResponse>,
            &[EX_JOURNAL_MEDIA_201],
        ),
        response(
            400,
            "A field is missing, invalid or unknown (`{\"errors\": ...}`), or the file is \
             missing or refused, or the entry already has 20 attachments \
             (`{\"error\": ...}`).",
            upload_bad_request,
            &[
                EX_MEDIA_FIELD,
                example("no_file", "No file", r#"{"error": "No file provided"}"#),
                EX_AUDIO_TYPE,
                EX_AUDIO_TOO_LONG,
            ],
        ),
        R401,
        R403_JOURNAL_MEDIA,
        R404_JOURNAL_MEDIA,
        R409_IDEMPOTENCY,
        response(
            413,
            "Multipart: within the media type's limit but too large for a Lambda request; \
             use the presigned flow.",
            schema_of::<ErrorMessage>,
            &[],
        ),
        R415_JSON_OR_MULTIPART,
        R422_IDEMPOTENCY,
        R500,
        R503,
    ],
};
