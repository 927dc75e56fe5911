//! The wire shapes of uploads: asking for a presigned URL, confirming an
//! upload, and the profile image answer.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Body of `POST /api/v2/profile/me/image/upload-url/`: what the client is
/// about to upload. Both are checked against the limits before a URL is issued.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadUrlRequest {
    /// `image/jpeg`, `image/png`, `image/webp` or `image/gif`. Only a hint:
    /// the confirm step judges the file by its bytes.
    #[schema(example = "image/jpeg")]
    pub content_type: String,
    /// The exact size in bytes; the PUT must send exactly this many.
    #[schema(minimum = 1, example = 482113)]
    pub size: u64,
}

/// `POST /api/v2/profile/me/image/upload-url/` answer.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UploadUrlResponse {
    /// PUT the file's bytes here, with exactly `headers`. S3 refuses another
    /// content type, another length, another key or a late upload (403).
    pub upload_url: String,
    /// Always `PUT`.
    pub method: String,
    /// Headers the PUT must carry (`content-type`, `content-length`).
    pub headers: std::collections::BTreeMap<String, String>,
    /// Give this back to the confirm call.
    pub key: String,
    /// Seconds the URL stays valid.
    pub expires_in: u64,
    #[schema(format = DateTime)]
    pub expires_at: String,
}

/// Body of `POST /api/v2/profile/me/image/confirm/`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmUploadRequest {
    /// The `key` of the upload-url answer.
    #[schema(min_length = 1)]
    pub key: String,
}

/// The multipart form of `POST /api/v2/profile/me/image/`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProfileImageForm {
    /// The image file (JPEG, PNG, WebP or GIF; 200x200 to 2048x2048 pixels).
    #[schema(value_type = String, format = Binary)]
    pub image: Vec<u8>,
}

/// The mobile `ProfileImageResponseDto`, plus the thumbnail.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProfileImageResponse {
    /// Where the app shows the image from: a presigned GET URL that expires
    /// (`MEDIA_URL_TTL_SECONDS`), or a URL under `MEDIA_BASE_URL` (a CDN).
    pub image_url: String,
    #[schema(minimum = 0, maximum = 100)]
    pub profile_completion_percentage: u8,
    /// A 256 px thumbnail, same kind of URL. Added to the contract's shape.
    pub thumbnail_url: Option<String>,
}

/// The answer for a pending upload that is missing; another user's or
/// tenant's upload gets the same one.
pub const MSG_UPLOAD_NOT_FOUND: &str = "Upload not found";

/// The largest request body a direct (multipart) upload may have: a Lambda
/// request carries at most 6 MB and API Gateway base64-encodes binary bodies
/// (x4/3), so about 4.4 MB of body arrive intact.
pub const MAX_DIRECT_UPLOAD_BYTES: u64 = 4_400_000;
