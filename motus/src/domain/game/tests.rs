//! A game's rules: guesses, endings, what is shown, what is stored.

use super::*;
use crate::domain::dictionary::WordList;
use serde_json::json;

const NOW: i64 = 1_700_000_000;

fn word(text: &str) -> Word {
    Word::parse(text).unwrap()
}

fn guess(text: &str) -> Guess {
    Guess::parse(text).unwrap()
}

fn words(list: &str) -> WordList {
    WordList::parse(list).unwrap()
}

fn game(answer: &str) -> Game {
    Game::new(NewGame {
        id: GameId::from_random([7; 16]),
        player: PlayerName::parse("alice").unwrap(),
        mode: Mode::Practice,
        date: "2024-05-01".parse().unwrap(),
        answer: word(answer),
        now: NOW,
    })
}

/// Valid words: a few real ones starting with M, plus the answer.
fn play(game: &mut Game, text: &str) -> Result<Status, Rejection> {
    let valid = words("MAISON,MOUTON,MARCHE,MIROIR,MELONS,MOULIN,MAISONS");
    let answers = WordList::default();
    let dictionary = Dictionary::new(&valid, &answers, WordList::default());
    game.play(&guess(text), &dictionary, NOW + 60)
}

#[test]
fn a_new_game_is_playing_with_no_guesses() {
    let g = game("MAISON");
    assert_eq!(g.status(), Status::Playing);
    assert_eq!(g.view().guesses.len(), 0);
    assert_eq!(g.first_letter(), 'M');
    assert_eq!(g.length(), 6);
}

#[test]
fn guessing_the_answer_wins() {
    let mut g = game("MAISON");
    assert_eq!(play(&mut g, "mouton"), Ok(Status::Playing));
    assert_eq!(play(&mut g, "maison"), Ok(Status::Won));
    assert_eq!(g.result().unwrap().tries, 2);
    assert_eq!(g.result().unwrap().finished_at, NOW + 60);
}

#[test]
fn six_wrong_guesses_lose() {
    let mut g = game("MAISON");
    for (i, w) in ["MOUTON", "MARCHE", "MIROIR", "MELONS", "MOULIN"]
        .iter()
        .enumerate()
    {
        assert_eq!(play(&mut g, w), Ok(Status::Playing), "try {}", i + 1);
    }
    assert_eq!(play(&mut g, "MOUTON"), Ok(Status::Lost));
    assert!(!g.result().unwrap().won);
    assert_eq!(g.result().unwrap().tries, 6);
}

#[test]
fn winning_on_the_last_try_is_a_win() {
    let mut g = game("MAISON");
    for _ in 0..5 {
        play(&mut g, "MOUTON").unwrap();
    }
    assert_eq!(play(&mut g, "MAISON"), Ok(Status::Won));
}

#[test]
fn a_finished_game_refuses_further_guesses() {
    let mut g = game("MAISON");
    play(&mut g, "MAISON").unwrap();
    assert_eq!(play(&mut g, "MOUTON"), Err(Rejection::GameOver));
    assert_eq!(play(&mut g, "xx"), Err(Rejection::GameOver));
    assert_eq!(g.result().unwrap().tries, 1);
}

#[test]
fn invalid_guesses_are_rejected_with_a_reason_and_cost_no_try() {
    let cases = [
        (
            "MAISONS",
            Rejection::WrongLength {
                expected: 6,
                got: 7,
            },
        ),
        (
            "MAI",
            Rejection::WrongLength {
                expected: 6,
                got: 3,
            },
        ),
        ("BATEAU", Rejection::WrongFirstLetter { expected: 'M' }),
        ("MZZZZZ", Rejection::NotInDictionary),
    ];
    for (text, rejection) in cases {
        let mut g = game("MAISON");
        let before = g.clone();
        assert_eq!(play(&mut g, text), Err(rejection.clone()), "{text}");
        assert_eq!(g, before, "{text} changed the game");
    }
}

#[test]
fn the_answer_is_always_accepted_even_if_missing_from_the_dictionary() {
    let mut g = game("MZZZZZ");
    assert_eq!(play(&mut g, "mzzzzz"), Ok(Status::Won));
}

#[test]
fn the_view_hides_the_answer_until_the_game_is_over() {
    let mut g = game("MAISON");
    play(&mut g, "MOUTON").unwrap();
    let playing = serde_json::to_value(g.view()).unwrap();
    assert!(playing.get("answer").is_none());
    assert!(playing.get("recorded").is_none());
    assert!(!playing.to_string().contains("MAISON"));
    assert!(g.result().is_none());

    play(&mut g, "MAISON").unwrap();
    let over = serde_json::to_value(g.view()).unwrap();
    assert_eq!(over["answer"], "MAISON");
    assert_eq!(over["recorded"], false);
}

#[test]
fn the_view_has_the_documented_shape() {
    let mut g = game("MAISON");
    play(&mut g, "MOUTON").unwrap();
    let view = serde_json::to_value(g.view()).unwrap();
    assert_eq!(
        view,
        json!({
            "id": "07".repeat(16),
            "mode": "practice",
            "date": "2024-05-01",
            "length": 6,
            "first_letter": "M",
            "max_tries": 6,
            "guesses": [{"word": "MOUTON", "marks": ["correct", "absent", "absent", "absent", "correct", "correct"]}],
            "status": "playing",
        })
    );
}

#[test]
fn the_result_has_the_contract_fields() {
    let mut g = game("MAISON");
    play(&mut g, "MAISON").unwrap();
    let result = serde_json::to_value(g.result().unwrap()).unwrap();
    assert_eq!(
        result,
        json!({
            "game_id": "07".repeat(16),
            "player": "alice",
            "mode": "practice",
            "date": "2024-05-01",
            "length": 6,
            "won": true,
            "tries": 1,
            "answer": "MAISON",
            "finished_at": NOW + 60,
            "abandoned": false,
        })
    );
}

#[test]
fn recording_is_tracked_only_for_finished_games() {
    let mut g = game("MAISON");
    assert!(!g.needs_recording());
    assert!(!g.mark_recorded());
    play(&mut g, "MAISON").unwrap();
    assert!(g.needs_recording());
    assert!(g.mark_recorded());
    assert!(!g.mark_recorded());
    assert!(!g.needs_recording());
}

#[test]
fn games_round_trip_through_storage() {
    let mut g = game("MAISON");
    play(&mut g, "MOUTON").unwrap();
    let stored = serde_json::to_string(&g).unwrap();
    assert_eq!(serde_json::from_str::<Game>(&stored).unwrap(), g);
}

#[test]
fn stored_games_that_break_the_rules_are_refused() {
    let mut g = game("MAISON");
    play(&mut g, "MAISON").unwrap();
    let mut stored = serde_json::to_value(&g).unwrap();
    stored["guesses"] = json!(["MAISON", "MOUTON"]);
    assert!(serde_json::from_value::<Game>(stored.clone()).is_err());
    stored["guesses"] = json!(["MAISONS"]);
    assert!(serde_json::from_value::<Game>(stored.clone()).is_err());
    stored["guesses"] = json!(vec!["MOUTON"; 7]);
    assert!(serde_json::from_value::<Game>(stored).is_err());
}

#[test]
fn lengths_are_six_to_ten() {
    assert!(Length::new(5).is_err());
    assert!(Length::new(11).is_err());
    assert_eq!(Length::ALL.map(Length::get), [6, 7, 8, 9, 10]);
    assert!(serde_json::from_str::<Length>("11").is_err());
    assert_eq!(serde_json::from_str::<Length>("8").unwrap().get(), 8);
}
