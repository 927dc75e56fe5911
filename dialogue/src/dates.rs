//! The date grammar: finds the dates a message mentions and reads them.
//!
//! Forms (fillers "the", "of" and commas allowed where people put them):
//! - day month year: "15 January 1990", "15th of Jan. 1990", "the fifteenth of
//!   january nineteen ninety";
//! - month day year: "January 15, 1990", "jan. 15th, 1990", "january
//!   fifteenth nineteen ninety";
//! - numeric: "1990-01-15" (year first, always year-month-day), "15/01/1990",
//!   "01/15/1990", "15.01.1990", "15-01-1990" (day/month order by locale);
//! - "today", "yesterday", "tomorrow".
//!
//! Spoken years: "nineteen ninety" (two numbers, read as 19|90), "nineteen
//! ninety one", "twenty ten", "nineteen oh five", and whatever text2num
//! reads as one number ("two thousand and five", "nineteen hundred ninety").
//!
//! Two-digit years ("15/01/90", "january fifteenth ninety") are read with a
//! pivot: the latest year ending in those digits that is not after this year
//! (for a date of joining, not after next year: a new hire may be onboarded
//! before the first day). The reply always says the full date it saved, so a
//! wrong century is visible and can be corrected.

use std::ops::Range;

use chrono::{Datelike, Days, NaiveDate};

use crate::lexer::{Lexeme, Num};
use crate::locale::DateOrder;
use crate::profile::Field;
use crate::vocabulary::{DATE_FILLERS, MONTHS, RELATIVE_DAYS, SPOKEN_ZERO};

/// The longest date text quoted back in a message, in characters.
const MAX_QUOTED_CHARS: usize = 40;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Year {
    Full(i32),
    TwoDigit(u32),
}

