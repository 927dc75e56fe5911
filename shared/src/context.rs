//! The dependencies every handler takes, built once at cold start.

use crate::auth::{KeyError, Signer, Verifier};
use crate::config::{Config, ConfigError};
use crate::store::Store;

pub struct AppContext {
    pub config: Config,
    pub store: Store,
    pub s3: aws_sdk_s3::Client,
    pub verifier: Verifier,
    /// Present only where a private key is configured (login, refresh).
    pub signer: Option<Signer>,
}

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Key(#[from] KeyError),
}

impl AppContext {
    pub fn new(
        config: Config,
        dynamodb: aws_sdk_dynamodb::Client,
        s3: aws_sdk_s3::Client,
    ) -> Result<Self, InitError> {
        let verifier = Verifier::new(&config.jwt)?;
        let signer = Signer::new(&config.jwt)?;
        let store = Store::new(dynamodb, config.table_name.clone());
        Ok(AppContext {
            config,
            store,
            s3,
            verifier,
            signer,
        })
    }

    /// What a Lambda `main` calls: configuration from the environment, SDK
    /// clients from the default chain (`AWS_ENDPOINT_URL_DYNAMODB` and
    /// `AWS_ENDPOINT_URL_S3` point them at the local stack).
    pub async fn from_env() -> Result<Self, InitError> {
        let config = Config::from_env()?;
        let sdk = aws_config::load_from_env().await;
        let dynamodb = aws_sdk_dynamodb::Client::new(&sdk);
        let s3_conf = aws_sdk_s3::config::Builder::from(&sdk)
            .force_path_style(std::env::var_os("AWS_ENDPOINT_URL_S3").is_some())
            .build();
        Self::new(config, dynamodb, aws_sdk_s3::Client::from_conf(s3_conf))
    }
}
