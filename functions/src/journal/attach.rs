//! Attaching a checked file to an entry. Attachments are untrusted bytes.
//! Photos go through `imaging::process` (sniffed, bounded decode, re-encoded
//! without metadata), exactly like profile images. Voice notes go through
//! the `audio` crate: the format is sniffed, the codec must decode, the
//! duration is measured from the packets. Videos go through the `video`
//! crate: sniffed, `video/mp4` or `video/quicktime`, a video track whose
//! sample tables agree (mp4parse), the duration measured from them (at most
//! 600 s); they are kept as uploaded.
//!
//! Duration rule: the stored and returned duration of a voice note is the
//! measured one (whole seconds, rounded). A client `duration` must be a
//! non-negative number if sent; when it differs from the measurement by more
//! than 1 s it is corrected silently (and logged), never trusted. The same
//! holds for a video: its duration is measured, never the client's.

use super::{media_response, not_found};
use crate::handler::{created, Answer};
use crate::uploads::{remove, store};
use shared::auth::Principal;
use shared::contract::journal::{MediaType, MAX_ATTACHMENTS_PER_ENTRY};
use shared::store::{JournalEntry, StoreError, StoredMedia};
use shared::{images, media, ApiError, AppContext};

/// The size limit of a media type, checked before any bytes are read.
pub fn check_size(ctx: &AppContext, media_type: MediaType, size: u64) -> Result<(), ApiError> {
    let limits = &ctx.config.limits;
    match media_type {
        MediaType::Photo => Ok(images::check_size(size, limits.max_profile_image_bytes)?),
        MediaType::Audio => {
            audio::check_size(size, limits.max_voice_note_bytes).map_err(audio_error)
        }
        MediaType::Video => {
            video::check_size(size, limits.max_journal_video_bytes).map_err(video_error)
        }
    }
}

/// What an upload-URL request declares: type and size, per media type.
pub fn check_declared(
    ctx: &AppContext,
    media_type: MediaType,
    content_type: &str,
    size: u64,
) -> Result<(), ApiError> {
    let limits = &ctx.config.limits;
    match media_type {
        MediaType::Photo => Ok(images::check_declared(
            content_type,
            size,
            limits.max_profile_image_bytes,
        )?),
        MediaType::Audio => audio::check_declared(content_type, size, limits.max_voice_note_bytes)
            .map_err(audio_error),
        MediaType::Video => {
            video::check_declared(content_type, size, limits.max_journal_video_bytes)
                .map_err(video_error)
        }
    }
}

fn audio_error(e: audio::AudioError) -> ApiError {
    ApiError::BadRequest(e.message())
}

fn video_error(e: video::VideoError) -> ApiError {
    ApiError::BadRequest(e.message())
}

/// What the client sent along with the file.
pub struct Attachment {
    pub media_type: MediaType,
    pub caption: Option<String>,
    pub client_duration: Option<f64>,
}

/// A checked file, ready to store.
struct Checked {
    body: Vec<u8>,
    content_type: &'static str,
    extension: &'static str,
    duration: Option<u64>,
}

/// Checks `bytes` as `attachment.media_type`, stores the object, attaches it
/// to the entry; on any failure after the object was stored, removes it.
pub async fn attach(
    ctx: &AppContext,
    principal: &Principal,
    entry: &JournalEntry,
    attachment: Attachment,
    bytes: bytes::Bytes,
) -> Answer {
    let limits = ctx.config.limits;
    let media_type = attachment.media_type;
    // Decoding and demuxing are CPU work: keep them off the async workers.
    let checked = tokio::task::spawn_blocking(move || -> Result<Checked, ApiError> {
        match media_type {
            MediaType::Photo => {
                let p = images::process(&bytes, limits.max_profile_image_bytes)?;
                Ok(Checked {
                    body: p.image,
                    content_type: p.content_type,
                    extension: p.extension,
                    duration: None,
                })
            }
            MediaType::Audio => {
                let a = audio::check(&bytes, limits.max_voice_note_bytes).map_err(audio_error)?;
                Ok(Checked {
                    body: bytes.to_vec(),
                    content_type: a.content_type,
                    extension: a.extension,
                    duration: Some(a.duration_whole_secs()),
                })
            }
            MediaType::Video => {
                let v =
                    video::check(&bytes, limits.max_journal_video_bytes).map_err(video_error)?;
                Ok(Checked {
                    body: bytes.to_vec(),
                    content_type: v.content_type,
                    extension: v.extension,
                    duration: Some(v.duration_whole_secs()),
                })
            }
        }
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "media check task failed");
        ApiError::Internal
    })??;

    let duration = match media_type {
        MediaType::Audio | MediaType::Video => {
            if let (Some(client), Some(measured)) = (attachment.client_duration, checked.duration) {
                if (client - measured as f64).abs() > 1.0 {
                    tracing::info!(
                        user_id = principal.user_id,
                        tenant_id = principal.tenant_id,
                        entry_id = entry.id,
                        client_duration = client,
                        measured_duration = measured,
                        "client duration disagrees with the file; the measured one is stored"
                    );
                }
            }
            checked.duration
        }
        MediaType::Photo => None,
    };
    let media_id = shared::store::ids::new_id();
    let key = media::journal_media_key(principal, entry.id, media_id, checked.extension);
    let stored_size = checked.body.len() as u64;
    store(ctx, &key, checked.content_type, checked.body).await?;
    let stored = StoredMedia {
        id: media_id,
        media_type: media_type.as_str().into(),
        key: key.clone(),
        content_type: checked.content_type.into(),
        caption: attachment.caption,
        duration,
        file_size: stored_size,
        created_at: shared::time::iso(shared::time::now()),
    };
    if let Err(e) = ctx
        .store
        .add_journal_media(entry.tenant_id, entry.id, &stored)
        .await
    {
        remove(ctx, &key).await;
        return Err(match e {
            // The entry was deleted meanwhile, or is full (or, once in a
            // blue moon, another attachment drew the same id: retry).
            StoreError::Conflict => match ctx
                .store
                .get_journal_entry(entry.tenant_id, entry.id)
                .await?
            {
                Some(now) if now.media_count >= MAX_ATTACHMENTS_PER_ENTRY => {
                    ApiError::BadRequest(format!(
                        "A journal entry can have at most {} attachments",
                        MAX_ATTACHMENTS_PER_ENTRY
                    ))
                }
                Some(_) => StoreError::Conflict.into(),
                None => not_found(),
            },
            other => other.into(),
        });
    }
    tracing::info!(
        user_id = principal.user_id,
        tenant_id = principal.tenant_id,
        entry_id = entry.id,
        media_id,
        media_type = media_type.as_str(),
        content_type = checked.content_type,
        file_size = stored_size,
        duration = ?duration,
        "journal attachment stored"
    );
    created(&media_response(ctx, entry.id, &stored).await)
}
