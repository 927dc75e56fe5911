//! The `profile-update` Lambda function.

functions::lambda_main!(profile::update);
