//! Reading and writing DynamoDB attribute values.

pub use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

pub type Item = HashMap<String, AttributeValue>;

pub fn get_str<'a>(item: &'a Item, key: &str) -> Option<&'a str> {
    item.get(key)
        .and_then(|v| v.as_s().ok())
        .map(String::as_str)
}

/// A non-empty string; legacy items sometimes hold "" where nothing was set.
pub fn get_nonempty(item: &Item, key: &str) -> Option<String> {
    get_str(item, key)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

pub fn get_u64(item: &Item, key: &str) -> Option<u64> {
    match item.get(key)? {
        AttributeValue::N(n) => n.parse().ok(),
        // Some legacy writers stored numbers as strings.
        AttributeValue::S(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub fn get_bool(item: &Item, key: &str) -> Option<bool> {
    as_bool(item.get(key)?)
}

/// A boolean as any writer stored it: BOOL, a number (0 is false) or, from
/// legacy writers, the strings "true"/"false"/"1"/"0". NULL and anything
/// else is "not set".
pub fn as_bool(v: &AttributeValue) -> Option<bool> {
    match v {
        AttributeValue::Bool(b) => Some(*b),
        AttributeValue::N(n) => Some(n.trim().parse::<f64>() != Ok(0.0)),
        AttributeValue::S(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

pub fn get_map<'a>(item: &'a Item, key: &str) -> Option<&'a Item> {
    item.get(key).and_then(|v| v.as_m().ok())
}

pub fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

pub fn n(v: u64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

pub fn opt_s(v: Option<impl Into<String>>) -> AttributeValue {
    match v {
        Some(v) => AttributeValue::S(v.into()),
        None => AttributeValue::Null(true),
    }
}

/// JSON -> attribute value, for free-form maps such as `people_extras`.
pub fn from_json(v: &serde_json::Value) -> AttributeValue {
    use serde_json::Value;
    match v {
        Value::Null => AttributeValue::Null(true),
        Value::Bool(b) => AttributeValue::Bool(*b),
        Value::Number(x) => AttributeValue::N(x.to_string()),
        Value::String(x) => AttributeValue::S(x.clone()),
        Value::Array(xs) => AttributeValue::L(xs.iter().map(from_json).collect()),
        Value::Object(m) => {
            AttributeValue::M(m.iter().map(|(k, v)| (k.clone(), from_json(v))).collect())
        }
    }
}

/// Attribute value -> JSON, losslessly for the types we write.
pub fn to_json(v: &AttributeValue) -> serde_json::Value {
    use serde_json::Value;
    match v {
        AttributeValue::S(x) => Value::String(x.clone()),
        AttributeValue::N(x) => x
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| x.parse::<f64>().map(Value::from))
            .unwrap_or_else(|_| Value::String(x.clone())),
        AttributeValue::Bool(b) => Value::Bool(*b),
        AttributeValue::Null(_) => Value::Null,
        AttributeValue::L(xs) => Value::Array(xs.iter().map(to_json).collect()),
        AttributeValue::M(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
        AttributeValue::Ss(xs) => Value::from(xs.clone()),
        AttributeValue::Ns(xs) => Value::from(xs.clone()),
        _ => Value::Null,
    }
}
