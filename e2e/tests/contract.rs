//! docs/openapi.yaml against the code and the running app:
//! - the routes the routers serve (read from their source, reached through spin.toml's
//!   triggers) are exactly the spec's operations;
//! - every spec operation answers a 2xx to a real call, and every answer seen, success or
//!   error, has a documented status, its required headers and a body valid against the schema;
//! - every other method on a spec path is 405 with `Allow` listing exactly the spec's methods.

mod apidoc;

use apidoc::{shape, Spec, METHODS};
use e2e::TestHost;
use host::manifest::{LoadedManifest, RouteDecl};
use host::router::{Pattern, Route, Router};
use regex::Regex;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::Mutex;

// ------------------------------------------------------------ routes in the code

/// `(component, METHOD, /path/{})` for every route a component's router answers with success.
/// Each router has its own style; a router written differently needs its reader updated here.
fn routes_in_code(component: &str) -> Vec<(String, String)> {
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
            &read("motus/src/routes.rs"),
            r#"\[([^\]]*)\]\s*=>\s*\("([A-Z]+)""#,
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
            &read("webapp/src/route.rs"),
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

fn public_router() -> (Router, Vec<String>) {
    let manifest = LoadedManifest::load(&e2e::repo_root().join("spin.toml"))
        .unwrap()
        .manifest;
    let routes: Vec<Route> = manifest
        .trigger
        .http
        .iter()
        .filter_map(|t| match &t.route {
            RouteDecl::Path(raw) => Some(Route {
                pattern: Pattern::parse(raw),
                raw: raw.clone(),
                component: t.component.clone(),
            }),
            RouteDecl::Private { .. } => None,
        })
        .collect();
    let components = routes
        .iter()
        .map(|r| r.component.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    (Router::new(routes).unwrap(), components)
}

#[test]
fn the_routes_served_by_the_code_are_exactly_the_spec_operations() {
    let spec = Spec::load();
    let (router, components) = public_router();
    let mut in_code = BTreeSet::new();
    for component in &components {
        for (method, path) in routes_in_code(component) {
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

// ------------------------------------------------------------ black-box calls

const PASSWORD: &str = "correct horse";
const ADMIN: &str = "contract-admin";
const ZERO_ID: &str = "00000000000000000000000000000000";

async fn start() -> TestHost {
    TestHost::builder("spin.toml")
        .variable("answer_words", "MAISON")
        .variable("admin_token", ADMIN)
        .variable("daily_secret", "contract")
        .start()
        .await
}

struct Api {
    spec: Spec,
    base: String,
    client: reqwest::Client,
    /// `(METHOD, spec path, status)` of every call made.
    seen: Mutex<Vec<(String, String, u16)>>,
}

struct Reply {
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Reply {
    fn cookies(&self) -> String {
        let pairs: Vec<&str> = self
            .headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok()?.split(';').next())
            .collect();
        pairs.join("; ")
    }
}

struct Req<'a> {
    api: &'a Api,
    method: &'static str,
    path: String,
    headers: Vec<(String, String)>,
    json: Option<Value>,
    raw: Option<String>,
}

impl Api {
    fn req(&self, method: &'static str, path: impl Into<String>) -> Req<'_> {
        Req {
            api: self,
            method,
            path: path.into(),
            headers: Vec::new(),
            json: None,
            raw: None,
        }
    }

    fn get(&self, path: impl Into<String>) -> Req<'_> {
        self.req("GET", path)
    }

    fn post(&self, path: impl Into<String>, body: Value) -> Req<'_> {
        self.req("POST", path).json(body)
    }
}

impl Req<'_> {
    fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    fn bearer(self, token: &str) -> Self {
        self.header("authorization", &format!("Bearer {token}"))
    }

    fn cookie(self, cookies: &str) -> Self {
        self.header("cookie", cookies)
    }

    fn json(mut self, body: Value) -> Self {
        self.json = Some(body);
        self
    }

    fn raw(mut self, body: &str, content_type: &str) -> Self {
        self.raw = Some(body.into());
        self.header("content-type", content_type)
    }

    /// Sends the request, checks the status, and checks the answer against the spec.
    async fn expect(self, status: u16) -> Reply {
        let api = self.api;
        let what = format!("{} {}", self.method, self.path);
        let path = self.path.split('?').next().unwrap();
        let template = api
            .spec
            .template_for(path)
            .unwrap_or_else(|| panic!("{what}: no such path in the spec"));
        let method = reqwest::Method::from_bytes(self.method.as_bytes()).unwrap();
        let mut request = api
            .client
            .request(method, format!("{}{}", api.base, self.path));
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        if let Some(body) = &self.json {
            request = request.json(body);
        }
        if let Some(body) = self.raw {
            request = request.body(body);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let got = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        assert_eq!(got, status, "{what}: {text}");
        api.seen
            .lock()
            .unwrap()
            .push((self.method.into(), template.clone(), got));

        if let (true, Some(body), Some(schema)) = (
            (200..300).contains(&got),
            &self.json,
            api.spec.request_schema(self.method, &template),
        ) {
            api.spec
                .validate(&schema, body)
                .unwrap_or_else(|e| panic!("{what}: the spec refuses the body sent: {e}"));
        }
        let documented = api
            .spec
            .documented(self.method, &template, got)
            .unwrap_or_else(|| {
                panic!(
                    "{what}: status {got} is not documented for {} {template}",
                    self.method
                )
            });
        for name in &documented.required_headers {
            assert!(
                headers.contains_key(name.as_str()),
                "{what}: documented header {name} missing"
            );
        }
        let body = match &documented.schema {
            Some(schema) => {
                let body: Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"));
                api.spec
                    .validate(schema, &body)
                    .unwrap_or_else(|e| panic!("{what} → {got}: {e}\n{body}"));
                body
            }
            None => {
                assert!(
                    text.is_empty(),
                    "{what}: {got} documents no body, got {text}"
                );
                Value::Null
            }
        };
        Reply { headers, body }
    }
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

    auth_routes(&api).await;
    let game = motus_routes(&api).await;
    score_routes(&api, &game).await;
    webapp_routes(&api).await;

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

async fn auth_routes(api: &Api) {
    let alice = json!({"username": "alice", "password": PASSWORD});
    api.post("/auth/register", alice.clone()).expect(201).await;
    api.post(
        "/auth/register",
        json!({"username": "ALICE", "password": PASSWORD}),
    )
    .expect(409)
    .await;
    api.post(
        "/auth/register",
        json!({"username": "a", "password": PASSWORD}),
    )
    .expect(400)
    .await;
    api.post(
        "/auth/login",
        json!({"username": "alice", "password": "wrong password"}),
    )
    .expect(401)
    .await;
    api.post("/auth/login", json!({"username": "alice"}))
        .expect(400)
        .await;
    let token = api.post("/auth/login", alice).expect(200).await.body["token"]
        .as_str()
        .unwrap()
        .to_string();

    api.get("/auth/me").bearer(&token).expect(200).await;
    api.get("/auth/me").expect(401).await;
    let change =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    api.req("PUT", "/auth/password")
        .bearer(&token)
        .json(change("nope nope", "battery staple"))
        .expect(403)
        .await;
    api.req("PUT", "/auth/password")
        .bearer(&token)
        .json(change(PASSWORD, "short"))
        .expect(400)
        .await;
    api.req("PUT", "/auth/password")
        .bearer(&token)
        .json(change(PASSWORD, "battery staple"))
        .expect(204)
        .await;
    api.req("PUT", "/auth/password")
        .bearer(&token)
        .json(change("battery staple", PASSWORD))
        .expect(204)
        .await;

    let zoe = json!({"username": "zoe", "password": PASSWORD});
    let zoe_token = api.post("/auth/register", zoe).expect(201).await.body["token"]
        .as_str()
        .unwrap()
        .to_string();
    api.req("DELETE", "/auth/me")
        .bearer(&zoe_token)
        .json(json!({"password": "not hers"}))
        .expect(403)
        .await;
    api.req("DELETE", "/auth/me")
        .bearer(&zoe_token)
        .json(json!({"password": PASSWORD}))
        .expect(204)
        .await;
    api.req("DELETE", "/auth/me")
        .bearer(&zoe_token)
        .json(json!({"password": PASSWORD}))
        .expect(401)
        .await;

    api.req("POST", "/auth/logout")
        .bearer(&token)
        .expect(204)
        .await;
    api.req("POST", "/auth/logout")
        .bearer(&token)
        .expect(401)
        .await;
}

async fn login(api: &Api) -> String {
    let body = json!({"username": "alice", "password": PASSWORD});
    api.post("/auth/login", body).expect(200).await.body["token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Plays alice's daily game to a win and returns its id.
async fn motus_routes(api: &Api) -> String {
    let token = login(api).await;
    api.get("/motus/daily").expect(200).await;
    api.post("/motus/games", json!({"mode": "daily"}))
        .expect(401)
        .await;
    api.post("/motus/games", json!({"mode": "weekly"}))
        .bearer(&token)
        .expect(400)
        .await;
    api.post("/motus/games", json!({"mode": "practice", "length": 7}))
        .bearer(&token)
        .expect(422)
        .await;
    let game = api
        .post("/motus/games", json!({"mode": "daily"}))
        .bearer(&token)
        .expect(201)
        .await;
    let id = game.body["id"].as_str().unwrap().to_string();
    api.post("/motus/games", json!({"mode": "daily"}))
        .bearer(&token)
        .expect(200)
        .await;

    api.get(format!("/motus/games/{id}"))
        .bearer(&token)
        .expect(200)
        .await;
    api.get(format!("/motus/games/{ZERO_ID}"))
        .bearer(&token)
        .expect(404)
        .await;
    api.get(format!("/motus/games/{id}/result"))
        .expect(404)
        .await;
    let guesses = format!("/motus/games/{id}/guesses");
    api.post(&guesses, json!({"word": "MXXXXX"}))
        .bearer(&token)
        .expect(422)
        .await;
    api.post(&guesses, json!({"words": "MAISON"}))
        .bearer(&token)
        .expect(400)
        .await;
    api.post(&guesses, json!({"word": "marche"}))
        .bearer(&token)
        .expect(200)
        .await;
    let won = api
        .post(&guesses, json!({"word": "MAISON"}))
        .bearer(&token)
        .expect(200)
        .await;
    assert_eq!(won.body["status"], "won");
    api.post(&guesses, json!({"word": "MAISON"}))
        .bearer(&token)
        .expect(409)
        .await;
    api.get(format!("/motus/games/{id}/result"))
        .expect(200)
        .await;

    api.post("/motus/games", json!({"mode": "practice"}))
        .bearer(&token)
        .expect(201)
        .await;
    api.post("/motus/guess", json!({"word": "MXXXXX"}))
        .bearer(&token)
        .expect(422)
        .await;
    api.post("/motus/guess", json!({}))
        .bearer(&token)
        .expect(400)
        .await;
    api.post("/motus/guess", json!({"word": "MAISON"}))
        .bearer(&token)
        .expect(200)
        .await;
    api.post("/motus/guess", json!({"word": "MAISON"}))
        .bearer(&token)
        .expect(409)
        .await;
    id
}

async fn score_routes(api: &Api, game: &str) {
    // motus recorded the game when it ended: this is the repeat.
    let recorded = api
        .post("/score/games", json!({"game_id": game}))
        .expect(200)
        .await;
    assert_eq!(recorded.body["points"], 300);
    api.post("/score/games", json!({"game_id": ZERO_ID}))
        .expect(409)
        .await;
    api.post("/score/games", json!({"game_id": "not an id!"}))
        .expect(400)
        .await;

    api.get("/score/alice").expect(200).await;
    api.get("/score/x").expect(400).await;
    let page = api.get("/score/Alice/history?limit=1").expect(200).await;
    let cursor = page.body["next_cursor"]
        .as_str()
        .expect("two games: a next page")
        .to_string();
    api.get(format!("/score/alice/history?limit=1&cursor={cursor}"))
        .expect(200)
        .await;
    api.get("/score/alice/history?limit=0").expect(400).await;
    api.get("/score/leaderboard?period=week&limit=5")
        .expect(200)
        .await;
    api.get("/score/leaderboard?period=year").expect(400).await;

    let credit = json!({"player": "alice", "score": 5});
    api.post("/score/update", credit.clone())
        .bearer(ADMIN)
        .expect(200)
        .await;
    api.post("/score/update", credit)
        .bearer("guess")
        .expect(403)
        .await;
    api.post("/score/update", json!({"player": "alice", "score": 0}))
        .bearer(ADMIN)
        .expect(400)
        .await;
}

async fn webapp_routes(api: &Api) {
    let carol = json!({"username": "carol", "password": PASSWORD});
    api.post("/api/register", carol.clone()).expect(201).await;
    api.post("/api/register", carol.clone()).expect(409).await;
    api.req("POST", "/api/login")
        .raw(&carol.to_string(), "text/plain")
        .expect(415)
        .await;
    api.post("/api/login", carol.clone())
        .header("origin", "https://evil.example")
        .expect(403)
        .await;
    api.req("POST", "/api/login")
        .raw("[1]", "application/json")
        .expect(400)
        .await;
    api.post(
        "/api/login",
        json!({"username": "carol", "password": "wrong password"}),
    )
    .expect(401)
    .await;
    let cookies = api.post("/api/login", carol).expect(200).await.cookies();
    assert!(cookies.contains("motus_session="), "{cookies}");

    api.get("/api/me").expect(401).await;
    api.get("/api/me").cookie(&cookies).expect(200).await;
    api.get("/api/daily").expect(200).await;
    api.post("/api/games", json!({"mode": "daily"}))
        .expect(401)
        .await;
    let game = api
        .post("/api/games", json!({"mode": "daily"}))
        .cookie(&cookies)
        .expect(201)
        .await;
    let id = game.body["id"].as_str().unwrap().to_string();
    api.get(format!("/api/games/{id}"))
        .cookie(&cookies)
        .expect(200)
        .await;
    api.get(format!("/api/games/{ZERO_ID}"))
        .cookie(&cookies)
        .expect(404)
        .await;
    let guesses = format!("/api/games/{id}/guesses");
    api.post(&guesses, json!({"word": "MOUTON1"}))
        .cookie(&cookies)
        .expect(422)
        .await;
    let won = api
        .post(&guesses, json!({"word": "maison"}))
        .cookie(&cookies)
        .expect(200)
        .await;
    assert_eq!(won.body["score"]["points"], 360);
    api.post(&guesses, json!({"word": "maison"}))
        .cookie(&cookies)
        .expect(409)
        .await;

    api.get("/api/history?limit=5")
        .cookie(&cookies)
        .expect(200)
        .await;
    api.get("/api/history?limit=500")
        .cookie(&cookies)
        .expect(400)
        .await;
    api.get("/api/leaderboard?period=day").expect(200).await;
    api.get("/api/leaderboard?period=year").expect(400).await;
    api.req("POST", "/api/logout")
        .header("content-type", "application/json")
        .cookie(&cookies)
        .expect(204)
        .await;
    api.get("/api/me").cookie(&cookies).expect(401).await;
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
