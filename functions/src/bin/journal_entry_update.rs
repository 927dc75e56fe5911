//! The `journal-entry-update` Lambda function.

functions::lambda_main!(journal::entry_update);
