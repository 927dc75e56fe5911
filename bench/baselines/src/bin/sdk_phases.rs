//! Where the SDK's set-up time goes on a cold start, phase by phase, in a
//! fresh process (not a Lambda function: it prints one JSON line and
//! exits). The bench runs it several times and prints the medians.

use aws_sdk_dynamodb::config::ProvideCredentials;
use aws_sdk_dynamodb::types::AttributeValue;
use std::time::Instant;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let table = std::env::var("TABLE_NAME")?;
    let mut phases: Vec<(&str, f64)> = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, phases: &mut Vec<(&str, f64)>| {
        phases.push((name, clock.elapsed().as_secs_f64() * 1000.0));
        clock = Instant::now();
    };

    let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    lap("config_load", &mut phases);
    let client = aws_sdk_dynamodb::Client::new(&sdk);
    lap("client_new", &mut phases);
    if let Some(credentials) = sdk.credentials_provider() {
        credentials.provide_credentials().await?;
    }
    lap("credentials", &mut phases);
    let get = || {
        client
            .get_item()
            .table_name(&table)
            .key("pk", AttributeValue::S("BENCH#baseline".into()))
            .key("sk", AttributeValue::S("BENCH#baseline".into()))
            .send()
    };
    get().await?;
    lap("first_getitem", &mut phases);
    get().await?;
    lap("second_getitem", &mut phases);

    // The TLS pieces the first request built, again on their own (the SDK
    // keeps its own copies, so these do not make its requests faster).
    let roots = rustls_native_certs::load_native_certs();
    lap("native_roots_load", &mut phases);
    let mut store = rustls::RootCertStore::empty();
    store.add_parsable_certificates(roots.certs);
    lap("native_roots_parse", &mut phases);
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    let _config = rustls::ClientConfig::builder_with_provider(provider.into())
        .with_safe_default_protocol_versions()?
        .with_root_certificates(store)
        .with_no_client_auth();
    lap("rustls_config", &mut phases);

    let fields: Vec<String> = phases
        .iter()
        .map(|(name, ms)| format!("\"{name}\":{ms:.3}"))
        .collect();
    println!("{{{}}}", fields.join(","));
    Ok(())
}
