//! The OpenAPI 3.1 document of the API, built from the code: the schemas from
//! the contract types (`utoipa::ToSchema`, feature `openapi` of `shared` and
//! `functions`), the operations from the route table
//! (`functions::routes::ROUTES`) and each endpoint's `DOC`, which lives next
//! to its handler.
//!
//! `openapi.yaml` at the repository root is this document, committed;
//! `cargo run -p contract-tools --bin openapi` regenerates it (`--check`
//! only compares). `tests/api/contract_drift.rs` fails when the committed
//! file differs from the code, and [`crate::drift`] decides which version
//! bump a difference needs.

use crate::drift;
use functions::docs::{
    Access, Example, ParamDoc, ParamIn, ParamType, Schemas, CAPABILITY_EXTENSION, JSON,
};
use functions::routes::ROUTES;
use serde_json::Value;
use shared::contract::CONTRACT_VERSION;
use std::collections::BTreeMap;
use utoipa::openapi::example::ExampleBuilder;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ComponentsBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::server::ServerBuilder;
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{
    ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathsBuilder, Ref, RefOr, Required,
};

/// Where the committed document lives, relative to the workspace root.
pub const DOCUMENT_FILE: &str = "openapi.yaml";
/// The changelog every contract version needs an entry in.
pub const CHANGELOG_FILE: &str = "CONTRACT_CHANGELOG.md";
/// The command that regenerates the document.
pub const REGENERATE_COMMAND: &str = "cargo run -p infra --bin openapi";

/// The name of the HTTP bearer security scheme.
pub const BEARER_SCHEME: &str = "bearerAuth";

fn http_method(method: &str) -> HttpMethod {
    match method {
        "GET" => HttpMethod::Get,
        "POST" => HttpMethod::Post,
        "PUT" => HttpMethod::Put,
        "PATCH" => HttpMethod::Patch,
        "DELETE" => HttpMethod::Delete,
        "HEAD" => HttpMethod::Head,
        "OPTIONS" => HttpMethod::Options,
        other => panic!("route table method {other} has no OpenAPI counterpart"),
    }
}

fn parse_example(json: &str, what: &str) -> Value {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("example {what} is not JSON: {e}"))
}

fn json_content(schema_name: &str, examples: &[Example], what: &str) -> utoipa::openapi::Content {
    ContentBuilder::new()
        .schema(Some(Ref::from_schema_name(schema_name)))
        .examples_from_iter(examples.iter().map(|e| {
            (
                e.name,
                ExampleBuilder::new()
                    .summary(e.summary)
                    .value(Some(parse_example(e.json, &format!("{what} {}", e.name)))),
            )
        }))
        .build()
}

/// The parameters of an operation: those documented, plus every `{name}` of
/// the path without a doc as a required integer id.
fn parameters(
    path: &str,
    docs: &[ParamDoc],
    schemas: &mut Schemas,
) -> Vec<utoipa::openapi::path::Parameter> {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    let id = || -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Int64,
            )))
            .minimum(Some(1))
            .into()
    };
    let mut out = Vec::new();
    for segment in path.split('/') {
        let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
            continue;
        };
        if docs
            .iter()
            .any(|d| d.location == ParamIn::Path && d.name == name)
        {
            continue;
        }
        out.push(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some(format!("The `{name}` path segment: an integer id.")))
                .schema(Some(id()))
                .build(),
        );
    }
    for d in docs {
        let schema: RefOr<Schema> = match d.value {
            ParamType::Id => id(),
            ParamType::Integer => ObjectBuilder::new().schema_type(Type::Integer).into(),
            ParamType::String => ObjectBuilder::new().schema_type(Type::String).into(),
            ParamType::Schema(f) => Ref::from_schema_name(f(schemas)).into(),
        };
        out.push(
            ParameterBuilder::new()
                .name(d.name)
                .parameter_in(match d.location {
                    ParamIn::Path => ParameterIn::Path,
                    ParamIn::Query => ParameterIn::Query,
                })
                .required(if d.required || d.location == ParamIn::Path {
                    Required::True
                } else {
                    Required::False
                })
                .description(Some(d.description))
                .schema(Some(schema))
                .build(),
        );
    }
    out
}

