//! The fields a journal entry is created or changed with: what the create
//! and the PATCH bodies share, validated by one set of rules.
//!
//! - `entry_type`: `DAILY`, `REFLECTION`, `GRATITUDE`, `INCIDENT`, `OTHER`.
//! - `privacy_scope`: `PRIVATE` (default), `TEAM`, `ORGANIZATION`.
//! - `wellbeing_metrics`, every field optional: `mood_rating`, `stress_level`
//!   and `energy_level` whole numbers 1-10, `sleep_hours` a number 0-24.
//! - `title` 1-200 characters (required on create), `content` at most 20000
//!   characters, `timestamp` ISO 8601 with an offset (stored and returned as
//!   UTC with `Z`; default: now), `consent_given` a boolean (default false).

use serde::Deserialize;
use serde_json::{Map, Value};
use shared::contract::journal::{
    EntryFields, WellbeingMetrics, ENTRY_TYPES, MAX_CONTENT_CHARS, MAX_TITLE_CHARS, PRIVACY_SCOPES,
};
use shared::errors::FieldErrors;
use shared::request::{msg, nested, push, Field, Files, RequestBody};

/// The seven fields of a create or PATCH body, as sent.
pub struct EntryInput {
    pub entry_type: Field<Value>,
    pub title: Field<Value>,
    pub content: Field<Value>,
    pub timestamp: Field<Value>,
    pub wellbeing_metrics: Field<Map<String, Value>>,
    pub privacy_scope: Field<Value>,
    pub consent_given: Field<Value>,
}

const MSG_TIMESTAMP: &str =
    "Datetime has wrong format. Use ISO 8601 with a time zone, e.g. 2025-11-12T18:00:00Z.";

/// Validates the fields of a create (`creating`: `entry_type` and `title`
/// required) or a PATCH (every field optional).
pub fn validate(input: EntryInput, creating: bool, errors: &mut FieldErrors) -> EntryFields {
    let mut out = EntryFields::default();
    if creating {
        if !input.entry_type.is_sent() {
            push(errors, "entry_type", msg::REQUIRED);
        }
        if !input.title.is_sent() {
            push(errors, "title", msg::REQUIRED);
        }
    }
    out.entry_type = choice(input.entry_type, "entry_type", &ENTRY_TYPES, errors);
    out.privacy_scope = choice(
        input.privacy_scope,
        "privacy_scope",
        &PRIVACY_SCOPES,
        errors,
    );
    match input.title {
        Field::Absent => {}
        Field::Value(Value::String(t)) if t.trim().is_empty() => push(errors, "title", msg::BLANK),
        Field::Value(Value::String(t)) if t.chars().count() > MAX_TITLE_CHARS => push(
            errors,
            "title",
            format!("Ensure this field has no more than {MAX_TITLE_CHARS} characters."),
        ),
        Field::Value(Value::String(t)) => out.title = Some(t.trim().to_string()),
        _ => push(errors, "title", msg::NOT_A_STRING),
    }
    match input.content {
        Field::Absent => {}
        Field::Null if !creating => push(errors, "content", msg::NULL),
        Field::Null => {}
        Field::Value(Value::String(c)) if c.chars().count() > MAX_CONTENT_CHARS => push(
            errors,
            "content",
            format!("Ensure this field has no more than {MAX_CONTENT_CHARS} characters."),
        ),
        Field::Value(Value::String(c)) => out.content = Some(c),
        _ => push(errors, "content", msg::NOT_A_STRING),
    }
    match input.timestamp {
        Field::Absent => {}
        Field::Value(Value::String(ts)) => match shared::time::parse_timestamp(&ts) {
            Ok(t) => out.timestamp = Some(t),
            Err(shared::time::DateError::Range) => {
                push(errors, "timestamp", "Timestamp is out of range.")
            }
            Err(shared::time::DateError::Format) => push(errors, "timestamp", MSG_TIMESTAMP),
        },
        _ => push(errors, "timestamp", MSG_TIMESTAMP),
    }
    match input.consent_given {
        Field::Absent => {}
        Field::Value(Value::Bool(b)) => out.consent_given = Some(b),
        _ => push(errors, "consent_given", msg::NOT_A_BOOLEAN),
    }
    match nested::<WellbeingMetricsInput>(
        input.wellbeing_metrics,
        "wellbeing_metrics",
        errors,
        "Expected an object.",
    ) {
        Some(Field::Null) => out.wellbeing_metrics = Some(None),
        Some(Field::Value(m)) => out.wellbeing_metrics = Some(Some(m)),
        _ => {}
    }
    out
}

