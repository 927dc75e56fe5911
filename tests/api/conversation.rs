//! Conversational onboarding against the local stack: the gates, typed and
//! spoken answers (the real recognizer on committed espeak-ng recordings,
//! tests/fixtures/speech/), the profile filling in through the PATCH's
//! rules, re-prompts, skip, go back, corrections, tenancy and races.

use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use shared::capabilities::Capability;

const START: &str = "/api/v2/onboarding/conversation/start/";
const ME: &str = "/api/v2/profile/me/";
const STATUS: &str = "/api/v2/profile/completion-status/";
const ONBOARDING_DENIED: &str = "You do not have permission to access onboarding features.";
const VOICE_DENIED: &str = "You do not have permission to use voice features.";

fn process(id: &str) -> String {
    format!("/api/v2/onboarding/conversation/{id}/process/")
}

fn voice(id: &str) -> String {
    format!("/api/v2/onboarding/conversation/{id}/voice/")
}

fn view(id: &str) -> String {
    format!("/api/v2/onboarding/conversation/{id}/")
}

async fn start(api: &Api, token: &str, body: Option<Value>) -> Reply {
    api.call(Method::POST, START, Some(token), body).await
}

async fn say(api: &Api, token: &str, id: &str, message: &str) -> Reply {
    let reply = api
        .post(&process(id), token, json!({ "message": message }))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{message:?}: {}", reply.body);
    reply
}

async fn speak(api: &Api, token: &str, id: &str, recording: &str) -> Reply {
    api.upload(
        &voice(id),
        token,
        &[],
        Some(("audio", fixture_bytes("speech", recording), "audio/wav")),
    )
    .await
}

/// A new employee's conversation, started.
async fn new_employee(api: &Api) -> (String, String) {
    let token = api.token(NEW_EMPLOYEE).await;
    let started = start(api, &token, None).await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
    let id = started.body["conversation_id"]
        .as_str()
        .unwrap()
        .to_string();
    (token, id)
}

#[tokio::test]
async fn the_gates_and_the_switches() {
    let api = Api::start().await;
    let regular = api.token(REGULAR).await;
    let reply = start(&api, &regular, None).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.body, json!({"detail": ONBOARDING_DENIED}));
    for (method, path) in [
        (Method::POST, process("abcdefghijkl")),
        (Method::POST, voice("abcdefghijkl")),
        (Method::GET, view("abcdefghijkl")),
    ] {
        let reply = api.call(method, &path, Some(&regular), None).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(reply.body, json!({"detail": ONBOARDING_DENIED}));
    }
    // Voice input also needs canUseVoiceFeatures: the new employee lacks it.
    let (token, id) = new_employee(&api).await;
    let reply = speak(&api, &token, &id, "gender_female.wav").await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.body, json!({"detail": VOICE_DENIED}));

    let closed = Api::start_with(&[("ONBOARDING_MODULE_ENABLED", "false")]).await;
    let admin = closed.token(ADMIN).await;
    assert_eq!(
        start(&closed, &admin, None).await.body,
        json!({"detail": ONBOARDING_DENIED})
    );
    let no_voice = Api::start_with(&[("VOICE_FEATURES_ENABLED", "false")]).await;
    let admin = no_voice.token(ADMIN).await;
    let started = start(&no_voice, &admin, None).await;
    assert_eq!(started.status, StatusCode::CREATED);
    let id = started.body["conversation_id"].as_str().unwrap();
    let reply = speak(&no_voice, &admin, id, "gender_female.wav").await;
    assert_eq!(reply.body, json!({"detail": VOICE_DENIED}));
}

