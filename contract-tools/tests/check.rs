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

    let report = check(&old, &new, "## 1.0.0\n").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.needed, Needed::Major);
    assert!(!report.ok());
    println!("{report}");
    assert_eq!(
        report.suggested_version().map(|v| v.to_string()),
        Some("2.0.0".into())
    );
    let printed = report.to_string();
    for needle in [
        "change: breaking (by oasdiff 1.15.0); it needs a major version bump",
        "BREAKING  GET /api/v2/profile/completion-status/: removed the required property `can_skip_onboarding`",
        "NOT OK: a breaking change needs a major version bump: the version must go from 1.0.0 to 2.0.0 or later (it is 1.0.0)",
    ] {
        assert!(printed.contains(needle), "{needle:?} in\n{printed}");
    }

    doc["info"]["version"] = json!("2.0.0");
    let bumped = serde_saphyr::to_string(&doc).unwrap();
    let report = check(&old, &bumped, "## 1.0.0\n").unwrap();
    assert!(
        !report.ok() && report.to_string().contains("no `## 2.0.0` entry"),
        "{report}"
    );
    let report = check(
        &old,
        &bumped,
        "# Changelog\n\n## 2.0.0\n\n- gone\n\n## 1.0.0\n",
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
