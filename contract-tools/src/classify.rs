//! What kind of change oasdiff found, by the project's rules
//! (docs/CONTRACT.md, "Versioning").

use crate::checker::{Entry, Oasdiff};
use crate::document::Document;
use crate::Error;
use serde_json::Value;
use std::fmt;

/// Where the project's rules differ from oasdiff's default severities
/// (`ERR`/`WARN` count as breaking, `INFO` as additive).
const LEVELS: &[(&str, &str)] = &[
    // A route that newly needs a token breaks every client without one.
    ("api-security-added", "ERR"),
    ("api-global-security-added", "ERR"),
    // "A new enum value" is an addition: clients must accept values they do
    // not know (oasdiff warns).
    ("response-property-enum-value-added", "INFO"),
    // "A removed ... enum value" or schema is major even where only the
    // server sends it (oasdiff: info).
    ("response-property-enum-value-removed", "ERR"),
    ("api-schema-removed", "ERR"),
];

/// Top-level keys whose changes never affect the wire (the documentation
/// keys inside the rest are excluded by `Oasdiff::wire_diff`).
const NOT_WIRE_KEYS: [&str; 6] = [
    "info",
    "tags",
    "servers",
    "externalDocs",
    "openapi",
    "components",
];

/// How much a change affects clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// The same document apart from `info.version`.
    Unchanged,
    /// Descriptions, summaries, examples, servers, unused components.
    NoWireEffect,
    Additive,
    Breaking,
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChangeKind::Unchanged => "unchanged",
            ChangeKind::NoWireEffect => "no wire effect",
            ChangeKind::Additive => "additive",
            ChangeKind::Breaking => "breaking",
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Additive,
    /// A wire difference no oasdiff check recognises (a project extension
    /// such as `x-required-capability`, a format, a header): counted as
    /// breaking until a person has looked at it.
    Unclassified,
    Breaking,
}

/// One thing that changed, in oasdiff's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// oasdiff's check id (`response-required-property-removed`), or
    /// `unclassified`.
    pub id: String,
    /// `GET /api/v2/profile/me/`, a bare path, or empty for the document.
    pub endpoint: String,
    pub text: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Breaking => "BREAKING",
            Severity::Additive => "additive",
            Severity::Unclassified => "UNCLASSIFIED (counted as breaking)",
        };
        let at = if self.endpoint.is_empty() {
            String::new()
        } else {
            format!("{}: ", self.endpoint)
        };
        write!(f, "{label}  {at}{} [{}]", self.text, self.id)
    }
}

/// The classified change between two documents.
#[derive(Clone, Debug)]
pub struct Change {
    pub kind: ChangeKind,
    /// Most severe first.
    pub findings: Vec<Finding>,
    /// `oasdiff 1.15.0`, or empty when no checker was needed.
    pub checker: String,
}

impl Change {
    pub fn unchanged() -> Change {
        Change {
            kind: ChangeKind::Unchanged,
            findings: Vec::new(),
            checker: String::new(),
        }
    }
}

/// Runs oasdiff on the two documents and classifies what it finds.
pub fn classify(oasdiff: &Oasdiff, old: &Document, new: &Document) -> Result<Change, Error> {
    let checker = format!("oasdiff {}", oasdiff.version());
    if old.same_wire_and_docs(new) {
        return Ok(Change {
            checker,
            ..Change::unchanged()
        });
    }
    let entries = oasdiff.changelog(old.value(), new.value(), LEVELS)?;
    let mut findings: Vec<Finding> = entries.iter().map(finding).collect();
    let diff = oasdiff.wire_diff(old.value(), new.value())?;
    findings.extend(unclassified(&diff, &entries));
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let kind = match findings.iter().map(|f| f.severity).max() {
        Some(Severity::Breaking | Severity::Unclassified) => ChangeKind::Breaking,
        Some(Severity::Additive) => ChangeKind::Additive,
        None => ChangeKind::NoWireEffect,
    };
    Ok(Change {
        kind,
        findings,
        checker,
    })
}

fn finding(e: &Entry) -> Finding {
    let endpoint = match (&e.operation, &e.path) {
        (Some(m), Some(p)) => format!("{m} {p}"),
        (None, Some(p)) => p.clone(),
        _ => String::new(),
    };
    Finding {
        severity: if e.level >= 2 {
            Severity::Breaking
        } else {
            Severity::Additive
        },
        id: e.id.clone(),
        endpoint,
        text: e.text.clone(),
    }
}

