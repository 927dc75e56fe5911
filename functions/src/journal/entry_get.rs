//! `GET /api/v2/journal/entries/{id}/`: the caller's own entry.

use super::{entry_response, own_entry};
use crate::handler::{ok, Answer};
use lambda_http::Request;
use shared::context::Needs;
use shared::AppContext;

#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::MEDIA;

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (_, _, entry) = own_entry(ctx, req).await?;
    ok(&entry_response(ctx, &entry).await)
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "getJournalEntry",
    tag: "journal",
    summary: "One of the caller's journal entries",
    description: "The entry with its attachments (with fresh `file_url`s).",
    access: Access::Bearer,
    params: &[],
    request: None,
    responses: &[
        response(
            200,
            "The entry.",
            schema_of::<JournalEntryResponse>,
            &[EX_JOURNAL_ENTRY],
        ),
        R401,
        R404_JOURNAL,
        R500,
        R503,
    ],
};
