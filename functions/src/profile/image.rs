//! What the confirm and the multipart upload share: check the bytes, store
//! the re-encoded image and thumbnail, point the profile at them.
//! Nothing is half-written: if the profile update fails, the new objects are
//! removed again; the previous image is removed only once it is replaced.

use crate::handler::{ok, retry_on_conflict, Answer};
use crate::uploads::{remove, store};
use shared::auth::Principal;
use shared::contract::uploads::ProfileImageResponse;
use shared::images::{self, Processed};
use shared::store::attrs::{n, s, AttributeValue};
use shared::store::UserRecord;
use shared::{media, ApiError, AppContext};

/// What the image answers may add on request (`?include=thumbnail_url`).
pub const INCLUDES: &[&str] = &["thumbnail_url"];

pub async fn attach(
    ctx: &AppContext,
    principal: &Principal,
    user: UserRecord,
    bytes: bytes::Bytes,
    include: &[&str],
) -> Answer {
    let max = ctx.config.limits.max_profile_image_bytes;
    // Decoding is CPU work: keep it off the async worker threads.
    let processed = tokio::task::spawn_blocking(move || images::process(&bytes, max))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "image processing task failed");
            ApiError::Internal
        })??;
    let (image_key, thumb_key) = media::profile_image_keys(principal, processed.extension);
    let Processed {
        image,
        thumbnail,
        content_type,
        ..
    } = &processed;
    store(ctx, &image_key, content_type, image.clone()).await?;
    if let Err(e) = store(ctx, &thumb_key, content_type, thumbnail.clone()).await {
        remove(ctx, &image_key).await;
        return Err(e);
    }

    let image_key_ref = &image_key;
    let written = retry_on_conflict(ctx, principal, user, |user| async move {
        let previous = user.profile_str("peopleimg");
        let mut profile = user.profile.clone().unwrap_or_default();
        profile.insert("peopleimg".into(), s(image_key_ref.clone()));
        let mut after = user.clone();
        after.profile = Some(profile.clone());
        let percentage = after.presence().percentage() as u64;
        profile.insert("profile_completion_percentage".into(), n(percentage));
        let updated = ctx
            .store
            .update_user(
                principal,
                user.version,
                vec![
                    ("profile", AttributeValue::M(profile)),
                    ("profile_completion_percentage", n(percentage)),
                ],
            )
            .await?;
        Ok((updated, previous))
    })
    .await;
    let (updated, replaced) = match written {
        Ok(done) => done,
        Err(e) => {
            remove(ctx, &image_key).await;
            remove(ctx, &thumb_key).await;
            return Err(e);
        }
    };
    // The old image is no longer referenced: remove it and its thumbnail.
    if let Some(old) = replaced.filter(|k| k.starts_with(&format!("{}/", media::MEDIA_PREFIX))) {
        if let Some(old_thumb) = media::thumbnail_key(&old) {
            remove(ctx, &old_thumb).await;
        }
        remove(ctx, &old).await;
    }
    tracing::info!(
        user_id = principal.user_id,
        tenant_id = principal.tenant_id,
        width = processed.width,
        height = processed.height,
        source_format = ?processed.source_format,
        "profile image stored"
    );
    let s3 = ctx.s3()?;
    let image_url = media::display_url(s3, &ctx.config, Some(image_key))
        .await
        .ok_or(ApiError::Internal)?;
    ok(&ProfileImageResponse {
        image_url,
        profile_completion_percentage: updated.presence().percentage(),
        thumbnail_url: match include.contains(&"thumbnail_url") {
            true => media::display_url(s3, &ctx.config, Some(thumb_key)).await,
            false => None,
        },
    })
}