#[tokio::test]
async fn a_typed_conversation_fills_the_profile_to_75_percent() {
    let api = Api::start().await;
    let (token, id) = new_employee(&api).await;
    let first = api.get(&view(&id), &token).await;
    assert_eq!(first.body["completion_percentage"], 0);
    assert_eq!(first.body["expecting"], "dateofbirth");
    assert_eq!(first.body["missing_fields"].as_array().unwrap().len(), 4);

    let dob = say(&api, &token, &id, "I was born on 15 January 1990").await;
    assert_eq!(dob.body["understood"], json!({"dateofbirth": "1990-01-15"}));
    assert_eq!(dob.body["completion_percentage"], 25);
    let gender = say(&api, &token, &id, "female").await;
    assert_eq!(gender.body["understood"], json!({"gender": "FEMALE"}));
    let doj = say(&api, &token, &id, "I joined on 1 March 2020").await;
    assert_eq!(doj.body["understood"], json!({"dateofjoin": "2020-03-01"}));
    assert_eq!(doj.body["completion_percentage"], 75);
    assert_eq!(doj.body["expecting"], "peopleimg");
    assert_eq!(doj.body["status"], "in_progress");
    assert_eq!(
        doj.body["missing_fields"],
        json!([{"field": "peopleimg", "display_name": "Profile Image"}])
    );

    // The profile and the completion status show it at once.
    let me = api.get(ME, &token).await.body;
    assert_eq!(me["profile"]["dateofbirth"], "1990-01-15");
    assert_eq!(me["profile"]["gender"], "FEMALE");
    assert_eq!(me["profile"]["dateofjoin"], "2020-03-01");
    assert_eq!(me["profile"]["profile_completion_percentage"], 75);
    let status = api.get(STATUS, &token).await.body;
    assert_eq!(status["completion_percentage"], 75);

    // The turns so far.
    let turns = api.get(&view(&id), &token).await.body["turns"].clone();
    let turns = turns.as_array().unwrap();
    assert_eq!(turns.len(), 7, "the first question and three exchanges");
    assert_eq!(
        turns[1],
        json!({"role": "user", "text": "I was born on 15 January 1990", "at": turns[1]["at"]})
    );
    assert_eq!(turns[2]["understood"], json!({"dateofbirth": "1990-01-15"}));
}

#[tokio::test]
async fn every_written_date_form_is_understood() {
    let api = Api::start().await;
    for (locale, message, expected) in [
        ("en-US", "15 January 1990", "1990-01-15"),
        ("en-US", "Jan 15, 1990", "1990-01-15"),
        ("en-US", "1990-01-15", "1990-01-15"),
        ("en-US", "01/15/1990", "1990-01-15"),
        ("en-US", "15/01/1990", "1990-01-15"),
        ("en-GB", "15/01/1990", "1990-01-15"),
        (
            "en-US",
            "fifteenth of january nineteen ninety",
            "1990-01-15",
        ),
    ] {
        // Each form starts from an empty profile, asked for the date of birth.
        api.put_attributes("new.employee", vec![("profile", profile_map(&[]))])
            .await;
        let token = api.token(NEW_EMPLOYEE).await;
        let started = start(&api, &token, Some(json!({ "locale": locale }))).await;
        assert_eq!(started.body["expecting"], "dateofbirth");
        let id = started.body["conversation_id"].as_str().unwrap();
        let reply = say(&api, &token, id, message).await;
        assert_eq!(
            reply.body["understood"]["dateofbirth"], expected,
            "{locale} {message:?}: {}",
            reply.body
        );
    }
}

#[tokio::test]
async fn an_ambiguous_date_is_asked_back() {
    let api = Api::start().await;
    let (token, id) = new_employee(&api).await;
    let asked = say(&api, &token, &id, "04/03/1990").await;
    assert_eq!(asked.body["understood"], json!({}));
    assert_eq!(asked.body["expecting"], "dateofbirth");
    let message = asked.body["message"].as_str().unwrap();
    assert!(
        message.contains("April") && message.contains("March"),
        "{message}"
    );
    assert_eq!(
        api.get(ME, &token).await.body["profile"]["dateofbirth"],
        Value::Null
    );
    // The first reading offered is the locale's: en-US reads month first.
    let answered = say(&api, &token, &id, "the first").await;
    assert_eq!(
        answered.body["understood"],
        json!({"dateofbirth": "1990-04-03"})
    );
}

