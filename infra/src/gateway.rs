//! The local API gateway. It turns each HTTP request into the API Gateway
//! HTTP API (payload 2.0) event AWS would send, runs it through
//! `lambda_http`'s own deserialization and response adapter (the code path of
//! `lambda_http::run`), and turns the Lambda response back into HTTP. A
//! request over API Gateway's or Lambda's size limits gets AWS's answer and
//! never reaches the function (see [`crate::platform_limits`]).

use crate::platform_limits::{self, MAX_BODY_BYTES, MAX_EVENT_BYTES};
use base64::Engine;
use bytes::Bytes;
use functions::routes::Route;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use lambda_http::lambda_runtime::LambdaEvent;
use lambda_http::request::LambdaRequest;
use lambda_http::tower::Service;
use lambda_http::{Adapter, Context};
use serde_json::{json, Value};
use shared::AppContext;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub async fn serve(listener: TcpListener, ctx: Arc<AppContext>, mut stop: watch::Receiver<bool>) {
    let http = ConnBuilder::new(TokioExecutor::new());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    loop {
        let (socket, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    tracing::warn!(error = %e, "gateway accept failed");
                    continue;
                }
            },
            _ = stop.changed() => break,
        };
        let ctx = ctx.clone();
        let service = hyper::service::service_fn(move |req| {
            let ctx = ctx.clone();
            async move { Ok::<_, std::convert::Infallible>(handle(ctx, peer, req).await) }
        });
        let conn = http.serve_connection(TokioIo::new(socket), service);
        let conn = graceful.watch(conn.into_owned());
        tokio::spawn(async move {
            let _ = conn.await;
        });
    }
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), graceful.shutdown()).await;
}

fn plain(status: StatusCode, body: Value) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .expect("static response parts are valid")
}

async fn handle(
    ctx: Arc<AppContext>,
    peer: SocketAddr,
    req: Request<Incoming>,
) -> Response<Full<Bytes>> {
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let Some((route, params)) = find_route(&method, &path) else {
        // What an HTTP API answers for a route it does not have.
        tracing::info!(%method, %path, status = 404, "no route");
        return plain(StatusCode::NOT_FOUND, json!({"message": "Not Found"}));
    };
    let (parts, body) = req.into_parts();
    // A declared length over the limit is refused before the body is read
    // (a client waiting on `Expect: 100-continue` gets the answer at once).
    let declared = parts
        .headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return refused(&method, &path, route.function, "body over 10 MB");
    }
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return refused(&method, &path, route.function, "body over 10 MB"),
    };
    let request_id = shared::auth::random_token(12);
    let event = event_for(route, &params, &parts, &body, peer, &request_id);
    if platform_limits::event_bytes(&event) > MAX_EVENT_BYTES {
        return refused(&method, &path, route.function, "event over 6 MB");
    }
    let response = invoke(ctx, route.function, event, &request_id).await;
    tracing::info!(
        %method,
        %path,
        function = route.function,
        request_id = %request_id,
        status = response.status().as_u16(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}

/// API Gateway's answer to a request over a platform limit; the function
/// never runs.
fn refused(method: &str, path: &str, function: &str, limit: &str) -> Response<Full<Bytes>> {
    tracing::info!(%method, %path, function, status = 413, limit, "refused by the platform");
    platform_limits::too_large()
}

pub fn find_route(method: &str, path: &str) -> Option<(&'static Route, Vec<(String, String)>)> {
    functions::routes::find(method, path)
}

/// Bodies API Gateway passes as text; everything else arrives base64-encoded.
fn is_text(content_type: Option<&str>) -> bool {
    let Some(ct) = content_type else { return true };
    let ct = ct.to_ascii_lowercase();
    ct.starts_with("text/")
        || ct.contains("json")
        || ct.contains("xml")
        || ct.contains("javascript")
        || ct.starts_with("application/x-www-form-urlencoded")
}

/// The API Gateway HTTP API payload 2.0 event for this request.
pub fn event_for(
    route: &Route,
    params: &[(String, String)],
    parts: &hyper::http::request::Parts,
    body: &Bytes,
    peer: SocketAddr,
    request_id: &str,
) -> Value {
    let mut headers = serde_json::Map::new();
    let mut cookies = Vec::new();
    for (name, value) in &parts.headers {
        let value = String::from_utf8_lossy(value.as_bytes()).to_string();
        if name == "cookie" {
            cookies.extend(value.split(';').map(|c| c.trim().to_string()));
            continue;
        }
        match headers.get_mut(name.as_str()) {
            Some(Value::String(existing)) => {
                existing.push(',');
                existing.push_str(&value);
            }
            _ => {
                headers.insert(name.as_str().to_string(), Value::String(value));
            }
        }
    }
    let query = parts.uri.query().unwrap_or("").to_string();
    let mut query_params = serde_json::Map::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match query_params.get_mut(k) {
            Some(Value::String(existing)) => {
                existing.push(',');
                existing.push_str(v);
            }
            _ => {
                query_params.insert(k.to_string(), Value::String(v.to_string()));
            }
        }
    }
    let content_type = parts
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok());
    let (body_value, is_base64) = if body.is_empty() {
        (Value::Null, false)
    } else if is_text(content_type) && std::str::from_utf8(body).is_ok() {
        (
            Value::String(String::from_utf8_lossy(body).to_string()),
            false,
        )
    } else {
        (
            Value::String(base64::engine::general_purpose::STANDARD.encode(body)),
            true,
        )
    };
    let now = chrono::Utc::now();
    let route_key = format!("{} {}", route.method, route.path);
    let path_params: serde_json::Map<String, Value> = params
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let mut event = json!({
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": parts.uri.path(),
        "rawQueryString": query,
        "headers": headers,
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "local",
            "domainName": parts.headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("localhost"),
            "domainPrefix": "local",
            "http": {
                "method": route.method,
                "path": parts.uri.path(),
                "protocol": "HTTP/1.1",
                "sourceIp": peer.ip().to_string(),
                "userAgent": parts.headers.get("user-agent").and_then(|h| h.to_str().ok()).unwrap_or(""),
            },
            "requestId": request_id,
            "routeKey": route_key,
            "stage": "$default",
            "time": now.format("%d/%b/%Y:%H:%M:%S %z").to_string(),
            "timeEpoch": now.timestamp_millis(),
        },
        "isBase64Encoded": is_base64,
    });
    if !cookies.is_empty() {
        event["cookies"] = json!(cookies);
    }
    if !query_params.is_empty() {
        event["queryStringParameters"] = Value::Object(query_params);
    }
    if !path_params.is_empty() {
        event["pathParameters"] = Value::Object(path_params);
    }
    if !body_value.is_null() {
        event["body"] = body_value;
    }
    event
}

