//! The caller's own profile: read, partial update, profile image.

pub mod change;
pub mod get;
mod image;
pub mod image_confirm;
pub mod image_upload;
pub mod image_upload_url;
pub mod update;

use shared::contract::ProfileResponse;
use shared::store::UserRecord;
use shared::{media, ApiError, AppContext};

/// What GET and PATCH may add to the contract's shape on request
/// (`?include=dateofreport`).
pub const INCLUDES: &[&str] = &["dateofreport"];

/// The profile as GET and PATCH answer it: the image as a displayable URL,
/// the flags as the client should act on them, and what it opted into.
pub async fn answer(
    ctx: &AppContext,
    user: &UserRecord,
    include: &[&str],
) -> Result<ProfileResponse, ApiError> {
    let image = media::display_url(ctx.s3()?, &ctx.config, user.profile_str("peopleimg")).await;
    Ok(ProfileResponse::of(
        user,
        image,
        user.effective_capabilities(&ctx.config),
        include.contains(&"dateofreport"),
    ))
}
