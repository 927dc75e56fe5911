//! Every date form, typed and spoken, in sentences, by locale; invalid and
//! partial dates; two-digit years.

mod common;

use common::{d, today, understand_at};
use dialogue::{Ambiguity, Field, Problem};

/// Date of birth asked, `en-US`: each form reads as 15 January 1990.
#[test]
fn written_and_spoken_forms_of_one_date() {
    let forms = [
        "15 January 1990",
        "15th January 1990",
        "15th of January 1990",
        "January 15, 1990",
        "January 15 1990",
        "Jan 15 1990",
        "jan. 15th, 1990",
        "JAN 15TH 1990",
        "1990-01-15",
        "1990/01/15",
        "15/01/1990",
        "01/15/1990",
        "1/15/1990",
        "15.01.1990",
        "15-01-1990",
        "fifteenth of january nineteen ninety",
        "the fifteenth of january nineteen ninety",
        "january fifteenth nineteen ninety",
        "january the fifteenth nineteen ninety",
        "fifteen january nineteen ninety",
        "january fifteen nineteen ninety",
        "the 15th of jan, 1990",
        "15 jan 90",
        "I was born on 15 January 1990",
        "i was born on the fifteenth of january nineteen ninety",
        "my birthday is January 15, 1990.",
        "My date of birth: 1990-01-15",
        "dob 15/01/1990",
        "  15 January 1990  ",
        "15 January 1990 😀",
    ];
    for message in forms {
        let u = understand_at(Field::DateOfBirth, "en-US", message);
        assert_eq!(u.dateofbirth, Some(d(1990, 1, 15)), "{message}");
        assert_eq!(u.dateofjoin, None, "{message}");
        assert!(
            u.problems.is_empty() && u.ambiguity.is_none(),
            "{message}: {u:?}"
        );
    }
}

/// Spoken years and days.
#[test]
fn spoken_numbers() {
    let table = [
        ("third of march nineteen ninety one", d(1991, 3, 3)),
        ("first of june two thousand twenty", d(2020, 6, 1)),
        ("the first of june two thousand and five", d(2005, 6, 1)),
        ("tenth of may twenty ten", d(2010, 5, 10)),
        ("fifth of july nineteen hundred ninety", d(1990, 7, 5)),
        ("fifth of july nineteen hundred and ninety", d(1990, 7, 5)),
        ("second of may nineteen oh five", d(1905, 5, 2)),
        ("twenty first of march nineteen eighty five", d(1985, 3, 21)),
        ("march twenty first nineteen eighty five", d(1985, 3, 21)),
        ("march twenty-first nineteen eighty-five", d(1985, 3, 21)),
        (
            "thirty first of december nineteen ninety nine",
            d(1999, 12, 31),
        ),
        (
            "december thirty first nineteen ninety nine",
            d(1999, 12, 31),
        ),
        ("january twenty twenty twenty", d(2020, 1, 20)),
        ("twentieth of february two thousand", d(2000, 2, 20)),
        (
            "the ninth of september one thousand nine hundred ninety",
            d(1990, 9, 9),
        ),
        ("fifteenth of january ninety", d(1990, 1, 15)),
        ("1st of June 2020", d(2020, 6, 1)),
        ("june 2nd 2020", d(2020, 6, 2)),
        ("the 3rd of march 1991", d(1991, 3, 3)),
        ("may fourth two thousand twenty one", d(2021, 5, 4)),
    ];
    for (message, date) in table {
        let u = understand_at(Field::DateOfBirth, "en-US", message);
        assert_eq!(u.dateofbirth, Some(date), "{message}: {u:?}");
    }
}

