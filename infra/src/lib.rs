//! What runs around the functions: the embedded emulators, the local API
//! gateway, the whole local stack, demo data and the ops CLI's operations.

pub mod addresses;
pub mod counting;
pub mod emulators;
pub mod faults;
pub mod gateway;
pub mod keys;
pub mod legacy;
pub mod models;
pub mod platform_limits;
pub mod provision;
pub mod public_s3;
pub mod sample_events;
pub mod stack;

pub use stack::{LocalStack, StackOptions};
