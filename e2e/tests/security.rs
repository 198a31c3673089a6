//! Who may do what, seen from outside: bad, expired and revoked tokens, other players' games, and
//! the answer kept secret until the game is over.

use e2e::api::{id_of, planted, Api, Reply, Session, PASSWORD};
use e2e::TestHost;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

async fn start() -> (TestHost, Api) {
    e2e::start_planted("spin.toml").await
}

/// Every route that needs a bearer token, with a body it would otherwise accept.
fn protected_routes(game_id: &str) -> Vec<(Method, String, Value)> {
    vec![
        (Method::GET, "/auth/me".into(), Value::Null),
        (Method::POST, "/auth/logout".into(), json!({})),
        (
            Method::PUT,
            "/auth/password".into(),
            json!({ "current_password": PASSWORD, "new_password": "new password 1" }),
        ),
        (
            Method::DELETE,
            "/auth/me".into(),
            json!({ "password": PASSWORD }),
        ),
        (
            Method::POST,
            "/motus/games".into(),
            json!({ "mode": "practice", "length": 6 }),
        ),
        (Method::GET, format!("/motus/games/{game_id}"), Value::Null),
        (
            Method::POST,
            format!("/motus/games/{game_id}/guesses"),
            json!({ "word": "MOUTON" }),
        ),
        (
            Method::POST,
            "/motus/guess".into(),
            json!({ "word": "MOUTON" }),
        ),
    ]
}

async fn call_with(
    api: &Api,
    method: &Method,
    path: &str,
    body: &Value,
    authorization: Option<&str>,
) -> Reply {
    let mut headers = vec![("content-type", "application/json")];
    headers.extend(authorization.map(|a| ("authorization", a)));
    let body = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    api.try_send(method.clone(), path, &headers, body)
        .await
        .unwrap()
}

