//! Every word the dialogue understands, in one place. The speech recognizer's
//! grammar is built from the same lists through the exported functions.
//!
//! Words are lowercase and without apostrophes ("i'm" is read as "im",
//! "don't" as "dont"): the lexer drops apostrophes inside words. Entries with
//! spaces are phrases, matched word by word.

use crate::profile::{Field, Gender};

/// Month names and abbreviations with their number.
pub(crate) const MONTHS: [(&str, u32); 25] = [
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
    // A frequent misspelling.
    ("febuary", 2),
];

/// Number words the date grammar relies on. text2num turns them into numbers;
/// this list only tells the speech grammar which words to expect (a test
/// checks text2num reads each of them).
pub(crate) const NUMBER_WORDS: [&str; 52] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "thirtieth",
    "and",
];

/// "nineteen oh five": the spoken zero inside a year.
pub(crate) const SPOKEN_ZERO: [&str; 2] = ["oh", "o"];

/// Words that may stand between the parts of a date: "the fifteenth of january".
pub(crate) const DATE_FILLERS: [&str; 2] = ["the", "of"];

/// Dates relative to the day of the conversation, in days.
pub(crate) const RELATIVE_DAYS: [(&str, i64); 3] =
    [("today", 0), ("yesterday", -1), ("tomorrow", 1)];

/// Words that name a field. A date goes to the field named nearest before it
/// (or else right after it); "skip" and "go back" go to the fields named.
pub(crate) const FIELD_WORDS: [(&str, Field); 31] = [
    ("born", Field::DateOfBirth),
    ("birth", Field::DateOfBirth),
    ("birthday", Field::DateOfBirth),
    ("birthdate", Field::DateOfBirth),
    ("bday", Field::DateOfBirth),
    ("dob", Field::DateOfBirth),
    ("joined", Field::DateOfJoin),
    ("join", Field::DateOfJoin),
    ("joining", Field::DateOfJoin),
    ("start", Field::DateOfJoin),
    ("started", Field::DateOfJoin),
    ("starting", Field::DateOfJoin),
    ("began", Field::DateOfJoin),
    ("begin", Field::DateOfJoin),
    ("hired", Field::DateOfJoin),
    ("hire", Field::DateOfJoin),
    ("employment", Field::DateOfJoin),
    ("employed", Field::DateOfJoin),
    ("gender", Field::Gender),
    ("sex", Field::Gender),
    ("pronoun", Field::Gender),
    ("pronouns", Field::Gender),
    ("photo", Field::ProfileImage),
    ("picture", Field::ProfileImage),
    ("image", Field::ProfileImage),
    ("pic", Field::ProfileImage),
    ("avatar", Field::ProfileImage),
    ("selfie", Field::ProfileImage),
    ("headshot", Field::ProfileImage),
    ("portrait", Field::ProfileImage),
    ("photograph", Field::ProfileImage),
];

/// Gender words understood anywhere in a message.
pub(crate) const GENDER_WORDS: [(&str, Gender); 24] = [
    ("male", Gender::Male),
    ("man", Gender::Male),
    ("boy", Gender::Male),
    ("guy", Gender::Male),
    ("gentleman", Gender::Male),
    ("gent", Gender::Male),
    ("masculine", Gender::Male),
    ("female", Gender::Female),
    ("woman", Gender::Female),
    ("girl", Gender::Female),
    ("lady", Gender::Female),
    ("feminine", Gender::Female),
    ("non binary", Gender::Other),
    ("nonbinary", Gender::Other),
    ("enby", Gender::Other),
    ("genderqueer", Gender::Other),
    ("gender queer", Gender::Other),
    ("agender", Gender::Other),
    ("genderfluid", Gender::Other),
    ("gender fluid", Gender::Other),
    ("bigender", Gender::Other),
    ("gender neutral", Gender::Other),
    ("genderless", Gender::Other),
    ("pangender", Gender::Other),
];

/// Outside the gender question, a gender word only counts when the user
/// describes themself ("i'm a woman", "i identify as non-binary") or says
/// nothing else: "my manager is a woman" is not an answer.
pub(crate) const SELF_WORDS: [&str; 4] = ["im", "am", "identify", "identifies"];

/// Gender words too common to trust in any sentence ("her", "other"): only
/// read when the gender is the question, or the message names the gender
/// field ("my pronouns are she her").
pub(crate) const WEAK_GENDER_WORDS: [(&str, Gender); 10] = [
    ("he", Gender::Male),
    ("him", Gender::Male),
    ("his", Gender::Male),
    ("she", Gender::Female),
    ("her", Gender::Female),
    ("hers", Gender::Female),
    ("they", Gender::Other),
    ("them", Gender::Other),
    ("other", Gender::Other),
    ("something else", Gender::Other),
];

/// One-letter answers, only read when they are the whole answer to the
/// gender question.
pub(crate) const GENDER_LETTERS: [(&str, Gender); 2] = [("m", Gender::Male), ("f", Gender::Female)];

