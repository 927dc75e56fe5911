//! Examples many routes share: the contract's own (verbatim, from
//! tests/fixtures/contract/) and the error bodies.

use super::*;

pub const EX_PROFILE_ME: Example = example(
    "contract",
    "The contract's Endpoint 1 example",
    contract_fixture!("profile_me.json"),
);
pub const EX_VALIDATION_BODY: Example = example(
    "not_json",
    "The body is not a JSON object",
    r#"{"errors": {"body": ["Expected a JSON object."]}}"#,
);
pub const EX_NO_CREDENTIALS: Example = example(
    "no_credentials",
    "No Authorization header",
    r#"{"detail": "Authentication credentials were not provided."}"#,
);
pub const EX_TOKEN_INVALID: Example = example(
    "token_not_valid",
    "A bad or expired token, or a user who no longer exists or is inactive",
    r#"{"detail": "Given token not valid for any token type", "code": "token_not_valid"}"#,
);
pub const EX_ONBOARDING_DENIED: Example = example(
    "contract",
    "The contract's 403 example",
    contract_fixture!("completion_status_403.json"),
);
pub const EX_CONFLICT: Example = example(
    "conflict",
    "The record kept changing under this request",
    r#"{"error": "The record was changed by another request. Please retry."}"#,
);
pub const EX_UNAVAILABLE: Example = example(
    "unavailable",
    "DynamoDB throttled or timed out",
    r#"{"detail": "Service temporarily unavailable. Please retry."}"#,
);
pub const EX_INTERNAL: Example = example(
    "internal",
    "An unexpected failure (logged, never explained)",
    r#"{"detail": "Internal server error."}"#,
);

pub const EX_IMAGE_200: Example = example(
    "contract",
    "The contract's Endpoint 3 example",
    r#"{"image_url": "https://cdn.intelliwiz.com/media/profiles/123.jpg", "profile_completion_percentage": 100}"#,
);
pub const EX_IMAGE_200_THUMBNAIL: Example = example(
    "with_thumbnail",
    "With ?include=thumbnail_url",
    r#"{"image_url": "https://cdn.intelliwiz.com/media/profiles/123.jpg", "profile_completion_percentage": 100, "thumbnail_url": "https://cdn.intelliwiz.com/media/profiles/123-thumb.jpg"}"#,
);
pub const EX_IMAGE_NONE: Example = example(
    "no_file",
    "No image",
    r#"{"error": "No image file provided"}"#,
);
pub const EX_IMAGE_TOO_LARGE: Example = example(
    "too_large",
    "Over the size limit",
    r#"{"error": "Image file too large. Maximum size is 5MB"}"#,
);
pub const EX_IMAGE_TYPE: Example = example(
    "invalid_type",
    "Not an accepted image",
    r#"{"error": "Invalid file type. Allowed: image/jpeg, image/png, image/webp, image/gif"}"#,
);
pub const EX_IMAGE_SMALL: Example = example(
    "too_small",
    "Under 200x200",
    r#"{"error": "Image dimensions too small. Minimum: 200x200 pixels"}"#,
);
pub const EX_IMAGE_BIG: Example = example(
    "too_big",
    "Over 2048x2048",
    r#"{"error": "Image dimensions too large. Maximum: 2048x2048 pixels"}"#,
);