/// The sentence on access every operation description ends with.
pub fn access_sentence(access: Access) -> String {
    match access {
        Access::Public => "No authentication.".to_string(),
        Access::RefreshToken => {
            "No bearer token: the refresh token in the body is the credential.".to_string()
        }
        Access::Bearer => {
            "Needs an access token (`Authorization: Bearer <access>`); no capability.".to_string()
        }
        Access::Capability(c) => format!(
            "Needs an access token (`Authorization: Bearer <access>`) and the `{}` \
             capability (403 otherwise); it is read from the stored user on every request.",
            c.key()
        ),
    }
}

/// JSON request bodies refuse keys they do not know (a 400 names each), and
/// so do the objects inside them: their schemas say
/// `additionalProperties: false`. The request types collect unknown keys
/// instead of letting serde refuse them, so the rule is applied here, once.
fn close_request_objects(schemas: &mut BTreeMap<String, RefOr<Schema>>, mut pending: Vec<String>) {
    let mut done = std::collections::BTreeSet::new();
    while let Some(name) = pending.pop() {
        if !done.insert(name.clone()) {
            continue;
        }
        let Some(RefOr::T(Schema::Object(object))) = schemas.get_mut(&name) else {
            continue;
        };
        if object.properties.is_empty() {
            continue;
        }
        object.additional_properties = Some(Box::new(
            utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
        ));
        // Follow the objects its properties refer to.
        let text = serde_json::to_string(&object.properties).unwrap_or_default();
        for part in text.split("#/components/schemas/").skip(1) {
            if let Some(referenced) = part.split('"').next() {
                pending.push(referenced.to_string());
            }
        }
    }
}

