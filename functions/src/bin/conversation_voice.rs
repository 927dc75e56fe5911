//! The `conversation-voice` Lambda function.

functions::lambda_main!(conversation::voice);
