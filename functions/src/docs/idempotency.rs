//! The `Idempotency-Key` header and the answers it adds (see
//! crate::idempotency).

use super::*;

/// The `Idempotency-Key` header of the POSTs a mobile app retries.
pub const IDEMPOTENCY_KEY: ParamDoc = ParamDoc {
    name: "Idempotency-Key",
    location: ParamIn::Header,
    description: "A key the client makes for this request (a UUID) and sends again on \
        every retry of it. A retry with the same key and the same request gets the first \
        successful answer again, with `Idempotent-Replayed: true`, instead of doing the work \
        twice; answers are kept 24 hours. A failed request keeps nothing, so its retry runs \
        again. The key belongs to the caller (another user's same key is another request).",
    required: false,
    value: ParamType::Text {
        min_length: 1,
        max_length: crate::idempotency::MAX_KEY_LEN,
        pattern: "^[!-~]+$",
    },
};
pub const EX_IDEMPOTENCY_IN_PROGRESS: Example = example(
    "idempotency_in_progress",
    "A retry while the first request with its key is still running",
    r#"{"error": "A request with this Idempotency-Key is still being processed. Retry in a moment."}"#,
);
/// The 409 of a route that takes an `Idempotency-Key` (and writes nothing
/// else that can conflict).
pub const R409_IDEMPOTENCY: ResponseDoc = response(
    409,
    "A request with the same `Idempotency-Key` is still being processed; retry in a moment.",
    schema_of::<ErrorMessage>,
    &[EX_IDEMPOTENCY_IN_PROGRESS],
);
/// R409 and R409_IDEMPOTENCY in one (a status has one response).
pub const R409_WITH_IDEMPOTENCY: ResponseDoc = response(
    409,
    "The user's record was changed by other requests 30 times in a row while this one \
     tried to write (nothing was written; retrying is safe), or a request with the same \
     `Idempotency-Key` is still being processed (retry in a moment).",
    schema_of::<ErrorMessage>,
    &[EX_CONFLICT, EX_IDEMPOTENCY_IN_PROGRESS],
);
pub const R422_IDEMPOTENCY: ResponseDoc = response(
    422,
    "The `Idempotency-Key` was already used for a different request (another body or \
     path); nothing was done.",
    schema_of::<ErrorMessage>,
    &[example(
        "idempotency_key_reused",
        "The key of an earlier, different request",
        r#"{"error": "This Idempotency-Key was already used for a different request. Use a new key for a new request."}"#,
    )],
);
