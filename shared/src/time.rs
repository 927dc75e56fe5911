//! Timestamps on the wire are ISO 8601 UTC with `Z`.

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc};

/// The earliest year a date of the API may have (dates of birth included).
pub const MIN_YEAR: i32 = 1900;
/// The latest: four-digit years only.
pub const MAX_YEAR: i32 = 9999;

/// Why a client's date or timestamp was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not exactly the expected form.
    Format,
    /// A real date outside `MIN_YEAR..=MAX_YEAR`.
    Range,
}

/// A client's date: exactly `YYYY-MM-DD` (four-digit year, two-digit month
/// and day, no sign, no spaces), a real calendar day, year 1900 to 9999.
/// chrono's `%Y-%m-%d` alone also takes `-0001-01-01`, `+002000-01-01` and
/// `2000-1-1`, which `format: date` readers do not.
pub fn parse_date(s: &str) -> Result<NaiveDate, DateError> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(DateError::Format);
    }
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| DateError::Format)?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        return Err(DateError::Range);
    }
    Ok(date)
}

/// A client's timestamp: RFC 3339 (ISO 8601 with a zone), as sent: no
/// surrounding spaces, a four-digit year, in UTC year 1970 to 9999.
pub fn parse_timestamp(s: &str) -> Result<DateTime<Utc>, DateError> {
    let b = s.as_bytes();
    let shape = b.len() >= 20 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-';
    if !shape || s.trim() != s {
        return Err(DateError::Format);
    }
    let ts = DateTime::parse_from_rfc3339(s)
        .map_err(|_| DateError::Format)?
        .with_timezone(&Utc);
    if !(1970..=MAX_YEAR).contains(&ts.year()) {
        return Err(DateError::Range);
    }
    Ok(ts)
}

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
    fn dates_are_exactly_yyyy_mm_dd() {
        assert_eq!(
            parse_date("1990-01-15"),
            Ok(NaiveDate::from_ymd_opt(1990, 1, 15).unwrap())
        );
        for bad in [
            "-9999-12-31",
            "-0001-01-01",
            "+002000-01-01",
            "2000-1-1",
            " 2000-01-01",
            "2000-01-01 ",
            "2000/01/01",
            "2000-02-30",
            "20000-01-01",
            "",
            "２０００-01-01",
        ] {
            assert_eq!(parse_date(bad), Err(DateError::Format), "{bad:?}");
        }
        assert_eq!(parse_date("1899-12-31"), Err(DateError::Range));
        assert_eq!(parse_date("0000-01-01"), Err(DateError::Range));
        assert!(parse_date("1900-01-01").is_ok());
    }

    #[test]
    fn timestamps_are_rfc3339_as_sent() {
        assert!(parse_timestamp("2025-11-12T18:00:00Z").is_ok());
        assert!(parse_timestamp("2025-11-12T18:00:00.123+02:00").is_ok());
        for bad in [
            " 2025-11-12T18:00:00Z",
            "2025-11-12T18:00:00Z ",
            "+02025-11-12T18:00:00Z",
            "-2025-11-12T18:00:00Z",
            "2025-11-12 18:00:00",
            "2025-11-12T18:00:00",
            "2025-1-12T18:00:00Z",
        ] {
            assert_eq!(parse_timestamp(bad), Err(DateError::Format), "{bad:?}");
        }
        assert_eq!(
            parse_timestamp("1969-12-31T23:59:59Z"),
            Err(DateError::Range)
        );
    }

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
