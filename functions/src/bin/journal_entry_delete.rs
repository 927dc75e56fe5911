#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_lambda(functions::journal_entries::delete).await
}
