//! Gender words, synonyms, pronouns, sentences, negation and "prefer not to say".

mod common;

use common::understand_at;
use dialogue::{Field, Gender, Intent, Problem};

#[test]
fn answers_to_the_gender_question() {
    use Gender::*;
    let table = [
        ("male", Male),
        ("Male", Male),
        ("MALE", Male),
        ("man", Male),
        ("boy", Male),
        ("guy", Male),
        ("gentleman", Male),
        ("he", Male),
        ("him", Male),
        ("he/him", Male),
        ("m", Male),
        ("M.", Male),
        ("I'm a man", Male),
        ("i am male", Male),
        ("female", Female),
        ("woman", Female),
        ("girl", Female),
        ("lady", Female),
        ("she", Female),
        ("her", Female),
        ("she/her", Female),
        ("f", Female),
        ("I'm a woman", Female),
        ("I\u{2019}m a woman", Female),
        ("i am a woman", Female),
        ("female please", Female),
        ("trans woman", Female),
        ("other", Other),
        ("non-binary", Other),
        ("non binary", Other),
        ("nonbinary", Other),
        ("Non-Binary", Other),
        ("genderqueer", Other),
        ("agender", Other),
        ("genderfluid", Other),
        ("gender fluid", Other),
        ("they/them", Other),
        ("something else", Other),
        ("I identify as non-binary", Other),
    ];
    for (message, gender) in table {
        let u = understand_at(Field::Gender, "en-US", message);
        assert_eq!(u.gender, Some(gender), "{message}: {u:?}");
        assert!(
            u.problems.is_empty() && u.intents.is_empty(),
            "{message}: {u:?}"
        );
    }
}

/// While another question is asked: gender words count when the user
/// describes themself or says nothing else; pronouns, "other" and single
/// letters only when the message names the gender.
#[test]
fn outside_the_gender_question() {
    let table = [
        ("I'm a woman", Some(Gender::Female)),
        ("female", Some(Gender::Female)),
        ("male", Some(Gender::Male)),
        ("change my gender to female", Some(Gender::Female)),
        ("my gender is other", Some(Gender::Other)),
        ("my pronouns are she/her", Some(Gender::Female)),
        ("actually I'm non-binary", Some(Gender::Other)),
        ("her", None),
        ("other", None),
        ("he said so", None),
        ("m", None),
        ("f", None),
        ("the other one", None),
        ("I identify as a woman", Some(Gender::Female)),
        ("I am male, born 1 Jan 1990", Some(Gender::Male)),
        ("A woman.", Some(Gender::Female)),
        ("my manager is a woman", None),
        ("the guy at HR said to ask you", None),
        ("female please", None),
    ];
    for (message, gender) in table {
        let u = understand_at(Field::DateOfBirth, "en-US", message);
        assert_eq!(u.gender, gender, "{message}: {u:?}");
    }
}

#[test]
fn negated_words_do_not_count() {
    let table = [
        ("I'm not a man", None),
        ("not male", None),
        ("not male, female", Some(Gender::Female)),
        ("no, female", Some(Gender::Female)),
        ("I am a woman, not a man", Some(Gender::Female)),
    ];
    for (message, gender) in table {
        let u = understand_at(Field::Gender, "en-US", message);
        assert_eq!(u.gender, gender, "{message}: {u:?}");
    }
}

#[test]
fn contradictory_words_are_unclear() {
    for message in ["male female", "man or woman", "he/they"] {
        let u = understand_at(Field::Gender, "en-US", message);
        assert_eq!(u.gender, None, "{message}");
        assert_eq!(u.problems, [Problem::UnclearGender], "{message}");
    }
}

/// "Prefer not to say" skips the question (it is not the value OTHER).
#[test]
fn prefer_not_to_say_is_a_skip() {
    for message in [
        "prefer not to say",
        "I'd prefer not to say",
        "rather not say",
        "I would rather not",
        "not telling",
        "I don't want to answer that",
        "decline to answer",
        "none of your business",
    ] {
        let u = understand_at(Field::Gender, "en-US", message);
        assert_eq!(u.gender, None, "{message}");
        assert_eq!(u.intents, [Intent::Skip(Field::Gender)], "{message}");
    }
    // Naming the gender while another question is asked skips the gender only.
    let u = understand_at(Field::DateOfBirth, "en-US", "I'd rather not say my gender");
    assert_eq!(u.intents, [Intent::Skip(Field::Gender)]);
    // Said of the date question, it skips the date.
    let u = understand_at(Field::DateOfBirth, "en-US", "prefer not to say");
    assert_eq!(u.intents, [Intent::Skip(Field::DateOfBirth)]);
}

#[test]
fn nothing_understood() {
    for message in ["", "   ", "hello", "what?", "🙂", "x", "mm"] {
        let u = understand_at(Field::Gender, "en-US", message);
        assert!(u.is_empty(), "{message:?}: {u:?}");
    }
}
