//! Accessibility checks with axe-core, injected into the page under test.

use super::Browser;
use serde_json::Value as Json;
use std::fmt;

/// One rule broken somewhere on the page, with the elements that break it.
#[derive(Debug, Clone)]
pub struct Violation {
    pub id: String,
    pub impact: String,
    pub help: String,
    pub nodes: Vec<String>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "[{}] {}: {}", self.impact, self.id, self.help)?;
        for node in &self.nodes {
            writeln!(f, "    {node}")?;
        }
        Ok(())
    }
}

fn axe_source() -> String {
    let path = crate::repo_root().join("e2e/browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is missing ({}: {e}): run `npm ci --prefix e2e/browser` (.ci/run does)",
            path.display()
        )
    })
}

const RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] }).then(
  (r) => done(r.violations.map((v) => ({
    id: v.id,
    impact: v.impact || 'unknown',
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${(n.failureSummary || '').replace(/\s+/g, ' ')}`),
  }))),
  (e) => done({ error: String(e) }),
);
"#;

impl Browser {
    /// Runs axe on the current page (injecting it once per page load) and returns every violation.
    pub async fn axe(&self) -> Vec<Violation> {
        if self
            .eval("return typeof window.axe === 'undefined'", vec![])
            .await
            == Json::Bool(true)
        {
            self.eval(&axe_source(), vec![]).await;
        }
        let result = self.eval_async(RUN, vec![]).await;
        let list = result
            .as_array()
            .unwrap_or_else(|| panic!("axe failed: {result}"));
        list.iter()
            .map(|v| Violation {
                id: v["id"].as_str().unwrap_or_default().to_string(),
                impact: v["impact"].as_str().unwrap_or_default().to_string(),
                help: v["help"].as_str().unwrap_or_default().to_string(),
                nodes: v["nodes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|n| n.as_str().map(String::from))
                    .collect(),
            })
            .collect()
    }
}
