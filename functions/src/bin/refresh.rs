//! The `refresh` Lambda function.

functions::lambda_main!(auth::refresh);
