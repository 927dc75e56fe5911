//! The bench's own local stack: the embedded DynamoDB and S3 emulators of
//! crate `infra`, the table and bucket, the demo tenant, fresh JWT keys, and
//! the filled-in sample events. No gateway: the functions run as Lambda
//! processes against these emulators.

use infra::emulators::{self, Emulator};
use infra::provision::{self, DemoTenant};
use infra::sample_events::{self, Samples};
use infra::stack::{ACCESS_KEY, AUDIENCE, BUCKET_NAME, ISSUER, REGION, SECRET_KEY, TABLE_NAME};
use shared::config::Config;
use shared::AppContext;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

pub const DEMO_USER: &str = "admin";
pub const DEMO_PASSWORD: &str = "admin-pass-1";

pub struct BenchStack {
    pub dynamodb: Emulator,
    pub s3: Emulator,
    /// The handlers in process (models loaded), for set-up calls (fresh
    /// logins, entries, conversations, a voice enrollment) that are not
    /// measured.
    pub ctx: Arc<AppContext>,
    pub s3_client: aws_sdk_s3::Client,
    pub demo: DemoTenant,
    pub samples: Samples,
    pub public_key_pem: String,
    pub private_key_pem: String,
    _scratch: tempfile::TempDir,
}

fn err<E: std::fmt::Display>(what: &'static str) -> impl Fn(E) -> String {
    move |e| format!("{what}: {e}")
}

impl BenchStack {
    pub async fn start(workspace: &Path) -> Result<Self, String> {
        let scratch = tempfile::tempdir().map_err(err("temporary folder"))?;
        let local: SocketAddr = ([127, 0, 0, 1], 0).into();
        let dynamodb = emulators::start_dynamodb(None, local)
            .await
            .map_err(err("DynamoDB emulator"))?;
        let s3 = emulators::start_s3(&scratch.path().join("s3"), ACCESS_KEY, SECRET_KEY, local)
            .await
            .map_err(err("S3 emulator"))?;
        let keys = infra::keys::generate();

        let admin_dynamo = infra::stack::dynamodb_client(&dynamodb.url(), None);
        shared::store::table::ensure_table(&admin_dynamo, TABLE_NAME)
            .await
            .map_err(err("table"))?;
        let s3_client = infra::stack::s3_client(&s3.url());
        s3_client
            .create_bucket()
            .bucket(BUCKET_NAME)
            .send()
            .await
            .map_err(|e| format!("bucket: {e:?}"))?;
        let store = shared::store::Store::new(admin_dynamo.clone(), TABLE_NAME.into());
        let demo = provision::seed_demo(&store)
            .await
            .map_err(err("demo data"))?
            .ok_or("the fresh table already had the demo tenant")?;

        let settings = [
            ("TABLE_NAME", TABLE_NAME.to_string()),
            ("BUCKET_NAME", BUCKET_NAME.to_string()),
            ("JWT_ISSUER", ISSUER.to_string()),
            ("JWT_AUDIENCE", AUDIENCE.to_string()),
            ("JWT_PUBLIC_KEY", keys.public_pem.clone()),
            ("JWT_PRIVATE_KEY", keys.private_pem.clone()),
        ];
        let config = Config::from_lookup(|name| {
            settings
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
        })
        .map_err(err("configuration"))?;
        let ctx = Arc::new(
            AppContext::new(config, admin_dynamo, Some(s3_client.clone()))
                .map_err(err("context"))?
                .with_engines(infra::models::engines()?),
        );
        let templates = sample_events::read_templates(&workspace.join("events"))?;
        let samples =
            sample_events::generate(ctx.clone(), templates, DEMO_USER, DEMO_PASSWORD).await?;
        Ok(BenchStack {
            dynamodb,
            s3,
            ctx,
            s3_client,
            demo,
            samples,
            public_key_pem: keys.public_pem,
            private_key_pem: keys.private_pem,
            _scratch: scratch,
        })
    }

    /// What the template gives a function in AWS, pointed at the emulators
    /// (keys inline, as the template passes them).
    pub fn function_env(&self) -> Vec<(String, String)> {
        [
            ("TABLE_NAME", TABLE_NAME.to_string()),
            ("BUCKET_NAME", BUCKET_NAME.to_string()),
            ("JWT_ISSUER", ISSUER.to_string()),
            ("JWT_AUDIENCE", AUDIENCE.to_string()),
            ("JWT_PUBLIC_KEY", self.public_key_pem.clone()),
            ("JWT_PRIVATE_KEY", self.private_key_pem.clone()),
            ("AWS_ENDPOINT_URL_DYNAMODB", self.dynamodb.url()),
            ("AWS_ENDPOINT_URL_S3", self.s3.url()),
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY.to_string()),
            ("AWS_SECRET_ACCESS_KEY", SECRET_KEY.to_string()),
            ("AWS_REGION", REGION.to_string()),
            ("AWS_DEFAULT_REGION", REGION.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    /// The admin's tenant and user id (upload keys carry them).
    pub fn admin_ids(&self) -> (u64, u64) {
        (self.demo.tenant_id, self.demo.users[DEMO_USER])
    }

    pub async fn stop(self) {
        self.dynamodb.stop().await;
        self.s3.stop().await;
    }
}