/// Hands the event to the function exactly as the Lambda runtime would.
pub async fn invoke(
    ctx: Arc<AppContext>,
    function: &'static str,
    event: Value,
    request_id: &str,
) -> Response<Full<Bytes>> {
    let payload: LambdaRequest = match serde_json::from_value(event) {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(error = %e, "event did not deserialize");
            return plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"message": "Internal Server Error"}),
            );
        }
    };
    let mut context = Context::default();
    context.request_id = request_id.to_string();
    let mut adapter = Adapter::from(lambda_http::service_fn(move |req| {
        let ctx = ctx.clone();
        async move {
            functions::dispatch(function, &ctx, req)
                .await
                .ok_or("unknown function")
        }
    }));
    let lambda_response = match adapter.call(LambdaEvent::new(payload, context)).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, function, "function failed");
            return plain(
                StatusCode::BAD_GATEWAY,
                json!({"message": "Internal Server Error"}),
            );
        }
    };
    let wire = serde_json::to_value(&lambda_response).unwrap_or(Value::Null);
    to_http(&wire)
}

/// The API Gateway side: a payload 2.0 response object back to HTTP.
fn to_http(wire: &Value) -> Response<Full<Bytes>> {
    let status = wire["statusCode"].as_u64().unwrap_or(500) as u16;
    let mut builder = Response::builder().status(status);
    if let Some(headers) = wire["headers"].as_object() {
        for (k, v) in headers {
            if let Some(v) = v.as_str() {
                builder = builder.header(k, v);
            }
        }
    }
    if let Some(headers) = wire["multiValueHeaders"].as_object() {
        for (k, vs) in headers {
            for v in vs
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                builder = builder.header(k, v);
            }
        }
    }
    for cookie in wire["cookies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        builder = builder.header("set-cookie", cookie);
    }
    let body = match wire["body"].as_str() {
        None => Bytes::new(),
        Some(b) if wire["isBase64Encoded"].as_bool() == Some(true) => {
            base64::engine::general_purpose::STANDARD
                .decode(b)
                .map(Bytes::from)
                .unwrap_or_default()
        }
        Some(b) => Bytes::from(b.to_string()),
    };
    builder.body(Full::new(body)).unwrap_or_else(|_| {
        plain(
            StatusCode::BAD_GATEWAY,
            json!({"message": "Internal Server Error"}),
        )
    })
}
