//! `GET /api/v2/journal/entries/`: the caller's entries, newest `timestamp`
//! first; `?page_size=` (default 20, larger than 100 is clamped to 100,
//! anything not a positive integer is a 400) and `?cursor=` (opaque, from
//! the previous page's `next_cursor`); answer `{"results": [...],
//! "next_cursor": "..." | null}`.

use super::entry_response;
use crate::handler::{authenticated_user, ok, Answer};
use base64::Engine;
use lambda_http::{Request, RequestExt};
use shared::context::Needs;
use shared::contract::journal::{JournalPage, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use shared::store::is_journal_index_sk;
use shared::{ApiError, AppContext};

#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::MEDIA;

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::field(field, message)
}

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, _) = authenticated_user(ctx, req).await?;
    let params = req.query_string_parameters_ref();
    let page_size = match params.and_then(|p| p.first("page_size")) {
        None => DEFAULT_PAGE_SIZE,
        Some(raw) => match shared::http::whole_number(raw) {
            Some(n) if n >= 1 => (n.min(MAX_PAGE_SIZE as u64)) as usize,
            _ => {
                return Err(invalid(
                    "page_size",
                    "A positive whole number is required (at most 100 are returned).",
                ))
            }
        },
    };
    let after = match params
        .and_then(|p| p.first("cursor"))
        .filter(|c| !c.is_empty())
    {
        None => None,
        Some(raw) => Some(
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(raw)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .filter(|sk| is_journal_index_sk(sk))
                .ok_or_else(|| invalid("cursor", "Invalid cursor."))?,
        ),
    };
    let (entries, next) = ctx
        .store
        .list_journal_entries(&principal, page_size, after.as_deref())
        .await?;
    let mut results = Vec::with_capacity(entries.len());
    for e in &entries {
        results.push(entry_response(ctx, e).await);
    }
    ok(&JournalPage {
        results,
        next_cursor: next.map(|sk| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sk)),
    })
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "listJournalEntries",
    tag: "journal",
    summary: "The caller's journal entries, newest first, a page at a time",
    description: "Only the caller's own entries, newest `timestamp` first. Pages: \
        `{\"results\": [...], \"next_cursor\": ...}`; pass `next_cursor` as `?cursor=` for \
        the next page; it is `null` on the last page.",
    access: Access::Bearer,
    params: &[
        ParamDoc {
            name: "page_size",
            location: ParamIn::Query,
            description: "Entries per page: a positive whole number, default 20; larger \
                than 100 is taken as 100. Anything else is a 400.",
            required: false,
            value: ParamType::PositiveInteger,
        },
        ParamDoc {
            name: "cursor",
            location: ParamIn::Query,
            description: "The `next_cursor` of the previous page (opaque); absent or empty: \
                the first page. A cursor that was not issued by this API is a 400.",
            required: false,
            value: ParamType::String,
        },
    ],
    request: None,
    responses: &[
        response(
            200,
            "One page.",
            schema_of::<JournalPage>,
            &[example(
                "page",
                "The last page",
                r#"{"results": [], "next_cursor": null}"#,
            )],
        ),
        response(
            400,
            "`page_size` or `cursor` is invalid.",
            schema_of::<ValidationErrors>,
            &[example(
                "cursor",
                "A cursor that was not issued",
                r#"{"errors": {"cursor": ["Invalid cursor."]}}"#,
            )],
        ),
        R401,
        R500,
        R503,
    ],
};
