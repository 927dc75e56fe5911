//! "Did you mean 4 March 1990 or 3 April 1990?" and its answers.

mod common;

use common::{d, Harness};
use dialogue::{Field, ProfileView, Status};

const QUESTION: &str = "Did you mean 4 March 1990 or 3 April 1990? For example: the first.";

/// en-GB reads 4/3/1990 as 4 March first.
fn asked_back() -> Harness {
    let mut h = Harness::new(ProfileView::default(), "en-GB");
    let reply = h.say("I was born on 4/3/1990");
    assert_eq!(reply.message, QUESTION);
    assert_eq!(reply.expecting, Some(Field::DateOfBirth));
    assert_eq!(reply.status, Status::InProgress);
    assert!(reply.understood.is_empty());
    assert_eq!(
        h.profile.dateofbirth, None,
        "nothing written while ambiguous"
    );
    h
}

#[test]
fn answers_pick_a_reading() {
    let march = d(1990, 3, 4);
    let april = d(1990, 4, 3);
    let table = [
        ("the first", march),
        ("first", march),
        ("the first one", march),
        ("1st", march),
        ("the former", march),
        ("yes", march),
        ("Yes, that's right", march),
        ("march", march),
        ("March please", march),
        ("the fourth of march", march),
        ("4 March", march),
        ("4 March 1990", march),
        ("the fourth", march),
        ("the second", april),
        ("second one", april),
        ("the latter", april),
        ("the other one", april),
        ("no, the second", april),
        ("april", april),
        ("3 April 1990", april),
        ("April 3rd", april),
        ("april third nineteen ninety", april),
        ("the third", april),
        ("1990-04-03", april),
    ];
    for (answer, date) in table {
        let mut h = asked_back();
        let reply = h.say(answer);
        assert_eq!(
            h.profile.dateofbirth,
            Some(date),
            "{answer}: {}",
            reply.message
        );
        assert_eq!(
            reply.understood.get("dateofbirth").map(String::as_str),
            Some(date.format("%Y-%m-%d").to_string().as_str()),
            "{answer}"
        );
        assert_eq!(reply.expecting, Some(Field::Gender), "{answer}");
        assert_eq!(h.conversation().pending(), None, "{answer}");
    }
}

#[test]
fn no_asks_for_the_month_name() {
    let mut h = asked_back();
    let reply = h.say("no");
    assert_eq!(
        reply.message,
        "No problem. Please tell me your date of birth with the month name. For example: 15 January 1990."
    );
    assert_eq!(reply.expecting, Some(Field::DateOfBirth));
    assert_eq!(h.conversation().pending(), None);
    let reply = h.say("3 April 1990");
    assert_eq!(reply.understood["dateofbirth"], "1990-04-03");
}

#[test]
fn unclear_answers_ask_again() {
    for answer in ["hmm", "both", "4/3/1990", "the first or the second", "may"] {
        let mut h = asked_back();
        let reply = h.say(answer);
        assert!(
            reply.message.ends_with(QUESTION),
            "{answer}: {}",
            reply.message
        );
        assert_eq!(h.profile.dateofbirth, None, "{answer}");
        assert!(h.conversation().pending().is_some(), "{answer}");
    }
    let mut h = asked_back();
    assert_eq!(
        h.say("hmm").message,
        format!("Sorry, I didn't understand that. {QUESTION}")
    );
}

#[test]
fn skip_or_another_field_ends_the_question() {
    let mut h = asked_back();
    let reply = h.say("skip");
    assert_eq!(
        reply.message,
        "Okay, let's skip your date of birth. What is your gender? For example: female, male or other."
    );
    assert_eq!(h.conversation().pending(), None);

    // An answer about another field is written; the date is asked again.
    let mut h = asked_back();
    let reply = h.say("I'm a woman");
    assert_eq!(reply.understood["gender"], "FEMALE");
    assert_eq!(reply.expecting, Some(Field::DateOfBirth));
}

/// en-US reads 4/3/1990 as April 3 first: "yes" takes that one.
#[test]
fn the_locale_reading_comes_first() {
    let mut h = Harness::new(ProfileView::default(), "en-US");
    let reply = h.say("4/3/1990");
    assert_eq!(
        reply.message,
        "Did you mean 3 April 1990 or 4 March 1990? For example: the first."
    );
    h.say("yes");
    assert_eq!(h.profile.dateofbirth, Some(d(1990, 4, 3)));
}

/// The ambiguity of a date of joining, named while the birth date is asked.
#[test]
fn ambiguity_of_another_field() {
    let mut h = Harness::new(ProfileView::default(), "en-GB");
    let reply = h.say("I joined on 2/3/2020");
    assert_eq!(
        reply.message,
        "Did you mean 2 March 2020 or 3 February 2020? For example: the first."
    );
    assert_eq!(reply.expecting, Some(Field::DateOfJoin));
    let reply = h.say("february");
    assert_eq!(reply.understood["dateofjoin"], "2020-02-03");
    assert_eq!(reply.expecting, Some(Field::DateOfBirth));
}
