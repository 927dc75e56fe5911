//! Request bodies as types. Each body is one Rust type that is deserialized,
//! validated and documented from one definition:
//!
//! - its fields are [`Field`]s, which accept any JSON value and remember what
//!   came (absent, `null`, the right type, or something else), so a body with
//!   three problems gets three messages, not the first one;
//! - keys the type does not have are collected while deserializing
//!   (`serde_ignored`) and answered as field errors;
//! - [`RequestBody::validate`] turns the raw fields into the validated value
//!   the handler receives, pushing the contract's messages into one
//!   `{"errors": {field: [..]}}` body;
//! - the same struct derives `utoipa::ToSchema` (feature `openapi`) for the
//!   OpenAPI document.
//!
//! [`json`] and [`form`] read a request into a validated value.

use crate::errors::{ApiError, FieldErrors};
use crate::http::{self, BodyKind};
use bytes::Bytes;
use lambda_http::Request;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// The messages every body shares (Django REST framework's wording, which
/// the apps were built against).
pub mod msg {
    pub const REQUIRED: &str = "This field is required.";
    pub const NULL: &str = "This field may not be null.";
    pub const BLANK: &str = "This field may not be blank.";
    pub const NOT_A_STRING: &str = "Not a valid string.";
    pub const NOT_A_BOOLEAN: &str = "Must be a valid boolean.";
    pub const NOT_AN_OBJECT: &str = "Expected a JSON object.";
    pub const UNKNOWN: &str = "Unknown field.";
    pub const READ_ONLY: &str = "This field cannot be updated.";
}

/// One key of a request body, as sent.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Field<T> {
    /// The key was not sent.
    #[default]
    Absent,
    /// The key was sent as `null`.
    Null,
    /// A value of the expected type.
    Value(T),
    /// A value of another type (the validation answers it).
    Invalid(Value),
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Null => Field::Null,
            other => match T::deserialize(&other) {
                Ok(v) => Field::Value(v),
                Err(_) => Field::Invalid(other),
            },
        })
    }
}

impl<T> Field<T> {
    /// Whether the key was sent at all.
    pub fn is_sent(&self) -> bool {
        !matches!(self, Field::Absent)
    }

    /// A required value: absent or `null` is "required", another type
    /// `type_error`.
    pub fn required(self, name: &str, errors: &mut FieldErrors, type_error: &str) -> Option<T> {
        match self {
            Field::Value(v) => Some(v),
            Field::Absent | Field::Null => {
                push(errors, name, msg::REQUIRED);
                None
            }
            Field::Invalid(_) => {
                push(errors, name, type_error);
                None
            }
        }
    }

    /// An optional value: absent and `null` are both "not given".
    pub fn optional(self, name: &str, errors: &mut FieldErrors, type_error: &str) -> Option<T> {
        match self {
            Field::Value(v) => Some(v),
            Field::Absent | Field::Null => None,
            Field::Invalid(_) => {
                push(errors, name, type_error);
                None
            }
        }
    }

    /// A partial update: `None` not sent, `Some(None)` cleared (`null`),
    /// `Some(Some(v))` set.
    pub fn patch(
        self,
        name: &str,
        errors: &mut FieldErrors,
        type_error: &str,
    ) -> Option<Option<T>> {
        match self {
            Field::Absent => None,
            Field::Null => Some(None),
            Field::Value(v) => Some(Some(v)),
            Field::Invalid(_) => {
                push(errors, name, type_error);
                None
            }
        }
    }

    /// Like `optional`, but `null` is refused ("may not be null").
    pub fn not_null(self, name: &str, errors: &mut FieldErrors, type_error: &str) -> Option<T> {
        match self {
            Field::Null => {
                push(errors, name, msg::NULL);
                None
            }
            other => other.optional(name, errors, type_error),
        }
    }

    /// The raw JSON of a value of another type (for messages that quote it).
    pub fn invalid_value(&self) -> Option<&Value> {
        match self {
            Field::Invalid(v) => Some(v),
            _ => None,
        }
    }
}

impl Field<String> {
    /// A required string that is not blank.
    pub fn required_text(self, name: &str, errors: &mut FieldErrors) -> Option<String> {
        let text = self.required(name, errors, msg::NOT_A_STRING)?;
        if text.trim().is_empty() {
            push(errors, name, msg::BLANK);
            return None;
        }
        Some(text)
    }
}

