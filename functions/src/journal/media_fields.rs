//! The fields the media routes share: the kind of attachment, its caption
//! and the client's duration, with the journal's messages.

use serde_json::Value;
use shared::contract::journal::{MediaType, MAX_CAPTION_CHARS, MEDIA_TYPES};
use shared::errors::FieldErrors;
use shared::request::{msg, push, Field};

/// `media_type`: required, one of `PHOTO`, `VIDEO`, `AUDIO`.
pub fn media_type(field: Field<Value>, errors: &mut FieldErrors) -> Option<MediaType> {
    match field {
        Field::Absent | Field::Null => {
            push(errors, "media_type", msg::REQUIRED);
            None
        }
        Field::Value(Value::String(s)) => MediaType::parse(s.trim()).or_else(|| {
            push(
                errors,
                "media_type",
                format!(
                    "\"{s}\" is not a valid choice. Allowed: {}",
                    MEDIA_TYPES.join(", ")
                ),
            );
            None
        }),
        _ => {
            push(errors, "media_type", msg::NOT_A_STRING);
            None
        }
    }
}

/// `caption`: optional, at most 500 characters; blank is none.
pub fn caption(field: Field<Value>, errors: &mut FieldErrors) -> Option<String> {
    match field {
        Field::Absent | Field::Null => None,
        Field::Value(Value::String(s)) if s.trim().is_empty() => None,
        Field::Value(Value::String(s)) if s.chars().count() > MAX_CAPTION_CHARS => {
            push(
                errors,
                "caption",
                format!("Ensure this field has no more than {MAX_CAPTION_CHARS} characters."),
            );
            None
        }
        Field::Value(Value::String(s)) => Some(s.trim().to_string()),
        _ => {
            push(errors, "caption", msg::NOT_A_STRING);
            None
        }
    }
}

/// The client's `duration` (seconds; a JSON number or a form string):
/// optional, a non-negative number.
pub fn duration(field: Field<Value>, errors: &mut FieldErrors) -> Option<f64> {
    let parsed = match field {
        Field::Absent | Field::Null => return None,
        Field::Value(Value::Number(n)) => n.as_f64(),
        Field::Value(Value::String(s)) if s.trim().is_empty() => return None,
        Field::Value(Value::String(s)) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match parsed.filter(|d| d.is_finite() && *d >= 0.0) {
        Some(d) => Some(d),
        None => {
            push(errors, "duration", "A valid number of seconds is required.");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations_are_non_negative_numbers_or_numeric_strings() {
        let mut errors = FieldErrors::new();
        assert_eq!(duration(Field::Value(json!("45")), &mut errors), Some(45.0));
        assert_eq!(duration(Field::Value(json!(3.5)), &mut errors), Some(3.5));
        assert!(errors.is_empty());
        assert_eq!(duration(Field::Value(json!(-1)), &mut errors), None);
        assert_eq!(errors["duration"].len(), 1);
    }
}
