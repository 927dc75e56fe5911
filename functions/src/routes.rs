//! The route table: every route the API serves and the function behind it.
//! template.yaml, the watch router in Cargo.toml, events/ and the local
//! gateway must list the same set (a test checks).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    pub method: &'static str,
    /// As API Gateway writes it, path parameters in braces, trailing slash kept.
    pub path: &'static str,
    /// The binary (and Lambda function) that serves it.
    pub function: &'static str,
}

const fn route(method: &'static str, path: &'static str, function: &'static str) -> Route {
    Route {
        method,
        path,
        function,
    }
}

pub const ROUTES: &[Route] = &[
    route("POST", "/api/v2/auth/login/", "login"),
    route("POST", "/api/v2/auth/refresh/", "refresh"),
    route("GET", "/api/v2/profile/me/", "profile-get"),
    route("PATCH", "/api/v2/profile/me/", "profile-update"),
    route("PATCH", "/api/v2/profile/me/update/", "profile-update"),
    route("POST", "/api/v2/profile/me/image/", "profile-image-upload"),
    route(
        "POST",
        "/api/v2/profile/me/image/upload-url/",
        "profile-image-upload-url",
    ),
    route(
        "POST",
        "/api/v2/profile/me/image/confirm/",
        "profile-image-confirm",
    ),
    route(
        "GET",
        "/api/v2/profile/completion-status/",
        "completion-status",
    ),
    route(
        "POST",
        "/api/v2/profile/mark-onboarding-complete/",
        "mark-onboarding-complete",
    ),
    route("POST", "/api/v2/journal/entries/", "journal-entries-create"),
    route("GET", "/api/v2/journal/entries/", "journal-entries-list"),
    route("GET", "/api/v2/journal/entries/{id}/", "journal-entry-get"),
    route(
        "PATCH",
        "/api/v2/journal/entries/{id}/",
        "journal-entry-update",
    ),
    route(
        "DELETE",
        "/api/v2/journal/entries/{id}/",
        "journal-entry-delete",
    ),
    route(
        "POST",
        "/api/v2/journal/entries/{id}/media/upload-url/",
        "journal-media-upload-url",
    ),
    route(
        "POST",
        "/api/v2/journal/entries/{id}/media/",
        "journal-media-add",
    ),
    route(
        "GET",
        "/api/v2/journal/entries/{id}/media/",
        "journal-media-list",
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
}
