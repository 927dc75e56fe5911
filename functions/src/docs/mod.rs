//! The documentation types of the routes (feature `openapi`): each
//! endpoint file holds its `DOC: RouteDoc` next to its handler;
//! contract-tools turns the route table and these into `openapi.yaml`.
//! Here: the types; the examples, responses and parameters many routes
//! share are in the submodules.

// The answer types, for the endpoint files' docs (`use crate::docs::*`).
pub use shared::capabilities::Capability;
pub use shared::contract::journal::{
    JournalEntryResponse, JournalPage, MediaAttachmentResponse, MediaType,
};
pub use shared::contract::uploads::{ProfileImageResponse, UploadUrlResponse};
pub use shared::contract::{
    CompletionStatus, ErrorDetail, ErrorMessage, JournalMediaList, LoginResponse,
    MarkOnboardingCompleteResponse, ProfileResponse, RefreshResponse, ValidationErrors,
};
use utoipa::openapi::schema::{OneOfBuilder, Schema};
use utoipa::openapi::{Ref, RefOr};
use utoipa::ToSchema;

/// The operation extension naming the capability a route needs.
pub const CAPABILITY_EXTENSION: &str = "x-required-capability";

/// Named schemas collected while the document is built.
pub type Schemas = Vec<(String, RefOr<Schema>)>;
/// Adds a type's schema (and the schemas it refers to) and returns its name.
pub type SchemaFn = fn(&mut Schemas) -> String;

pub fn schema_of<T: ToSchema>(out: &mut Schemas) -> String {
    let name = T::name().to_string();
    out.push((name.clone(), T::schema()));
    T::schemas(out);
    name
}

/// The 400 of the upload routes: a field error (`{"errors": ...}`) or an
/// upload error (`{"error": ...}`, the contract's messages).
pub fn upload_bad_request(out: &mut Schemas) -> String {
    let fields = schema_of::<ValidationErrors>(out);
    let upload = schema_of::<ErrorMessage>(out);
    let name = "UploadBadRequest".to_string();
    out.push((
        name.clone(),
        OneOfBuilder::new()
            .item(Ref::from_schema_name(fields))
            .item(Ref::from_schema_name(upload))
            .description(Some(
                "A 400 of an upload route: `{\"errors\": ...}` when a field is missing, \
                 invalid or unknown, `{\"error\": ...}` when the file (or its declared type \
                 or size) is refused.",
            ))
            .into(),
    ));
    name
}

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// No credentials (login).
    Public,
    /// A refresh token in the body, no bearer token.
    RefreshToken,
    /// Any authenticated user: `Authorization: Bearer <access token>`.
    Bearer,
    /// An authenticated user holding this capability (403 otherwise).
    Capability(Capability),
}

/// A JSON example: a name, a one-line summary and the JSON text.
pub struct Example {
    pub name: &'static str,
    pub summary: &'static str,
    pub json: &'static str,
}

pub const fn example(name: &'static str, summary: &'static str, json: &'static str) -> Example {
    Example {
        name,
        summary,
        json,
    }
}

/// `application/json`, the media type of every body unless a doc says otherwise.
pub const JSON: &str = "application/json";

pub struct RequestDoc {
    /// E.g. [`JSON`] or `multipart/form-data` (describe the form fields as
    /// the schema's properties, a file as `value_type = String, format = Binary`).
    pub media_type: &'static str,
    pub schema: SchemaFn,
    /// Whether a request without a body is refused (the PATCH takes none as
    /// "change nothing").
    pub required: bool,
    pub examples: &'static [Example],
    /// Further media types the same operation takes (a JSON alternative to
    /// a multipart form, say).
    pub also: &'static [RequestContent],
}

/// One more media type of a request body.
pub struct RequestContent {
    pub media_type: &'static str,
    pub schema: SchemaFn,
    pub examples: &'static [Example],
}

pub struct ResponseDoc {
    pub status: u16,
    pub description: &'static str,
    /// The JSON body; `None` for a response without one (a 204).
    pub schema: Option<SchemaFn>,
    pub examples: &'static [Example],
}

pub const fn response(
    status: u16,
    description: &'static str,
    schema: SchemaFn,
    examples: &'static [Example],
) -> ResponseDoc {
    ResponseDoc {
        status,
        description,
        schema: Some(schema),
        examples,
    }
}

/// A response without a body.
pub const fn no_content(status: u16, description: &'static str) -> ResponseDoc {
    ResponseDoc {
        status,
        description,
        schema: None,
        examples: &[],
    }
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamIn {
    Path,
    Query,
    Header,
}

/// The value type of a parameter.
#[derive(Clone, Copy)]
pub enum ParamType {
    /// An integer id (ids are integers on the wire).
    Id,
    Integer,
    /// A whole number from 1 (a count, a page size).
    PositiveInteger,
    String,
    /// A string matching this pattern (what the API accepts, exactly).
    Pattern(&'static str),
    /// A string with these bounds.
    Text {
        min_length: usize,
        max_length: usize,
        pattern: &'static str,
    },
    /// A named schema (an enum, say).
    Schema(SchemaFn),
}

/// A path, query or header parameter. Every `{name}` of a route path that has no
/// `ParamDoc` is documented as a required integer id.
pub struct ParamDoc {
    pub name: &'static str,
    pub location: ParamIn,
    pub description: &'static str,
    pub required: bool,
    pub value: ParamType,
}

/// The documentation of one route (its method and path are the route
/// table's): what the generator turns into an OpenAPI operation.
pub struct RouteDoc {
    /// Unique in the document; code generators name client methods after it.
    pub operation_id: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    /// Markdown. The access sentence (token, capability) is added from `access`.
    pub description: &'static str,
    pub access: Access,
    /// Path and query parameters (path ones may be left to the default).
    pub params: &'static [ParamDoc],
    pub request: Option<RequestDoc>,
    pub responses: &'static [ResponseDoc],
}

// The contract's JSON examples, verbatim (tests/fixtures/contract/).
macro_rules! contract_fixture {
    ($file:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/contract/",
            $file
        ))
    };
}
pub(crate) use contract_fixture;

// The access rules of the two media POSTs (a literal, for `concat!`).
macro_rules! journal_media_access {
    () => {
        "`media_type: AUDIO` needs the `canUseVoiceFeatures` \
         capability: without it the answer is `403 {\"error\": \"You do not have permission to \
         upload audio files\"}` (checked before any file is read). Another user's entry is \
         `403 {\"error\": \"You can only add media to your own journal entries\"}`; a missing \
         id or another tenant's entry is `404 {\"error\": \"Journal entry not found\"}`."
    };
}
pub(crate) use journal_media_access;

mod examples;
mod idempotency;
mod responses;
pub use examples::*;
pub use idempotency::*;
pub use responses::*;
