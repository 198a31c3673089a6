//! The health routes, as a readiness probe or a load balancer's health check uses them: no token,
//! never cached, 200 `{"status":"ok"}` when a component's store answers a read, 503 otherwise;
//! the webapp's `/api/health` gathers its siblings' and names those down.
//!
//! A store that does not answer is a component granted no store: opening its label fails as an
//! unreachable backend does, on our host and on real Spin alike (the manifest is spin.toml with
//! score's `key_value_stores` emptied, written at test time).

use e2e::{repo_root, TestHost};
use serde_json::{json, Value};

/// Status, `cache-control` and JSON body of a GET without credentials.
async fn probe(app: &TestHost, path: &str) -> (u16, Option<String>, Value) {
    let response = reqwest::get(app.url(path)).await.unwrap();
    let status = response.status().as_u16();
    let cache = response
        .headers()
        .get("cache-control")
        .map(|v| v.to_str().unwrap().to_owned());
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{path}: {status} body is not JSON ({e}): {text}"));
    (status, cache, body)
}

fn no_store() -> Option<String> {
    Some("no-store".into())
}

#[tokio::test(flavor = "multi_thread")]
async fn every_component_answers_ok_on_a_running_app_without_a_token() {
    let app = TestHost::builder("spin.toml").start().await;
    for path in ["/auth/health", "/motus/health", "/score/health"] {
        assert_eq!(
            probe(&app, path).await,
            (200, no_store(), json!({ "status": "ok" })),
            "{path}"
        );
    }
    assert_eq!(
        probe(&app, "/api/health").await,
        (
            200,
            no_store(),
            json!({ "status": "ok", "services": { "auth": "ok", "motus": "ok", "score": "ok" } })
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_health_route_answers_only_get() {
    let app = TestHost::builder("spin.toml").start().await;
    let client = reqwest::Client::new();
    for path in [
        "/auth/health",
        "/motus/health",
        "/score/health",
        "/api/health",
    ] {
        let response = client.post(app.url(path)).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 405, "{path}");
    }
}

/// spin.toml with score granted no store and the webapp no static files, its component paths
/// made absolute so it runs from `dir`.
fn manifest_without_score_store(dir: &std::path::Path) -> String {
    let root = repo_root();
    let root = root.to_str().unwrap();
    let text = std::fs::read_to_string(repo_root().join("spin.toml")).unwrap();
    let granted = "key_value_stores = [\"score\"]";
    let files = "files = [{ source = \"static\", destination = \"/static\" }]\n";
    for line in [granted, files] {
        assert_eq!(text.matches(line).count(), 1, "spin.toml changed shape");
    }
    let text = text
        .replace(granted, "key_value_stores = []")
        .replace("source = \"target/", &format!("source = \"{root}/target/"))
        // Spin maps no file from outside the manifest's directory; health needs none.
        .replace(files, "");
    let path = dir.join("spin.toml");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_that_does_not_answer_is_503_and_the_webapp_names_its_service() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestHost::builder(&manifest_without_score_store(dir.path()))
        .start()
        .await;
    let (status, cache, body) = probe(&app, "/score/health").await;
    assert_eq!((status, cache), (503, no_store()), "{body}");
    assert_eq!(body["error"]["code"], "store_unavailable", "{body}");
    let (status, _, body) = probe(&app, "/auth/health").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        probe(&app, "/api/health").await,
        (
            503,
            no_store(),
            json!({ "status": "degraded", "services": { "auth": "ok", "motus": "ok", "score": "down" } })
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn with_score_missing_from_the_manifest_the_webapp_names_score_and_auth_stays_ok() {
    if e2e::skip_on_spin(
        "on Spin 4 a call to a *.spin.internal component missing from the manifest traps the \
         caller, so a sibling taken out of the manifest cannot stand for one that is down",
    ) {
        return;
    }
    let app = TestHost::builder("e2e/manifests/score-down.toml")
        .start()
        .await;
    let (status, _, body) = probe(&app, "/auth/health").await;
    assert_eq!((status, body), (200, json!({ "status": "ok" })));
    assert_eq!(
        probe(&app, "/api/health").await,
        (
            503,
            no_store(),
            json!({ "status": "degraded", "services": { "auth": "ok", "motus": "ok", "score": "down" } })
        )
    );
}
