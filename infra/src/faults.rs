//! Faults the emulators cannot produce, injected at the SDK's HTTP layer of
//! the functions' clients: DynamoDB throttling, internal errors, cancelled
//! transactions, S3 failures, and requests that never answer. The SDK sees a
//! real HTTP answer (or none) and runs its real retry and timeout logic;
//! every request not matched by a rule reaches the emulator unchanged, so a
//! test can fail one step of a write path and check what the others left.

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use std::sync::{Arc, Mutex};

/// What a matched request gets instead of the emulator's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// DynamoDB `ProvisionedThroughputExceededException` (400); S3 `SlowDown` (503).
    Throttle,
    /// DynamoDB `InternalServerError` (500); S3 `InternalError` (500).
    Internal,
    /// DynamoDB `TransactionCanceledException` whose reason is throttling.
    TransactionThrottled,
    /// No answer at all: the SDK's attempt and operation timeouts must end it.
    Hang,
}

/// One rule: the operation it matches (`dynamodb:UpdateItem`,
/// `s3:PutObject`, ...), the fault, and how many requests it still fails
/// (`None`: until cleared).
#[derive(Clone, Debug)]
struct Rule {
    operation: String,
    fault: Fault,
    remaining: Option<u32>,
}

/// The switchboard a test arms; cloned into the clients' HTTP layer.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    rules: Arc<Mutex<Vec<Rule>>>,
    injected: Arc<Mutex<Vec<String>>>,
}

impl Faults {
    /// Fails every request of `operation` with `fault` until [`Faults::clear`].
    pub fn fail(&self, operation: &str, fault: Fault) {
        self.push(operation, fault, None);
    }

    /// Fails the next `times` requests of `operation` with `fault`.
    pub fn fail_times(&self, operation: &str, fault: Fault, times: u32) {
        self.push(operation, fault, Some(times));
    }

    fn push(&self, operation: &str, fault: Fault, remaining: Option<u32>) {
        self.rules.lock().expect("faults lock").push(Rule {
            operation: operation.to_string(),
            fault,
            remaining,
        });
    }

    /// Every request reaches the emulator again.
    pub fn clear(&self) {
        self.rules.lock().expect("faults lock").clear();
    }

    /// The operations that got a fault so far, in order.
    pub fn injected(&self) -> Vec<String> {
        self.injected.lock().expect("faults lock").clone()
    }

    /// The fault for this request, if a rule matches (and uses it up).
    fn take(&self, operation: &str) -> Option<Fault> {
        let mut rules = self.rules.lock().expect("faults lock");
        let rule = rules
            .iter_mut()
            .find(|r| r.operation == operation && r.remaining.is_none_or(|left| left > 0))?;
        if let Some(left) = rule.remaining.as_mut() {
            *left -= 1;
        }
        let fault = rule.fault;
        self.injected
            .lock()
            .expect("faults lock")
            .push(operation.to_string());
        Some(fault)
    }

    /// `inner`, with these faults in front of it.
    pub fn wrap(&self, inner: SharedHttpClient) -> SharedHttpClient {
        SharedHttpClient::new(Faulty {
            inner,
            faults: self.clone(),
        })
    }
}

#[derive(Debug)]
struct Faulty {
    inner: SharedHttpClient,
    faults: Faults,
}

impl HttpClient for Faulty {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(FaultyConnector {
            inner: self.inner.http_connector(settings, components),
            faults: self.faults.clone(),
        })
    }
}

#[derive(Debug)]
struct FaultyConnector {
    inner: SharedHttpConnector,
    faults: Faults,
}

impl HttpConnector for FaultyConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let operation = operation_of(&request);
        match self.faults.take(&operation) {
            None => self.inner.call(request),
            Some(Fault::Hang) => HttpConnectorFuture::new(std::future::pending()),
            Some(fault) => HttpConnectorFuture::ready(Ok(answer(&operation, fault))),
        }
    }
}

/// `dynamodb:<X-Amz-Target operation>` or `s3:<operation>` from the method
/// and whether the path names an object.
fn operation_of(request: &HttpRequest) -> String {
    if let Some(target) = request.headers().get("x-amz-target") {
        let op = target.rsplit('.').next().unwrap_or(target);
        return format!("dynamodb:{op}");
    }
    let object = request
        .uri()
        .split('?')
        .next()
        .and_then(|u| u.split("://").nth(1))
        .map(|rest| rest.split('/').filter(|s| !s.is_empty()).count() > 2)
        .unwrap_or(false);
    let op = match (request.method(), object) {
        ("PUT", true) => "PutObject",
        ("GET", true) => "GetObject",
        ("HEAD", true) => "HeadObject",
        ("DELETE", true) => "DeleteObject",
        (method, _) => method,
    };
    format!("s3:{op}")
}

/// The answer AWS gives for `fault` on `operation`, as the SDK parses it.
fn answer(operation: &str, fault: Fault) -> HttpResponse {
    let (status, content_type, body) = if operation.starts_with("dynamodb:") {
        let prefix = "com.amazonaws.dynamodb.v20120810#";
        let (status, body) = match fault {
            Fault::Throttle => (
                400,
                format!(
                    r#"{{"__type":"{prefix}ProvisionedThroughputExceededException","message":"The level of configured provisioned throughput for the table was exceeded."}}"#
                ),
            ),
            Fault::TransactionThrottled => (
                400,
                format!(
                    r#"{{"__type":"{prefix}TransactionCanceledException","message":"Transaction cancelled, please refer cancellation reasons for specific reasons [ThrottlingError]","CancellationReasons":[{{"Code":"ThrottlingError","Message":"Throughput exceeds the current capacity of your table or index."}}]}}"#
                ),
            ),
            Fault::Internal | Fault::Hang => (
                500,
                format!(
                    r#"{{"__type":"{prefix}InternalServerError","message":"Internal server error"}}"#
                ),
            ),
        };
        (status, "application/x-amz-json-1.0", body)
    } else {
        let (status, code) = match fault {
            Fault::Throttle | Fault::TransactionThrottled => (503, "SlowDown"),
            Fault::Internal | Fault::Hang => (500, "InternalError"),
        };
        (
            status,
            "application/xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>injected</Message><RequestId>fault</RequestId></Error>"
            ),
        )
    };
    let mut response = HttpResponse::new(
        status.try_into().expect("a valid status code"),
        SdkBody::from(body),
    );
    response
        .headers_mut()
        .insert("content-type", content_type.to_string());
    response
        .headers_mut()
        .insert("x-amzn-requestid", "injected-fault".to_string());
    response
}
