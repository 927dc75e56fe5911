//! Logging set-up: JSON lines on Lambda (CloudWatch can query them), readable
//! text locally. `RUST_LOG` and `AWS_LAMBDA_LOG_LEVEL` pick the level.

pub fn init() {
    lambda_http::tracing::init_default_subscriber();
}
