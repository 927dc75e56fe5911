//! What the journal handlers share: the entry from the path (tenancy and
//! ownership), the answers' shapes, the audio permission with the contract's
//! journal message, and attaching a checked file (photo, video, voice note).
//!
//! Attachments are untrusted bytes. Photos go through `imaging::process`
//! (sniffed, bounded decode, re-encoded without metadata), exactly like
//! profile images. Voice notes go through the `audio` crate: the format is
//! sniffed, the codec must decode, the duration is measured from the packets.
//! Videos are sniffed from their first bytes (`infer`: the ISO-BMFF `ftyp`
//! box), must be `video/mp4` or `video/quicktime`, and are kept as uploaded.
//!
//! Duration rule: the stored and returned duration of a voice note is the
//! measured one (whole seconds, rounded). A client `duration` must be a
//! non-negative number if sent; when it differs from the measurement by more
//! than 1 s it is corrected silently (and logged), never trusted. A video's
//! duration is the client's (not measured), or `null`.

use crate::common::{authenticated_user, backoff, WRITE_ATTEMPTS};
use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, RequestExt, Response};
use shared::auth::Principal;
use shared::errors::json_response;
use shared::guards::Guard;
use shared::journal::{
    JournalEntryResponse, MediaAttachmentResponse, MediaType, MSG_AUDIO_DENIED,
    MSG_ENTRY_NOT_FOUND, MSG_NOT_OWNER, VIDEO_TYPES,
};
use shared::store::{JournalEntry, StoreError, StoredMedia, UserRecord};
use shared::{http, images, media, ApiError, AppContext};

/// A response with a status and a JSON body.
pub fn json_status(
    status: StatusCode,
    body: &impl serde::Serialize,
) -> Result<Response<Body>, ApiError> {
    let value = serde_json::to_value(body).map_err(|e| {
        tracing::error!(error = %e, "response serialisation failed");
        ApiError::Internal
    })?;
    Ok(json_response(status, &value))
}

pub fn not_found() -> ApiError {
    ApiError::NotFound(MSG_ENTRY_NOT_FOUND.into())
}

/// The `{id}` path parameter; anything that is not a positive integer is
/// answered like a missing entry.
pub fn entry_id(req: &Request) -> Result<u64, ApiError> {
    req.path_parameters_ref()
        .and_then(|p| p.first("id"))
        .and_then(shared::journal::parse_id)
        .ok_or_else(not_found)
}

/// The caller, and the entry of the path if it is theirs. Another user's
/// entry (same tenant) is a 404 like a missing one; another tenant's entry
/// is not even addressable (the tenant is in the key).
pub async fn own_entry(
    ctx: &AppContext,
    req: &Request,
) -> Result<(Principal, UserRecord, JournalEntry), ApiError> {
    let (principal, user) = authenticated_user(ctx, req).await?;
    let id = entry_id(req)?;
    match ctx.store.get_journal_entry(principal.tenant_id, id).await? {
        Some(entry) if entry.user_id == principal.user_id => Ok((principal, user, entry)),
        _ => Err(not_found()),
    }
}

/// Like `own_entry`, for adding media: another user's entry (same tenant) is
/// the contract's 403; a missing or another tenant's entry is a 404.
pub async fn entry_for_media(
    ctx: &AppContext,
    req: &Request,
) -> Result<(Principal, UserRecord, JournalEntry), ApiError> {
    let (principal, user) = authenticated_user(ctx, req).await?;
    let id = entry_id(req)?;
    match ctx.store.get_journal_entry(principal.tenant_id, id).await? {
        Some(entry) if entry.user_id == principal.user_id => Ok((principal, user, entry)),
        Some(entry) => {
            tracing::warn!(
                user_id = principal.user_id,
                tenant_id = principal.tenant_id,
                entry_id = entry.id,
                "media refused: not the entry's owner"
            );
            Err(ApiError::Forbidden(MSG_NOT_OWNER.into()))
        }
        None => Err(not_found()),
    }
}

/// The voice guard's decision and audit event, answered with the journal's
/// own message as `{"error": ...}`.
pub fn require_audio_permission(
    ctx: &AppContext,
    principal: &Principal,
    user: &UserRecord,
    req: &Request,
) -> Result<(), ApiError> {
    Guard::VoiceFeatures
        .enforce(
            &ctx.config,
            principal,
            &user.capabilities,
            &http::RequestMeta::of(req),
        )
        .map_err(|e| match e {
            ApiError::CapabilityDenied(_) => ApiError::Forbidden(MSG_AUDIO_DENIED.into()),
            other => other,
        })
}

pub async fn media_response(
    ctx: &AppContext,
    entry_id: u64,
    m: &StoredMedia,
) -> MediaAttachmentResponse {
    let timed = m.media_type != MediaType::Photo.as_str();
    MediaAttachmentResponse {
        id: m.id,
        journal_entry_id: entry_id,
        media_type: m.media_type.clone(),
        file_url: media::display_url(&ctx.s3, &ctx.config, Some(m.key.clone()))
            .await
            .unwrap_or_default(),
        caption: m.caption.clone(),
        duration: timed.then_some(m.duration),
        file_size: timed.then_some(m.file_size),
        created_at: shared::time::normalize(&m.created_at),
    }
}

