//! The dialogue policy: what to ask, and what to answer after a turn.
//!
//! A turn is: [`Conversation::understand`] (pure), then the integrator
//! validates and writes [`Understanding::profile_patch`], then
//! [`Conversation::apply`] with the outcome and the profile as now stored.
//!
//! In one turn, in this order:
//! 1. a rejected write re-asks the rejected field with the validation message;
//! 2. written values are confirmed; skips are recorded;
//! 3. an ambiguous date asks "did you mean A or B?";
//! 4. "no" to that question asks for the date with the month name;
//! 5. a problem (invalid date, missing year...) re-asks with its message;
//! 6. "go back", when nothing was written or skipped, re-asks the previous
//!    question (or the field named) and forgets that it was skipped;
//! 7. a message with nothing usable re-asks (the image question re-checks the
//!    upload instead);
//! 8. otherwise the next question: the first field in the asking order that
//!    is missing and not skipped; none left completes the conversation.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates::display;
use crate::locale::{DateOrder, DEFAULT_LOCALE};
use crate::messages;
use crate::profile::{Field, ProfileView};
use crate::reply::{MissingField, Outcome, Reply, Status};
use crate::understanding::{self, Ambiguity, Context, Intent, Understanding};

/// Questions remembered for "go back" (the oldest are forgotten).
const MAX_HISTORY: usize = 8;
/// Longest locale tag kept.
const MAX_LOCALE_CHARS: usize = 35;

/// The conversation's state, stored as JSON by the integrator between turns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    locale: String,
    expecting: Option<Field>,
    #[serde(default)]
    skipped: Vec<Field>,
    /// The questions asked, oldest first, for "go back".
    #[serde(default)]
    history: Vec<Field>,
    /// "Did you mean A or B?" awaiting an answer.
    #[serde(default)]
    pending: Option<Ambiguity>,
    /// The question was reached by "go back" and may re-ask a present field.
    #[serde(default)]
    revisiting: bool,
    #[serde(default)]
    turns: u32,
    status: Status,
}

impl Conversation {
    /// A new conversation and its opening message. A complete profile
    /// completes at once. An empty or malformed locale becomes `en-US`.
    pub fn start(profile: &ProfileView, locale: &str) -> (Conversation, Reply) {
        let mut c = Conversation {
            locale: normalize_locale(locale),
            expecting: None,
            skipped: Vec::new(),
            history: Vec::new(),
            pending: None,
            revisiting: false,
            turns: 0,
            status: Status::InProgress,
        };
        let reply = match c.next_field(profile) {
            Some(field) => {
                let greeting = messages::greeting(profile.completion_percentage());
                c.ask(field, vec![greeting], profile, Vec::new())
            }
            None => c.finish(Vec::new(), profile, Vec::new()),
        };
        (c, reply)
    }

    /// What `message` says, given what was asked. Changes nothing. `today` is
    /// the user's date (relative dates, two-digit years).
    pub fn understand(&self, message: &str, today: NaiveDate) -> Understanding {
        understanding::understand(
            message,
            &Context {
                expecting: self.expecting,
                pending: self.pending.as_ref(),
                order: DateOrder::for_locale(&self.locale),
                today,
            },
        )
    }

