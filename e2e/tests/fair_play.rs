//! Fair play, attacked from outside: a daily answer must not reach anyone but its player before
//! the day is over in Paris, practice must not buy a rank, a daily game left unfinished counts
//! as lost, and a deleted player leaves nothing behind for the next account of that name.
//!
//! Days pass by restarting the same state with `e2e/manifests/next-day.toml`, whose motus and
//! score clocks run 24 hours ahead.

use e2e::api::{id_of, planted, Api, Session, WebClient, PASSWORD};
use e2e::TestHost;
use reqwest::Method;
use serde_json::{json, Value};

async fn start(manifest: &str) -> (TestHost, Api) {
    e2e::start_planted(manifest).await
}

/// Today's daily game of `who`, played with the planted script (`Some(n)`
/// wins at try n, `None` loses); returns the last game answer and the day's word.
async fn play_daily(api: &Api, who: &Session, tries: Option<usize>) -> (Value, &'static str) {
    let game = api.new_game_reply(who, "daily", None).await.expect(201);
    let word = planted(game["length"].as_u64().unwrap());
    let last = api.play(who, &id_of(&game), &word.script(tries)).await;
    (last, word.word)
}

/// What an outsider, anonymous or logged in, gets about `victim` and their game `id`: the
/// public listings (history, stats, leaderboards), then everything including the routes that
/// take the id, as text to search for the word.
async fn what_an_outsider_sees(
    api: &Api,
    outsider: &Session,
    victim: &str,
    id: &str,
) -> (String, String) {
    let mut listings = Vec::new();
    let mut by_id = Vec::new();
    for who in [None, Some(outsider)] {
        let token = who.and_then(Session::token);
        listings.push(api.history(victim, who).await.expect(200).to_string());
        listings.push(api.get(&format!("/score/{victim}"), token).await.text);
        for period in ["day", "week", "all"] {
            let board = format!("/score/leaderboard?period={period}");
            listings.push(api.get(&board, token).await.text);
        }
        by_id.push(api.result(id, who).await.text);
        by_id.push(api.record(id, who).await.text);
        by_id.push(api.get(&format!("/motus/games/{id}"), token).await.text);
        by_id.push(
            api.post(
                &format!("/motus/games/{id}/guesses"),
                token,
                json!({ "word": "X" }),
            )
            .await
            .text,
        );
    }
    let listings = listings.join("\n");
    let everything = format!("{listings}\n{}", by_id.join("\n"));
    (listings, everything)
}

#[tokio::test(flavor = "multi_thread")]
async fn no_route_reveals_todays_answer_to_anyone_but_its_player_until_the_day_is_over() {
    let (mut app, api) = start("spin.toml").await;
    let alice = api.register("alice").await;
    let (game, answer) = play_daily(&api, &alice, Some(2)).await;
    assert_eq!(game["recorded"], true, "{game}");
    let id = id_of(&game);
    let mallory = api.register("mallory").await;

    let (listings, everything) = what_an_outsider_sees(&api, &mallory, "alice", &id).await;
    assert!(
        !everything.contains(answer),
        "{answer} leaked:\n{everything}"
    );
    assert!(!listings.contains(&id), "the game id leaked:\n{listings}");

    let public = api.history("alice", None).await.expect(200);
    let entry = &public["items"][0];
    assert_eq!(
        (&entry["mode"], &entry["answer"], &entry["game_id"]),
        (&json!("daily"), &Value::Null, &Value::Null),
        "the rest of the entry stays public: {entry}"
    );
    assert_eq!(entry["won"], true);
    api.result(&id, None)
        .await
        .expect_error(401, "unauthenticated");
    api.result(&id, Some(&mallory))
        .await
        .expect_error(404, "not_found");
    api.get("/score/alice/history", Some("forged-token"))
        .await
        .expect_error(401, "unauthenticated");

    // Through the webapp, as mallory's browser.
    let mut browser = WebClient::new(api.clone());
    browser
        .post(
            "/api/login",
            json!({ "username": "mallory", "password": PASSWORD }),
        )
        .await
        .expect(200);
    for path in [
        "/api/me".to_owned(),
        "/api/history".to_owned(),
        "/api/leaderboard?period=day".to_owned(),
        format!("/api/games/{id}"),
    ] {
        let reply = browser.get(&path).await;
        assert!(!reply.text.contains(answer), "{path}: {}", reply.text);
    }

    // Its player sees everything.
    let own = api.history("alice", Some(&alice)).await.expect(200);
    assert_eq!(
        (&own["items"][0]["answer"], &own["items"][0]["game_id"]),
        (&json!(answer), &json!(id))
    );
    let result = api.result(&id, Some(&alice)).await.expect(200);
    assert_eq!(result["answer"], answer);

    // Midnight in Paris: the word is yesterday's, for everyone to see.
    app.restart_with_manifest("e2e/manifests/next-day.toml")
        .await;
    let public = api.history("alice", None).await.expect(200);
    assert_eq!(
        (
            &public["items"][0]["answer"],
            &public["items"][0]["game_id"]
        ),
        (&json!(answer), &json!(id))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fresh_account_cannot_learn_the_word_from_a_player_who_finished() {
    let (_app, api) = start("spin.toml").await;
    let alice = api.register("alice").await;
    play_daily(&api, &alice, Some(1)).await;
    let mallory = api.register("mallory").await;

    // Everything public about alice, then every game id it names.
    let history = api.history("alice", None).await.expect(200);
    let ids: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|item| item["game_id"].as_str())
        .collect();
    assert!(ids.is_empty(), "a daily game id is public: {history}");
    let words: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|item| item["answer"].as_str())
        .collect();
    assert!(words.is_empty(), "a daily answer is public: {history}");

    // Without the word, mallory's first guess is a miss like anyone's.
    let game = api
        .new_game_reply(&mallory, "daily", None)
        .await
        .expect(201);
    let word = planted(game["length"].as_u64().unwrap());
    let first = api
        .guess(&mallory, &id_of(&game), word.misses[0])
        .await
        .expect(200);
    assert_eq!(first["status"], "playing");
}