pub async fn entry_response(ctx: &AppContext, e: &JournalEntry) -> JournalEntryResponse {
    let mut media_attachments = Vec::with_capacity(e.media.len());
    for m in &e.media {
        media_attachments.push(media_response(ctx, e.id, m).await);
    }
    JournalEntryResponse {
        id: e.id,
        entry_type: e.entry_type.clone(),
        title: e.title.clone(),
        content: e.content.clone(),
        timestamp: shared::time::normalize(&e.timestamp),
        user_id: e.user_id,
        tenant_id: e.tenant_id,
        wellbeing_metrics: e.wellbeing_metrics.clone(),
        privacy_scope: e.privacy_scope.clone(),
        media_attachments,
        sync_status: "synced".into(),
        version: e.version,
        created_at: shared::time::normalize(&e.created_at),
    }
}

/// The size limit of a media type, checked before any bytes are read.
pub fn check_size(ctx: &AppContext, media_type: MediaType, size: u64) -> Result<(), ApiError> {
    let limits = &ctx.config.limits;
    match media_type {
        MediaType::Photo => Ok(images::check_size(size, limits.max_profile_image_bytes)?),
        MediaType::Audio => {
            audio::check_size(size, limits.max_voice_note_bytes).map_err(audio_error)
        }
        MediaType::Video => check_video_size(size, limits.max_journal_video_bytes),
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
            check_video_size(size, limits.max_journal_video_bytes)?;
            let ct = content_type
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            if VIDEO_TYPES.contains(&ct.as_str()) {
                Ok(())
            } else {
                Err(video_type_error())
            }
        }
    }
}

fn audio_error(e: audio::AudioError) -> ApiError {
    ApiError::BadRequest(e.message())
}

fn video_type_error() -> ApiError {
    ApiError::BadRequest(format!(
        "Invalid video file type. Allowed: {}",
        VIDEO_TYPES.join(", ")
    ))
}

fn check_video_size(size: u64, max: u64) -> Result<(), ApiError> {
    if size == 0 {
        return Err(ApiError::BadRequest("No video file provided".into()));
    }
    if size > max {
        return Err(ApiError::BadRequest(format!(
            "Video file too large. Maximum size is {}MB",
            max.div_ceil(1_000_000)
        )));
    }
    Ok(())
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
) -> Result<Response<Body>, ApiError> {
    let limits = ctx.config.limits;
    let media_type = attachment.media_type;
    let file_size = bytes.len() as u64;
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
                check_video_size(file_size, limits.max_journal_video_bytes)?;
                let (content_type, extension) = match infer::get(&bytes).map(|t| t.mime_type()) {
                    Some("video/mp4") => ("video/mp4", "mp4"),
                    Some("video/quicktime") => ("video/quicktime", "mov"),
                    _ => return Err(video_type_error()),
                };
                Ok(Checked {
                    body: bytes.to_vec(),
                    content_type,
                    extension,
                    duration: None,
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
        MediaType::Audio => {
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
        MediaType::Video => attachment.client_duration.map(|d| d.round() as u64),
        MediaType::Photo => None,
    };
    let media_id = ctx.store.next_id("journal_media").await?;
    let key = media::journal_media_key(principal, entry.id, media_id, checked.extension);
    let stored_size = checked.body.len() as u64;
    ctx.s3
        .put_object()
        .bucket(&ctx.config.bucket_name)
        .key(&key)
        .content_type(checked.content_type)
        .body(checked.body.into())
        .send()
        .await
        .map_err(|e| {
            tracing::error!(error = ?e, key, "storing a journal attachment failed");
            ApiError::Unavailable
        })?;
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
            // The entry was deleted meanwhile, or is full.
            StoreError::Conflict => match ctx
                .store
                .get_journal_entry(entry.tenant_id, entry.id)
                .await?
            {
                Some(_) => ApiError::BadRequest(format!(
                    "A journal entry can have at most {} attachments",
                    shared::journal::MAX_ATTACHMENTS_PER_ENTRY
                )),
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
    json_status(
        StatusCode::CREATED,
        &media_response(ctx, entry.id, &stored).await,
    )
}

/// Deletes an entry and then its objects. A delete that raced a change
/// (new version or attachment) re-reads and tries again.
pub async fn delete_entry(
    ctx: &AppContext,
    principal: &Principal,
    mut entry: JournalEntry,
) -> Result<(), ApiError> {
    let mut attempt = 0;
    loop {
        match ctx.store.delete_journal_entry(&entry).await {
            Ok(()) => break,
            Err(StoreError::Conflict) if attempt + 1 < WRITE_ATTEMPTS => {
                attempt += 1;
                backoff(attempt).await;
                entry = match ctx
                    .store
                    .get_journal_entry(entry.tenant_id, entry.id)
                    .await?
                {
                    Some(e) => e,
                    None => return Err(not_found()),
                };
            }
            Err(e) => return Err(e.into()),
        }
    }
    // The entry no longer references them: remove the objects.
    for m in &entry.media {
        remove(ctx, &m.key).await;
    }
    tracing::info!(
        user_id = principal.user_id,
        tenant_id = principal.tenant_id,
        entry_id = entry.id,
        attachments = entry.media.len(),
        "journal entry deleted"
    );
    Ok(())
}

pub use crate::upload::remove;
