//! The whole API on one machine: DynamoDB and S3 emulators, the table and
//! bucket of template.yaml, demo data, and the gateway in front of the
//! handlers. Used by the `local-stack` binary and by the integration tests.

use crate::addresses;
use crate::counting::RequestCounter;
use crate::emulators::{self, Emulator, EmulatorError};
use crate::faults::Faults;
use crate::provision::{self, DemoTenant};
use aws_sdk_dynamodb::config::{Credentials, Region};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use shared::config::Config;
use shared::AppContext;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::watch;

/// Names the local stack gives the resources template.yaml creates.
pub const TABLE_NAME: &str = "onboarding-local";
pub const BUCKET_NAME: &str = "onboarding-media-local";
pub const ACCESS_KEY: &str = "local";
pub const SECRET_KEY: &str = "local-secret-key";
pub const REGION: &str = "us-east-1";
pub const ISSUER: &str = "onboarding-api-local";
pub const AUDIENCE: &str = "onboarding-apps";

#[derive(Clone, Debug)]
pub struct StackOptions {
    /// Address the API and the S3 emulator listen on; 127.0.0.1 keeps the
    /// stack to this machine. The DynamoDB emulator always stays on
    /// 127.0.0.1: no client but the stack's own needs it.
    pub host: IpAddr,
    /// Base URL clients use for the API (`http://192.168.1.20:3000`); `None`
    /// derives it from `host` (see [`crate::addresses::public_host`]).
    pub public_url: Option<String>,
    /// 0 picks a free port.
    pub api_port: u16,
    pub dynamodb_port: u16,
    pub s3_port: u16,
    /// Where data persists between runs; `None` is a throwaway stack.
    pub data_dir: Option<PathBuf>,
    pub seed_demo: bool,
    /// Extra configuration, as environment variables would give it
    /// (`ONBOARDING_MODULE_ENABLED=false`, ...).
    pub settings: Vec<(String, String)>,
}

impl StackOptions {
    /// Ephemeral ports, in memory, demo data seeded: what tests use.
    pub fn ephemeral() -> Self {
        StackOptions {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            public_url: None,
            api_port: 0,
            dynamodb_port: 0,
            s3_port: 0,
            data_dir: None,
            seed_demo: true,
            settings: Vec::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StackError {
    #[error(transparent)]
    Emulator(#[from] EmulatorError),
    #[error("{0}")]
    Setup(String),
}

pub struct LocalStack {
    /// The API from this machine.
    pub api_url: String,
    /// The API as clients reach it (the printed URL; equal to `api_url`
    /// unless bound to another address or given `--public-url`).
    pub public_url: String,
    /// The S3 emulator as clients reach it: presigned URLs point here.
    pub public_s3_url: String,
    pub dynamodb: Emulator,
    pub s3: Emulator,
    pub ctx: Arc<AppContext>,
    /// Every DynamoDB request the handlers sent.
    pub dynamodb_requests: RequestCounter,
    /// Faults injected into the handlers' DynamoDB and S3 requests (tests).
    pub faults: Faults,
    /// The demo tenant, if this start created it.
    pub demo: Option<DemoTenant>,
    pub public_key_pem: String,
    pub private_key_pem: String,
    stop: watch::Sender<bool>,
    gateway: tokio::task::JoinHandle<()>,
    _scratch: Option<tempfile::TempDir>,
}

fn setup<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> StackError + '_ {
    move |e| StackError::Setup(format!("{what}: {e}"))
}

pub fn dynamodb_client(url: &str, counter: Option<RequestCounter>) -> aws_sdk_dynamodb::Client {
    aws_sdk_dynamodb::Client::from_conf(dynamodb_config(url, counter).build())
}

/// The DynamoDB emulator's settings (the local key) for `url`.
pub fn dynamodb_config(
    url: &str,
    counter: Option<RequestCounter>,
) -> aws_sdk_dynamodb::config::Builder {
    let mut conf = aws_sdk_dynamodb::Config::builder()
        .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
        .region(Region::new(REGION))
        .credentials_provider(Credentials::new(
            ACCESS_KEY,
            SECRET_KEY,
            None,
            None,
            "local-stack",
        ))
        .endpoint_url(url);
    if let Some(counter) = counter {
        conf = conf.interceptor(counter);
    }
    conf
}

/// The plain HTTP client the SDK would build, for wrapping.
pub fn http_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc))
        .build_https()
}

pub fn s3_client(url: &str) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(s3_config(url).build())
}

/// The S3 emulator's settings (path-style, the local key) for `url`.
pub fn s3_config(url: &str) -> aws_sdk_s3::config::Builder {
    aws_sdk_s3::Config::builder()
        .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
        .region(aws_sdk_s3::config::Region::new(REGION))
        .credentials_provider(aws_sdk_s3::config::Credentials::new(
            ACCESS_KEY,
            SECRET_KEY,
            None,
            None,
            "local-stack",
        ))
        .endpoint_url(url)
        .force_path_style(true)
}

