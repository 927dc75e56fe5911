//! The documentation types of the routes (feature `openapi`): each
//! endpoint file holds its `DOC: RouteDoc` next to its handler;
//! contract-tools turns the route table and these into `openapi.yaml`.
//! Here: the types, and the examples and responses many routes share.

// The answer types, for the endpoint files' docs (`use crate::docs::*`).
pub use shared::capabilities::Capability;
pub use shared::contract::journal::{
    JournalEntryResponse, JournalPage, MediaAttachmentResponse, MediaType,
};
pub use shared::contract::uploads::{ProfileImageResponse, UploadUrlResponse};
pub use shared::contract::{
    CompletionStatus, ErrorDetail, ErrorMessage, JournalMediaList, LoginResponse,
    MarkOnboardingCompleteResponse, ProfileResponse, RefreshResponse, ValidationErrors,
};
use utoipa::openapi::schema::{OneOfBuilder, Schema};
use utoipa::openapi::{Ref, RefOr};
use utoipa::ToSchema;

/// The operation extension naming the capability a route needs.
pub const CAPABILITY_EXTENSION: &str = "x-required-capability";

/// Named schemas collected while the document is built.
pub type Schemas = Vec<(String, RefOr<Schema>)>;
/// Adds a type's schema (and the schemas it refers to) and returns its name.
pub type SchemaFn = fn(&mut Schemas) -> String;

pub fn schema_of<T: ToSchema>(out: &mut Schemas) -> String {
    let name = T::name().to_string();
    out.push((name.clone(), T::schema()));
    T::schemas(out);
    name
}

/// The 400 of the upload routes: a field error (`{"errors": ...}`) or an
/// upload error (`{"error": ...}`, the contract's messages).
pub fn upload_bad_request(out: &mut Schemas) -> String {
    let fields = schema_of::<ValidationErrors>(out);
    let upload = schema_of::<ErrorMessage>(out);
    let name = "UploadBadRequest".to_string();
    out.push((
        name.clone(),
        OneOfBuilder::new()
            .item(Ref::from_schema_name(fields))
            .item(Ref::from_schema_name(upload))
            .description(Some(
                "A 400 of an upload route: `{\"errors\": ...}` when a field is missing, \
                 invalid or unknown, `{\"error\": ...}` when the file (or its declared type \
                 or size) is refused.",
            ))
            .into(),
    ));
    name
}

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// No credentials (login).
    Public,
    /// A refresh token in the body, no bearer token.
    RefreshToken,
    /// Any authenticated user: `Authorization: Bearer <access token>`.
    Bearer,
    /// An authenticated user holding this capability (403 otherwise).
    Capability(Capability),
}

/// A JSON example: a name, a one-line summary and the JSON text.
pub struct Example {
    pub name: &'static str,
    pub summary: &'static str,
    pub json: &'static str,
}

pub const fn example(name: &'static str, summary: &'static str, json: &'static str) -> Example {
    Example {
        name,
        summary,
        json,
    }
}

/// `application/json`, the media type of every body unless a doc says otherwise.
pub const JSON: &str = "application/json";

pub struct RequestDoc {
    /// E.g. [`JSON`] or `multipart/form-data` (describe the form fields as
    /// the schema's properties, a file as `value_type = String, format = Binary`).
    pub media_type: &'static str,
    pub schema: SchemaFn,
    /// Whether a request without a body is refused (the PATCH takes none as
    /// "change nothing").
    pub required: bool,
    pub examples: &'static [Example],
    /// Further media types the same operation takes (a JSON alternative to
    /// a multipart form, say).
    pub also: &'static [RequestContent],
}

/// One more media type of a request body.
pub struct RequestContent {
    pub media_type: &'static str,
    pub schema: SchemaFn,
    pub examples: &'static [Example],
}

pub struct ResponseDoc {
    pub status: u16,
    pub description: &'static str,
    /// The JSON body; `None` for a response without one (a 204).
    pub schema: Option<SchemaFn>,
    pub examples: &'static [Example],
}

pub const fn response(
    status: u16,
    description: &'static str,
    schema: SchemaFn,
    examples: &'static [Example],
) -> ResponseDoc {
    ResponseDoc {
        status,
        description,
        schema: Some(schema),
        examples,
    }
}

