//! Which number comes first in a numeric date ("4/3/1990"), by locale.

/// The reading of `a/b/yyyy` a locale prefers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    /// `a` is the month: `en-US`.
    MonthFirst,
    /// `a` is the day: `en-GB`, `en-IN`, `en-AU`, `de-DE`, `fr-FR`...
    DayFirst,
}

/// Regions that write the month first: the United States and its
/// territories, the Philippines, the Micronesian states, and English-speaking
/// Canada (its long-standing "March 4, 1990" habit; `fr-CA` writes the day first).
const MONTH_FIRST_REGIONS: [&str; 12] = [
    "US", "AS", "GU", "MP", "PR", "UM", "VI", "PH", "FM", "MH", "PW", "CA",
];

/// The default when a conversation gives no usable locale.
pub const DEFAULT_LOCALE: &str = "en-US";

impl DateOrder {
    /// `language[-_]REGION`, case-insensitive. A region in the list above (with
    /// English, for Canada) is month first; any other region is day first. With
    /// no region, English is month first (the `en-US` default) and every other
    /// language day first.
    pub fn for_locale(locale: &str) -> DateOrder {
        let mut parts = locale.trim().split(['-', '_']);
        let language = parts.next().unwrap_or("").to_ascii_lowercase();
        // Script subtags ("zh-Hant-TW") are four letters; the region is two
        // letters or three digits.
        let region = parts
            .find(|p| p.len() == 2 || (p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit())))
            .map(|r| r.to_ascii_uppercase());
        match region.as_deref() {
            Some("CA") if language != "en" => DateOrder::DayFirst,
            Some(r) if MONTH_FIRST_REGIONS.contains(&r) => DateOrder::MonthFirst,
            Some(_) => DateOrder::DayFirst,
            None if language == "en" || language.is_empty() => DateOrder::MonthFirst,
            None => DateOrder::DayFirst,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales() {
        use DateOrder::*;
        let table = [
            ("en-US", MonthFirst),
            ("en_us", MonthFirst),
            ("en-GB", DayFirst),
            ("en-IN", DayFirst),
            ("en-AU", DayFirst),
            ("en-CA", MonthFirst),
            ("fr-CA", DayFirst),
            ("de-DE", DayFirst),
            ("fr-FR", DayFirst),
            ("es-US", MonthFirst),
            ("en-PH", MonthFirst),
            ("en-NZ", DayFirst),
            ("en-IE", DayFirst),
            ("zh-Hant-TW", DayFirst),
            ("es-419", DayFirst),
            ("en", MonthFirst),
            ("de", DayFirst),
            ("", MonthFirst),
            ("garbage!!", DayFirst),
            (DEFAULT_LOCALE, MonthFirst),
        ];
        for (locale, order) in table {
            assert_eq!(DateOrder::for_locale(locale), order, "{locale}");
        }
    }
}
