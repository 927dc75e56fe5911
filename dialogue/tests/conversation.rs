//! Whole conversations through a stand-in integrator: start, answers,
//! skip, go back, corrections, rejections, the image, completion.

mod common;

use std::collections::BTreeMap;

use common::{d, profile_before, today, Harness};
use dialogue::{Conversation, Field, Gender, MissingField, Outcome, ProfileView, Status};

const ASK_DOB: &str = "What is your date of birth? For example: 15 January 1990.";
const ASK_GENDER: &str = "What is your gender? For example: female, male or other.";
const ASK_DOJ: &str = "When did you join the company? For example: 1 March 2020.";
const ASK_IMAGE: &str =
    "Please upload a profile photo with the image upload in the app, then tell me. For example: done.";

fn missing(fields: &[Field]) -> Vec<MissingField> {
    fields.iter().map(|f| MissingField::from(*f)).collect()
}

fn complete_profile() -> ProfileView {
    ProfileView {
        dateofbirth: Some(d(1990, 1, 15)),
        dateofjoin: Some(d(2020, 3, 1)),
        gender: Some(Gender::Male),
        has_image: true,
    }
}

#[test]
fn complete_at_start() {
    let (c, reply) = Conversation::start(&complete_profile(), "en-US");
    assert_eq!(reply.status, Status::Completed);
    assert_eq!(reply.message, "Your profile is complete. Thank you!");
    assert_eq!(reply.expecting, None);
    assert_eq!(reply.completion_percentage, 100);
    assert!(reply.missing_fields.is_empty());
    assert!(reply.understood.is_empty());
    assert_eq!(c.status(), Status::Completed);
}

#[test]
fn start_with_a_partial_profile() {
    let profile = ProfileView {
        dateofbirth: Some(d(1990, 1, 15)),
        has_image: true,
        ..Default::default()
    };
    let (c, reply) = Conversation::start(&profile, "en-GB");
    assert_eq!(
        reply.message,
        format!("Hi! Your profile is 50% complete. Let's finish it. {ASK_GENDER}")
    );
    assert_eq!(reply.expecting, Some(Field::Gender));
    assert_eq!(reply.status, Status::InProgress);
    assert_eq!(
        reply.missing_fields,
        missing(&[Field::DateOfJoin, Field::Gender])
    );
    assert_eq!(c.locale(), "en-GB");
}

#[test]
fn start_with_only_the_image_missing() {
    let (_, reply) = Conversation::start(&profile_before(Field::ProfileImage), "en-US");
    assert_eq!(reply.expecting, Some(Field::ProfileImage));
    assert_eq!(reply.status, Status::InProgress);
    assert_eq!(
        reply.message,
        format!("Hi! Your profile is 75% complete. Let's finish it. {ASK_IMAGE}")
    );
    assert_eq!(reply.missing_fields, missing(&[Field::ProfileImage]));
}

#[test]
fn malformed_locales_become_en_us() {
    for locale in ["", "  ", "<script>", "x".repeat(100).as_str(), "1990"] {
        let (c, _) = Conversation::start(&ProfileView::default(), locale);
        assert_eq!(c.locale(), "en-US", "{locale:?}");
    }
}

