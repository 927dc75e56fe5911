//! The `journal-media-upload-url` Lambda function.

functions::lambda_main!(journal::media_upload_url);
