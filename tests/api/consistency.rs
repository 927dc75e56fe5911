//! One route table and the places that must agree with it. Adding a route
//! (README, "Adding a route") touches: the handler file, the route table
//! (functions/src/routes.rs, served by the local gateway), the binary
//! (functions/src/bin/), template.yaml, the `cargo lambda watch` router
//! (Cargo.toml), a sample event (events/) and the contract (openapi.yaml,
//! checked by contract_drift.rs). These tests fail naming the place that
//! misses a route; the template's table must match the code's too.

use crate::support::*;
use functions::routes::{functions as function_names, ROUTES};
use reqwest::{Method, StatusCode};
use serde_json::Value as Yaml;
use std::collections::BTreeSet;
use std::path::PathBuf;

type RouteSet = BTreeSet<(String, String, String)>;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn table_routes() -> RouteSet {
    ROUTES
        .iter()
        .map(|r| {
            (
                r.method.to_string(),
                r.path.to_string(),
                r.function.to_string(),
            )
        })
        .collect()
}

/// template.yaml as plain data: CloudFormation's short tags (`!Ref`,
/// `!Sub`, ...) are read as their values.
fn template() -> Yaml {
    serde_saphyr::from_str(&read("template.yaml")).expect("template.yaml parses")
}

fn plain(v: &Yaml) -> &Yaml {
    v
}

fn functions_in_template(t: &Yaml) -> Vec<(String, &Yaml)> {
    plain(&t["Resources"])
        .as_object()
        .expect("Resources")
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::Serverless::Function")
        .map(|(k, r)| (k.clone(), r))
        .collect()
}

#[test]
fn template_routes_match_the_route_table() {
    let t = template();
    let mut routes = RouteSet::new();
    for (name, f) in functions_in_template(&t) {
        let binary = f["Metadata"]["BuildProperties"]["Binary"]
            .as_str()
            .unwrap_or_else(|| panic!("{name} names its binary"))
            .to_string();
        assert_eq!(
            f["Metadata"]["BuildMethod"],
            Yaml::from("rust-cargolambda"),
            "{name}"
        );
        assert_eq!(f["Properties"]["CodeUri"], Yaml::from("."), "{name}");
        for (_, event) in f["Properties"]["Events"].as_object().into_iter().flatten() {
            if event["Type"] == "HttpApi" {
                let props = &event["Properties"];
                routes.insert((
                    props["Method"].as_str().unwrap().to_uppercase(),
                    props["Path"].as_str().unwrap().to_string(),
                    binary.clone(),
                ));
            }
        }
    }
    assert_eq!(routes, table_routes());
    let globals = &t["Globals"]["Function"];
    assert_eq!(globals["Runtime"], Yaml::from("provided.al2023"));
    assert_eq!(globals["Architectures"][0], Yaml::from("arm64"));
}

#[test]
fn template_table_is_the_one_the_code_creates() {
    use shared::store::table::{PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE};
    let t = template();
    let table = &t["Resources"]["PeopleTable"]["Properties"];
    assert_eq!(table["BillingMode"], Yaml::from("PAY_PER_REQUEST"));
    let keys: BTreeSet<(String, String)> = table["KeySchema"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["AttributeName"].as_str().unwrap().into(),
                k["KeyType"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            (PARTITION_KEY.into(), "HASH".into()),
            (SORT_KEY.into(), "RANGE".into())
        ])
    );
    let attrs: BTreeSet<(String, String)> = table["AttributeDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["AttributeName"].as_str().unwrap().into(),
                k["AttributeType"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        attrs,
        BTreeSet::from([
            (PARTITION_KEY.into(), "S".into()),
            (SORT_KEY.into(), "S".into())
        ])
    );
    let ttl = &table["TimeToLiveSpecification"];
    assert_eq!(ttl["AttributeName"], Yaml::from(TTL_ATTRIBUTE));
    assert_eq!(ttl["Enabled"], Yaml::from(true));
}

#[test]
fn only_token_issuing_functions_get_the_private_key() {
    let t = template();
    for (name, f) in functions_in_template(&t) {
        let binary = f["Metadata"]["BuildProperties"]["Binary"].as_str().unwrap();
        let has_key = f["Properties"]["Environment"]["Variables"]
            .as_object()
            .is_some_and(|vars| vars.contains_key("JWT_PRIVATE_KEY"));
        assert_eq!(has_key, ["login", "refresh"].contains(&binary), "{name}");
    }
    let global_vars = &t["Globals"]["Function"]["Environment"]["Variables"];
    assert!(global_vars
        .as_object()
        .is_none_or(|v| !v.contains_key("JWT_PRIVATE_KEY")));
}