/// `a/b/yyyy` by locale: the same text, one reading per locale, or both.
#[test]
fn numeric_dates_follow_the_locale() {
    let us = [d(1990, 4, 3), d(1990, 3, 4)];
    let gb = [d(1990, 3, 4), d(1990, 4, 3)];
    let table = [
        ("en-US", us),
        ("en-CA", us),
        ("en-GB", gb),
        ("en-IN", gb),
        ("en-AU", gb),
        ("de-DE", gb),
        ("fr-FR", gb),
        ("fr-CA", gb),
        ("en", us),
        ("", us),
    ];
    for (locale, options) in table {
        for message in ["4/3/1990", "04.03.1990", "4-3-1990", "born 04/03/1990"] {
            let u = understand_at(Field::DateOfBirth, locale, message);
            assert_eq!(u.dateofbirth, None, "{locale} {message}");
            assert_eq!(
                u.ambiguity,
                Some(Ambiguity {
                    field: Field::DateOfBirth,
                    options
                }),
                "{locale} {message}"
            );
        }
        // Valid in one order only: read that way, whatever the locale.
        for (message, date) in [
            ("13/4/1990", d(1990, 4, 13)),
            ("4/13/1990", d(1990, 4, 13)),
            ("3/3/1990", d(1990, 3, 3)),
            ("1990-04-03", d(1990, 4, 3)),
        ] {
            let u = understand_at(Field::DateOfBirth, locale, message);
            assert_eq!(u.dateofbirth, Some(date), "{locale} {message}");
            assert_eq!(u.ambiguity, None, "{locale} {message}");
        }
    }
}

#[test]
fn invalid_dates_are_problems_with_the_users_words() {
    let table = [
        ("31 February 1990", "31 February 1990"),
        ("I was born on 30 feb 2000", "30 feb 2000"),
        ("29 February 1991", "29 February 1991"),
        ("13/13/1990", "13/13/1990"),
        ("00/00/1990", "00/00/1990"),
        ("1990-02-30", "1990-02-30"),
        (
            "april thirty first nineteen ninety",
            "april thirty first nineteen ninety",
        ),
        ("32 January 1990", "32 January 1990"),
        ("the 0th of may 1990", "0th of may 1990"),
    ];
    for (message, text) in table {
        let u = understand_at(Field::DateOfBirth, "en-GB", message);
        assert_eq!(u.dateofbirth, None, "{message}");
        assert_eq!(
            u.problems,
            [Problem::InvalidDate {
                field: Some(Field::DateOfBirth),
                text: text.into()
            }],
            "{message}"
        );
    }
    // A leap day is a date.
    let u = understand_at(Field::DateOfBirth, "en-GB", "29 February 1992");
    assert_eq!(u.dateofbirth, Some(d(1992, 2, 29)));
}

#[test]
fn partial_dates_ask_for_the_missing_part() {
    let u = understand_at(Field::DateOfBirth, "en-US", "15 January");
    assert_eq!(
        u.problems,
        [Problem::MissingYear {
            field: Some(Field::DateOfBirth),
            text: "15 January".into()
        }]
    );
    let u = understand_at(Field::DateOfJoin, "en-US", "I joined in March 2020");
    assert_eq!(
        u.problems,
        [Problem::MissingDay {
            field: Some(Field::DateOfJoin),
            text: "March 2020".into()
        }]
    );
    let u = understand_at(Field::DateOfBirth, "en-US", "january nineteen ninety");
    assert!(
        matches!(u.problems[..], [Problem::MissingDay { .. }]),
        "{u:?}"
    );
}

/// Two-digit years: the latest year ending so, not after this year (2025);
/// for a date of joining, not after next year.
#[test]
fn two_digit_years_pivot() {
    let table = [
        (Field::DateOfBirth, "15/01/90", d(1990, 1, 15)),
        (Field::DateOfBirth, "15/5/05", d(2005, 5, 15)),
        (Field::DateOfBirth, "15/5/25", d(2025, 5, 15)),
        (Field::DateOfBirth, "15/5/26", d(1926, 5, 15)),
        (Field::DateOfBirth, "jan 15 '90", d(1990, 1, 15)),
        (Field::DateOfJoin, "15/5/26", d(2026, 5, 15)),
        (Field::DateOfJoin, "15/5/27", d(1927, 5, 15)),
        (Field::DateOfJoin, "13 march 19", d(2019, 3, 13)),
    ];
    for (field, message, date) in table {
        let u = understand_at(field, "en-GB", message);
        let got = if field == Field::DateOfBirth {
            u.dateofbirth
        } else {
            u.dateofjoin
        };
        assert_eq!(got, Some(date), "{field:?} {message}");
    }
}

