//! Business and health metrics as CloudWatch embedded metric format (EMF):
//! counters recorded through the `metrics` facade, written by
//! `metrics_cloudwatch_embedded` as one JSON log line per invocation
//! (CloudWatch extracts the metrics from the log; no API call, no extra
//! latency). Where no recorder is installed (tests, the local stack) the
//! calls below do nothing.
//!
//! Every metric has the same single dimension set, `[Service, Function]`:
//! `Service` is the stack (`SERVICE_NAME`), `Function` the binary
//! (`login`, `voice-verify`, ...). The namespace is `METRICS_NAMESPACE`.
//! template.yaml's alarms and dashboard use these names.

use crate::capabilities::Capability;
use metrics::{counter, describe_counter, Unit};

pub use metrics_cloudwatch_embedded::Collector;

pub const DEFAULT_NAMESPACE: &str = "OnboardingApi";
pub const DEFAULT_SERVICE: &str = "onboarding-local";

/// The first invocation of a sandbox (written by the collector itself).
pub const COLD_START: &str = "ColdStart";
/// A login that issued tokens.
pub const LOGIN_SUCCEEDED: &str = "LoginSucceeded";
/// A login refused for wrong credentials or an inactive user.
pub const LOGIN_FAILED: &str = "LoginFailed";
/// A login name or client address locked after too many failures.
pub const LOGIN_LOCKED: &str = "LoginLocked";
/// A login refused because its name or client was locked (429).
pub const LOGIN_REFUSED_LOCKED: &str = "LoginRefusedLocked";
/// A media upload (profile image, journal media) stored.
pub const UPLOAD_ACCEPTED: &str = "UploadAccepted";
/// A media upload refused for what was sent (type, size, content).
pub const UPLOAD_REFUSED: &str = "UploadRefused";
/// A conditional write that lost a race and was re-applied.
pub const CONFLICT_RETRIED: &str = "ConflictRetried";
/// `PermissionDenied.<capability key>`: one metric per capability.
pub const PERMISSION_DENIED_PREFIX: &str = "PermissionDenied.";

/// The metric of a denial of `capability`, e.g. `PermissionDenied.canUseVoiceFeatures`.
pub fn permission_denied_metric(capability: Capability) -> String {
    format!("{PERMISSION_DENIED_PREFIX}{}", capability.key())
}

pub fn login_succeeded() {
    counter!(LOGIN_SUCCEEDED).increment(1);
}

pub fn login_failed() {
    counter!(LOGIN_FAILED).increment(1);
}

pub fn login_locked() {
    counter!(LOGIN_LOCKED).increment(1);
}

pub fn login_refused_locked() {
    counter!(LOGIN_REFUSED_LOCKED).increment(1);
}

pub fn permission_denied(capability: Capability) {
    counter!(permission_denied_metric(capability)).increment(1);
}

/// An upload's verdict: stored, or refused for what was sent.
pub fn upload(accepted: bool) {
    let name = if accepted {
        UPLOAD_ACCEPTED
    } else {
        UPLOAD_REFUSED
    };
    counter!(name).increment(1);
}

pub fn conflict_retried() {
    counter!(CONFLICT_RETRIED).increment(1);
}

/// Installs the EMF recorder for `function` (the binary's name): the
/// namespace and `Service` from `METRICS_NAMESPACE` and `SERVICE_NAME`, the
/// cold start metric, and Lambda's request id and X-Ray trace id on every
/// document (to find the invocation's log lines). Cheap: no I/O.
pub fn init(function: &'static str) -> Result<&'static Collector, String> {
    let var = |name, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
    let collector = metrics_cloudwatch_embedded::Builder::new()
        .cloudwatch_namespace(var("METRICS_NAMESPACE", DEFAULT_NAMESPACE))
        .with_dimension("Service", var("SERVICE_NAME", DEFAULT_SERVICE))
        .with_dimension("Function", function)
        .lambda_cold_start_metric(COLD_START)
        .with_lambda_request_id("requestId")
        .with_lambda_xray_trace_id("xray_trace_id")
        .init()
        .map_err(|e| e.to_string())?;
    for name in [
        COLD_START,
        LOGIN_SUCCEEDED,
        LOGIN_FAILED,
        LOGIN_LOCKED,
        LOGIN_REFUSED_LOCKED,
        UPLOAD_ACCEPTED,
        UPLOAD_REFUSED,
        CONFLICT_RETRIED,
    ] {
        describe_counter!(name, Unit::Count, "");
    }
    for def in crate::capabilities::TABLE {
        describe_counter!(permission_denied_metric(def.capability), Unit::Count, "");
    }
    Ok(collector)
}
