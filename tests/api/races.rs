//! Many writers on one user item at once: no accepted change is lost.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use shared::profile::ONBOARDING_STEPS;
use shared::store::attrs::{get_u64, to_json, AttributeValue};

const ME: &str = "/api/v2/profile/me/";
const MARK: &str = "/api/v2/profile/mark-onboarding-complete/";

#[tokio::test]
async fn fifty_concurrent_patches_and_completions_lose_nothing() {
    let api = Api::start().await;
    let token = api.token(NEW_EMPLOYEE).await;
    let start = api.record("new.employee").await;
    let demo = api.stack.demo.as_ref().unwrap();
    let site = |name: &str| demo.reference.iter().find(|r| r.name == name).unwrap().id;
    let sites = [("Site A", site("Site A")), ("Site B", site("Site B"))];

    // 25 PATCHes, each a distinct value of one of six fields.
    let mut sent: std::collections::HashMap<&str, Vec<Value>> = Default::default();
    let mut bodies = Vec::new();
    for i in 0..25usize {
        let (field, value, body) = match i % 6 {
            0 => {
                let v = format!("+44770{i:05}");
                ("phone", json!(v), json!({"mobno": v}))
            }
            1 => {
                let v = format!("2024-03-{:02}", i + 1);
                (
                    "dateofjoin",
                    json!(v),
                    json!({"profile": {"dateofjoin": v}}),
                )
            }
            2 => {
                let v = ["MALE", "FEMALE", "OTHER"][i % 3];
                ("gender", json!(v), json!({"profile": {"gender": v}}))
            }
            3 => {
                let v = format!("1985-06-{:02}", i + 1);
                (
                    "dateofbirth",
                    json!(v),
                    json!({"profile": {"dateofbirth": v}}),
                )
            }
            4 => {
                let v = format!("new.employee+{i}@demo.example");
                ("email", json!(v), json!({"email": v}))
            }
            _ => {
                let (name, id) = sites[i % 2];
                (
                    "location",
                    json!(name),
                    json!({"organizational": {"location": id}}),
                )
            }
        };
        sent.entry(field).or_default().push(value);
        bodies.push(body);
    }
    // 25 mark-completes with different steps, a few of them skips.
    let marks: Vec<Value> = (0..25usize)
        .map(|j| {
            json!({
                "skipped": j % 5 == 4,
                "completed_steps": [ONBOARDING_STEPS[j % ONBOARDING_STEPS.len()]],
            })
        })
        .collect();

    type Call<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Reply> + 'a>>;
    let mut calls: Vec<Call> = Vec::new();
    for (body, mark) in bodies.iter().zip(&marks) {
        calls.push(Box::pin(api.patch(ME, &token, body.clone())));
        calls.push(Box::pin(api.post(MARK, &token, mark.clone())));
    }
    assert_eq!(calls.len(), 50);
    for reply in futures::future::join_all(calls).await {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }

    let user = api.record("new.employee").await;
    // Every accepted request is exactly one conditional write.
    assert_eq!(user.version, start.version + 50);
    let one_of = |field: &str, value: Option<String>| {
        let value = json!(value.unwrap_or_else(|| panic!("{field} is set")));
        assert!(sent[field].contains(&value), "{field} = {value} was sent");
    };
    one_of("phone", user.phone.clone());
    one_of("dateofjoin", user.profile_str("dateofjoin"));
    one_of("gender", user.profile_str("gender"));
    one_of("dateofbirth", user.profile_str("dateofbirth"));
    one_of("email", user.email.clone());
    one_of("location", user.organizational.location.clone());
    let location_id = sites
        .iter()
        .find(|(name, _)| Some(name.to_string()) == user.organizational.location)
        .unwrap()
        .1;
    assert_eq!(user.organizational.location_id, Some(location_id));

    // Each call replaced the record and moved the previous one to the
    // history: all 25 records are there, none lost, and the current one
    // agrees with the user's onboarding state (the last call won).
    let extras = to_json(&AttributeValue::M(user.people_extras()));
    let history = extras["onboarding_history"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(history.len(), 24, "every replaced record is kept");
    let mut steps: Vec<String> = history
        .iter()
        .chain(std::iter::once(&extras["onboarding"]))
        .flat_map(|r| serde_json::from_value::<Vec<String>>(r["completed_steps"].clone()).unwrap())
        .collect();
    steps.sort();
    steps.dedup();
    let mut all: Vec<String> = ONBOARDING_STEPS.iter().map(|s| s.to_string()).collect();
    all.sort();
    assert_eq!(steps, all);
    let current = &extras["onboarding"];
    assert_eq!(current["skipped"], json!(user.onboarding_skipped));
    assert_eq!(
        current["completed_at"].as_str().map(str::to_string),
        user.onboarding_completed_at
    );
    assert!(user.first_login_completed);

    // The stored percentage matches the stored fields.
    let percentage = user.presence().percentage() as u64;
    assert_eq!(
        get_u64(&user.item, "profile_completion_percentage"),
        Some(percentage)
    );
    assert_eq!(
        get_u64(
            user.profile.as_ref().unwrap(),
            "profile_completion_percentage"
        ),
        Some(percentage)
    );
    // peopleimg is never set here: date of birth, joining and gender.
    assert_eq!(percentage, 75);
}