/// A response without a body.
pub const fn no_content(status: u16, description: &'static str) -> ResponseDoc {
    ResponseDoc {
        status,
        description,
        schema: None,
        examples: &[],
    }
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamIn {
    Path,
    Query,
}

/// The value type of a parameter.
#[derive(Clone, Copy)]
pub enum ParamType {
    /// An integer id (ids are integers on the wire).
    Id,
    Integer,
    /// A whole number from 1 (a count, a page size).
    PositiveInteger,
    String,
    /// A named schema (an enum, say).
    Schema(SchemaFn),
}

/// A path or query parameter. Every `{name}` of a route path that has no
/// `ParamDoc` is documented as a required integer id.
pub struct ParamDoc {
    pub name: &'static str,
    pub location: ParamIn,
    pub description: &'static str,
    pub required: bool,
    pub value: ParamType,
}

/// The documentation of one route (its method and path are the route
/// table's): what the generator turns into an OpenAPI operation.
pub struct RouteDoc {
    /// Unique in the document; code generators name client methods after it.
    pub operation_id: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    /// Markdown. The access sentence (token, capability) is added from `access`.
    pub description: &'static str,
    pub access: Access,
    /// Path and query parameters (path ones may be left to the default).
    pub params: &'static [ParamDoc],
    pub request: Option<RequestDoc>,
    pub responses: &'static [ResponseDoc],
}

// The contract's JSON examples, verbatim (tests/fixtures/contract/).
macro_rules! contract_fixture {
    ($file:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/contract/",
            $file
        ))
    };
}
pub(crate) use contract_fixture;

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

pub const R404_JOURNAL: ResponseDoc = response(
    404,
    "No such entry of the caller: a missing id, an id that is not a positive integer, \
     or another user's or another tenant's entry (they are indistinguishable).",
    schema_of::<ErrorMessage>,
    &[EX_JOURNAL_NOT_FOUND],
);
pub const R404_JOURNAL_MEDIA: ResponseDoc = response(
    404,
    "No such entry in the caller's tenant (a missing id, one that is not a positive \
     integer, or another tenant's entry); for the JSON body also a `key` that is missing \
     or not an upload of this user for this entry (`{\"error\": \"Upload not found\"}`).",
    schema_of::<ErrorMessage>,
    &[
        EX_JOURNAL_NOT_FOUND,
        example(
            "upload_not_found",
            "An unknown key",
            r#"{"error": "Upload not found"}"#,
        ),
    ],
);
pub const R403_JOURNAL_MEDIA: ResponseDoc = response(
    403,
    "`media_type` is `AUDIO` and the user lacks `canUseVoiceFeatures` (or voice \
     features are switched off, `VOICE_FEATURES_ENABLED=false`), or the entry is another \
     user's of the same tenant.",
    schema_of::<ErrorMessage>,
    &[EX_JOURNAL_AUDIO_DENIED, EX_JOURNAL_NOT_OWNER],
);

// The access rules of the two media POSTs (a literal, for `concat!`).
macro_rules! journal_media_access {
    () => {
        "`media_type: AUDIO` needs the `canUseVoiceFeatures` \
         capability: without it the answer is `403 {\"error\": \"You do not have permission to \
         upload audio files\"}` (checked before any file is read). Another user's entry is \
         `403 {\"error\": \"You can only add media to your own journal entries\"}`; a missing \
         id or another tenant's entry is `404 {\"error\": \"Journal entry not found\"}`."
    };
}
pub(crate) use journal_media_access;

