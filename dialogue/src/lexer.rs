//! Message text to lexemes: lowercase words, numbers (typed digits, or number
//! words merged by text2num: "nineteen" "ninety" -> 19, 90; "fifteenth" ->
//! 15th) and the punctuation dates are written with.

use std::borrow::Cow;
use std::ops::Range;

use text2num::lang::English;
use text2num::{find_numbers, Token};

/// Longer messages are cut here (in characters): an answer to a profile
/// question is short, and the work stays bounded whatever a client sends.
pub const MAX_MESSAGE_CHARS: usize = 1000;

/// Typed numbers longer than this are not numbers a date can hold.
const MAX_DIGITS: usize = 9;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Lex {
    Word(String),
    Num(Num),
    /// `/`, `-` or `.` between digits, `.` or `,` elsewhere.
    Punct(char),
    /// A number that cannot be part of a date (decimals, huge values).
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Num {
    pub value: u32,
    /// "15th", "fifteenth".
    pub ordinal: bool,
    /// How many digits were typed; `None` for number words.
    pub typed_digits: Option<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Lexeme {
    pub lex: Lex,
    /// Bytes of the original message this lexeme comes from.
    pub span: Range<usize>,
}

impl Lexeme {
    pub fn word(&self) -> Option<&str> {
        match &self.lex {
            Lex::Word(w) => Some(w),
            _ => None,
        }
    }

    pub fn num(&self) -> Option<Num> {
        match self.lex {
            Lex::Num(n) => Some(n),
            _ => None,
        }
    }

    pub fn is_punct(&self, c: char) -> bool {
        self.lex == Lex::Punct(c)
    }
}

/// A raw token before number words are merged.
struct RawToken {
    text: String,
    kind: RawKind,
    span: Range<usize>,
}

#[derive(Clone, Copy, PartialEq)]
enum RawKind {
    Word,
    Digits { ordinal: bool },
    Punct,
}

impl Token for &RawToken {
    fn text(&self) -> Cow<'_, str> {
        self.text.as_str().into()
    }

    fn text_lowercase(&self) -> Cow<'_, str> {
        self.text.as_str().into()
    }

    // Typed digits and punctuation are never part of a spelled number.
    fn not_a_number_part(&self) -> bool {
        self.kind != RawKind::Word
    }
}

/// The message's lexemes, in order.
pub(crate) fn lex(message: &str) -> Vec<Lexeme> {
    let raw = raw_tokens(message);
    let occurrences = find_numbers(raw.iter(), &English::new(), 0.0);
    let mut out = Vec::with_capacity(raw.len());
    let mut next = 0;
    for occ in occurrences {
        if occ.start < next || occ.end > raw.len() || occ.start >= occ.end {
            continue;
        }
        out.extend(raw[next..occ.start].iter().map(plain));
        let span = raw[occ.start].span.start..raw[occ.end - 1].span.end;
        let lex = if occ.value.fract() == 0.0 && (0.0..1e9).contains(&occ.value) {
            Lex::Num(Num {
                value: occ.value as u32,
                ordinal: occ.is_ordinal,
                typed_digits: None,
            })
        } else {
            Lex::Other
        };
        out.push(Lexeme { lex, span });
        next = occ.end;
    }
    out.extend(raw[next..].iter().map(plain));
    out
}

fn plain(t: &RawToken) -> Lexeme {
    let lex = match t.kind {
        RawKind::Word => Lex::Word(t.text.clone()),
        RawKind::Punct => Lex::Punct(t.text.chars().next().unwrap_or(' ')),
        RawKind::Digits { ordinal } => match t.text.parse::<u32>() {
            Ok(value) if t.text.len() <= MAX_DIGITS => Lex::Num(Num {
                value,
                ordinal,
                typed_digits: Some(t.text.len()),
            }),
            _ => Lex::Other,
        },
    };
    Lexeme {
        lex,
        span: t.span.clone(),
    }
}

