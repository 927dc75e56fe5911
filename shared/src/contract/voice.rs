//! Voice biometrics answers (`/api/v2/voice/...`).

use serde::{Deserialize, Serialize};

/// `POST /api/v2/voice/enrollment/` answer: one accepted sample.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoiceSampleResponse {
    /// The sample's id (its embedding is kept; its audio never is).
    pub sample_id: String,
    /// Seconds of speech heard after trimming silence (at least 4).
    pub speech_seconds: f64,
    /// Accepted samples of the enrollment so far (this one included).
    pub samples_collected: u64,
    /// Samples an enrollment needs (`VOICE_ENROLLMENT_SAMPLES`, default 3).
    pub samples_required: u64,
    /// Whether the user has a voiceprint now. During a new enrollment the
    /// previous voiceprint stays in use until the new set is complete.
    pub enrolled: bool,
    /// When the current voiceprint was made, ISO 8601 UTC, or `null`.
    #[cfg_attr(feature = "openapi", schema(required = true, format = DateTime))]
    pub enrolled_at: Option<String>,
}

/// `GET /api/v2/voice/enrollment/` answer.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoiceEnrollmentStatus {
    pub enrolled: bool,
    /// Samples of the enrollment in progress; with none in progress, the
    /// samples the voiceprint was made from (0 when not enrolled).
    pub samples_collected: u64,
    pub samples_required: u64,
    #[cfg_attr(feature = "openapi", schema(required = true, format = DateTime))]
    pub enrolled_at: Option<String>,
    /// The speaker encoder and its version (voiceprints are only comparable
    /// with the same one).
    #[cfg_attr(feature = "openapi", schema(example = "resemblyzer-ge2e-0.1.4"))]
    pub model: String,
}

/// `POST /api/v2/voice/verify/` answer.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoiceVerification {
    /// `score >= threshold`.
    pub verified: bool,
    /// Cosine similarity of the sample and the voiceprint (-1 to 1).
    pub score: f64,
    /// `VOICE_VERIFICATION_THRESHOLD`.
    pub threshold: f64,
}
