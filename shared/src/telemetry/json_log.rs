//! Log lines as Lambda's JSON format has them (`timestamp`, `level`,
//! `message`, `requestId`: Lambda filters on `level`, CloudWatch Logs
//! Insights reads every key), with the function, the request span's ids and
//! the event's own fields at the top level. Fields that could carry a
//! secret or personal data are masked by name, whatever the call site logs.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::io::Write;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::Context;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

/// What every line of the process carries.
#[derive(Clone, Debug, Default)]
pub struct Statics {
    pub function_name: String,
    pub function_version: String,
}

impl Statics {
    /// The function's name and version as Lambda sets them.
    pub fn from_env() -> Self {
        let var = |name, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
        Statics {
            function_name: var("AWS_LAMBDA_FUNCTION_NAME", "local"),
            function_version: var("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
        }
    }
}

/// The layer: one JSON object per event, one line each.
pub struct JsonLog<W> {
    writer: W,
    statics: Statics,
}

impl<W> JsonLog<W> {
    pub fn new(writer: W, statics: Statics) -> Self {
        JsonLog { writer, statics }
    }
}

/// A span's fields, kept in the span's extensions.
struct SpanFields(Map<String, Value>);

impl<S, W> Layer<S> for JsonLog<W>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + 'static,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        span.extensions_mut().insert(SpanFields(fields.map));
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut extensions = span.extensions_mut();
        if let Some(SpanFields(map)) = extensions.get_mut::<SpanFields>() {
            let mut fields = Fields {
                map: std::mem::take(map),
                message: None,
            };
            values.record(&mut fields);
            *map = fields.map;
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let meta = event.metadata();
        let mut line = Map::new();
        line.insert(
            "timestamp".into(),
            chrono::Utc::now()
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
                .into(),
        );
        line.insert("level".into(), meta.level().as_str().into());
        line.insert("message".into(), Value::Null);
        line.insert("logger".into(), meta.target().into());
        line.insert(
            "function_name".into(),
            self.statics.function_name.clone().into(),
        );
        line.insert(
            "function_version".into(),
            self.statics.function_version.clone().into(),
        );
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope.from_root() {
                if let Some(SpanFields(map)) = span.extensions().get::<SpanFields>() {
                    for (k, v) in map {
                        line.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
            }
        }
        if meta.target() == super::AUDIT_TARGET {
            line.insert("audit".into(), true.into());
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        line.insert("message".into(), fields.message.unwrap_or_default().into());
        // The event's own fields never replace the keys above.
        for (k, v) in fields.map {
            line.entry(k).or_insert(v);
        }
        let mut bytes = serde_json::to_vec(&Value::Object(line)).unwrap_or_default();
        bytes.push(b'\n');
        // One write per line, so concurrent lines never interleave.
        let _ = self.writer.make_writer_for(meta).write_all(&bytes);
    }
}

/// The fields of an event or span, masked by name.
#[derive(Default)]
struct Fields {
    map: Map<String, Value>,
    message: Option<String>,
}

impl Fields {
    fn put(&mut self, field: &Field, value: Value) {
        let name = field.name();
        let value = match sensitivity(name) {
            Sensitivity::Plain => value,
            Sensitivity::Secret => "[redacted]".into(),
            Sensitivity::Personal => pseudonym(&value).into(),
        };
        self.map.insert(name.to_string(), value);
    }
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.message = Some(format!("{value:?}"));
        } else {
            self.put(field, format!("{value:?}").into());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = Some(value.to_string());
        } else {
            self.put(field, value.into());
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, value.into());
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, value.into());
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, value.into());
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.put(field, value.into());
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.put(field, value.to_string().into());
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Sensitivity {
    Plain,
    /// Never written: credentials and tokens.
    Secret,
    /// Written as a pseudonym, so lines about one person still correlate.
    Personal,
}

