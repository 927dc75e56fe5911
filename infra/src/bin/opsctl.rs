//! `opsctl`: tenants, reference data, users and capabilities, against the
//! local stack or real AWS. The table comes from `TABLE_NAME`; region,
//! credentials and endpoint from the usual AWS environment
//! (`AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL_DYNAMODB`, ...).

use clap::{Parser, Subcommand};
use infra::{legacy, provision};
use shared::capabilities::{Capability, TABLE};
use shared::store::{migrate, NewUser, RefKind, Store, UserRecord};
use std::io::Read;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "opsctl", about = "Operate the onboarding API's data")]
struct Cli {
    /// DynamoDB table.
    #[arg(long, env = "TABLE_NAME", global = true)]
    table: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a tenant, optionally with reference data.
    CreateTenant {
        #[arg(long)]
        name: String,
        #[arg(long = "location")]
        locations: Vec<String>,
        #[arg(long = "department")]
        departments: Vec<String>,
        #[arg(long = "designation")]
        designations: Vec<String>,
        #[arg(long = "bu")]
        business_units: Vec<String>,
    },
    /// Add one reference item (location, department, designation or bu).
    AddReference {
        #[arg(long)]
        tenant: u64,
        #[arg(long)]
        kind: String,
        #[arg(long)]
        name: String,
    },
    /// List a tenant's reference data.
    ListReference {
        #[arg(long)]
        tenant: u64,
    },
    /// Create a user. The password is read from standard input unless --password is given.
    CreateUser {
        #[arg(long)]
        tenant: u64,
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        full_name: Option<String>,
        /// Admin users get the admin defaults of the capability table.
        #[arg(long)]
        admin: bool,
        /// Leave the profile part uncreated (GET /profile/me/ answers 404).
        #[arg(long)]
        no_profile: bool,
    },
    /// Set capabilities: canAccessOnboarding=true canUseVoiceFeatures=false ...
    SetCapability {
        #[arg(long)]
        tenant: u64,
        #[arg(long)]
        user: u64,
        #[arg(required = true)]
        values: Vec<String>,
    },
    /// Clear stored capabilities so they fall back to the role's default.
    ClearCapability {
        #[arg(long)]
        tenant: u64,
        #[arg(long)]
        user: u64,
        #[arg(required = true)]
        keys: Vec<String>,
    },
    /// Show a user by id or by username.
    ShowUser {
        #[arg(long)]
        tenant: Option<u64>,
        #[arg(long)]
        user: Option<u64>,
        #[arg(long)]
        username: Option<String>,
    },
    /// Create the demo tenant and its four users (if absent).
    SeedDemo,
    /// Write legacy user items, one per older shape (ids 901 to 911), for
    /// trying `migrate` (if absent). Needs the demo reference data.
    SeedLegacy {
        /// Tenant to put them in; default: the demo tenant (the `admin` user's).
        #[arg(long)]
        tenant: Option<u64>,
    },
    /// Upgrade stored user items to the current shape (dry run unless --apply).
    #[command(long_about = MIGRATE_HELP)]
    Migrate {
        /// Write the upgrades. Without it nothing is written: a dry run that
        /// reports what would be upgraded.
        #[arg(long)]
        apply: bool,
        /// Items per Scan page (1 to 1000).
        #[arg(long, default_value_t = migrate::DEFAULT_PAGE_SIZE)]
        page_size: i32,
        /// Resume after this cursor, as printed after each page:
        /// '{"pk":"TENANT#1#USER#7","sk":"PROFILE"}'.
        #[arg(long, value_name = "CURSOR", conflicts_with = "state_file")]
        start_after: Option<String>,
        /// Resume from, and record progress in, this file: the cursor after
        /// each page; the file is removed when the Scan reaches the end
        /// (a dry run only reads it).
        #[arg(long, value_name = "PATH")]
        state_file: Option<std::path::PathBuf>,
        /// Stop after this many pages (resume later from the printed cursor).
        #[arg(long)]
        max_pages: Option<u32>,
        /// Upgrades written at the same time within a page (1 to 64).
        #[arg(long, default_value_t = migrate::DEFAULT_CONCURRENCY)]
        concurrency: usize,
    },
    /// Print the capability table.
    Capabilities,
    /// Write events/*.json filled in for a user of the running local stack
    /// (a fresh access and refresh token from a real login, journal entries
    /// that exist), for `cargo lambda invoke <function> --data-file`.
    /// The tokens live ACCESS_TOKEN_TTL_SECONDS (900); run it again after.
    SampleEvents {
        /// A demo user (admin, regular.user, new.employee, existing.user) or
        /// any user with --password.
        #[arg(long, default_value = "admin")]
        user: String,
        #[arg(long)]
        password: Option<String>,
        /// The templates (the committed sample events).
        #[arg(long, default_value = "events")]
        templates: std::path::PathBuf,
        /// Where the filled-in events go (gitignored with the stack's data).
        #[arg(long, default_value = ".local-stack/events")]
        out: std::path::PathBuf,
        /// The local stack's data folder: its JWT keys sign the tokens.
        #[arg(long, default_value = ".local-stack")]
        data_dir: std::path::PathBuf,
    },
}

