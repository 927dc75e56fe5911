//! The `login` Lambda function.

functions::lambda_main!(auth::login);
