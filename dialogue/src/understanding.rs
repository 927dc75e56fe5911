//! What one message says: the values it proposes for each field, and the
//! commands (skip, go back, done, "neither"). Pure: reading a message never
//! changes the conversation.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates::{display, find_dates, month_word, Mention, Reading};
use crate::lexer::{lex, Lex, Lexeme};
use crate::locale::DateOrder;
use crate::profile::{Field, Gender};
use crate::vocabulary::{
    ARTICLES, BACK_WORDS, DONE_WORDS, FIELD_WORDS, FIRST_CHOICE_WORDS, GENDER_LETTERS,
    GENDER_WORDS, NEGATIONS, NO_WORDS, PREFER_NOT_TO_SAY, SECOND_CHOICE_WORDS, SELF_WORDS,
    SKIP_WORDS, WEAK_GENDER_WORDS, YES_WORDS,
};

/// What a message says.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Understanding {
    /// Proposed values, to validate and write.
    pub dateofbirth: Option<NaiveDate>,
    pub gender: Option<Gender>,
    pub dateofjoin: Option<NaiveDate>,
    pub intents: Vec<Intent>,
    /// A numeric date both orders can read: nothing to write, the bot asks back.
    pub ambiguity: Option<Ambiguity>,
    /// Dates that are not real, lack a part, or name no field; contradictory genders.
    pub problems: Vec<Problem>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "intent", content = "field", rename_all = "snake_case")]
pub enum Intent {
    /// Do not ask this field again in this conversation ("skip", "prefer not to say").
    Skip(Field),
    /// Re-ask the previous question, or the field named ("go back to gender").
    Back(Option<Field>),
    /// "done": the image should be uploaded now.
    Done,
    /// "no" to "did you mean A or B?".
    Neither,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ambiguity {
    pub field: Field,
    /// The locale's reading first.
    pub options: [NaiveDate; 2],
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    /// "31 February 1990", "13/13/1990": `text` is the user's own words.
    InvalidDate { field: Option<Field>, text: String },
    /// "15 January": no year.
    MissingYear { field: Option<Field>, text: String },
    /// "January 1990": no day.
    MissingDay { field: Option<Field>, text: String },
    /// A date that names no field ("born", "joined"...) while no date is asked.
    UnknownDateField { text: String },
    /// Words for two different genders.
    UnclearGender,
}

impl Problem {
    /// The field to ask again, when the problem is about one.
    pub fn field(&self) -> Option<Field> {
        match self {
            Problem::InvalidDate { field, .. }
            | Problem::MissingYear { field, .. }
            | Problem::MissingDay { field, .. } => *field,
            Problem::UnknownDateField { .. } => None,
            Problem::UnclearGender => Some(Field::Gender),
        }
    }
}

impl Understanding {
    /// The values to write, as (field, wire value), in the order the
    /// conversation asks. Dates are `YYYY-MM-DD`, gender `MALE`/`FEMALE`/`OTHER`.
    pub fn changes(&self) -> Vec<(Field, String)> {
        let mut out = Vec::new();
        if let Some(d) = self.dateofbirth {
            out.push((Field::DateOfBirth, d.format("%Y-%m-%d").to_string()));
        }
        if let Some(g) = self.gender {
            out.push((Field::Gender, g.as_wire().to_string()));
        }
        if let Some(d) = self.dateofjoin {
            out.push((Field::DateOfJoin, d.format("%Y-%m-%d").to_string()));
        }
        out
    }

    /// The `profile` object of a profile PATCH: `{"dateofbirth": "1990-01-15"}`.
    /// Empty when there is nothing to write.
    pub fn profile_patch(&self) -> BTreeMap<String, String> {
        self.changes()
            .into_iter()
            .map(|(f, v)| (f.key().to_string(), v))
            .collect()
    }

    /// True when the message said nothing the dialogue could use.
    pub fn is_empty(&self) -> bool {
        self.changes().is_empty()
            && self.intents.is_empty()
            && self.ambiguity.is_none()
            && self.problems.is_empty()
    }

    /// The value proposed for `field`, as the replies show it.
    pub(crate) fn shown(&self, field: Field) -> Option<String> {
        match field {
            Field::DateOfBirth => self.dateofbirth.map(display),
            Field::Gender => self.gender.map(|g| g.display().to_string()),
            Field::DateOfJoin => self.dateofjoin.map(display),
            Field::ProfileImage => None,
        }
    }

    fn set_date(&mut self, field: Field, date: Option<NaiveDate>) {
        match field {
            Field::DateOfBirth => self.dateofbirth = date,
            Field::DateOfJoin => self.dateofjoin = date,
            Field::Gender | Field::ProfileImage => {}
        }
    }

    fn has_value(&self, field: Field) -> bool {
        match field {
            Field::DateOfBirth => self.dateofbirth.is_some(),
            Field::Gender => self.gender.is_some(),
            Field::DateOfJoin => self.dateofjoin.is_some(),
            Field::ProfileImage => false,
        }
    }
}

/// What the conversation knows when it reads a message.
pub(crate) struct Context<'a> {
    pub expecting: Option<Field>,
    pub pending: Option<&'a Ambiguity>,
    pub order: DateOrder,
    pub today: NaiveDate,
}

