//! The contract's tooling, kept out of the Lambda binaries: the OpenAPI
//! document generated from the code (`document`) and the check that a
//! change to it came with the right contract version bump (`drift`).

pub mod document;
pub mod drift;
