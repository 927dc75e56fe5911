//! The metrics document is well-formed EMF: one dimension set, counts with
//! units, values at the top level. Its own test binary: it installs the
//! process-wide recorder.

use serde_json::Value;

#[test]
fn metrics_are_written_as_embedded_metric_format() {
    let collector = shared::metrics::init("login").expect("recorder");
    shared::metrics::login_failed();
    shared::metrics::login_failed();
    shared::metrics::login_locked();
    let mut out = Vec::new();
    collector.flush(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let docs: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 1, "{text}");
    let doc = &docs[0];
    let aws = &doc["_aws"];
    assert!(aws["Timestamp"].as_u64().is_some());
    let directive = &aws["CloudWatchMetrics"][0];
    assert_eq!(directive["Namespace"], shared::metrics::DEFAULT_NAMESPACE);
    assert_eq!(
        directive["Dimensions"],
        serde_json::json!([["Service", "Function"]])
    );
    assert_eq!(doc["Service"], shared::metrics::DEFAULT_SERVICE);
    assert_eq!(doc["Function"], "login");
    let names: Vec<&str> = directive["Metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            assert_eq!(m["Unit"], "Count");
            m["Name"].as_str().unwrap()
        })
        .collect();
    assert!(
        names.contains(&"LoginFailed") && names.contains(&"LoginLocked"),
        "{names:?}"
    );
    assert_eq!(doc["LoginFailed"], 2);
    assert_eq!(doc["LoginLocked"], 1);
}
