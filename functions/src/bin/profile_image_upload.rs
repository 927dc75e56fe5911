//! The `profile-image-upload` Lambda function.

functions::lambda_main!(profile::image_upload);
