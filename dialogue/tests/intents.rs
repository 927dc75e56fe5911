//! Skip, go back, done, corrections and the vocabulary lists.

mod common;

use common::{d, understand_at};
use dialogue::{
    command_words, date_words, field_words, gender_words, vocabulary, Field, Gender, Intent,
};

#[test]
fn skip_the_question_or_the_fields_named() {
    use Field::*;
    let table = [
        (DateOfBirth, "skip", vec![Intent::Skip(DateOfBirth)]),
        (
            DateOfBirth,
            "Skip this question",
            vec![Intent::Skip(DateOfBirth)],
        ),
        (DateOfBirth, "next", vec![Intent::Skip(DateOfBirth)]),
        (DateOfBirth, "pass", vec![Intent::Skip(DateOfBirth)]),
        (Gender, "later", vec![Intent::Skip(Gender)]),
        (Gender, "not now", vec![Intent::Skip(Gender)]),
        (DateOfJoin, "move on", vec![Intent::Skip(DateOfJoin)]),
        (ProfileImage, "skip", vec![Intent::Skip(ProfileImage)]),
        (
            DateOfBirth,
            "skip the photo",
            vec![Intent::Skip(ProfileImage)],
        ),
        (
            DateOfBirth,
            "skip gender and photo",
            vec![Intent::Skip(Gender), Intent::Skip(ProfileImage)],
        ),
        (
            Gender,
            "I'll upload my picture later",
            vec![Intent::Skip(ProfileImage), Intent::Done],
        ),
    ];
    for (asked, message, intents) in table {
        let u = understand_at(asked, "en-US", message);
        assert_eq!(u.intents, intents, "{asked:?} {message}");
        assert!(u.changes().is_empty(), "{message}");
    }
    // A skip word with an answer to the question: the answer wins.
    let u = understand_at(Field::DateOfBirth, "en-US", "next one: 15 January 1990");
    assert_eq!(u.dateofbirth, Some(d(1990, 1, 15)));
    assert!(u.intents.is_empty(), "{u:?}");
}

#[test]
fn go_back() {
    let table = [
        ("go back", Intent::Back(None)),
        ("back", Intent::Back(None)),
        ("Back!", Intent::Back(None)),
        ("previous", Intent::Back(None)),
        ("previous question", Intent::Back(None)),
        ("go back to gender", Intent::Back(Some(Field::Gender))),
        (
            "back to my date of birth please",
            Intent::Back(Some(Field::DateOfBirth)),
        ),
    ];
    for (message, intent) in table {
        let u = understand_at(Field::DateOfJoin, "en-US", message);
        assert_eq!(u.intents, [intent], "{message}");
    }
}

#[test]
fn done() {
    for message in ["done", "Done!", "I uploaded it", "finished", "ready"] {
        let u = understand_at(Field::ProfileImage, "en-US", message);
        assert_eq!(u.intents, [Intent::Done], "{message}");
    }
}

/// Corrections of any field at any time, detected by the words naming it.
#[test]
fn corrections() {
    let u = understand_at(
        Field::DateOfJoin,
        "en-US",
        "actually my birthday is 3 March 1991",
    );
    assert_eq!(
        u.changes(),
        [(Field::DateOfBirth, "1991-03-03".to_string())]
    );
    let u = understand_at(Field::DateOfBirth, "en-US", "no, I joined on 1 May 2020");
    assert_eq!(u.changes(), [(Field::DateOfJoin, "2020-05-01".to_string())]);
    let u = understand_at(Field::ProfileImage, "en-US", "change my gender to female");
    assert_eq!(u.gender, Some(Gender::Female));
    let u = understand_at(
        Field::Gender,
        "en-US",
        "I'm a man born on the first of may nineteen eighty",
    );
    assert_eq!(
        u.changes(),
        [
            (Field::DateOfBirth, "1980-05-01".to_string()),
            (Field::Gender, "MALE".to_string())
        ]
    );
}

#[test]
fn vocabulary_lists() {
    for w in [
        "january",
        "jan",
        "fifteenth",
        "nineteen",
        "thousand",
        "oh",
        "today",
    ] {
        assert!(date_words().contains(&w), "{w}");
    }
    for w in ["male", "woman", "non binary", "she", "m"] {
        assert!(gender_words().contains(&w), "{w}");
    }
    for w in [
        "skip",
        "go back",
        "previous",
        "prefer not",
        "done",
        "yes",
        "no",
        "latter",
    ] {
        assert!(command_words().contains(&w), "{w}");
    }
    for w in [
        "born", "birthday", "dob", "joined", "hired", "gender", "photo",
    ] {
        assert!(field_words().contains(&w), "{w}");
    }
    let all = vocabulary();
    assert!(all.windows(2).all(|w| w[0] < w[1]), "sorted, no duplicates");
    assert!(all.iter().all(|w| !w.contains(' ') && !w.is_empty()));
    for w in ["binary", "prefer", "back", "february", "not"] {
        assert!(all.contains(&w), "{w}");
    }
}

/// Every word of the vocabulary, alone, is read without surprise: the lexer
/// keeps it whole (one lexeme), which a recognizer grammar built from these
/// lists relies on.
#[test]
fn every_vocabulary_word_is_understood_or_ignored_safely() {
    for w in vocabulary() {
        for asked in Field::ASK_ORDER {
            let u = understand_at(asked, "en-US", w);
            assert!(u.changes().len() <= 1, "{w}: {u:?}");
        }
    }
}
