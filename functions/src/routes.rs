//! The route table: every route the API serves, the function (Lambda
//! binary) behind it, the handler it runs, what the function needs at cold
//! start, and (feature `openapi`) its documentation, which lives next to the
//! handler. The local gateway and the dispatch read this table; template.yaml,
//! the `cargo lambda watch` router, `events/` and the binaries must list the
//! same functions (tests/api/consistency.rs checks, and says what to add).

use crate::handler::Answer;
use lambda_http::{Body, Request, Response};
use shared::context::Needs;
use shared::AppContext;
use std::future::Future;
use std::pin::Pin;

/// A handler as the table holds it.
pub type Handler = for<'a> fn(
    &'a AppContext,
    Request,
) -> Pin<Box<dyn Future<Output = Response<Body>> + Send + 'a>>;

#[derive(Clone, Copy)]
pub struct Route {
    pub method: &'static str,
    /// As API Gateway writes it, path parameters in braces, trailing slash kept.
    pub path: &'static str,
    /// The binary (and Lambda function) that serves it.
    pub function: &'static str,
    pub handler: Handler,
    pub needs: Needs,
    #[cfg(feature = "openapi")]
    pub doc: &'static crate::docs::RouteDoc,
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} -> {}", self.method, self.path, self.function)
    }
}

/// Only DynamoDB.
pub const DB: Needs = Needs {
    s3: false,
    signer: false,
    voiceprint: false,
    speech: false,
};
/// DynamoDB and S3 (media, presigned URLs).
pub const MEDIA: Needs = Needs { s3: true, ..DB };
/// DynamoDB and the token signer.
pub const TOKENS: Needs = Needs { signer: true, ..DB };
/// DynamoDB and the speaker encoder (voice biometrics).
pub const VOICEPRINT: Needs = Needs {
    voiceprint: true,
    ..DB
};
/// DynamoDB, S3 (the profile image check) and the speech recognizer.
pub const SPEECH: Needs = Needs {
    s3: true,
    speech: true,
    ..DB
};

/// One row: `route!(METHOD, path, function, module[DOC const])`. The
/// endpoint module holds `run(ctx, &req) -> Answer` (the handler), `NEEDS`
/// and `DOC` (or the named doc const).
macro_rules! route {
    ($method:literal, $path:literal, $function:literal, $($module:ident)::+) => {
        route!($method, $path, $function, $($module)::+ [DOC])
    };
    ($method:literal, $path:literal, $function:literal, $($module:ident)::+ [$doc:ident]) => {
        Route {
            method: $method,
            path: $path,
            function: $function,
            handler: |ctx, req| {
                Box::pin(async move { finish(crate::$($module)::+::run(ctx, &req).await) })
            },
            needs: crate::$($module)::+::NEEDS,
            #[cfg(feature = "openapi")]
            doc: &crate::$($module)::+::$doc,
        }
    };
}

fn finish(answer: Answer) -> Response<Body> {
    shared::errors::respond(answer)
}

