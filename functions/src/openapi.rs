//! The OpenAPI 3.1 document of the API, built from the code: the schemas from
//! the contract types in `shared::contract` (`utoipa::ToSchema`), the
//! operations from the route table ([`ROUTES`]) plus the per-route
//! documentation in [`ROUTE_DOCS`], keyed by (method, path).
//!
//! `openapi.yaml` at the repository root is this document, committed;
//! `cargo run -p infra --bin openapi` regenerates it (`--check` only
//! compares). `tests/api/contract_drift.rs` fails when the committed file
//! differs from the code, and [`drift`] decides which version bump a
//! difference needs.
//!
//! Adding a route: add it to [`ROUTES`] and a [`RouteDoc`] here (a unit test
//! fails until every route is documented), then regenerate the document and
//! bump `shared::contract::CONTRACT_VERSION` (a new path is a minor change).

pub mod drift;

use crate::routes::{Route, ROUTES};
use serde_json::Value;
use shared::capabilities::Capability;
use shared::contract::{
    CompletionStatus, ErrorDetail, ErrorMessage, LoginRequest, LoginResponse,
    MarkOnboardingCompleteRequest, MarkOnboardingCompleteResponse, ProfileResponse,
    ProfileUpdateRequest, RefreshRequest, RefreshResponse, ValidationErrors, CONTRACT_VERSION,
};
use shared::journal::{
    JournalEntryCreateRequest, JournalEntryResponse, JournalEntryUpdateRequest,
    JournalMediaAttachRequest, JournalMediaForm, JournalMediaList, JournalMediaUploadUrlRequest,
    JournalPage, MediaAttachmentResponse,
};
use shared::uploads::{
    ConfirmUploadRequest, ProfileImageForm, ProfileImageResponse, UploadUrlRequest,
    UploadUrlResponse,
};
use std::collections::BTreeMap;
use utoipa::openapi::example::ExampleBuilder;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ComponentsBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::server::ServerBuilder;
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{
    ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathsBuilder, Ref, RefOr, Required,
};
use utoipa::ToSchema;

/// Where the committed document lives, relative to the workspace root.
pub const DOCUMENT_FILE: &str = "openapi.yaml";
/// The changelog every contract version needs an entry in.
pub const CHANGELOG_FILE: &str = "CONTRACT_CHANGELOG.md";
/// The command that regenerates the document.
pub const REGENERATE_COMMAND: &str = "cargo run -p infra --bin openapi";

/// The name of the HTTP bearer security scheme.
pub const BEARER_SCHEME: &str = "bearerAuth";
/// The operation extension naming the capability a route needs.
pub const CAPABILITY_EXTENSION: &str = "x-required-capability";

/// Named schemas collected while the document is built.
type Schemas = Vec<(String, RefOr<Schema>)>;
/// Adds a type's schema (and the schemas it refers to) and returns its name.
pub type SchemaFn = fn(&mut Schemas) -> String;

fn schema_of<T: ToSchema>(out: &mut Schemas) -> String {
    let name = T::name().to_string();
    out.push((name.clone(), T::schema()));
    T::schemas(out);
    name
}

