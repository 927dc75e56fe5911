//! `cargo run -p infra --bin local-stack`: the whole API on this machine.

use clap::Parser;
use infra::provision::DEMO_LOGINS;
use infra::{LocalStack, StackOptions};
use std::net::IpAddr;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    about = "Run the onboarding API locally on embedded DynamoDB and S3 (no Docker, no AWS account)"
)]
struct Args {
    /// Address the API and the S3 emulator listen on. 0.0.0.0 makes the stack
    /// reachable from the network (a phone on the same Wi-Fi).
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Base URL clients use for the API, e.g. http://192.168.1.20:3000;
    /// presigned media URLs use its host with the S3 port. Default: the bind
    /// address (for 0.0.0.0, this machine's first non-loopback IPv4).
    #[arg(long)]
    public_url: Option<String>,
    /// Port of the API.
    #[arg(long, default_value_t = 3000, env = "LOCAL_API_PORT")]
    port: u16,
    /// Port of the DynamoDB emulator (the ops CLI and `cargo lambda watch` use it).
    #[arg(long, default_value_t = 8000)]
    dynamodb_port: u16,
    /// Port of the S3 emulator.
    #[arg(long, default_value_t = 9000)]
    s3_port: u16,
    /// Folder where data persists between runs.
    #[arg(long, default_value = ".local-stack")]
    data_dir: PathBuf,
    /// Throwaway stack: nothing is kept after Ctrl-C.
    #[arg(long)]
    in_memory: bool,
    /// Do not create the demo tenant and its users.
    #[arg(long)]
    no_seed: bool,
    /// Extra settings as NAME=VALUE (e.g. ONBOARDING_MODULE_ENABLED=false).
    #[arg(long = "set", value_parser = parse_setting)]
    settings: Vec<(String, String)>,
}

fn parse_setting(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| format!("expected NAME=VALUE, got {s:?}"))
}

#[tokio::main]
async fn main() {
    if std::env::var_os("RUST_LOG").is_none() {
        std::env::set_var("RUST_LOG", "info");
    }
    shared::telemetry::init();
    let args = Args::parse();
    if !args.host.is_loopback() {
        eprintln!(
            "warning: --host {} makes the API and the S3 emulator (and every stored file, \
             with the well-known local key) reachable from the network; use it only on a \
             network you trust",
            args.host
        );
    }
    let stack = match LocalStack::start(StackOptions {
        host: args.host,
        public_url: args.public_url.clone(),
        api_port: args.port,
        dynamodb_port: args.dynamodb_port,
        s3_port: args.s3_port,
        data_dir: (!args.in_memory).then(|| args.data_dir.clone()),
        seed_demo: !args.no_seed,
        settings: args.settings,
    })
    .await
    {
        Ok(stack) => stack,
        Err(e) => {
            eprintln!("local stack failed to start: {e}");
            std::process::exit(1);
        }
    };

    println!();
    println!("Onboarding API running at {}", stack.public_url);
    if stack.public_url != stack.api_url {
        println!("  (this machine: {})", stack.api_url);
    }
    println!(
        "  DynamoDB emulator: {}  (table {})",
        stack.dynamodb.url(),
        infra::stack::TABLE_NAME
    );
    println!(
        "  S3 emulator:       {}  (bucket {}; media URLs use {})",
        stack.s3.url(),
        infra::stack::BUCKET_NAME,
        stack.public_s3_url
    );
    match &args.in_memory {
        true => println!("  Data: in memory, gone on exit"),
        false => println!("  Data: {}", args.data_dir.display()),
    }
    println!();
    println!("Demo logins (tenant \"Demo Corp\"):");
    for login in &DEMO_LOGINS {
        println!(
            "  {:<15} {:<17} {}",
            login.username, login.password, login.role
        );
    }
    println!();
    println!("Try:");
    println!(
        "  curl -s -X POST {}/api/v2/auth/login/ -H 'content-type: application/json' -d '{{\"username\":\"admin\",\"password\":\"admin-pass-1\"}}'",
        stack.public_url
    );
    println!("Ops CLI against this stack:");
    let env: Vec<String> = stack
        .environment()
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    println!(
        "  env {} cargo run -q -p infra --bin opsctl -- --help",
        env.join(" ")
    );
    println!();
    println!("Ctrl-C stops it.");

    shutdown_signal().await;
    println!("stopping...");
    stack.stop().await;
    println!("stopped.");
}

/// Ctrl-C, or SIGTERM from a process manager.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
                return;
            }
            Err(e) => eprintln!("cannot listen for SIGTERM ({e}); Ctrl-C still works"),
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
