//! The contract's tooling, never linked into a Lambda binary: the OpenAPI
//! document generated from the code ([`generate`]) and the contract's version
//! rule, with a maintained breaking-change checker.
//!
//! Given the committed OpenAPI document (old), the freshly generated one (new)
//! and the changelog text, [`check`] asks [oasdiff](checker) what changed,
//! classifies the change ([`ChangeKind`]: unchanged, no wire effect, additive,
//! breaking) and applies the rule:
//!
//! - a breaking change needs a major bump, an additive one a minor bump;
//! - a change with no wire effect needs none (a patch bump is fine);
//! - an unchanged document needs nothing;
//! - the version never goes backwards, and a new version has a changelog
//!   entry (`## <version>`), the newest one.
//!
//! The [`Report`] says what changed (oasdiff's own sentences), what the change
//! needs, and what is wrong; it prints for people.
//!
//! oasdiff is installed by `bash contract-tools/install.sh`; without it
//! [`check`] fails with an error that names the installer.

mod changelog;
pub mod checker;
mod classify;
pub mod document;
pub mod generate;
mod report;
mod rule;

pub use changelog::changelog_versions;
pub use checker::{Oasdiff, INSTALL_COMMAND, OASDIFF_VERSION};
pub use classify::{classify, Change, ChangeKind, Finding, Severity};
pub use document::Document;
pub use report::Report;
pub use rule::{judge, Needed};
pub use semver::Version;

use std::path::PathBuf;

/// Why no report could be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("oasdiff is not installed at {}: run `{INSTALL_COMMAND}`", path.display())]
    CheckerMissing { path: PathBuf },
    #[error(
        "{} is not oasdiff {OASDIFF_VERSION} (it says {found:?}): run `{INSTALL_COMMAND}`",
        path.display()
    )]
    CheckerVersion { path: PathBuf, found: String },
    #[error("`oasdiff {command}` failed ({status}): {stderr}")]
    CheckerFailed {
        command: &'static str,
        status: String,
        stderr: String,
    },
    #[error("`oasdiff {command}` printed something other than the expected JSON: {message}")]
    CheckerOutput {
        command: &'static str,
        message: String,
    },
    #[error("the {which} document is not a YAML or JSON OpenAPI document: {message}")]
    Document {
        which: &'static str,
        message: String,
    },
    #[error("the {which} document's info.version {found:?} is not a semantic version")]
    Version { which: &'static str, found: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Classifies the change from `old` to `new` (YAML or JSON text) with the
/// installed oasdiff and checks the version and `changelog` against it.
///
/// An unchanged document (apart from `info.version`) is judged without
/// running oasdiff.
pub fn check(old: &str, new: &str, changelog: &str) -> Result<Report, Error> {
    let old = Document::parse("old", old)?;
    let new = Document::parse("new", new)?;
    let change = if old.same_wire_and_docs(&new) {
        Change::unchanged()
    } else {
        classify(&Oasdiff::installed()?, &old, &new)?
    };
    Ok(judge(change, old.version()?, new.version()?, changelog))
}