/// Asserts that every protected route refuses `authorization` with 401 and changes nothing.
async fn assert_refused_everywhere(api: &Api, game_id: &str, authorization: Option<&str>) {
    for (method, path, body) in protected_routes(game_id) {
        let reply = call_with(api, &method, &path, &body, authorization).await;
        assert_eq!(
            (reply.status, reply.error_code().as_str()),
            (401, "unauthenticated"),
            "{method} {path} with {authorization:?}: {}",
            reply.text
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_or_malformed_bearer_tokens_are_refused_by_every_protected_route() {
    let (_app, api) = start().await;
    let alice = api.register("alice").await;
    let game = api.practice(&alice, 6).await;
    let unknown = format!("Bearer {}", "A".repeat(43));
    let longer = format!("Bearer {}x", alice.token);
    let cases = [
        None,
        Some(""),
        Some("Bearer"),
        Some("Bearer "),
        Some("Basic YWxpY2U6cGFzc3dvcmQ="),
        Some(alice.token.as_str()),
        Some("Bearer not-a-token"),
        Some(unknown.as_str()),
        Some(longer.as_str()),
    ];

    for authorization in cases {
        assert_refused_everywhere(&api, &id_of(&game), authorization).await;
    }

    assert_eq!(
        api.game(&alice, &id_of(&game)).await.expect(200),
        game,
        "no guess went through"
    );
    api.me(&alice.token).await.expect(200);
}

#[tokio::test(flavor = "multi_thread")]
async fn expired_tokens_are_refused_by_every_service() {
    let (_app, api) = TestHost::builder("spin.toml")
        .planted()
        .variable("token_ttl_seconds", "1")
        .start_with_api()
        .await;
    let body = api.register_reply("alice", PASSWORD).await.expect(201);
    let token = body["token"].as_str().unwrap().to_owned();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(
        body["expires_at"].as_u64().unwrap() <= now + 1,
        "one second: {body}"
    );

    tokio::time::sleep(Duration::from_millis(2100)).await;

    assert_refused_everywhere(
        &api,
        "0123456789abcdef0123456789abcdef",
        Some(&format!("Bearer {token}")),
    )
    .await;
    let fresh = api.login("alice", PASSWORD).await;
    assert_ne!(fresh.token, token);
}

#[tokio::test(flavor = "multi_thread")]
async fn revoked_tokens_are_refused_by_every_service() {
    let (_app, api) = start().await;
    let logged_out = api.register("alice").await;
    let other_device = api.login("alice", PASSWORD).await;
    let changer = api.login("alice", PASSWORD).await;
    let game = id_of(&api.practice(&changer, 6).await);

    api.post("/auth/logout", logged_out.token(), json!({}))
        .await
        .expect(204);
    let change = json!({ "current_password": PASSWORD, "new_password": "new password 1" });
    api.json(Method::PUT, "/auth/password", changer.token(), change)
        .await
        .expect(204);

    for revoked in [&logged_out, &other_device] {
        assert_refused_everywhere(&api, &game, Some(&format!("Bearer {}", revoked.token))).await;
    }
    api.game(&changer, &game).await.expect(200);
}

#[tokio::test(flavor = "multi_thread")]
async fn another_players_game_does_not_exist_for_them() {
    let (_app, api) = start().await;
    let names = ["alice", "mallory"].map(String::from);
    let [alice, mallory]: [Session; 2] = api.register_all(&names).await.try_into().unwrap();
    let game = api.practice(&alice, 6).await;
    let id = id_of(&game);

    let peek = api.game(&mallory, &id).await;
    let play = api.guess(&mallory, &id, "MAISON").await;

    peek.expect_error(404, "not_found");
    play.expect_error(404, "not_found");
    assert!(!peek.text.contains("MAISON") && !play.text.contains("MAISON"));
    assert_eq!(api.game(&alice, &id).await.expect(200), game, "untouched");
    // The seed route plays in the caller's own game, never in someone else's current one.
    let daily = api.get("/motus/daily", None).await.expect(200);
    let miss = planted(daily["length"].as_u64().unwrap()).misses[0];
    let own = api
        .post("/motus/guess", mallory.token(), json!({ "word": miss }))
        .await
        .expect(200);
    assert_ne!(id_of(&own), id);
}

/// Every answer a client can get about a game while it is played.
struct Transcript {
    answer: &'static str,
    bodies: Vec<(String, String)>,
}

impl Transcript {
    fn add(&mut self, what: impl Into<String>, reply: &Reply) {
        self.bodies.push((
            what.into(),
            format!("{} {:?} {}", reply.status, reply.headers, reply.text),
        ));
    }

    /// The first answer that shows the word, if any.
    fn leak(&self) -> Option<&(String, String)> {
        assert!(self.bodies.len() > 10, "the transcript covers the game");
        self.bodies
            .iter()
            .find(|(_, body)| body.to_ascii_uppercase().contains(self.answer))
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_answer_reveals_the_word_before_the_game_is_over() {
    let (_app, api) = start().await;
    let alice = api.register("alice").await;
    let daily = api.get("/motus/daily", None).await;
    let length = daily.json()["length"].as_u64().unwrap();
    let word = planted(length);
    let mut seen = Transcript {
        answer: word.word,
        bodies: Vec::new(),
    };
    seen.add("GET /motus/daily", &daily);

    let created = api.new_game_reply(&alice, "daily", None).await;
    seen.add("POST /motus/games", &created);
    let id = id_of(&created.json());
    seen.add(
        "POST /motus/games again",
        &api.new_game_reply(&alice, "daily", None).await,
    );
    for (i, miss) in word.misses[..5].iter().enumerate() {
        seen.add(
            format!("GET /result before try {i}"),
            &api.result(&id, Some(&alice)).await,
        );
        seen.add(
            format!("POST /score/games before try {i}"),
            &api.record(&id, Some(&alice)).await,
        );
        seen.add(
            format!("rejected guess before try {i}"),
            &api.guess(&alice, &id, &"Z".repeat(length as usize)).await,
        );
        let wrong_letter = format!(
            "{}{}",
            if word.word.starts_with('M') { 'B' } else { 'M' },
            &word.word[1..]
        );
        seen.add(
            format!("wrong first letter before try {i}"),
            &api.guess(&alice, &id, &wrong_letter).await,
        );
        let guess = if i % 2 == 0 {
            api.guess(&alice, &id, miss).await
        } else {
            api.post("/motus/guess", alice.token(), json!({ "word": miss }))
                .await
        };
        assert_eq!(guess.status, 200, "{}", guess.text);
        assert!(guess.json().get("answer").is_none(), "{}", guess.text);
        seen.add(format!("guess {i}"), &guess);
        seen.add(
            format!("GET game after try {i}"),
            &api.game(&alice, &id).await,
        );
        seen.add(
            format!("history after try {i}"),
            &api.get("/score/alice/history", None).await,
        );
    }
    assert_eq!(seen.leak(), None);

    // The same check sees the answer once the game is over.
    let last = api.guess(&alice, &id, word.misses[5]).await;
    seen.add("last guess", &last);
    assert_eq!(last.json()["answer"], word.word);
    assert_eq!(
        seen.leak().map(|(what, _)| what.as_str()),
        Some("last guess")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_webapp_reveals_no_answer_before_the_game_is_over() {
    let (_app, api) = start().await;
    api.register("alice").await;
    let login = api
        .try_send(
            Method::POST,
            "/api/login",
            &[("content-type", "application/json")],
            json!({ "username": "alice", "password": PASSWORD }).to_string(),
        )
        .await
        .unwrap();
    let cookies: Vec<String> = login
        .header_all("set-cookie")
        .iter()
        .map(|c| c.split(';').next().unwrap().to_owned())
        .collect();
    let cookie = cookies.join("; ");
    let headers = [
        ("content-type", "application/json"),
        ("cookie", cookie.as_str()),
    ];
    let word = planted(6);
    let mut seen = Transcript {
        answer: word.word,
        bodies: Vec::new(),
    };

    let created = api
        .try_send(
            Method::POST,
            "/api/games",
            &headers,
            r#"{"mode":"practice","length":6}"#,
        )
        .await
        .unwrap();
    seen.add("POST /api/games", &created);
    let id = id_of(&created.expect(201));
    for miss in &word.misses[..5] {
        let body = json!({ "word": miss }).to_string();
        seen.add(
            "POST /api/games/{id}/guesses",
            &api.try_send(
                Method::POST,
                &format!("/api/games/{id}/guesses"),
                &headers,
                body,
            )
            .await
            .unwrap(),
        );
        seen.add(
            "GET /api/games/{id}",
            &api.try_send(Method::GET, &format!("/api/games/{id}"), &headers, "")
                .await
                .unwrap(),
        );
        seen.add(
            "GET /api/me",
            &api.try_send(Method::GET, "/api/me", &headers, "")
                .await
                .unwrap(),
        );
        seen.add(
            "GET /api/history",
            &api.try_send(Method::GET, "/api/history", &headers, "")
                .await
                .unwrap(),
        );
    }

    assert_eq!(seen.leak(), None);
}