/// The document, built from [`ROUTES`] and each route's documentation.
pub fn document() -> OpenApi {
    let mut schemas: Schemas = Vec::new();
    let mut closed: Vec<String> = Vec::new();
    let mut paths = PathsBuilder::new();
    for route in ROUTES {
        let doc = route.doc;
        let what = format!("{} {}", route.method, route.path);
        let mut op = OperationBuilder::new()
            .tag(doc.tag)
            .summary(Some(doc.summary))
            .description(Some(format!(
                "{}\n\n{}",
                doc.description,
                access_sentence(doc.access)
            )))
            .operation_id(Some(doc.operation_id));
        op = match doc.access {
            Access::Public | Access::RefreshToken => op.securities(Some(Vec::new())),
            Access::Bearer | Access::Capability(_) => op.security(SecurityRequirement::new(
                BEARER_SCHEME,
                Vec::<String>::new(),
            )),
        };
        if let Access::Capability(c) = doc.access {
            op = op.extensions(Some(
                ExtensionsBuilder::new()
                    .add(CAPABILITY_EXTENSION, c.key())
                    .build(),
            ));
        }
        for param in parameters(route.path, doc.params, &mut schemas) {
            op = op.parameter(param);
        }
        if let Some(request) = &doc.request {
            let name = (request.schema)(&mut schemas);
            if request.media_type == JSON {
                closed.push(name.clone());
            }
            let mut body = RequestBodyBuilder::new()
                .required(Some(if request.required {
                    Required::True
                } else {
                    Required::False
                }))
                .content(
                    request.media_type,
                    json_content(&name, request.examples, &what),
                );
            for more in request.also {
                let name = (more.schema)(&mut schemas);
                if more.media_type == JSON {
                    closed.push(name.clone());
                }
                body = body.content(more.media_type, json_content(&name, more.examples, &what));
            }
            op = op.request_body(Some(body.build()));
        }
        for r in doc.responses {
            let mut response = ResponseBuilder::new().description(r.description);
            if let Some(schema) = r.schema {
                let name = schema(&mut schemas);
                response = response.content(JSON, json_content(&name, r.examples, &what));
            }
            if r.status == 401 {
                response = response.header(
                    "WWW-Authenticate",
                    HeaderBuilder::new()
                        .schema(ObjectBuilder::new().schema_type(Type::String))
                        .description(Some("`Bearer`"))
                        .build(),
                );
            }
            if r.status == 429 {
                response = response.header(
                    "Retry-After",
                    HeaderBuilder::new()
                        .schema(
                            ObjectBuilder::new()
                                .schema_type(Type::Integer)
                                .minimum(Some(0)),
                        )
                        .description(Some("Seconds to wait before trying again."))
                        .build(),
                );
            }
            op = op.response(r.status.to_string(), response.build());
        }
        paths = paths.path(
            route.path,
            PathItem::new(http_method(route.method), op.build()),
        );
    }

    // Sorted by name, so the document does not depend on the route order.
    let mut schemas: BTreeMap<String, RefOr<Schema>> = schemas.into_iter().collect();
    close_request_objects(&mut schemas, closed);
    let components = ComponentsBuilder::new()
        .schemas_from_iter(schemas)
        .security_scheme(
            BEARER_SCHEME,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "The `access` token from login or refresh: an EdDSA (Ed25519) JWT, \
                         valid for 15 minutes by default.",
                    ))
                    .build(),
            ),
        )
        .build();

    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Onboarding & profile API")
                .version(CONTRACT_VERSION)
                .description(Some(
                    "The wire contract the Android, iOS and web apps use for login, the \
                     user's profile, profile completion and onboarding. `info.version` is \
                     the contract version (semver; `CONTRACT_CHANGELOG.md`). Field semantics, \
                     the onboarding lifecycle, the capability table and the versioning \
                     policy are in `docs/CONTRACT.md`.\n\n\
                     Error bodies: 401, capability 403, 429, 500 and 503 are \
                     `{\"detail\": ...}`; 404 and 409 are `{\"error\": ...}`; 400 is \
                     `{\"errors\": {field: [messages]}}`. Timestamps are ISO 8601 UTC with \
                     `Z`; dates are `YYYY-MM-DD`; ids are integers. Responses may gain \
                     keys in a minor version: clients must ignore keys they do not know.\n\n\
                     Generated from the code (`shared::contract`, `functions::openapi`) by \
                     `cargo run -p infra --bin openapi`; do not edit `openapi.yaml` by hand.",
                ))
                .build(),
        )
        .servers(Some(vec![ServerBuilder::new()
            .url("http://127.0.0.1:3000")
            .description(Some(
                "The local stack (`cargo run -p infra --bin local-stack`); deployed stacks \
                 serve the same paths behind their API Gateway URL.",
            ))
            .build()]))
        .tags(Some(vec![
            TagBuilder::new()
                .name("auth")
                .description(Some("Login and token refresh."))
                .build(),
            TagBuilder::new()
                .name("profile")
                .description(Some("The caller's own profile."))
                .build(),
            TagBuilder::new()
                .name("onboarding")
                .description(Some("Capability-gated: `canAccessOnboarding`."))
                .build(),
            TagBuilder::new()
                .name("journal")
                .description(Some(
                    "The caller's own journal entries and their attachments (photos, \
                     videos, voice notes).",
                ))
                .build(),
        ]))
        .paths(paths.build())
        .components(Some(components))
        .build()
}

/// The document as JSON.
pub fn document_json() -> Value {
    serde_json::to_value(document()).expect("the OpenAPI document serialises")
}

/// The document as the YAML committed at `openapi.yaml`.
pub fn document_yaml() -> String {
    let body = yaml::to_string(&document_json());
    format!(
        "# The API's OpenAPI document, generated from the code: do not edit by hand.\n\
         # Regenerate: {REGENERATE_COMMAND}   (check only: {REGENERATE_COMMAND} -- --check)\n\
         {body}"
    )
}

/// A YAML writer that quotes every string a YAML 1.1 reader could take for
/// something else. `serde_yaml` leaves `1990-01-15` and
/// `2025-11-10T14:30:00Z` plain, which PyYAML and js-yaml read as dates, so
/// the contract's examples would stop being strings in client tooling.
mod yaml {
    use serde_json::Value;

