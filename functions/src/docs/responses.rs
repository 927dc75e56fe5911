//! Responses and parameters many routes share.

use super::*;

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
    // Comma-separated, blanks ignored, as shared::http::includes reads it.
    value: ParamType::Pattern(r"^\s*(dateofreport)?\s*(,\s*(dateofreport)?\s*)*$"),
};

/// `?include=` on the profile image answers.
pub const INCLUDE_THUMBNAIL: ParamDoc = ParamDoc {
    name: "include",
    location: ParamIn::Query,
    description: "Additions to the contract's shape, comma-separated: `thumbnail_url` adds \
        the 256 px thumbnail's URL. Without it the answer is exactly the mobile \
        `ProfileImageResponseDto`. An unknown value is a 400 on `include`.",
    required: false,
    value: ParamType::Pattern(r"^\s*(thumbnail_url)?\s*(,\s*(thumbnail_url)?\s*)*$"),
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
