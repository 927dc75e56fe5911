//! The `profile-image-upload-url` Lambda function.

functions::lambda_main!(profile::image_upload_url);
