//! The `journal-entry-get` Lambda function.

functions::lambda_main!(journal::entry_get);