/// A gender word right after one of these is not an answer: "i'm not a man".
pub(crate) const NEGATIONS: [&str; 5] = ["not", "no", "never", "isnt", "nor"];

/// Skipped between a negation and the gender word.
pub(crate) const ARTICLES: [&str; 3] = ["a", "an", "the"];

/// Skip this question (or the fields the message names).
pub(crate) const SKIP_WORDS: [&str; 9] = [
    "skip", "skipping", "pass", "next", "later", "not now", "keep", "keep it", "move on",
];

/// "Prefer not to say": read as a skip of the question (or of the fields the
/// message names), never as the value `OTHER`.
pub(crate) const PREFER_NOT_TO_SAY: [&str; 10] = [
    "prefer not",
    "rather not",
    "not telling",
    "dont want to",
    "do not want to",
    "decline",
    "declined",
    "none of your business",
    "not comfortable",
    "no comment",
];

/// Re-ask the previous question (or the field named: "go back to gender").
pub(crate) const BACK_WORDS: [&str; 4] = ["back", "go back", "previous", "previous question"];

/// The user has uploaded the image (any message re-checks it anyway).
pub(crate) const DONE_WORDS: [&str; 7] = [
    "done", "uploaded", "finished", "ready", "added", "did it", "upload",
];

/// Accepts the first reading of an ambiguous date.
pub(crate) const YES_WORDS: [&str; 11] = [
    "yes", "yeah", "yep", "yup", "correct", "right", "exactly", "sure", "ok", "okay", "true",
];

/// Refuses both readings of an ambiguous date.
pub(crate) const NO_WORDS: [&str; 5] = ["no", "nope", "nah", "neither", "wrong"];

/// Picks a reading of an ambiguous date; "first"/"second" come as ordinals
/// from text2num, these are the other words.
pub(crate) const FIRST_CHOICE_WORDS: [&str; 1] = ["former"];
pub(crate) const SECOND_CHOICE_WORDS: [&str; 3] = ["latter", "other", "other one"];

/// Months, number words, fillers and relative days: everything a date is made of.
pub fn date_words() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = MONTHS.iter().map(|(w, _)| *w).collect();
    words.extend(NUMBER_WORDS);
    words.extend(SPOKEN_ZERO);
    words.extend(DATE_FILLERS);
    words.extend(RELATIVE_DAYS.iter().map(|(w, _)| *w));
    words
}

/// Gender values and their synonyms, including pronouns and one-letter codes.
pub fn gender_words() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = GENDER_WORDS.iter().map(|(w, _)| *w).collect();
    words.extend(WEAK_GENDER_WORDS.iter().map(|(w, _)| *w));
    words.extend(GENDER_LETTERS.iter().map(|(w, _)| *w));
    words
}

/// Skip, go back, prefer not to say, done, yes/no and the ambiguity choices.
pub fn command_words() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = SKIP_WORDS.to_vec();
    words.extend(PREFER_NOT_TO_SAY);
    words.extend(BACK_WORDS);
    words.extend(DONE_WORDS);
    words.extend(YES_WORDS);
    words.extend(NO_WORDS);
    words.extend(FIRST_CHOICE_WORDS);
    words.extend(SECOND_CHOICE_WORDS);
    words
}

/// Words that name a field ("born", "joined", "gender", "photo"...).
pub fn field_words() -> Vec<&'static str> {
    FIELD_WORDS.iter().map(|(w, _)| *w).collect()
}

/// Every single word of the lists above, sorted and without duplicates: the
/// recognizer's word list.
pub fn vocabulary() -> Vec<&'static str> {
    let mut words: Vec<&'static str> =
        [date_words(), gender_words(), command_words(), field_words()]
            .into_iter()
            .flatten()
            .flat_map(|phrase| phrase.split(' '))
            .chain(NEGATIONS)
            .chain(ARTICLES)
            .collect();
    words.sort_unstable();
    words.dedup();
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use text2num::{lang::English, text2digits};

    /// The speech grammar lists these words because text2num reads them.
    #[test]
    fn text2num_reads_every_number_word() {
        for w in NUMBER_WORDS.iter().filter(|w| **w != "and") {
            assert!(text2digits(w, &English::new()).is_ok(), "{w}");
        }
        assert_eq!(
            text2digits("two thousand and five", &English::new()).ok(),
            Some("2005".into())
        );
    }

    #[test]
    fn month_words_are_lowercase_single_words() {
        for (w, m) in MONTHS {
            assert!((1..=12).contains(&m));
            assert!(w.chars().all(|c| c.is_ascii_lowercase()), "{w}");
        }
        for m in 1..=12 {
            assert!(MONTHS.iter().any(|(_, n)| *n == m));
        }
    }

    #[test]
    fn phrases_are_lowercase_words_without_apostrophes() {
        for phrase in [date_words(), gender_words(), command_words(), field_words()].concat() {
            assert!(
                phrase
                    .split(' ')
                    .all(|w| !w.is_empty() && w.chars().all(|c| c.is_lowercase())),
                "{phrase:?}"
            );
        }
    }
}