#[test]
fn relative_days() {
    let u = understand_at(Field::DateOfJoin, "en-US", "I joined today");
    assert_eq!(u.dateofjoin, Some(today()));
    let u = understand_at(Field::DateOfJoin, "en-US", "yesterday");
    assert_eq!(u.dateofjoin, Some(d(2025, 5, 31)));
    let u = understand_at(Field::DateOfJoin, "en-US", "I start tomorrow");
    assert_eq!(u.dateofjoin, Some(d(2025, 6, 2)));
}

/// A date goes to the field its sentence names, whatever is asked.
#[test]
fn dates_go_to_the_field_named() {
    use Field::*;
    let table = [
        (
            Gender,
            "I was born on 1 Jan 1990",
            Some(d(1990, 1, 1)),
            None,
        ),
        (
            DateOfBirth,
            "I joined on 1 May 2020",
            None,
            Some(d(2020, 5, 1)),
        ),
        (
            DateOfBirth,
            "no, I joined on 1 May 2020",
            None,
            Some(d(2020, 5, 1)),
        ),
        (
            DateOfBirth,
            "my start date was 1 May 2020",
            None,
            Some(d(2020, 5, 1)),
        ),
        (
            DateOfBirth,
            "I started working here on 2020-05-01",
            None,
            Some(d(2020, 5, 1)),
        ),
        (
            DateOfBirth,
            "I was hired on 05/31/2020",
            None,
            Some(d(2020, 5, 31)),
        ),
        (
            DateOfBirth,
            "my joining date is 1 May 2020",
            None,
            Some(d(2020, 5, 1)),
        ),
        (
            DateOfJoin,
            "actually my birthday is 3 March 1991",
            Some(d(1991, 3, 3)),
            None,
        ),
        (
            DateOfJoin,
            "1 Jan 1990 is my birthday",
            Some(d(1990, 1, 1)),
            None,
        ),
        (ProfileImage, "dob 1/20/1990", Some(d(1990, 1, 20)), None),
        (
            Gender,
            "born 1 Jan 1990 and joined 1 May 2020",
            Some(d(1990, 1, 1)),
            Some(d(2020, 5, 1)),
        ),
        (
            DateOfBirth,
            "I joined on 1 May 2020 and I was born on 1 Jan 1990",
            Some(d(1990, 1, 1)),
            Some(d(2020, 5, 1)),
        ),
        // A correction within the message: the later date wins.
        (
            DateOfBirth,
            "1 May 1990, no sorry, 2 May 1990",
            Some(d(1990, 5, 2)),
            None,
        ),
    ];
    for (asked, message, dob, doj) in table {
        let u = understand_at(asked, "en-US", message);
        assert_eq!(
            (u.dateofbirth, u.dateofjoin),
            (dob, doj),
            "{asked:?} {message}: {u:?}"
        );
        assert!(u.problems.is_empty(), "{message}: {u:?}");
    }
}

#[test]
fn a_date_that_names_no_field_while_no_date_is_asked() {
    let u = understand_at(Field::Gender, "en-US", "15 January 1990");
    assert_eq!(u.dateofbirth, None);
    assert_eq!(
        u.problems,
        [Problem::UnknownDateField {
            text: "15 January 1990".into()
        }]
    );
}

#[test]
fn numbers_that_are_not_dates() {
    for message in [
        "hello",
        "I have 2 kids",
        "call me at 555-1234",
        "may I ask why?",
        "march",
        "1990",
        "15",
        "3.14",
        "12345678901234567890/1/1990",
    ] {
        let u = understand_at(Field::DateOfBirth, "en-US", message);
        assert_eq!(u.dateofbirth, None, "{message}");
        assert_eq!(u.ambiguity, None, "{message}");
        assert!(u.problems.is_empty(), "{message}: {u:?}");
    }
}

#[test]
fn patch_is_the_wire_form() {
    let u = understand_at(
        Field::DateOfBirth,
        "en-US",
        "born 5 Jan 1990, I'm a woman, joined 1 May 2020",
    );
    let patch = u.profile_patch();
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"dateofbirth":"1990-01-05","dateofjoin":"2020-05-01","gender":"FEMALE"}"#
    );
}
