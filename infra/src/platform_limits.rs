//! The request-size limits API Gateway and Lambda put in front of every
//! function, and what a client gets back when it crosses one. The local
//! gateway enforces them so that the local stack answers a too-large upload
//! exactly as AWS does, instead of letting the function see it.
//!
//! Sources:
//! - HTTP API quotas, "Payload size: 10 MB, cannot be increased":
//!   docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
//! - Lambda quotas, "Invocation payload (request and response): 6 MB each for
//!   synchronous"; Lambda refuses a larger request with
//!   `RequestEntityTooLargeException` ("Request must be smaller than 6291456
//!   bytes for the InvokeFunction operation"):
//!   docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html and
//!   zaccharles.medium.com/deep-dive-lambdas-request-payload-size-limit-2-2-6350c1ae5577
//! - What the client of an HTTP API (payload 2.0) gets when Lambda refuses the
//!   event: `413 {"message":"Request Entity Too Large"}`, as AWS's own Lambda
//!   Test Tool answers in its HTTP API v2 mode, written "to mimic Lambda's 6MB
//!   limit" (github.com/aws/aws-lambda-dotnet pull 1990:
//!   Tools/LambdaTestTool-v2/.../InvokeResponseExtensions.cs
//!   `ToHttpApiV2RequestTooLargeResponse`, asserted by
//!   tests/.../LargePayloadTests.cs `TestLambdaWithLargeRequestPayload_HttpV2`).
//!   A REST API answers the same case `413 {"message": "Request Too Long"}`
//!   (same file; github.com/koki-develop/lgtm-generator issue 10). The Lambda
//!   guide's generic "API Gateway returns a 500" for a refused invocation
//!   (services-apigateway-errors.html) is not what the test tool shows for
//!   this refusal.
//! - A body over 10 MB: every report is a 413 (repost.aws "error 413 request
//!   entity too large sending file as param to apigateway"; "aws api gw with
//!   post request payload more than 10mb"). The REST API's body is the text
//!   `HTTP content length exceeded 10485760 bytes.` (koki-develop issue 10);
//!   no source quotes the HTTP API's, so it is the HTTP API's own 413 body
//!   above. Either way a client must go by the 413 status, not the text.
//!
//! API Gateway base64-encodes binary bodies (multipart included) in the
//! event, so a multipart body stops reaching the function at about 4.7 MB.

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Response, StatusCode};
use serde_json::Value;

/// An HTTP API refuses request bodies over 10 MB (10 MiB: the REST API's
/// message counts 10485760 bytes).
pub const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// Lambda refuses a synchronous invocation whose event (the JSON document,
/// base64 body included) is over 6 MB (6 MiB, 6291456 bytes).
pub const MAX_EVENT_BYTES: usize = 6 * 1024 * 1024;

/// The HTTP API's answer to both: the function never runs.
pub const TOO_LARGE_BODY: &str = r#"{"message":"Request Entity Too Large"}"#;

/// The size Lambda measures: the event as the JSON document it receives.
pub fn event_bytes(event: &Value) -> usize {
    serde_json::to_vec(event)
        .map(|v| v.len())
        .unwrap_or(usize::MAX)
}

/// `413 {"message":"Request Entity Too Large"}`.
pub fn too_large() -> Response<Full<Bytes>> {
    Response::builder()
        .status(StatusCode::PAYLOAD_TOO_LARGE)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from_static(TOO_LARGE_BODY.as_bytes())))
        .expect("static response parts are valid")
}
