//! template.yaml's operations settings: tracing and JSON logs on every
//! function, and the per-function alarms cover every function.

use serde_json::Value as Yaml;
use std::collections::BTreeSet;

fn template() -> Yaml {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join("template.yaml")).unwrap();
    serde_saphyr::from_str(&text).expect("template.yaml parses")
}

#[test]
fn every_function_is_traced_logs_json_and_has_its_alarms() {
    let t = template();
    let globals = &t["Globals"]["Function"];
    assert_eq!(globals["Tracing"], "Active");
    assert_eq!(globals["LoggingConfig"]["LogFormat"], "JSON");
    let resources = t["Resources"].as_object().unwrap();
    let functions: BTreeSet<String> = resources
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::Serverless::Function")
        .map(|(k, _)| k.trim_end_matches("Function").to_string())
        .collect();
    let for_each = &resources["Fn::ForEach::FunctionAlarms"];
    let alarmed: BTreeSet<String> = for_each[1]
        .as_array()
        .expect("the list of function names")
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect();
    assert_eq!(alarmed, functions, "add the new function to FunctionAlarms");
    for alarm in [
        "Api5xxRateAlarm",
        "TableThrottlesAlarm",
        "LoginLockoutsAlarm",
    ] {
        assert_eq!(
            resources[alarm]["Type"], "AWS::CloudWatch::Alarm",
            "{alarm}"
        );
    }
    assert_eq!(
        resources["LoginLockoutsAlarm"]["Properties"]["MetricName"],
        shared::metrics::LOGIN_LOCKED
    );
}
