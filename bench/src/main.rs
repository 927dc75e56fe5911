//! `cargo run -p bench -- [--events 200] [--cold-starts 5] [--only login,profile-get]`
//!
//! Builds every function in release, starts the DynamoDB and S3 emulators
//! with the demo tenant, and runs each function binary as Lambda runs it: a
//! fresh process per cold start talking to a Runtime API emulator, fed API
//! Gateway HTTP API events with a real token. Prints per function: init
//! (process start to its first /next), first response (process start to
//! the first answer), warm p50/p99, RSS after 1/50/100/200 events and the
//! peak, binary and zip size, with the same figures for two baselines built
//! in the same run (a bare `lambda_http` function; one that only builds the
//! SDK client and does one GetItem). Then login's RSS over fresh processes
//! and the cost of one argon2 hash.

mod argon2_cost;
mod measure;
mod runtime_api;
mod stack;
mod workloads;

use bytes::Bytes;
use clap::Parser;
use measure::{median, mib, ms, proc_status_mib, quantile};
use runtime_api::{Reply, RuntimeApi};
use stack::BenchStack;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use workloads::Workloads;

#[derive(Parser, Debug)]
#[command(about = "Cold starts, warm latency, memory and package size of every Lambda function")]
struct Args {
    /// Warm events per function after the cold start's.
    #[arg(long, default_value_t = 200)]
    events: usize,
    /// Cold starts per function; init and first response are their medians.
    #[arg(long, default_value_t = 5)]
    cold_starts: usize,
    /// Only these functions (comma-separated); the baselines always run.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Fresh login processes for the login memory series.
    #[arg(long, default_value_t = 3)]
    login_processes: usize,
    /// Argon2 verifications timed for the cost per hash.
    #[arg(long, default_value_t = 20)]
    argon2_rounds: usize,
    /// Use the release binaries already built.
    #[arg(long)]
    no_build: bool,
}

const BARE: &str = "bench-bare";
const SDK: &str = "bench-sdk-getitem";
/// The events after which RSS is read.
const RSS_POINTS: [usize; 4] = [1, 50, 100, 200];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("bench/ is inside the workspace")
        .to_path_buf()
}

fn release_dir(workspace: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target"))
        .join("release")
}

/// The functions in the route table, ordered so the voice enrollment exists
/// when verify runs and is deleted only at the end.
fn function_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = functions::routes::ROUTES
        .iter()
        .map(|r| r.function)
        .collect();
    names.sort_unstable();
    names.dedup();
    names.sort_by_key(|n| *n == "voice-enrollment-delete");
    names
}

fn needs_of(function: &str) -> shared::context::Needs {
    functions::routes::ROUTES
        .iter()
        .find(|r| r.function == function)
        .map(|r| r.needs)
        .unwrap_or_default()
}

/// What one function process did.
#[derive(Default)]
struct Run {
    init: Duration,
    first_response: Duration,
    warm: Vec<Duration>,
    rss: Vec<(usize, f64)>,
    peak_rss: f64,
    statuses: BTreeMap<String, usize>,
    /// The first answer of each status other than 2xx, for the log.
    refusals: BTreeMap<String, String>,
}

struct Target<'a> {
    name: &'a str,
    binary: PathBuf,
    env: Vec<(String, String)>,
    log: PathBuf,
}

/// One cold start of `target`, then `warm` more events; `event(i)` gives
/// the `i`th event (prepared before the clock starts).
async fn run_process<F, Fut>(target: &Target<'_>, warm: usize, mut event: F) -> Result<Run, String>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = Result<Bytes, String>>,
{
    let api = RuntimeApi::start().await.map_err(|e| e.to_string())?;
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&target.log)
        .map_err(|e| format!("{}: {e}", target.log.display()))?;
    let mut command = tokio::process::Command::new(&target.binary);
    command
        .env_clear()
        .envs(target.env.iter().cloned())
        .env("AWS_LAMBDA_RUNTIME_API", api.addr.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", target.name)
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .kill_on_drop(true);
    let first_event = event(0).await?;
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("{}: {e}", target.binary.display()))?;
    let pid = child.id().ok_or("the process ended at once")?;
    let mut run = Run::default();

    let outcome = async {
        let ready = tokio::select! {
            ready = api.ready(Duration::from_secs(60)) => ready?,
            status = child.wait() => return Err(format!("exited during init: {status:?}")),
        };
        run.init = ready - started;
        let timeout = Duration::from_secs(120);
        let reply = api.invoke(first_event, timeout).await?;
        run.first_response = started.elapsed();
        count(&mut run, &reply);
        sample_rss(&mut run, pid, 1);
        for i in 1..=warm {
            let next = event(i).await?;
            let sent = Instant::now();
            let reply = api.invoke(next, timeout).await?;
            run.warm.push(sent.elapsed());
            count(&mut run, &reply);
            sample_rss(&mut run, pid, i + 1);
        }
        run.peak_rss = proc_status_mib(pid, "VmHWM").unwrap_or(f64::NAN);
        Ok(())
    }
    .await;
    let _ = child.start_kill();
    let _ = child.wait().await;
    outcome.map(|()| run)
}