/// Adds one message for `field`.
pub fn push(errors: &mut FieldErrors, field: &str, message: impl Into<String>) {
    errors
        .entry(field.to_string())
        .or_default()
        .push(message.into());
}

/// A request body type: its raw fields and how they become the value the
/// handler receives.
pub trait RequestBody: DeserializeOwned {
    type Valid;

    /// The answer to a key the type does not have: `(field, message)`.
    /// `prefix` names the enclosing object of a nested one (`profile.`).
    /// `Unknown field.` under the prefixed key, unless the type knows better
    /// (read-only keys; `None`: ignored, as a form's extra parts are).
    fn unknown_key(key: &str, prefix: &str) -> Option<(String, &'static str)> {
        Some((format!("{prefix}{key}"), msg::UNKNOWN))
    }

    /// Checks every field, reporting every problem into `errors` under the
    /// field names the contract uses. Returns the value when nothing was
    /// reported (the caller checks `errors` too).
    fn validate(self, errors: &mut FieldErrors, files: &mut Files) -> Option<Self::Valid>;
}

/// Deserializes `object` as `T`, reporting unknown keys (`prefix` names the
/// enclosing key of a nested object, e.g. `profile.`) and validating.
/// Only the unknown keys are prefixed: a type names its own fields' errors.
pub fn from_object<T: RequestBody>(
    object: Map<String, Value>,
    prefix: &str,
    errors: &mut FieldErrors,
    files: &mut Files,
) -> Option<T::Valid> {
    let mut unknown = Vec::new();
    let raw: Result<T, _> =
        serde_ignored::deserialize(Value::Object(object), |path| unknown.push(path.to_string()));
    for key in unknown {
        if let Some((field, message)) = T::unknown_key(&key, prefix) {
            push(errors, &field, message);
        }
    }
    match raw {
        Ok(raw) => raw.validate(errors, files),
        // Only a field type that is not a `Field` can fail; say which.
        Err(e) => {
            let field = if prefix.is_empty() {
                "body"
            } else {
                prefix.trim_end_matches('.')
            };
            push(errors, field, e.to_string());
            None
        }
    }
}

/// A nested object field (`profile`, `wellbeing_metrics`, ...): validated as
/// `T`, its unknown keys reported as `name.<key>`. `None` when a problem was
/// reported (`type_error` when the value is not an object).
pub fn nested<T: RequestBody>(
    field: Field<Map<String, Value>>,
    name: &str,
    errors: &mut FieldErrors,
    type_error: &str,
) -> Option<Field<T::Valid>> {
    match field {
        Field::Absent => Some(Field::Absent),
        Field::Null => Some(Field::Null),
        Field::Invalid(_) => {
            push(errors, name, type_error);
            None
        }
        Field::Value(object) => {
            let before = count(errors);
            let valid =
                from_object::<T>(object, &format!("{name}."), errors, &mut Files::default());
            valid.filter(|_| count(errors) == before).map(Field::Value)
        }
    }
}

fn count(errors: &FieldErrors) -> usize {
    errors.values().map(Vec::len).sum()
}

/// The body of a JSON route as `T`'s validated value. An empty body is an
/// empty object; a body not declared as JSON is a 415; one that is not a
/// JSON object is a 400 on `body`.
pub fn json<T: RequestBody>(req: &Request) -> Result<T::Valid, ApiError> {
    let object = http::json_object(req)?;
    finish::<T>(object, Files::default())
}

/// Like [`json`], but hands back what validated along with the problems, for
/// a handler that adds checks of its own (against stored data) and reports
/// everything at once.
pub fn json_partial<T: RequestBody>(
    req: &Request,
) -> Result<(Option<T::Valid>, FieldErrors), ApiError> {
    let object = http::json_object(req)?;
    let mut errors = FieldErrors::new();
    let valid = from_object::<T>(object, "", &mut errors, &mut Files::default());
    Ok((valid, errors))
}

fn finish<T: RequestBody>(
    object: Map<String, Value>,
    mut files: Files,
) -> Result<T::Valid, ApiError> {
    let mut errors = FieldErrors::new();
    let valid = from_object::<T>(object, "", &mut errors, &mut files);
    match valid {
        Some(v) if errors.is_empty() => Ok(v),
        _ => Err(ApiError::Validation(errors)),
    }
}

