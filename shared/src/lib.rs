//! Everything the Lambda functions share: configuration, authentication,
//! capabilities and their guards, the wire contract, the people store and the
//! HTTP error bodies. Each rule lives in exactly one module here.

pub mod auth;
pub mod capabilities;
pub mod config;
pub mod context;
pub mod contract;
pub mod errors;
pub mod guards;
pub mod http;
pub use imaging as images;
pub mod media;
pub mod metrics;
pub mod multipart;
pub mod password;
pub mod profile;
pub mod request;
pub mod store;
pub mod telemetry;
pub mod time;

pub use context::AppContext;
pub use errors::ApiError;
