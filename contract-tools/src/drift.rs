//! Contract drift: which version bump a change of the OpenAPI document needs.
//!
//! [`classify`] compares two OpenAPI 3.1 documents as JSON (the committed
//! `openapi.yaml`, "old", and the one the code generates, "new") and lists
//! every change with the bump it needs; [`judge`] checks `info.version` of the
//! new document against that. [`line_diff`] renders the textual difference
//! and [`check_changelog`] checks `CONTRACT_CHANGELOG.md`. The drift test
//! (`tests/api/contract_drift.rs`) and `cargo run -p infra --bin openapi` use
//! them.
//!
//! The rules (semver; docs/CONTRACT.md "Versioning" says the same):
//!
//! - **major**: a removed path or method, a removed property, a renamed
//!   property (a removal plus an addition), a changed type or format, a
//!   removed enum value, a removed schema, a route that newly needs a token or
//!   a capability, a response property that may now be `null` or absent, a
//!   request property that is newly required or no longer accepts `null`, any
//!   other request constraint made stricter (or response guarantee made
//!   looser).
//! - **minor**: a new path or method, a new schema, a new optional request
//!   property, a new response property (clients must ignore keys they do not
//!   know), a new enum value, a new response status, a changed `default`, a
//!   request constraint made looser or a response guarantee made stricter.
//! - **patch** (no bump required): descriptions, summaries and examples.
//!
//! Schemas are judged by where they are used: a component referenced from a
//! request body is a request schema (clients write it), one referenced from a
//! response is a response schema (clients read it); one used by both is
//! judged both ways.

use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// How much of the version a change needs bumped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Documentation only: no bump needed.
    Patch,
    Minor,
    Major,
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::Patch => "DOCS",
            Bump::Minor => "MINOR",
            Bump::Major => "MAJOR",
        })
    }
}

/// One difference between the documents.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub bump: Bump,
    /// Where: `POST /api/v2/auth/login/ ...` or `schema Name (request) .a.b`.
    pub location: String,
    pub what: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<5}  {}: {}", self.bump, self.location, self.what)
    }
}

