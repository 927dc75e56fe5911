//! The `journal-media-add` Lambda function.

functions::lambda_main!(journal::media_add);
