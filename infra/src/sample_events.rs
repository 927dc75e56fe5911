//! Sample events that work as written against a running local stack. The
//! committed `events/*.json` are templates (a placeholder token, example
//! ids); this fills them in for one user: a fresh access token and refresh
//! token from a real login, and journal entries that exist. The tokens come
//! from running the login function itself (in-process, as the gateway
//! would), so nothing about them is special.

use crate::gateway;
use functions::routes::ROUTES;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use shared::AppContext;
use std::path::Path;
use std::sync::Arc;

/// The filled-in events, by function name, and what they point at.
pub struct Samples {
    pub events: Vec<(&'static str, Value)>,
    /// The entry the journal events read, change and attach to.
    pub entry_id: u64,
    /// A second entry, for `journal-entry-delete` (so deleting it leaves the
    /// other events working).
    pub entry_to_delete: u64,
}

/// Reads `templates/<function>.json` for every function.
pub fn read_templates(templates: &Path) -> Result<Vec<(&'static str, Value)>, String> {
    let mut names: Vec<&'static str> = ROUTES.iter().map(|r| r.function).collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            let path = templates.join(format!("{name}.json"));
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let event =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok((name, event))
        })
        .collect()
}

/// Logs `username` in and fills the templates in for them.
pub async fn generate(
    ctx: Arc<AppContext>,
    templates: Vec<(&'static str, Value)>,
    username: &str,
    password: &str,
) -> Result<Samples, String> {
    let template = |name: &str| {
        templates
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, e)| e.clone())
            .ok_or_else(|| format!("no template for {name}"))
    };

    let mut login = template("login")?;
    set_body(
        &mut login,
        &json!({"username": username, "password": password}),
    );
    let tokens = call(&ctx, "login", login.clone(), 200).await?;
    let access = field(&tokens, "access")?;
    let refresh = field(&tokens, "refresh")?;

    let mut create = template("journal-entries-create")?;
    authorize(&mut create, &access);
    let entry = call(&ctx, "journal-entries-create", create.clone(), 201).await?;
    let doomed = call(&ctx, "journal-entries-create", create, 201).await?;
    let id = |e: &Value| e["id"].as_u64().ok_or("an entry without an id");
    let (entry_id, entry_to_delete) = (id(&entry)?, id(&doomed)?);
    let mut start = template("conversation-start")?;
    authorize(&mut start, &access);
    let conversation = call(&ctx, "conversation-start", start, 201).await?;
    let conversation_id = field(&conversation, "conversation_id")?;

    let mut events = Vec::new();
    for (name, mut event) in templates {
        authorize(&mut event, &access);
        match name {
            "login" => event = login.clone(),
            "refresh" => set_body(&mut event, &json!({"refresh": refresh})),
            "journal-entry-update" => {
                let mut body = body_json(&event)?;
                body["version"] = entry["version"].clone();
                set_body(&mut event, &body);
            }
            _ => {}
        }
        let target = match name {
            "journal-entry-delete" => entry_to_delete,
            _ => entry_id,
        };
        point_at(&mut event, target);
        point_at_conversation(&mut event, &conversation_id);
        events.push((name, event));
    }
    Ok(Samples {
        events,
        entry_id,
        entry_to_delete,
    })
}

/// Writes `<dir>/<function>.json` for every sample.
pub fn write(samples: &Samples, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (name, event) in &samples.events {
        let path = dir.join(format!("{name}.json"));
        let text = serde_json::to_string_pretty(event).expect("JSON values serialize");
        std::fs::write(&path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// Runs a function on `event`; its JSON answer if the status is `expected`.
async fn call(
    ctx: &Arc<AppContext>,
    function: &'static str,
    event: Value,
    expected: u16,
) -> Result<Value, String> {
    let response = gateway::invoke(ctx.clone(), function, event, "sample-events").await;
    let status = response.status().as_u16();
    let body = response
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&body);
    if status != expected {
        return Err(format!("{function} answered {status}: {text}"));
    }
    serde_json::from_str(&text).map_err(|e| format!("{function}: {e}: {text}"))
}

fn field(v: &Value, key: &str) -> Result<String, String> {
    v[key]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("no {key:?} in {v}"))
}

/// Replaces the placeholder token of an event that carries one.
fn authorize(event: &mut Value, access: &str) {
    if let Some(h) = event["headers"].get_mut("authorization") {
        *h = Value::String(format!("Bearer {access}"));
    }
}

fn body_json(event: &Value) -> Result<Value, String> {
    let body = event["body"]
        .as_str()
        .ok_or("an event without a JSON body")?;
    serde_json::from_str(body).map_err(|e| e.to_string())
}

/// Sets a JSON body and the content-length it implies.
fn set_body(event: &mut Value, body: &Value) {
    let text = body.to_string();
    if let Some(h) = event["headers"].get_mut("content-length") {
        *h = Value::String(text.len().to_string());
    }
    event["body"] = Value::String(text);
    event["isBase64Encoded"] = Value::Bool(false);
}

/// Puts the conversation id in the path of an event whose route has
/// `{conversation_id}`.
fn point_at_conversation(event: &mut Value, id: &str) {
    if event
        .get("pathParameters")
        .and_then(|p| p.get("conversation_id"))
        .is_none()
    {
        return;
    }
    let Some(path) = event["routeKey"]
        .as_str()
        .and_then(|k| k.split_once(' '))
        .map(|(_, p)| p.replace("{conversation_id}", id))
    else {
        return;
    };
    event["pathParameters"]["conversation_id"] = Value::String(id.to_string());
    event["rawPath"] = Value::String(path.clone());
    event["requestContext"]["http"]["path"] = Value::String(path);
}

/// Puts `id` in the path of an event whose route has `{id}`.
fn point_at(event: &mut Value, id: u64) {
    if event
        .get("pathParameters")
        .and_then(|p| p.get("id"))
        .is_none()
    {
        return;
    }
    let Some(route_path) = event["routeKey"]
        .as_str()
        .and_then(|k| k.split_once(' '))
        .map(|(_, p)| p.replace("{id}", &id.to_string()))
    else {
        return;
    };
    event["pathParameters"]["id"] = Value::String(id.to_string());
    event["rawPath"] = Value::String(route_path.clone());
    event["requestContext"]["http"]["path"] = Value::String(route_path);
}
