#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    functions::run_lambda(functions::profile_image_confirm::handle).await
}