pub const ROUTES: &[Route] = &[
    route!("POST", "/api/v2/auth/login/", "login", auth::login),
    route!("POST", "/api/v2/auth/refresh/", "refresh", auth::refresh),
    route!("GET", "/api/v2/profile/me/", "profile-get", profile::get),
    route!(
        "PATCH",
        "/api/v2/profile/me/",
        "profile-update",
        profile::update
    ),
    route!(
        "PATCH",
        "/api/v2/profile/me/update/",
        "profile-update",
        profile::update[DOC_ALIAS]
    ),
    route!(
        "POST",
        "/api/v2/profile/me/image/",
        "profile-image-upload",
        profile::image_upload
    ),
    route!(
        "POST",
        "/api/v2/profile/me/image/upload-url/",
        "profile-image-upload-url",
        profile::image_upload_url
    ),
    route!(
        "POST",
        "/api/v2/profile/me/image/confirm/",
        "profile-image-confirm",
        profile::image_confirm
    ),
    route!(
        "GET",
        "/api/v2/profile/completion-status/",
        "completion-status",
        onboarding::completion_status
    ),
    route!(
        "POST",
        "/api/v2/profile/mark-onboarding-complete/",
        "mark-onboarding-complete",
        onboarding::mark_complete
    ),
    route!(
        "POST",
        "/api/v2/journal/entries/",
        "journal-entries-create",
        journal::entries_create
    ),
    route!(
        "GET",
        "/api/v2/journal/entries/",
        "journal-entries-list",
        journal::entries_list
    ),
    route!(
        "GET",
        "/api/v2/journal/entries/{id}/",
        "journal-entry-get",
        journal::entry_get
    ),
    route!(
        "PATCH",
        "/api/v2/journal/entries/{id}/",
        "journal-entry-update",
        journal::entry_update
    ),
    route!(
        "DELETE",
        "/api/v2/journal/entries/{id}/",
        "journal-entry-delete",
        journal::entry_delete
    ),
    route!(
        "POST",
        "/api/v2/journal/entries/{id}/media/upload-url/",
        "journal-media-upload-url",
        journal::media_upload_url
    ),
    route!(
        "POST",
        "/api/v2/journal/entries/{id}/media/",
        "journal-media-add",
        journal::media_add
    ),
    route!(
        "GET",
        "/api/v2/journal/entries/{id}/media/",
        "journal-media-list",
        journal::media_list
    ),
    route!(
        "POST",
        "/api/v2/voice/enrollment/",
        "voice-enroll",
        voice::enroll
    ),
    route!(
        "GET",
        "/api/v2/voice/enrollment/",
        "voice-enrollment-get",
        voice::enrollment_get
    ),
    route!(
        "DELETE",
        "/api/v2/voice/enrollment/",
        "voice-enrollment-delete",
        voice::enrollment_delete
    ),
    route!(
        "POST",
        "/api/v2/voice/verify/",
        "voice-verify",
        voice::verify
    ),
    route!(
        "POST",
        "/api/v2/onboarding/conversation/start/",
        "conversation-start",
        conversation::start
    ),
    route!(
        "POST",
        "/api/v2/onboarding/conversation/{conversation_id}/process/",
        "conversation-process",
        conversation::process
    ),
    route!(
        "POST",
        "/api/v2/onboarding/conversation/{conversation_id}/voice/",
        "conversation-voice",
        conversation::voice
    ),
    route!(
        "GET",
        "/api/v2/onboarding/conversation/{conversation_id}/",
        "conversation-get",
        conversation::get
    ),
];

/// The distinct function names, in table order.
pub fn functions() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for r in ROUTES {
        if !names.contains(&r.function) {
            names.push(r.function);
        }
    }
    names
}

/// What `function` needs at cold start (the union over its routes).
pub fn needs(function: &str) -> Option<Needs> {
    ROUTES
        .iter()
        .filter(|r| r.function == function)
        .map(|r| r.needs)
        .reduce(|a, b| Needs {
            s3: a.s3 || b.s3,
            signer: a.signer || b.signer,
            voiceprint: a.voiceprint || b.voiceprint,
            speech: a.speech || b.speech,
        })
}

/// The route of `method` and `path`, with the path parameters.
pub fn find(method: &str, path: &str) -> Option<(&'static Route, Vec<(String, String)>)> {
    ROUTES
        .iter()
        .find_map(|r| (r.method == method).then(|| match_path(r.path, path).map(|p| (r, p)))?)
}

/// Matches a concrete path against a route path; returns the path parameters.
pub fn match_path(pattern: &str, path: &str) -> Option<Vec<(String, String)>> {
    let pattern_parts: Vec<&str> = pattern.split('/').collect();
    let path_parts: Vec<&str> = path.split('/').collect();
    if pattern_parts.len() != path_parts.len() {
        return None;
    }
    let mut params = Vec::new();
    for (p, actual) in pattern_parts.iter().zip(&path_parts) {
        if let Some(name) = p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            if actual.is_empty() {
                return None;
            }
            params.push((name.to_string(), actual.to_string()));
        } else if p != actual {
            return None;
        }
    }
    Some(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_exactly_with_parameters() {
        assert_eq!(match_path("/a/b/", "/a/b/"), Some(vec![]));
        assert_eq!(match_path("/a/b/", "/a/b"), None);
        assert_eq!(
            match_path("/e/{id}/m/", "/e/42/m/"),
            Some(vec![("id".into(), "42".into())])
        );
        assert_eq!(match_path("/e/{id}/m/", "/e//m/"), None);
    }

    #[test]
    fn every_function_has_consistent_needs() {
        for f in functions() {
            let n = needs(f).unwrap();
            for r in ROUTES.iter().filter(|r| r.function == f) {
                assert_eq!(r.needs, n, "{f}: its routes declare different needs");
            }
        }
        // Token issuing needs no S3; read-only and media functions no signer.
        assert_eq!(needs("login"), Some(TOKENS));
        assert!(!needs("profile-get").unwrap().signer);
    }
}
