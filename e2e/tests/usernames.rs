//! Every name auth accepts works in every route that carries it, and names that could not
//! (dot segments, punctuation at an end) are refused at registration with a clear 400.

use e2e::api::{id_of, planted, Api, Session, WebClient as Browser, PASSWORD};
use e2e::TestHost;
use reqwest::Method;
use serde_json::{json, Value};

/// Accepted shapes at their edges: the shortest, the longest, digits first, each punctuation
/// mark inside (alone and doubled), mixed case, and words that are route segments elsewhere.
const ACCEPTED: &[&str] = &[
    "ab",
    "Q7",
    "00",
    "nnnnnnnnnnnnnnnnnnnn",
    "9lives",
    "jean.dupont",
    "a..b",
    "a-b",
    "a--b",
    "a_b",
    "a__b",
    "A._-z",
    "MiXeD.Case-1",
    "history",
    "daily",
    "guess",
];

/// Names that cannot round-trip through a URL path (or that trimming and file-name rules would
/// change), each refused by auth.
const REFUSED: &[&str] = &[
    "..", "...", "....", ".a", "a.", "-a", "a-", "_a", "a_", "._.", "-_-", "players",
];

async fn start() -> (TestHost, Api) {
    TestHost::builder("spin.toml")
        .variable("answer_words", planted(6).word)
        .start_with_api()
        .await
}

/// Reads a route that should know `player`, failing with what it answered.
async fn read(api: &Api, who: &Session, path: &str) -> Value {
    let reply = api.get(path, who.token()).await;
    assert_eq!(reply.status, 200, "GET {path}: {}", reply.text);
    reply.json()
}

async fn web_call(browser: &Browser, path: &str) -> Value {
    let reply = browser.call(Method::GET, path, None).await;
    assert_eq!(reply.status, 200, "GET {path}: {}", reply.text);
    reply.json()
}

#[tokio::test(flavor = "multi_thread")]
async fn names_that_cannot_travel_in_a_url_are_refused_at_registration() {
    let (_app, api) = start().await;

    for name in REFUSED {
        let reply = api.register_reply(name, PASSWORD).await;

        reply.expect_error(400, "invalid_username");
        let message = reply.json()["error"]["message"].to_string();
        assert!(!message.is_empty(), "{name}: {message}");
        api.login_reply(name, PASSWORD)
            .await
            .expect_error(401, "invalid_credentials");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_accepted_name_works_in_every_route() {
    let (_app, api) = start().await;
    let answer = planted(6).word;

    for name in ACCEPTED {
        let registered = api.register_reply(name, PASSWORD).await.expect(201);
        assert_eq!(registered["username"], *name);
        let who = api.login(&name.to_ascii_uppercase(), PASSWORD).await;
        assert_eq!(who.username, *name, "shown as registered");
        assert_eq!(read(&api, &who, "/auth/me").await["username"], *name);

        let daily = api.new_game_reply(&who, "daily", None).await.expect(201);
        let game = api.play(&who, &id_of(&daily), &[answer]).await;
        assert_eq!(game["status"], "won", "{name}: {game}");
        assert_eq!(
            read(&api, &who, &format!("/motus/games/{}", id_of(&daily))).await["id"],
            daily["id"]
        );

        let stats = read(&api, &who, &format!("/score/{name}")).await;
        assert_eq!(stats["played"], 1, "{name}: {stats}");
        let lower = read(&api, &who, &format!("/score/{}", name.to_ascii_lowercase())).await;
        assert_eq!(
            lower["played"], 1,
            "{name}: a name is one player whatever its case"
        );
        let history = read(&api, &who, &format!("/score/{name}/history")).await;
        let entries = history["items"].as_array();
        assert_eq!(entries.map(Vec::len), Some(1), "{name}: {history}");

        let mut browser = Browser::new(api.clone());
        let login = browser
            .post(
                "/api/login",
                json!({ "username": name, "password": PASSWORD }),
            )
            .await;
        assert_eq!(login.status, 200, "{name}: {}", login.text);
        let me = web_call(&browser, "/api/me").await;
        assert_eq!(me["user"]["username"], *name);
        assert_eq!(me["stats"]["played"], 1, "{name}: {me}");
        assert_eq!(me["degraded"], json!([]), "{name}: {me}");
        let history = web_call(&browser, "/api/history").await;
        let entries = history["items"].as_array();
        assert_eq!(entries.map(Vec::len), Some(1), "{name}: {history}");
    }

    // The board names players as motus does, by their lowercase key.
    let board = api.leaderboard("day").await;
    let mut listed: Vec<String> = board["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["player"].as_str().unwrap().to_ascii_lowercase())
        .collect();
    listed.sort_unstable();
    let mut expected: Vec<String> = ACCEPTED.iter().map(|n| n.to_ascii_lowercase()).collect();
    expected.sort_unstable();
    assert_eq!(listed, expected, "{board}");
}
