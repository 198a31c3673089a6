//! The routes each component's router answers, read from its source, and spin.toml's public
//! routing.

use host::manifest::LoadedManifest;
use host::router::Router;
use regex::Regex;
use std::collections::BTreeSet;

/// `(component, METHOD, /path/{})` for every route a component's router answers with success.
/// Each router has its own style; a router written differently needs its reader updated here.
pub fn routes_in_code(component: &str) -> Vec<(String, String)> {
    let read = |file: &str| {
        let text = std::fs::read_to_string(e2e::repo_root().join(file)).expect(file);
        // Unit tests follow the router in the same file; they are not routes.
        text.split("#[cfg(test)]\nmod tests {")
            .next()
            .unwrap()
            .to_string()
    };
    let found: Vec<(String, String)> = match component {
        // ("/auth/me", "GET") =>
        "auth" => captures(
            &read("auth/src/http/mod.rs"),
            r#"\("(/auth/[a-z/]*)",\s*"([A-Z]+)"\)\s*=>"#,
        )
        .map(|c| (c[2].to_string(), c[1].to_string()))
        .collect(),
        // ["games", id, "guesses"] => ("POST", ...)
        "motus" => captures(
            &read("motus/src/http/mod.rs"),
            r#"\[([^\]]*)\]\s*=>\s*\(\s*"([A-Z]+)""#,
        )
        .map(|c| (c[2].to_string(), template("/motus", &c[1])))
        .collect(),
        // ([player, "history"], "GET") =>
        "score" => captures(
            &read("score/src/http/mod.rs"),
            r#"\(\[([^\]]*)\],\s*"([A-Z]+)"\)\s*=>"#,
        )
        .map(|c| (c[2].to_string(), template("/score", &c[1])))
        .collect(),
        // ["games", id] => (Route::Game(...), "GET"),
        "webapp" => captures(
            &read("webapp/src/http/mod.rs"),
            r#"(?s)\[([^\]]*)\]\s*=>\s*\(\s*Route::[^"]*?"([A-Z]+)""#,
        )
        .map(|c| (c[2].to_string(), template("/api", &c[1])))
        .collect(),
        other => panic!(
            "spin.toml routes to component `{other}`, which this test cannot read routes from: \
             add its router to routes_in_code and its routes to docs/openapi.yaml"
        ),
    };
    assert!(
        !found.is_empty(),
        "no routes read from {component}'s router: did its style change?"
    );
    found
}

fn captures<'t>(text: &'t str, pattern: &str) -> impl Iterator<Item = regex::Captures<'t>> {
    Regex::new(pattern)
        .unwrap()
        .captures_iter(text)
        .collect::<Vec<_>>()
        .into_iter()
}

/// `"games", id, "guesses"` under `/motus` → `/motus/games/{}/guesses`.
fn template(prefix: &str, segments: &str) -> String {
    let parts = segments
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                Some(literal) => literal.to_string(),
                None => "{}".to_string(),
            },
        );
    std::iter::once(prefix.to_string())
        .chain(parts)
        .collect::<Vec<_>>()
        .join("/")
}

/// spin.toml's public routing, read by the host's own code, and the components it routes to.
pub fn public_router() -> (Router, Vec<String>) {
    let manifest = LoadedManifest::load(&e2e::repo_root().join("spin.toml"))
        .unwrap()
        .manifest;
    let router = Router::from_manifest(&manifest).unwrap();
    let components = router
        .routes()
        .iter()
        .map(|r| r.component.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    (router, components)
}