/// A file part of a multipart form, as a [`Field`] of a form type refers to
/// it (its schema is a binary string).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub struct FileRef {
    #[serde(rename = "$file")]
    index: usize,
}

/// An uploaded file of a form.
#[derive(Clone, Debug)]
pub struct File {
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub data: Bytes,
}

/// The files of a form, taken by the form's validation.
#[derive(Default)]
pub struct Files(Vec<Option<File>>);

impl Files {
    /// The file a field refers to (each can be taken once).
    pub fn take(&mut self, r: FileRef) -> Option<File> {
        self.0.get_mut(r.index).and_then(Option::take)
    }
}

/// The body of a multipart route as `T`'s validated value: text parts are
/// JSON strings, file parts (those with a file name or a content type other
/// than text) [`FileRef`]s. `None`
/// when the request has no body at all; a body that is not multipart is a
/// 415; a malformed one a 400.
pub async fn form<T: RequestBody>(req: &Request) -> Result<Option<T::Valid>, ApiError> {
    if http::declared_kind(req, &[BodyKind::Multipart])?.is_none() {
        return Ok(None);
    }
    let content_type = http::content_type(req).unwrap_or_default().to_string();
    let body = Bytes::copy_from_slice(http::body_bytes(req));
    let parts = crate::multipart::parse(&content_type, body)
        .await
        .map_err(|e| ApiError::BadRequest(format!("Malformed multipart body: {e}")))?;
    let mut object = Map::new();
    let mut files = Files::default();
    for part in parts {
        let is_file = part.file_name.is_some()
            || part
                .content_type
                .as_deref()
                .is_some_and(|ct| !ct.starts_with("text/plain"));
        let value = if is_file {
            files.0.push(Some(File {
                file_name: part.file_name,
                content_type: part.content_type,
                data: part.data,
            }));
            serde_json::json!({ "$file": files.0.len() - 1 })
        } else {
            Value::String(String::from_utf8_lossy(&part.data).into_owned())
        };
        object.insert(part.name, value);
    }
    finish::<T>(object, files).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Login {
        username: Field<String>,
        password: Field<String>,
        remember: Field<bool>,
    }

    impl RequestBody for Login {
        type Valid = (String, String, bool);
        fn validate(self, errors: &mut FieldErrors, _: &mut Files) -> Option<Self::Valid> {
            let u = self
                .username
                .required("username", errors, msg::NOT_A_STRING);
            let p = self
                .password
                .required("password", errors, msg::NOT_A_STRING);
            let r = self
                .remember
                .optional("remember", errors, msg::NOT_A_BOOLEAN);
            Some((u?, p?, r.unwrap_or(false)))
        }
    }

    fn check(v: Value) -> Result<(String, String, bool), FieldErrors> {
        let mut errors = FieldErrors::new();
        let valid = from_object::<Login>(
            v.as_object().unwrap().clone(),
            "",
            &mut errors,
            &mut Files::default(),
        );
        match valid {
            Some(v) if errors.is_empty() => Ok(v),
            _ => Err(errors),
        }
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let errors = check(serde_json::json!({
            "username": 5, "remember": "yes", "extra": 1, "more": {"x": 1}
        }))
        .unwrap_err();
        assert_eq!(errors["username"], vec![msg::NOT_A_STRING]);
        assert_eq!(errors["password"], vec![msg::REQUIRED]);
        assert_eq!(errors["remember"], vec![msg::NOT_A_BOOLEAN]);
        assert_eq!(errors["extra"], vec![msg::UNKNOWN]);
        assert_eq!(errors["more"], vec![msg::UNKNOWN]);
    }

    #[test]
    fn a_good_body_is_validated() {
        assert_eq!(
            check(serde_json::json!({"username": "a", "password": "b", "remember": null})),
            Ok(("a".into(), "b".into(), false))
        );
    }

    #[test]
    fn fields_tell_absent_from_null() {
        let f: Field<String> = serde_json::from_value(Value::Null).unwrap();
        assert_eq!(f, Field::Null);
        let f: Field<u64> = serde_json::from_value(serde_json::json!("7")).unwrap();
        assert_eq!(f, Field::Invalid(serde_json::json!("7")));
        let mut errors = FieldErrors::new();
        assert_eq!(Field::<u64>::Absent.patch("x", &mut errors, "t"), None);
        assert_eq!(Field::<u64>::Null.patch("x", &mut errors, "t"), Some(None));
        assert!(errors.is_empty());
    }
}