/// Typed answers from an empty profile to 75 %, every reply checked.
#[test]
fn typed_conversation_to_75_percent() {
    let mut h = Harness::new(ProfileView::default(), "en-GB");
    assert_eq!(
        h.last.message,
        format!("Hi! Your profile is 0% complete. Let's finish it. {ASK_DOB}")
    );
    assert_eq!(
        h.last.missing_fields,
        missing(&[
            Field::ProfileImage,
            Field::DateOfBirth,
            Field::DateOfJoin,
            Field::Gender
        ])
    );

    let turns = [
        (
            "15/01/1990",
            format!("Thanks, I saved your date of birth as 15 January 1990. {ASK_GENDER}"),
            Some(Field::Gender),
            25,
            vec![("dateofbirth", "1990-01-15")],
        ),
        (
            "I'm a woman",
            format!("Thanks, I saved your gender as Female. {ASK_DOJ}"),
            Some(Field::DateOfJoin),
            50,
            vec![("gender", "FEMALE")],
        ),
        (
            "I joined on 1 March 2020",
            format!("Thanks, I saved your date of joining as 1 March 2020. {ASK_IMAGE}"),
            Some(Field::ProfileImage),
            75,
            vec![("dateofjoin", "2020-03-01")],
        ),
    ];
    for (message, expected, expecting, percentage, understood) in turns {
        let reply = h.say(message);
        assert_eq!(reply.message, expected, "{message}");
        assert_eq!(reply.expecting, expecting, "{message}");
        assert_eq!(reply.completion_percentage, percentage, "{message}");
        assert_eq!(reply.status, Status::InProgress, "{message}");
        let understood: BTreeMap<String, String> = understood
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(reply.understood, understood, "{message}");
    }
    assert_eq!(h.last.missing_fields, missing(&[Field::ProfileImage]));
    assert_eq!(
        h.profile,
        ProfileView {
            dateofbirth: Some(d(1990, 1, 15)),
            dateofjoin: Some(d(2020, 3, 1)),
            gender: Some(Gender::Female),
            has_image: false,
        }
    );
    assert_eq!(h.conversation().turns(), 3);
}

/// The same from a speech recognizer's transcripts.
#[test]
fn spoken_conversation_to_75_percent() {
    let mut h = Harness::new(ProfileView::default(), "en-US");
    h.say("i was born on the fifteenth of january nineteen ninety");
    h.say("i am a man");
    let reply = h.say("i joined on the first of march twenty twenty");
    assert_eq!(reply.completion_percentage, 75);
    assert_eq!(
        h.profile,
        ProfileView {
            dateofbirth: Some(d(1990, 1, 15)),
            dateofjoin: Some(d(2020, 3, 1)),
            gender: Some(Gender::Male),
            has_image: false,
        }
    );
}

#[test]
fn one_message_can_fill_several_fields() {
    let mut h = Harness::new(ProfileView::default(), "en-US");
    let reply = h.say("I'm a man born on 1 Jan 1990, I joined on 2 March 2020");
    assert_eq!(
        reply.message,
        format!("Thanks, I saved your date of birth as 1 January 1990, your gender as Male and your date of joining as 2 March 2020. {ASK_IMAGE}")
    );
    assert_eq!(reply.completion_percentage, 75);
    assert_eq!(reply.understood.len(), 3);
}

#[test]
fn image_flow() {
    let mut h = Harness::new(profile_before(Field::ProfileImage), "en-US");
    let not_yet = format!("I don't see a profile photo yet. {ASK_IMAGE} You can also say skip.");
    for message in ["done", "hello", "ok"] {
        let reply = h.say(message);
        assert_eq!(reply.message, not_yet, "{message}");
        assert_eq!(reply.status, Status::InProgress);
        assert_eq!(reply.expecting, Some(Field::ProfileImage));
        assert_eq!(reply.completion_percentage, 75);
    }
    // Uploaded through the app between two messages.
    h.profile.has_image = true;
    let reply = h.say("done");
    assert_eq!(
        reply.message,
        "Thanks, I can see your profile photo now. Your profile is complete. Thank you!"
    );
    assert_eq!(reply.status, Status::Completed);
    assert_eq!(reply.expecting, None);
    assert_eq!(reply.completion_percentage, 100);
    assert!(reply.missing_fields.is_empty());
}

#[test]
fn any_message_notices_the_upload() {
    let mut h = Harness::new(profile_before(Field::ProfileImage), "en-US");
    h.profile.has_image = true;
    let reply = h.say("what now?");
    assert_eq!(reply.status, Status::Completed);
}

