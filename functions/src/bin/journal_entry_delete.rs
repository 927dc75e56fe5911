//! The `journal-entry-delete` Lambda function.

functions::lambda_main!(journal::entry_delete);
