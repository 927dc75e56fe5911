//! The `profile-get` Lambda function.

functions::lambda_main!(profile::get);