#[tokio::test(flavor = "multi_thread")]
async fn practice_games_earn_no_points_and_never_lift_a_rank() {
    let (_app, api) = start("spin.toml").await;
    let alice = api.register("alice").await;
    let farmer = api.register("farmer").await;
    play_daily(&api, &alice, Some(6)).await;
    // The farmer wins practice after practice at the first try, and drops bad starts.
    for length in [10, 10, 9, 9, 8] {
        let game = api.practice(&farmer, length).await;
        let won = api
            .play(&farmer, &id_of(&game), &planted(length).script(Some(1)))
            .await;
        assert_eq!(won["status"], "won");
    }
    let dropped = api.practice(&farmer, 6).await;
    api.play(&farmer, &id_of(&dropped), &planted(6).misses[..2])
        .await;

    for period in ["all", "week", "day"] {
        let board = api.leaderboard(period).await;
        let players: Vec<&Value> = board["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["player"])
            .collect();
        assert_eq!(players, [&json!("alice")], "{period}: {board}");
    }
    let stats = api.stats("farmer").await;
    assert_eq!(
        (&stats["total"], &stats["played"], &stats["won"]),
        (&json!(0), &json!(0), &json!(0)),
        "{stats}"
    );
    assert_eq!(
        (&stats["practice"]["played"], &stats["practice"]["won"]),
        (&json!(5), &json!(5)),
        "practice has its own stats: {stats}"
    );
    let history = api.history("farmer", Some(&farmer)).await.expect(200);
    let points: Vec<&Value> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["points"])
        .collect();
    assert_eq!(points, [&json!(0); 5]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_daily_game_left_unfinished_at_midnight_counts_once_as_played_and_lost() {
    let (mut app, api) = start("spin.toml").await;
    let alice = api.register("alice").await;
    let bob = api.register("bob").await;
    let game = api.new_game_reply(&alice, "daily", None).await.expect(201);
    let id = id_of(&game);
    let word = planted(game["length"].as_u64().unwrap());
    api.play(&alice, &id, &word.misses[..1]).await;
    play_daily(&api, &bob, Some(1)).await;

    app.restart_with_manifest("e2e/manifests/next-day.toml")
        .await;
    // Yesterday's game cannot be won today, whatever the player knows by now.
    api.guess(&alice, &id, word.word)
        .await
        .expect_error(409, "game_over");
    let over = api.game(&alice, &id).await.expect(200);
    assert_eq!(
        (&over["status"], &over["abandoned"], &over["answer"]),
        (&json!("lost"), &json!(true), &json!(word.word)),
        "{over}"
    );
    // Seen again and again: counted once.
    for _ in 0..3 {
        api.practice(&alice, 6).await;
    }

    let stats = api.stats("alice").await;
    assert_eq!(
        (&stats["played"], &stats["won"], &stats["win_rate"]),
        (&json!(1), &json!(0), &json!(0.0)),
        "{stats}"
    );
    assert_eq!(stats["current_streak"], 0);
    let history = api.history("alice", None).await.expect(200);
    let daily: Vec<&Value> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["mode"] == "daily")
        .collect();
    assert_eq!(daily.len(), 1, "{history}");
    assert_eq!(
        (&daily[0]["abandoned"], &daily[0]["tries"], &daily[0]["won"]),
        (&json!(true), &json!(1), &json!(false))
    );
    let all = api.leaderboard("all").await;
    assert_eq!(
        all["entries"],
        json!([
            { "rank": 1, "player": "bob", "points": points_at_first_try(word.word), "played": 1, "won": 1 },
            { "rank": 2, "player": "alice", "points": 0, "played": 1, "won": 0 },
        ])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_daily_game_never_opened_again_still_counts_when_the_player_comes_back() {
    let (mut app, api) = start("spin.toml").await;
    let alice = api.register("alice").await;
    api.new_game_reply(&alice, "daily", None).await.expect(201);

    app.restart_with_manifest("e2e/manifests/next-day.toml")
        .await;
    assert_eq!(api.stats("alice").await["played"], 0, "not seen yet");
    let today = api.new_game_reply(&alice, "daily", None).await.expect(201);
    assert_eq!(today["guesses"], json!([]), "a new day, a new game");

    let stats = api.stats("alice").await;
    assert_eq!((&stats["played"], &stats["won"]), (&json!(1), &json!(0)));
    let history = api.history("alice", Some(&alice)).await.expect(200);
    assert_eq!(
        (
            &history["items"][0]["abandoned"],
            &history["items"][0]["tries"]
        ),
        (&json!(true), &json!(0))
    );
}

fn points_at_first_try(word: &str) -> u64 {
    e2e::api::points(true, word.len() as u64, 1)
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_a_player_in_motus_and_score_leaves_a_new_account_of_that_name_empty() {
    // Without access tokens, with which the name would stay reserved for 600 s after deletion.
    let (_app, api) = TestHost::builder("spin.toml")
        .planted()
        .variable("access_secret", "")
        .start_with_api()
        .await;
    let alice = api.register("alice").await;
    let bob = api.register("bob").await;
    let (daily, _) = play_daily(&api, &alice, Some(2)).await;
    let practice = api.practice(&alice, 7).await;
    api.play(&alice, &id_of(&practice), &planted(7).script(Some(1)))
        .await;
    let unfinished = api.practice(&alice, 8).await;
    play_daily(&api, &bob, Some(3)).await;
    let bob_before = (
        api.stats("bob").await,
        api.history("bob", Some(&bob)).await.expect(200),
    );

    for service in ["motus", "score"] {
        api.delete_player(service, "alice", None)
            .await
            .expect_error(401, "unauthenticated");
        api.delete_player(service, "alice", Some(&bob))
            .await
            .expect_error(403, "forbidden");
    }
    assert_eq!(api.stats("alice").await["played"], 1, "nothing deleted yet");

    for service in ["motus", "score"] {
        let first = api.delete_player(service, "alice", Some(&alice)).await;
        assert_eq!(first.status, 204, "{service}: {}", first.text);
        let again = api.delete_player(service, "Alice", Some(&alice)).await;
        assert_eq!(
            again.status, 204,
            "{service} with nothing left: {}",
            again.text
        );
    }
    for id in [id_of(&daily), id_of(&practice), id_of(&unfinished)] {
        api.game(&alice, &id).await.expect_error(404, "not_found");
        api.result(&id, Some(&alice))
            .await
            .expect_error(404, "not_found");
    }

    // The account goes too, and someone registers the name again.
    api.json(
        Method::DELETE,
        "/auth/me",
        alice.token(),
        json!({ "password": PASSWORD }),
    )
    .await
    .expect(204);
    let newcomer = api.register("alice").await;

    let stats = api.stats("alice").await;
    assert_eq!(
        (
            &stats["total"],
            &stats["played"],
            &stats["practice"]["played"]
        ),
        (&json!(0), &json!(0), &json!(0)),
        "{stats}"
    );
    assert_eq!(
        api.history("alice", Some(&newcomer)).await.expect(200),
        json!({ "items": [], "next_cursor": null })
    );
    for period in ["all", "week", "day"] {
        let board = api.leaderboard(period).await;
        assert!(
            !board.to_string().contains("alice"),
            "{period} still ranks the old account: {board}"
        );
    }
    let fresh = api
        .new_game_reply(&newcomer, "daily", None)
        .await
        .expect(201);
    assert_eq!(fresh["guesses"], json!([]), "today's daily starts afresh");
    api.record(&id_of(&daily), Some(&newcomer))
        .await
        .expect_error(409, "game_not_finished");
    assert_eq!(
        (
            api.stats("bob").await,
            api.history("bob", Some(&bob)).await.expect(200)
        ),
        bob_before,
        "another player is untouched"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sibling_holding_the_shared_secret_reads_results_without_a_token() {
    let (_app, api) = TestHost::builder("e2e/manifests/score-unlinked.toml")
        .planted()
        .variable("result_secret", "sibling-secret")
        .start_with_api()
        .await;
    let alice = api.register("alice").await;
    let game = api.practice(&alice, 6).await;
    let id = id_of(&game);
    let over = api.play(&alice, &id, &planted(6).script(Some(1))).await;
    assert_eq!(over["recorded"], false, "motus cannot reach score here");

    let path = format!("/motus/games/{id}/result");
    for wrong in ["", "sibling-secreT", "sibling-secret-"] {
        let reply = api
            .try_send(Method::GET, &path, &[("x-result-secret", wrong)], "")
            .await
            .unwrap();
        reply.expect_error(401, "unauthenticated");
    }
    let reply = api
        .try_send(
            Method::GET,
            &path,
            &[("x-result-secret", "sibling-secret")],
            "",
        )
        .await
        .unwrap();
    assert_eq!(reply.expect(200)["answer"], "MAISON");
    let recorded = api.record(&id, None).await.expect(201);
    assert_eq!(
        (&recorded["player"], &recorded["mode"]),
        (&json!("alice"), &json!("practice"))
    );
}
