//! Every sentence the bot says, in one place. Short, friendly, English and
//! deterministic: tests compare them. Every question carries an example answer.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::dates::display;
use crate::profile::Field;

/// The question for a field, with an example answer.
pub(crate) fn question(field: Field) -> &'static str {
    match field {
        Field::DateOfBirth => "What is your date of birth? For example: 15 January 1990.",
        Field::Gender => "What is your gender? For example: female, male or other.",
        Field::DateOfJoin => "When did you join the company? For example: 1 March 2020.",
        Field::ProfileImage => {
            "Please upload a profile photo with the image upload in the app, then tell me. For example: done."
        }
    }
}

/// "your date of birth".
fn named(field: Field) -> &'static str {
    match field {
        Field::DateOfBirth => "your date of birth",
        Field::Gender => "your gender",
        Field::DateOfJoin => "your date of joining",
        Field::ProfileImage => "your profile photo",
    }
}

pub(crate) fn greeting(percentage: u8) -> String {
    format!("Hi! Your profile is {percentage}% complete. Let's finish it.")
}

pub(crate) const COMPLETE: &str = "Your profile is complete. Thank you!";

/// The conversation has nothing left to ask, but skipped fields are missing.
pub(crate) fn nothing_left(missing: &[Field]) -> String {
    let names: Vec<&str> = missing.iter().map(|f| named(*f)).collect();
    format!(
        "That's all for now. You can add {} later in your profile.",
        join(&names)
    )
}

/// What was written: (field, how to show the value).
pub(crate) fn saved(written: &[(Field, String)]) -> String {
    let items: Vec<String> = written
        .iter()
        .map(|(f, v)| format!("{} as {v}", named(*f)))
        .collect();
    format!("Thanks, I saved {}.", join(&items))
}

pub(crate) fn skipped(field: Field) -> String {
    format!("Okay, let's skip {}.", named(field))
}

pub(crate) fn kept(field: Field) -> String {
    format!("Okay, I kept {} as it is.", named(field))
}

pub(crate) const NOT_UNDERSTOOD: &str = "Sorry, I didn't understand that.";

pub(crate) fn invalid_date(text: &str) -> String {
    format!("Sorry, \"{text}\" is not a valid date.")
}

pub(crate) fn missing_year(text: &str) -> String {
    format!("I need the year too: \"{text}\" has none.")
}

pub(crate) fn missing_day(text: &str) -> String {
    format!("I need the day too: \"{text}\" has none.")
}

/// A date that names no field while no date is asked.
pub(crate) fn which_date(text: &str) -> String {
    format!(
        "Is \"{text}\" your date of birth or your date of joining? For example: I was born on 15 January 1990."
    )
}

pub(crate) const UNCLEAR_GENDER: &str = "Sorry, I couldn't tell which gender you mean.";

pub(crate) fn ambiguous(first: NaiveDate, second: NaiveDate) -> String {
    format!(
        "Did you mean {} or {}? For example: the first.",
        display(first),
        display(second)
    )
}

/// The user refused both readings of an ambiguous date.
pub(crate) fn neither(field: Field) -> String {
    let example = match field {
        Field::DateOfJoin => "1 March 2020",
        _ => "15 January 1990",
    };
    format!(
        "No problem. Please tell me {} with the month name. For example: {example}.",
        named(field)
    )
}

pub(crate) fn going_back(field: Field, current: Option<String>) -> String {
    match current {
        Some(value) => format!(
            "Sure, let's go back. You gave {} as {value}; say next to keep it.",
            named(field)
        ),
        None => "Sure, let's go back.".to_string(),
    }
}

pub(crate) const NO_PREVIOUS: &str = "There is no previous question.";

pub(crate) const IMAGE_RECEIVED: &str = "Thanks, I can see your profile photo now.";

pub(crate) const IMAGE_NOT_YET: &str = "I don't see a profile photo yet.";

pub(crate) const OR_SKIP: &str = "You can also say skip.";

/// The integrator's validation messages, each ending with a full stop, in
/// key order (the profile fields before anything else).
pub(crate) fn rejected(errors: &BTreeMap<String, Vec<String>>) -> String {
    let mut keys: Vec<&String> = errors.keys().collect();
    keys.sort_by_key(|k| (Field::from_key(k).is_none(), Field::from_key(k), k.as_str()));
    let sentences: Vec<String> = keys
        .into_iter()
        .flat_map(|k| &errors[k])
        .map(|m| m.trim())
        .filter(|m| !m.is_empty())
        .map(|m| {
            if m.ends_with(['.', '!', '?']) {
                m.to_string()
            } else {
                format!("{m}.")
            }
        })
        .collect();
    if sentences.is_empty() {
        "Sorry, that could not be saved.".to_string()
    } else {
        sentences.join(" ")
    }
}

/// "a", "a and b", "a, b and c".
fn join<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", rest.join(", "), last.as_ref())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_lists() {
        assert_eq!(join::<&str>(&[]), "");
        assert_eq!(join(&["a"]), "a");
        assert_eq!(join(&["a", "b"]), "a and b");
        assert_eq!(join(&["a", "b", "c"]), "a, b and c");
    }

    #[test]
    fn every_question_has_an_example() {
        for f in Field::ASK_ORDER {
            assert!(question(f).contains("For example: "), "{f:?}");
        }
    }

    #[test]
    fn rejection_messages_get_full_stops_and_field_order() {
        let errors = BTreeMap::from([
            (
                "non_field_errors".to_string(),
                vec!["Try again later!".to_string()],
            ),
            (
                "dateofjoin".to_string(),
                vec!["Date of joining cannot be before date of birth".to_string()],
            ),
            (
                "dateofbirth".to_string(),
                vec![
                    "Date of birth cannot be in the future".to_string(),
                    " ".to_string(),
                ],
            ),
        ]);
        assert_eq!(
            rejected(&errors),
            "Date of birth cannot be in the future. Date of joining cannot be before date of birth. Try again later!"
        );
        assert_eq!(
            rejected(&BTreeMap::new()),
            "Sorry, that could not be saved."
        );
    }
}
