//! The `voice-enrollment-get` Lambda function.

functions::lambda_main!(voice::enrollment_get);
