//! "Défier un ami" through the real host: a finished practice game's word offered through a
//! link, played by a friend as a normal game, compared once both have played. The link can be
//! neither read nor altered, the word shows in no answer to the friend before their game ends,
//! and challenge games never reach score.

use e2e::api::{id_of, planted, Api, Reply, Session};
use e2e::concurrent::{at_once, statuses};
use e2e::TestHost;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Seven letters: the planted BATEAUX.
const LENGTH: u64 = 7;

struct Challenge {
    _app: TestHost,
    api: Api,
    alice: Session,
    bob: Session,
    /// Alice's practice game, won in two tries.
    source: String,
    id: String,
}

/// Alice wins a practice game in two tries and offers it; Bob has an account.
async fn offered() -> Challenge {
    let (app, api) = e2e::start_planted("spin.toml").await;
    let alice = api.register("alice").await;
    let bob = api.register("bob").await;
    let source = id_of(&api.practice(&alice, LENGTH).await);
    let won = api
        .play(&alice, &source, &planted(LENGTH).script(Some(2)))
        .await;
    assert_eq!(won["status"], "won", "{won}");
    let made = offer(&api, &alice, &source).await;
    let body = made.expect(201);
    let id = body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        made.header("location"),
        Some(format!("/motus/challenges/{id}").as_str())
    );
    Challenge {
        _app: app,
        api,
        alice,
        bob,
        source,
        id,
    }
}

async fn offer(api: &Api, who: &Session, game: &str) -> Reply {
    let body = json!({ "game_id": game });
    api.post("/motus/challenges", who.token(), body).await
}

impl Challenge {
    async fn page(&self, who: &Session) -> Reply {
        let path = format!("/motus/challenges/{}", self.id);
        self.api.get(&path, who.token()).await
    }

    async fn take_up(&self, who: &Session) -> Reply {
        let path = format!("/motus/challenges/{}/games", self.id);
        self.api.post(&path, who.token(), Value::Null).await
    }
}

