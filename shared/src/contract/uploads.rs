//! The answers of the upload routes: a presigned URL, the profile image.

use serde::{Deserialize, Serialize};

/// `POST /api/v2/profile/me/image/upload-url/` answer.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub expires_at: String,
}

/// The mobile `ProfileImageResponseDto`: exactly `image_url` and
/// `profile_completion_percentage`, unless the client opts into the thumbnail.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileImageResponse {
    /// Where the app shows the image from: a presigned GET URL that expires
    /// (`MEDIA_URL_TTL_SECONDS`), or a URL under `MEDIA_BASE_URL` (a CDN).
    pub image_url: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub profile_completion_percentage: u8,
    /// A 256 px thumbnail, same kind of URL. Only with `?include=thumbnail_url`
    /// (an addition to the contract's shape, which the apps parse strictly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub thumbnail_url: Option<String>,
}

/// The answer for a pending upload that is missing; another user's or
/// tenant's upload gets the same one.
pub const MSG_UPLOAD_NOT_FOUND: &str = "Upload not found";

/// The largest request body a direct (multipart) upload may have: a Lambda
/// request carries at most 6 MB and API Gateway base64-encodes binary bodies
/// (x4/3), so about 4.4 MB of body arrive intact.
pub const MAX_DIRECT_UPLOAD_BYTES: u64 = 4_400_000;

/// The content types a profile image (or a journal PHOTO) may declare.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ImageContentType {
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/png")]
    Png,
    #[serde(rename = "image/webp")]
    Webp,
    #[serde(rename = "image/gif")]
    Gif,
}

/// The content types a journal attachment may declare, every media type's:
/// which one goes with which `media_type` is the request's description.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum JournalContentType {
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/png")]
    Png,
    #[serde(rename = "image/webp")]
    Webp,
    #[serde(rename = "image/gif")]
    Gif,
    #[serde(rename = "audio/mpeg")]
    Mpeg,
    #[serde(rename = "audio/wav")]
    Wav,
    #[serde(rename = "audio/m4a")]
    M4a,
    #[serde(rename = "audio/aac")]
    Aac,
    #[serde(rename = "audio/ogg")]
    Ogg,
    #[serde(rename = "video/mp4")]
    Mp4,
    #[serde(rename = "video/quicktime")]
    Quicktime,
}
