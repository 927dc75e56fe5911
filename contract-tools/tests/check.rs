//! `check`, end to end from text, as the generator and a test call it; and
//! the errors (never a panic) for a missing checker or bad input.

mod support;

use contract_tools::{check, ChangeKind, Error, Needed, Oasdiff, INSTALL_COMMAND};
use serde_json::json;
use support::*;

#[test]
fn the_committed_document_against_itself_needs_nothing() {
    let text = real_text();
    let report = check(&text, &text, "").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.change.kind, ChangeKind::Unchanged);
    assert!(report.ok(), "{report}");
    // JSON text of the same document is the same document.
    let as_json = serde_json::to_string_pretty(&real()).unwrap();
    let report = check(&text, &as_json, "").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.change.kind, ChangeKind::Unchanged, "{report}");
}

#[test]
fn a_breaking_change_from_text_is_refused_until_the_major_bump_and_its_entry() {
    checker();
    let old = real_text();
    let mut doc = real();
    remove_property(&mut doc, "CompletionStatus", "can_skip_onboarding");
    let new = serde_saphyr::to_string(&doc).unwrap();

    // The committed document's version, whatever it is today.
    let current = semver::Version::parse(real()["info"]["version"].as_str().unwrap()).unwrap();
    let next = semver::Version::new(current.major + 1, 0, 0);
    let entry = format!("## {current}\n");
    let report = check(&old, &new, &entry).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.needed, Needed::Major);
    assert!(!report.ok());
    println!("{report}");
    assert_eq!(
        report.suggested_version().map(|v| v.to_string()),
        Some(next.to_string())
    );
    let printed = report.to_string();
    for needle in [
        "change: breaking (by oasdiff 1.15.0); it needs a major version bump".to_string(),
        "BREAKING  GET /api/v2/profile/completion-status/: removed the required property `can_skip_onboarding`".to_string(),
        format!("NOT OK: a breaking change needs a major version bump: the version must go from {current} to {next} or later (it is {current})"),
    ] {
        assert!(printed.contains(&needle), "{needle:?} in\n{printed}");
    }

    doc["info"]["version"] = json!(next.to_string());
    let bumped = serde_saphyr::to_string(&doc).unwrap();
    let report = check(&old, &bumped, &entry).unwrap();
    assert!(
        !report.ok()
            && report
                .to_string()
                .contains(&format!("no `## {next}` entry")),
        "{report}"
    );
    let report = check(
        &old,
        &bumped,
        &format!("# Changelog\n\n## {next}\n\n- gone\n\n{entry}"),
    )
    .unwrap();
    assert!(report.ok(), "{report}");
    assert_eq!(report.suggested_version(), None);
}

#[test]
fn bad_documents_are_errors() {
    let good = real_text();
    for (bad, what) in [
        ("openapi: [unclosed", "not YAML"),
        ("just a string", "not a mapping"),
        ("a: &a [*a, *a]", "a recursive alias"),
    ] {
        match check(&good, bad, "") {
            Err(Error::Document { which: "new", .. }) => {}
            other => panic!("{what}: {other:?}"),
        }
    }
    let mut doc = real();
    doc["info"]["version"] = json!("one");
    let text = serde_json::to_string(&doc).unwrap();
    assert!(matches!(
        check(&good, &text, ""),
        Err(Error::Version { which: "new", .. })
    ));
}

#[test]
fn a_missing_or_wrong_checker_names_the_installer() {
    for path in ["/nonexistent/oasdiff", "/bin/true"] {
        let e = Oasdiff::at(path).expect_err(path).to_string();
        assert!(e.contains(INSTALL_COMMAND), "{e}");
    }
}
