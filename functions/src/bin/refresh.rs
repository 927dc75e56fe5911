#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_lambda(functions::refresh::handle).await
}
