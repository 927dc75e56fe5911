//! X-Ray subsegments around every DynamoDB and S3 call. With `Tracing:
//! Active` Lambda records the invocation's segment and runs an X-Ray daemon
//! (`AWS_XRAY_DAEMON_ADDRESS`); this SDK interceptor adds one subsegment per
//! attempt of each operation (retries show as separate attempts), named
//! after the service with the operation, HTTP status and AWS request id.
//! The current trace comes from `_X_AMZN_TRACE_ID`, which the runtime sets
//! for each invocation; an unsampled trace sends nothing.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use std::sync::Mutex;
use xray_lite::{AwsNamespace, Context as _, DaemonClient, SubsegmentContext, SubsegmentSession};

/// The interceptor, for `aws_sdk_*::config::Builder::interceptor`.
#[derive(Clone, Debug)]
pub struct XrayInterceptor {
    daemon: DaemonClient,
}

impl XrayInterceptor {
    /// Present where Lambda runs an X-Ray daemon (active tracing); binding
    /// the UDP socket is all it costs at cold start.
    pub fn from_env() -> Option<Self> {
        DaemonClient::from_lambda_env()
            .ok()
            .map(|daemon| XrayInterceptor { daemon })
    }
}

/// The open subsegment of the current attempt; sent when it is dropped.
#[derive(Debug)]
struct Attempt(Mutex<Option<SubsegmentSession<DaemonClient, AwsNamespace>>>);

impl Storable for Attempt {
    type Storer = StoreReplace<Self>;
}

/// Whether this invocation's trace is sampled.
fn sampled() -> bool {
    std::env::var("_X_AMZN_TRACE_ID").is_ok_and(|h| h.split(';').any(|p| p == "Sampled=1"))
}

impl Intercept for XrayInterceptor {
    fn name(&self) -> &'static str {
        "XrayInterceptor"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if !sampled() {
            return Ok(());
        }
        let Some(op) = cfg.load::<Metadata>() else {
            return Ok(());
        };
        let namespace = AwsNamespace::new(op.service(), op.name());
        // Tracing never fails a call: without a usable trace header there
        // is just no subsegment.
        if let Ok(trace) = SubsegmentContext::from_lambda_env(self.daemon.clone()) {
            let session = trace.enter_subsegment(namespace);
            cfg.interceptor_state()
                .store_put(Attempt(Mutex::new(Some(session))));
        }
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(attempt) = cfg.load::<Attempt>() else {
            return Ok(());
        };
        let Some(mut session) = attempt.0.lock().ok().and_then(|mut s| s.take()) else {
            return Ok(());
        };
        if let (Some(namespace), Some(response)) = (session.namespace_mut(), context.response()) {
            namespace.response_status(response.status().as_u16());
            // DynamoDB's and S3's request id headers.
            let id = ["x-amzn-requestid", "x-amz-request-id"]
                .iter()
                .find_map(|h| response.headers().get(*h));
            if let Some(id) = id {
                namespace.request_id(id);
            }
        }
        drop(session);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_daemon_no_interceptor() {
        // Outside Lambda (tests, the local stack) nothing is traced.
        if std::env::var_os("AWS_XRAY_DAEMON_ADDRESS").is_none() {
            assert!(XrayInterceptor::from_env().is_none());
        }
    }
}