#[test]
fn skipping_the_image_ends_the_conversation_incomplete() {
    let mut h = Harness::new(profile_before(Field::ProfileImage), "en-US");
    let reply = h.say("skip");
    assert_eq!(
        reply.message,
        "Okay, let's skip your profile photo. That's all for now. You can add your profile photo later in your profile."
    );
    assert_eq!(reply.status, Status::Completed);
    assert_eq!(reply.expecting, None);
    assert_eq!(reply.completion_percentage, 75);
    assert_eq!(reply.missing_fields, missing(&[Field::ProfileImage]));
}

#[test]
fn skipped_fields_are_not_asked_again() {
    let mut h = Harness::new(ProfileView::default(), "en-US");
    let reply = h.say("skip");
    assert_eq!(
        reply.message,
        format!("Okay, let's skip your date of birth. {ASK_GENDER}")
    );
    let reply = h.say("prefer not to say");
    assert_eq!(
        reply.message,
        format!("Okay, let's skip your gender. {ASK_DOJ}")
    );
    let reply = h.say("1 March 2020");
    assert_eq!(reply.expecting, Some(Field::ProfileImage));
    h.profile.has_image = true;
    let reply = h.say("done");
    assert_eq!(
        reply.message,
        "Thanks, I can see your profile photo now. That's all for now. You can add your date of birth and your gender later in your profile."
    );
    assert_eq!(reply.status, Status::Completed);
    assert_eq!(reply.completion_percentage, 50);
    assert_eq!(
        h.conversation().skipped(),
        [Field::DateOfBirth, Field::Gender]
    );
}

#[test]
fn go_back_changes_the_previous_answer() {
    let mut h = Harness::new(ProfileView::default(), "en-US");
    h.say("15 January 1990");
    let reply = h.say("go back");
    assert_eq!(
        reply.message,
        format!("Sure, let's go back. You gave your date of birth as 15 January 1990; say next to keep it. {ASK_DOB}")
    );
    assert_eq!(reply.expecting, Some(Field::DateOfBirth));
    // Not understood: the same question again, though the field is present.
    let reply = h.say("hmm");
    assert_eq!(
        reply.message,
        format!("Sorry, I didn't understand that. {ASK_DOB}")
    );
    let reply = h.say("16 January 1990");
    assert_eq!(
        reply.message,
        format!("Thanks, I saved your date of birth as 16 January 1990. {ASK_GENDER}")
    );
    assert_eq!(h.profile.dateofbirth, Some(d(1990, 1, 16)));
}

#[test]
fn go_back_and_keep() {
    let mut h = Harness::new(ProfileView::default(), "en-US");
    h.say("15 January 1990");
    h.say("back");
    let reply = h.say("next");
    assert_eq!(
        reply.message,
        format!("Okay, I kept your date of birth as it is. {ASK_GENDER}")
    );
    assert_eq!(h.profile.dateofbirth, Some(d(1990, 1, 15)));
}

#[test]
fn go_back_to_a_skipped_question() {
    let mut h = Harness::new(ProfileView::default(), "en-US");
    h.say("skip");
    let reply = h.say("previous");
    assert_eq!(reply.message, format!("Sure, let's go back. {ASK_DOB}"));
    assert!(h.conversation().skipped().is_empty());
    let reply = h.say("15 January 1990");
    assert_eq!(reply.expecting, Some(Field::Gender));
}

#[test]
fn go_back_twice_and_past_the_start() {
    let mut h = Harness::new(ProfileView::default(), "en-US");
    let reply = h.say("back");
    assert_eq!(
        reply.message,
        format!("There is no previous question. {ASK_DOB}")
    );
    h.say("15 January 1990");
    h.say("female");
    assert_eq!(h.last.expecting, Some(Field::DateOfJoin));
    assert_eq!(h.say("back").expecting, Some(Field::Gender));
    assert_eq!(h.say("back").expecting, Some(Field::DateOfBirth));
    assert_eq!(
        h.say("back").message,
        format!("There is no previous question. {ASK_DOB}")
    );
}

