//! The `voice-enrollment-delete` Lambda function.

functions::lambda_main!(voice::enrollment_delete);