/// What a mention says, before the field (and so the two-digit pivot) is known.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Shape {
    Exact(NaiveDate),
    DayMonthYear {
        day: u32,
        month: u32,
        year: Year,
    },
    /// `a/b/year`: which of `a` and `b` is the month depends on the locale.
    Numeric {
        a: u32,
        b: u32,
        year: Year,
    },
    /// "the fourth of march": no year (an answer to "did you mean...?").
    DayMonth {
        day: u32,
        month: u32,
    },
    /// "march 1990": no day.
    MonthYear {
        month: u32,
        year: Year,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Mention {
    /// Lexemes covered.
    pub lexemes: Range<usize>,
    /// The mention as the user wrote it, shortened for quoting.
    pub text: String,
    pub shape: Shape,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Reading {
    Date(NaiveDate),
    /// Both orders of a numeric date are real dates: the locale's first.
    Ambiguous(NaiveDate, NaiveDate),
    /// Not a real date: "31 February 1990", "13/13/1990".
    Invalid,
    NoYear,
    NoDay,
}

/// Every date mentioned, in order, not overlapping.
pub(crate) fn find_dates(lexemes: &[Lexeme], message: &str, today: NaiveDate) -> Vec<Mention> {
    let mut mentions = Vec::new();
    let mut i = 0;
    while i < lexemes.len() {
        let found = numeric(lexemes, i)
            .or_else(|| day_first(lexemes, i))
            .or_else(|| month_first(lexemes, i))
            .or_else(|| relative(lexemes, i, today));
        match found {
            Some((start, end, shape)) => {
                mentions.push(Mention {
                    lexemes: start..end,
                    text: quote(message, &lexemes[start..end]),
                    shape,
                });
                i = end;
            }
            None => i += 1,
        }
    }
    mentions
}

impl Shape {
    /// The date this shape means for `field`, in a locale writing `order`.
    pub fn read(self, field: Option<Field>, today: NaiveDate, order: DateOrder) -> Reading {
        let ymd = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d);
        match self {
            Shape::Exact(date) => Reading::Date(date),
            Shape::DayMonthYear { day, month, year } => {
                ymd(full_year(year, field, today), month, day)
                    .map_or(Reading::Invalid, Reading::Date)
            }
            Shape::Numeric { a, b, year } => {
                let y = full_year(year, field, today);
                let (month, day) = match order {
                    DateOrder::MonthFirst => (a, b),
                    DateOrder::DayFirst => (b, a),
                };
                match (ymd(y, month, day), ymd(y, day, month)) {
                    (Some(first), Some(second)) if first != second => {
                        Reading::Ambiguous(first, second)
                    }
                    (Some(date), _) | (None, Some(date)) => Reading::Date(date),
                    (None, None) => Reading::Invalid,
                }
            }
            // 2000 has a 29 February.
            Shape::DayMonth { day, month } => {
                ymd(2000, month, day).map_or(Reading::Invalid, |_| Reading::NoYear)
            }
            Shape::MonthYear { .. } => Reading::NoDay,
        }
    }

    /// Whether `date` fits what this shape says (for picking a reading of an
    /// ambiguous date from "the fourth of march", "march 1990"...).
    pub fn fits(self, date: NaiveDate) -> bool {
        match self {
            Shape::Exact(d) => d == date,
            Shape::DayMonthYear { day, month, .. } | Shape::DayMonth { day, month } => {
                date.day() == day && date.month() == month
            }
            Shape::Numeric { a, b, .. } => {
                (date.month(), date.day()) == (a, b) || (date.day(), date.month()) == (a, b)
            }
            Shape::MonthYear { month, .. } => date.month() == month,
        }
    }
}

/// A two-digit year's century (see the module documentation).
pub(crate) fn full_year(year: Year, field: Option<Field>, today: NaiveDate) -> i32 {
    match year {
        Year::Full(y) => y,
        Year::TwoDigit(yy) => {
            let latest = today.year() + i32::from(field == Some(Field::DateOfJoin));
            let candidate = latest - latest.rem_euclid(100) + yy as i32;
            if candidate > latest {
                candidate - 100
            } else {
                candidate
            }
        }
    }
}

/// How replies write a date: "15 January 1990" (no locale can misread it).
pub(crate) fn display(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The month a word names.
pub(crate) fn month_word(word: &str) -> Option<u32> {
    MONTHS.iter().find(|(w, _)| *w == word).map(|(_, m)| *m)
}

/// `a/b/c` with one separator (`/`, `-` or `.`) used twice, all typed digits.
fn numeric(lx: &[Lexeme], i: usize) -> Option<(usize, usize, Shape)> {
    let typed = |k: usize| {
        lx.get(k)
            .and_then(Lexeme::num)
            .filter(|n| !n.ordinal && n.typed_digits.is_some())
    };
    let digits = |n: Num| n.typed_digits.unwrap_or(0);
    let (a, b, c) = (typed(i)?, typed(i + 2)?, typed(i + 4)?);
    if !['/', '-', '.']
        .into_iter()
        .any(|s| lx[i + 1].is_punct(s) && lx[i + 3].is_punct(s))
    {
        return None;
    }
    let shape = if digits(a) == 4 && digits(b) <= 2 && digits(c) <= 2 {
        Shape::DayMonthYear {
            day: c.value,
            month: b.value,
            year: Year::Full(a.value as i32),
        }
    } else if digits(a) <= 2 && digits(b) <= 2 {
        let year = match digits(c) {
            4 => Year::Full(c.value as i32),
            2 => Year::TwoDigit(c.value),
            _ => return None,
        };
        Shape::Numeric {
            a: a.value,
            b: b.value,
            year,
        }
    } else {
        return None;
    };
    Some((i, i + 5, shape))
}

/// `[the] DAY [of] MONTH [,] [YEAR]`.
fn day_first(lx: &[Lexeme], i: usize) -> Option<(usize, usize, Shape)> {
    let start = skip_fillers(lx, i, &["the"]);
    // Any one- or two-digit number before a month is meant as its day: "32
    // January" is an invalid date, not "January" alone.
    let day = lx
        .get(start)?
        .num()
        .filter(|n| n.typed_digits.is_none_or(|d| d <= 2) && n.value <= 99)?
        .value;
    let (month, after_month) = month_at(lx, skip_fillers(lx, start + 1, &["of"]))?;
    let shape = match year_at(lx, skip_fillers(lx, after_month, &[])) {
        Some((year, end)) => (Shape::DayMonthYear { day, month, year }, end),
        None => (Shape::DayMonth { day, month }, after_month),
    };
    Some((start, shape.1, shape.0))
}

/// `MONTH [the] DAY [,] [YEAR]`, or `MONTH [,] YEAR`.
fn month_first(lx: &[Lexeme], i: usize) -> Option<(usize, usize, Shape)> {
    let (month, after_month) = month_at(lx, i)?;
    let at = skip_fillers(lx, after_month, &["the"]);
    if let Some(day) = day_at(lx, at) {
        // "january nineteen ninety" said aloud is a month and a year, not the
        // 19th of a year '90: two spoken numbers that make a year and nothing
        // after them.
        let spoken_pair =
            spoken_year_pair(lx, at).is_some() && lx.get(at + 2).is_none_or(|l| l.num().is_none());
        if !spoken_pair {
            let shape = match year_at(lx, skip_fillers(lx, at + 1, &[])) {
                Some((year, end)) => (Shape::DayMonthYear { day, month, year }, end),
                None => (Shape::DayMonth { day, month }, at + 1),
            };
            return Some((i, shape.1, shape.0));
        }
    }
    let (year, end) = year_at(lx, at).filter(|(y, _)| matches!(y, Year::Full(_)))?;
    Some((i, end, Shape::MonthYear { month, year }))
}

fn relative(lx: &[Lexeme], i: usize, today: NaiveDate) -> Option<(usize, usize, Shape)> {
    let word = lx[i].word()?;
    let (_, offset) = RELATIVE_DAYS.iter().find(|(w, _)| *w == word)?;
    let date = if *offset >= 0 {
        today.checked_add_days(Days::new(offset.unsigned_abs()))
    } else {
        today.checked_sub_days(Days::new(offset.unsigned_abs()))
    }?;
    Some((i, i + 1, Shape::Exact(date)))
}

/// Skips the filler words given (from [`DATE_FILLERS`]) and commas.
fn skip_fillers(lx: &[Lexeme], mut i: usize, words: &[&str]) -> usize {
    while let Some(l) = lx.get(i) {
        let filler = l
            .word()
            .is_some_and(|w| words.contains(&w) && DATE_FILLERS.contains(&w));
        if !(filler || l.is_punct(',')) {
            break;
        }
        i += 1;
    }
    i
}

/// A day of the month: 1 to 31, at most two typed digits.
fn day_at(lx: &[Lexeme], i: usize) -> Option<u32> {
    let n = lx.get(i)?.num()?;
    let short = n.typed_digits.is_none_or(|d| d <= 2);
    (short && (1..=31).contains(&n.value)).then_some(n.value)
}

/// A month word, with an abbreviation's dot: (month, index after it).
fn month_at(lx: &[Lexeme], i: usize) -> Option<(u32, usize)> {
    let month = month_word(lx.get(i)?.word()?)?;
    let end = if lx.get(i + 1).is_some_and(|l| l.is_punct('.')) {
        i + 2
    } else {
        i + 1
    };
    Some((month, end))
}

/// A year: four typed digits, two typed digits, a spoken number from 1000, a
/// spoken pair ("nineteen ninety", "nineteen oh five"), or one spoken number
/// from 10 to 99 ("ninety").
fn year_at(lx: &[Lexeme], i: usize) -> Option<(Year, usize)> {
    let n = lx.get(i)?.num().filter(|n| !n.ordinal)?;
    match n.typed_digits {
        Some(4) => Some((Year::Full(n.value as i32), i + 1)),
        Some(2) => Some((Year::TwoDigit(n.value), i + 1)),
        Some(_) => None,
        None if (1000..=9999).contains(&n.value) => Some((Year::Full(n.value as i32), i + 1)),
        None => spoken_year_pair(lx, i).or_else(|| {
            (10..=99)
                .contains(&n.value)
                .then_some((Year::TwoDigit(n.value), i + 1))
        }),
    }
}

/// "nineteen ninety" (19, 90), "twenty ten", "nineteen oh five" / "nineteen zero five".
fn spoken_year_pair(lx: &[Lexeme], i: usize) -> Option<(Year, usize)> {
    let spoken = |k: usize| {
        lx.get(k)
            .and_then(Lexeme::num)
            .filter(|n| !n.ordinal && n.typed_digits.is_none())
    };
    let century = spoken(i).filter(|n| (10..=99).contains(&n.value))?.value;
    if let Some(n) = spoken(i + 1).filter(|n| (10..=99).contains(&n.value)) {
        return Some((Year::Full((century * 100 + n.value) as i32), i + 2));
    }
    let zero = lx[i + 1..].first().is_some_and(|l| {
        l.word().is_some_and(|w| SPOKEN_ZERO.contains(&w))
            || spoken(i + 1).is_some_and(|n| n.value == 0)
    });
    let unit = spoken(i + 2).filter(|n| (1..=9).contains(&n.value))?;
    zero.then_some((Year::Full((century * 100 + unit.value) as i32), i + 3))
}

/// The user's own words for a mention, cut to a readable length.
fn quote(message: &str, lexemes: &[Lexeme]) -> String {
    let (Some(first), Some(last)) = (lexemes.first(), lexemes.last()) else {
        return String::new();
    };
    let text = message.get(first.span.start..last.span.end).unwrap_or("");
    let mut quoted: String = text.chars().take(MAX_QUOTED_CHARS).collect();
    if text.chars().count() > MAX_QUOTED_CHARS {
        quoted.push('…');
    }
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::lex;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
    }

    fn shapes(message: &str) -> Vec<Shape> {
        find_dates(&lex(message), message, today())
            .into_iter()
            .map(|m| m.shape)
            .collect()
    }

    #[test]
    fn pivot_for_two_digit_years() {
        let table = [
            (90, Some(Field::DateOfBirth), 1990),
            (25, Some(Field::DateOfBirth), 2025),
            (26, Some(Field::DateOfBirth), 1926),
            (5, Some(Field::DateOfBirth), 2005),
            (26, Some(Field::DateOfJoin), 2026),
            (27, Some(Field::DateOfJoin), 1927),
            (0, None, 2000),
            (99, None, 1999),
        ];
        for (yy, field, year) in table {
            assert_eq!(
                full_year(Year::TwoDigit(yy), field, today()),
                year,
                "{yy} {field:?}"
            );
        }
    }

    #[test]
    fn month_then_spoken_pair_is_a_month_and_year() {
        assert_eq!(
            shapes("january nineteen ninety"),
            [Shape::MonthYear {
                month: 1,
                year: Year::Full(1990)
            }]
        );
        // Typed, it is a day and a two-digit year.
        assert_eq!(
            shapes("jan 19 90"),
            [Shape::DayMonthYear {
                day: 19,
                month: 1,
                year: Year::TwoDigit(90)
            }]
        );
        assert_eq!(
            shapes("january twenty twenty twenty"),
            [Shape::DayMonthYear {
                day: 20,
                month: 1,
                year: Year::Full(2020)
            }]
        );
    }

    #[test]
    fn partial_dates() {
        assert_eq!(
            shapes("the fourth of march"),
            [Shape::DayMonth { day: 4, month: 3 }]
        );
        assert_eq!(shapes("march 4"), [Shape::DayMonth { day: 4, month: 3 }]);
        assert_eq!(
            shapes("march 1990"),
            [Shape::MonthYear {
                month: 3,
                year: Year::Full(1990)
            }]
        );
        assert_eq!(shapes("march"), []);
        assert_eq!(shapes("15/01"), []);
    }

    #[test]
    fn quotes_are_short() {
        let message = format!("15{}january 1990", ", ".repeat(50));
        let m = find_dates(&lex(&message), &message, today());
        assert_eq!(m[0].text.chars().count(), MAX_QUOTED_CHARS + 1);
        assert!(m[0].text.ends_with('…'));
        let m = find_dates(&lex("on 31 Feb, 1990!"), "on 31 Feb, 1990!", today());
        assert_eq!(m[0].text, "31 Feb, 1990");
    }
}
