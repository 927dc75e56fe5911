//! `DELETE /api/v2/journal/entries/{id}/`: 204; the attachments' objects go too.

use super::{not_found, own_entry};
use crate::handler::{empty, retry, Answer};
use crate::uploads::remove;
use lambda_http::Request;
use shared::auth::Principal;
use shared::context::Needs;
use shared::store::JournalEntry;
use shared::{ApiError, AppContext};

#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::MEDIA;

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, _, entry) = own_entry(ctx, req).await?;
    delete_entry(ctx, &principal, entry).await?;
    empty()
}

/// Deletes an entry and then its objects. A delete that raced a change
/// (new version or attachment) re-reads and tries again.
async fn delete_entry(
    ctx: &AppContext,
    principal: &Principal,
    entry: JournalEntry,
) -> Result<(), ApiError> {
    let (tenant_id, id) = (entry.tenant_id, entry.id);
    let reload = || async move {
        ctx.store
            .get_journal_entry(tenant_id, id)
            .await?
            .ok_or_else(not_found)
    };
    let entry = retry(entry, reload, |entry| async move {
        ctx.store.delete_journal_entry(&entry).await?;
        Ok(entry)
    })
    .await?;
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

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "deleteJournalEntry",
    tag: "journal",
    summary: "Delete a journal entry and its attachments",
    description: "The entry goes, and so do its attachments' files.",
    access: Access::Bearer,
    params: &[],
    request: None,
    responses: &[no_content(204, "Deleted."), R401, R404_JOURNAL, R500, R503],
};
