//! The `completion-status` Lambda function.

functions::lambda_main!(onboarding::completion_status);
