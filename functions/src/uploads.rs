//! Media in S3, shared by the profile image and journal media routes:
//! issuing a presigned upload, reading a pending upload back for its check,
//! storing a checked object, and removing objects.

use aws_sdk_s3::operation::get_object::GetObjectError;
use shared::contract::uploads::{UploadUrlResponse, MSG_UPLOAD_NOT_FOUND};
use shared::{media, time, ApiError, AppContext};

/// A presigned PUT for `key` that signs the declared type and size.
pub async fn upload_url_answer(
    ctx: &AppContext,
    key: String,
    content_type: &str,
    size: u64,
) -> Result<UploadUrlResponse, ApiError> {
    let upload = media::presign_put(ctx.s3()?, &ctx.config, &key, content_type, size).await?;
    let expires_at =
        time::now() + chrono::Duration::from_std(upload.expires_in).unwrap_or_default();
    Ok(UploadUrlResponse {
        upload_url: upload.url,
        method: "PUT".into(),
        headers: upload.headers.into_iter().collect(),
        key,
        expires_in: upload.expires_in.as_secs(),
        expires_at: time::iso(expires_at),
    })
}

/// Stores a checked object; a failing S3 is a 503.
pub async fn store(
    ctx: &AppContext,
    key: &str,
    content_type: &str,
    body: Vec<u8>,
) -> Result<(), ApiError> {
    ctx.s3()?
        .put_object()
        .bucket(&ctx.config.bucket_name)
        .key(key)
        .content_type(content_type)
        .body(body.into())
        .send()
        .await
        .map_err(|e| {
            tracing::error!(error = ?e, key, "storing an object failed");
            ApiError::Unavailable
        })?;
    Ok(())
}

/// The bytes of the pending upload `key` (whose ownership the caller has
/// checked). A missing object is a 404; an object `check_size` refuses is
/// removed and refused without being read; a failing S3 is a 503.
pub async fn read_upload(
    ctx: &AppContext,
    key: &str,
    check_size: impl FnOnce(u64) -> Result<(), ApiError>,
) -> Result<bytes::Bytes, ApiError> {
    let object = match ctx
        .s3()?
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
    let Ok(s3) = ctx.s3() else { return };
    if let Err(e) = s3
        .delete_object()
        .bucket(&ctx.config.bucket_name)
        .key(key)
        .send()
        .await
    {
        tracing::warn!(error = ?e, key, "could not delete an object; it is orphaned");
    }
}
