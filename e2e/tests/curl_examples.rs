//! Runs the curl examples of docs/api.md, in order, against a fresh host.
//!
//! Every ```sh block is one `curl -sSi …` command run by bash with `BASE`, `ADMIN_TOKEN`, `JAR`
//! and the values saved so far in its environment. After `sh` on the fence line:
//! `save=NAME:field` keeps a field of the JSON answer as `$NAME`; `expect=STATUS` is the status
//! of an error example (without it, any 2xx passes).

mod apidoc;

use apidoc::Spec;
use e2e::TestHost;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::process::Command;

const ADMIN: &str = "docs-admin";

#[derive(Debug)]
struct Example {
    line: usize,
    code: String,
    expect: Option<u16>,
    saves: Vec<(String, String)>,
}

fn examples(markdown: &str) -> Vec<Example> {
    let mut found = Vec::new();
    let mut open: Option<Example> = None;
    for (i, line) in markdown.lines().enumerate() {
        match open.take() {
            None => {
                let Some(info) = line.strip_prefix("```sh") else {
                    continue;
                };
                let mut example = Example {
                    line: i + 1,
                    code: String::new(),
                    expect: None,
                    saves: Vec::new(),
                };
                for word in info.split_whitespace() {
                    match word.split_once('=') {
                        Some(("expect", status)) => {
                            example.expect = Some(status.parse().expect("expect=STATUS"))
                        }
                        Some(("save", what)) => {
                            let (name, field) = what.split_once(':').expect("save=NAME:field");
                            example.saves.push((name.into(), field.into()));
                        }
                        _ => panic!("docs/api.md:{}: unknown directive {word:?}", i + 1),
                    }
                }
                open = Some(example);
            }
            Some(example) if line.starts_with("```") => found.push(example),
            Some(mut example) => {
                example.code.push_str(line);
                example.code.push('\n');
                open = Some(example);
            }
        }
    }
    assert!(open.is_none(), "docs/api.md ends inside a code block");
    found
}

/// Status and JSON body of `curl -i` output (skipping any `100 Continue` head).
fn parse_output(output: &str) -> Option<(u16, &str)> {
    let mut rest = output;
    loop {
        let (head, body) = rest.split_once("\r\n\r\n")?;
        let status: u16 = head
            .lines()
            .next()?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()?;
        if status != 100 {
            return Some((status, body));
        }
        rest = body;
    }
}

/// The field at a dotted path (`items.0.game_id`), as shell text.
fn field(body: &Value, path: &str) -> Option<String> {
    let pointer: String = path.split('.').map(|p| format!("/{p}")).collect();
    match body.pointer(&pointer)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_curl_example_of_the_api_page_works_in_order() {
    let markdown = std::fs::read_to_string(e2e::repo_root().join("docs/api.md")).unwrap();
    let examples = examples(&markdown);
    assert!(!examples.is_empty(), "no ```sh block in docs/api.md");
    let app = TestHost::builder("spin.toml")
        .variable("answer_words", "MAISON")
        .variable("admin_token", ADMIN)
        .start()
        .await;
    let jar = tempfile::NamedTempFile::new().unwrap();
    let mut env: HashMap<String, String> = HashMap::from([
        ("BASE".into(), app.url("")),
        ("ADMIN_TOKEN".into(), ADMIN.into()),
        ("JAR".into(), jar.path().display().to_string()),
    ]);

    for example in &examples {
        let at = format!("docs/api.md:{}", example.line);
        let code = example.code.clone();
        let vars = env.clone();
        let run = tokio::task::spawn_blocking(move || {
            Command::new("bash")
                .arg("-c")
                .arg(format!("set -euo pipefail\n{code}"))
                .env_clear()
                .env("PATH", std::env::var("PATH").unwrap_or_default())
                .envs(vars)
                .output()
        });
        let output = run
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("{at}: cannot run bash: {e}"));
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "{at}: the command failed ({}): {stderr}\n{}",
            output.status,
            example.code
        );
        let (status, body) = parse_output(&stdout).unwrap_or_else(|| {
            panic!("{at}: no HTTP answer in the output (use curl -sSi):\n{stdout}")
        });
        match example.expect {
            Some(expected) => assert_eq!(status, expected, "{at}: {body}"),
            None => assert!(
                (200..300).contains(&status),
                "{at}: status {status}: {body}"
            ),
        }
        if !example.saves.is_empty() {
            let json: Value = serde_json::from_str(body)
                .unwrap_or_else(|e| panic!("{at}: answer is not JSON ({e}): {body}"));
            for (name, path) in &example.saves {
                let value = field(&json, path)
                    .unwrap_or_else(|| panic!("{at}: no `{path}` to save as {name} in {body}"));
                env.insert(name.clone(), value);
            }
        }
    }
}

/// `-X METHOD` (GET without one) and the URL's path, with `$VARS` as `v`.
fn route_of(code: &str) -> Option<(String, String)> {
    let method = code
        .split_whitespace()
        .skip_while(|w| *w != "-X")
        .nth(1)
        .unwrap_or("GET")
        .to_string();
    let start = code.find("$BASE")? + "$BASE".len();
    let url: String = code[start..]
        .chars()
        .take_while(|c| !matches!(c, '"' | '?' | ' ' | '\''))
        .collect();
    let path: Vec<String> = url
        .split('/')
        .map(|s| {
            if s.starts_with('$') {
                "v".to_string()
            } else {
                s.to_string()
            }
        })
        .collect();
    Some((method, path.join("/")))
}

#[test]
fn the_api_page_has_an_example_for_every_spec_operation() {
    let markdown = std::fs::read_to_string(e2e::repo_root().join("docs/api.md")).unwrap();
    let spec = Spec::load();
    let shown: BTreeSet<(String, String)> = examples(&markdown)
        .iter()
        .filter_map(|e| route_of(&e.code))
        .filter_map(|(method, path)| Some((method, spec.template_for(&path)?)))
        .collect();
    let missing: Vec<_> = spec
        .operations()
        .into_iter()
        .filter(|op| !shown.contains(op))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/api.md has no curl example for {missing:?}"
    );
}