#[test]
fn watch_router_matches_the_route_table() {
    let manifest: toml::Value = toml::from_str(&read("Cargo.toml")).unwrap();
    let lambda = &manifest["workspace"]["metadata"]["lambda"];
    let mut routes = RouteSet::new();
    for (path, methods) in lambda["watch"]["router"].as_table().expect("router table") {
        // cargo-lambda takes a list of {method, function} per path.
        for entry in methods.as_array().expect("a list per path") {
            routes.insert((
                entry["method"].as_str().unwrap().to_string(),
                path.clone(),
                entry["function"].as_str().unwrap().to_string(),
            ));
        }
    }
    assert_eq!(
        routes,
        table_routes(),
        "the watch router ([workspace.metadata.lambda.watch.router] in Cargo.toml) and \
         functions/src/routes.rs list different routes"
    );
    // The watch environment points at the local stack's resources.
    let env = &lambda["env"];
    assert_eq!(env["TABLE_NAME"].as_str(), Some(infra::stack::TABLE_NAME));
    assert_eq!(env["BUCKET_NAME"].as_str(), Some(infra::stack::BUCKET_NAME));
    assert_eq!(env["JWT_ISSUER"].as_str(), Some(infra::stack::ISSUER));
    assert_eq!(env["JWT_AUDIENCE"].as_str(), Some(infra::stack::AUDIENCE));
    assert_eq!(
        env["AWS_SECRET_ACCESS_KEY"].as_str(),
        Some(infra::stack::SECRET_KEY)
    );
}

#[test]
fn every_function_is_a_binary() {
    let manifest: toml::Value = toml::from_str(&read("functions/Cargo.toml")).unwrap();
    let bins: BTreeSet<String> = manifest["bin"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap().to_string())
        .collect();
    let expected: BTreeSet<String> = function_names().into_iter().map(String::from).collect();
    assert_eq!(
        bins, expected,
        "the [[bin]] entries of functions/Cargo.toml and functions/src/routes.rs name different functions"
    );
}

fn events() -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root().join("events")).expect("events/") {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            let event = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
                .expect("event is JSON");
            out.push((name, event));
        }
    }
    out
}

#[test]
fn there_is_one_sample_event_per_function_on_one_of_its_routes() {
    let events = events();
    let names: BTreeSet<String> = events.iter().map(|(n, _)| n.clone()).collect();
    let expected: BTreeSet<String> = function_names().into_iter().map(String::from).collect();
    assert_eq!(
        names, expected,
        "events/<function>.json and functions/src/routes.rs name different functions"
    );
    for (name, event) in events {
        let route_key = event["routeKey"].as_str().expect("routeKey");
        assert!(
            ROUTES
                .iter()
                .any(|r| r.function == name && format!("{} {}", r.method, r.path) == route_key),
            "{name}: {route_key} is not one of its routes"
        );
        assert_eq!(event["version"], "2.0", "{name}");
    }
}

#[tokio::test]
async fn sample_events_run_through_the_lambda_adapter() {
    let api = Api::start().await;
    for (name, event) in events() {
        let function = ROUTES.iter().find(|r| r.function == name).unwrap().function;
        let response =
            infra::gateway::invoke(api.stack.ctx.clone(), function, event, "sample").await;
        let status = response.status().as_u16();
        // Login's sample uses the demo admin; the others carry a placeholder token.
        let expected = if name == "login" { 200 } else { 401 };
        assert_eq!(status, expected, "{name}");
    }
}

#[tokio::test]
async fn the_gateway_serves_every_route_and_nothing_else() {
    let api = Api::start().await;
    for route in ROUTES {
        let (found, _) = infra::gateway::find_route(route.method, route.path).expect("routed");
        assert_eq!(found.function, route.function);
    }
    // Trailing slashes must match exactly, as on API Gateway.
    let reply = api
        .call(Method::GET, "/api/v2/profile/me", None, None)
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.body, serde_json::json!({"message": "Not Found"}));
    let reply = api
        .call(Method::DELETE, "/api/v2/profile/me/", None, None)
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[test]
fn readme_capability_table_is_the_code_table() {
    let readme = read("README.md");
    for def in &shared::capabilities::TABLE {
        let row = format!(
            "| `{}` | {} | {} | {} |",
            def.key, def.default, def.admin_default, def.gates
        );
        assert!(readme.contains(&row), "README lacks or differs on: {row}");
    }
}