    /// Moves the conversation on after the integrator validated (and, if
    /// accepted, wrote) `understanding`'s changes. `profile` is the profile
    /// as stored now.
    pub fn apply(
        &mut self,
        understanding: &Understanding,
        outcome: &Outcome,
        profile: &ProfileView,
    ) -> Reply {
        self.turns = self.turns.saturating_add(1);
        let pending = self.pending.take();
        let u = understanding;

        if let Outcome::Rejected(errors) = outcome {
            let parts = vec![messages::rejected(errors)];
            let field = Field::ASK_ORDER
                .into_iter()
                .find(|f| errors.keys().any(|k| Field::from_key(k) == Some(*f)))
                .or_else(|| self.current_question(profile));
            return self.ask_or_finish(field, parts, profile, Vec::new());
        }

        let written = u.changes();
        let written_fields: Vec<Field> = written.iter().map(|(f, _)| *f).collect();
        let mut parts = Vec::new();
        if !written.is_empty() {
            let shown: Vec<(Field, String)> = written_fields
                .iter()
                .filter_map(|f| u.shown(*f).map(|v| (*f, v)))
                .collect();
            parts.push(messages::saved(&shown));
        }
        let image_arrived = self.expecting == Some(Field::ProfileImage) && profile.has_image;
        if image_arrived {
            parts.push(messages::IMAGE_RECEIVED.to_string());
        }
        let mut skipped_now = false;
        for intent in &u.intents {
            if let Intent::Skip(f) = intent {
                if written_fields.contains(f) {
                    continue;
                }
                skipped_now = true;
                if profile.has(*f) {
                    parts.push(messages::kept(*f));
                } else {
                    if !self.skipped.contains(f) {
                        self.skipped.push(*f);
                    }
                    parts.push(messages::skipped(*f));
                }
            }
        }

        if let Some(a) = u.ambiguity.filter(|a| !written_fields.contains(&a.field)) {
            parts.push(messages::ambiguous(a.options[0], a.options[1]));
            self.pending = Some(a);
            return self.respond(Some(a.field), parts, profile, written);
        }

        if let (Some(p), true) = (pending, u.intents.contains(&Intent::Neither)) {
            if written.is_empty() {
                parts.push(messages::neither(p.field));
                return self.respond(Some(p.field), parts, profile, written);
            }
        }

        if let Some(problem) = u.problems.first() {
            use crate::understanding::Problem::*;
            let (message, field) = match problem {
                InvalidDate { field, text } => (messages::invalid_date(text), *field),
                MissingYear { field, text } => (messages::missing_year(text), *field),
                MissingDay { field, text } => (messages::missing_day(text), *field),
                UnclearGender => (messages::UNCLEAR_GENDER.to_string(), Some(Field::Gender)),
                UnknownDateField { text } => {
                    parts.push(messages::which_date(text));
                    let current = self.current_question(profile);
                    return self.respond(current, parts, profile, written);
                }
            };
            parts.push(message);
            let unwritten = |f: &Field| !written_fields.contains(f);
            let field = field
                .filter(unwritten)
                .or_else(|| self.current_question(profile).filter(unwritten))
                .or_else(|| self.next_after(profile, &written_fields));
            return self.ask_or_finish(field, parts, profile, written);
        }

        let back = u.intents.iter().find_map(|i| match i {
            Intent::Back(target) => Some(*target),
            _ => None,
        });
        if let (Some(target), true) = (back, written.is_empty() && !skipped_now) {
            return self.go_back(target, parts, profile);
        }

        let nothing = written.is_empty() && !skipped_now && !image_arrived;
        if nothing {
            if let Some(p) = pending {
                parts.push(messages::NOT_UNDERSTOOD.to_string());
                parts.push(messages::ambiguous(p.options[0], p.options[1]));
                self.pending = Some(p);
                return self.respond(Some(p.field), parts, profile, written);
            }
            if self.expecting == Some(Field::ProfileImage) {
                parts.push(messages::IMAGE_NOT_YET.to_string());
                parts.push(messages::question(Field::ProfileImage).to_string());
                parts.push(messages::OR_SKIP.to_string());
                return self.respond(Some(Field::ProfileImage), parts, profile, written);
            }
            if self.expecting.is_some() {
                parts.push(messages::NOT_UNDERSTOOD.to_string());
            }
            let field = self.current_question(profile);
            return self.ask_or_finish(field, parts, profile, written);
        }

        let next = self.next_field(profile);
        self.ask_or_finish(next, parts, profile, written)
    }

    pub fn locale(&self) -> &str {
        &self.locale
    }

    pub fn expecting(&self) -> Option<Field> {
        self.expecting
    }

    pub fn status(&self) -> Status {
        self.status
    }

    pub fn skipped(&self) -> &[Field] {
        &self.skipped
    }

    pub fn pending(&self) -> Option<&Ambiguity> {
        self.pending.as_ref()
    }

    pub fn turns(&self) -> u32 {
        self.turns
    }

    /// The first field, in the asking order, that is missing and not skipped.
    fn next_field(&self, profile: &ProfileView) -> Option<Field> {
        Field::ASK_ORDER
            .into_iter()
            .find(|f| !profile.has(*f) && !self.skipped.contains(f))
    }

    /// The next field, except those just written (the integrator's profile
    /// may lag behind a write it reported as accepted).
    fn next_after(&self, profile: &ProfileView, written: &[Field]) -> Option<Field> {
        Field::ASK_ORDER
            .into_iter()
            .find(|f| !profile.has(*f) && !self.skipped.contains(f) && !written.contains(f))
    }

