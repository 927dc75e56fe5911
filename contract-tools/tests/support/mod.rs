//! Shared by the tests: the real document, the checker, document edits.
#![allow(dead_code)] // each test crate uses its own subset

use contract_tools::{Document, Oasdiff, Version};
use serde_json::Value;
use std::path::Path;

/// The committed openapi.yaml at the workspace root, as text.
pub fn real_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi.yaml");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn real() -> Value {
    Document::parse("old", &real_text())
        .unwrap_or_else(|e| panic!("{e}"))
        .value()
        .clone()
}

/// The installed oasdiff; a failure names the installer (no silent pass).
pub fn checker() -> Oasdiff {
    Oasdiff::installed()
        .unwrap_or_else(|e| panic!("the contract-tools tests need the checker: {e}"))
}

pub fn version_of(doc: &Value) -> Version {
    Version::parse(doc["info"]["version"].as_str().expect("info.version")).expect("semver")
}

/// A changelog whose newest entry is `top`, above the document's 1.0.0.
pub fn changelog_with(top: &Version) -> String {
    format!("# Contract changelog\n\n## {top}\n\n- the change\n\n## 1.0.0\n\n- first\n")
}

pub fn schema<'a>(doc: &'a mut Value, name: &str) -> &'a mut Value {
    let s = &mut doc["components"]["schemas"][name];
    assert!(s.is_object(), "schema {name} exists");
    s
}

pub fn operation<'a>(doc: &'a mut Value, path: &str, method: &str) -> &'a mut Value {
    let op = &mut doc["paths"][path][method];
    assert!(op.is_object(), "{method} {path} exists");
    op
}

/// Removes `prop` from a component schema (and from its `required`).
pub fn remove_property(doc: &mut Value, name: &str, prop: &str) -> Value {
    let s = schema(doc, name);
    let removed = s["properties"]
        .as_object_mut()
        .and_then(|p| p.shift_remove(prop))
        .unwrap_or_else(|| panic!("{name}.{prop} exists"));
    if let Some(req) = s["required"].as_array_mut() {
        req.retain(|r| r != prop);
    }
    removed
}

/// Renames a property, keeping it required if it was.
pub fn rename_property(doc: &mut Value, name: &str, old: &str, new: &str) {
    let was_required = schema(doc, name)["required"]
        .as_array()
        .is_some_and(|r| r.iter().any(|x| x == old));
    let value = remove_property(doc, name, old);
    let s = schema(doc, name);
    s["properties"][new] = value;
    if was_required {
        s["required"].as_array_mut().unwrap().push(new.into());
    }
}

pub fn require(doc: &mut Value, name: &str, prop: &str) {
    schema(doc, name)["required"]
        .as_array_mut()
        .expect("a required list")
        .push(prop.into());
}

pub fn enum_values<'a>(doc: &'a mut Value, name: &str) -> &'a mut Vec<Value> {
    schema(doc, name)["enum"].as_array_mut().expect("an enum")
}
