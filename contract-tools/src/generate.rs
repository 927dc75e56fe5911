//! The OpenAPI 3.1 document of the API, built from the code: the schemas from
//! the contract types (`utoipa::ToSchema`, feature `openapi` of `shared` and
//! `functions`), the operations from the route table
//! (`functions::routes::ROUTES`) and each endpoint's `DOC`, which lives next
//! to its handler.
//!
//! `openapi.yaml` at the repository root is this document, committed;
//! `cargo run -p contract-tools --bin openapi` regenerates it (`--check`
//! only compares). `tests/api/contract_drift.rs` fails when the committed
//! file differs from the code, and [`crate::check`] (oasdiff and the version
//! rule) decides which version bump a difference needs.

use functions::docs::{
    Access, Example, ParamDoc, ParamIn, ParamType, Schemas, CAPABILITY_EXTENSION, IDEMPOTENCY_KEY,
    JSON,
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
pub const REGENERATE_COMMAND: &str = "cargo run -p contract-tools --bin openapi";

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
            ParamType::PositiveInteger => ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .into(),
            ParamType::String => ObjectBuilder::new().schema_type(Type::String).into(),
            ParamType::Pattern(pattern) => ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(pattern))
                .into(),
            ParamType::Text {
                min_length,
                max_length,
                pattern,
            } => ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(min_length))
                .max_length(Some(max_length))
                .pattern(Some(pattern))
                .into(),
            ParamType::Schema(f) => Ref::from_schema_name(f(schemas)).into(),
        };
        out.push(
            ParameterBuilder::new()
                .name(d.name)
                .parameter_in(match d.location {
                    ParamIn::Path => ParameterIn::Path,
                    ParamIn::Query => ParameterIn::Query,
                    ParamIn::Header => ParameterIn::Header,
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
            // Every request body refuses unknown keys (JSON) and fields
            // (multipart forms).
            closed.push(name.clone());
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
                closed.push(name.clone());
                body = body.content(more.media_type, json_content(&name, more.examples, &what));
            }
            op = op.request_body(Some(body.build()));
        }
        let idempotent = doc
            .params
            .iter()
            .any(|p| p.location == ParamIn::Header && p.name == IDEMPOTENCY_KEY.name);
        for r in doc.responses {
            let mut response = ResponseBuilder::new().description(r.description);
            if idempotent && (200..300).contains(&r.status) {
                response = response.header(
                    "Idempotent-Replayed",
                    HeaderBuilder::new()
                        .schema(
                            ObjectBuilder::new()
                                .schema_type(Type::String)
                                .enum_values(Some(["true"])),
                        )
                        .description(Some(
                            "`true` when this is the stored answer to an earlier request \
                             with the same `Idempotency-Key`.",
                        ))
                        .build(),
                );
            }
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
            if r.status == 429 || r.status == 503 {
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
                     user's profile, profile completion and onboarding (including a \
                     conversational onboarding), the journal, and voice biometrics. `info.version` is \
                     the contract version (semver; `CONTRACT_CHANGELOG.md`). Field semantics, \
                     the onboarding lifecycle, the capability table and the versioning \
                     policy are in `docs/CONTRACT.md`.\n\n\
                     Error bodies: 401, capability 403, 429, 500 and 503 are \
                     `{\"detail\": ...}`; 404 and 409 are `{\"error\": ...}`; 400 is \
                     `{\"errors\": {field: [messages]}}`. Timestamps are ISO 8601 UTC with \
                     `Z`; dates are `YYYY-MM-DD`; ids are integers. Responses may gain \
                     keys in a minor version: clients must ignore keys they do not know.\n\n\
                     Generated from the code (`shared::contract`, the endpoint files of \
                     `functions`) by `cargo run -p contract-tools --bin openapi`; do not edit \
                     `openapi.yaml` by hand.",
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
                .description(Some(
                    "Capability-gated: `canAccessOnboarding`. The completion status, the \
                     onboarding lifecycle, and the conversational onboarding (voice input \
                     also needs `canUseVoiceFeatures`).",
                ))
                .build(),
            TagBuilder::new()
                .name("voice")
                .description(Some(
                    "Voice biometrics, capability-gated: `canUseVoiceBiometrics`. Enrollment \
                     needs explicit consent; only embeddings are kept, never audio.",
                ))
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

/// The document as the YAML committed at `openapi.yaml`: serde-saphyr
/// quotes every string a YAML 1.1 reader could take for something else
/// (`1990-01-15` stays a string in client tooling), long lines stay whole.
pub fn document_yaml() -> String {
    let mut options = serde_saphyr::SerializerOptions::default();
    options.folded_wrap_chars = usize::MAX;
    let body = serde_saphyr::to_string_with_options(&document_json(), options)
        .expect("the OpenAPI document serialises to YAML");
    format!(
        "# The API's OpenAPI document, generated from the code: do not edit by hand.\n\
         # Regenerate: {REGENERATE_COMMAND}   (check only: {REGENERATE_COMMAND} -- --check)\n\
         {body}"
    )
}

/// The workspace root (where `openapi.yaml` lives).
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("contract-tools/ is inside the workspace")
        .to_path_buf()
}

/// Whether `committed` is the generated document, and if not, what the
/// version rule says of the difference (oasdiff classifies it).
pub fn drift(committed: &str, changelog: &str) -> Option<Result<crate::Report, crate::Error>> {
    let generated = document_yaml();
    (committed != generated).then(|| crate::check(committed, &generated, changelog))
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
        let yaml: Value = serde_saphyr::from_str(&document_yaml()).unwrap();
        assert_eq!(yaml, document_json());
        // Dates in examples stay strings for YAML 1.1 readers.
        assert!(
            document_yaml().contains("'1990-01-15'") || document_yaml().contains("\"1990-01-15\"")
        );
    }
}