pub(crate) fn understand(message: &str, cx: &Context) -> Understanding {
    let lx = lex(message);
    let named = named_fields(&lx);
    let mut u = Understanding::default();

    let mentions = find_dates(&lx, message, cx.today);
    read_dates(&mut u, &mentions, &named, cx);
    if let Some(pending) = cx.pending {
        answer_ambiguity(&mut u, &lx, &mentions, pending);
    }
    read_gender(&mut u, &lx, &named, cx.expecting);
    read_commands(&mut u, &lx, &named, cx.expecting);
    u
}

/// The fields the message names, with where.
fn named_fields(lx: &[Lexeme]) -> Vec<(usize, Field)> {
    lx.iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let w = l.word()?;
            FIELD_WORDS
                .iter()
                .find(|(k, _)| *k == w)
                .map(|(_, f)| (i, *f))
        })
        .collect()
}

/// Each date goes to the date field named nearest before it (after the
/// previous date), else right after it (before the next date), else to the
/// date being asked (or being disambiguated). A later date for the same field
/// wins ("1 may, no, 2 may").
fn read_dates(u: &mut Understanding, mentions: &[Mention], named: &[(usize, Field)], cx: &Context) {
    let default = cx
        .pending
        .map(|p| p.field)
        .or(cx.expecting.filter(|f| f.is_date()));
    for (k, m) in mentions.iter().enumerate() {
        let after_previous = k.checked_sub(1).map_or(0, |p| mentions[p].lexemes.end);
        let before_next = mentions.get(k + 1).map_or(usize::MAX, |n| n.lexemes.start);
        let dates = named.iter().filter(|(_, f)| f.is_date());
        let before = dates
            .clone()
            .rfind(|(i, _)| (after_previous..m.lexemes.start).contains(i));
        let after = dates
            .clone()
            .find(|(i, _)| (m.lexemes.end..before_next).contains(i));
        let field = before.or(after).map(|(_, f)| *f).or(default);
        let text = m.text.clone();
        match (m.shape.read(field, cx.today, cx.order), field) {
            (Reading::Date(date), Some(f)) => {
                u.set_date(f, Some(date));
                u.ambiguity = u.ambiguity.filter(|a| a.field != f);
            }
            (Reading::Ambiguous(a, b), Some(f)) => {
                u.set_date(f, None);
                u.ambiguity = Some(Ambiguity {
                    field: f,
                    options: [a, b],
                });
            }
            (Reading::Date(_) | Reading::Ambiguous(..), None) => {
                u.problems.push(Problem::UnknownDateField { text });
            }
            (Reading::Invalid, field) => u.problems.push(Problem::InvalidDate { field, text }),
            (Reading::NoYear, field) => u.problems.push(Problem::MissingYear { field, text }),
            (Reading::NoDay, field) => u.problems.push(Problem::MissingDay { field, text }),
        }
    }
}

/// An answer to "did you mean A or B?": "the first", "the second", "yes" (the
/// first), the month name, "the fourth of march", a restated date (read
/// already), or "no" (neither).
fn answer_ambiguity(
    u: &mut Understanding,
    lx: &[Lexeme],
    mentions: &[Mention],
    pending: &Ambiguity,
) {
    if u.has_value(pending.field) || u.ambiguity.is_some() {
        return;
    }
    let in_mention = |i: usize| mentions.iter().any(|m| m.lexemes.contains(&i));
    let mut explicit = Vec::new();
    for (i, l) in lx.iter().enumerate() {
        if let Some(n) = l.num().filter(|n| n.ordinal && !in_mention(i)) {
            match n.value {
                1 => explicit.push(0),
                2 => explicit.push(1),
                _ => {}
            }
        }
    }
    if contains_any(lx, &FIRST_CHOICE_WORDS) {
        explicit.push(0);
    }
    if contains_any(lx, &SECOND_CHOICE_WORDS) {
        explicit.push(1);
    }
    let mut fitting: Vec<usize> = Vec::new();
    if explicit.is_empty() {
        for m in mentions {
            fitting.extend((0..2).filter(|k| m.shape.fits(pending.options[*k])));
        }
        for (_, l) in lx.iter().enumerate().filter(|(i, _)| !in_mention(*i)) {
            if let Some(month) = l.word().and_then(month_word) {
                fitting.extend(
                    (0..2).filter(|k| chrono::Datelike::month(&pending.options[*k]) == month),
                );
            }
            if let Some(n) = l.num() {
                fitting.extend(
                    (0..2).filter(|k| chrono::Datelike::day(&pending.options[*k]) == n.value),
                );
            }
        }
    }
    let mut chosen = if explicit.is_empty() {
        fitting
    } else {
        explicit
    };
    chosen.sort_unstable();
    chosen.dedup();
    let pick = match chosen.as_slice() {
        [one] => Some(*one),
        [] if contains_any(lx, &YES_WORDS) => Some(0),
        _ => None,
    };
    match pick {
        Some(k) => {
            u.set_date(pending.field, Some(pending.options[k]));
            // "the fourth of march" was read as a date without a year.
            u.problems
                .retain(|p| !matches!(p, Problem::MissingYear { .. } | Problem::MissingDay { .. }));
        }
        None if chosen.is_empty() && contains_any(lx, &NO_WORDS) => u.intents.push(Intent::Neither),
        None => {}
    }
}

