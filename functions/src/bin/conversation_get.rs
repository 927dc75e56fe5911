//! The `conversation-get` Lambda function.

functions::lambda_main!(conversation::get);