const MIGRATE_HELP: &str = "\
Upgrade stored user items (pk TENANT#<t>#USER#<id>, sk PROFILE) to the current
shape, schema_version 2, in place. Items without schema_version are shape 1.

An upgrade only adds what is missing: first_login_completed=false,
onboarding_completed_at=null, onboarding_skipped=false, people_extras={},
profile_completion_percentage (computed from the stored profile), version=1;
and sets schema_version=2. Values already stored are never rewritten (gender
\"M\" stays \"M\"), and attributes this tool does not know are kept. Every other
item of the table is skipped.

Without --apply nothing is written: a dry run that counts what would change.

Each write is conditional on the item's version being the one the Scan read,
so a concurrent API write is never overwritten; such an item is reported as
failed (retryable) and the exit status is 1. Running again is safe and picks
it up (runs are idempotent: a second run upgrades nothing).

Resuming: after each page the cursor (the Scan's last evaluated key) is
printed as JSON. Stop at any time (Ctrl-C, or --max-pages N) and continue with
--start-after '<cursor>'. Or give --state-file PATH: the run starts after the
cursor stored there (if the file exists), writes the cursor after each page,
and removes the file when the Scan reaches the end of the table (a dry run
reads it but never writes it). A page whose writes were interrupted is simply
processed again.

Counts at the end (and per page): seen (user items) = upgraded + already
current + newer (schema_version above 2, left alone) + failed; skipped = items
that are not users.

Examples (local stack; see README):
  opsctl migrate                                   # dry run
  opsctl migrate --apply --page-size 100
  opsctl migrate --apply --start-after '{\"pk\":\"TENANT#1#USER#7\",\"sk\":\"PROFILE\"}'
  opsctl migrate --apply --state-file migrate.cursor";

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn capability(key: &str) -> Result<Capability, String> {
    Capability::from_key(key).ok_or_else(|| {
        let known: Vec<&str> = TABLE.iter().map(|d| d.key).collect();
        format!("unknown capability {key:?}; known: {}", known.join(", "))
    })
}

async fn load(store: &Store, tenant: u64, user: u64) -> Result<UserRecord, String> {
    store
        .get_user(&shared::auth::Principal {
            tenant_id: tenant,
            user_id: user,
        })
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no user {user} in tenant {tenant}"))
}

fn show(user: &UserRecord) {
    let caps: serde_json::Map<String, serde_json::Value> = user
        .capabilities
        .iter()
        .map(|(k, v)| (k.to_string(), v.into()))
        .collect();
    let view = serde_json::json!({
        "id": user.id,
        "tenant_id": user.tenant_id,
        "username": user.username,
        "email": user.email,
        "is_admin": user.is_admin,
        "is_active": user.is_active,
        "capabilities": caps,
        "profile_initialized": user.profile.is_some(),
        "profile_completion_percentage": user.presence().percentage(),
        "first_login_completed": user.first_login_completed,
        "onboarding_completed_at": user.onboarding_completed_at,
        "onboarding_skipped": user.onboarding_skipped,
        "version": user.version,
    });
    println!("{}", serde_json::to_string_pretty(&view).expect("json"));
}

async fn run(cli: Cli) -> Result<(), String> {
    if let Command::Capabilities = cli.command {
        println!(
            "{:<24} {:<8} {:<14} gates",
            "capability", "default", "admin default"
        );
        for d in &TABLE {
            println!(
                "{:<24} {:<8} {:<14} {}",
                d.key, d.default, d.admin_default, d.gates
            );
        }
        return Ok(());
    }
    let table = cli
        .table
        .ok_or("set TABLE_NAME (or --table) to the DynamoDB table")?;
    let sdk = aws_config::load_from_env().await;
    let command = match cli.command {
        Command::SampleEvents {
            user,
            password,
            templates,
            out,
            data_dir,
        } => return sample_events(&sdk, table, &user, password, &templates, &out, &data_dir).await,
        other => other,
    };
    let store = Store::new(aws_sdk_dynamodb::Client::new(&sdk), table);
    let err = |e: shared::store::StoreError| e.to_string();

    match command {
        Command::Capabilities | Command::SampleEvents { .. } => unreachable!("handled above"),
        Command::CreateTenant {
            name,
            locations,
            departments,
            designations,
            business_units,
        } => {
            let mut refs = Vec::new();
            for (kind, names) in [
                (RefKind::Location, &locations),
                (RefKind::Department, &departments),
                (RefKind::Designation, &designations),
                (RefKind::BusinessUnit, &business_units),
            ] {
                refs.extend(names.iter().map(|n| (kind, n.as_str())));
            }
            let (tenant, items) = provision::create_tenant(&store, &name, &refs)
                .await
                .map_err(err)?;
            println!("tenant {tenant} ({name})");
            for item in items {
                println!("  {} {} = {}", item.kind.as_str(), item.id, item.name);
            }
        }
        Command::AddReference { tenant, kind, name } => {
            let kind = RefKind::parse(&kind)
                .ok_or("kind must be one of: location, department, designation, bu")?;
            if !store.tenant_exists(tenant).await.map_err(err)? {
                return Err(format!("no tenant {tenant}"));
            }
            let item = store
                .add_reference(tenant, kind, &name)
                .await
                .map_err(err)?;
            println!("{} {} = {}", item.kind.as_str(), item.id, item.name);
        }
        Command::ListReference { tenant } => {
            for item in store.list_references(tenant).await.map_err(err)? {
                println!("{} {} = {}", item.kind.as_str(), item.id, item.name);
            }
        }
        Command::CreateUser {
            tenant,
            username,
            password,
            email,
            full_name,
            admin,
            no_profile,
        } => {
            if !store.tenant_exists(tenant).await.map_err(err)? {
                return Err(format!("no tenant {tenant}"));
            }
            let password = match password {
                Some(p) => p,
                None => {
                    let mut p = String::new();
                    std::io::stdin()
                        .read_to_string(&mut p)
                        .map_err(|e| e.to_string())?;
                    p.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            if password.len() < 8 {
                return Err("the password must have at least 8 characters".into());
            }
            let user = store
                .create_user(NewUser {
                    tenant_id: tenant,
                    username,
                    password_hash: shared::password::hash(&password),
                    email,
                    full_name,
                    is_admin: admin,
                    profile: (!no_profile).then(Default::default),
                    organizational: shared::store::Organizational {
                        client: Some(tenant),
                        ..Default::default()
                    },
                    ..NewUser::default()
                })
                .await
                .map_err(err)?;
            show(&user);
        }
        Command::SetCapability {
            tenant,
            user,
            values,
        } => {
            let mut changes = Vec::new();
            for v in &values {
                let (key, value) = v
                    .split_once('=')
                    .ok_or_else(|| format!("expected key=true|false, got {v:?}"))?;
                let value: bool = value
                    .parse()
                    .map_err(|_| format!("{key}: expected true or false, got {value:?}"))?;
                changes.push((capability(key)?, Some(value)));
            }
            let record = load(&store, tenant, user).await?;
            show(
                &provision::change_capabilities(&store, &record, &changes)
                    .await
                    .map_err(err)?,
            );
        }
        Command::ClearCapability { tenant, user, keys } => {
            let changes = keys
                .iter()
                .map(|k| capability(k).map(|c| (c, None)))
                .collect::<Result<Vec<_>, _>>()?;
            let record = load(&store, tenant, user).await?;
            show(
                &provision::change_capabilities(&store, &record, &changes)
                    .await
                    .map_err(err)?,
            );
        }
        Command::ShowUser {
            tenant,
            user,
            username,
        } => {
            let principal = match (tenant, user, username) {
                (Some(tenant_id), Some(user_id), _) => {
                    shared::auth::Principal { tenant_id, user_id }
                }
                (_, _, Some(name)) => store
                    .find_username(&name)
                    .await
                    .map_err(err)?
                    .ok_or_else(|| format!("no user named {name:?}"))?,
                _ => return Err("give --tenant and --user, or --username".into()),
            };
            show(&load(&store, principal.tenant_id, principal.user_id).await?);
        }
        Command::SeedDemo => match provision::seed_demo(&store).await.map_err(err)? {
            Some(demo) => println!("demo tenant {} with users {:?}", demo.tenant_id, demo.users),
            None => println!("demo data already present"),
        },
        Command::SeedLegacy { tenant } => {
            let tenant = match tenant {
                Some(t) => {
                    if !store.tenant_exists(t).await.map_err(err)? {
                        return Err(format!("no tenant {t}"));
                    }
                    t
                }
                None => {
                    store
                        .find_username("admin")
                        .await
                        .map_err(err)?
                        .ok_or(
                            "no demo tenant: no user named \"admin\" (run `opsctl seed-demo`, \
                             or give --tenant)",
                        )?
                        .tenant_id
                }
            };
            let reference = store.list_references(tenant).await.map_err(err)?;
            let seed = legacy::seed_legacy(&store, tenant, &reference)
                .await
                .map_err(err)?;
            let count = seed.users.len();
            if seed.written {
                println!("wrote {count} legacy users into tenant {}", seed.tenant_id);
            } else {
                println!(
                    "the {count} legacy users are already in tenant {}: nothing written",
                    seed.tenant_id
                );
            }
            println!("password of each: {}", legacy::LEGACY_PASSWORD);
            for user in &seed.users {
                println!("  {:<22} id {}  {}", user.username, user.id, user.shape);
            }
        }
        Command::Migrate {
            apply,
            page_size,
            start_after,
            state_file,
            max_pages,
            concurrency,
        } => {
            run_migration(
                &store,
                apply,
                page_size,
                start_after,
                state_file,
                max_pages,
                concurrency,
            )
            .await?
        }
    }
    Ok(())
}

fn counts_line(c: &migrate::Counts, apply: bool) -> String {
    format!(
        "seen {} user items: {} {}, {} already current, {} newer, {} failed ({} retryable); skipped {} other items",
        c.seen,
        c.upgraded,
        if apply { "upgraded" } else { "would be upgraded" },
        c.already_current,
        c.newer,
        c.failed,
        c.retryable,
        c.skipped
    )
}

/// `opsctl migrate`: the options, the cursor and the printing; the rules
/// live in `shared::store::migrate`.
async fn run_migration(
    store: &Store,
    apply: bool,
    page_size: i32,
    start_after: Option<String>,
    state_file: Option<std::path::PathBuf>,
    max_pages: Option<u32>,
    concurrency: usize,
) -> Result<(), String> {
    let mut start = start_after
        .map(|c| c.parse::<migrate::Cursor>())
        .transpose()?;
    if let Some(path) = &state_file {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                start = Some(
                    text.parse()
                        .map_err(|e| format!("state file {}: {e}", path.display()))?,
                )
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("state file {}: {e}", path.display())),
        }
    }
    println!(
        "migrate {} to schema_version {}: {}, page size {page_size}{}",
        store.table(),
        shared::store::USER_SCHEMA_VERSION,
        if apply {
            "applying"
        } else {
            "dry run (nothing is written; --apply writes)"
        },
        match &start {
            Some(c) => format!(", starting after {c}"),
            None => String::new(),
        }
    );
    let options = migrate::Options {
        apply,
        page_size,
        start_after: start,
        max_pages,
        concurrency,
    };
    let mut state_error = None;
    let report = migrate::run(store, &options, |page| {
        let next = match &page.cursor {
            Some(c) => format!("resume with --start-after '{c}'"),
            None => "end of table".to_string(),
        };
        println!(
            "page {} ({} items): {}; {next}",
            page.page,
            page.items,
            counts_line(&page.counts, apply)
        );
        // A dry run never records progress: an --apply run resuming from it
        // would skip items.
        if let Some(path) = state_file.as_ref().filter(|_| apply) {
            let saved = match &page.cursor {
                Some(c) => save_cursor(path, c),
                None => std::fs::remove_file(path).or_else(|e| match e.kind() {
                    std::io::ErrorKind::NotFound => Ok(()),
                    _ => Err(e),
                }),
            };
            if let Err(e) = saved {
                state_error.get_or_insert(format!("state file {}: {e}", path.display()));
            }
        }
    })
    .await
    .map_err(|e| format!("{e} (resume from the last cursor printed)"))?;
    for failure in &report.failures {
        println!(
            "failed: {} ({}): {}",
            failure.pk,
            if failure.retryable {
                "retryable"
            } else {
                "needs a look"
            },
            failure.reason
        );
    }
    println!(
        "{} after {} pages: {}",
        if report.next_cursor.is_some() {
            "stopped"
        } else {
            "done"
        },
        report.pages,
        counts_line(&report.counts, apply)
    );
    if let Some(c) = &report.next_cursor {
        println!(
            "resume with: opsctl migrate{} --start-after '{c}'",
            if apply { " --apply" } else { "" }
        );
    }
    if let Some(e) = state_error {
        return Err(e);
    }
    if report.counts.failed > 0 {
        return Err(format!(
            "{} user items were not migrated; run again to retry (it is idempotent)",
            report.counts.failed
        ));
    }
    Ok(())
}

/// Writes the cursor so that a crash leaves either the old or the new one.
fn save_cursor(path: &std::path::Path, cursor: &migrate::Cursor) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, format!("{cursor}\n"))?;
    std::fs::rename(&tmp, path)
}