    pub fn to_string(v: &Value) -> String {
        let mut out = String::new();
        match v {
            Value::Object(m) if !m.is_empty() => mapping(m, 0, &mut out),
            Value::Array(a) if !a.is_empty() => sequence(a, 0, &mut out),
            other => {
                out.push_str(&scalar(other, 0));
                out.push('\n');
            }
        }
        out
    }

    fn pad(indent: usize, out: &mut String) {
        out.extend(std::iter::repeat_n(' ', indent));
    }

    fn is_collection(v: &Value) -> bool {
        matches!(v, Value::Object(m) if !m.is_empty())
            || matches!(v, Value::Array(a) if !a.is_empty())
    }

    /// Writes `key: value` lines of `m` at `indent`; the first line's
    /// indentation is assumed written already when `first_inline`.
    fn mapping_from(
        m: &serde_json::Map<String, Value>,
        indent: usize,
        first_inline: bool,
        out: &mut String,
    ) {
        for (i, (k, v)) in m.iter().enumerate() {
            if i > 0 || !first_inline {
                pad(indent, out);
            }
            out.push_str(&string(k, indent));
            out.push(':');
            match v {
                Value::Object(child) if !child.is_empty() => {
                    out.push('\n');
                    mapping(child, indent + 2, out);
                }
                Value::Array(items) if !items.is_empty() => {
                    out.push('\n');
                    sequence(items, indent, out);
                }
                other => {
                    out.push(' ');
                    out.push_str(&scalar(other, indent + 2));
                    out.push('\n');
                }
            }
        }
    }

    fn mapping(m: &serde_json::Map<String, Value>, indent: usize, out: &mut String) {
        mapping_from(m, indent, false, out);
    }

    fn sequence(items: &[Value], indent: usize, out: &mut String) {
        for item in items {
            pad(indent, out);
            out.push_str("- ");
            match item {
                Value::Object(m) if !m.is_empty() => mapping_from(m, indent + 2, true, out),
                Value::Array(a) if !a.is_empty() => {
                    out.push('\n');
                    sequence(a, indent + 2, out);
                }
                other => {
                    out.push_str(&scalar(other, indent + 2));
                    out.push('\n');
                }
            }
        }
    }

    fn scalar(v: &Value, indent: usize) -> String {
        debug_assert!(!is_collection(v));
        match v {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            Value::String(s) => string(s, indent),
            Value::Object(_) => "{}".into(),
            Value::Array(_) => "[]".into(),
        }
    }

    /// Plain when unambiguous in YAML 1.1 and 1.2; a literal block for
    /// multi-line text; otherwise double-quoted (JSON escapes are YAML's).
    fn string(s: &str, indent: usize) -> String {
        const WORDS: [&str; 11] = [
            "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "=",
        ];
        let plain = s.starts_with(|c: char| c.is_ascii_alphabetic())
            && !s.ends_with(' ')
            && !s.contains("  ")
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || " _.,()/'`-".contains(c))
            && !WORDS.contains(&s.to_ascii_lowercase().as_str());
        if plain {
            return s.to_string();
        }
        let block = s.contains('\n')
            && !s.ends_with('\n')
            && !s.starts_with([' ', '\n'])
            && !s.contains(['\r', '\t'])
            && s.chars().all(|c| !c.is_control() || c == '\n')
            && s.lines().all(|l| !l.ends_with(' '));
        if block {
            let mut out = String::from("|-");
            for line in s.split('\n') {
                out.push('\n');
                if !line.is_empty() {
                    out.extend(std::iter::repeat_n(' ', indent));
                    out.push_str(line);
                }
            }
            return out;
        }
        serde_json::to_string(s).expect("a string serialises")
    }
}

/// The workspace root (where `openapi.yaml` lives).
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("contract-tools/ is inside the workspace")
        .to_path_buf()
}

/// How the committed document differs from the generated one.
pub struct Drift {
    /// Line diff, committed (`-`) to generated (`+`).
    pub diff: String,
    /// The classification, or why the committed text could not be read.
    pub verdict: Result<drift::Verdict, String>,
}