fn sample_rss(run: &mut Run, pid: u32, served: usize) {
    if RSS_POINTS.contains(&served) {
        run.rss
            .push((served, proc_status_mib(pid, "VmRSS").unwrap_or(f64::NAN)));
    }
}

fn count(run: &mut Run, reply: &Reply) {
    let (key, body) = match reply {
        Reply::Response(body) => {
            let answer = serde_json::from_slice::<serde_json::Value>(body).unwrap_or_default();
            let status = answer["statusCode"]
                .as_u64()
                .map(|s| s.to_string())
                .unwrap_or_else(|| "?".into());
            let body = answer["body"].as_str().unwrap_or_default().to_string();
            (status, body)
        }
        Reply::Error => ("error".into(), String::new()),
    };
    if !key.starts_with('2') {
        run.refusals
            .entry(key.clone())
            .or_insert_with(|| body.chars().take(160).collect());
    }
    *run.statuses.entry(key).or_default() += 1;
}

/// Every figure of one function: its cold starts and its warm run.
struct Report {
    name: String,
    init: Duration,
    first_response: Duration,
    warm_p50: Duration,
    warm_p99: Duration,
    rss: Vec<(usize, f64)>,
    peak_rss: f64,
    binary: u64,
    zip: u64,
    statuses: BTreeMap<String, usize>,
    refusals: BTreeMap<String, String>,
}

async fn bench_function(
    target: &Target<'_>,
    args: &Args,
    workloads: &Workloads<'_>,
) -> Result<Report, String> {
    let mut counter = 0usize;
    let mut inits = Vec::new();
    let mut firsts = Vec::new();
    let mut warm_run = None;
    for cold in 0..args.cold_starts.max(1) {
        let warm = if cold == 0 { args.events } else { 0 };
        let base = counter;
        let run = run_process(target, warm, |i| {
            let index = base + i;
            async move {
                let event = match target.name {
                    BARE | SDK => workloads.event("profile-get", index).await?,
                    name => workloads.event(name, index).await?,
                };
                Ok(Bytes::from(event.to_string()))
            }
        })
        .await?;
        counter += warm + 1;
        inits.push(run.init);
        firsts.push(run.first_response);
        if cold == 0 {
            warm_run = Some(run);
        }
    }
    let run = warm_run.expect("at least one cold start");
    Ok(Report {
        name: target.name.to_string(),
        init: median(&inits),
        first_response: median(&firsts),
        warm_p50: quantile(&run.warm, 0.5),
        warm_p99: quantile(&run.warm, 0.99),
        rss: run.rss,
        peak_rss: run.peak_rss,
        binary: std::fs::metadata(&target.binary)
            .map(|m| m.len())
            .unwrap_or(0),
        zip: measure::zip_size(&target.binary).unwrap_or(0),
        statuses: run.statuses,
        refusals: run.refusals,
    })
}

