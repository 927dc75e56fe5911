//! The `voice-enroll` Lambda function.

functions::lambda_main!(voice::enroll);
