//! Where stored media is shown from.

use crate::config::Config;

/// The URL a client displays for a stored object: absolute URLs as stored
/// (legacy data), otherwise under `MEDIA_BASE_URL` (a CDN in front of the
/// private bucket) when set, otherwise the object key itself.
pub fn display_url(cfg: &Config, stored: Option<String>) -> Option<String> {
    let stored = stored?;
    if stored.starts_with("https://") || stored.starts_with("http://") {
        return Some(stored);
    }
    match &cfg.media_base_url {
        Some(base) => Some(format!(
            "{}/{}",
            base.trim_end_matches('/'),
            stored.trim_start_matches('/')
        )),
        None => Some(stored),
    }
}
