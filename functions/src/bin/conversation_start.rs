//! The `conversation-start` Lambda function.

functions::lambda_main!(conversation::start);
