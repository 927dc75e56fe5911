//! Test helpers: a fixed "today", conversations at a given question, and a
//! stand-in integrator that validates, writes and stores the state as JSON.
#![allow(dead_code)]

use std::collections::BTreeMap;

use chrono::NaiveDate;
use dialogue::{Conversation, Field, Gender, Outcome, ProfileView, Reply, Understanding};

pub fn today() -> NaiveDate {
    d(2025, 6, 1)
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a real date in a test table")
}

/// A profile where every field asked before `field` is present.
pub fn profile_before(field: Field) -> ProfileView {
    let mut p = ProfileView::default();
    for f in Field::ASK_ORDER.into_iter().take_while(|f| *f != field) {
        match f {
            Field::DateOfBirth => p.dateofbirth = Some(d(1990, 1, 15)),
            Field::Gender => p.gender = Some(Gender::Female),
            Field::DateOfJoin => p.dateofjoin = Some(d(2020, 3, 1)),
            Field::ProfileImage => p.has_image = true,
        }
    }
    p
}

/// A new conversation whose first question is `field`.
pub fn asking(field: Field, locale: &str) -> Conversation {
    let (c, reply) = Conversation::start(&profile_before(field), locale);
    assert_eq!(reply.expecting, Some(field));
    c
}

/// What `message` says when `field` is asked, in `locale`.
pub fn understand_at(field: Field, locale: &str, message: &str) -> Understanding {
    asking(field, locale).understand(message, today())
}

/// The integrator's side, with the API's profile rules as the validation.
pub struct Harness {
    /// Stored as JSON between turns, as the integrator does.
    pub state: String,
    pub profile: ProfileView,
    pub last: Reply,
}

impl Harness {
    pub fn new(profile: ProfileView, locale: &str) -> Harness {
        let (c, last) = Conversation::start(&profile, locale);
        Harness {
            state: serde_json::to_string(&c).expect("serializable"),
            profile,
            last,
        }
    }

    pub fn conversation(&self) -> Conversation {
        serde_json::from_str(&self.state).expect("the stored state reads back")
    }

    pub fn say(&mut self, message: &str) -> Reply {
        let mut c = self.conversation();
        let u = c.understand(message, today());
        let outcome = self.write(&u);
        let reply = c.apply(&u, &outcome, &self.profile);
        self.state = serde_json::to_string(&c).expect("serializable");
        self.last = reply.clone();
        reply
    }

    /// Validates the changes as the profile PATCH does, and writes them all or none.
    fn write(&mut self, u: &Understanding) -> Outcome {
        let mut after = self.profile.clone();
        if let Some(dob) = u.dateofbirth {
            after.dateofbirth = Some(dob);
        }
        if let Some(doj) = u.dateofjoin {
            after.dateofjoin = Some(doj);
        }
        if let Some(g) = u.gender {
            after.gender = Some(g);
        }
        let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
        if u.dateofbirth.is_some_and(|dob| dob > today()) {
            errors
                .entry("dateofbirth".into())
                .or_default()
                .push("Date of birth cannot be in the future".into());
        }
        if (u.dateofbirth.is_some() || u.dateofjoin.is_some())
            && matches!((after.dateofbirth, after.dateofjoin), (Some(b), Some(j)) if j <= b)
        {
            errors
                .entry("dateofjoin".into())
                .or_default()
                .push("Date of joining cannot be before date of birth".into());
        }
        if errors.is_empty() {
            self.profile = after;
            Outcome::Accepted
        } else {
            Outcome::Rejected(errors)
        }
    }
}