    /// The question to repeat: the one asked, while it still needs an answer
    /// (or was reached by going back), else the next one.
    fn current_question(&self, profile: &ProfileView) -> Option<Field> {
        self.expecting
            .filter(|f| self.revisiting || (!profile.has(*f) && !self.skipped.contains(f)))
            .or_else(|| self.next_field(profile))
    }

    fn go_back(
        &mut self,
        target: Option<Field>,
        mut parts: Vec<String>,
        profile: &ProfileView,
    ) -> Reply {
        let target = target.or_else(|| self.previous_question());
        let Some(field) = target else {
            parts.push(messages::NO_PREVIOUS.to_string());
            let current = self.current_question(profile);
            return self.ask_or_finish(current, parts, profile, Vec::new());
        };
        self.skipped.retain(|f| *f != field);
        let current = match field {
            Field::DateOfBirth => profile.dateofbirth.map(display),
            Field::DateOfJoin => profile.dateofjoin.map(display),
            Field::Gender => profile.gender.map(|g| g.display().to_string()),
            Field::ProfileImage => None,
        };
        parts.push(messages::going_back(field, current));
        let reply = self.ask(field, parts, profile, Vec::new());
        self.revisiting = profile.has(field);
        reply
    }

    /// The question before the one asked now, dropping the current one from
    /// the history.
    fn previous_question(&mut self) -> Option<Field> {
        match self.expecting {
            None => self.history.last().copied(),
            Some(current) => {
                let at = self.history.iter().rposition(|f| *f == current)?;
                if at == 0 {
                    return None;
                }
                self.history.truncate(at);
                self.history.last().copied()
            }
        }
    }

    fn ask_or_finish(
        &mut self,
        field: Option<Field>,
        parts: Vec<String>,
        profile: &ProfileView,
        written: Vec<(Field, String)>,
    ) -> Reply {
        match field {
            Some(f) => self.ask(f, parts, profile, written),
            None => self.finish(parts, profile, written),
        }
    }

    /// Asks `field`: its question ends the message.
    fn ask(
        &mut self,
        field: Field,
        mut parts: Vec<String>,
        profile: &ProfileView,
        written: Vec<(Field, String)>,
    ) -> Reply {
        parts.push(messages::question(field).to_string());
        self.respond(Some(field), parts, profile, written)
    }

    fn finish(
        &mut self,
        mut parts: Vec<String>,
        profile: &ProfileView,
        written: Vec<(Field, String)>,
    ) -> Reply {
        let missing = profile.missing();
        if missing.is_empty() {
            parts.push(messages::COMPLETE.to_string());
        } else {
            let in_ask_order: Vec<Field> = Field::ASK_ORDER
                .into_iter()
                .filter(|f| missing.contains(f))
                .collect();
            parts.push(messages::nothing_left(&in_ask_order));
        }
        self.respond(None, parts, profile, written)
    }

    /// The reply, with `expecting` as the question now asked (its text, if
    /// any, is already in `parts`).
    fn respond(
        &mut self,
        expecting: Option<Field>,
        parts: Vec<String>,
        profile: &ProfileView,
        written: Vec<(Field, String)>,
    ) -> Reply {
        if expecting != self.expecting {
            self.revisiting = false;
        }
        self.expecting = expecting;
        if let Some(f) = expecting {
            if self.history.last() != Some(&f) {
                self.history.push(f);
                if self.history.len() > MAX_HISTORY {
                    self.history.remove(0);
                }
            }
        }
        self.status = if expecting.is_some() {
            Status::InProgress
        } else {
            Status::Completed
        };
        Reply {
            status: self.status,
            message: parts.join(" "),
            expecting,
            understood: written
                .into_iter()
                .map(|(f, v)| (f.key().to_string(), v))
                .collect(),
            missing_fields: profile
                .missing()
                .into_iter()
                .map(MissingField::from)
                .collect(),
            completion_percentage: profile.completion_percentage(),
        }
    }
}

/// `ll[-_]RR...`-like tags are kept as given (trimmed); anything else is `en-US`.
fn normalize_locale(locale: &str) -> String {
    let locale = locale.trim();
    let plausible = !locale.is_empty()
        && locale.chars().count() <= MAX_LOCALE_CHARS
        && locale
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && locale
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic());
    if plausible {
        locale.to_string()
    } else {
        DEFAULT_LOCALE.to_string()
    }
}
