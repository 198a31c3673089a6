//! motus's public API through the real host: daily and practice games, guesses and their marks,
//! results, the daily outline and the seed's `POST /motus/guess` route.

use e2e::api::{id_of, planted, tries_of, Api, Session};
use e2e::TestHost;
use reqwest::Method;
use serde_json::{json, Value};

/// Every answer is planted (one per length), so a game's length tells its answer.
async fn start() -> (TestHost, Api) {
    e2e::start_planted("spin.toml").await
}

async fn start_with_player() -> (TestHost, Api, Session) {
    let (app, api) = start().await;
    let alice = api.register("alice").await;
    (app, api, alice)
}

fn is_paris_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && text.replace('-', "").bytes().all(|c| c.is_ascii_digit())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_daily_outline_is_public_and_hides_the_word() {
    let (_app, api) = start().await;

    let outline = api.get("/motus/daily", None).await.expect(200);

    assert!(
        is_paris_date(outline["date"].as_str().unwrap()),
        "{outline}"
    );
    let length = outline["length"].as_u64().unwrap();
    let word = planted(length).word;
    assert_eq!(outline["first_letter"], &word[..1]);
    assert_eq!(
        outline.as_object().unwrap().len(),
        3,
        "only date, length, first letter: {outline}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_player_gets_one_daily_game_per_day_and_resumes_it() {
    let (_app, api, alice) = start_with_player().await;
    let outline = api.get("/motus/daily", None).await.expect(200);
    let word = planted(outline["length"].as_u64().unwrap());

    let created = api.new_game_reply(&alice, "daily", None).await;
    let first = created.expect(201);
    api.guess(&alice, &id_of(&first), word.misses[0])
        .await
        .expect(200);
    let again = api.new_game_reply(&alice, "daily", None).await.expect(200);

    let id = id_of(&first);
    assert_eq!(
        created.header("location"),
        Some(format!("/motus/games/{id}").as_str())
    );
    assert_eq!(first["mode"], "daily");
    assert_eq!(first["date"], outline["date"]);
    assert_eq!(first["length"], outline["length"]);
    assert_eq!(first["first_letter"], outline["first_letter"]);
    assert_eq!(first["max_tries"], 6);
    assert_eq!(first["status"], "playing");
    assert_eq!(first["guesses"], json!([]));
    assert!(first.get("answer").is_none(), "{first}");
    assert_eq!(id_of(&again), id, "the same game");
    assert_eq!(tries_of(&again), 1, "with its guesses");
    let bob = api.register("bob").await;
    let other = api.new_game_reply(&bob, "daily", None).await.expect(201);
    assert_ne!(id_of(&other), id, "one daily game per player");
    assert_eq!(
        other["length"], first["length"],
        "the same word for everyone"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn practice_games_have_the_requested_length_and_are_unlimited() {
    let (_app, api, alice) = start_with_player().await;

    let mut ids = Vec::new();
    for length in [6, 7, 8, 9, 10, 6] {
        let game = api.practice(&alice, length).await;
        assert_eq!(
            (game["mode"].as_str(), game["length"].as_u64()),
            (Some("practice"), Some(length)),
            "{game}"
        );
        assert_eq!(game["first_letter"], &planted(length).word[..1]);
        ids.push(id_of(&game));
    }
    let any = api
        .new_game_reply(&alice, "practice", None)
        .await
        .expect(201);

    assert!((6..=10).contains(&any["length"].as_u64().unwrap()), "{any}");
    ids.push(id_of(&any));
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 7, "every practice game is new");
}

#[tokio::test(flavor = "multi_thread")]
async fn new_games_refuse_invalid_modes_and_lengths() {
    let (_app, api, alice) = start_with_player().await;
    let cases = [
        (
            json!({ "mode": "practice", "length": 5 }),
            400,
            "invalid_length",
        ),
        (
            json!({ "mode": "practice", "length": 11 }),
            400,
            "invalid_length",
        ),
        (
            json!({ "mode": "practice", "length": 0 }),
            400,
            "invalid_length",
        ),
        (
            json!({ "mode": "practice", "length": -1 }),
            400,
            "invalid_json",
        ),
        (
            json!({ "mode": "practice", "length": "six" }),
            400,
            "invalid_json",
        ),
        (
            json!({ "mode": "practice", "length": 6.5 }),
            400,
            "invalid_json",
        ),
        (json!({ "mode": "marathon" }), 400, "invalid_json"),
        (json!({ "mode": "DAILY" }), 400, "invalid_json"),
        (json!({}), 400, "invalid_json"),
        (
            json!({ "mode": "practice", "extra": true }),
            400,
            "invalid_json",
        ),
    ];

    for (body, status, code) in cases {
        let reply = api.post("/motus/games", alice.token(), body.clone()).await;
        assert_eq!(
            (reply.status, reply.error_code().as_str()),
            (status, code),
            "{body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_length_without_any_answer_is_unprocessable() {
    let (_app, api) = TestHost::builder("spin.toml")
        .variable("answer_words", "MAISON")
        .start_with_api()
        .await;
    let alice = api.register("alice").await;

    let reply = api.new_game_reply(&alice, "practice", Some(8)).await;

    reply.expect_error(422, "no_answer_for_length");
}

#[tokio::test(flavor = "multi_thread")]
async fn guesses_are_marked_with_each_letter_counted_at_most_as_often_as_it_occurs() {
    let (_app, api, alice) = start_with_player().await;
    let id = id_of(&api.practice(&alice, 6).await);

    // MOUTON against MAISON: the second O has no O left to match once the exact one is taken.
    api.guess(&alice, &id, "MOUTON").await.expect(200);
    let game = api.guess(&alice, &id, "MANGER").await.expect(200);

    let marks = |i: usize| game["guesses"][i]["marks"].clone();
    assert_eq!(game["guesses"][0]["word"], "MOUTON");
    assert_eq!(
        marks(0),
        json!(["correct", "absent", "absent", "absent", "correct", "correct"])
    );
    assert_eq!(
        marks(1),
        json!(["correct", "correct", "present", "absent", "absent", "absent"])
    );
    assert_eq!(game["status"], "playing");
}

#[tokio::test(flavor = "multi_thread")]
async fn rejected_guesses_give_the_reason_and_use_no_try() {
    let (_app, api, alice) = start_with_player().await;
    let id = id_of(&api.practice(&alice, 6).await);
    let cases = [
        ("MAISONS", "wrong_length"),
        ("MAISO", "wrong_length"),
        ("", "invalid_word"),
        ("BATEAU", "wrong_first_letter"),
        ("MZZZZZ", "not_in_dictionary"),
        ("M41SON", "invalid_word"),
        ("MAI ON", "invalid_word"),
        ("MAIS-N", "invalid_word"),
    ];

    for (word, code) in cases {
        let reply = api.guess(&alice, &id, word).await;
        assert_eq!(
            (reply.status, reply.error_code().as_str()),
            (422, code),
            "{word:?}"
        );
    }

    let game = api.game(&alice, &id).await.expect(200);
    assert_eq!(tries_of(&game), 0, "{game}");
    let game = api.play(&alice, &id, &planted(6).script(Some(6))).await;
    assert_eq!(
        (game["status"].as_str(), tries_of(&game)),
        (Some("won"), 6),
        "all six tries were left"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn guesses_are_folded_to_plain_capitals() {
    let (_app, api, alice) = start_with_player().await;
    let id = id_of(&api.practice(&alice, 6).await);

    let game = api.guess(&alice, &id, "moûton").await.expect(200);
    let won = api.guess(&alice, &id, "Maïson").await.expect(200);

    assert_eq!(game["guesses"][0]["word"], "MOUTON");
    assert_eq!(won["guesses"][1]["word"], "MAISON");
    assert_eq!(won["status"], "won");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_won_game_shows_its_answer_is_recorded_and_takes_no_more_guesses() {
    let (_app, api, alice) = start_with_player().await;
    let id = id_of(&api.practice(&alice, 7).await);

    let game = api.play(&alice, &id, &planted(7).script(Some(2))).await;

    assert_eq!(game["status"], "won");
    assert_eq!(game["answer"], "BATEAUX");
    assert_eq!(game["recorded"], true, "motus handed it to score");
    assert_eq!(game["guesses"][1]["marks"], json!(vec!["correct"; 7]));
    api.guess(&alice, &id, "BATEAUX")
        .await
        .expect_error(409, "game_over");
    assert_eq!(
        api.game(&alice, &id).await.expect(200),
        game,
        "unchanged by the refused guess"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn six_misses_lose_the_game_and_reveal_the_answer() {
    let (_app, api, alice) = start_with_player().await;
    let id = id_of(&api.practice(&alice, 8).await);
    let word = planted(8);

    let game = api.play(&alice, &id, &word.script(None)).await;

    assert_eq!(
        (game["status"].as_str(), tries_of(&game)),
        (Some("lost"), 6)
    );
    assert_eq!(game["answer"], word.word);
    api.guess(&alice, &id, word.word)
        .await
        .expect_error(409, "game_over");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_result_is_served_only_once_the_game_is_over() {
    let (_app, api, alice) = start_with_player().await;
    let game = api.practice(&alice, 9).await;
    let id = id_of(&game);

    api.result(&id, Some(&alice))
        .await
        .expect_error(409, "game_not_finished");
    api.play(&alice, &id, &planted(9).script(Some(3))).await;
    let result = api.result(&id, Some(&alice)).await.expect(200);

    assert_eq!(result["game_id"], id.as_str());
    assert_eq!(result["player"], "alice");
    assert_eq!(result["mode"], "practice");
    assert_eq!(result["date"], game["date"]);
    assert_eq!(result["length"], 9);
    assert_eq!(result["won"], true);
    assert_eq!(result["tries"], 3);
    assert_eq!(result["answer"], "ABANDONNE");
    assert!(result["finished_at"].as_u64().is_some(), "{result}");
    for unknown in [
        "0123456789abcdef0123456789abcdef",
        "nope",
        "0123456789ABCDEF0123456789ABCDEF",
    ] {
        api.result(unknown, Some(&alice))
            .await
            .expect_error(404, "not_found");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_seed_route_plays_in_the_current_game_or_todays_daily() {
    let (_app, api, alice) = start_with_player().await;
    let outline = api.get("/motus/daily", None).await.expect(200);
    let daily_word = planted(outline["length"].as_u64().unwrap());

    let daily = api
        .post(
            "/motus/guess",
            alice.token(),
            json!({ "word": daily_word.misses[0] }),
        )
        .await
        .expect(200);
    let practice = api.practice(&alice, 10).await;
    let in_practice = api
        .post(
            "/motus/guess",
            alice.token(),
            json!({ "word": "champignon" }),
        )
        .await
        .expect(200);

    assert_eq!(
        (daily["mode"].as_str(), tries_of(&daily)),
        (Some("daily"), 1),
        "{daily}"
    );
    assert_eq!(id_of(&in_practice), id_of(&practice));
    assert_eq!(in_practice["status"], "won");
    let resumed = api.new_game_reply(&alice, "daily", None).await.expect(200);
    assert_eq!((id_of(&resumed), tries_of(&resumed)), (id_of(&daily), 1));
    // Once the practice game is over the seed route goes back to today's daily game.
    let next = api
        .post(
            "/motus/guess",
            alice.token(),
            json!({ "word": daily_word.misses[1] }),
        )
        .await
        .expect(200);
    assert_eq!((id_of(&next), tries_of(&next)), (id_of(&daily), 2));
    api.post("/motus/guess", alice.token(), json!({ "word": "X" }))
        .await
        .expect_error(422, "wrong_length");
    api.post("/motus/guess", alice.token(), json!({ "mot": "X" }))
        .await
        .expect_error(400, "invalid_json");
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_motus_routes_and_wrong_methods_answer_in_json() {
    let (_app, api, alice) = start_with_player().await;
    let id = id_of(&api.practice(&alice, 6).await);
    let cases: Vec<(Method, String, u16, Option<&str>)> = vec![
        (Method::GET, "/motus/games".into(), 405, Some("POST")),
        (
            Method::DELETE,
            format!("/motus/games/{id}"),
            405,
            Some("GET"),
        ),
        (
            Method::GET,
            format!("/motus/games/{id}/guesses"),
            405,
            Some("POST"),
        ),
        (
            Method::POST,
            format!("/motus/games/{id}/result"),
            405,
            Some("GET"),
        ),
        (Method::GET, "/motus/guess".into(), 405, Some("POST")),
        (Method::POST, "/motus/daily".into(), 405, Some("GET")),
        (Method::GET, "/motus/nowhere".into(), 404, None),
        (Method::GET, "/motus/games/not-an-id".into(), 404, None),
        (Method::GET, format!("/motus/games/{id}/x/y"), 404, None),
    ];

    for (method, path, status, allow) in cases {
        let reply = api
            .send(
                method.clone(),
                &path,
                alice.token(),
                Some("application/json"),
                "{}",
            )
            .await;
        assert_eq!(reply.status, status, "{method} {path}: {}", reply.text);
        reply.error_code();
        assert_eq!(reply.header("allow"), allow, "{method} {path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn game_answers_are_not_cached() {
    let (_app, api, alice) = start_with_player().await;
    let id = id_of(&api.practice(&alice, 6).await);

    let reply = api.game(&alice, &id).await;

    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let _: Value = reply.expect(200);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_players_unfinished_games_are_listed_most_recent_first_without_their_answers() {
    let (_app, api, alice) = start_with_player().await;
    let bob = api.register("bob").await;
    let daily = api.new_game_reply(&alice, "daily", None).await.expect(201);
    let won = api.practice(&alice, 7).await;
    let word = planted(7);
    api.play(&alice, &id_of(&won), &[word.word]).await;
    let practice = api.practice(&alice, 6).await;
    let id = id_of(&practice);
    api.play(&alice, &id, &planted(6).misses[..2]).await;
    api.practice(&bob, 8).await;

    let open = api
        .get("/motus/games/open", Some(&alice.token))
        .await
        .expect(200);

    let games = open["games"].as_array().unwrap();
    let ids: Vec<_> = games.iter().map(id_of).collect();
    assert_eq!(ids, [id.clone(), id_of(&daily)], "{open}");
    assert_eq!(open["current"], id.as_str(), "left off in practice: {open}");
    assert_eq!(games[0]["guesses"].as_array().unwrap().len(), 2);
    assert!(games.iter().all(|g| g.get("answer").is_none()), "{open}");
    let text = open.to_string();
    for answer in [
        planted(6).word,
        planted(daily["length"].as_u64().unwrap()).word,
    ] {
        assert!(!text.contains(answer), "{answer} leaked: {open}");
    }
    api.get("/motus/games/open", None)
        .await
        .expect_error(401, "unauthenticated");
}
