#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_lambda(functions::mark_onboarding_complete::handle).await
}