/// The 400 of the upload routes: a field error (`{"errors": ...}`) or an
/// upload error (`{"error": ...}`, the contract's messages).
fn upload_bad_request(out: &mut Schemas) -> String {
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

const fn example(name: &'static str, summary: &'static str, json: &'static str) -> Example {
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

const fn response(
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

/// The documentation of one route of [`ROUTES`].
pub struct RouteDoc {
    pub method: &'static str,
    pub path: &'static str,
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
        include_str!(concat!("../../tests/fixtures/contract/", $file))
    };
}

const EX_PROFILE_ME: Example = example(
    "contract",
    "The contract's Endpoint 1 example",
    contract_fixture!("profile_me.json"),
);
const EX_VALIDATION_BODY: Example = example(
    "not_json",
    "The body is not a JSON object",
    r#"{"errors": {"body": ["Expected a JSON object."]}}"#,
);
const EX_NO_CREDENTIALS: Example = example(
    "no_credentials",
    "No Authorization header",
    r#"{"detail": "Authentication credentials were not provided."}"#,
);
const EX_TOKEN_INVALID: Example = example(
    "token_not_valid",
    "A bad or expired token, or a user who no longer exists or is inactive",
    r#"{"detail": "Given token not valid for any token type", "code": "token_not_valid"}"#,
);
const EX_ONBOARDING_DENIED: Example = example(
    "contract",
    "The contract's 403 example",
    contract_fixture!("completion_status_403.json"),
);
const EX_CONFLICT: Example = example(
    "conflict",
    "The record kept changing under this request",
    r#"{"error": "The record was changed by another request. Please retry."}"#,
);
const EX_UNAVAILABLE: Example = example(
    "unavailable",
    "DynamoDB throttled or timed out",
    r#"{"detail": "Service temporarily unavailable. Please retry."}"#,
);
const EX_INTERNAL: Example = example(
    "internal",
    "An unexpected failure (logged, never explained)",
    r#"{"detail": "Internal server error."}"#,
);

const EX_IMAGE_200: Example = example(
    "contract",
    "The contract's Endpoint 3 example (plus the thumbnail)",
    r#"{"image_url": "https://cdn.intelliwiz.com/media/profiles/123.jpg", "profile_completion_percentage": 100, "thumbnail_url": "https://cdn.intelliwiz.com/media/profiles/123-thumb.jpg"}"#,
);
const EX_IMAGE_NONE: Example = example(
    "no_file",
    "No image",
    r#"{"error": "No image file provided"}"#,
);
const EX_IMAGE_TOO_LARGE: Example = example(
    "too_large",
    "Over the size limit",
    r#"{"error": "Image file too large. Maximum size is 5MB"}"#,
);
const EX_IMAGE_TYPE: Example = example(
    "invalid_type",
    "Not an accepted image",
    r#"{"error": "Invalid file type. Allowed: image/jpeg, image/png, image/webp, image/gif"}"#,
);
const EX_IMAGE_SMALL: Example = example(
    "too_small",
    "Under 200x200",
    r#"{"error": "Image dimensions too small. Minimum: 200x200 pixels"}"#,
);
const EX_IMAGE_BIG: Example = example(
    "too_big",
    "Over 2048x2048",
    r#"{"error": "Image dimensions too large. Maximum: 2048x2048 pixels"}"#,
);

const EX_JOURNAL_CREATE_REQUEST: Example = example(
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
const EX_JOURNAL_ENTRY: Example = example(
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
const EX_JOURNAL_MEDIA_201: Example = example(
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
const EX_JOURNAL_NOT_FOUND: Example = example(
    "not_found",
    "Missing, another user's or another tenant's entry",
    r#"{"error": "Journal entry not found"}"#,
);
const EX_JOURNAL_AUDIO_DENIED: Example = example(
    "audio_denied",
    "AUDIO without `canUseVoiceFeatures` (the contract's message)",
    r#"{"error": "You do not have permission to upload audio files"}"#,
);
const EX_JOURNAL_NOT_OWNER: Example = example(
    "not_owner",
    "Another user's entry (the contract's message)",
    r#"{"error": "You can only add media to your own journal entries"}"#,
);
const EX_JOURNAL_FIELDS: Example = example(
    "invalid",
    "Invalid fields, all reported at once",
    r#"{"errors": {"entry_type": ["\"DIARY\" is not a valid choice. Allowed: DAILY, REFLECTION, GRATITUDE, INCIDENT, OTHER"], "wellbeing_metrics.mood_rating": ["Must be a whole number from 1 to 10."]}}"#,
);
const EX_AUDIO_TOO_LARGE: Example = example(
    "audio_too_large",
    "A voice note over the size limit",
    r#"{"error": "Audio file too large. Maximum size is 50MB"}"#,
);
const EX_AUDIO_TYPE: Example = example(
    "audio_type",
    "Not an accepted audio format",
    r#"{"error": "Invalid audio file type. Allowed: audio/mpeg, audio/wav, audio/m4a, audio/aac, audio/ogg"}"#,
);
const EX_AUDIO_TOO_LONG: Example = example(
    "audio_too_long",
    "A voice note over 300 seconds",
    r#"{"error": "Audio too long. Maximum duration is 300 seconds (this file is 312 seconds)"}"#,
);
const EX_MEDIA_FIELD: Example = example(
    "invalid_field",
    "A field error",
    r#"{"errors": {"media_type": ["\"FILE\" is not a valid choice. Allowed: PHOTO, VIDEO, AUDIO"]}}"#,
);

const R404_JOURNAL: ResponseDoc = response(
    404,
    "No such entry of the caller: a missing id, an id that is not a positive integer, \
     or another user's or another tenant's entry (they are indistinguishable).",
    schema_of::<ErrorMessage>,
    &[EX_JOURNAL_NOT_FOUND],
);
const R404_JOURNAL_MEDIA: ResponseDoc = response(
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
const R403_JOURNAL_MEDIA: ResponseDoc = response(
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

const R400_BODY: ResponseDoc = response(
    400,
    "The body is not a JSON object or a field is missing, of the wrong type, invalid or \
     unknown. Every problem is reported at once; nothing is written.",
    schema_of::<ValidationErrors>,
    &[EX_VALIDATION_BODY],
);
const R401: ResponseDoc = response(
    401,
    "No access token, or one that is not valid (bad signature, expired, wrong issuer or \
     audience), or its user no longer exists or is inactive. The response carries \
     `WWW-Authenticate: Bearer`.",
    schema_of::<ErrorDetail>,
    &[EX_NO_CREDENTIALS, EX_TOKEN_INVALID],
);
const R403_ONBOARDING: ResponseDoc = response(
    403,
    "The user lacks `canAccessOnboarding`, or the onboarding module is switched off \
     for everyone (`ONBOARDING_MODULE_ENABLED=false`).",
    schema_of::<ErrorDetail>,
    &[EX_ONBOARDING_DENIED],
);
const R409: ResponseDoc = response(
    409,
    "The user's record was changed by other requests 30 times in a row while this one \
     tried to write; nothing was written. Retrying is safe.",
    schema_of::<ErrorMessage>,
    &[EX_CONFLICT],
);
const R500: ResponseDoc = response(
    500,
    "An unexpected failure.",
    schema_of::<ErrorDetail>,
    &[EX_INTERNAL],
);
const R503: ResponseDoc = response(
    503,
    "DynamoDB throttled the request or timed out. Retrying (with backoff) is safe.",
    schema_of::<ErrorDetail>,
    &[EX_UNAVAILABLE],
);

const LOGIN_200: &str = r#"{
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

const PROFILE_PATCH_REQUEST: &str = r#"{
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

const PROFILE_PATCH_DOC: &str =
    "A partial update of exactly the keys sent (all optional): `email`, `mobno` (shown \
     as `phone`), `profile.{gender,dateofbirth,dateofjoin,dateofreport}` and \
     `organizational.{location,department,designation,bu,reportto}` (ids of the \
     caller's tenant; the answer shows names). `null` clears a field (not `email`). \
     Read-only keys (`capabilities`, `tenant_id`, the onboarding state, `peopleimg`, \
     the percentage, ...) and unknown keys are a 400. Everything is validated before \
     anything is written, and all problems are reported at once. The completion \
     percentage is recomputed; the answer is the updated profile, as GET returns it.";

const PROFILE_PATCH_RESPONSES: &[ResponseDoc] = &[
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
    R500,
    R503,
];

const PROFILE_PATCH_REQUEST_DOC: RequestDoc = RequestDoc {
    media_type: JSON,
    schema: schema_of::<ProfileUpdateRequest>,
    required: false,
    examples: &[example(
        "contract",
        "The contract's Endpoint 2 example",
        PROFILE_PATCH_REQUEST,
    )],
    also: &[],
};

/// One entry per route of [`ROUTES`], keyed by (method, path).
pub const ROUTE_DOCS: &[RouteDoc] = &[
    RouteDoc {
        method: "POST",
        path: "/api/v2/auth/login/",
        operation_id: "login",
        tag: "auth",
        summary: "Log in: tokens and the user's capabilities",
        description: "Username and password for an access token, a refresh token and the \
            user with all 13 capability flags (the apps route on them right after login). \
            Wrong credentials never say which part was wrong. After 5 failed logins for one \
            name within 15 minutes the name is locked for 15 minutes (429 with \
            `Retry-After`).",
        access: Access::Public,
        params: &[],
        request: Some(RequestDoc {
            media_type: JSON,
            schema: schema_of::<LoginRequest>,
            required: true,
            examples: &[example(
                "login",
                "A username and password",
                r#"{"username": "new.employee", "password": "newbie-pass-1"}"#,
            )],
            also: &[],
        }),
        responses: &[
            response(
                200,
                "Logged in.",
                schema_of::<LoginResponse>,
                &[example("login", "A new employee", LOGIN_200)],
            ),
            response(
                400,
                "`username` or `password` is missing or blank, or an unknown key was sent.",
                schema_of::<ValidationErrors>,
                &[example(
                    "missing",
                    "No password",
                    r#"{"errors": {"password": ["This field is required."]}}"#,
                )],
            ),
            response(
                401,
                "Wrong username or password, or an inactive user.",
                schema_of::<ErrorDetail>,
                &[example(
                    "no_active_account",
                    "Wrong credentials",
                    r#"{"detail": "No active account found with the given credentials", "code": "no_active_account"}"#,
                )],
            ),
            response(
                429,
                "Too many failed logins for this name: locked; `Retry-After` gives the seconds \
                 left.",
                schema_of::<ErrorDetail>,
                &[example(
                    "locked",
                    "Locked after 5 failures",
                    r#"{"detail": "Too many failed login attempts. Try again later."}"#,
                )],
            ),
            R500,
            R503,
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v2/auth/refresh/",
        operation_id: "refreshToken",
        tag: "auth",
        summary: "A new access token for a refresh token",
        description: "Each refresh token works once: the answer carries the next one. \
            Presenting a refresh token that was already used revokes every token of its \
            login (someone copied it), so a client must always keep the newest one.",
        access: Access::RefreshToken,
        params: &[],
        request: Some(RequestDoc {
            media_type: JSON,
            schema: schema_of::<RefreshRequest>,
            required: true,
            examples: &[example(
                "refresh",
                "The refresh token from the login",
                r#"{"refresh": "b2xkLXJlZnJlc2gtdG9rZW4tZXhhbXBsZS12YWx1ZQ"}"#,
            )],
            also: &[],
        }),
        responses: &[
            response(
                200,
                "New tokens.",
                schema_of::<RefreshResponse>,
                &[example(
                    "refreshed",
                    "New tokens",
                    r#"{"access": "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIzIn0.c2lnbmF0dXJl", "refresh": "bmV4dC1yZWZyZXNoLXRva2VuLWV4YW1wbGUtdmFsdWU"}"#,
                )],
            ),
            R400_BODY,
            response(
                401,
                "The refresh token is unknown, expired, already used or revoked, or its user \
                 is gone or inactive.",
                schema_of::<ErrorDetail>,
                &[example(
                    "token_not_valid",
                    "An unusable refresh token",
                    r#"{"detail": "Token is invalid or expired", "code": "token_not_valid"}"#,
                )],
            ),
            R500,
            R503,
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v2/profile/me/",
        operation_id: "getProfile",
        tag: "profile",
        summary: "The caller's profile (Endpoint 1)",
        description: "The user, their capabilities, profile, organizational placement and \
            onboarding state in one answer. `profile.profile_completion_percentage` is \
            computed from the stored fields on every read.",
        access: Access::Bearer,
        params: &[],
        request: None,
        responses: &[
            response(
                200,
                "The profile.",
                schema_of::<ProfileResponse>,
                &[EX_PROFILE_ME],
            ),
            R401,
            response(
                404,
                "The user's profile part was never created.",
                schema_of::<ErrorMessage>,
                &[example(
                    "contract",
                    "The contract's Endpoint 1 404 example",
                    contract_fixture!("profile_me_404.json"),
                )],
            ),
            R500,
            R503,
        ],
    },
    RouteDoc {
        method: "PATCH",
        path: "/api/v2/profile/me/",
        operation_id: "updateProfile",
        tag: "profile",
        summary: "Update the caller's profile (Endpoint 2)",
        description: PROFILE_PATCH_DOC,
        access: Access::Bearer,
        params: &[],
        request: Some(PROFILE_PATCH_REQUEST_DOC),
        responses: PROFILE_PATCH_RESPONSES,
    },
    RouteDoc {
        method: "PATCH",
        path: "/api/v2/profile/me/update/",
        operation_id: "updateProfileAlias",
        tag: "profile",
        summary: "Update the caller's profile (the contract's second path)",
        description: PROFILE_PATCH_DOC,
        access: Access::Bearer,
        params: &[],
        request: Some(PROFILE_PATCH_REQUEST_DOC),
        responses: PROFILE_PATCH_RESPONSES,
    },
    RouteDoc {
        method: "GET",
        path: "/api/v2/profile/completion-status/",
        operation_id: "getCompletionStatus",
        tag: "onboarding",
        summary: "Profile completion and onboarding state (Endpoint 4)",
        description: "The mobile `ProfileCompletionDto`. `completion_percentage` counts a \
            quarter for each of `peopleimg`, `dateofbirth`, `dateofjoin` and `gender`; \
            `missing_fields` lists the others in that order; `is_complete` is \
            `completion_percentage == 100`; `can_skip_onboarding` is \
            `completion_percentage >= 50`; `has_completed_onboarding` is true only once \
            onboarding was completed (a skip is not a completion).",
        access: Access::Capability(Capability::AccessOnboarding),
        params: &[],
        request: None,
        responses: &[
            response(
                200,
                "The completion status.",
                schema_of::<CompletionStatus>,
                &[
                    example(
                        "contract",
                        "The contract's Endpoint 4 example",
                        contract_fixture!("completion_status.json"),
                    ),
                    example(
                        "incomplete_profile",
                        "The contract's Example 1: incomplete profile",
                        contract_fixture!("completion_status_example_1.json"),
                    ),
                    example(
                        "onboarding_done",
                        "The contract's Example 2: complete profile, onboarding done",
                        r#"{
    "is_complete": true,
    "completion_percentage": 100,
    "missing_fields": [],
    "has_completed_onboarding": true,
    "onboarding_completed_at": "2025-11-10T14:30:00Z",
    "onboarding_skipped": false,
    "first_login_completed": true,
    "can_skip_onboarding": true,
    "required_documents": [],
    "onboarding_workflow_state": null
}"#,
                    ),
                ],
            ),
            R401,
            R403_ONBOARDING,
            R500,
            R503,
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v2/profile/mark-onboarding-complete/",
        operation_id: "markOnboardingComplete",
        tag: "onboarding",
        summary: "Complete or skip onboarding (Endpoint 5)",
        description: "Records that the user completed (`skipped: false`) or skipped \
            (`skipped: true`) onboarding; `first_login_completed` becomes true either way. \
            Completing sets `onboarding_completed_at` to now, unless onboarding was already \
            completed: then the first completion time is kept (repeating is safe). \
            Skipping after a completion changes nothing. Completing after a skip is \
            allowed. The steps are added to those recorded by earlier calls.",
        access: Access::Capability(Capability::AccessOnboarding),
        params: &[],
        request: Some(RequestDoc {
            media_type: JSON,
            schema: schema_of::<MarkOnboardingCompleteRequest>,
            required: true,
            examples: &[
                example(
                    "contract",
                    "The contract's Endpoint 5 example",
                    contract_fixture!("mark_complete_request.json"),
                ),
                example(
                    "skip",
                    "The contract's skip flow",
                    r#"{"skipped": true, "completed_steps": []}"#,
                ),
            ],
            also: &[],
        }),
        responses: &[
            response(
                200,
                "The onboarding state after the call.",
                schema_of::<MarkOnboardingCompleteResponse>,
                &[
                    example(
                        "contract",
                        "The contract's Endpoint 5 example",
                        contract_fixture!("mark_complete_response.json"),
                    ),
                    example(
                        "skipped",
                        "After a skip of a never-completed onboarding",
                        r#"{"success": true, "onboarding_completed_at": null, "onboarding_skipped": true, "first_login_completed": true}"#,
                    ),
                ],
            ),
            response(
                400,
                "`skipped` is missing or not a boolean, `completed_steps` is not a list of \
                 known steps, or an unknown key was sent; nothing was written.",
                schema_of::<ValidationErrors>,
                &[example(
                    "contract",
                    "The contract's Endpoint 5 400 example",
                    contract_fixture!("mark_complete_400.json"),
                )],
            ),
            R401,
            R403_ONBOARDING,
            R409,
            R500,
            R503,
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v2/profile/me/image/upload-url/",
        operation_id: "requestProfileImageUpload",
        tag: "profile",
        summary: "Presigned upload of a profile image, step 1: an upload URL",
        description: "Declare the image's content type and exact size; both are checked \
            against the limits (`MAX_PROFILE_IMAGE_SIZE_MB`, 5 by default) before a URL is \
            issued. PUT the bytes to `upload_url` with exactly `headers` before it expires, \
            then call `/api/v2/profile/me/image/confirm/` with `key`. This is how every client \
            should upload: the bytes go straight to S3, never through a Lambda request.",
        access: Access::Bearer,
        params: &[],
        request: Some(RequestDoc {
            media_type: JSON,
            schema: schema_of::<UploadUrlRequest>,
            required: true,
            examples: &[example(
                "jpeg",
                "A 470 KiB JPEG",
                r#"{"content_type": "image/jpeg", "size": 482113}"#,
            )],
            also: &[],
        }),
        responses: &[
            response(
                200,
                "Where and how to PUT the file.",
                schema_of::<UploadUrlResponse>,
                &[],
            ),
            response(
                400,
                "A declared type the contract does not accept, a size over the limit or zero \
                 (the contract's upload messages as `{\"error\": ...}`), or a missing field \
                 (`{\"errors\": ...}`).",
                upload_bad_request,
                &[EX_IMAGE_TOO_LARGE, EX_IMAGE_TYPE],
            ),
            R401,
            R500,
            R503,
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v2/profile/me/image/confirm/",
        operation_id: "confirmProfileImageUpload",
        tag: "profile",
        summary: "Presigned upload of a profile image, step 2: check and attach it",
        description: "The uploaded object is read back and judged by its bytes: the format \
            is sniffed, the dimensions (200x200 to 2048x2048) are read from the header before \
            anything is decoded, only the first frame of an animated GIF is kept, the EXIF \
            orientation is applied and the image is re-encoded without metadata, with a \
            thumbnail. The profile then points at it and its completion percentage is \
            recomputed. A key that is missing, or is another user's or tenant's upload, is a \
            404 and changes nothing.",
        access: Access::Bearer,
        params: &[],
        request: Some(RequestDoc {
            media_type: JSON,
            schema: schema_of::<ConfirmUploadRequest>,
            required: true,
            examples: &[example(
                "confirm",
                "The key of the upload-url answer",
                r#"{"key": "uploads/1/3/profile-image/jqbOtvObD4MH4idDPTtBsg"}"#,
            )],
            also: &[],
        }),
        responses: &[
            response(
                200,
                "The image is the profile's; `profile_completion_percentage` is the new one.",
                schema_of::<ProfileImageResponse>,
                &[EX_IMAGE_200],
            ),
            response(
                400,
                "The bytes are not an accepted image, too large, or of the wrong dimensions \
                 (the contract's messages, `{\"error\": ...}`); or `key` is missing \
                 (`{\"errors\": ...}`).",
                upload_bad_request,
                &[EX_IMAGE_TYPE, EX_IMAGE_SMALL, EX_IMAGE_BIG],
            ),
            R401,
            response(
                404,
                "No such upload of this user.",
                schema_of::<ErrorMessage>,
                &[example("not_found", "Missing or not the caller's", r#"{"error": "Upload not found"}"#)],
            ),
            R409,
            R500,
            R503,
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v2/profile/me/image/",
        operation_id: "uploadProfileImage",
        tag: "profile",
        summary: "Upload a profile image in one multipart request (the mobile app's way)",
        description: "Field `image`. The same checks, messages and answer as the presigned \
            flow, for files that fit in a Lambda request (about 4.4 MB of body); a larger body \
            is a 413 that points to the presigned flow.",
        access: Access::Bearer,
        params: &[],
        request: Some(RequestDoc {
            media_type: "multipart/form-data",
            schema: schema_of::<ProfileImageForm>,
            required: true,
            examples: &[],
            also: &[],
        }),
        responses: &[
            response(
                200,
                "The image is the profile's; `profile_completion_percentage` is the new one.",
                schema_of::<ProfileImageResponse>,
                &[EX_IMAGE_200],
            ),
            response(
                400,
                "No `image` field, or not an accepted image, too large, or of the wrong \
                 dimensions: the contract's five messages.",
                schema_of::<ErrorMessage>,
                &[EX_IMAGE_NONE, EX_IMAGE_TOO_LARGE, EX_IMAGE_TYPE, EX_IMAGE_SMALL, EX_IMAGE_BIG],
            ),
            R401,
            response(
                413,
                "Within the image limit but too large for a Lambda request: use the presigned flow.",
                schema_of::<ErrorMessage>,
                &[],
            ),
            R409,
            R500,
            R503,
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v2/journal/entries/",
        operation_id: "createJournalEntry",
        tag: "journal",
        summary: "Create a journal entry",
        description: "`entry_type` and `title` are required; `content`, `timestamp` (default: \
            now), `wellbeing_metrics`, `privacy_scope` (default `PRIVATE`) and \
            `consent_given` (default `false`) are optional. Every problem is reported at once \
            and nothing is written. The entry starts at `version` 1 with no attachments.",
        access: Access::Bearer,
        params: &[],
        request: Some(RequestDoc {
            media_type: JSON,
            schema: schema_of::<JournalEntryCreateRequest>,
            required: true,
            examples: &[EX_JOURNAL_CREATE_REQUEST],
            also: &[],
        }),
        responses: &[
            response(
                201,
                "Created.",
                schema_of::<JournalEntryResponse>,
                &[EX_JOURNAL_ENTRY],
            ),
            response(
                400,
                "The body is not a JSON object, or a field is missing, invalid or unknown \
                 (all at once); nothing was written.",
                schema_of::<ValidationErrors>,
                &[EX_JOURNAL_FIELDS, EX_VALIDATION_BODY],
            ),
            R401,
            R500,
            R503,
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v2/journal/entries/",
        operation_id: "listJournalEntries",
        tag: "journal",
        summary: "The caller's journal entries, newest first, a page at a time",
        description: "Only the caller's own entries, newest `timestamp` first. Pages: \
            `{\"results\": [...], \"next_cursor\": ...}`; pass `next_cursor` as `?cursor=` for \
            the next page; it is `null` on the last page.",
        access: Access::Bearer,
        params: &[
            ParamDoc {
                name: "page_size",
                location: ParamIn::Query,
                description: "Entries per page: a positive whole number, default 20; larger \
                    than 100 is taken as 100. Anything else is a 400.",
                required: false,
                value: ParamType::Integer,
            },
            ParamDoc {
                name: "cursor",
                location: ParamIn::Query,
                description: "The `next_cursor` of the previous page (opaque); absent or empty: \
                    the first page. A cursor that was not issued by this API is a 400.",
                required: false,
                value: ParamType::String,
            },
        ],
        request: None,
        responses: &[
            response(
                200,
                "One page.",
                schema_of::<JournalPage>,
                &[example(
                    "page",
                    "The last page",
                    r#"{"results": [], "next_cursor": null}"#,
                )],
            ),
            response(
                400,
                "`page_size` or `cursor` is invalid.",
                schema_of::<ValidationErrors>,
                &[example(
                    "cursor",
                    "A cursor that was not issued",
                    r#"{"errors": {"cursor": ["Invalid cursor."]}}"#,
                )],
            ),
            R401,
            R500,
            R503,
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v2/journal/entries/{id}/",
        operation_id: "getJournalEntry",
        tag: "journal",
        summary: "One of the caller's journal entries",
        description: "The entry with its attachments (with fresh `file_url`s).",
        access: Access::Bearer,
        params: &[],
        request: None,
        responses: &[
            response(
                200,
                "The entry.",
                schema_of::<JournalEntryResponse>,
                &[EX_JOURNAL_ENTRY],
            ),
            R401,
            R404_JOURNAL,
            R500,
            R503,
        ],
    },
    RouteDoc {
        method: "PATCH",
        path: "/api/v2/journal/entries/{id}/",
        operation_id: "updateJournalEntry",
        tag: "journal",
        summary: "Change a journal entry (optimistic concurrency)",
        description: "Send the `version` last read and the keys to change (the create \
            body's rules, all optional); only those keys change and `version` goes up by 1. \
            A `version` that is no longer the entry's is a 409 and nothing is written: \
            reload and try again.",
        access: Access::Bearer,
        params: &[],
        request: Some(RequestDoc {
            media_type: JSON,
            schema: schema_of::<JournalEntryUpdateRequest>,
            required: true,
            examples: &[example(
                "mood",
                "A new title and mood",
                r#"{"version": 1, "title": "A better day", "wellbeing_metrics": {"mood_rating": 9}}"#,
            )],
            also: &[],
        }),
        responses: &[
            response(
                200,
                "The updated entry.",
                schema_of::<JournalEntryResponse>,
                &[],
            ),
            response(
                400,
                "`version` is missing or not a positive whole number, or a field is invalid \
                 or unknown (all at once); nothing was written.",
                schema_of::<ValidationErrors>,
                &[
                    example(
                        "no_version",
                        "No version",
                        r#"{"errors": {"version": ["This field is required: send the version you read."]}}"#,
                    ),
                    EX_VALIDATION_BODY,
                ],
            ),
            R401,
            R404_JOURNAL,
            response(
                409,
                "The entry was changed since `version` was read; nothing was written.",
                schema_of::<ErrorMessage>,
                &[example(
                    "stale",
                    "A stale version",
                    r#"{"error": "This journal entry was changed since you read it. Reload it and try again."}"#,
                )],
            ),
            R500,
            R503,
        ],
    },
    RouteDoc {
        method: "DELETE",
        path: "/api/v2/journal/entries/{id}/",
        operation_id: "deleteJournalEntry",
        tag: "journal",
        summary: "Delete a journal entry and its attachments",
        description: "The entry goes, and so do its attachments' files.",
        access: Access::Bearer,
        params: &[],
        request: None,
        responses: &[
            no_content(204, "Deleted."),
            R401,
            R404_JOURNAL,
            R500,
            R503,
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v2/journal/entries/{id}/media/upload-url/",
        operation_id: "requestJournalMediaUpload",
        tag: "journal",
        summary: "Presigned upload of an attachment, step 1: an upload URL",
        description: concat!(
            "Declare the attachment's `media_type`, content type and exact size; \
            they are checked against the media type's limits (PHOTO: the profile image \
            rules, `MAX_PROFILE_IMAGE_SIZE_MB`; AUDIO: `MAX_VOICE_NOTE_SIZE_MB`, 50 by \
            default; VIDEO: `MAX_VIDEO_SIZE_MB`, 100 by default) before a URL is issued. PUT \
            the bytes to `upload_url` with exactly `headers` before it expires, then call \
            `POST /api/v2/journal/entries/{id}/media/` with `{\"key\", \"media_type\"}`. \
            This is the way for files too large for a Lambda request.\n\n",
            journal_media_access!()
        ),
        access: Access::Bearer,
        params: &[],
        request: Some(RequestDoc {
            media_type: JSON,
            schema: schema_of::<JournalMediaUploadUrlRequest>,
            required: true,
            examples: &[example(
                "voice_note",
                "A 500 KB voice note",
                r#"{"media_type": "AUDIO", "content_type": "audio/m4a", "size": 512000}"#,
            )],
            also: &[],
        }),
        responses: &[
            response(
                200,
                "Where and how to PUT the file.",
                schema_of::<UploadUrlResponse>,
                &[],
            ),
            response(
                400,
                "A field is missing, invalid or unknown (`{\"errors\": ...}`), or the declared \
                 type or size is refused (`{\"error\": ...}`).",
                upload_bad_request,
                &[EX_MEDIA_FIELD, EX_AUDIO_TOO_LARGE, EX_AUDIO_TYPE],
            ),
            R401,
            R403_JOURNAL_MEDIA,
            R404_JOURNAL,
            R500,
            R503,
        ],
    },
    RouteDoc {
        method: "POST",
        path: "/api/v2/journal/entries/{id}/media/",
        operation_id: "addJournalMedia",
        tag: "journal",
        summary: "Attach a photo, video or voice note to a journal entry",
        description: concat!(
            "Either the contract's multipart form (`file`, `media_type`, `caption`, \
            `duration`) for files that fit in a Lambda request (about 4.4 MB of body; a \
            larger one is a 413 that points to the presigned flow), or a JSON body naming an \
            object uploaded through the upload URL (`key`, `media_type`, `caption`, \
            `duration`). Either way the file is judged by its bytes: photos are checked and \
            re-encoded like profile images; voice notes must be MP3, WAV, M4A, AAC or Ogg, \
            must decode and may last at most 300 seconds (measured); videos must be MP4 or \
            QuickTime. The stored and returned `duration` of a voice note is the measured \
            one (a differing client value is corrected); a video's is the client's. An \
            entry holds at most 20 attachments.\n\n",
            journal_media_access!()
        ),
        access: Access::Bearer,
        params: &[],
        request: Some(RequestDoc {
            media_type: "multipart/form-data",
            schema: schema_of::<JournalMediaForm>,
            required: true,
            examples: &[],
            also: &[RequestContent {
            media_type: JSON,
            schema: schema_of::<JournalMediaAttachRequest>,
            examples: &[example(
                "presigned",
                "An object uploaded through the upload URL",
                r#"{"key": "uploads/1/123/journal/789/jqbOtvObD4MH4idDPTtBsg", "media_type": "AUDIO", "caption": "Voice note from the field", "duration": 45}"#,
            )],
        }],
        }),
        responses: &[
            response(
                201,
                "Attached.",
                schema_of::<MediaAttachmentResponse>,
                &[EX_JOURNAL_MEDIA_201],
            ),
            response(
                400,
                "A field is missing, invalid or unknown (`{\"errors\": ...}`), or the file is \
                 missing or refused, or the entry already has 20 attachments \
                 (`{\"error\": ...}`).",
                upload_bad_request,
                &[
                    EX_MEDIA_FIELD,
                    example("no_file", "No file", r#"{"error": "No file provided"}"#),
                    EX_AUDIO_TYPE,
                    EX_AUDIO_TOO_LONG,
                ],
            ),
            R401,
            R403_JOURNAL_MEDIA,
            R404_JOURNAL_MEDIA,
            response(
                413,
                "Multipart: within the media type's limit but too large for a Lambda request; \
                 use the presigned flow.",
                schema_of::<ErrorMessage>,
                &[],
            ),
            R500,
            R503,
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/api/v2/journal/entries/{id}/media/",
        operation_id: "listJournalMedia",
        tag: "journal",
        summary: "The attachments of one of the caller's journal entries",
        description: "A JSON array, oldest first, with fresh `file_url`s. Another user's \
            entry is a 404 here (like a missing one).",
        access: Access::Bearer,
        params: &[],
        request: None,
        responses: &[
            response(
                200,
                "The attachments.",
                schema_of::<JournalMediaList>,
                &[example(
                    "contract",
                    "The contract's example, plus `journal_entry_id`",
                    r#"[
    {
        "id": 456,
        "journal_entry_id": 789,
        "media_type": "AUDIO",
        "file_url": "https://cdn.intelliwiz.com/media/journal/456.m4a",
        "caption": "Voice note",
        "duration": 45,
        "file_size": 512000,
        "created_at": "2025-11-12T18:05:00Z"
    },
    {
        "id": 457,
        "journal_entry_id": 789,
        "media_type": "PHOTO",
        "file_url": "https://cdn.intelliwiz.com/media/journal/457.jpg",
        "caption": "Field photo",
        "created_at": "2025-11-12T18:10:00Z"
    }
]"#,
                )],
            ),
            R401,
            R404_JOURNAL,
            R500,
            R503,
        ],
    },
];

/// The documentation of a route, if there is one.
pub fn doc_for(route: &Route) -> Option<&'static RouteDoc> {
    ROUTE_DOCS
        .iter()
        .find(|d| d.method == route.method && d.path == route.path)
}

fn http_method(method: &str) -> HttpMethod {
    match method {
        "GET" => HttpMethod::Get,
        "POST" => HttpMethod::Post,
        "PUT" => HttpMethod::Put,
        "PATCH" => HttpMethod::Patch,
        "DELETE" => HttpMethod::Delete,
        "HEAD" => HttpMethod::Head,
        "OPTIONS" => HttpMethod::Options,
        other => panic!("route table method {other} has no OpenAPI counterpart"),
    }
}

fn parse_example(json: &str, what: &str) -> Value {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("example {what} is not JSON: {e}"))
}

fn json_content(schema_name: &str, examples: &[Example], what: &str) -> utoipa::openapi::Content {
    ContentBuilder::new()
        .schema(Some(Ref::from_schema_name(schema_name)))
        .examples_from_iter(examples.iter().map(|e| {
            (
                e.name,
                ExampleBuilder::new()
                    .summary(e.summary)
                    .value(Some(parse_example(e.json, &format!("{what} {}", e.name)))),
            )
        }))
        .build()
}

/// The parameters of an operation: those documented, plus every `{name}` of
/// the path without a doc as a required integer id.
fn parameters(
    path: &str,
    docs: &[ParamDoc],
    schemas: &mut Schemas,
) -> Vec<utoipa::openapi::path::Parameter> {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    let id = || -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Int64,
            )))
            .minimum(Some(1))
            .into()
    };
    let mut out = Vec::new();
    for segment in path.split('/') {
        let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
            continue;
        };
        if docs
            .iter()
            .any(|d| d.location == ParamIn::Path && d.name == name)
        {
            continue;
        }
        out.push(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some(format!("The `{name}` path segment: an integer id.")))
                .schema(Some(id()))
                .build(),
        );
    }
    for d in docs {
        let schema: RefOr<Schema> = match d.value {
            ParamType::Id => id(),
            ParamType::Integer => ObjectBuilder::new().schema_type(Type::Integer).into(),
            ParamType::String => ObjectBuilder::new().schema_type(Type::String).into(),
            ParamType::Schema(f) => Ref::from_schema_name(f(schemas)).into(),
        };
        out.push(
            ParameterBuilder::new()
                .name(d.name)
                .parameter_in(match d.location {
                    ParamIn::Path => ParameterIn::Path,
                    ParamIn::Query => ParameterIn::Query,
                })
                .required(if d.required || d.location == ParamIn::Path {
                    Required::True
                } else {
                    Required::False
                })
                .description(Some(d.description))
                .schema(Some(schema))
                .build(),
        );
    }
    out
}

/// The sentence on access every operation description ends with.
pub fn access_sentence(access: Access) -> String {
    match access {
        Access::Public => "No authentication.".to_string(),
        Access::RefreshToken => {
            "No bearer token: the refresh token in the body is the credential.".to_string()
        }
        Access::Bearer => {
            "Needs an access token (`Authorization: Bearer <access>`); no capability.".to_string()
        }
        Access::Capability(c) => format!(
            "Needs an access token (`Authorization: Bearer <access>`) and the `{}` \
             capability (403 otherwise); it is read from the stored user on every request.",
            c.key()
        ),
    }
}

/// Routes of [`ROUTES`] without an entry in [`ROUTE_DOCS`]: they are left
/// out of the document, and a unit test and the generator complain.
pub fn undocumented_routes() -> Vec<&'static Route> {
    ROUTES.iter().filter(|r| doc_for(r).is_none()).collect()
}

/// The document, built from [`ROUTES`] and [`ROUTE_DOCS`] (routes without
/// documentation are left out: see [`undocumented_routes`]).
pub fn document() -> OpenApi {
    let mut schemas: Schemas = Vec::new();
    let mut paths = PathsBuilder::new();
    for route in ROUTES {
        let Some(doc) = doc_for(route) else {
            continue;
        };
        let what = format!("{} {}", route.method, route.path);
        let mut op = OperationBuilder::new()
            .tag(doc.tag)
            .summary(Some(doc.summary))
            .description(Some(format!(
                "{}\n\n{}",
                doc.description,
                access_sentence(doc.access)
            )))
            .operation_id(Some(doc.operation_id));
        op = match doc.access {
            Access::Public | Access::RefreshToken => op.securities(Some(Vec::new())),
            Access::Bearer | Access::Capability(_) => op.security(SecurityRequirement::new(
                BEARER_SCHEME,
                Vec::<String>::new(),
            )),
        };
        if let Access::Capability(c) = doc.access {
            op = op.extensions(Some(
                ExtensionsBuilder::new()
                    .add(CAPABILITY_EXTENSION, c.key())
                    .build(),
            ));
        }
        for param in parameters(route.path, doc.params, &mut schemas) {
            op = op.parameter(param);
        }
        if let Some(request) = &doc.request {
            let name = (request.schema)(&mut schemas);
            let mut body = RequestBodyBuilder::new()
                .required(Some(if request.required {
                    Required::True
                } else {
                    Required::False
                }))
                .content(
                    request.media_type,
                    json_content(&name, request.examples, &what),
                );
            for more in request.also {
                let name = (more.schema)(&mut schemas);
                body = body.content(more.media_type, json_content(&name, more.examples, &what));
            }
            op = op.request_body(Some(body.build()));
        }
        for r in doc.responses {
            let mut response = ResponseBuilder::new().description(r.description);
            if let Some(schema) = r.schema {
                let name = schema(&mut schemas);
                response = response.content(JSON, json_content(&name, r.examples, &what));
            }
            if r.status == 401 {
                response = response.header(
                    "WWW-Authenticate",
                    HeaderBuilder::new()
                        .schema(ObjectBuilder::new().schema_type(Type::String))
                        .description(Some("`Bearer`"))
                        .build(),
                );
            }
            if r.status == 429 {
                response = response.header(
                    "Retry-After",
                    HeaderBuilder::new()
                        .schema(
                            ObjectBuilder::new()
                                .schema_type(Type::Integer)
                                .minimum(Some(0)),
                        )
                        .description(Some("Seconds to wait before trying again."))
                        .build(),
                );
            }
            op = op.response(r.status.to_string(), response.build());
        }
        paths = paths.path(
            route.path,
            PathItem::new(http_method(route.method), op.build()),
        );
    }

    // Sorted by name, so the document does not depend on the route order.
    let schemas: BTreeMap<String, RefOr<Schema>> = schemas.into_iter().collect();
    let components = ComponentsBuilder::new()
        .schemas_from_iter(schemas)
        .security_scheme(
            BEARER_SCHEME,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "The `access` token from login or refresh: an EdDSA (Ed25519) JWT, \
                         valid for 15 minutes by default.",
                    ))
                    .build(),
            ),
        )
        .build();

    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Onboarding & profile API")
                .version(CONTRACT_VERSION)
                .description(Some(
                    "The wire contract the Android, iOS and web apps use for login, the \
                     user's profile, profile completion and onboarding. `info.version` is \
                     the contract version (semver; `CONTRACT_CHANGELOG.md`). Field semantics, \
                     the onboarding lifecycle, the capability table and the versioning \
                     policy are in `docs/CONTRACT.md`.\n\n\
                     Error bodies: 401, capability 403, 429, 500 and 503 are \
                     `{\"detail\": ...}`; 404 and 409 are `{\"error\": ...}`; 400 is \
                     `{\"errors\": {field: [messages]}}`. Timestamps are ISO 8601 UTC with \
                     `Z`; dates are `YYYY-MM-DD`; ids are integers. Responses may gain \
                     keys in a minor version: clients must ignore keys they do not know.\n\n\
                     Generated from the code (`shared::contract`, `functions::openapi`) by \
                     `cargo run -p infra --bin openapi`; do not edit `openapi.yaml` by hand.",
                ))
                .build(),
        )
        .servers(Some(vec![ServerBuilder::new()
            .url("http://127.0.0.1:3000")
            .description(Some(
                "The local stack (`cargo run -p infra --bin local-stack`); deployed stacks \
                 serve the same paths behind their API Gateway URL.",
            ))
            .build()]))
        .tags(Some(vec![
            TagBuilder::new()
                .name("auth")
                .description(Some("Login and token refresh."))
                .build(),
            TagBuilder::new()
                .name("profile")
                .description(Some("The caller's own profile."))
                .build(),
            TagBuilder::new()
                .name("onboarding")
                .description(Some("Capability-gated: `canAccessOnboarding`."))
                .build(),
            TagBuilder::new()
                .name("journal")
                .description(Some(
                    "The caller's own journal entries and their attachments (photos, \
                     videos, voice notes).",
                ))
                .build(),
        ]))
        .paths(paths.build())
        .components(Some(components))
        .build()
}

/// The document as JSON.
pub fn document_json() -> Value {
    serde_json::to_value(document()).expect("the OpenAPI document serialises")
}

/// The document as the YAML committed at `openapi.yaml`.
pub fn document_yaml() -> String {
    let body = yaml::to_string(&document_json());
    format!(
        "# The API's OpenAPI document, generated from the code: do not edit by hand.\n\
         # Regenerate: {REGENERATE_COMMAND}   (check only: {REGENERATE_COMMAND} -- --check)\n\
         {body}"
    )
}

/// A YAML writer that quotes every string a YAML 1.1 reader could take for
/// something else. `serde_yaml` leaves `1990-01-15` and
/// `2025-11-10T14:30:00Z` plain, which PyYAML and js-yaml read as dates, so
/// the contract's examples would stop being strings in client tooling.
mod yaml {
    use serde_json::Value;

    pub fn to_string(v: &Value) -> String {
        let mut out = String::new();
        match v {
            Value::Object(m) if !m.is_empty() => mapping(m, 0, &mut out),
            Value::Array(a) if !a.is_empty() => sequence(a, 0, &mut out),
            other => {
                out.push_str(&scalar(other, 0));
                out.push('\n');
            }
        }
        out
    }

    fn pad(indent: usize, out: &mut String) {
        out.extend(std::iter::repeat_n(' ', indent));
    }

    fn is_collection(v: &Value) -> bool {
        matches!(v, Value::Object(m) if !m.is_empty())
            || matches!(v, Value::Array(a) if !a.is_empty())
    }

    /// Writes `key: value` lines of `m` at `indent`; the first line's
    /// indentation is assumed written already when `first_inline`.
    fn mapping_from(
        m: &serde_json::Map<String, Value>,
        indent: usize,
        first_inline: bool,
        out: &mut String,
    ) {
        for (i, (k, v)) in m.iter().enumerate() {
            if i > 0 || !first_inline {
                pad(indent, out);
            }
            out.push_str(&string(k, indent));
            out.push(':');
            match v {
                Value::Object(child) if !child.is_empty() => {
                    out.push('\n');
                    mapping(child, indent + 2, out);
                }
                Value::Array(items) if !items.is_empty() => {
                    out.push('\n');
                    sequence(items, indent, out);
                }
                other => {
                    out.push(' ');
                    out.push_str(&scalar(other, indent + 2));
                    out.push('\n');
                }
            }
        }
    }

    fn mapping(m: &serde_json::Map<String, Value>, indent: usize, out: &mut String) {
        mapping_from(m, indent, false, out);
    }

    fn sequence(items: &[Value], indent: usize, out: &mut String) {
        for item in items {
            pad(indent, out);
            out.push_str("- ");
            match item {
                Value::Object(m) if !m.is_empty() => mapping_from(m, indent + 2, true, out),
                Value::Array(a) if !a.is_empty() => {
                    out.push('\n');
                    sequence(a, indent + 2, out);
                }
                other => {
                    out.push_str(&scalar(other, indent + 2));
                    out.push('\n');
                }
            }
        }
    }

    fn scalar(v: &Value, indent: usize) -> String {
        debug_assert!(!is_collection(v));
        match v {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            Value::String(s) => string(s, indent),
            Value::Object(_) => "{}".into(),
            Value::Array(_) => "[]".into(),
        }
    }

    /// Plain when unambiguous in YAML 1.1 and 1.2; a literal block for
    /// multi-line text; otherwise double-quoted (JSON escapes are YAML's).
    fn string(s: &str, indent: usize) -> String {
        const WORDS: [&str; 11] = [
            "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "=",
        ];
        let plain = s.starts_with(|c: char| c.is_ascii_alphabetic())
            && !s.ends_with(' ')
            && !s.contains("  ")
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || " _.,()/'`-".contains(c))
            && !WORDS.contains(&s.to_ascii_lowercase().as_str());
        if plain {
            return s.to_string();
        }
        let block = s.contains('\n')
            && !s.ends_with('\n')
            && !s.starts_with([' ', '\n'])
            && !s.contains(['\r', '\t'])
            && s.chars().all(|c| !c.is_control() || c == '\n')
            && s.lines().all(|l| !l.ends_with(' '));
        if block {
            let mut out = String::from("|-");
            for line in s.split('\n') {
                out.push('\n');
                if !line.is_empty() {
                    out.extend(std::iter::repeat_n(' ', indent));
                    out.push_str(line);
                }
            }
            return out;
        }
        serde_json::to_string(s).expect("a string serialises")
    }
}

/// The workspace root (where `openapi.yaml` lives).
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("functions/ is inside the workspace")
        .to_path_buf()
}

/// How the committed document differs from the generated one.
pub struct Drift {
    /// Line diff, committed (`-`) to generated (`+`).
    pub diff: String,
    /// The classification, or why the committed text could not be read.
    pub verdict: Result<drift::Verdict, String>,
}

impl Drift {
    /// Whether regenerating (writing the generated document) is allowed:
    /// the version went up enough for the changes.
    pub fn may_regenerate(&self) -> bool {
        self.verdict.as_ref().is_ok_and(drift::Verdict::ok)
    }
}

/// `None` when `committed` is exactly the generated document.
pub fn drift(committed: &str) -> Option<Drift> {
    let generated = document_yaml();
    if committed == generated {
        return None;
    }
    let verdict = serde_yaml::from_str::<Value>(committed)
        .map_err(|e| format!("the committed {DOCUMENT_FILE} is not YAML: {e}"))
        .map(|old| drift::judge(&old, &document_json()));
    Some(Drift {
        diff: drift::line_diff(committed, &generated),
        verdict,
    })
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{DOCUMENT_FILE} differs from the document the code generates \
             (- committed, + generated):\n"
        )?;
        writeln!(f, "{}", self.diff)?;
        match &self.verdict {
            Err(e) => writeln!(f, "{e}\nDelete it and run `{REGENERATE_COMMAND}`.")?,
            Ok(v) => {
                write!(f, "{v}")?;
                let target = drift::Version::parse(&v.old_version)
                    .zip(v.required)
                    .map(|(old, bump)| old.bumped(bump).to_string())
                    .unwrap_or_else(|| CONTRACT_VERSION.to_string());
                if v.ok() {
                    writeln!(
                        f,
                        "next: make sure {CHANGELOG_FILE} has a `## {CONTRACT_VERSION}` entry \
                         describing the change, then run `{REGENERATE_COMMAND}` and commit \
                         {DOCUMENT_FILE}."
                    )?;
                } else {
                    writeln!(
                        f,
                        "next: if the wire change is intended, set CONTRACT_VERSION in \
                         shared/src/contract.rs to {target} (or later), add a `## {target}` \
                         entry to {CHANGELOG_FILE}, then run `{REGENERATE_COMMAND}`. If it is \
                         not intended, undo it."
                    )?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_route_is_documented_and_every_doc_is_a_route() {
        let undocumented: Vec<String> = undocumented_routes()
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect();
        assert!(
            undocumented.is_empty(),
            "routes without documentation in functions/src/openapi.rs ROUTE_DOCS: {undocumented:?}"
        );
        let stale: Vec<String> = ROUTE_DOCS
            .iter()
            .filter(|d| {
                !ROUTES
                    .iter()
                    .any(|r| r.method == d.method && r.path == d.path)
            })
            .map(|d| format!("{} {}", d.method, d.path))
            .collect();
        assert!(
            stale.is_empty(),
            "documented routes that are not served: {stale:?}"
        );
    }

    #[test]
    fn the_document_has_every_route_and_nothing_else() {
        let doc = document_json();
        let mut served = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                served.insert((method.to_uppercase(), path.clone()));
            }
        }
        // (Undocumented routes fail the test above.)
        let routes: BTreeSet<(String, String)> = ROUTES
            .iter()
            .filter(|r| doc_for(r).is_some())
            .map(|r| (r.method.to_string(), r.path.to_string()))
            .collect();
        assert_eq!(served, routes);
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["info"]["version"], CONTRACT_VERSION);
    }

    #[test]
    fn path_segments_in_braces_become_required_parameters() {
        let mut schemas = Vec::new();
        let params = parameters("/a/{id}/b/{other}/", &[], &mut schemas);
        let json = serde_json::to_value(&params).unwrap();
        assert_eq!(json[0]["name"], "id");
        assert_eq!(json[0]["in"], "path");
        assert_eq!(json[0]["required"], true);
        assert_eq!(json[0]["schema"]["type"], "integer");
        assert_eq!(json[1]["name"], "other");
        let documented = [ParamDoc {
            name: "other",
            location: ParamIn::Path,
            description: "A slug.",
            required: true,
            value: ParamType::String,
        }];
        let json =
            serde_json::to_value(parameters("/a/{other}/", &documented, &mut schemas)).unwrap();
        assert_eq!(json.as_array().unwrap().len(), 1);
        assert_eq!(json[0]["schema"]["type"], "string");
    }

    #[test]
    fn operation_ids_are_unique() {
        let mut seen = BTreeSet::new();
        for d in ROUTE_DOCS {
            assert!(seen.insert(d.operation_id), "{}", d.operation_id);
        }
    }

    #[test]
    fn every_reference_resolves() {
        fn walk(v: &Value, schemas: &serde_json::Map<String, Value>, out: &mut Vec<String>) {
            match v {
                Value::Object(m) => {
                    if let Some(Value::String(r)) = m.get("$ref") {
                        let name = r.trim_start_matches("#/components/schemas/");
                        if !r.starts_with("#/components/schemas/") || !schemas.contains_key(name) {
                            out.push(r.clone());
                        }
                    }
                    m.values().for_each(|v| walk(v, schemas, out));
                }
                Value::Array(a) => a.iter().for_each(|v| walk(v, schemas, out)),
                _ => {}
            }
        }
        let doc = document_json();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        let mut dangling = Vec::new();
        walk(&doc, schemas, &mut dangling);
        assert!(dangling.is_empty(), "{dangling:?}");
    }

    #[test]
    fn gated_routes_name_their_capability() {
        let doc = document_json();
        for d in ROUTE_DOCS {
            let op = &doc["paths"][d.path][d.method.to_lowercase()];
            match d.access {
                Access::Capability(c) => {
                    assert_eq!(op[CAPABILITY_EXTENSION], c.key(), "{}", d.path);
                    assert!(op["description"].as_str().unwrap().contains(c.key()));
                    assert!(op["responses"]["403"].is_object(), "{}", d.path);
                }
                _ => assert!(op.get(CAPABILITY_EXTENSION).is_none(), "{}", d.path),
            }
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            let needs_token = matches!(d.access, Access::Bearer | Access::Capability(_));
            assert_eq!(secured, needs_token, "{}", d.path);
            if needs_token {
                assert!(op["responses"]["401"].is_object(), "{}", d.path);
            }
        }
    }

    #[test]
    fn capabilities_schema_is_the_capability_table() {
        let doc = document_json();
        let caps = &doc["components"]["schemas"]["Capabilities"];
        let keys: Vec<&str> = caps["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let table: Vec<&str> = shared::capabilities::TABLE.iter().map(|d| d.key).collect();
        assert_eq!(keys, table);
        assert_eq!(caps["required"].as_array().unwrap().len(), 13);
        for d in &shared::capabilities::TABLE {
            assert_eq!(caps["properties"][d.key]["default"], d.default, "{}", d.key);
            assert_eq!(caps["properties"][d.key]["type"], "boolean", "{}", d.key);
        }
    }

    #[test]
    fn enums_are_the_code_tables() {
        let doc = document_json();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Gender"]["enum"],
            serde_json::json!(["MALE", "FEMALE", "OTHER"])
        );
        assert_eq!(
            schemas["OnboardingStep"]["enum"],
            serde_json::json!(shared::profile::ONBOARDING_STEPS)
        );
        let required: Vec<&str> = shared::profile::REQUIRED_FIELDS
            .iter()
            .map(|(f, _)| *f)
            .collect();
        assert_eq!(
            schemas["RequiredField"]["enum"],
            serde_json::json!(required)
        );
    }

    #[test]
    fn the_yaml_reads_back_as_the_document() {
        let yaml: Value = serde_yaml::from_str(&document_yaml()).unwrap();
        assert_eq!(yaml, document_json());
    }

    #[test]
    fn the_yaml_writer_quotes_what_yaml_readers_could_misread() {
        let tricky = serde_json::json!({
            "dates": ["1990-01-15", "2025-11-10T14:30:00Z", "12:30"],
            "words": ["yes", "No", "on", "null", "~", "true"],
            "numbers": ["1", "1.0", "+9876543210", "0x1F", ".inf", "1e3"],
            "marks": ["a: b", "a #b", "#x", "- x", "? x", "*x", "&x", "!x", "%x", "@x", "'x", "\"x", "|x", ">x", "{x}", "[x]", " x", "x ", ""],
            "text": "first line\nsecond: line\n\n  indented",
            "ending": "line\n",
            "plain": ["MALE", "feature_tour", "Profile Image", "new.employee"],
            "nested": [[1, 2], [], {}, [{"a": [true, null]}]],
            "/path/{id}/": {"'200'": {"$ref": "#/components/schemas/X"}}
        });
        let text = yaml::to_string(&tricky);
        let back: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(back, tricky, "{text}");
        for date in ["1990-01-15", "2025-11-10T14:30:00Z"] {
            assert!(text.contains(&format!("\"{date}\"")), "{text}");
        }
        assert!(text.contains("- MALE\n"), "{text}");
    }
}