/// `opsctl sample-events`: the functions' configuration as the local stack
/// gives it (the environment wins), then a real login and the events.
async fn sample_events(
    sdk: &aws_config::SdkConfig,
    table: String,
    user: &str,
    password: Option<String>,
    templates: &std::path::Path,
    out: &std::path::Path,
    data_dir: &std::path::Path,
) -> Result<(), String> {
    let password = match password {
        Some(p) => p,
        None => provision::DEMO_LOGINS
            .iter()
            .find(|l| l.username == user)
            .map(|l| l.password.to_string())
            .ok_or_else(|| format!("{user} is not a demo user: give --password"))?,
    };
    let keys = data_dir.join("keys");
    let key_file = |name: &str| keys.join(name).to_string_lossy().to_string();
    let defaults = [
        ("TABLE_NAME", table),
        ("BUCKET_NAME", infra::stack::BUCKET_NAME.to_string()),
        ("JWT_ISSUER", infra::stack::ISSUER.to_string()),
        ("JWT_AUDIENCE", infra::stack::AUDIENCE.to_string()),
        ("JWT_PUBLIC_KEY_FILE", key_file("jwt-public.pem")),
        ("JWT_PRIVATE_KEY_FILE", key_file("jwt-private.pem")),
    ];
    let config = shared::config::Config::from_lookup(|name| {
        std::env::var(name).ok().or_else(|| {
            defaults
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
        })
    })
    .map_err(|e| e.to_string())?;
    let ctx = shared::AppContext::new(config, aws_sdk_dynamodb::Client::new(sdk), None)
        .map_err(|e| e.to_string())?;
    let samples = infra::sample_events::generate(
        std::sync::Arc::new(ctx),
        infra::sample_events::read_templates(templates)?,
        user,
        &password,
    )
    .await?;
    infra::sample_events::write(&samples, out)?;
    println!(
        "{} events for {user} in {} (journal entry {}; journal-entry-delete deletes entry {})",
        samples.events.len(),
        out.display(),
        samples.entry_id,
        samples.entry_to_delete
    );
    println!(
        "  with `cargo lambda watch -A 127.0.0.1 -P 9001` running: \
         cargo lambda invoke -A 127.0.0.1 -P 9001 profile-get --data-file {}/profile-get.json",
        out.display()
    );
    Ok(())
}
