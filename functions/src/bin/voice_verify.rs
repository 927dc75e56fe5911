//! The `voice-verify` Lambda function.

functions::lambda_main!(voice::verify);
