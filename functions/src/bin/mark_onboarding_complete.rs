//! The `mark-onboarding-complete` Lambda function.

functions::lambda_main!(onboarding::mark_complete);