/// One of `allowed`; `null` and anything else are refused.
fn choice(
    field: Field<Value>,
    name: &str,
    allowed: &[&str],
    errors: &mut FieldErrors,
) -> Option<String> {
    match field {
        Field::Absent => None,
        Field::Value(Value::String(v)) if allowed.contains(&v.as_str()) => Some(v),
        Field::Null => {
            push(errors, name, msg::NULL);
            None
        }
        Field::Value(v) | Field::Invalid(v) => {
            push(
                errors,
                name,
                format!(
                    "\"{}\" is not a valid choice. Allowed: {}",
                    v.as_str().map(str::to_string).unwrap_or(v.to_string()),
                    allowed.join(", ")
                ),
            );
            None
        }
    }
}

/// `wellbeing_metrics` in a create or PATCH body: every key optional, `null`
/// is the same as leaving it out.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WellbeingMetricsInput {
    /// A whole number from 1 to 10.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u8>, minimum = 1, maximum = 10))]
    #[serde(default)]
    pub mood_rating: Field<Value>,
    /// A whole number from 1 to 10.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u8>, minimum = 1, maximum = 10))]
    #[serde(default)]
    pub stress_level: Field<Value>,
    /// A whole number from 1 to 10.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u8>, minimum = 1, maximum = 10))]
    #[serde(default)]
    pub energy_level: Field<Value>,
    /// A number from 0 to 24 (decimals allowed).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>, minimum = 0, maximum = 24))]
    #[serde(default)]
    pub sleep_hours: Field<Value>,
}

impl RequestBody for WellbeingMetricsInput {
    type Valid = WellbeingMetrics;

    fn validate(self, errors: &mut FieldErrors, _: &mut Files) -> Option<WellbeingMetrics> {
        let scale = |field: Field<Value>, name: &str, errors: &mut FieldErrors| -> Option<u8> {
            match field {
                Field::Absent | Field::Null => None,
                Field::Value(Value::Number(n))
                    if n.as_u64().is_some_and(|v| (1..=10).contains(&v)) =>
                {
                    n.as_u64().map(|v| v as u8)
                }
                _ => {
                    push(
                        errors,
                        &format!("wellbeing_metrics.{name}"),
                        "Must be a whole number from 1 to 10.",
                    );
                    None
                }
            }
        };
        let mood_rating = scale(self.mood_rating, "mood_rating", errors);
        let stress_level = scale(self.stress_level, "stress_level", errors);
        let energy_level = scale(self.energy_level, "energy_level", errors);
        let sleep_hours = match self.sleep_hours {
            Field::Absent | Field::Null => None,
            Field::Value(Value::Number(n))
                if n.as_f64().is_some_and(|v| (0.0..=24.0).contains(&v)) =>
            {
                n.as_f64().map(storable_hours)
            }
            _ => {
                push(
                    errors,
                    "wellbeing_metrics.sleep_hours",
                    "Must be a number from 0 to 24.",
                );
                None
            }
        };
        Some(WellbeingMetrics {
            mood_rating,
            stress_level,
            energy_level,
            sleep_hours,
        })
    }
}

/// DynamoDB numbers stop at 1e-130: anything smaller (a subnormal double the
/// schema allows) could not be written and would fail the request, so it is
/// kept as 0 hours, which is what it means.
fn storable_hours(v: f64) -> f64 {
    if v < 1e-130 {
        0.0
    } else {
        v
    }
}
