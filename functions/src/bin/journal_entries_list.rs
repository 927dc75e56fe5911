//! The `journal-entries-list` Lambda function.

functions::lambda_main!(journal::entries_list);
