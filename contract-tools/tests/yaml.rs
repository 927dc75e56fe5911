//! serde-saphyr, the YAML crate of contract-tools, on the real document: it
//! reads and writes it without loss, and quotes what a YAML 1.1 reader
//! (PyYAML, js-yaml) would take for a date, a boolean, a number or null. The
//! document generator can use it instead of its own writer (README.md).

mod support;

use serde_json::{json, Value};
use support::*;

/// The options the README recommends: long lines kept whole, not folded.
fn options() -> serde_saphyr::SerializerOptions {
    let mut o = serde_saphyr::SerializerOptions::default();
    o.folded_wrap_chars = usize::MAX;
    o
}

#[test]
fn the_real_document_round_trips() {
    let doc = real();
    let text = serde_saphyr::to_string_with_options(&doc, options()).unwrap();
    let back: Value = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(back, doc);
}

#[test]
fn strings_a_yaml_1_1_reader_would_misread_are_quoted() {
    let doc = json!({"a": "1990-01-15", "b": "2025-11-10T14:30:00Z", "c": "yes", "d": "No",
        "e": "on", "f": "1.0", "g": "0755", "h": "null", "i": "~", "j": "true"});
    let text = serde_saphyr::to_string_with_options(&doc, options()).unwrap();
    for (key, value) in doc.as_object().unwrap() {
        let line = format!("{key}: \"{}\"", value.as_str().unwrap());
        assert!(text.contains(&line), "{line:?} in\n{text}");
    }
}
