//! The dependencies every handler takes, built once at cold start, and only
//! those its function needs (the route table says which).

use crate::auth::{KeyError, Signer, Verifier};
use crate::config::{Config, ConfigError};
use crate::errors::ApiError;
use crate::store::Store;
use aws_config::timeout::TimeoutConfig;
use std::sync::Arc;
use std::time::Duration;

/// What a function needs besides DynamoDB and the token verifier, which
/// every function has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// An S3 client: uploads, media, presigned URLs.
    pub s3: bool,
    /// The token signer (the private key): login and refresh.
    pub signer: bool,
    /// The speaker encoder (voice biometrics), loaded from `VOICEPRINT_MODEL_DIR`.
    pub voiceprint: bool,
    /// The speech recognizer (spoken answers), loaded from `SPEECH_MODEL_DIR`.
    pub speech: bool,
}

/// Every AWS call gives up well before the function's own timeout (10 s for
/// most functions, 30 s for the media ones in template.yaml), so a stuck
/// DynamoDB or S3 answers 503 instead of a Lambda timeout. Standard retries
/// (3 attempts) fit inside the operation timeout.
pub const SDK_CONNECT_TIMEOUT: Duration = Duration::from_millis(1_000);
pub const SDK_ATTEMPT_TIMEOUT: Duration = Duration::from_millis(2_000);
pub const SDK_OPERATION_TIMEOUT: Duration = Duration::from_millis(6_000);

/// The SDK timeouts above, for every client the functions build.
pub fn sdk_timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(SDK_CONNECT_TIMEOUT)
        .operation_attempt_timeout(SDK_ATTEMPT_TIMEOUT)
        .operation_timeout(SDK_OPERATION_TIMEOUT)
        .build()
}

pub struct AppContext {
    pub config: Config,
    pub store: Store,
    s3: Option<aws_sdk_s3::Client>,
    pub verifier: Verifier,
    /// Present only where a private key is configured (login, refresh).
    pub signer: Option<Signer>,
    engines: Engines,
}

/// The models a function runs in process, loaded once.
#[derive(Clone, Default)]
pub struct Engines {
    pub voiceprint: Option<Arc<voiceprint::Encoder>>,
    pub speech: Option<Arc<speech::Recognizer>>,
}

impl Engines {
    /// The engines `needs` asks for, from their model folders.
    pub fn load(needs: Needs) -> Result<Self, InitError> {
        let voiceprint = match needs.voiceprint {
            true => Some(Arc::new(
                voiceprint::Encoder::from_env().map_err(|e| InitError::Model(e.to_string()))?,
            )),
            false => None,
        };
        let speech = match needs.speech {
            true => Some(Arc::new(
                speech::Recognizer::from_env().map_err(|e| InitError::Model(e.to_string()))?,
            )),
            false => None,
        };
        Ok(Engines { voiceprint, speech })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("cannot load a model: {0}")]
    Model(String),
}

impl AppContext {
    /// A context from clients built elsewhere (the local stack, tests).
    pub fn new(
        config: Config,
        dynamodb: aws_sdk_dynamodb::Client,
        s3: Option<aws_sdk_s3::Client>,
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
            engines: Engines::default(),
        })
    }

    /// The same context with these models.
    pub fn with_engines(mut self, engines: Engines) -> Self {
        self.engines = engines;
        self
    }

    /// The speaker encoder of a function whose route declares `Needs::voiceprint`
    /// (shared, so it can go to a blocking thread).
    pub fn voiceprint(&self) -> Result<Arc<voiceprint::Encoder>, ApiError> {
        self.engines.voiceprint.clone().ok_or_else(|| {
            tracing::error!("this function was built without the speaker encoder: fix its needs");
            ApiError::Internal
        })
    }

    /// The speech recognizer of a function whose route declares `Needs::speech`
    /// (shared, so it can go to a blocking thread).
    pub fn speech(&self) -> Result<Arc<speech::Recognizer>, ApiError> {
        self.engines.speech.clone().ok_or_else(|| {
            tracing::error!("this function was built without the speech recognizer: fix its needs");
            ApiError::Internal
        })
    }

    /// The S3 client; a function whose route does not declare `Needs::s3`
    /// has none (a bug in the route table, answered as a 500).
    pub fn s3(&self) -> Result<&aws_sdk_s3::Client, ApiError> {
        self.s3.as_ref().ok_or_else(|| {
            tracing::error!(
                "this function was built without an S3 client: fix its needs in the route table"
            );
            ApiError::Internal
        })
    }

    /// What a Lambda `main` calls: configuration from the environment, SDK
    /// clients from the default chain (`AWS_ENDPOINT_URL_DYNAMODB` and
    /// `AWS_ENDPOINT_URL_S3` point them at the local stack), only those the
    /// function needs.
    pub async fn from_env(needs: Needs) -> Result<Self, InitError> {
        let mut config = Config::from_env()?;
        if !needs.signer {
            config.jwt.private_key_pem = None;
        }
        let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .timeout_config(sdk_timeouts())
            .load()
            .await;
        // On Lambda with active tracing, every DynamoDB and S3 attempt is
        // an X-Ray subsegment.
        let xray = crate::telemetry::xray::XrayInterceptor::from_env();
        let mut dynamodb = aws_sdk_dynamodb::config::Builder::from(&sdk);
        if let Some(xray) = &xray {
            dynamodb = dynamodb.interceptor(xray.clone());
        }
        let dynamodb = aws_sdk_dynamodb::Client::from_conf(dynamodb.build());
        let s3 = needs.s3.then(|| {
            let mut conf = aws_sdk_s3::config::Builder::from(&sdk)
                .force_path_style(std::env::var_os("AWS_ENDPOINT_URL_S3").is_some());
            if let Some(xray) = &xray {
                conf = conf.interceptor(xray.clone());
            }
            aws_sdk_s3::Client::from_conf(conf.build())
        });
        let engines = Engines::load(needs)?;
        Ok(Self::new(config, dynamodb, s3)?.with_engines(engines))
    }
}