/// Fails if the planted word is anywhere in `reply`'s body.
#[track_caller]
fn hides_the_word(reply: &Reply) {
    let text = reply.json().to_string();
    assert!(
        !text.contains(planted(LENGTH).word),
        "{} leaks the word: {text}",
        reply.status
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_friend_plays_the_same_word_and_both_then_see_each_others_result() {
    let c = offered().await;
    let link = c.id.as_str();
    assert_eq!(link.len(), 32, "128 random bits in hex, nothing else");
    assert!(!link.to_uppercase().contains(planted(LENGTH).word));

    let visit = c.page(&c.bob).await.expect(200);
    assert_eq!(visit["role"], "visitor");
    assert_eq!(visit["creator"], "alice");
    assert_eq!(visit["length"], LENGTH);
    assert_eq!(visit["first_letter"], "B");
    assert!(visit.get("results").is_none(), "{visit}");

    let started = c.take_up(&c.bob).await;
    let game = started.expect(201);
    assert_eq!(game["mode"], "challenge");
    assert_eq!(game["challenge"], link);
    assert_eq!(
        (game["length"].clone(), game["max_tries"].clone()),
        (json!(LENGTH), json!(6))
    );
    let id = id_of(&game);
    let script = planted(LENGTH).script(Some(3));
    let won = c.api.play(&c.bob, &id, &script).await;
    assert_eq!(won["status"], "won", "{won}");
    assert_eq!(won["answer"], planted(LENGTH).word);

    let bobs_view = c.page(&c.bob).await.expect(200);
    assert_eq!(bobs_view["role"], "player");
    assert_eq!(bobs_view["answer"], planted(LENGTH).word);
    let alices_view = c.page(&c.alice).await.expect(200);
    assert_eq!(alices_view["role"], "creator");
    assert_eq!(alices_view["game"], c.source.as_str());
    for view in [&bobs_view, &alices_view] {
        let results: Vec<_> = view["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["player"].clone(), r["status"].clone(), r["tries"].clone()))
            .collect();
        assert_eq!(
            results,
            vec![
                (json!("alice"), json!("won"), json!(2)),
                (json!("bob"), json!("won"), json!(3)),
            ]
        );
        let grid = &view["results"][1]["marks"];
        assert_eq!(grid.as_array().unwrap().len(), 3);
        assert!(
            grid[2].as_array().unwrap().iter().all(|m| m == "correct"),
            "{grid}"
        );
        assert!(
            !view["results"].to_string().contains(script[0]),
            "the others' words are never shown"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tampered_or_made_up_link_is_refused() {
    let c = offered().await;
    let mut flipped = c.id.clone().into_bytes();
    flipped[31] = if flipped[31] == b'0' { b'1' } else { b'0' };
    let flipped = String::from_utf8(flipped).unwrap();
    let links = [
        flipped,
        c.id.to_uppercase(),
        c.id[..31].to_owned(),
        format!("{}0", c.id),
        c.source.clone(),
        "00000000000000000000000000000000".to_owned(),
    ];
    for link in links {
        let page = format!("/motus/challenges/{link}");
        c.api
            .get(&page, c.bob.token())
            .await
            .expect_error(404, "not_found");
        c.api
            .post(&format!("{page}/games"), c.bob.token(), Value::Null)
            .await
            .expect_error(404, "not_found");
    }
    let open = c
        .api
        .get("/motus/games/open", c.bob.token())
        .await
        .expect(200);
    assert_eq!(open["games"], json!([]), "no game was started");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_answer_shows_in_no_answer_to_the_friend_before_their_game_ends() {
    let c = offered().await;
    let mut replies = vec![c.page(&c.bob).await];
    let started = c.take_up(&c.bob).await;
    let id = id_of(&started.expect(201));
    replies.push(started);
    let misses = planted(LENGTH).misses;
    for word in &misses[..5] {
        replies.push(c.api.guess(&c.bob, &id, word).await);
        replies.push(c.page(&c.bob).await);
        replies.push(c.api.game(&c.bob, &id).await);
        replies.push(c.api.get("/motus/games/open", c.bob.token()).await);
        replies.push(c.take_up(&c.bob).await);
    }
    replies.push(c.api.result(&id, Some(&c.bob)).await);
    replies.push(c.api.record(&id, Some(&c.bob)).await);
    for reply in &replies {
        hides_the_word(reply);
    }
    let codes: BTreeSet<u16> = replies.iter().map(|r| r.status).collect();
    assert_eq!(codes, BTreeSet::from([200, 201, 404, 409]), "{codes:?}");

    let lost = c.api.guess(&c.bob, &id, misses[5]).await.expect(200);
    assert_eq!(lost["status"], "lost");
    assert_eq!(lost["answer"], planted(LENGTH).word);
    let page = c.page(&c.bob).await.expect(200);
    assert_eq!(page["answer"], planted(LENGTH).word);
    assert_eq!(page["results"][1]["tries"], 6);
}

#[tokio::test(flavor = "multi_thread")]
async fn challenge_games_never_reach_score_nor_the_daily_leaderboard() {
    let c = offered().await;
    let id = id_of(&c.take_up(&c.bob).await.expect(201));
    let won = c
        .api
        .play(&c.bob, &id, &planted(LENGTH).script(Some(1)))
        .await;
    assert_eq!(won["status"], "won");
    assert!(won.get("recorded").is_none(), "{won}");

    c.api
        .record(&id, Some(&c.bob))
        .await
        .expect_error(409, "game_not_finished");
    c.api
        .result(&id, Some(&c.bob))
        .await
        .expect_error(404, "not_found");
    let stats = c.api.stats("bob").await;
    assert_eq!(stats["played"], 0, "{stats}");
    assert_eq!(stats["practice"]["played"], 0, "{stats}");
    for period in ["day", "week", "all"] {
        let board = c.api.leaderboard(period).await;
        assert!(!board.to_string().contains("\"bob\""), "{period}: {board}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn only_ones_own_finished_practice_game_can_be_offered_and_not_to_oneself() {
    let c = offered().await;
    c.take_up(&c.alice).await.expect_error(409, "own_challenge");
    offer(&c.api, &c.bob, &c.source)
        .await
        .expect_error(404, "not_found");
    let again = offer(&c.api, &c.alice, &c.source).await.expect(200);
    assert_eq!(again["id"], c.id.as_str(), "one challenge per game");

    let playing = id_of(&c.api.practice(&c.alice, 6).await);
    offer(&c.api, &c.alice, &playing)
        .await
        .expect_error(409, "game_not_finished");
    let daily = c
        .api
        .new_game_reply(&c.alice, "daily", None)
        .await
        .expect(201);
    let length = daily["length"].as_u64().unwrap();
    let daily = id_of(&daily);
    c.api
        .play(&c.alice, &daily, &planted(length).script(Some(1)))
        .await;
    offer(&c.api, &c.alice, &daily)
        .await
        .expect_error(422, "not_challengeable");
    let bobs = id_of(&c.take_up(&c.bob).await.expect(201));
    c.api
        .play(&c.bob, &bobs, &planted(LENGTH).script(Some(1)))
        .await;
    offer(&c.api, &c.bob, &bobs)
        .await
        .expect_error(422, "not_challengeable");
    c.api
        .post("/motus/challenges", None, json!({ "game_id": c.source }))
        .await
        .expect_error(401, "unauthenticated");
    c.api
        .send(
            Method::GET,
            &format!("/motus/challenges/{}", c.id),
            None,
            None,
            Vec::new(),
        )
        .await
        .expect_error(401, "unauthenticated");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_friend_taking_it_up_many_times_at_once_gets_one_game() {
    let c = Arc::new(offered().await);
    let replies = at_once(8, |_| {
        let c = c.clone();
        async move { c.take_up(&c.bob).await }
    })
    .await;
    assert_eq!(
        statuses(&replies),
        BTreeMap::from([(200, 7), (201, 1)]),
        "{:?}",
        replies.iter().map(Reply::json).collect::<Vec<_>>()
    );
    let ids: BTreeSet<String> = replies.iter().map(|r| id_of(&r.json())).collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    let page = c.page(&c.bob).await.expect(200);
    assert_eq!(page["players"], 2);
    let open = c
        .api
        .get("/motus/games/open", c.bob.token())
        .await
        .expect(200);
    assert_eq!(open["games"].as_array().unwrap().len(), 1, "{open}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_creator_takes_the_challenge_away() {
    let c = offered().await;
    c.take_up(&c.bob).await.expect(201);
    c.api
        .json(
            Method::DELETE,
            "/auth/me",
            c.alice.token(),
            json!({ "password": e2e::api::PASSWORD }),
        )
        .await
        .expect(204);
    c.page(&c.bob).await.expect_error(404, "not_found");
    c.take_up(&c.bob).await.expect_error(404, "not_found");
}
