//! Media in S3: where objects live (every key carries the tenant and the
//! user), presigned uploads, and the URLs clients display.

use crate::auth::Principal;
use crate::config::Config;
use aws_sdk_s3::presigning::PresigningConfig;
use std::time::Duration;

/// Uploads land here first; the bucket expires this prefix after a day, so
/// abandoned uploads cost nothing.
pub const UPLOAD_PREFIX: &str = "uploads";
/// Checked, re-encoded media lives here.
pub const MEDIA_PREFIX: &str = "media";

/// The prefix a user's pending profile-image uploads must start with.
pub fn profile_upload_prefix(who: &Principal) -> String {
    format!(
        "{UPLOAD_PREFIX}/{}/{}/profile-image/",
        who.tenant_id, who.user_id
    )
}

pub fn new_profile_upload_key(who: &Principal) -> String {
    format!(
        "{}{}",
        profile_upload_prefix(who),
        crate::auth::random_token(16)
    )
}

/// Whether `key` is one of this user's profile uploads (and nothing else:
/// no traversal, no other user's or tenant's prefix).
pub fn owns_profile_upload(who: &Principal, key: &str) -> bool {
    key.strip_prefix(&profile_upload_prefix(who))
        .is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Where a checked profile image and its thumbnail are stored.
pub fn profile_image_keys(who: &Principal, extension: &str) -> (String, String) {
    let id = crate::auth::random_token(12);
    let base = format!(
        "{MEDIA_PREFIX}/{}/{}/profile/{id}",
        who.tenant_id, who.user_id
    );
    (
        format!("{base}.{extension}"),
        format!("{base}-thumb.{extension}"),
    )
}

/// The thumbnail that goes with a stored image key.
pub fn thumbnail_key(image_key: &str) -> Option<String> {
    let (base, ext) = image_key.rsplit_once('.')?;
    Some(format!("{base}-thumb.{ext}"))
}

/// A presigned PUT that signs the content type and length: S3 refuses any
/// other type, length, key, or a late upload.
pub struct PresignedUpload {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub expires_in: Duration,
}

pub async fn presign_put(
    s3: &aws_sdk_s3::Client,
    cfg: &Config,
    key: &str,
    content_type: &str,
    size: u64,
) -> Result<PresignedUpload, crate::ApiError> {
    let expires_in = cfg.media.upload_url_ttl;
    let presigned = s3
        .put_object()
        .bucket(&cfg.bucket_name)
        .key(key)
        .content_type(content_type)
        .content_length(size as i64)
        .presigned(PresigningConfig::expires_in(expires_in).map_err(internal)?)
        .await
        .map_err(internal)?;
    let mut headers: Vec<(String, String)> = presigned
        .headers()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
        .collect();
    for (name, value) in [
        ("content-type", content_type.to_string()),
        ("content-length", size.to_string()),
    ] {
        if !headers.iter().any(|(k, _)| k == name) {
            headers.push((name.to_string(), value));
        }
    }
    Ok(PresignedUpload {
        url: presigned.uri().to_string(),
        headers,
        expires_in,
    })
}

fn internal(e: impl std::fmt::Debug) -> crate::ApiError {
    tracing::error!(error = ?e, "presigning failed");
    crate::ApiError::Internal
}

/// The URL a client displays for a stored object: absolute URLs as stored
/// (legacy data); under `MEDIA_BASE_URL` (a CDN in front of the private
/// bucket) when set; otherwise a presigned GET that expires. Presigning is
/// local computation: no request is made.
pub async fn display_url(
    s3: &aws_sdk_s3::Client,
    cfg: &Config,
    stored: Option<String>,
) -> Option<String> {
    let stored = stored?;
    if stored.starts_with("https://") || stored.starts_with("http://") {
        return Some(stored);
    }
    if let Some(base) = &cfg.media_base_url {
        return Some(format!(
            "{}/{}",
            base.trim_end_matches('/'),
            stored.trim_start_matches('/')
        ));
    }
    let config = PresigningConfig::expires_in(cfg.media.download_url_ttl).ok()?;
    match s3
        .get_object()
        .bucket(&cfg.bucket_name)
        .key(&stored)
        .presigned(config)
        .await
    {
        Ok(p) => Some(p.uri().to_string()),
        Err(e) => {
            tracing::error!(error = ?e, "presigning a media URL failed");
            None
        }
    }
}

/// The prefix a user's pending uploads for one journal entry must start with.
pub fn journal_upload_prefix(who: &Principal, entry_id: u64) -> String {
    format!(
        "{UPLOAD_PREFIX}/{}/{}/journal/{entry_id}/",
        who.tenant_id, who.user_id
    )
}

pub fn new_journal_upload_key(who: &Principal, entry_id: u64) -> String {
    format!(
        "{}{}",
        journal_upload_prefix(who, entry_id),
        crate::auth::random_token(16)
    )
}

/// Whether `key` is one of this user's uploads for this entry (and nothing
/// else: no traversal, no other user's, tenant's or entry's prefix).
pub fn owns_journal_upload(who: &Principal, entry_id: u64, key: &str) -> bool {
    key.strip_prefix(&journal_upload_prefix(who, entry_id))
        .is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Where a checked journal attachment is stored. The name ends in 128 random
/// bits: ids and tenants are small integers, and behind a CDN
/// (`MEDIA_BASE_URL`) a guessable name would make every voice note public.
pub fn journal_media_key(who: &Principal, entry_id: u64, media_id: u64, extension: &str) -> String {
    format!(
        "{MEDIA_PREFIX}/{}/{}/journal/{entry_id}/{media_id}-{}.{extension}",
        who.tenant_id,
        who.user_id,
        crate::auth::random_token(16)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_keys_belong_to_their_user_only() {
        let me = Principal {
            tenant_id: 1,
            user_id: 7,
        };
        let key = new_profile_upload_key(&me);
        assert!(owns_profile_upload(&me, &key));
        assert!(!owns_profile_upload(
            &Principal {
                tenant_id: 1,
                user_id: 8
            },
            &key
        ));
        assert!(!owns_profile_upload(
            &Principal {
                tenant_id: 2,
                user_id: 7
            },
            &key
        ));
        assert!(!owns_profile_upload(
            &me,
            "uploads/1/7/profile-image/../../8/x"
        ));
        assert!(!owns_profile_upload(&me, "uploads/1/7/profile-image/"));
        assert!(!owns_profile_upload(&me, "media/1/7/profile/x.jpg"));
    }

    #[test]
    fn journal_media_names_cannot_be_guessed() {
        let me = Principal {
            tenant_id: 1,
            user_id: 2,
        };
        let a = journal_media_key(&me, 3, 4, "m4a");
        let b = journal_media_key(&me, 3, 4, "m4a");
        assert_ne!(a, b);
        assert!(a.starts_with("media/1/2/journal/3/4-") && a.ends_with(".m4a"));
        // 16 random bytes, base64url: 22 characters.
        let random = a
            .trim_start_matches("media/1/2/journal/3/4-")
            .trim_end_matches(".m4a");
        assert_eq!(random.len(), 22);
    }

    #[test]
    fn thumbnails_sit_next_to_their_image() {
        let (image, thumb) = profile_image_keys(
            &Principal {
                tenant_id: 3,
                user_id: 4,
            },
            "jpg",
        );
        assert!(image.starts_with("media/3/4/profile/") && image.ends_with(".jpg"));
        assert_eq!(thumbnail_key(&image), Some(thumb));
    }
}
