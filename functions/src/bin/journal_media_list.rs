//! The `journal-media-list` Lambda function.

functions::lambda_main!(journal::media_list);
