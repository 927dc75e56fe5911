//! The `conversation-process` Lambda function.

functions::lambda_main!(conversation::process);