impl LocalStack {
    pub async fn start(opts: StackOptions) -> Result<Self, StackError> {
        let scratch = match &opts.data_dir {
            Some(_) => None,
            None => Some(tempfile::tempdir().map_err(setup("temporary folder"))?),
        };
        let data_dir = opts.data_dir.clone().unwrap_or_else(|| {
            scratch
                .as_ref()
                .expect("scratch exists")
                .path()
                .to_path_buf()
        });
        std::fs::create_dir_all(&data_dir).map_err(setup("data folder"))?;

        let db_file = opts.data_dir.as_ref().map(|d| d.join("dynamodb.sqlite3"));
        let loopback = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let dynamodb = emulators::start_dynamodb(
            db_file.as_deref(),
            SocketAddr::new(loopback, opts.dynamodb_port),
        )
        .await?;
        let s3 = emulators::start_s3(
            &data_dir.join("s3"),
            ACCESS_KEY,
            SECRET_KEY,
            SocketAddr::new(opts.host, opts.s3_port),
        )
        .await?;
        let keys =
            crate::keys::load_or_create(&data_dir.join("keys")).map_err(setup("JWT keys"))?;

        let mut settings: Vec<(String, String)> = vec![
            ("TABLE_NAME".into(), TABLE_NAME.into()),
            ("BUCKET_NAME".into(), BUCKET_NAME.into()),
            ("JWT_ISSUER".into(), ISSUER.into()),
            ("JWT_AUDIENCE".into(), AUDIENCE.into()),
            ("JWT_PUBLIC_KEY".into(), keys.public_pem.clone()),
            ("JWT_PRIVATE_KEY".into(), keys.private_pem.clone()),
        ];
        settings.extend(opts.settings.iter().cloned());
        let config = Config::from_lookup(|name| {
            settings
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
        .map_err(setup("configuration"))?;

        let counter = RequestCounter::default();
        let admin_dynamo = dynamodb_client(&dynamodb.url(), None);
        shared::store::table::ensure_table(&admin_dynamo, TABLE_NAME)
            .await
            .map_err(setup("creating the table"))?;
        let s3_client = s3_client(&s3.url());
        if s3_client
            .head_bucket()
            .bucket(BUCKET_NAME)
            .send()
            .await
            .is_err()
        {
            s3_client
                .create_bucket()
                .bucket(BUCKET_NAME)
                .send()
                .await
                .map_err(|e| StackError::Setup(format!("creating the bucket: {e:?}")))?;
        }
        let demo = if opts.seed_demo {
            let store = shared::store::Store::new(admin_dynamo.clone(), TABLE_NAME.into());
            provision::seed_demo(&store)
                .await
                .map_err(setup("seeding demo data"))?
        } else {
            None
        };

        let listener = emulators::bind(SocketAddr::new(opts.host, opts.api_port)).await?;
        let api_addr: SocketAddr = listener.local_addr().map_err(setup("API address"))?;
        let public_url = match &opts.public_url {
            Some(url) => addresses::check_public_url(url).map_err(StackError::Setup)?,
            None => addresses::http_url(SocketAddr::new(
                addresses::public_host(opts.host, &addresses::machine_addresses()),
                api_addr.port(),
            )),
        };
        let public_s3_url =
            addresses::public_s3_url(&public_url, s3.addr.port()).map_err(StackError::Setup)?;
        // The functions' clients behave as on Lambda (the same timeouts),
        // with the fault switchboard tests arm in front of their transport.
        let faults = Faults::default();
        let functions_dynamodb = aws_sdk_dynamodb::Client::from_conf(
            dynamodb_config(&dynamodb.url(), Some(counter.clone()))
                .timeout_config(shared::context::sdk_timeouts())
                .http_client(faults.wrap(http_client()))
                .build(),
        );
        // Presigned URLs are signed for the public address.
        let ctx = Arc::new(
            AppContext::new(
                config,
                functions_dynamodb,
                Some(crate::public_s3::client(
                    &public_s3_url,
                    s3.local_addr(),
                    &faults,
                )),
            )
            .map_err(setup("function context"))?
            .with_engines(crate::models::engines().map_err(StackError::Setup)?),
        );
        let (stop, stop_rx) = watch::channel(false);
        let gateway = tokio::spawn(crate::gateway::serve(listener, ctx.clone(), stop_rx));
        Ok(LocalStack {
            api_url: addresses::http_url(addresses::local(api_addr)),
            public_url,
            public_s3_url,
            dynamodb,
            s3,
            ctx,
            dynamodb_requests: counter,
            faults,
            demo,
            public_key_pem: keys.public_pem,
            private_key_pem: keys.private_pem,
            stop,
            gateway,
            _scratch: scratch,
        })
    }

    /// A DynamoDB client on the emulator that is not counted.
    pub fn dynamodb_admin(&self) -> aws_sdk_dynamodb::Client {
        dynamodb_client(&self.dynamodb.url(), None)
    }

    /// The store as an operator sees it (not counted).
    pub fn admin_store(&self) -> shared::store::Store {
        shared::store::Store::new(self.dynamodb_admin(), TABLE_NAME.into())
    }

    /// Environment for the ops CLI or `cargo lambda watch` against this stack.
    pub fn environment(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT_URL_DYNAMODB", self.dynamodb.url()),
            ("AWS_ENDPOINT_URL_S3", self.s3.url()),
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY.into()),
            ("AWS_SECRET_ACCESS_KEY", SECRET_KEY.into()),
            ("AWS_REGION", REGION.into()),
            ("TABLE_NAME", TABLE_NAME.into()),
            ("BUCKET_NAME", BUCKET_NAME.into()),
        ]
    }

    /// Stops the gateway first (in-flight requests finish), then the emulators.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.gateway.await;
        self.dynamodb.stop().await;
        self.s3.stop().await;
    }
}