fn print_table(reports: &[Report]) {
    let bare = reports.iter().find(|r| r.name == BARE);
    let sdk = reports.iter().find(|r| r.name == SDK);
    let ratio = |of: Duration, base: Option<&Report>| {
        base.map(|b| format!("{:.2}x", of.as_secs_f64() / b.first_response.as_secs_f64()))
            .unwrap_or_else(|| "-".into())
    };
    println!(
        "{:<26} {:>7} {:>8} {:>6} {:>6} {:>7} {:>7} {:>23} {:>6} {:>6} {:>6}  statuses",
        "function",
        "init",
        "first",
        "/bare",
        "/sdk",
        "p50",
        "p99",
        "RSS@1/50/100/200 MiB",
        "peak",
        "bin",
        "zip"
    );
    println!(
        "{:<26} {:>7} {:>8} {:>6} {:>6} {:>7} {:>7} {:>23} {:>6} {:>6} {:>6}",
        "", "ms", "ms", "", "", "ms", "ms", "", "MiB", "MiB", "MiB"
    );
    for r in reports {
        let rss = r
            .rss
            .iter()
            .map(|(_, v)| format!("{v:.1}"))
            .collect::<Vec<_>>()
            .join("/");
        let statuses = r
            .statuses
            .iter()
            .map(|(s, n)| format!("{s}x{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        println!(
            "{:<26} {:>7.1} {:>8.1} {:>6} {:>6} {:>7.2} {:>7.2} {:>23} {:>6.1} {:>6.2} {:>6.2}  {}",
            r.name,
            ms(r.init),
            ms(r.first_response),
            ratio(r.first_response, bare),
            ratio(r.first_response, sdk),
            ms(r.warm_p50),
            ms(r.warm_p99),
            rss,
            r.peak_rss,
            mib(r.binary),
            mib(r.zip),
            statuses
        );
    }
}

fn lambda_env(memory_mb: u32) -> Vec<(String, String)> {
    [
        ("PATH", "/usr/local/bin:/usr/bin:/bin"),
        ("LANG", "en_US.UTF-8"),
        ("TZ", ":UTC"),
        ("RUST_LOG", "info"),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
        ("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/bench"),
        ("AWS_LAMBDA_LOG_STREAM_NAME", "bench"),
        ("AWS_EXECUTION_ENV", "AWS_Lambda_provided.al2023"),
        ("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .chain([(
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE".to_string(),
        memory_mb.to_string(),
    )])
    .collect()
}

fn model_env(workspace: &Path) -> Vec<(String, String)> {
    [
        (voiceprint::MODEL_DIR_ENV, "voiceprint"),
        (speech::MODEL_DIR_ENV, "speech"),
    ]
    .into_iter()
    .map(|(var, dir)| {
        let path = std::env::var(var)
            .unwrap_or_else(|_| workspace.join(".models").join(dir).display().to_string());
        (var.to_string(), path)
    })
    .collect()
}

fn build(workspace: &Path) -> Result<Duration, String> {
    let started = Instant::now();
    let status = std::process::Command::new(env!("CARGO"))
        .current_dir(workspace)
        .args([
            "build",
            "--release",
            "-p",
            "functions",
            "--bins",
            "-p",
            "bench-baselines",
        ])
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    if !status.success() {
        return Err(format!("cargo build --release failed ({status})"));
    }
    Ok(started.elapsed())
}

/// Runs the SDK phase timer `runs` times; the median of each phase, and of
/// the whole process (spawn to exit).
async fn sdk_phases(
    binary: &Path,
    env: &[(String, String)],
    runs: usize,
) -> Result<Vec<String>, String> {
    let mut order: Vec<String> = Vec::new();
    let mut samples: BTreeMap<String, Vec<Duration>> = BTreeMap::new();
    for _ in 0..runs {
        let started = Instant::now();
        let out = tokio::process::Command::new(binary)
            .env_clear()
            .envs(env.iter().cloned())
            .output()
            .await
            .map_err(|e| format!("{}: {e}", binary.display()))?;
        let whole = started.elapsed();
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        let parsed: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
        for (name, value) in parsed {
            if !order.contains(&name) {
                order.push(name.clone());
            }
            let ms = value.as_f64().unwrap_or(f64::NAN);
            samples
                .entry(name)
                .or_default()
                .push(Duration::from_secs_f64(ms / 1000.0));
        }
        samples
            .entry("process_total".into())
            .or_default()
            .push(whole);
    }
    order.push("process_total".into());
    Ok(order
        .into_iter()
        .map(|name| format!("{name:<20} {:>8.2}", ms(median(&samples[&name]))))
        .collect())
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if let Err(e) = run(args).await {
        eprintln!("bench failed: {e}");
        std::process::exit(1);
    }
}

