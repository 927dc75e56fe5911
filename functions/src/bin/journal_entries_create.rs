//! The `journal-entries-create` Lambda function.

functions::lambda_main!(journal::entries_create);
