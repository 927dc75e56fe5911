//! What the confirm and the multipart upload share: check the bytes, store
//! the re-encoded image and thumbnail, point the profile at them.
//! Nothing is half-written: if the profile update fails, the new objects are
//! removed again; the previous image is removed only once it is replaced.

use crate::common::{backoff, ok_json, WRITE_ATTEMPTS};
use lambda_http::{Body, Response};
use shared::auth::Principal;
use shared::images::{self, Processed};
use shared::store::attrs::{n, s, AttributeValue};
use shared::store::{StoreError, UserRecord};
use shared::uploads::ProfileImageResponse;
use shared::{media, ApiError, AppContext};

pub async fn attach(
    ctx: &AppContext,
    principal: &Principal,
    mut user: UserRecord,
    bytes: bytes::Bytes,
) -> Result<Response<Body>, ApiError> {
    let max = ctx.config.limits.max_profile_image_bytes;
    // Decoding is CPU work: keep it off the async worker threads.
    let processed = tokio::task::spawn_blocking(move || images::process(&bytes, max))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "image processing task failed");
            ApiError::Internal
        })??;
    let (image_key, thumb_key) = media::profile_image_keys(principal, processed.extension);
    put(ctx, &image_key, &processed, false).await?;
    if let Err(e) = put(ctx, &thumb_key, &processed, true).await {
        remove(ctx, &image_key).await;
        return Err(e);
    }

    let mut attempt = 0;
    let (updated, replaced) = loop {
        let previous = user.profile_str("peopleimg");
        let mut profile = user.profile.clone().unwrap_or_default();
        profile.insert("peopleimg".into(), s(image_key.clone()));
        let mut after = user.clone();
        after.profile = Some(profile.clone());
        let percentage = after.presence().percentage() as u64;
        profile.insert("profile_completion_percentage".into(), n(percentage));
        let result = ctx
            .store
            .update_user(
                principal,
                user.version,
                vec![
                    ("profile", AttributeValue::M(profile)),
                    ("profile_completion_percentage", n(percentage)),
                ],
            )
            .await;
        match result {
            Ok(updated) => break (updated, previous),
            Err(StoreError::Conflict) if attempt + 1 < WRITE_ATTEMPTS => {
                attempt += 1;
                backoff(attempt).await;
                match ctx.store.get_user(principal).await {
                    Ok(Some(fresh)) => user = fresh,
                    Ok(None) => {
                        discard(ctx, &image_key, &thumb_key).await;
                        return Err(ApiError::invalid_token());
                    }
                    Err(e) => {
                        discard(ctx, &image_key, &thumb_key).await;
                        return Err(e.into());
                    }
                }
            }
            Err(e) => {
                discard(ctx, &image_key, &thumb_key).await;
                return Err(e.into());
            }
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
    let image_url = media::display_url(&ctx.s3, &ctx.config, Some(image_key))
        .await
        .ok_or(ApiError::Internal)?;
    ok_json(&ProfileImageResponse {
        image_url,
        profile_completion_percentage: updated.presence().percentage(),
        thumbnail_url: media::display_url(&ctx.s3, &ctx.config, Some(thumb_key)).await,
    })
}

async fn put(
    ctx: &AppContext,
    key: &str,
    processed: &Processed,
    thumbnail: bool,
) -> Result<(), ApiError> {
    let body = if thumbnail {
        &processed.thumbnail
    } else {
        &processed.image
    };
    ctx.s3
        .put_object()
        .bucket(&ctx.config.bucket_name)
        .key(key)
        .content_type(processed.content_type)
        .body(body.clone().into())
        .send()
        .await
        .map_err(|e| {
            tracing::error!(error = ?e, key, "storing an image failed");
            ApiError::Unavailable
        })?;
    Ok(())
}

async fn discard(ctx: &AppContext, image_key: &str, thumb_key: &str) {
    remove(ctx, image_key).await;
    remove(ctx, thumb_key).await;
}

pub use crate::upload::remove;
