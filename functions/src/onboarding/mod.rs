//! Behind `canAccessOnboarding`: the completion status and the onboarding
//! lifecycle.

pub mod completion_status;
pub mod mark_complete;