/// A `MAJOR.MINOR.PATCH` version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    pub fn parse(s: &str) -> Option<Version> {
        let mut parts = s.trim().split('.');
        let mut next = || -> Option<u64> {
            let p = parts.next()?;
            if p.is_empty()
                || !p.bytes().all(|b| b.is_ascii_digit())
                || (p.len() > 1 && p.starts_with('0'))
            {
                return None;
            }
            p.parse().ok()
        };
        let v = Version {
            major: next()?,
            minor: next()?,
            patch: next()?,
        };
        parts.next().is_none().then_some(v)
    }

    /// The smallest version after `self` that satisfies `bump`.
    pub fn bumped(self, bump: Bump) -> Version {
        match bump {
            Bump::Major => Version {
                major: self.major + 1,
                minor: 0,
                patch: 0,
            },
            Bump::Minor => Version {
                major: self.major,
                minor: self.minor + 1,
                patch: 0,
            },
            Bump::Patch => self,
        }
    }

    /// Whether going from `old` to `self` is at least `bump`.
    pub fn satisfies(self, old: Version, bump: Bump) -> bool {
        match bump {
            Bump::Major => self.major > old.major,
            Bump::Minor => (self.major, self.minor) > (old.major, old.minor),
            Bump::Patch => self >= old,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Dir {
    Request,
    Response,
}

impl Dir {
    fn label(self) -> &'static str {
        match self {
            Dir::Request => "request",
            Dir::Response => "response",
        }
    }
    /// A constraint got stricter: breaks writers (request), not readers.
    fn stricter(self) -> Bump {
        match self {
            Dir::Request => Bump::Major,
            Dir::Response => Bump::Minor,
        }
    }
    /// A constraint got looser: breaks readers (response), not writers.
    fn looser(self) -> Bump {
        match self {
            Dir::Request => Bump::Minor,
            Dir::Response => Bump::Major,
        }
    }
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Every wire-relevant difference from `old` to `new`, sorted, most severe
/// first. Differences in descriptions and examples alone give one `Patch`
/// entry; identical documents (apart from `info.version`) give none.
pub fn classify(old: &Value, new: &Value) -> Vec<Change> {
    let mut cx = Cx {
        old,
        new,
        changes: BTreeSet::new(),
        visiting: BTreeSet::new(),
    };
    cx.operations();
    cx.components();
    let mut changes: Vec<Change> = cx.changes.into_iter().collect();
    if changes.is_empty() {
        // Nothing the rules know about: either only documentation changed, or
        // something the rules do not cover, which is treated as breaking
        // until a person has looked at it (and the rules learn it).
        let (o, n) = (
            canonical(&strip_docs(&wire_part(old))),
            canonical(&strip_docs(&wire_part(new))),
        );
        if o != n {
            let mut at = Vec::new();
            differing_paths(&o, &n, "", &mut at);
            changes.push(Change {
                bump: Bump::Major,
                location: at.join(", "),
                what: "a change these rules do not classify: treated as major; review it \
                       (and teach functions/src/openapi/drift.rs)"
                    .into(),
            });
        } else if without_version(old) != without_version(new) {
            changes.push(Change {
                bump: Bump::Patch,
                location: "document".into(),
                what: "descriptions, summaries or examples changed (no wire change)".into(),
            });
        }
    }
    changes.sort_by(|a, b| b.bump.cmp(&a.bump).then_with(|| a.cmp(b)));
    changes
}

/// The parts of a document that describe the wire: paths and components.
fn wire_part(doc: &Value) -> Value {
    serde_json::json!({"paths": doc["paths"], "components": doc["components"], "security": doc["security"]})
}

/// One spelling for "nullable": `type: [T, "null"]` and `oneOf: [{type: null}, S]`
/// both become `S` plus `"nullable": true`.
fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            for key in ["oneOf", "anyOf"] {
                if let Some(members) = m.get(key).and_then(Value::as_array) {
                    let (nulls, others): (Vec<&Value>, Vec<&Value>) =
                        members.iter().partition(|x| is_null_schema(x));
                    if !nulls.is_empty() && others.len() == 1 {
                        let mut out = canonical(others[0]);
                        if let Value::Object(o) = &mut out {
                            for (k, v) in m.iter().filter(|(k, _)| *k != key) {
                                o.entry(k.clone()).or_insert_with(|| canonical(v));
                            }
                            o.insert("nullable".into(), Value::Bool(true));
                        }
                        return out;
                    }
                }
            }
            let mut out: Map<String, Value> =
                m.iter().map(|(k, v)| (k.clone(), canonical(v))).collect();
            if let Some(Value::Array(types)) = m.get("type") {
                if types.iter().any(|t| t == "null") {
                    let rest: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
                    let t = match rest.as_slice() {
                        [one] => one.clone(),
                        _ => Value::Array(rest),
                    };
                    out.insert("type".into(), t);
                    out.insert("nullable".into(), Value::Bool(true));
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// JSON paths (at most 5) where `a` and `b` differ.
fn differing_paths(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    if out.len() >= 5 || a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let (va, vb) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                differing_paths(va, vb, &format!("{path}/{k}"), out);
            }
        }
        _ => out.push(if path.is_empty() {
            "/".into()
        } else {
            path.into()
        }),
    }
}

fn without_version(doc: &Value) -> Value {
    let mut doc = doc.clone();
    if let Some(info) = doc.get_mut("info").and_then(Value::as_object_mut) {
        info.remove("version");
    }
    doc
}

/// The outcome of comparing the committed document with the generated one.
#[derive(Debug)]
pub struct Verdict {
    pub old_version: String,
    pub new_version: String,
    pub changes: Vec<Change>,
    /// The largest bump the changes need; `None` when nothing changed.
    pub required: Option<Bump>,
    /// Why `new_version` is not acceptable; empty when it is.
    pub problems: Vec<String>,
}

impl Verdict {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

fn info_version(doc: &Value) -> String {
    doc["info"]["version"].as_str().unwrap_or("").to_string()
}

/// Classifies the changes and checks that the version went up enough.
pub fn judge(old: &Value, new: &Value) -> Verdict {
    let changes = classify(old, new);
    let required = changes.iter().map(|c| c.bump).max();
    let old_version = info_version(old);
    let new_version = info_version(new);
    let mut problems = Vec::new();
    match (Version::parse(&old_version), Version::parse(&new_version)) {
        (Some(o), Some(n)) => {
            if n < o {
                problems.push(format!("the version went backwards: {o} -> {n}"));
            } else if let Some(bump) = required {
                if !n.satisfies(o, bump) {
                    problems.push(format!(
                        "these changes need a {} version bump: CONTRACT_VERSION must go from {o} to {} or later (it is {n})",
                        bump.to_string().to_lowercase(),
                        o.bumped(bump)
                    ));
                }
            }
        }
        (o, n) => {
            if o.is_none() {
                problems.push(format!(
                    "old info.version {old_version:?} is not MAJOR.MINOR.PATCH"
                ));
            }
            if n.is_none() {
                problems.push(format!(
                    "new info.version {new_version:?} is not MAJOR.MINOR.PATCH"
                ));
            }
        }
    }
    Verdict {
        old_version,
        new_version,
        changes,
        required,
        problems,
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "contract version: {} (committed) -> {} (code)",
            self.old_version, self.new_version
        )?;
        if self.changes.is_empty() {
            writeln!(f, "no changes")?;
        } else {
            writeln!(f, "changes, with the bump each needs:")?;
            for c in &self.changes {
                writeln!(f, "  {c}")?;
            }
        }
        for p in &self.problems {
            writeln!(f, "NOT OK: {p}")?;
        }
        if self.ok() {
            match self.required {
                Some(Bump::Major | Bump::Minor) => {
                    writeln!(f, "the version bump is sufficient")?;
                }
                Some(Bump::Patch) => writeln!(f, "no version bump needed")?,
                None => {}
            }
        }
        Ok(())
    }
}

struct Cx<'a> {
    old: &'a Value,
    new: &'a Value,
    changes: BTreeSet<Change>,
    /// (old schema name, new schema name, direction) being compared.
    visiting: BTreeSet<(String, String, Dir)>,
}

fn operations(doc: &Value) -> BTreeMap<(String, String), &Value> {
    let mut out = BTreeMap::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            for m in METHODS {
                if let Some(op) = item.get(m) {
                    out.insert((path.clone(), m.to_string()), op);
                }
            }
        }
    }
    out
}

fn op_label(key: &(String, String)) -> String {
    format!("{} {}", key.1.to_uppercase(), key.0)
}

/// Whether an operation needs credentials (its own `security`, else the
/// document's): some requirement is listed and none of the alternatives is
/// the empty one (`{}`, "anonymous is fine").
fn needs_auth(doc: &Value, op: &Value) -> bool {
    let security = op.get("security").unwrap_or(&doc["security"]);
    security.as_array().is_some_and(|s| {
        !s.is_empty()
            && s.iter()
                .all(|req| req.as_object().is_some_and(|m| !m.is_empty()))
    })
}

fn schema_name(reference: &str) -> Option<&str> {
    reference.strip_prefix(SCHEMA_PREFIX)
}

/// Component schema names referenced (transitively) from `v`.
fn referenced(doc: &Value, v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(name) = m.get("$ref").and_then(Value::as_str).and_then(schema_name) {
                if out.insert(name.to_string()) {
                    referenced(doc, &doc["components"]["schemas"][name], out);
                }
            }
            m.values().for_each(|v| referenced(doc, v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| referenced(doc, v, out)),
        _ => {}
    }
}

