//! Writes `openapi.yaml` (the API's OpenAPI 3.1 document) at the workspace
//! root from the code: the contract types and each endpoint's documentation.
//!
//! ```text
//! cargo run -p contract-tools --bin openapi             # regenerate
//! cargo run -p contract-tools --bin openapi -- --check  # compare only: exit 1 if it differs
//! ```
//!
//! Regenerating refuses to overwrite a committed document when the wire
//! change (as oasdiff classifies it) needs a bigger `CONTRACT_VERSION` bump
//! than it got, or when `CONTRACT_CHANGELOG.md` has no entry for the new
//! version: the version is bumped on purpose, never by accident.

use contract_tools::generate::{
    document_yaml, drift, workspace_root, CHANGELOG_FILE, DOCUMENT_FILE, REGENERATE_COMMAND,
};
use shared::contract::CONTRACT_VERSION;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo run -p contract-tools --bin openapi [-- --check]

Writes openapi.yaml at the workspace root from the code.
  --check   only compare: exit 1 with the classified difference if it differs";

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
    let changelog = std::fs::read_to_string(root.join(CHANGELOG_FILE)).unwrap_or_default();
    let committed = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            eprintln!("cannot read {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    };
    let Some(committed) = committed else {
        if check {
            eprintln!("{DOCUMENT_FILE} is missing: run `{REGENERATE_COMMAND}`");
            return ExitCode::FAILURE;
        }
        return write(&path);
    };
    let report = match drift(&committed, &changelog) {
        None => {
            println!("{DOCUMENT_FILE} is up to date (contract version {CONTRACT_VERSION})");
            return ExitCode::SUCCESS;
        }
        Some(Ok(report)) => report,
        Some(Err(e)) => {
            eprintln!("{DOCUMENT_FILE} differs from the code, and the change could not be classified: {e}");
            return ExitCode::FAILURE;
        }
    };
    print!("{report}");
    if check {
        eprintln!("{DOCUMENT_FILE} differs from the document the code generates: run `{REGENERATE_COMMAND}`");
        return ExitCode::FAILURE;
    }
    if !report.ok() {
        if let Some(v) = report.suggested_version() {
            eprintln!(
                "if the wire change is intended, set CONTRACT_VERSION in shared/src/contract/mod.rs \
                 to {v} (or later) and add a `## {v}` entry to {CHANGELOG_FILE}; if not, undo it."
            );
        }
        eprintln!("{DOCUMENT_FILE} was NOT written.");
        return ExitCode::FAILURE;
    }
    write(&path)
}

fn write(path: &std::path::Path) -> ExitCode {
    if let Err(e) = std::fs::write(path, document_yaml()) {
        eprintln!("cannot write {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    println!(
        "wrote {} (contract version {CONTRACT_VERSION})",
        path.display()
    );
    ExitCode::SUCCESS
}
