//! Many clients at once on one game, one result, and many players: no try is used twice, no game
//! is counted twice, no point is lost. Each scenario runs on SQLite and on Redis.

use e2e::api::{id_of, planted, points, tries_of, Api, Reply, Session};
use e2e::concurrent::{all_at_once, statuses};
use e2e::{Backend, TestHost};
use futures::future::join_all;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

async fn start(manifest: &str, backend: Backend) -> (TestHost, Api) {
    TestHost::builder(manifest)
        .planted()
        .backend(backend)
        .start_with_api()
        .await
}

/// Fires 64 guesses at one game at once; returns the accepted answers and the final game.
async fn guess_storm(api: &Api, who: &Session, words: &[&'static str]) -> (Vec<Value>, Value) {
    let id = id_of(&api.practice(who, 6).await);
    let requests: Vec<&'static str> = (0..64).map(|i| words[i % words.len()]).collect();
    let replies = all_at_once(requests, |word| {
        let (api, who, id) = (api.clone(), who.clone(), id.clone());
        async move { api.guess(&who, &id, word).await }
    })
    .await;
    for reply in &replies {
        match reply.status {
            200 => {}
            409 => assert_eq!(reply.error_code(), "game_over"),
            other => panic!("only 200 or 409 expected, got {other}: {}", reply.text),
        }
    }
    let accepted = replies
        .iter()
        .filter(|r| r.status == 200)
        .map(Reply::json)
        .collect();
    let game = api.game(who, &id).await.expect(200);
    (accepted, game)
}

/// Each accepted guess saw its own state of the game: the k-th one answered with k guesses, the
/// k-th of which is its word.
fn assert_serialised(accepted: &[Value], game: &Value) {
    let mut seen: Vec<usize> = accepted.iter().map(tries_of).collect();
    seen.sort_unstable();
    assert_eq!(
        seen,
        (1..=accepted.len()).collect::<Vec<_>>(),
        "one state per accepted guess"
    );
    for answer in accepted {
        let k = tries_of(answer);
        assert_eq!(
            answer["guesses"].as_array().unwrap()[..],
            game["guesses"].as_array().unwrap()[..k]
        );
    }
}

async fn concurrent_guesses_use_at_most_six_tries(backend: Backend) {
    let (_app, api) = start("spin.toml", backend).await;
    let alice = api.register("alice").await;
    let word = planted(6);

    let (misses_accepted, lost) = guess_storm(&api, &alice, &word.misses).await;
    let mut mixed = word.misses.to_vec();
    mixed.push(word.word);
    let (mixed_accepted, ended) = guess_storm(&api, &alice, &mixed).await;

    assert_eq!(misses_accepted.len(), 6, "exactly six misses accepted");
    assert_eq!(
        (tries_of(&lost), lost["status"].as_str()),
        (6, Some("lost")),
        "{lost}"
    );
    assert_serialised(&misses_accepted, &lost);
    let tries = tries_of(&ended);
    assert_eq!(
        mixed_accepted.len(),
        tries,
        "the game holds exactly the accepted guesses"
    );
    assert!((1..=6).contains(&tries), "{ended}");
    let words: Vec<&str> = ended["guesses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["word"].as_str().unwrap())
        .collect();
    match ended["status"].as_str() {
        Some("won") => assert_eq!(
            words.iter().position(|w| *w == word.word),
            Some(tries - 1),
            "{ended}"
        ),
        Some("lost") => assert!(tries == 6 && !words.contains(&word.word), "{ended}"),
        other => panic!("a 64-guess storm ends the game, got {other:?}"),
    }
    assert_serialised(&mixed_accepted, &ended);
    let stats = api.stats("alice").await;
    assert_eq!(
        stats["practice"]["played"], 2,
        "each game recorded once: {stats}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sixty_four_concurrent_guesses_use_at_most_six_tries_on_sqlite() {
    concurrent_guesses_use_at_most_six_tries(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sixty_four_concurrent_guesses_use_at_most_six_tries_on_redis() {
    concurrent_guesses_use_at_most_six_tries(Backend::Redis).await;
}

/// Motus cannot reach score in this manifest, so the 64 concurrent calls are the first ones.
async fn concurrent_recordings_count_a_game_once(backend: Backend) {
    let (_app, api) = start("e2e/manifests/score-unlinked.toml", backend).await;
    let alice = api.register("alice").await;
    let daily = api.new_game_reply(&alice, "daily", None).await.expect(201);
    let id = id_of(&daily);
    let length = daily["length"].as_u64().unwrap();
    let game = api
        .play(&alice, &id, &planted(length).script(Some(2)))
        .await;
    assert_eq!(game["recorded"], false);
    let due = points(true, length, 2);

    let replies = all_at_once(vec![id.clone(); 64], |id| {
        let (api, alice) = (api.clone(), alice.clone());
        async move { api.record(&id, Some(&alice)).await }
    })
    .await;

    assert_eq!(
        statuses(&replies),
        BTreeMap::from([(200, 63), (201, 1)]),
        "{replies:#?}"
    );
    let expected = json!({ "game_id": id, "player": "alice", "points": due, "won": true, "tries": 2,
                           "mode": "daily", "date": game["date"] });
    for reply in &replies {
        assert_eq!(reply.json(), expected);
    }
    let stats = api.stats("alice").await;
    assert_eq!(
        (&stats["played"], &stats["won"], &stats["total"]),
        (&json!(1), &json!(1), &json!(due)),
        "{stats}"
    );
    assert_eq!(stats["distribution"]["2"], 1);
    let board = api.leaderboard("all").await;
    assert_eq!(
        board["entries"],
        json!([{ "rank": 1, "player": "alice", "points": due, "played": 1, "won": 1 }])
    );
    let history = api.get("/score/alice/history", None).await.expect(200);
    assert_eq!(history["items"].as_array().unwrap().len(), 1, "{history}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sixty_four_concurrent_recordings_count_a_game_once_on_sqlite() {
    concurrent_recordings_count_a_game_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sixty_four_concurrent_recordings_count_a_game_once_on_redis() {
    concurrent_recordings_count_a_game_once(Backend::Redis).await;
}

const PLAYERS: usize = 20;
const GAMES_EACH: usize = 10;

/// How game `j` of player `i` goes: a length and a win at some try, or a loss (`None`). Varied
/// so that totals differ, some tie, and every try count and length appears.
fn plan(i: usize, j: usize) -> (u64, Option<usize>) {
    let length = 6 + ((i + j) % 5) as u64;
    let outcome = match (i * 3 + j * 5) % 8 {
        0 | 7 => None,
        k => Some(k),
    };
    (length, outcome)
}

/// Plays a player's practice games one after the other (players run side by side), then
/// today's daily game (game `GAMES_EACH`, played as `plan` says but at the day's length);
/// returns the game ids.
async fn play_all(api: Api, who: Session, i: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for j in 0..=GAMES_EACH {
        let (length, outcome) = plan(i, j);
        let (id, length) = match j == GAMES_EACH {
            false => (id_of(&api.practice(&who, length).await), length),
            true => {
                let daily = api.new_game_reply(&who, "daily", None).await.expect(201);
                (id_of(&daily), daily["length"].as_u64().unwrap())
            }
        };
        let game = api.play(&who, &id, &planted(length).script(outcome)).await;
        assert_eq!(
            game["status"],
            if outcome.is_some() { "won" } else { "lost" }
        );
        ids.push(id);
    }
    ids
}

#[derive(Default, Debug, Clone, PartialEq)]
struct Tally {
    total: u64,
    played: u64,
    won: u64,
    distribution: BTreeMap<String, u64>,
}

async fn many_players_get_exact_totals(backend: Backend) {
    let (_app, api) = start("e2e/manifests/score-unlinked.toml", backend).await;
    let names: Vec<String> = (0..PLAYERS).map(|i| format!("player{i:02}")).collect();
    let players = api.register_all(&names).await;
    let played = join_all(
        players
            .iter()
            .enumerate()
            .map(|(i, p)| tokio::spawn(play_all(api.clone(), p.clone(), i))),
    )
    .await;
    let games: Vec<(Session, usize, usize, String)> = played
        .into_iter()
        .enumerate()
        .flat_map(|(i, ids)| {
            let who = players[i].clone();
            ids.expect("player task")
                .into_iter()
                .enumerate()
                .map(move |(j, id)| (who.clone(), i, j, id))
        })
        .collect();
    assert_eq!(games.len(), PLAYERS * (GAMES_EACH + 1));

    let replies = all_at_once(games.clone(), |(who, _, _, id)| {
        let api = api.clone();
        async move { api.record(&id, Some(&who)).await }
    })
    .await;

    assert_eq!(
        statuses(&replies),
        BTreeMap::from([(201, PLAYERS * (GAMES_EACH + 1))])
    );
    let mut daily: BTreeMap<String, Tally> = names
        .iter()
        .map(|n| (n.clone(), Tally::default()))
        .collect();
    let mut practice = daily.clone();
    for ((_, i, j, id), reply) in games.iter().zip(&replies) {
        let body = reply.json();
        let (length, outcome) = plan(*i, *j);
        let length = if *j == GAMES_EACH {
            daily_length(&api).await
        } else {
            length
        };
        let is_daily = *j == GAMES_EACH;
        let tries = outcome.unwrap_or(6) as u64;
        // Practice earns no points: only the daily game counts for the leaderboards.
        let due = if is_daily {
            points(outcome.is_some(), length, tries)
        } else {
            0
        };
        assert_eq!(
            (&body["game_id"], &body["player"]),
            (&json!(id), &json!(names[*i]))
        );
        assert_eq!(
            (&body["won"], &body["tries"], &body["points"]),
            (&json!(outcome.is_some()), &json!(tries), &json!(due)),
            "{body}"
        );
        let book = if is_daily { &mut daily } else { &mut practice };
        let tally = book.get_mut(&names[*i]).unwrap();
        tally.total += body["points"].as_u64().unwrap();
        tally.played += 1;
        if outcome.is_some() {
            tally.won += 1;
            *tally.distribution.entry(tries.to_string()).or_insert(0) += 1;
        }
    }
    assert_totals(&api, &daily, &practice).await;

    // Recording everything again, all at once, changes nothing.
    let again = all_at_once(games.clone(), |(who, _, _, id)| {
        let api = api.clone();
        async move { api.record(&id, Some(&who)).await }
    })
    .await;
    assert_eq!(
        statuses(&again),
        BTreeMap::from([(200, PLAYERS * (GAMES_EACH + 1))])
    );
    for (first, repeat) in replies.iter().zip(&again) {
        assert_eq!(first.json(), repeat.json());
    }
    assert_totals(&api, &daily, &practice).await;
}

async fn daily_length(api: &Api) -> u64 {
    let outline = api.get("/motus/daily", None).await.expect(200);
    outline["length"].as_u64().unwrap()
}

/// Compares every player's stats, daily and practice, and every leaderboard (daily games only)
/// with the tallies computed here.
async fn assert_totals(
    api: &Api,
    expected: &BTreeMap<String, Tally>,
    practice: &BTreeMap<String, Tally>,
) {
    let tally_in = |stats: &Value, total: u64| {
        let distribution: BTreeMap<String, u64> = stats["distribution"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
            .filter(|(_, n)| *n > 0)
            .collect();
        Tally {
            total,
            played: stats["played"].as_u64().unwrap(),
            won: stats["won"].as_u64().unwrap(),
            distribution,
        }
    };
    for (name, tally) in expected {
        let stats = api.stats(name).await;
        let got = tally_in(&stats, stats["total"].as_u64().unwrap());
        assert_eq!(&got, tally, "{name}: {stats}");
        let got = tally_in(&stats["practice"], 0);
        assert_eq!(&got, &practice[name], "{name} practice: {stats}");
    }
    // Rank = 1 + players with more points; ties listed by more wins, fewer games, then name.
    let mut order: Vec<(&String, &Tally)> = expected.iter().collect();
    order.sort_by(|(a, x), (b, y)| {
        (y.total, y.won, x.played, a).cmp(&(x.total, x.won, y.played, b))
    });
    let entries: Vec<Value> = order
        .iter()
        .map(|(name, t)| {
            let rank = 1 + expected.values().filter(|o| o.total > t.total).count();
            json!({ "rank": rank, "player": name, "points": t.total, "played": t.played, "won": t.won })
        })
        .collect();
    let ranks: BTreeSet<u64> = entries
        .iter()
        .map(|e| e["rank"].as_u64().unwrap())
        .collect();
    assert!(
        ranks.len() < PLAYERS,
        "the plan should produce some ties: {entries:?}"
    );
    for period in ["all", "week", "day"] {
        let board = api.leaderboard(period).await;
        assert_eq!(board["entries"], json!(entries), "{period}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_hundred_games_of_twenty_players_recorded_at_once_give_exact_totals_on_sqlite() {
    many_players_get_exact_totals(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_hundred_games_of_twenty_players_recorded_at_once_give_exact_totals_on_redis() {
    many_players_get_exact_totals(Backend::Redis).await;
}