/// For each component schema, whether requests or responses use it.
fn usage(doc: &Value) -> BTreeMap<String, BTreeSet<Dir>> {
    let mut out: BTreeMap<String, BTreeSet<Dir>> = BTreeMap::new();
    for op in operations(doc).values() {
        let mut req = BTreeSet::new();
        referenced(doc, &op["requestBody"], &mut req);
        referenced(doc, &op["parameters"], &mut req);
        let mut res = BTreeSet::new();
        referenced(doc, &op["responses"], &mut res);
        for name in req {
            out.entry(name).or_default().insert(Dir::Request);
        }
        for name in res {
            out.entry(name).or_default().insert(Dir::Response);
        }
    }
    out
}

/// A schema with its nullability split off and `$ref`s followed.
struct Norm<'a> {
    nullable: bool,
    /// The component the schema is (after following `$ref`s), if any.
    name: Option<String>,
    core: &'a Value,
}

fn is_null_schema(v: &Value) -> bool {
    v.get("type") == Some(&Value::String("null".into()))
        || v.get("const") == Some(&Value::Null)
        || v.get("enum") == Some(&Value::Array(vec![Value::Null]))
}

fn normalize<'a>(doc: &'a Value, schema: &'a Value) -> Norm<'a> {
    let mut nullable = false;
    let mut name = None;
    let mut core = schema;
    for _ in 0..32 {
        if let Some(r) = core.get("$ref").and_then(Value::as_str) {
            match schema_name(r) {
                Some(n) => {
                    name = Some(n.to_string());
                    core = &doc["components"]["schemas"][n];
                    continue;
                }
                None => break,
            }
        }
        let mut unwrapped = false;
        for key in ["oneOf", "anyOf"] {
            if let Some(members) = core.get(key).and_then(Value::as_array) {
                let (nulls, others): (Vec<&Value>, Vec<&Value>) =
                    members.iter().partition(|m| is_null_schema(m));
                if !nulls.is_empty() && others.len() == 1 {
                    nullable = true;
                    core = others[0];
                    unwrapped = true;
                    break;
                }
            }
        }
        if !unwrapped {
            break;
        }
    }
    if let Some(types) = core.get("type").and_then(Value::as_array) {
        nullable |= types.iter().any(|t| t == "null");
    }
    if let Some(values) = core.get("enum").and_then(Value::as_array) {
        nullable |= values.iter().any(Value::is_null);
    }
    Norm {
        nullable,
        name,
        core,
    }
}

fn types(schema: &Value) -> BTreeSet<String> {
    match schema.get("type") {
        Some(Value::String(t)) if t != "null" => BTreeSet::from([t.clone()]),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .map(str::to_string)
            .collect(),
        _ => BTreeSet::new(),
    }
}

/// Every type in `narrow` is allowed by `wide` (a number allows an integer).
fn covers(wide: &BTreeSet<String>, narrow: &BTreeSet<String>) -> bool {
    narrow
        .iter()
        .all(|t| wide.contains(t) || (t == "integer" && wide.contains("number")))
}

fn fmt_types(t: &BTreeSet<String>) -> String {
    t.iter().cloned().collect::<Vec<_>>().join("|")
}

fn enum_values(schema: &Value) -> Option<Vec<&Value>> {
    schema
        .get("enum")
        .and_then(Value::as_array)
        .map(|vs| vs.iter().filter(|v| !v.is_null()).collect())
}

fn required_set(schema: &Value) -> BTreeSet<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn empty_map() -> &'static Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Map::new)
}

/// Constraints where a larger value is stricter (`true`) or looser (`false`).
const BOUNDS: [(&str, bool); 8] = [
    ("minimum", true),
    ("exclusiveMinimum", true),
    ("minLength", true),
    ("minItems", true),
    ("maximum", false),
    ("exclusiveMaximum", false),
    ("maxLength", false),
    ("maxItems", false),
];

