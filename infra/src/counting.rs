//! Counts the requests an SDK client really sends (one per attempt), so tests
//! can hold the "one read per read" rule.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug, Default)]
pub struct RequestCounter {
    operations: Arc<Mutex<Vec<String>>>,
}

impl RequestCounter {
    /// The operations sent so far (`GetItem`, `UpdateItem`, ...), in order.
    pub fn operations(&self) -> Vec<String> {
        self.operations.lock().expect("counter lock").clone()
    }

    pub fn reset(&self) {
        self.operations.lock().expect("counter lock").clear();
    }
}

impl Intercept for RequestCounter {
    fn name(&self) -> &'static str {
        "RequestCounter"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let target = context
            .request()
            .headers()
            .get("x-amz-target")
            .unwrap_or("unknown");
        let op = target.rsplit('.').next().unwrap_or(target).to_string();
        self.operations.lock().expect("counter lock").push(op);
        Ok(())
    }
}