pub const EX_JOURNAL_CREATE_REQUEST: Example = example(
    "contract",
    "The contract's journal entry example",
    r#"{
    "entry_type": "DAILY",
    "title": "My Day",
    "content": "Had a productive day today",
    "timestamp": "2025-11-12T18:00:00Z",
    "wellbeing_metrics": {
        "mood_rating": 8,
        "stress_level": 2,
        "energy_level": 7,
        "sleep_hours": 7.5
    },
    "privacy_scope": "PRIVATE",
    "consent_given": true
}"#,
);
pub const EX_JOURNAL_ENTRY: Example = example(
    "contract",
    "The contract's 201 example (its `wellbeing_metrics: {...}` filled in)",
    r#"{
    "id": 789,
    "entry_type": "DAILY",
    "title": "My Day",
    "content": "Had a productive day today",
    "timestamp": "2025-11-12T18:00:00Z",
    "user_id": 123,
    "tenant_id": 1,
    "wellbeing_metrics": {
        "mood_rating": 8,
        "stress_level": 2,
        "energy_level": 7,
        "sleep_hours": 7.5
    },
    "privacy_scope": "PRIVATE",
    "media_attachments": [],
    "sync_status": "synced",
    "version": 1,
    "created_at": "2025-11-12T18:00:00Z"
}"#,
);
pub const EX_JOURNAL_MEDIA_201: Example = example(
    "contract",
    "The contract's voice note example",
    r#"{
    "id": 456,
    "journal_entry_id": 789,
    "media_type": "AUDIO",
    "file_url": "https://cdn.intelliwiz.com/media/journal/456.m4a",
    "caption": "Voice note from the field",
    "duration": 45,
    "file_size": 512000,
    "created_at": "2025-11-12T18:05:00Z"
}"#,
);
pub const EX_JOURNAL_NOT_FOUND: Example = example(
    "not_found",
    "Missing, another user's or another tenant's entry",
    r#"{"error": "Journal entry not found"}"#,
);
pub const EX_JOURNAL_AUDIO_DENIED: Example = example(
    "audio_denied",
    "AUDIO without `canUseVoiceFeatures` (the contract's message)",
    r#"{"error": "You do not have permission to upload audio files"}"#,
);
pub const EX_JOURNAL_NOT_OWNER: Example = example(
    "not_owner",
    "Another user's entry (the contract's message)",
    r#"{"error": "You can only add media to your own journal entries"}"#,
);
pub const EX_JOURNAL_FIELDS: Example = example(
    "invalid",
    "Invalid fields, all reported at once",
    r#"{"errors": {"entry_type": ["\"DIARY\" is not a valid choice. Allowed: DAILY, REFLECTION, GRATITUDE, INCIDENT, OTHER"], "wellbeing_metrics.mood_rating": ["Must be a whole number from 1 to 10."]}}"#,
);
pub const EX_AUDIO_TOO_LARGE: Example = example(
    "audio_too_large",
    "A voice note over the size limit",
    r#"{"error": "Audio file too large. Maximum size is 50MB"}"#,
);
pub const EX_AUDIO_TYPE: Example = example(
    "audio_type",
    "Not an accepted audio format",
    r#"{"error": "Invalid audio file type. Allowed: audio/mpeg, audio/wav, audio/m4a, audio/aac, audio/ogg"}"#,
);
pub const EX_AUDIO_TOO_LONG: Example = example(
    "audio_too_long",
    "A voice note over 300 seconds",
    r#"{"error": "Audio too long. Maximum duration is 300 seconds (this file is 312 seconds)"}"#,
);
pub const EX_MEDIA_FIELD: Example = example(
    "invalid_field",
    "A field error",
    r#"{"errors": {"media_type": ["\"FILE\" is not a valid choice. Allowed: PHOTO, VIDEO, AUDIO"]}}"#,
);

pub const LOGIN_200: &str = r#"{
    "access": "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIzIn0.c2lnbmF0dXJl",
    "refresh": "b2xkLXJlZnJlc2gtdG9rZW4tZXhhbXBsZS12YWx1ZQ",
    "user": {
        "id": 3,
        "username": "new.employee",
        "email": "new.employee@demo.example",
        "capabilities": {
            "canAccessPeople": true,
            "canAccessAttendance": true,
            "canAccessOperations": true,
            "canAccessHelpdesk": true,
            "canAccessJournal": true,
            "canAccessReports": false,
            "canAccessCalendar": true,
            "canAccessOnboarding": true,
            "canUseVoiceFeatures": false,
            "canUseVoiceBiometrics": false,
            "canApproveJobs": false,
            "canManageTeam": false,
            "canViewAnalytics": false
        }
    }
}"#;

pub const PROFILE_PATCH_REQUEST: &str = r#"{
    "email": "newemail@example.com",
    "mobno": "+9876543210",
    "profile": {
        "gender": "FEMALE",
        "dateofbirth": "1990-01-15",
        "dateofjoin": "2025-01-01",
        "dateofreport": "2025-01-15"
    },
    "organizational": {
        "location": 2,
        "department": 3,
        "designation": 5
    }
}"#;

pub const PROFILE_PATCH_DOC: &str =
    "A partial update of exactly the keys sent (all optional): `email`, `mobno` (shown \
     as `phone`), `profile.{gender,dateofbirth,dateofjoin,dateofreport}` and \
     `organizational.{location,department,designation,bu,reportto}` (ids of the \
     caller's tenant; the answer shows names). `null` clears a field (not `email`). \
     Read-only keys (`capabilities`, `tenant_id`, the onboarding state, `peopleimg`, \
     the percentage, ...) and unknown keys are a 400. Everything is validated before \
     anything is written, and all problems are reported at once. The completion \
     percentage is recomputed; the answer is the updated profile, as GET returns it.";
