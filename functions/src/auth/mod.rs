//! Login and token refresh.

pub mod login;
pub mod refresh;
mod tokens;
