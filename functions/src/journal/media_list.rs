//! `GET /api/v2/journal/entries/{id}/media/`: the entry's attachments, a
//! JSON array with displayable `file_url`s.

use super::{media_response, own_entry};
use crate::handler::{ok, Answer};
use lambda_http::Request;
use shared::context::Needs;
use shared::AppContext;

#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::MEDIA;

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (_, _, entry) = own_entry(ctx, req).await?;
    let mut items = Vec::with_capacity(entry.media.len());
    for m in &entry.media {
        // The contract's list items do not name the entry (the path does).
        let mut item = media_response(ctx, entry.id, m).await;
        item.journal_entry_id = None;
        items.push(item);
    }
    ok(&items)
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "listJournalMedia",
    tag: "journal",
    summary: "The attachments of one of the caller's journal entries",
    description: "A JSON array, oldest first, with fresh `file_url`s. Another user's \
        entry is a 404 here (like a missing one).",
    access: Access::Bearer,
    params: &[],
    request: None,
    responses: &[
        response(
            200,
            "The attachments.",
            schema_of::<JournalMediaList>,
            &[example(
                "contract",
                "The contract's example, plus `journal_entry_id`",
                r#"[
{
    "id": 456,
    "journal_entry_id": 789,
    "media_type": "AUDIO",
    "file_url": "https://cdn.intelliwiz.com/media/journal/456.m4a",
    "caption": "Voice note",
    "duration": 45,
    "file_size": 512000,
    "created_at": "2025-11-12T18:05:00Z"
},
{
    "id": 457,
    "journal_entry_id": 789,
    "media_type": "PHOTO",
    "file_url": "https://cdn.intelliwiz.com/media/journal/457.jpg",
    "caption": "Field photo",
    "created_at": "2025-11-12T18:10:00Z"
}
]"#,
            )],
        ),
        R401,
        R404_JOURNAL,
        R500,
        R503,
    ],
};