impl Drift {
    /// Whether regenerating (writing the generated document) is allowed:
    /// the version went up enough for the changes.
    pub fn may_regenerate(&self) -> bool {
        self.verdict.as_ref().is_ok_and(drift::Verdict::ok)
    }
}

/// `None` when `committed` is exactly the generated document.
pub fn drift(committed: &str) -> Option<Drift> {
    let generated = document_yaml();
    if committed == generated {
        return None;
    }
    let verdict = serde_yaml::from_str::<Value>(committed)
        .map_err(|e| format!("the committed {DOCUMENT_FILE} is not YAML: {e}"))
        .map(|old| drift::judge(&old, &document_json()));
    Some(Drift {
        diff: drift::line_diff(committed, &generated),
        verdict,
    })
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{DOCUMENT_FILE} differs from the document the code generates \
             (- committed, + generated):\n"
        )?;
        writeln!(f, "{}", self.diff)?;
        match &self.verdict {
            Err(e) => writeln!(f, "{e}\nDelete it and run `{REGENERATE_COMMAND}`.")?,
            Ok(v) => {
                write!(f, "{v}")?;
                let target = drift::Version::parse(&v.old_version)
                    .zip(v.required)
                    .map(|(old, bump)| old.bumped(bump).to_string())
                    .unwrap_or_else(|| CONTRACT_VERSION.to_string());
                if v.ok() {
                    writeln!(
                        f,
                        "next: make sure {CHANGELOG_FILE} has a `## {CONTRACT_VERSION}` entry \
                         describing the change, then run `{REGENERATE_COMMAND}` and commit \
                         {DOCUMENT_FILE}."
                    )?;
                } else {
                    writeln!(
                        f,
                        "next: if the wire change is intended, set CONTRACT_VERSION in \
                         shared/src/contract.rs to {target} (or later), add a `## {target}` \
                         entry to {CHANGELOG_FILE}, then run `{REGENERATE_COMMAND}`. If it is \
                         not intended, undo it."
                    )?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn the_document_has_every_route_and_nothing_else() {
        let doc = document_json();
        let mut served = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                served.insert((method.to_uppercase(), path.clone()));
            }
        }
        let routes: BTreeSet<(String, String)> = ROUTES
            .iter()
            .map(|r| (r.method.to_string(), r.path.to_string()))
            .collect();
        assert_eq!(served, routes);
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["info"]["version"], CONTRACT_VERSION);
    }

    #[test]
    fn path_segments_in_braces_become_required_parameters() {
        let mut schemas = Vec::new();
        let params = parameters("/a/{id}/b/{other}/", &[], &mut schemas);
        let json = serde_json::to_value(&params).unwrap();
        assert_eq!(json[0]["name"], "id");
        assert_eq!(json[0]["in"], "path");
        assert_eq!(json[0]["required"], true);
        assert_eq!(json[0]["schema"]["type"], "integer");
        assert_eq!(json[1]["name"], "other");
        let documented = [ParamDoc {
            name: "other",
            location: ParamIn::Path,
            description: "A slug.",
            required: true,
            value: ParamType::String,
        }];
        let json =
            serde_json::to_value(parameters("/a/{other}/", &documented, &mut schemas)).unwrap();
        assert_eq!(json.as_array().unwrap().len(), 1);
        assert_eq!(json[0]["schema"]["type"], "string");
    }

    #[test]
    fn operation_ids_are_unique() {
        let mut seen = BTreeSet::new();
        for r in ROUTES {
            assert!(seen.insert(r.doc.operation_id), "{}", r.doc.operation_id);
        }
    }

    #[test]
    fn every_reference_resolves() {
        fn walk(v: &Value, schemas: &serde_json::Map<String, Value>, out: &mut Vec<String>) {
            match v {
                Value::Object(m) => {
                    if let Some(Value::String(r)) = m.get("$ref") {
                        let name = r.trim_start_matches("#/components/schemas/");
                        if !r.starts_with("#/components/schemas/") || !schemas.contains_key(name) {
                            out.push(r.clone());
                        }
                    }
                    m.values().for_each(|v| walk(v, schemas, out));
                }
                Value::Array(a) => a.iter().for_each(|v| walk(v, schemas, out)),
                _ => {}
            }
        }
        let doc = document_json();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        let mut dangling = Vec::new();
        walk(&doc, schemas, &mut dangling);
        assert!(dangling.is_empty(), "{dangling:?}");
    }

    #[test]
    fn gated_routes_name_their_capability() {
        let doc = document_json();
        for r in ROUTES {
            let d = r.doc;
            let op = &doc["paths"][r.path][r.method.to_lowercase()];
            match d.access {
                Access::Capability(c) => {
                    assert_eq!(op[CAPABILITY_EXTENSION], c.key(), "{}", r.path);
                    assert!(op["description"].as_str().unwrap().contains(c.key()));
                    assert!(op["responses"]["403"].is_object(), "{}", r.path);
                }
                _ => assert!(op.get(CAPABILITY_EXTENSION).is_none(), "{}", r.path),
            }
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            let needs_token = matches!(d.access, Access::Bearer | Access::Capability(_));
            assert_eq!(secured, needs_token, "{}", r.path);
            if needs_token {
                assert!(op["responses"]["401"].is_object(), "{}", r.path);
            }
        }
    }

    #[test]
    fn capabilities_schema_is_the_capability_table() {
        let doc = document_json();
        let caps = &doc["components"]["schemas"]["Capabilities"];
        let keys: Vec<&str> = caps["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let table: Vec<&str> = shared::capabilities::TABLE.iter().map(|d| d.key).collect();
        assert_eq!(keys, table);
        assert_eq!(caps["required"].as_array().unwrap().len(), 13);
        for d in &shared::capabilities::TABLE {
            assert_eq!(caps["properties"][d.key]["default"], d.default, "{}", d.key);
            assert_eq!(caps["properties"][d.key]["type"], "boolean", "{}", d.key);
        }
    }

    #[test]
    fn enums_are_the_code_tables() {
        let doc = document_json();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Gender"]["enum"],
            serde_json::json!(["MALE", "FEMALE", "OTHER"])
        );
        assert_eq!(
            schemas["OnboardingStep"]["enum"],
            serde_json::json!(shared::profile::ONBOARDING_STEPS)
        );
        let required: Vec<&str> = shared::profile::REQUIRED_FIELDS
            .iter()
            .map(|(f, _)| *f)
            .collect();
        assert_eq!(
            schemas["RequiredField"]["enum"],
            serde_json::json!(required)
        );
    }

    #[test]
    fn the_yaml_reads_back_as_the_document() {
        let yaml: Value = serde_yaml::from_str(&document_yaml()).unwrap();
        assert_eq!(yaml, document_json());
    }

    #[test]
    fn the_yaml_writer_quotes_what_yaml_readers_could_misread() {
        let tricky = serde_json::json!({
            "dates": ["1990-01-15", "2025-11-10T14:30:00Z", "12:30"],
            "words": ["yes", "No", "on", "null", "~", "true"],
            "numbers": ["1", "1.0", "+9876543210", "0x1F", ".inf", "1e3"],
            "marks": ["a: b", "a #b", "#x", "- x", "? x", "*x", "&x", "!x", "%x", "@x", "'x", "\"x", "|x", ">x", "{x}", "[x]", " x", "x ", ""],
            "text": "first line\nsecond: line\n\n  indented",
            "ending": "line\n",
            "plain": ["MALE", "feature_tour", "Profile Image", "new.employee"],
            "nested": [[1, 2], [], {}, [{"a": [true, null]}]],
            "/path/{id}/": {"'200'": {"$ref": "#/components/schemas/X"}}
        });
        let text = yaml::to_string(&tricky);
        let back: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(back, tricky, "{text}");
        for date in ["1990-01-15", "2025-11-10T14:30:00Z"] {
            assert!(text.contains(&format!("\"{date}\"")), "{text}");
        }
        assert!(text.contains("- MALE\n"), "{text}");
    }
}
