//! docs/openapi.yaml against the code and the running app:
//! - the routes the routers serve (read from their source, reached through spin.toml's
//!   triggers) are exactly the spec's operations;
//! - every spec operation answers a 2xx to a real call, and every answer seen, success or
//!   error, has a documented status, its required headers and a body valid against the schema;
//! - every other method on a spec path is 405 with `Allow` listing exactly the spec's methods.

#[path = "../apidoc/mod.rs"]
mod apidoc;
mod challenges;
mod health;
mod routes;
mod scenario;

use apidoc::client::Api;
use apidoc::{shape, Spec, METHODS};
use e2e::TestHost;
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::Mutex;

#[test]
fn the_routes_served_by_the_code_are_exactly_the_spec_operations() {
    let spec = Spec::load();
    let (router, components) = routes::public_router();
    let mut in_code = BTreeSet::new();
    for component in &components {
        for (method, path) in routes::routes_in_code(component) {
            // The route must reach this component through spin.toml's triggers.
            let sample = path.replace("{}", "x1");
            let reached = router.route(&sample).map(|m| m.component);
            assert_eq!(
                reached.as_deref(),
                Some(component.as_str()),
                "{method} {path}: spin.toml routes it elsewhere"
            );
            in_code.insert((method, path));
        }
    }
    let in_spec: BTreeSet<(String, String)> = spec
        .operations()
        .into_iter()
        .map(|(m, p)| (m, shape(&p)))
        .collect();
    let undocumented: Vec<_> = in_code.difference(&in_spec).collect();
    let unserved: Vec<_> = in_spec.difference(&in_code).collect();
    assert!(
        undocumented.is_empty(),
        "served but missing from docs/openapi.yaml: {undocumented:?}"
    );
    assert!(
        unserved.is_empty(),
        "in docs/openapi.yaml but served by no router: {unserved:?}"
    );
}

#[test]
fn every_example_in_the_spec_matches_its_schema() {
    let spec = Spec::load();
    let examples = spec.examples();
    assert!(
        examples.len() > 20,
        "only {} examples found",
        examples.len()
    );
    for (schema, example) in examples {
        spec.validate(&schema, &example)
            .unwrap_or_else(|e| panic!("example for {schema}: {e}\n{example}"));
    }
}

// ------------------------------------------------------------ black-box calls

pub const PASSWORD: &str = "correct horse";
pub const ADMIN: &str = "contract-admin";
pub const ZERO_ID: &str = "00000000000000000000000000000000";

async fn start() -> TestHost {
    TestHost::builder("spin.toml")
        .variable("answer_words", "MAISON")
        .variable("admin_token", ADMIN)
        .variable("daily_secret", "contract")
        .start()
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn every_spec_operation_answers_as_documented() {
    let app = start().await;
    let api = Api {
        spec: Spec::load(),
        base: app.url(""),
        client: reqwest::Client::new(),
        seen: Mutex::new(Vec::new()),
    };

    scenario::auth_routes(&api).await;
    let game = scenario::motus_routes(&api).await;
    scenario::score_routes(&api, &game).await;
    challenges::challenge_routes(&api).await;
    scenario::webapp_routes(&api).await;
    health::health_routes(&api).await;
    scenario::deletion_routes(&api).await;

    let succeeded: BTreeSet<(String, String)> = api
        .seen
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, _, status)| (200..300).contains(status))
        .map(|(m, p, _)| (m.clone(), p.clone()))
        .collect();
    let missing: Vec<_> = api
        .spec
        .operations()
        .into_iter()
        .filter(|op| !succeeded.contains(op))
        .collect();
    assert!(
        missing.is_empty(),
        "operations never answered 2xx in this test: {missing:?}"
    );
    app.stop().await;
}

// ------------------------------------------------------------ methods outside the spec

#[tokio::test(flavor = "multi_thread")]
async fn other_methods_on_spec_paths_are_405_naming_the_spec_methods() {
    let app = start().await;
    let spec = Spec::load();
    let client = reqwest::Client::new();
    let paths: BTreeSet<String> = spec.operations().into_iter().map(|(_, p)| p).collect();
    for path in paths {
        let allowed = spec.methods_of(&path);
        let concrete = path.replace("{id}", ZERO_ID).replace("{player}", "alice");
        for method in METHODS.iter().filter(|m| !allowed.contains(**m)) {
            let what = format!("{method} {concrete}");
            let response = client
                .request(
                    reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                    app.url(&concrete),
                )
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 405, "{what}");
            let allow = response
                .headers()
                .get("allow")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let listed: BTreeSet<String> = allow.split(',').map(|m| m.trim().to_string()).collect();
            assert_eq!(listed, allowed, "{what}: Allow says {allow:?}");
            let body: Value = response.json().await.unwrap();
            spec.validate("#/components/schemas/Error", &body)
                .unwrap_or_else(|e| panic!("{what}: {e}"));
        }
    }
    app.stop().await;
}
