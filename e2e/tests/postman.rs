//! Runs the Postman collection (docs/postman) with newman against a fresh host. Node.js and the
//! pinned newman (`npm ci --prefix docs/postman`) are required: without them this test fails.

use e2e::TestHost;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const INSTALL: &str = "install Node.js (18 or later) and run `npm ci --prefix docs/postman` \
                       (.ci/run does it on a fresh machine)";

/// The environment's `answer`: the host must draw every word from it for the guesses to win.
fn answer(environment: &Path) -> String {
    let env: Value = serde_json::from_str(&std::fs::read_to_string(environment).unwrap()).unwrap();
    let values = env["values"].as_array().expect("environment values");
    let answer = values
        .iter()
        .find(|v| v["key"] == "answer")
        .expect("an `answer` variable");
    answer["value"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_postman_scenario_passes_under_newman() {
    let dir = e2e::repo_root().join("docs/postman");
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.as_ref().is_ok_and(|o| o.status.success()),
        "node is not available ({:?}): {INSTALL}",
        node.err()
    );
    let newman = dir.join("node_modules/newman/bin/newman.js");
    assert!(
        newman.exists(),
        "newman is not installed ({} is missing): {INSTALL}",
        newman.display()
    );

    let environment = dir.join("local.postman_environment.json");
    let app = TestHost::builder("spin.toml")
        .variable("answer_words", &answer(&environment))
        .start()
        .await;
    let mut command = Command::new("node");
    command
        .arg(&newman)
        .arg("run")
        .arg(dir.join("motus.postman_collection.json"))
        .arg("--environment")
        .arg(&environment)
        .args(["--env-var", &format!("baseUrl={}", app.url(""))])
        .args(["--color", "off", "--disable-unicode", "--timeout", "60000"]);
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .expect("node runs newman");
    app.stop().await;

    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "newman failed ({}):\n{report}",
        output.status
    );
    assert!(
        report.contains("assertions"),
        "newman printed no summary:\n{report}"
    );
}
