//! Timestamps on the wire are ISO 8601 UTC with `Z`.

use chrono::{DateTime, SecondsFormat, Utc};

pub fn now() -> DateTime<Utc> {
    Utc::now()
}

pub fn iso(ts: DateTime<Utc>) -> String {
    ts.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads a stored timestamp, whatever offset it was written with, and writes
/// it back in the wire form. Unparseable values are passed through untouched
/// rather than dropped, so legacy data is never lost on read.
pub fn normalize(stored: &str) -> String {
    match DateTime::parse_from_rfc3339(stored) {
        Ok(ts) => iso(ts.with_timezone(&Utc)),
        Err(_) => stored.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_offsets_come_out_as_utc_with_z() {
        assert_eq!(
            normalize("2025-11-10T16:30:00+02:00"),
            "2025-11-10T14:30:00.000Z"
        );
        assert_eq!(
            normalize("2025-11-10T14:30:00Z"),
            "2025-11-10T14:30:00.000Z"
        );
        assert_eq!(normalize("garbage"), "garbage");
    }
}