#[test]
fn go_back_to_a_named_field() {
    let mut h = Harness::new(profile_before(Field::ProfileImage), "en-US");
    let reply = h.say("go back to gender");
    assert_eq!(
        reply.message,
        format!("Sure, let's go back. You gave your gender as Female; say next to keep it. {ASK_GENDER}")
    );
    let reply = h.say("male");
    assert_eq!(reply.understood["gender"], "MALE");
    assert_eq!(reply.expecting, Some(Field::ProfileImage));
}

#[test]
fn corrections_at_any_time() {
    let mut h = Harness::new(ProfileView::default(), "en-US");
    h.say("15 January 1990");
    h.say("female");
    let reply = h.say("actually my birthday is 3 March 1991");
    assert_eq!(
        reply.message,
        format!("Thanks, I saved your date of birth as 3 March 1991. {ASK_DOJ}")
    );
    let reply = h.say("change my gender to other");
    assert_eq!(reply.understood["gender"], "OTHER");
    assert_eq!(reply.expecting, Some(Field::DateOfJoin));
    h.say("1 March 2020");
    h.profile.has_image = true;
    assert_eq!(h.say("done").status, Status::Completed);
    // Even once complete.
    let reply = h.say("no, I joined on 2 March 2020");
    assert_eq!(
        reply.message,
        "Thanks, I saved your date of joining as 2 March 2020. Your profile is complete. Thank you!"
    );
    assert_eq!(reply.status, Status::Completed);
}

#[test]
fn an_answer_for_another_field_then_the_question_again() {
    let mut h = Harness::new(ProfileView::default(), "en-US");
    let reply = h.say("I'm a woman");
    assert_eq!(
        reply.message,
        format!("Thanks, I saved your gender as Female. {ASK_DOB}")
    );
    assert_eq!(reply.expecting, Some(Field::DateOfBirth));
}

#[test]
fn not_understood() {
    let mut h = Harness::new(ProfileView::default(), "en-US");
    let reply = h.say("hello there");
    assert_eq!(
        reply.message,
        format!("Sorry, I didn't understand that. {ASK_DOB}")
    );
    assert!(reply.understood.is_empty());
    assert_eq!(reply.expecting, Some(Field::DateOfBirth));
    let mut h = Harness::new(profile_before(Field::Gender), "en-US");
    assert_eq!(
        h.say("yes").message,
        format!("Sorry, I didn't understand that. {ASK_GENDER}")
    );
}

#[test]
fn invalid_and_partial_dates_reprompt() {
    let mut h = Harness::new(ProfileView::default(), "en-US");
    let table = [
        (
            "31 February 1990",
            format!("Sorry, \"31 February 1990\" is not a valid date. {ASK_DOB}"),
        ),
        (
            "13/13/1990",
            format!("Sorry, \"13/13/1990\" is not a valid date. {ASK_DOB}"),
        ),
        (
            "15 January",
            format!("I need the year too: \"15 January\" has none. {ASK_DOB}"),
        ),
        (
            "January 1990",
            format!("I need the day too: \"January 1990\" has none. {ASK_DOB}"),
        ),
        (
            "my gender: male or female",
            format!("Sorry, I couldn't tell which gender you mean. {ASK_GENDER}"),
        ),
    ];
    for (message, expected) in table {
        let reply = h.say(message);
        assert_eq!(reply.message, expected, "{message}");
        assert!(reply.understood.is_empty());
        assert_eq!(h.profile, ProfileView::default());
    }
    // An invalid date naming no field while the gender is asked: the gender again.
    assert_eq!(
        h.say("13/13/1990").message,
        format!("Sorry, \"13/13/1990\" is not a valid date. {ASK_GENDER}")
    );
}

