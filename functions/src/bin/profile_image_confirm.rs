//! The `profile-image-confirm` Lambda function.

functions::lambda_main!(profile::image_confirm);