/// Operations (and paths) that the wire diff shows changed but no changelog
/// entry covers; and, when oasdiff recognised nothing at all, any other wire
/// section that changed (global `security`, say).
fn unclassified(diff: &Value, entries: &[Entry]) -> Vec<Finding> {
    let covers = |path: &str, method: Option<&str>| {
        entries.iter().any(|e| {
            e.path.as_deref() == Some(path)
                && method.is_none_or(|m| e.operation.as_deref() == Some(m))
        })
    };
    let mut out = Vec::new();
    let mut push = |endpoint: String, text: String| {
        out.push(Finding {
            severity: Severity::Unclassified,
            id: "unclassified".into(),
            endpoint,
            text,
        })
    };
    let mut additive = Vec::new();
    let paths = &diff["paths"];
    for key in ["added", "deleted"] {
        for path in paths[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !covers(path, None) {
                push(path.to_string(), format!("path {key}"));
            }
        }
    }
    for (path, item) in paths["modified"].as_object().into_iter().flatten() {
        let ops = &item["operations"];
        for key in ["added", "deleted"] {
            for m in ops[key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !covers(path, Some(m)) {
                    push(format!("{m} {path}"), format!("operation {key}"));
                }
            }
        }
        for (m, change) in ops["modified"].as_object().into_iter().flatten() {
            if let Some(headers) = added_response_headers(change) {
                // A header a client does not know is ignored: additive
                // (oasdiff has no check for it).
                additive.push(Finding {
                    severity: Severity::Additive,
                    id: "response-header-added".into(),
                    endpoint: format!("{m} {path}"),
                    text: format!("response headers added: {}", headers.join(", ")),
                });
            } else if !covers(path, Some(m)) {
                push(
                    format!("{m} {path}"),
                    format!("changed: {}", leaves(change)),
                );
            }
        }
        let rest: Vec<_> = item
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| *k != "operations")
            .collect();
        if !rest.is_empty() && !covers(path, None) {
            let what: Vec<String> = rest
                .iter()
                .map(|(k, v)| format!("{k} {}", leaves(v)))
                .collect();
            push(path.clone(), format!("changed: {}", what.join("; ")));
        }
    }
    if entries.is_empty() {
        for (key, v) in diff.as_object().into_iter().flatten() {
            if key != "paths" && !NOT_WIRE_KEYS.contains(&key.as_str()) {
                push(String::new(), format!("`{key}` changed: {}", leaves(v)));
            }
        }
    }
    out.extend(additive);
    out
}

/// `["503 Retry-After", ...]` when an operation's only wire change is
/// response headers added.
fn added_response_headers(change: &Value) -> Option<Vec<String>> {
    let only = |v: &Value, key: &str| -> Option<Value> {
        let m = v.as_object()?;
        (m.len() == 1).then(|| m.get(key).cloned()).flatten()
    };
    let statuses = only(&only(change, "responses")?, "modified")?;
    let mut out = Vec::new();
    for (status, response) in statuses.as_object()? {
        let added = only(&only(response, "headers")?, "added")?;
        for header in added.as_array()? {
            out.push(format!("{status} {}", header.as_str()?));
        }
    }
    (!out.is_empty()).then_some(out)
}

/// A short account of a diff subtree: up to three `where: from -> to` or
/// `where added: x` lines, joined.
fn leaves(v: &Value) -> String {
    fn walk(v: &Value, at: &mut Vec<String>, out: &mut Vec<String>) {
        if out.len() >= 3 {
            return;
        }
        let here = at.join(" ");
        match v {
            Value::Object(m) if m.contains_key("from") || m.contains_key("to") => out.push(
                format!("{here}: {} -> {}", m["from"], m["to"])
                    .trim()
                    .into(),
            ),
            Value::Object(m) => {
                for (k, child) in m {
                    // "modified" is oasdiff's structure, not the document's.
                    let pushed = k != "modified";
                    if pushed {
                        at.push(k.clone());
                    }
                    walk(child, at, out);
                    if pushed {
                        at.pop();
                    }
                }
            }
            Value::Array(items) => {
                let names: Vec<String> = items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                    .collect();
                out.push(format!("{here}: {}", names.join(", ")));
            }
            other => out.push(format!("{here}: {other}")),
        }
    }
    let mut out = Vec::new();
    walk(v, &mut Vec::new(), &mut out);
    out.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(path: &str, method: &str) -> Entry {
        Entry {
            id: "x".into(),
            text: "t".into(),
            level: 1,
            operation: Some(method.into()),
            path: Some(path.into()),
        }
    }

    #[test]
    fn added_response_headers_are_additive_and_nothing_else_is() {
        let headers =
            json!({"responses": {"modified": {"503": {"headers": {"added": ["Retry-After"]}}}}});
        assert_eq!(
            added_response_headers(&headers),
            Some(vec!["503 Retry-After".to_string()])
        );
        let removed =
            json!({"responses": {"modified": {"503": {"headers": {"deleted": ["Retry-After"]}}}}});
        assert_eq!(added_response_headers(&removed), None);
        let more = json!({"responses": {"modified": {"503": {"headers": {"added": ["X"]}, "content": {}}}}});
        assert_eq!(added_response_headers(&more), None);
        let diff =
            json!({"paths": {"modified": {"/a/": {"operations": {"modified": {"GET": headers}}}}}});
        let found = unclassified(&diff, &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Additive);
    }

    #[test]
    fn uncovered_operations_are_unclassified_and_covered_ones_are_not() {
        let diff = json!({"paths": {"modified": {
            "/a/": {"operations": {"modified": {
                "GET": {"extensions": {"added": ["x-required-capability"]}},
                "POST": {"requestBody": {"required": {"from": true, "to": false}}}
            }}}
        }}});
        let found = unclassified(&diff, &[entry("/a/", "POST")]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].endpoint, "GET /a/");
        assert!(
            found[0]
                .text
                .contains("extensions added: x-required-capability"),
            "{found:?}"
        );
    }

    #[test]
    fn other_sections_count_only_when_nothing_was_recognised() {
        let diff = json!({"security": {"added": ["bearerAuth"]}, "info": {"version": {"from": "1", "to": "2"}}, "components": {}});
        let found = unclassified(&diff, &[]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].text.starts_with("`security` changed"));
        assert!(unclassified(&diff, &[entry("/a/", "GET")]).is_empty());
    }
}