impl Cx<'_> {
    fn push(&mut self, bump: Bump, location: impl Into<String>, what: impl Into<String>) {
        self.changes.insert(Change {
            bump,
            location: location.into(),
            what: what.into(),
        });
    }

    fn operations(&mut self) {
        let old_ops = operations(self.old);
        let new_ops = operations(self.new);
        let old_paths: BTreeSet<&String> = old_ops.keys().map(|k| &k.0).collect();
        let new_paths: BTreeSet<&String> = new_ops.keys().map(|k| &k.0).collect();
        for key in old_ops.keys().filter(|k| !new_ops.contains_key(*k)) {
            let what = if new_paths.contains(&key.0) {
                "removed method"
            } else {
                "removed path"
            };
            self.push(Bump::Major, op_label(key), what);
        }
        for key in new_ops.keys().filter(|k| !old_ops.contains_key(*k)) {
            let what = if old_paths.contains(&key.0) {
                "new method"
            } else {
                "new path"
            };
            self.push(Bump::Minor, op_label(key), what);
        }
        for (key, old_op) in &old_ops {
            if let Some(new_op) = new_ops.get(key) {
                self.operation(&op_label(key), old_op, new_op);
            }
        }
    }

    fn operation(&mut self, loc: &str, o: &Value, n: &Value) {
        match (needs_auth(self.old, o), needs_auth(self.new, n)) {
            (false, true) => self.push(Bump::Major, loc, "now needs authentication"),
            (true, false) => self.push(Bump::Minor, loc, "no longer needs authentication"),
            _ => {}
        }
        let cap = |op: &Value| {
            op.get(functions::docs::CAPABILITY_EXTENSION)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        match (cap(o), cap(n)) {
            (None, Some(c)) => self.push(Bump::Major, loc, format!("now needs capability {c}")),
            (Some(a), Some(b)) if a != b => self.push(
                Bump::Major,
                loc,
                format!("needs capability {b} instead of {a}"),
            ),
            (Some(c), None) => {
                self.push(Bump::Minor, loc, format!("no longer needs capability {c}"))
            }
            _ => {}
        }
        self.parameters(loc, o, n);
        self.request_body(loc, &o["requestBody"], &n["requestBody"]);
        self.responses(loc, &o["responses"], &n["responses"]);
    }

    fn parameters(&mut self, loc: &str, o: &Value, n: &Value) {
        let params = |op: &Value| -> BTreeMap<(String, String), Value> {
            op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .map(|p| {
                            (
                                (
                                    p["in"].as_str().unwrap_or("").to_string(),
                                    p["name"].as_str().unwrap_or("").to_string(),
                                ),
                                p.clone(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let (old_params, new_params) = (params(o), params(n));
        for (key, p) in &new_params {
            let label = format!("{loc} {} parameter `{}`", key.0, key.1);
            let required = p["required"].as_bool().unwrap_or(false);
            match old_params.get(key) {
                None if required => self.push(Bump::Major, label, "new required parameter"),
                None => self.push(Bump::Minor, label, "new optional parameter"),
                Some(old) => {
                    if required && !old["required"].as_bool().unwrap_or(false) {
                        self.push(Bump::Major, label.clone(), "parameter is now required");
                    }
                    self.schema(&label, &old["schema"], &p["schema"], Dir::Request);
                }
            }
        }
        for key in old_params.keys().filter(|k| !new_params.contains_key(*k)) {
            self.push(
                Bump::Minor,
                format!("{loc} {} parameter `{}`", key.0, key.1),
                "parameter no longer documented",
            );
        }
    }

    fn request_body(&mut self, loc: &str, o: &Value, n: &Value) {
        let loc = format!("{loc} request body");
        let required = |b: &Value| b["required"].as_bool().unwrap_or(false);
        match (o.is_object(), n.is_object()) {
            (false, false) => return,
            (false, true) => {
                let bump = if required(n) {
                    Bump::Major
                } else {
                    Bump::Minor
                };
                self.push(bump, loc, "new request body");
                return;
            }
            (true, false) => {
                self.push(Bump::Major, loc, "request body removed");
                return;
            }
            (true, true) => {}
        }
        match (required(o), required(n)) {
            (false, true) => self.push(Bump::Major, loc.clone(), "request body is now required"),
            (true, false) => self.push(Bump::Minor, loc.clone(), "request body is now optional"),
            _ => {}
        }
        self.content(&loc, &o["content"], &n["content"], Dir::Request);
    }

    fn responses(&mut self, loc: &str, o: &Value, n: &Value) {
        let empty = empty_map();
        let (old_r, new_r) = (
            o.as_object().unwrap_or(empty),
            n.as_object().unwrap_or(empty),
        );
        for (status, old) in old_r {
            let label = format!("{loc} response {status}");
            match new_r.get(status) {
                None if status.starts_with('2') => {
                    self.push(Bump::Major, label, "success response removed")
                }
                None => self.push(Bump::Minor, label, "response no longer documented"),
                Some(new) => self.content(&label, &old["content"], &new["content"], Dir::Response),
            }
        }
        for status in new_r.keys().filter(|s| !old_r.contains_key(*s)) {
            self.push(
                Bump::Minor,
                format!("{loc} response {status}"),
                "new response status",
            );
        }
    }

    fn content(&mut self, loc: &str, o: &Value, n: &Value, dir: Dir) {
        let empty = empty_map();
        let (old_c, new_c) = (
            o.as_object().unwrap_or(empty),
            n.as_object().unwrap_or(empty),
        );
        for (media, old) in old_c {
            match new_c.get(media) {
                None => self.push(Bump::Major, loc, format!("media type {media} removed")),
                Some(new) => self.schema(loc, &old["schema"], &new["schema"], dir),
            }
        }
        for media in new_c.keys().filter(|m| !old_c.contains_key(*m)) {
            self.push(Bump::Minor, loc, format!("new media type {media}"));
        }
    }

    fn components(&mut self) {
        let empty = empty_map();
        let old_s = self.old["components"]["schemas"]
            .as_object()
            .unwrap_or(empty);
        let new_s = self.new["components"]["schemas"]
            .as_object()
            .unwrap_or(empty);
        for name in old_s.keys().filter(|k| !new_s.contains_key(*k)) {
            self.push(Bump::Major, format!("schema {name}"), "removed schema");
        }
        for name in new_s.keys().filter(|k| !old_s.contains_key(*k)) {
            self.push(Bump::Minor, format!("schema {name}"), "new schema");
        }
        let (old_use, new_use) = (usage(self.old), usage(self.new));
        for (name, old) in old_s {
            let Some(new) = new_s.get(name) else {
                continue;
            };
            let mut dirs: BTreeSet<Dir> = BTreeSet::new();
            dirs.extend(old_use.get(name).into_iter().flatten());
            dirs.extend(new_use.get(name).into_iter().flatten());
            if dirs.is_empty() {
                dirs = BTreeSet::from([Dir::Request, Dir::Response]);
            }
            for dir in dirs {
                let loc = format!("schema {name} ({})", dir.label());
                self.schema_body(&loc, old, new, dir);
            }
        }
        let old_sec = self.old["components"]["securitySchemes"]
            .as_object()
            .unwrap_or(empty);
        let new_sec = self.new["components"]["securitySchemes"]
            .as_object()
            .unwrap_or(empty);
        for (name, old) in old_sec {
            match new_sec.get(name) {
                None => self.push(Bump::Major, format!("security scheme {name}"), "removed"),
                Some(new) if strip_docs(old) != strip_docs(new) => {
                    self.push(Bump::Major, format!("security scheme {name}"), "changed")
                }
                _ => {}
            }
        }
        for name in new_sec.keys().filter(|k| !old_sec.contains_key(*k)) {
            self.push(Bump::Minor, format!("security scheme {name}"), "new");
        }
    }

    /// Compares two schemas found at the same place. A `$ref` to the same
    /// component on both sides is left to the comparison of components.
    fn schema(&mut self, loc: &str, o: &Value, n: &Value, dir: Dir) {
        if o.is_null() && n.is_null() {
            return;
        }
        let (on, nn) = (normalize(self.old, o), normalize(self.new, n));
        self.nullability(loc, on.nullable, nn.nullable, dir);
        match (&on.name, &nn.name) {
            (Some(a), Some(b)) if a == b => {}
            (a, b) => {
                let key = (
                    a.clone().unwrap_or_default(),
                    b.clone().unwrap_or_default(),
                    dir,
                );
                if (a.is_some() || b.is_some()) && !self.visiting.insert(key.clone()) {
                    return;
                }
                self.core(loc, on.core, nn.core, dir);
                self.visiting.remove(&key);
            }
        }
    }

    /// Compares two component schemas themselves (their nullability included).
    fn schema_body(&mut self, loc: &str, o: &Value, n: &Value, dir: Dir) {
        let (on, nn) = (normalize(self.old, o), normalize(self.new, n));
        self.nullability(loc, on.nullable, nn.nullable, dir);
        self.core(loc, on.core, nn.core, dir);
    }

    fn nullability(&mut self, loc: &str, old: bool, new: bool, dir: Dir) {
        match (old, new) {
            (false, true) => self.push(
                dir.looser(),
                loc,
                match dir {
                    Dir::Response => "may now be null",
                    Dir::Request => "now accepts null",
                },
            ),
            (true, false) => self.push(
                dir.stricter(),
                loc,
                match dir {
                    Dir::Response => "is no longer null",
                    Dir::Request => "no longer accepts null",
                },
            ),
            _ => {}
        }
    }

    fn core(&mut self, loc: &str, o: &Value, n: &Value, dir: Dir) {
        let (ot, nt) = (types(o), types(n));
        if ot != nt {
            match (ot.is_empty(), nt.is_empty()) {
                (true, false) => self.push(
                    dir.stricter(),
                    loc,
                    format!("type restricted to {}", fmt_types(&nt)),
                ),
                (false, true) => self.push(
                    dir.looser(),
                    loc,
                    format!("type {} no longer specified", fmt_types(&ot)),
                ),
                _ if dir == Dir::Request && covers(&nt, &ot) => self.push(
                    Bump::Minor,
                    loc,
                    format!(
                        "accepts more types: {} -> {}",
                        fmt_types(&ot),
                        fmt_types(&nt)
                    ),
                ),
                _ => {
                    self.push(
                        Bump::Major,
                        loc,
                        format!("type changed: {} -> {}", fmt_types(&ot), fmt_types(&nt)),
                    );
                    return;
                }
            }
        }
        self.format(loc, o, n, dir);
        self.enums(loc, o, n, dir);
        self.bounds(loc, o, n, dir);
        if o.get("default") != n.get("default") {
            self.push(Bump::Minor, loc, "default changed");
        }
        for key in ["oneOf", "anyOf", "allOf", "not", "const"] {
            if o.get(key).map(strip_docs) != n.get(key).map(strip_docs) {
                self.push(Bump::Major, loc, format!("`{key}` changed"));
            }
        }
        self.properties(loc, o, n, dir);
        self.additional(loc, o, n, dir);
        if o.get("items").is_some() || n.get("items").is_some() {
            self.schema(
                &format!("{loc}[]"),
                o.get("items").unwrap_or(&Value::Null),
                n.get("items").unwrap_or(&Value::Null),
                dir,
            );
        }
    }

    fn format(&mut self, loc: &str, o: &Value, n: &Value, dir: Dir) {
        match (o.get("format"), n.get("format")) {
            (Some(a), Some(b)) if a != b => {
                self.push(Bump::Major, loc, format!("format changed: {a} -> {b}"))
            }
            (None, Some(b)) => self.push(dir.stricter(), loc, format!("format {b} added")),
            (Some(a), None) => self.push(dir.looser(), loc, format!("format {a} removed")),
            _ => {}
        }
    }

    fn enums(&mut self, loc: &str, o: &Value, n: &Value, dir: Dir) {
        match (enum_values(o), enum_values(n)) {
            (Some(a), Some(b)) => {
                let removed: Vec<String> = a
                    .iter()
                    .filter(|v| !b.contains(v))
                    .map(|v| v.to_string())
                    .collect();
                let added: Vec<String> = b
                    .iter()
                    .filter(|v| !a.contains(v))
                    .map(|v| v.to_string())
                    .collect();
                if !removed.is_empty() {
                    self.push(
                        Bump::Major,
                        loc,
                        format!("removed enum value(s) {}", removed.join(", ")),
                    );
                }
                if !added.is_empty() {
                    self.push(
                        Bump::Minor,
                        loc,
                        format!("new enum value(s) {}", added.join(", ")),
                    );
                }
            }
            (None, Some(_)) => self.push(dir.stricter(), loc, "now restricted to an enum"),
            (Some(_), None) => self.push(dir.looser(), loc, "no longer restricted to an enum"),
            (None, None) => {}
        }
    }

    fn bounds(&mut self, loc: &str, o: &Value, n: &Value, dir: Dir) {
        for (key, larger_is_stricter) in BOUNDS {
            let (a, b) = (
                o.get(key).and_then(Value::as_f64),
                n.get(key).and_then(Value::as_f64),
            );
            let stricter = match (a, b) {
                (Some(a), Some(b)) if a == b => continue,
                (Some(a), Some(b)) => (b > a) == larger_is_stricter,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (None, None) => continue,
            };
            let bump = if stricter {
                dir.stricter()
            } else {
                dir.looser()
            };
            self.push(bump, loc, format!("`{key}` changed: {a:?} -> {b:?}"));
        }
        match (o.get("pattern"), n.get("pattern")) {
            (a, b) if a == b => {}
            (_, Some(b)) => self.push(dir.stricter(), loc, format!("pattern changed to {b}")),
            (Some(_), None) => self.push(dir.looser(), loc, "pattern removed"),
            _ => {}
        }
    }

    fn properties(&mut self, loc: &str, o: &Value, n: &Value, dir: Dir) {
        let empty = empty_map();
        let old_p = o["properties"].as_object().unwrap_or(empty);
        let new_p = n["properties"].as_object().unwrap_or(empty);
        let (old_req, new_req) = (required_set(o), required_set(n));
        let added: Vec<&String> = new_p.keys().filter(|k| !old_p.contains_key(*k)).collect();
        let removed: Vec<&String> = old_p.keys().filter(|k| !new_p.contains_key(*k)).collect();
        for name in &removed {
            let hint = match added.as_slice() {
                [only] if removed.len() == 1 => format!(" (renamed to `{only}`?)"),
                _ => String::new(),
            };
            self.push(Bump::Major, loc, format!("removed property `{name}`{hint}"));
        }
        for name in &added {
            let (bump, what) = match (new_req.contains(*name), dir) {
                (true, Dir::Request) => (Bump::Major, "new required property"),
                (true, Dir::Response) => (Bump::Minor, "new property"),
                (false, _) => (Bump::Minor, "new optional property"),
            };
            self.push(bump, loc, format!("{what} `{name}`"));
        }
        for (name, old) in old_p {
            let Some(new) = new_p.get(name) else {
                continue;
            };
            let ploc = format!("{loc} .{name}");
            match (old_req.contains(name), new_req.contains(name)) {
                (false, true) => self.push(
                    dir.stricter(),
                    ploc.clone(),
                    match dir {
                        Dir::Request => "property is newly required",
                        Dir::Response => "property is now always present",
                    },
                ),
                (true, false) => self.push(
                    dir.looser(),
                    ploc.clone(),
                    match dir {
                        Dir::Request => "property is no longer required",
                        Dir::Response => "property may now be absent",
                    },
                ),
                _ => {}
            }
            self.schema(&ploc, old, new, dir);
        }
    }

    fn additional(&mut self, loc: &str, o: &Value, n: &Value, dir: Dir) {
        let (a, b) = (o.get("additionalProperties"), n.get("additionalProperties"));
        let allows = |v: Option<&Value>| v != Some(&Value::Bool(false));
        match (a, b) {
            (Some(a), Some(b)) if a.is_object() && b.is_object() => {
                self.schema(&format!("{loc} {{*}}"), a, b, dir)
            }
            _ if allows(a) && !allows(b) => {
                self.push(dir.stricter(), loc, "no longer allows other properties")
            }
            _ if !allows(a) && allows(b) => {
                self.push(dir.looser(), loc, "now allows other properties")
            }
            _ => {}
        }
    }
}

/// A value without its documentation keys, for "did anything else change".
fn strip_docs(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| {
                    !matches!(
                        k.as_str(),
                        "description" | "summary" | "title" | "example" | "examples"
                    )
                })
                .map(|(k, v)| (k.clone(), strip_docs(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip_docs).collect()),
        other => other.clone(),
    }
}

/// The versions of `CONTRACT_CHANGELOG.md`, in file order: one `## <version>`
/// heading each (text after the version is allowed, e.g. a date).
pub fn changelog_versions(text: &str) -> Result<Vec<Version>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(rest) = line.strip_prefix("## ") else {
            continue;
        };
        let token = rest.split_whitespace().next().unwrap_or("");
        let version = Version::parse(token).ok_or_else(|| {
            format!(
                "line {}: `{line}` is not a `## MAJOR.MINOR.PATCH` heading",
                i + 1
            )
        })?;
        out.push(version);
    }
    Ok(out)
}

/// The changelog has an entry for `current`, newest first, one per version.
pub fn check_changelog(text: &str, current: &str) -> Result<(), String> {
    let current =
        Version::parse(current).ok_or_else(|| format!("{current:?} is not MAJOR.MINOR.PATCH"))?;
    let versions = changelog_versions(text)?;
    let Some(newest) = versions.first() else {
        return Err("no `## <version>` entries".into());
    };
    for pair in versions.windows(2) {
        if pair[0] <= pair[1] {
            return Err(format!(
                "entries must be newest first, one per version: {} comes before {}",
                pair[0], pair[1]
            ));
        }
    }
    if !versions.contains(&current) {
        return Err(format!(
            "no `## {current}` entry for the current CONTRACT_VERSION"
        ));
    }
    if *newest != current {
        return Err(format!(
            "the newest entry is {newest}, but CONTRACT_VERSION is {current}"
        ));
    }
    Ok(())
}

/// A line diff of `old` and `new` with three lines of context around each
/// change (`-` old only, `+` new only); empty when they are equal.
pub fn line_diff(old: &str, new: &str) -> String {
    const CONTEXT: usize = 3;
    const MAX_LINES: usize = 400;
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);

    // (tag, old line index, new line index) for every line.
    let mut ops: Vec<(char, usize, usize)> = (0..prefix).map(|i| (' ', i, i)).collect();
    let (n, m) = (am.len(), bm.len());
    if n.saturating_mul(m) <= 16_000_000 {
        // Longest common subsequence of the differing middle.
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        let at = |i: usize, j: usize| i * (m + 1) + j;
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[at(i, j)] = if am[i] == bm[j] {
                    lcs[at(i + 1, j + 1)] + 1
                } else {
                    lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                ops.push((' ', prefix + i, prefix + j));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
                ops.push(('-', prefix + i, prefix + j));
                i += 1;
            } else {
                ops.push(('+', prefix + i, prefix + j));
                j += 1;
            }
        }
    } else {
        ops.extend((0..n).map(|i| ('-', prefix + i, prefix)));
        ops.extend((0..m).map(|j| ('+', prefix + n, prefix + j)));
    }
    ops.extend((0..suffix).map(|k| (' ', prefix + n + k, prefix + m + k)));

    let changed: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != ' ').collect();
    if changed.is_empty() {
        return String::new();
    }
    let mut show = vec![false; ops.len()];
    for &k in &changed {
        let lo = k.saturating_sub(CONTEXT);
        let hi = (k + CONTEXT + 1).min(ops.len());
        show[lo..hi].iter_mut().for_each(|s| *s = true);
    }
    let mut out = Vec::new();
    let mut k = 0;
    while k < ops.len() {
        if !show[k] {
            k += 1;
            continue;
        }
        let (_, oi, ni) = ops[k];
        out.push(format!("@@ old line {} / new line {} @@", oi + 1, ni + 1));
        while k < ops.len() && show[k] {
            let (tag, oi, ni) = ops[k];
            let line = match tag {
                '+' => b[ni],
                _ => a[oi],
            };
            out.push(format!("{tag} {line}"));
            k += 1;
        }
    }
    if out.len() > MAX_LINES {
        let more = out.len() - MAX_LINES;
        out.truncate(MAX_LINES);
        out.push(format!("... ({more} more diff lines)"));
    }
    out.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A small document: one GET answering `Thing`, one POST taking `NewThing`.
    fn doc(version: &str, thing: Value, new_thing: Value) -> Value {
        json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": version},
            "paths": {
                "/things/": {
                    "get": {
                        "security": [{"bearerAuth": []}],
                        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}
                    },
                    "post": {
                        "security": [{"bearerAuth": []}],
                        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewThing"}}}},
                        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}
                    }
                }
            },
            "components": {"schemas": {"Thing": thing, "NewThing": new_thing}}
        })
    }

    fn thing() -> Value {
        json!({
            "type": "object",
            "required": ["id", "name", "done_at", "kind"],
            "properties": {
                "id": {"type": "integer", "format": "int64", "minimum": 0},
                "name": {"type": "string", "description": "The name"},
                "done_at": {"type": ["string", "null"], "format": "date-time"},
                "kind": {"type": "string", "enum": ["A", "B"]}
            }
        })
    }

    fn new_thing() -> Value {
        json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["name"],
            "properties": {
                "name": {"type": "string"},
                "kind": {"type": ["string", "null"], "enum": ["A", "B", null]}
            }
        })
    }

    fn base() -> Value {
        doc("1.0.0", thing(), new_thing())
    }

    fn with_version(mut d: Value, v: &str) -> Value {
        d["info"]["version"] = json!(v);
        d
    }

    fn required(changes: &[Change]) -> Option<Bump> {
        changes.iter().map(|c| c.bump).max()
    }

    fn verdicts(old: &Value, changed: Value, needed: Bump) {
        let changes = classify(old, &changed);
        assert_eq!(required(&changes), Some(needed), "{changes:#?}");
        // The same version: not OK, and the report says what is needed.
        let same = judge(old, &with_version(changed.clone(), "1.0.0"));
        assert!(!same.ok(), "{same}");
        let report = same.to_string();
        assert!(report.contains(&needed.to_string()), "{report}");
        // A patch bump is never enough for a wire change.
        assert!(!judge(old, &with_version(changed.clone(), "1.0.1")).ok());
        let minor = judge(old, &with_version(changed.clone(), "1.1.0"));
        assert_eq!(minor.ok(), needed <= Bump::Minor, "{minor}");
        let major = judge(old, &with_version(changed, "2.0.0"));
        assert!(major.ok(), "{major}");
    }

    #[test]
    fn identical_documents_need_nothing() {
        let v = judge(&base(), &base());
        assert!(
            v.changes.is_empty() && v.required.is_none() && v.ok(),
            "{v}"
        );
    }

    #[test]
    fn a_renamed_response_field_is_major() {
        let mut t = thing();
        let name = t["properties"]
            .as_object_mut()
            .unwrap()
            .remove("name")
            .unwrap();
        t["properties"]["title"] = name;
        t["required"] = json!(["id", "title", "done_at", "kind"]);
        let changed = doc("1.0.0", t, new_thing());
        let changes = classify(&base(), &changed);
        assert!(
            changes.iter().any(|c| c.bump == Bump::Major
                && c.what
                    .contains("removed property `name` (renamed to `title`?)")),
            "{changes:#?}"
        );
        verdicts(&base(), changed, Bump::Major);
    }

    #[test]
    fn a_renamed_request_field_is_major() {
        let mut nt = new_thing();
        let kind = nt["properties"]
            .as_object_mut()
            .unwrap()
            .remove("kind")
            .unwrap();
        nt["properties"]["category"] = kind;
        verdicts(&base(), doc("1.0.0", thing(), nt), Bump::Major);
    }

    #[test]
    fn a_removed_field_is_major() {
        let mut t = thing();
        t["properties"].as_object_mut().unwrap().remove("done_at");
        t["required"] = json!(["id", "name", "kind"]);
        verdicts(&base(), doc("1.0.0", t, new_thing()), Bump::Major);
    }

    #[test]
    fn a_type_change_is_major() {
        let mut t = thing();
        t["properties"]["id"] = json!({"type": "string"});
        let changed = doc("1.0.0", t, new_thing());
        let changes = classify(&base(), &changed);
        assert!(
            changes
                .iter()
                .any(|c| c.what.contains("type changed: integer -> string")),
            "{changes:#?}"
        );
        verdicts(&base(), changed, Bump::Major);
    }

    #[test]
    fn an_added_optional_field_is_minor() {
        let mut t = thing();
        t["properties"]["note"] = json!({"type": ["string", "null"]});
        verdicts(&base(), doc("1.0.0", t, new_thing()), Bump::Minor);
        let mut nt = new_thing();
        nt["properties"]["note"] = json!({"type": "string"});
        verdicts(&base(), doc("1.0.0", thing(), nt), Bump::Minor);
    }

    #[test]
    fn a_new_always_present_response_field_is_minor_but_a_new_required_request_field_is_major() {
        let mut t = thing();
        t["properties"]["note"] = json!({"type": "string"});
        t["required"].as_array_mut().unwrap().push(json!("note"));
        verdicts(&base(), doc("1.0.0", t, new_thing()), Bump::Minor);
        let mut nt = new_thing();
        nt["required"].as_array_mut().unwrap().push(json!("kind"));
        verdicts(&base(), doc("1.0.0", thing(), nt), Bump::Major);
    }

    #[test]
    fn enum_values_added_are_minor_and_removed_are_major() {
        let mut t = thing();
        t["properties"]["kind"]["enum"] = json!(["A", "B", "C"]);
        verdicts(&base(), doc("1.0.0", t, new_thing()), Bump::Minor);
        let mut t = thing();
        t["properties"]["kind"]["enum"] = json!(["A"]);
        verdicts(&base(), doc("1.0.0", t, new_thing()), Bump::Major);
    }

    #[test]
    fn nullability_is_judged_by_direction() {
        // A response field that may now be null breaks readers.
        let mut t = thing();
        t["properties"]["name"]["type"] = json!(["string", "null"]);
        verdicts(&base(), doc("1.0.0", t, new_thing()), Bump::Major);
        // A request field that now accepts null breaks nobody.
        let mut nt = new_thing();
        nt["properties"]["name"]["type"] = json!(["string", "null"]);
        verdicts(&base(), doc("1.0.0", thing(), nt), Bump::Minor);
        // utoipa's `oneOf: [null, $ref]` form is the same thing as a nullable type.
        let mut t = thing();
        t["properties"]["done_at"] =
            json!({"oneOf": [{"type": "null"}, {"type": "string", "format": "date-time"}]});
        let changes = classify(&base(), &doc("1.0.0", t, new_thing()));
        assert_eq!(required(&changes), Some(Bump::Patch), "{changes:#?}");
    }

    #[test]
    fn paths_methods_and_schemas() {
        let mut added = base();
        added["paths"]["/other/"] = json!({"get": {"responses": {"200": {"description": "ok"}}}});
        added["components"]["schemas"]["Other"] = json!({"type": "object"});
        verdicts(&base(), added, Bump::Minor);
        let mut removed = base();
        removed["paths"]["/things/"]
            .as_object_mut()
            .unwrap()
            .remove("post");
        verdicts(&base(), removed, Bump::Major);
        let mut gated = base();
        gated["paths"]["/things/"]["get"]["x-required-capability"] = json!("canDoThings");
        verdicts(&base(), gated, Bump::Major);
    }

    #[test]
    fn changes_the_rules_do_not_know_are_major() {
        let mut changed = base();
        changed["paths"]["/things/"]["get"]["responses"]["200"]["headers"] =
            json!({"X-Rate": {"schema": {"type": "integer"}}});
        let changes = classify(&base(), &changed);
        assert_eq!(required(&changes), Some(Bump::Major), "{changes:#?}");
        assert!(changes[0].location.contains("/headers"), "{changes:#?}");
        let mut optional = base();
        optional["paths"]["/things/"]["post"]["requestBody"]["required"] = json!(false);
        verdicts(&base(), optional, Bump::Minor);
    }

    #[test]
    fn documentation_changes_need_no_bump() {
        let mut t = thing();
        t["properties"]["name"]["description"] = json!("A better description");
        let changed = doc("1.0.0", t, new_thing());
        let v = judge(&base(), &changed);
        assert_eq!(v.required, Some(Bump::Patch), "{v}");
        assert!(v.ok(), "{v}");
    }

    #[test]
    fn versions_may_not_go_backwards_and_must_parse() {
        let old = with_version(base(), "1.2.0");
        assert!(!judge(&old, &with_version(base(), "1.1.9")).ok());
        assert!(!judge(&old, &with_version(base(), "1.2")).ok());
        assert!(judge(&old, &with_version(base(), "1.2.1")).ok());
        assert_eq!(Version::parse("01.0.0"), None);
        assert_eq!(
            Version::parse("1.10.3")
                .unwrap()
                .bumped(Bump::Minor)
                .to_string(),
            "1.11.0"
        );
    }

    #[test]
    fn the_changelog_needs_the_current_version_first() {
        let good = "# Changelog\n\n## 1.1.0 (2026-05-01)\n- more\n\n## 1.0.0\n- first\n";
        assert_eq!(check_changelog(good, "1.1.0"), Ok(()));
        assert!(check_changelog(good, "1.2.0")
            .unwrap_err()
            .contains("no `## 1.2.0`"));
        assert!(check_changelog(good, "1.0.0").is_err());
        let unordered = "## 1.0.0\n## 1.1.0\n";
        assert!(check_changelog(unordered, "1.1.0").is_err());
        let duplicate = "## 1.1.0\n## 1.1.0\n";
        assert!(check_changelog(duplicate, "1.1.0").is_err());
        assert!(check_changelog("## next\n", "1.0.0").is_err());
        assert!(check_changelog("nothing\n", "1.0.0").is_err());
    }

    #[test]
    fn the_line_diff_shows_what_changed_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\ni\nj\n";
        let diff = line_diff(old, new);
        assert!(diff.contains("- e\n+ E\n"), "{diff}");
        assert!(diff.contains("+ j"), "{diff}");
        assert!(diff.contains("  d\n"), "{diff}");
        assert!(!diff.contains("  a\n"), "{diff}");
        assert_eq!(line_diff(old, old), "");
    }
}
