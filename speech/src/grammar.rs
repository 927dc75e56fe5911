//! JSGF grammars generated from the word lists below: the one place that says
//! which answers the recognizer can hear.

use std::collections::BTreeSet;

use crate::Expect;

/// Accepted whatever the question.
const COMMANDS: &[&str] = &["skip", "go back", "back", "yes", "no"];
const GENDERS: &[&str] = &[
    "male",
    "female",
    "man",
    "woman",
    "other",
    "non binary",
    "prefer not to say",
    "rather not say",
];
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const UNITS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];
const TEENS: &[&str] = &[
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
];
const TENS: &[&str] = &[
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
const ORDINAL_UNITS: &[&str] = &[
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
];
const ORDINAL_TEENS: &[&str] = &[
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
];

/// Days, years and the orders people say them in. Years run 1900-2099:
/// "nineteen ninety", "nineteen oh five", "two thousand", "two thousand and
/// five", "twenty ten". The year is optional so that a date said without one
/// is not forced into a year it never had.
fn date_rules() -> Vec<(&'static str, String)> {
    vec![
        ("unit", one_of(UNITS)),
        ("teen", one_of(TEENS)),
        ("tens", one_of(TENS)),
        ("ordinal_unit", one_of(ORDINAL_UNITS)),
        (
            "ordinal_day",
            format!(
                "<ordinal_unit> | {} | twentieth | twenty <ordinal_unit> | thirtieth | thirty first",
                one_of(ORDINAL_TEENS)
            ),
        ),
        (
            "cardinal_day",
            "<unit> | <teen> | twenty [<unit>] | thirty [one]".into(),
        ),
        ("month", one_of(MONTHS)),
        ("two_digits", "<teen> | <tens> [<unit>] | oh <unit>".into()),
        (
            "year",
            "nineteen <two_digits> | twenty <two_digits> | two thousand [[and] (<unit> | <two_digits>)]"
                .into(),
        ),
        (
            "date",
            "([the] <ordinal_day> of <month> | <cardinal_day> <month> \
             | <month> [the] <ordinal_day> | <month> <cardinal_day>) [<year>]"
                .into(),
        ),
    ]
}

/// The JSGF grammar for `expect`, its commands included.
pub(crate) fn jsgf(expect: Expect) -> String {
    let mut rules = vec![("command", one_of(COMMANDS))];
    let answer = match expect {
        Expect::Date => {
            rules.extend(date_rules());
            "<date> | <command>"
        }
        Expect::Gender => {
            rules.push(("gender", one_of(GENDERS)));
            "<gender> | <command>"
        }
        Expect::Confirmation => "<command>",
    };
    let mut text = format!(
        "#JSGF V1.0;\ngrammar {};\npublic <answer> = {answer};\n",
        expect.name()
    );
    for (name, body) in rules {
        text.push_str(&format!("<{name}> = {body};\n"));
    }
    text
}

/// Every word the grammar for `expect` can produce.
pub(crate) fn words(expect: Expect) -> BTreeSet<String> {
    jsgf(expect)
        .lines()
        .filter(|line| line.starts_with('<') || line.starts_with("public "))
        .filter_map(|line| line.split_once('=').map(|(_, body)| body))
        .flat_map(words_of)
        .collect()
}

/// Every word some grammar can produce: what the dictionary must pronounce.
pub(crate) fn vocabulary() -> BTreeSet<String> {
    Expect::ALL.into_iter().flat_map(words).collect()
}

/// The words of a rule body: its tokens less JSGF punctuation and `<rule>` names.
fn words_of(body: &str) -> Vec<String> {
    body.split(|c: char| c.is_whitespace() || "()[]|;".contains(c))
        .filter(|token| !token.is_empty() && !token.starts_with('<'))
        .map(str::to_owned)
        .collect()
}

fn one_of(phrases: &[&str]) -> String {
    format!("({})", phrases.join(" | "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grammar_accepts_the_commands() {
        for expect in Expect::ALL {
            let text = jsgf(expect);
            assert!(text.contains("<command> = (skip | go back | back | yes | no);"));
            assert!(text.contains("public <answer> = "));
            assert!(text.contains(&format!("grammar {};", expect.name())));
        }
    }

    #[test]
    fn only_the_date_grammar_knows_months_and_only_gender_knows_genders() {
        assert!(jsgf(Expect::Date).contains("january"));
        assert!(!jsgf(Expect::Gender).contains("january"));
        assert!(jsgf(Expect::Gender).contains("non binary"));
        assert!(!jsgf(Expect::Date).contains("female"));
        assert!(!jsgf(Expect::Confirmation).contains("female"));
    }

    #[test]
    fn each_grammar_has_its_own_words() {
        assert!(words(Expect::Date).contains("thousand"));
        assert!(!words(Expect::Date).contains("female"));
        assert!(words(Expect::Gender).contains("binary"));
        let confirmation: Vec<String> = words(Expect::Confirmation).into_iter().collect();
        assert_eq!(confirmation, ["back", "go", "no", "skip", "yes"]);
    }

    #[test]
    fn vocabulary_holds_words_not_rule_names_or_syntax() {
        let words = vocabulary();
        for word in [
            "january",
            "fifteenth",
            "thousand",
            "oh",
            "binary",
            "skip",
            "the",
        ] {
            assert!(words.contains(word), "{word} missing");
        }
        for not_a_word in ["date", "year", "<unit>", "|", "public", "grammar", "answer"] {
            assert!(!words.contains(not_a_word), "{not_a_word} listed");
        }
        assert!(words
            .iter()
            .all(|w| w.chars().all(|c| c.is_ascii_lowercase())));
    }
}
