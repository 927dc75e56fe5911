//! Schemas written by hand from the tables they document, so they cannot
//! drift: the capability table, the enums of the rules.

use super::journal::{
    MediaAttachmentResponse, MediaType, ENTRY_TYPES, MEDIA_TYPES, PRIVACY_SCOPES,
};
use crate::capabilities::{Capabilities, TABLE as CAPABILITY_TABLE};
use crate::profile::{Gender, ONBOARDING_STEPS, REQUIRED_FIELDS};
use std::borrow::Cow;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

/// An enum of strings, with its description.
fn string_enum<S: ToString>(description: &str, values: &[S]) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(values.iter().map(ToString::to_string)))
        .into()
}

/// The 13 flags in the contract's order, each a required boolean; its
/// description gives the default, the admin default and what it gates.
impl PartialSchema for Capabilities {
    fn schema() -> RefOr<Schema> {
        let mut object = ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "The user's effective capability flags: all 13, camelCase. A user with \
             no stored value gets the default of their role (user or admin); \
             stored values are merged over it. Each flag's `default` is the \
             default for a regular user.",
            ));
        for def in &CAPABILITY_TABLE {
            object = object
                .property(
                    def.key,
                    ObjectBuilder::new()
                        .schema_type(Type::Boolean)
                        .default(Some(serde_json::Value::Bool(def.default)))
                        .description(Some(format!(
                            "Default {}, admin default {}. Gates: {}.",
                            def.default, def.admin_default, def.gates
                        ))),
                )
                .required(def.key);
        }
        object.into()
    }
}

impl ToSchema for Capabilities {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Capabilities")
    }
}

/// Gender on the wire.
impl PartialSchema for Gender {
    fn schema() -> RefOr<Schema> {
        string_enum(
            "Gender on the wire. Stored legacy one-letter codes (`M`, `F`, `O`) are \
             shown in this form; the PATCH takes only this form.",
            &[Gender::Male, Gender::Female, Gender::Other].map(Gender::as_wire),
        )
    }
}

impl ToSchema for Gender {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Gender")
    }
}

/// Schema only: the name of an onboarding step ([`ONBOARDING_STEPS`]).
pub struct OnboardingStep;

impl PartialSchema for OnboardingStep {
    fn schema() -> RefOr<Schema> {
        string_enum("An onboarding step the apps may report.", &ONBOARDING_STEPS)
    }
}

impl ToSchema for OnboardingStep {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("OnboardingStep")
    }
}

/// Schema only: the key of a required profile field ([`REQUIRED_FIELDS`]).
pub struct RequiredField;

impl PartialSchema for RequiredField {
    fn schema() -> RefOr<Schema> {
        string_enum(
            "A profile field that counts towards completion.",
            &REQUIRED_FIELDS.map(|(f, _)| f),
        )
    }
}

impl ToSchema for RequiredField {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("RequiredField")
    }
}

/// Schema only: the kind of a journal entry ([`ENTRY_TYPES`]).
pub struct EntryType;

impl PartialSchema for EntryType {
    fn schema() -> RefOr<Schema> {
        string_enum("The kind of a journal entry.", &ENTRY_TYPES)
    }
}

impl ToSchema for EntryType {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("EntryType")
    }
}

/// Schema only: who may see a journal entry ([`PRIVACY_SCOPES`]).
pub struct PrivacyScope;

impl PartialSchema for PrivacyScope {
    fn schema() -> RefOr<Schema> {
        string_enum(
            "Who may see a journal entry (default `PRIVATE`).",
            &PRIVACY_SCOPES,
        )
    }
}

impl ToSchema for PrivacyScope {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("PrivacyScope")
    }
}

/// The kind of an attachment ([`MEDIA_TYPES`]).
impl PartialSchema for MediaType {
    fn schema() -> RefOr<Schema> {
        string_enum(
            "The kind of a journal attachment. `AUDIO` (a voice note) needs the \
             `canUseVoiceFeatures` capability.",
            &MEDIA_TYPES,
        )
    }
}

impl ToSchema for MediaType {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("MediaType")
    }
}

/// Schema only: `GET /api/v2/journal/entries/{id}/media/` answer, a JSON
/// array of the entry's attachments.
pub struct JournalMediaList;

impl PartialSchema for JournalMediaList {
    fn schema() -> RefOr<Schema> {
        ArrayBuilder::new()
            .items(Ref::from_schema_name(MediaAttachmentResponse::name()))
            .description(Some("The entry's attachments, oldest first."))
            .into()
    }
}

impl ToSchema for JournalMediaList {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("JournalMediaList")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((
            MediaAttachmentResponse::name().to_string(),
            MediaAttachmentResponse::schema(),
        ));
        MediaAttachmentResponse::schemas(schemas);
    }
}