pub const R400_BODY: ResponseDoc = response(
    400,
    "The body is not a JSON object or a field is missing, of the wrong type, invalid or \
     unknown. Every problem is reported at once; nothing is written.",
    schema_of::<ValidationErrors>,
    &[EX_VALIDATION_BODY],
);
pub const R401: ResponseDoc = response(
    401,
    "No access token, or one that is not valid (bad signature, expired, wrong issuer or \
     audience), or its user no longer exists or is inactive. The response carries \
     `WWW-Authenticate: Bearer`.",
    schema_of::<ErrorDetail>,
    &[EX_NO_CREDENTIALS, EX_TOKEN_INVALID],
);
pub const R403_ONBOARDING: ResponseDoc = response(
    403,
    "The user lacks `canAccessOnboarding`, or the onboarding module is switched off \
     for everyone (`ONBOARDING_MODULE_ENABLED=false`).",
    schema_of::<ErrorDetail>,
    &[EX_ONBOARDING_DENIED],
);
pub const R409: ResponseDoc = response(
    409,
    "The user's record was changed by other requests 30 times in a row while this one \
     tried to write; nothing was written. Retrying is safe.",
    schema_of::<ErrorMessage>,
    &[EX_CONFLICT],
);
/// The 415 of a route that takes a JSON body.
pub const R415_JSON: ResponseDoc = response(
    415,
    "The body is not declared as JSON: send `Content-Type: application/json` (a \
     request without a body needs none).",
    schema_of::<ErrorMessage>,
    &[example(
        "not_json",
        "A body sent as text/plain",
        r#"{"error": "Unsupported media type \"text/plain\". Send the body as application/json."}"#,
    )],
);

/// The 415 of the multipart upload.
pub const R415_MULTIPART: ResponseDoc = response(
    415,
    "The body is not declared as `multipart/form-data`.",
    schema_of::<ErrorMessage>,
    &[example(
        "not_multipart",
        "A JSON body",
        r#"{"error": "Unsupported media type \"application/json\". Send the body as multipart/form-data."}"#,
    )],
);

/// The 415 of a route that takes JSON or a multipart form.
pub const R415_JSON_OR_MULTIPART: ResponseDoc = response(
    415,
    "The body is neither JSON nor `multipart/form-data`.",
    schema_of::<ErrorMessage>,
    &[example(
        "neither",
        "A body sent as text/plain",
        r#"{"error": "Unsupported media type \"text/plain\". Send the body as application/json or multipart/form-data."}"#,
    )],
);

/// `?include=` on the profile answers.
pub const INCLUDE_DATEOFREPORT: ParamDoc = ParamDoc {
    name: "include",
    location: ParamIn::Query,
    description: "Additions to the contract's shape, comma-separated: `dateofreport` adds \
        `profile.dateofreport`. Without it the answer carries exactly the contract's keys \
        (the apps parse strictly). An unknown value is a 400 on `include`.",
    required: false,
    value: ParamType::Schema(schema_of::<ProfileInclude>),
};

/// The `?include=` value of the profile answers.
#[derive(serde::Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProfileInclude {
    Dateofreport,
}

/// The `?include=` value of the profile image answers.
#[derive(serde::Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProfileImageInclude {
    ThumbnailUrl,
}

/// `?include=` on the profile image answers.
pub const INCLUDE_THUMBNAIL: ParamDoc = ParamDoc {
    name: "include",
    location: ParamIn::Query,
    description: "Additions to the contract's shape, comma-separated: `thumbnail_url` adds \
        the 256 px thumbnail's URL. Without it the answer is exactly the mobile \
        `ProfileImageResponseDto`. An unknown value is a 400 on `include`.",
    required: false,
    value: ParamType::Schema(schema_of::<ProfileImageInclude>),
};

pub const R500: ResponseDoc = response(
    500,
    "An unexpected failure.",
    schema_of::<ErrorDetail>,
    &[EX_INTERNAL],
);
pub const R503: ResponseDoc = response(
    503,
    "DynamoDB or S3 throttled the request, failed or timed out; nothing was written half-way. \
     Retrying after `Retry-After` seconds (with backoff) is safe.",
    schema_of::<ErrorDetail>,
    &[EX_UNAVAILABLE],
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

pub const PROFILE_PATCH_RESPONSES: &[ResponseDoc] = &[
    response(
        200,
        "The updated profile (the same shape as GET).",
        schema_of::<ProfileResponse>,
        &[EX_PROFILE_ME],
    ),
    response(
        400,
        "A field is invalid, read-only or unknown (all problems at once); nothing was \
         written.",
        schema_of::<ValidationErrors>,
        &[
            example(
                "contract",
                "The contract's Endpoint 2 example",
                contract_fixture!("profile_update_400.json"),
            ),
            example(
                "read_only",
                "A key the user may not set",
                r#"{"errors": {"capabilities": ["This field cannot be updated."]}}"#,
            ),
            EX_VALIDATION_BODY,
        ],
    ),
    R401,
    R409,
    R415_JSON,
    R500,
    R503,
];