/// When the gender is asked or named: gender words and pronouns. Otherwise
/// gender words only when the user describes themself ("i'm a woman") or says
/// nothing else ("female"). "m"/"f" only as the whole answer to the gender
/// question. A negated word ("not a man") does not count.
fn read_gender(
    u: &mut Understanding,
    lx: &[Lexeme],
    named: &[(usize, Field)],
    expecting: Option<Field>,
) {
    let context =
        expecting == Some(Field::Gender) || named.iter().any(|(_, f)| *f == Field::Gender);
    let mut found: Vec<Gender> = Vec::new();
    let mut look = |words: &[(&str, Gender)]| {
        for (phrase, gender) in words {
            let len = phrase.split(' ').count();
            let counts =
                |at: &usize| !negated(lx, *at) && (context || self_described(lx, *at, len));
            if find_phrase(lx, phrase).iter().any(counts) {
                found.push(*gender);
            }
        }
    };
    look(&GENDER_WORDS);
    if context {
        look(&WEAK_GENDER_WORDS);
    }
    let mut words = lx.iter().filter(|l| !matches!(l.lex, Lex::Punct(_)));
    if let (Some(only), None, Some(Field::Gender)) = (words.next(), words.next(), expecting) {
        if let Some((_, g)) = GENDER_LETTERS.iter().find(|(w, _)| Some(*w) == only.word()) {
            found.push(*g);
        }
    }
    found.sort_by_key(|g| g.as_wire());
    found.dedup();
    match found.as_slice() {
        [one] => u.gender = Some(*one),
        [] => {}
        _ => u.problems.push(Problem::UnclearGender),
    }
}

/// "i'm a woman", "i identify as female" (a self word at most three words
/// before), or the phrase at `at` (of `len` words) with nothing but articles
/// and punctuation around it.
fn self_described(lx: &[Lexeme], at: usize, len: usize) -> bool {
    let described = lx[at.saturating_sub(3)..at]
        .iter()
        .any(|l| l.word().is_some_and(|w| SELF_WORDS.contains(&w)));
    let alone = lx.iter().enumerate().all(|(i, l)| {
        (at..at + len).contains(&i)
            || matches!(&l.lex, Lex::Punct(_))
            || l.word().is_some_and(|w| ARTICLES.contains(&w))
    });
    described || alone
}

fn negated(lx: &[Lexeme], at: usize) -> bool {
    let mut i = at;
    while i > 0 {
        i -= 1;
        match lx[i].word() {
            Some(w) if ARTICLES.contains(&w) => continue,
            Some(w) => return NEGATIONS.contains(&w),
            None => return false,
        }
    }
    false
}

/// Skip (or prefer not to say), go back, done. A skip goes to the fields the
/// message names that it gives no value for, else to the question asked
/// (unless the message answers it).
fn read_commands(
    u: &mut Understanding,
    lx: &[Lexeme],
    named: &[(usize, Field)],
    expecting: Option<Field>,
) {
    let mut named_fields: Vec<Field> = named.iter().map(|(_, f)| *f).collect();
    named_fields.sort_unstable();
    named_fields.dedup();
    if contains_any(lx, &SKIP_WORDS) || contains_any(lx, &PREFER_NOT_TO_SAY) {
        let mut targets: Vec<Field> = named_fields
            .iter()
            .copied()
            .filter(|f| !u.has_value(*f))
            .collect();
        if targets.is_empty() {
            targets.extend(expecting.filter(|f| !u.has_value(*f)));
        }
        u.intents.extend(targets.into_iter().map(Intent::Skip));
    }
    if contains_any(lx, &BACK_WORDS) {
        u.intents.push(Intent::Back(named_fields.first().copied()));
    }
    if contains_any(lx, &DONE_WORDS) {
        u.intents.push(Intent::Done);
    }
}

/// Where a phrase ("non binary") starts, word by word.
fn find_phrase(lx: &[Lexeme], phrase: &str) -> Vec<usize> {
    let words: Vec<&str> = phrase.split(' ').collect();
    (0..lx.len())
        .filter(|&i| {
            words
                .iter()
                .enumerate()
                .all(|(k, w)| lx.get(i + k).and_then(Lexeme::word) == Some(*w))
        })
        .collect()
}

fn contains_any(lx: &[Lexeme], phrases: &[&str]) -> bool {
    phrases.iter().any(|p| !find_phrase(lx, p).is_empty())
}