#[test]
fn a_date_naming_no_field() {
    let mut h = Harness::new(profile_before(Field::Gender), "en-US");
    let reply = h.say("1 March 2020");
    assert_eq!(
        reply.message,
        "Is \"1 March 2020\" your date of birth or your date of joining? For example: I was born on 15 January 1990."
    );
    assert_eq!(reply.expecting, Some(Field::Gender));
}

/// The API's validation rejects: nothing written, the message re-asks.
#[test]
fn rejections_reprompt_with_the_validation_message() {
    let mut h = Harness::new(ProfileView::default(), "en-US");
    let reply = h.say("I was born on 1 January 2090");
    assert_eq!(
        reply.message,
        format!("Date of birth cannot be in the future. {ASK_DOB}")
    );
    assert!(reply.understood.is_empty());
    assert_eq!(reply.completion_percentage, 0);
    assert_eq!(h.profile, ProfileView::default());

    h.say("1 January 1990");
    h.say("male");
    let reply = h.say("I joined on 1 January 1980");
    assert_eq!(
        reply.message,
        format!("Date of joining cannot be before date of birth. {ASK_DOJ}")
    );
    assert_eq!(reply.expecting, Some(Field::DateOfJoin));
    assert_eq!(h.profile.dateofjoin, None);
}

#[test]
fn rejection_keys_may_be_nested() {
    let mut c = Conversation::start(&profile_before(Field::Gender), "en-US").0;
    let u = c.understand("actually I joined on 1 May 2020", today());
    let errors = BTreeMap::from([(
        "profile.dateofjoin".to_string(),
        vec!["Date of joining cannot be before date of birth".to_string()],
    )]);
    let reply = c.apply(
        &u,
        &Outcome::Rejected(errors),
        &profile_before(Field::Gender),
    );
    assert_eq!(
        reply.message,
        format!("Date of joining cannot be before date of birth. {ASK_DOJ}")
    );
    assert_eq!(reply.expecting, Some(Field::DateOfJoin));
}

/// Fields filled elsewhere between two messages are not asked.
#[test]
fn the_fresh_profile_decides() {
    let mut h = Harness::new(ProfileView::default(), "en-US");
    h.profile.dateofbirth = Some(d(1990, 1, 15));
    h.profile.gender = Some(Gender::Male);
    let reply = h.say("hmm");
    assert_eq!(
        reply.message,
        format!("Sorry, I didn't understand that. {ASK_DOJ}")
    );
    assert_eq!(reply.completion_percentage, 50);
}

#[test]
fn state_and_reply_json() {
    let mut h = Harness::new(ProfileView::default(), "en-GB");
    h.say("4/3/1990");
    let state: serde_json::Value = serde_json::from_str(&h.state).unwrap();
    assert_eq!(state["locale"], "en-GB");
    assert_eq!(state["expecting"], "dateofbirth");
    assert_eq!(state["pending"]["options"][1], "1990-04-03");
    assert_eq!(state["status"], "in_progress");
    assert!(h.state.len() < 300, "{}", h.state);

    let reply = serde_json::to_value(h.say("the first")).unwrap();
    assert_eq!(reply["status"], "in_progress");
    assert_eq!(reply["expecting"], "gender");
    assert_eq!(reply["understood"]["dateofbirth"], "1990-03-04");
    assert_eq!(reply["completion_percentage"], 25);
    assert_eq!(
        reply["missing_fields"][0],
        serde_json::json!({"field": "peopleimg", "display_name": "Profile Image"})
    );
    // A state written by an older version without the optional keys reads.
    let old: Conversation =
        serde_json::from_str(r#"{"locale":"en-US","expecting":"gender","status":"in_progress"}"#)
            .unwrap();
    assert_eq!(old.expecting(), Some(Field::Gender));
}

#[test]
fn understanding_changes_nothing() {
    let (c, _) = Conversation::start(&ProfileView::default(), "en-US");
    let before = c.clone();
    let _ = c.understand("skip, go back, 4/3/1990, female", today());
    assert_eq!(c, before);
}
