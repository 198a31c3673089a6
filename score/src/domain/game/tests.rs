use super::*;

fn body() -> ResultBody {
    serde_json::from_value(serde_json::json!({
        "game_id": "g1", "player": "Zoe", "mode": "daily", "date": "2026-11-26",
        "length": 7, "won": true, "tries": 3, "answer": "BONJOUR", "finished_at": 1_790_000_000u64
    }))
    .unwrap()
}

#[test]
fn game_ids_are_url_safe() {
    assert!(GameId::parse("abc-DEF_123").is_ok());
    for bad in ["", "a/b", "a b", "é", &"x".repeat(65), "../x"] {
        assert_eq!(GameId::parse(bad), Err(GameIdError), "{bad:?}");
    }
}

#[test]
fn a_consistent_result_becomes_a_finished_game() {
    let game = FinishedGame::from_result(&GameId::parse("g1").unwrap(), body()).unwrap();
    assert_eq!(game.player.key(), "zoe");
    assert_eq!(game.points(), 10 * 7 * 4);
}

#[test]
fn an_abandoned_daily_is_a_loss_with_the_tries_it_had_even_none() {
    let id = GameId::parse("g1").unwrap();
    for tries in [0, 5] {
        let mut abandoned = body();
        (abandoned.won, abandoned.abandoned, abandoned.tries) = (false, true, tries);
        let game = FinishedGame::from_result(&id, abandoned).unwrap();
        assert_eq!((game.abandoned, game.points()), (true, 0));
    }
}

#[test]
fn practice_games_earn_no_points() {
    let mut practice = body();
    practice.mode = Mode::Practice;
    let game = FinishedGame::from_result(&GameId::parse("g1").unwrap(), practice).unwrap();
    assert_eq!(game.points(), 0);
}

#[test]
fn inconsistent_results_are_refused() {
    let id = GameId::parse("g1").unwrap();
    let other = GameId::parse("g2").unwrap();
    assert!(FinishedGame::from_result(&other, body()).is_err());
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
    let mut nobody = body();
    nobody.player = "".into();
    assert!(FinishedGame::from_result(&id, nobody).is_err());
}