/// What a field's name says about its value.
fn sensitivity(name: &str) -> Sensitivity {
    let name = name.to_ascii_lowercase();
    const SECRET: [&str; 8] = [
        "password",
        "token",
        "secret",
        "authorization",
        "cookie",
        "private_key",
        "api_key",
        "signature",
    ];
    const SECRET_EXACT: [&str; 3] = ["access", "refresh", "jwt"];
    const PERSONAL: [&str; 8] = [
        "username",
        "email",
        "phone",
        "first_name",
        "last_name",
        "full_name",
        "date_of_birth",
        "address",
    ];
    if SECRET.iter().any(|s| name.contains(s)) || SECRET_EXACT.contains(&name.as_str()) {
        Sensitivity::Secret
    } else if PERSONAL.iter().any(|s| name.contains(s)) {
        Sensitivity::Personal
    } else {
        Sensitivity::Plain
    }
}

/// `anon:` and the first 12 hex digits of the SHA-256 of the value as
/// written (trimmed, lower-cased): the same person gives the same pseudonym.
fn pseudonym(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.trim().to_lowercase(),
        other => other.to_string(),
    };
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("anon:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_carry_secrets_or_personal_data_are_recognised() {
        for name in [
            "password",
            "new_password",
            "access_token",
            "refresh",
            "Authorization",
        ] {
            assert_eq!(sensitivity(name), Sensitivity::Secret, "{name}");
        }
        for name in ["username", "email", "personal_email", "phone_number"] {
            assert_eq!(sensitivity(name), Sensitivity::Personal, "{name}");
        }
        for name in [
            "user_id",
            "tenant_id",
            "event",
            "capability",
            "route",
            "error",
        ] {
            assert_eq!(sensitivity(name), Sensitivity::Plain, "{name}");
        }
    }

    use std::sync::{Arc, Mutex};
    use tracing_subscriber::layer::SubscriberExt;

    /// A writer into a shared buffer, to read the lines back.
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Buffer {
        type Writer = Buffer;
        fn make_writer(&'a self) -> Buffer {
            self.clone()
        }
    }

    #[test]
    fn lines_carry_the_request_and_function_and_mark_audit_events_without_secrets() {
        let buffer = Buffer::default();
        let statics = Statics {
            function_name: "onboarding-LoginFunction-abc".into(),
            function_version: "7".into(),
        };
        let subscriber = tracing_subscriber::registry().with(JsonLog::new(buffer.clone(), statics));
        tracing::subscriber::with_default(subscriber, || {
            let span = tracing::info_span!(
                "request",
                requestId = "lambda-req-1",
                apigw_request_id = "apigw-req-1",
                cold_start = true,
            );
            let _in = span.enter();
            tracing::warn!(target: "audit", event = "login_failed", username = "New.Employee",
                password = "hunter2", failures = 2u64, "login refused");
            tracing::info!(access_token = "eyJ.secret", user_id = 5u64, "login");
        });
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "{text}");
        for line in &lines {
            assert_eq!(line["requestId"], "lambda-req-1");
            assert_eq!(line["apigw_request_id"], "apigw-req-1");
            assert_eq!(line["cold_start"], true);
            assert_eq!(line["function_name"], "onboarding-LoginFunction-abc");
            assert_eq!(line["function_version"], "7");
            assert!(
                chrono::DateTime::parse_from_rfc3339(line["timestamp"].as_str().unwrap()).is_ok()
            );
        }
        let audit = &lines[0];
        assert_eq!(audit["level"], "WARN");
        assert_eq!(audit["message"], "login refused");
        assert_eq!(audit["audit"], true);
        assert_eq!(audit["event"], "login_failed");
        assert_eq!(audit["failures"], 2);
        assert_eq!(audit["password"], "[redacted]");
        assert!(audit["username"].as_str().unwrap().starts_with("anon:"));
        assert_eq!(lines[1]["audit"], Value::Null);
        assert_eq!(lines[1]["access_token"], "[redacted]");
        assert_eq!(lines[1]["user_id"], 5);
        for secret in ["hunter2", "eyJ.secret", "New.Employee", "new.employee"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }

    #[test]
    fn a_pseudonym_is_stable_and_hides_the_value() {
        let a = pseudonym(&"New.Employee ".into());
        assert_eq!(a, pseudonym(&"new.employee".into()));
        assert!(a.starts_with("anon:") && a.len() == 17, "{a}");
        assert!(!a.contains("employee"));
    }
}