/// Words (letters, apostrophes inside dropped), digit runs (with an ordinal
/// suffix: "15th"), and the punctuation that matters to dates. A hyphen only
/// counts between digits ("15-01-1990"); elsewhere it separates words
/// ("non-binary", "twenty-first").
fn raw_tokens(message: &str) -> Vec<RawToken> {
    let chars: Vec<(usize, char)> = message.char_indices().take(MAX_MESSAGE_CHARS).collect();
    let end_of = |i: usize| {
        chars
            .get(i)
            .map_or_else(|| byte_end(message, &chars), |c| c.0)
    };
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_alphabetic() {
            let mut text = String::new();
            while i < chars.len() {
                let c = chars[i].1;
                if c.is_alphabetic() {
                    text.extend(c.to_lowercase());
                } else if !(is_apostrophe(c)
                    && i + 1 < chars.len()
                    && chars[i + 1].1.is_alphabetic()
                    && !text.is_empty())
                {
                    break;
                }
                i += 1;
            }
            tokens.push(RawToken {
                text,
                kind: RawKind::Word,
                span: start..end_of(i),
            });
        } else if c.is_ascii_digit() {
            let digits_start = i;
            while i < chars.len() && chars[i].1.is_ascii_digit() {
                i += 1;
            }
            let text: String = chars[digits_start..i].iter().map(|c| c.1).collect();
            let ordinal = ordinal_suffix(&chars[i..]);
            if ordinal {
                i += 2;
            }
            tokens.push(RawToken {
                text,
                kind: RawKind::Digits { ordinal },
                span: start..end_of(i),
            });
        } else {
            let between_digits = i > 0
                && chars[i - 1].1.is_ascii_digit()
                && chars.get(i + 1).is_some_and(|n| n.1.is_ascii_digit());
            let kept = match c {
                '/' | '-' => between_digits,
                '.' | ',' => true,
                _ => false,
            };
            if kept {
                tokens.push(RawToken {
                    text: c.to_string(),
                    kind: RawKind::Punct,
                    span: start..end_of(i + 1),
                });
            }
            i += 1;
        }
    }
    tokens
}

fn byte_end(message: &str, chars: &[(usize, char)]) -> usize {
    chars
        .last()
        .map_or(0, |(at, c)| at + c.len_utf8())
        .min(message.len())
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`')
}

/// "st", "nd", "rd" or "th" right after the digits and not followed by a letter.
fn ordinal_suffix(rest: &[(usize, char)]) -> bool {
    let suffix: String = rest
        .iter()
        .take(2)
        .flat_map(|c| c.1.to_lowercase())
        .collect();
    matches!(suffix.as_str(), "st" | "nd" | "rd" | "th")
        && !rest.get(2).is_some_and(|c| c.1.is_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(message: &str) -> Vec<String> {
        lex(message)
            .into_iter()
            .map(|l| match l.lex {
                Lex::Word(w) => w,
                Lex::Num(n) => format!(
                    "{}{}{}",
                    n.value,
                    if n.ordinal { "th" } else { "" },
                    if n.typed_digits.is_some() { "" } else { "w" }
                ),
                Lex::Punct(c) => c.to_string(),
                Lex::Other => "?".into(),
            })
            .collect()
    }

    #[test]
    fn words_numbers_and_punctuation() {
        let table: [(&str, &[&str]); 10] = [
            ("Jan. 15th, 1990", &["jan", ".", "15th", ",", "1990"]),
            ("15-01-1990", &["15", "-", "1", "-", "1990"]),
            ("15/01/1990", &["15", "/", "1", "/", "1990"]),
            ("non-binary", &["non", "binary"]),
            ("I'm a woman", &["im", "a", "woman"]),
            ("don\u{2019}t want to", &["dont", "want", "to"]),
            (
                "the fifteenth of january nineteen ninety",
                &["the", "15thw", "of", "january", "19w", "90w"],
            ),
            ("twenty-first of may", &["21thw", "of", "may"]),
            ("two thousand and five", &["2005w"]),
            (
                "1st 2nd 3rd 4th 5to",
                &["1th", "2th", "3th", "4th", "5", "to"],
            ),
        ];
        for (message, expected) in table {
            assert_eq!(show(message), expected, "{message}");
        }
    }

    #[test]
    fn spans_point_into_the_message() {
        let message = "Born on 15 Énero 1990 😀 ok";
        for l in lex(message) {
            assert!(message.get(l.span.clone()).is_some(), "{l:?}");
        }
        let l = lex("jan 15");
        assert_eq!(&"jan 15"[l[1].span.clone()], "15");
    }

    #[test]
    fn oversized_numbers_are_not_numbers() {
        assert_eq!(show("12345678901234567890"), ["?"]);
        assert_eq!(show("one point five"), ["?"]);
    }

    #[test]
    fn long_messages_are_cut() {
        let message = "a ".repeat(5000);
        assert_eq!(lex(&message).len(), MAX_MESSAGE_CHARS / 2);
    }
}