async fn run(args: Args) -> Result<(), String> {
    let workspace = workspace();
    // The bench's own handlers load the same model folders as the functions.
    for (var, path) in model_env(&workspace) {
        std::env::set_var(var, path);
    }
    if !args.no_build {
        let took = build(&workspace)?;
        println!("release build (incremental): {:.1} s", took.as_secs_f64());
    }
    let release = release_dir(&workspace);
    let logs = release.join("bench-logs");
    std::fs::create_dir_all(&logs).map_err(|e| e.to_string())?;

    let stack = BenchStack::start(&workspace).await?;
    let workloads = Workloads::new(&stack, &workspace).await?;
    let (jpeg, note) = workloads.sizes();
    println!(
        "workloads: JPEG {:.2} MiB (2048x1536), voice note {:.2} MiB (30 s WAV); logs in {}",
        mib(jpeg as u64),
        mib(note as u64),
        logs.display()
    );

    let memory_mb = 1024;
    let mut base_env = lambda_env(memory_mb);
    base_env.extend(stack.function_env());
    base_env.extend(model_env(&workspace));
    let env_for = |name: &str| -> Vec<(String, String)> {
        let signer = needs_of(name).signer;
        base_env
            .iter()
            .filter(|(k, _)| signer || k != "JWT_PRIVATE_KEY")
            .cloned()
            .collect()
    };
    let target = |name: &'static str| Target {
        name,
        binary: release.join(name),
        env: env_for(name),
        log: logs.join(format!("{name}.log")),
    };

    let mut names: Vec<&'static str> = vec![BARE, SDK];
    names.extend(
        function_names()
            .into_iter()
            .filter(|n| args.only.is_empty() || args.only.iter().any(|o| o == n)),
    );
    println!(
        "{} functions, {} cold starts each, {} warm events after the first\n",
        names.len(),
        args.cold_starts,
        args.events
    );
    let mut reports = Vec::new();
    for name in names {
        let started = Instant::now();
        match bench_function(&target(name), &args, &workloads).await {
            Ok(report) => {
                eprintln!("  {name}: {:.1} s", started.elapsed().as_secs_f64());
                for (status, body) in &report.refusals {
                    eprintln!("    first {status}: {body}");
                }
                reports.push(report);
            }
            Err(e) => eprintln!("  {name}: FAILED: {e} (see {}/{name}.log)", logs.display()),
        }
    }
    println!();
    print_table(&reports);

    if args.login_processes > 0 && (args.only.is_empty() || args.only.iter().any(|o| o == "login"))
    {
        println!("\nlogin RSS (MiB) after N warm logins, fresh processes:");
        let login = target("login");
        let mut counter = 0usize;
        for p in 0..args.login_processes {
            let run = run_process(&login, 199, |i| {
                let index = counter + i;
                let workloads = &workloads;
                async move {
                    Ok(Bytes::from(
                        workloads.event("login", index).await?.to_string(),
                    ))
                }
            })
            .await?;
            counter += 200;
            let series = run
                .rss
                .iter()
                .map(|(n, v)| format!("{n}: {v:.1}"))
                .collect::<Vec<_>>()
                .join("  ");
            println!(
                "  process {}: {series}  peak {:.1}  p50 {:.1} ms",
                p + 1,
                run.peak_rss,
                ms(quantile(&run.warm, 0.5))
            );
        }
    }

    let phases = release.join("bench-sdk-phases");
    match sdk_phases(&phases, &env_for(SDK), args.cold_starts.max(5)).await {
        Ok(lines) => {
            println!("\nSDK set-up, phase by phase (median ms of fresh processes):");
            for line in lines {
                println!("  {line}");
            }
        }
        Err(e) => eprintln!("SDK phases failed: {e}"),
    }

    let cost = argon2_cost::measure(args.argon2_rounds);
    println!(
        "\nargon2id {} : {:.1} ms per hash on one core of this machine; on Lambda's CPU share:",
        cost.params,
        ms(cost.per_hash)
    );
    for memory in [256, 512, 1024, 1769] {
        println!(
            "  {memory:>5} MB: {:>6.1} ms",
            ms(argon2_cost::on_lambda(cost.per_hash, memory))
        );
    }
    stack.stop().await;
    Ok(())
}