#[tokio::test]
async fn an_invalid_answer_is_re_prompted_and_not_written() {
    let api = Api::start().await;
    let (token, id) = new_employee(&api).await;
    let future = say(&api, &token, &id, "15 January 2999").await;
    assert_eq!(future.body["understood"], json!({}));
    assert!(
        future.body["message"]
            .as_str()
            .unwrap()
            .contains("Date of birth cannot be in the future"),
        "{}",
        future.body
    );
    assert_eq!(future.body["expecting"], "dateofbirth");
    assert_eq!(
        api.get(ME, &token).await.body["profile"]["dateofbirth"],
        Value::Null
    );

    say(&api, &token, &id, "15 January 1990").await;
    say(&api, &token, &id, "male").await;
    let before = say(&api, &token, &id, "I joined on 1 January 1980").await;
    assert_eq!(before.body["understood"], json!({}));
    assert!(before.body["message"]
        .as_str()
        .unwrap()
        .contains("Date of joining cannot be before date of birth"));
    assert_eq!(
        api.get(ME, &token).await.body["profile"]["dateofjoin"],
        Value::Null
    );
    let nonsense = say(&api, &token, &id, "purple elephants").await;
    assert_eq!(nonsense.body["understood"], json!({}));
    assert_eq!(nonsense.body["expecting"], "dateofjoin");
}

#[tokio::test]
async fn skip_go_back_and_corrections() {
    let api = Api::start().await;
    let (token, id) = new_employee(&api).await;
    let skipped = say(&api, &token, &id, "skip").await;
    assert_eq!(skipped.body["expecting"], "gender");
    let back = say(&api, &token, &id, "go back").await;
    assert_eq!(back.body["expecting"], "dateofbirth");
    say(&api, &token, &id, "15 January 1990").await;
    let corrected = say(&api, &token, &id, "actually my birthday is 3 March 1991").await;
    assert_eq!(
        corrected.body["understood"],
        json!({"dateofbirth": "1991-03-03"})
    );
    assert_eq!(
        api.get(ME, &token).await.body["profile"]["dateofbirth"],
        "1991-03-03"
    );
}

#[tokio::test]
async fn a_complete_profile_is_completed_at_once() {
    let api = Api::start().await;
    let token = api.token(NEW_EMPLOYEE).await;
    api.put_attributes(
        "new.employee",
        vec![(
            "profile",
            profile_map(&[
                ("peopleimg", Some("media/1/3/profile/x.jpg")),
                ("dateofbirth", Some("1990-01-15")),
                ("dateofjoin", Some("2020-03-01")),
                ("gender", Some("FEMALE")),
            ]),
        )],
    )
    .await;
    let started = start(&api, &token, None).await;
    assert_eq!(started.status, StatusCode::CREATED);
    assert_eq!(started.body["status"], "completed");
    assert_eq!(started.body["completion_percentage"], 100);
    assert_eq!(started.body["expecting"], Value::Null);
}

#[tokio::test]
async fn another_users_or_tenants_conversation_is_404() {
    let api = Api::start().await;
    let (_, id) = new_employee(&api).await;
    let colleague = api.token(ADMIN).await;
    let stranger = outsider(&api, &[(Capability::AccessOnboarding, true)]).await;
    for token in [&colleague, &stranger] {
        for reply in [
            api.get(&view(&id), token).await,
            api.post(&process(&id), token, json!({"message": "skip"}))
                .await,
        ] {
            assert_eq!(reply.status, StatusCode::NOT_FOUND);
            assert_eq!(reply.body, json!({"error": "Conversation not found"}));
        }
    }
    let (token, _) = new_employee(&api).await;
    let unknown = api.get(&view("nonexistent-conversation"), &token).await;
    assert_eq!(unknown.body, json!({"error": "Conversation not found"}));
}

