//! Pending uploads in S3, shared by the profile image and journal media
//! routes: reading one back for its check, and removing objects.

use aws_sdk_s3::operation::get_object::GetObjectError;
use shared::uploads::MSG_UPLOAD_NOT_FOUND;
use shared::{ApiError, AppContext};

/// The bytes of the pending upload `key` (whose ownership the caller has
/// checked). A missing object is a 404; an object `check_size` refuses is
/// removed and refused without being read; a failing S3 is a 503.
pub async fn read_upload(
    ctx: &AppContext,
    key: &str,
    check_size: impl FnOnce(u64) -> Result<(), ApiError>,
) -> Result<bytes::Bytes, ApiError> {
    let object = match ctx
        .s3
        .get_object()
        .bucket(&ctx.config.bucket_name)
        .key(key)
        .send()
        .await
    {
        Ok(object) => object,
        Err(e) => {
            let service = e.into_service_error();
            if matches!(service, GetObjectError::NoSuchKey(_)) {
                return Err(ApiError::NotFound(MSG_UPLOAD_NOT_FOUND.into()));
            }
            tracing::error!(error = ?service, key, "reading an upload failed");
            return Err(ApiError::Unavailable);
        }
    };
    let size = object.content_length().unwrap_or(0).max(0) as u64;
    if let Err(e) = check_size(size) {
        remove(ctx, key).await;
        return Err(e);
    }
    let bytes = object.body.collect().await.map_err(|e| {
        tracing::error!(error = %e, key, "reading an upload failed");
        ApiError::Unavailable
    })?;
    Ok(bytes.into_bytes())
}

/// Best effort: a leftover object is logged, never an error for the client.
pub async fn remove(ctx: &AppContext, key: &str) {
    if let Err(e) = ctx
        .s3
        .delete_object()
        .bucket(&ctx.config.bucket_name)
        .key(key)
        .send()
        .await
    {
        tracing::warn!(error = ?e, key, "could not delete an object; it is orphaned");
    }
}
