//! Black-box tests: each test starts the whole local stack in-process
//! (embedded DynamoDB and S3 on ephemeral ports, the real SDK clients, the
//! gateway) and speaks HTTP to it.

mod attacks;
mod auth;
mod consistency;
mod contract_drift;
mod conversation;
mod faults;
mod golden;
mod idempotency;
mod images;
mod journal;
mod legacy;
mod mobile_dtos;
mod mobile_scenarios;
mod onboarding;
mod platform_limits;
mod profile;
mod races;
mod reachable;
mod sample_events;
mod structure;
mod support;
mod telemetry;
mod voice;
