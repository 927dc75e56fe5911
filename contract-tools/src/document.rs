//! An OpenAPI document read from YAML or JSON text.

use crate::Error;
use serde_json::Value;

/// A parsed document; `which` ("old", "new") names it in errors.
#[derive(Clone, Debug)]
pub struct Document {
    which: &'static str,
    value: Value,
}

impl Document {
    /// Reads YAML (JSON is YAML) with serde-saphyr, whose default budget
    /// refuses alias bombs and over-deep nesting: an error, never a panic.
    pub fn parse(which: &'static str, text: &str) -> Result<Document, Error> {
        let value: Value = serde_saphyr::from_str(text).map_err(|e| Error::Document {
            which,
            message: e.to_string(),
        })?;
        if !value.is_object() {
            return Err(Error::Document {
                which,
                message: "the top level is not a mapping".into(),
            });
        }
        Ok(Document { which, value })
    }

    pub fn from_value(which: &'static str, value: Value) -> Document {
        Document { which, value }
    }

    pub fn value(&self) -> &Value {
        &self.value
    }

    /// `info.version` as a semantic version.
    pub fn version(&self) -> Result<semver::Version, Error> {
        let found = &self.value["info"]["version"];
        found
            .as_str()
            .and_then(|s| semver::Version::parse(s).ok())
            .ok_or_else(|| Error::Version {
                which: self.which,
                found: found.to_string(),
            })
    }

    /// The same document apart from `info.version` (and YAML spelling).
    pub fn same_wire_and_docs(&self, other: &Document) -> bool {
        without_version(&self.value) == without_version(&other.value)
    }
}

fn without_version(doc: &Value) -> Value {
    let mut doc = doc.clone();
    if let Some(info) = doc.get_mut("info").and_then(Value::as_object_mut) {
        info.remove("version");
    }
    doc
}
