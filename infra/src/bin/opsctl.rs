//! `opsctl`: tenants, reference data, users and capabilities, against the
//! local stack or real AWS. The table comes from `TABLE_NAME`; region,
//! credentials and endpoint from the usual AWS environment
//! (`AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL_DYNAMODB`, ...).

use clap::{Parser, Subcommand};
use infra::provision;
use shared::capabilities::{Capability, TABLE};
use shared::store::{NewUser, RefKind, Store, UserRecord};
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
    /// Print the capability table.
    Capabilities,
}

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
    let store = Store::new(aws_sdk_dynamodb::Client::new(&sdk), table);
    let err = |e: shared::store::StoreError| e.to_string();

    match cli.command {
        Command::Capabilities => unreachable!("handled above"),
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
    }
    Ok(())
}