#[tokio::test]
async fn messages_are_checked() {
    let api = Api::start().await;
    let (token, id) = new_employee(&api).await;
    for (body, field_error) in [
        (json!({}), "This field is required."),
        (json!({"message": "   "}), "This field may not be blank."),
        (json!({"message": 5}), "Not a valid string."),
        (
            json!({"message": "x".repeat(501)}),
            "Ensure this field has no more than 500 characters.",
        ),
    ] {
        let reply = api.post(&process(&id), &token, body).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(reply.body, json!({"errors": {"message": [field_error]}}));
    }
    let reply = api
        .post(&process(&id), &token, json!({"message": "skip", "x": 1}))
        .await;
    assert_eq!(reply.body, json!({"errors": {"x": ["Unknown field."]}}));
}

#[tokio::test]
async fn racing_messages_never_both_answer_one_question() {
    let api = Api::start().await;
    let (token, id) = new_employee(&api).await;
    let dates = [
        "1990-01-15",
        "1991-02-16",
        "1992-03-17",
        "1993-04-18",
        "1994-05-19",
    ];
    let path = process(&id);
    let calls = dates
        .iter()
        .map(|d| api.post(&path, &token, json!({ "message": d })));
    let replies = futures::future::join_all(calls).await;
    let mut answered_dob = Vec::new();
    for reply in &replies {
        match reply.status {
            StatusCode::OK => {
                if let Some(d) = reply.body["understood"]["dateofbirth"].as_str() {
                    answered_dob.push(d.to_string());
                }
            }
            StatusCode::CONFLICT => assert!(reply.body["error"]
                .as_str()
                .unwrap()
                .starts_with("This conversation moved on")),
            other => panic!("{other}: {}", reply.body),
        }
    }
    assert_eq!(answered_dob.len(), 1, "{answered_dob:?}");
    assert_eq!(
        api.get(ME, &token).await.body["profile"]["dateofbirth"],
        json!(answered_dob[0])
    );
    let turns = api.get(&view(&id), &token).await.body["turns"].clone();
    let user_turns = turns
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["role"] == "user")
        .count();
    let answered = replies
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    assert_eq!(user_turns, answered);
}

#[tokio::test]
async fn spoken_answers_are_transcribed_and_understood() {
    let api = Api::start().await;
    api.set_capabilities("new.employee", &[("canUseVoiceFeatures", true)])
        .await;
    let (token, id) = new_employee(&api).await;
    let dob = speak(&api, &token, &id, "dob_fifteenth_january_1990.wav").await;
    assert_eq!(dob.status, StatusCode::OK, "{}", dob.body);
    assert_eq!(
        dob.body["transcript"],
        "fifteenth of january nineteen ninety"
    );
    assert_eq!(dob.body["understood"], json!({"dateofbirth": "1990-01-15"}));
    let gender = speak(&api, &token, &id, "gender_female.wav").await;
    assert_eq!(gender.body["transcript"], "female");
    assert_eq!(gender.body["understood"], json!({"gender": "FEMALE"}));
    let skip = speak(&api, &token, &id, "skip_on_date.wav").await;
    assert_eq!(skip.body["transcript"], "skip");
    assert_eq!(skip.body["expecting"], "peopleimg");
    let me = api.get(ME, &token).await.body;
    assert_eq!(me["profile"]["dateofbirth"], "1990-01-15");
    assert_eq!(me["profile"]["gender"], "FEMALE");
    let turns = api.get(&view(&id), &token).await.body["turns"].clone();
    assert_eq!(turns[1]["spoken"], true);

    // No speech at all: a re-prompt, nothing written.
    let (token2, id2) = new_employee(&api).await;
    let silence = api
        .upload(
            &voice(&id2),
            &token2,
            &[],
            Some((
                "audio",
                fixture_bytes("voice", "noise_only.wav"),
                "audio/wav",
            )),
        )
        .await;
    assert_eq!(silence.status, StatusCode::OK, "{}", silence.body);
    assert_eq!(silence.body["transcript"], "");
    assert_eq!(silence.body["understood"], json!({}));
    assert_eq!(silence.body["expecting"], "dateofjoin", "asked again");
    let not_audio = api
        .upload(
            &voice(&id2),
            &token2,
            &[],
            Some(("audio", b"hello".to_vec(), "audio/wav")),
        )
        .await;
    assert_eq!(not_audio.status, StatusCode::BAD_REQUEST);
}
