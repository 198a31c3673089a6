//! The webapp's `/api` as the browser uses it: a session cookie, and calls chained to auth,
//! motus and score. The seed's bug was a silent failure of exactly this chaining.

use e2e::api::{id_of, planted, Api, WebClient as Browser, PASSWORD};
use e2e::TestHost;
use reqwest::Method;
use serde_json::json;

async fn start() -> (TestHost, Browser) {
    let app = TestHost::builder("spin.toml").planted().start().await;
    let browser = Browser::new(Api::new(&app));
    (app, browser)
}

#[tokio::test(flavor = "multi_thread")]
async fn logging_in_through_the_webapp_sets_a_strict_http_only_session_cookie() {
    let (_app, mut browser) = start().await;
    let token = browser.api.register("alice").await.token;

    let login = browser
        .call(
            Method::POST,
            "/api/login",
            Some(json!({ "username": "alice", "password": PASSWORD })),
        )
        .await;

    let body = login.expect(200);
    assert_eq!(body["username"], "alice");
    assert!(
        body.get("token").is_none(),
        "the browser never sees the token: {body}"
    );
    let cookies = login.header_all("set-cookie");
    let session = cookies
        .iter()
        .find(|c| c.starts_with("motus_session="))
        .expect("session cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="] {
        assert!(session.contains(attribute), "{attribute} in {session}");
    }
    assert!(
        !session.contains(&token),
        "a fresh session, not the registration's"
    );
    browser.keep_cookies(&login);
    browser.call(Method::GET, "/api/me", None).await.expect(200);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_webapp_session_reaches_auth_motus_and_score() {
    let (_app, mut browser) = start().await;
    browser.api.register("alice").await;
    browser.login("alice", PASSWORD).await.expect(200);

    let me = browser.call(Method::GET, "/api/me", None).await.expect(200);
    // Today's game: only daily games score and reach the leaderboard.
    let created = browser
        .call(Method::POST, "/api/games", Some(json!({ "mode": "daily" })))
        .await;
    let game = created.expect(201);
    let id = id_of(&game);
    let length = game["length"].as_u64().unwrap();
    let word = planted(length);
    let path = format!("/api/games/{id}/guesses");
    let nonsense = format!("{}{}", &word.word[..1], "Z".repeat(length as usize - 1));
    let rejected = browser
        .call(Method::POST, &path, Some(json!({ "word": nonsense })))
        .await;
    let missed = browser
        .call(Method::POST, &path, Some(json!({ "word": word.misses[0] })))
        .await
        .expect(200);
    let won = browser
        .call(Method::POST, &path, Some(json!({ "word": word.word })))
        .await
        .expect(200);
    let me_after = browser.call(Method::GET, "/api/me", None).await.expect(200);

    assert_eq!(me["user"]["username"], "alice", "auth reached: {me}");
    assert_eq!(
        (&me["stats"]["player"], &me["stats"]["played"]),
        (&json!("alice"), &json!(0)),
        "score reached: {me}"
    );
    let daily = browser.api.get("/motus/daily", None).await.expect(200);
    assert_eq!(me["daily"], daily, "motus reached: {me}");
    assert_eq!(me["degraded"], json!([]));
    assert_eq!(
        (&game["mode"], &game["degraded"]),
        (&json!("daily"), &json!([]))
    );
    rejected.expect_error(422, "not_in_dictionary");
    assert_eq!(missed["guesses"].as_array().unwrap().len(), 1);
    assert_eq!(
        (&won["status"], &won["answer"]),
        (&json!("won"), &json!(word.word))
    );
    let due = e2e::api::points(true, length, 2);
    assert_eq!(
        (&won["score"]["points"], &won["degraded"]),
        (&json!(due), &json!([])),
        "{won}"
    );
    assert_eq!(
        (&me_after["stats"]["played"], &me_after["stats"]["total"]),
        (&json!(1), &json!(due))
    );
    let history = browser
        .call(Method::GET, "/api/history?limit=5", None)
        .await
        .expect(200);
    assert_eq!(history["items"][0]["game_id"], id.as_str());
    let board = browser
        .call(Method::GET, "/api/leaderboard?period=day", None)
        .await
        .expect(200);
    assert_eq!(board["entries"][0]["player"], "alice");
    assert_eq!(
        browser
            .call(Method::GET, &format!("/api/games/{id}"), None)
            .await
            .expect(200)["status"],
        "won"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn registering_through_the_webapp_opens_a_session_and_logout_ends_it() {
    let (_app, mut browser) = start().await;
    let register = browser.register("bob").await;
    assert_eq!(register.expect(201)["username"], "bob");
    let before_logout = browser.cookies.clone();

    let logout = browser.call(Method::POST, "/api/logout", None).await;

    logout.expect(204);
    let cleared = logout.header_all("set-cookie");
    assert!(
        cleared
            .iter()
            .any(|c| c.starts_with("motus_session=;") && c.contains("Max-Age=0")),
        "{cleared:?}"
    );
    browser.keep_cookies(&logout);
    assert!(browser.cookies.is_empty(), "{:?}", browser.cookies);
    // Replaying the session cookie: revoked. (A replayed access cookie would live out its
    // minute: the rule in docs/security.md, tested in e2e/access_tokens.)
    browser.cookies = before_logout;
    browser.cookies.retain(|c| !c.starts_with("motus_access="));
    let stale = browser.call(Method::GET, "/api/me", None).await;
    assert_eq!(
        stale.status, 401,
        "the token was revoked at auth: {}",
        stale.text
    );
    stale.error_code();
}

/// A request and the error it must get: method, path, headers, status, code.
type Refusal<'a> = (Method, &'a str, Vec<(&'a str, &'a str)>, u16, &'a str);

#[tokio::test(flavor = "multi_thread")]
async fn the_webapp_refuses_requests_without_a_session_or_from_other_sites() {
    let (_app, browser) = start().await;
    let api = &browser.api;
    let json = ("content-type", "application/json");
    let credentials = json!({ "username": "alice", "password": PASSWORD }).to_string();
    let cases: Vec<Refusal> = vec![
        (
            Method::POST,
            "/api/games",
            vec![json],
            401,
            "unauthenticated",
        ),
        (Method::GET, "/api/history", vec![], 401, "unauthenticated"),
        (
            Method::POST,
            "/api/login",
            vec![json, ("origin", "https://evil.example")],
            403,
            "cross_site",
        ),
        (
            Method::POST,
            "/api/login",
            vec![json, ("sec-fetch-site", "cross-site")],
            403,
            "cross_site",
        ),
        (
            Method::POST,
            "/api/login",
            vec![("content-type", "text/plain")],
            415,
            "unsupported_media_type",
        ),
        (
            Method::POST,
            "/api/login",
            vec![],
            415,
            "unsupported_media_type",
        ),
        (
            Method::GET,
            "/api/leaderboard?period=year",
            vec![],
            400,
            "invalid_query",
        ),
        (Method::GET, "/api/nowhere", vec![], 404, "not_found"),
    ];

    for (method, path, headers, status, code) in cases {
        let reply = api
            .try_send(method.clone(), path, &headers, credentials.clone())
            .await
            .unwrap();
        assert_eq!(
            (reply.status, reply.error_code().as_str()),
            (status, code),
            "{method} {path} {headers:?}: {}",
            reply.text
        );
    }

    // The page's session probe is not refused: a visitor without a cookie is told so, with a 200.
    let probe = api
        .try_send(Method::GET, "/api/me", &[], String::new())
        .await
        .unwrap();
    assert_eq!(probe.status, 200, "{}", probe.text);
    assert_eq!(probe.json()["authenticated"], false, "{}", probe.text);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_daily_game_played_through_the_webapp_counts_in_the_streak() {
    let (_app, mut browser) = start().await;
    browser.register("carol").await.expect(201);
    let daily = browser
        .call(Method::GET, "/api/daily", None)
        .await
        .expect(200);
    let word = planted(daily["length"].as_u64().unwrap());

    let game = browser
        .call(Method::POST, "/api/games", Some(json!({ "mode": "daily" })))
        .await
        .expect(201);
    let path = format!("/api/games/{}/guesses", id_of(&game));
    let won = browser
        .call(Method::POST, &path, Some(json!({ "word": word.word })))
        .await
        .expect(200);
    let again = browser
        .call(Method::POST, "/api/games", Some(json!({ "mode": "daily" })))
        .await
        .expect(200);

    assert_eq!(won["status"], "won");
    assert_eq!(id_of(&again), id_of(&game));
    let me = browser.call(Method::GET, "/api/me", None).await.expect(200);
    assert_eq!(
        (&me["stats"]["current_streak"], &me["stats"]["best_streak"]),
        (&json!(1), &json!(1)),
        "{me}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_webapp_relays_auth_refusals_with_their_retry_delay() {
    e2e::clear_of_a_lockout_window_end().await;
    let (_app, browser) = start().await;
    browser.api.register("alice").await;
    let wrong = json!({ "username": "alice", "password": "wrong password" });

    for _ in 1..=5 {
        let reply = browser
            .call(Method::POST, "/api/login", Some(wrong.clone()))
            .await;
        reply.expect_error(401, "invalid_credentials");
        assert!(
            reply.header_all("set-cookie").is_empty(),
            "no session on failure"
        );
    }
    let locked = browser
        .call(
            Method::POST,
            "/api/login",
            Some(json!({ "username": "alice", "password": PASSWORD })),
        )
        .await;

    locked.expect_error(429, "too_many_attempts");
    let retry_after: u64 = locked
        .header("retry-after")
        .expect("Retry-After relayed")
        .parse()
        .unwrap();
    // The per-minute tier locks until its window ends: anywhere up to 60 s.
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let invalid = browser
        .call(
            Method::POST,
            "/api/register",
            Some(json!({ "username": "x", "password": PASSWORD })),
        )
        .await;
    invalid.expect_error(400, "invalid_username");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_practice_game_left_mid_way_is_resumed_by_another_client_of_the_same_session() {
    let (app, mut browser) = start().await;
    browser.api.register("alice").await;
    browser.login("alice", PASSWORD).await.expect(200);
    let game = browser
        .call(
            Method::POST,
            "/api/games",
            Some(json!({ "mode": "practice", "length": 8 })),
        )
        .await
        .expect(201);
    let id = id_of(&game);
    let word = planted(8);
    let path = format!("/api/games/{id}/guesses");
    for miss in &word.misses[..2] {
        browser
            .call(Method::POST, &path, Some(json!({ "word": miss })))
            .await
            .expect(200);
    }

    // Another device: nothing but the session cookie.
    let mut other = Browser::new(Api::new(&app));
    other.cookies = browser.cookies.clone();
    let me = other.call(Method::GET, "/api/me", None).await.expect(200);

    assert_eq!(me["game"]["id"], id.as_str(), "{me}");
    assert_eq!(me["game"]["mode"], "practice");
    assert_eq!(me["game"]["status"], "playing");
    let played: Vec<_> = me["game"]["guesses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["word"].clone())
        .collect();
    assert_eq!(played, [json!(word.misses[0]), json!(word.misses[1])]);
    assert_eq!(me["games"][0], me["game"]);
    assert!(
        !me.to_string().contains(word.word),
        "the answer leaked: {me}"
    );
    let won = other
        .call(Method::POST, &path, Some(json!({ "word": word.word })))
        .await
        .expect(200);
    assert_eq!(won["guesses"].as_array().unwrap().len(), 3, "play goes on");
    let me = other.call(Method::GET, "/api/me", None).await.expect(200);
    assert_eq!((&me["game"], &me["games"]), (&json!(null), &json!([])));
}
