use super::*;
use crate::testing::{game_id, id};

fn body() -> ResultBody {
    serde_json::from_value(serde_json::json!({
        "game_id": game_id("g1"), "player": "Zoe", "mode": "daily", "date": "2026-11-26",
        "length": 7, "won": true, "tries": 3, "answer": "BONJOUR", "finished_at": 1_790_000_000u64
    }))
    .unwrap()
}

#[test]
fn a_consistent_result_becomes_a_finished_game() {
    let game = FinishedGame::from_result(&id("g1"), body()).unwrap();
    assert_eq!(game.player.key(), "zoe");
    assert_eq!(game.points(), 10 * 7 * 4);
}

#[test]
fn an_abandoned_daily_is_a_loss_with_the_tries_it_had_even_none() {
    for tries in [0, 5] {
        let mut abandoned = body();
        (abandoned.won, abandoned.abandoned, abandoned.tries) = (false, true, tries);
        let game = FinishedGame::from_result(&id("g1"), abandoned).unwrap();
        assert_eq!((game.abandoned, game.points()), (true, 0));
    }
}

#[test]
fn practice_games_earn_no_points() {
    let mut practice = body();
    practice.mode = Mode::Practice;
    let game = FinishedGame::from_result(&id("g1"), practice).unwrap();
    assert_eq!(game.points(), 0);
}

#[test]
fn inconsistent_results_are_refused() {
    let id = id("g1");
    assert!(FinishedGame::from_result(&crate::testing::id("g2"), body()).is_err());
    let mut short = body();
    short.length = 5;
    assert!(FinishedGame::from_result(&id, short).is_err());
    let mut seven = body();
    seven.tries = 7;
    assert!(FinishedGame::from_result(&id, seven).is_err());
    let mut short_loss = body();
    (short_loss.won, short_loss.tries) = (false, 3);
    assert!(FinishedGame::from_result(&id, short_loss).is_err());
    let mut abandoned_win = body();
    abandoned_win.abandoned = true;
    assert!(FinishedGame::from_result(&id, abandoned_win).is_err());
    let mut abandoned_practice = body();
    (abandoned_practice.won, abandoned_practice.abandoned) = (false, true);
    abandoned_practice.mode = Mode::Practice;
    assert!(FinishedGame::from_result(&id, abandoned_practice).is_err());
}

#[test]
fn a_result_naming_no_valid_player_or_game_does_not_even_read() {
    for (field, value) in [("player", ""), ("player", "zoé"), ("game_id", "g1")] {
        let mut raw = serde_json::json!({
            "game_id": game_id("g1"), "player": "Zoe", "mode": "daily", "date": "2026-11-26",
            "length": 7, "won": true, "tries": 3, "answer": "BONJOUR", "finished_at": 0
        });
        raw[field] = value.into();
        assert!(
            serde_json::from_value::<ResultBody>(raw).is_err(),
            "{field}: {value}"
        );
    }
}
