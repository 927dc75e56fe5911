//! No input panics: random Unicode, long strings, emojis, and soups of the
//! dialogue's own words, numbers and separators, in every kind of state.

mod common;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use common::{d, profile_before};
use dialogue::{vocabulary, Conversation, Field, Gender, Outcome, ProfileView, Status};
use proptest::prelude::*;

/// Conversations in the states a message can meet.
fn states() -> Vec<(Conversation, ProfileView)> {
    let mut out = Vec::new();
    for locale in ["en-US", "en-GB", "de-DE", ""] {
        for field in Field::ASK_ORDER {
            let p = profile_before(field);
            out.push((Conversation::start(&p, locale).0, p));
        }
    }
    // Waiting for "did you mean A or B?".
    let p = ProfileView::default();
    let mut c = Conversation::start(&p, "en-GB").0;
    let u = c.understand("4/3/1990", d(2025, 6, 1));
    c.apply(&u, &Outcome::Accepted, &p);
    assert!(c.pending().is_some());
    out.push((c, p));
    // Completed.
    let full = ProfileView {
        dateofbirth: Some(d(1990, 1, 15)),
        dateofjoin: Some(d(2020, 3, 1)),
        gender: Some(Gender::Other),
        has_image: true,
    };
    out.push((Conversation::start(&full, "en-US").0, full));
    out
}

fn check(message: &str, today: NaiveDate, reject: bool) {
    for (mut c, profile) in states() {
        let u = c.understand(message, today);
        assert_eq!(
            u,
            c.understand(message, today),
            "understanding is deterministic"
        );
        let patch = u.profile_patch();
        let outcome = if reject && !patch.is_empty() {
            Outcome::Rejected(BTreeMap::from([(
                patch.keys().next().cloned().unwrap_or_default(),
                vec![message.chars().take(50).collect()],
            )]))
        } else {
            Outcome::Accepted
        };
        let mut after = profile.clone();
        if outcome == Outcome::Accepted {
            after.dateofbirth = u.dateofbirth.or(after.dateofbirth);
            after.dateofjoin = u.dateofjoin.or(after.dateofjoin);
            after.gender = u.gender.or(after.gender);
        }
        let reply = c.apply(&u, &outcome, &after);
        assert!(!reply.message.is_empty());
        assert!(reply.message.chars().count() < 1000, "{}", reply.message);
        assert_eq!(reply.completion_percentage, after.completion_percentage());
        assert_eq!(reply.status == Status::Completed, reply.expecting.is_none());
        assert_eq!(reply.expecting, c.expecting());
        if reject {
            assert!(reply.understood.is_empty());
        } else {
            assert_eq!(reply.understood, patch);
        }
        let json = serde_json::to_string(&c).expect("serializable");
        let back: Conversation = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, c);
    }
}

fn any_day() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        Just(NaiveDate::MIN),
        Just(NaiveDate::MAX),
        (1i32..=9999, 1u32..=12, 1u32..=28).prop_map(|(y, m, day)| d(y, m, day)),
    ]
}

/// The dialogue's words, numbers, month-ish and separator pieces.
fn soup() -> impl Strategy<Value = String> {
    let words = vocabulary();
    let piece = prop_oneof![
        proptest::sample::select(words).prop_map(str::to_string),
        (0u32..100_000).prop_map(|n| n.to_string()),
        (0u32..40).prop_map(|n| format!("{n}th")),
        proptest::sample::select(vec![
            "/", "-", ".", ",", "'", "\u{2019}", " ", "  ", "😀", "é", "\u{200b}", "\u{301}", "st",
            "nd",
        ])
        .prop_map(str::to_string),
    ];
    proptest::collection::vec(piece, 0..120).prop_map(|pieces| {
        let joined = pieces.join(" ");
        joined.chars().take(500).collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn random_unicode(message in proptest::collection::vec(any::<char>(), 0..500), today in any_day(), reject in any::<bool>()) {
        check(&message.into_iter().collect::<String>(), today, reject);
    }

    #[test]
    fn printable_text(message in "\\PC{0,500}", today in any_day()) {
        check(&message, today, false);
    }

    #[test]
    fn emojis_and_marks(message in "[😀🎉👩‍💻🏳️‍🌈\u{200d}\u{fe0f}\u{301}\u{202e}a-z0-9 /.,'-]{0,500}") {
        check(&message, d(2025, 6, 1), false);
    }

    #[test]
    fn vocabulary_soup(message in soup(), today in any_day(), reject in any::<bool>()) {
        check(&message, today, reject);
    }
}

#[test]
fn very_long_inputs() {
    let today = d(2025, 6, 1);
    for message in [
        "9".repeat(100_000),
        "nineteen ".repeat(10_000),
        "15/".repeat(10_000),
        "😀".repeat(50_000),
        "non ".repeat(10_000),
        format!("{}15 January 1990", " ".repeat(990)),
    ] {
        check(&message, today, false);
    }
}
