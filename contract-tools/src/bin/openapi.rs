//! Writes `openapi.yaml` (the API's OpenAPI 3.1 document) at the workspace
//! root from the code: `shared::contract` and `functions::openapi`.
//!
//! ```text
//! cargo run -p infra --bin openapi             # regenerate
//! cargo run -p infra --bin openapi -- --check  # compare only: exit 1 with a diff if it differs
//! ```
//!
//! Regenerating refuses to overwrite a committed document when the wire
//! change needs a bigger `CONTRACT_VERSION` bump than it got, or when
//! `CONTRACT_CHANGELOG.md` has no entry for the current version: the version
//! is bumped on purpose, never by accident.

use contract_tools::document::{
    document_yaml, workspace_root, CHANGELOG_FILE, DOCUMENT_FILE, REGENERATE_COMMAND,
};
use shared::contract::CONTRACT_VERSION;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo run -p contract-tools --bin openapi [-- --check]

Writes openapi.yaml at the workspace root from the code.
  --check   only compare: exit 1 with a diff and the needed version bump if it differs";

fn main() -> ExitCode {
    let mut check = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--check" => check = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown argument {other:?}\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }

    let root = workspace_root();
    let path = root.join(DOCUMENT_FILE);
    let generated = document_yaml();

    let mut problems = Vec::new();
    let changelog = std::fs::read_to_string(root.join(CHANGELOG_FILE)).unwrap_or_default();
    if let Err(e) = contract_tools::drift::check_changelog(&changelog, CONTRACT_VERSION) {
        problems.push(format!("{CHANGELOG_FILE}: {e}"));
    }

    let committed = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            eprintln!("cannot read {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    };

    let drift = match &committed {
        Some(text) => contract_tools::document::drift(text),
        None => None,
    };
    let up_to_date = committed.is_some() && drift.is_none();

    for p in &problems {
        eprintln!("warning: {p}");
    }

    if check {
        return match (&committed, &drift) {
            (None, _) => {
                eprintln!("{DOCUMENT_FILE} is missing: run `{REGENERATE_COMMAND}`");
                ExitCode::FAILURE
            }
            (Some(_), Some(d)) => {
                eprintln!("{d}");
                ExitCode::FAILURE
            }
            (Some(_), None) if !problems.is_empty() => {
                eprintln!("{DOCUMENT_FILE} matches the code, but see the warnings above");
                ExitCode::FAILURE
            }
            (Some(_), None) => {
                println!("{DOCUMENT_FILE} is up to date (contract version {CONTRACT_VERSION})");
                ExitCode::SUCCESS
            }
        };
    }

    if up_to_date {
        println!("{DOCUMENT_FILE} is up to date (contract version {CONTRACT_VERSION})");
        return ExitCode::SUCCESS;
    }
    if let Some(d) = &drift {
        if !d.may_regenerate() {
            eprintln!("{d}");
            eprintln!("{DOCUMENT_FILE} was NOT written.");
            return ExitCode::FAILURE;
        }
        if let Ok(v) = &d.verdict {
            print!("{v}");
        }
    }
    if changelog_missing_entry(&changelog) {
        eprintln!(
            "{DOCUMENT_FILE} was NOT written: add a `## {CONTRACT_VERSION}` entry to {CHANGELOG_FILE} first."
        );
        return ExitCode::FAILURE;
    }
    if let Err(e) = std::fs::write(&path, &generated) {
        eprintln!("cannot write {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    println!(
        "wrote {} (contract version {CONTRACT_VERSION})",
        path.display()
    );
    ExitCode::SUCCESS
}

fn changelog_missing_entry(changelog: &str) -> bool {
    contract_tools::drift::check_changelog(changelog, CONTRACT_VERSION).is_err()
}
