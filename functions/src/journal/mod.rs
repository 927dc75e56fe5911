//! The caller's journal: entries, and their attachments (photos, videos,
//! voice notes). One file per endpoint; here what they share: the entry of
//! the path (tenancy and ownership), the answers' shapes and the audio
//! permission with the contract's journal message.
//!
//! Another user's or tenant's entry is a 404, the same as a missing one,
//! except that adding media to a colleague's entry is the contract's 403.

mod attach;
pub mod entries_create;
pub mod entries_list;
pub mod entry_delete;
mod entry_fields;
pub mod entry_get;
pub mod entry_update;
pub mod media_add;
mod media_fields;
pub mod media_list;
pub mod media_upload_url;

use crate::handler::authenticated_user;
use lambda_http::{Request, RequestExt};
use shared::auth::Principal;
use shared::contract::journal::{
    JournalEntryResponse, MediaAttachmentResponse, MediaType, MSG_AUDIO_DENIED,
    MSG_ENTRY_NOT_FOUND, MSG_NOT_OWNER,
};
use shared::guards::Guard;
use shared::store::{JournalEntry, StoredMedia, UserRecord};
use shared::{http, media, ApiError, AppContext};

/// An entry id from the path: a positive integer, or `None` (answered as
/// not found, like a missing entry).
pub fn parse_id(raw: &str) -> Option<u64> {
    if raw.is_empty() || raw.len() > 19 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok().filter(|id| *id > 0)
}

pub fn not_found() -> ApiError {
    ApiError::NotFound(MSG_ENTRY_NOT_FOUND.into())
}

/// The `{id}` path parameter; anything that is not a positive integer is
/// answered like a missing entry.
pub fn entry_id(req: &Request) -> Result<u64, ApiError> {
    req.path_parameters_ref()
        .and_then(|p| p.first("id"))
        .and_then(parse_id)
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
    let file_url = match ctx.s3() {
        Ok(s3) => media::display_url(s3, &ctx.config, Some(m.key.clone()))
            .await
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    MediaAttachmentResponse {
        id: m.id,
        journal_entry_id: Some(entry_id),
        media_type: m.media_type.clone(),
        file_url,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_positive_integers() {
        assert_eq!(parse_id("42"), Some(42));
        for bad in ["0", "-1", "x", "", "1e3", "99999999999999999999"] {
            assert_eq!(parse_id(bad), None, "{bad}");
        }
    }
}
