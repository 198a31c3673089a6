//! Offering a word, taking it up, and what each player sees of the others.

use super::*;
use crate::domain::dictionary::{Dictionary, WordList};
use crate::domain::word::Guess;
use serde_json::{json, Value};

const NOW: i64 = 1_700_000_000;

fn name(text: &str) -> PlayerName {
    PlayerName::parse(text).unwrap()
}

fn id(n: u8) -> GameId {
    GameId::from_random([n; 16])
}

fn date() -> Date {
    "2024-05-01".parse().unwrap()
}

fn practice(player: &str, answer: &str) -> Game {
    Game::new(NewGame {
        id: id(1),
        player: name(player),
        mode: Mode::Practice,
        date: date(),
        answer: Word::parse(answer).unwrap(),
        now: NOW,
    })
}

fn play(game: &mut Game, words: &[&str]) {
    let valid = WordList::parse("MAISON,MOUTON,MARCHE,MIROIR").unwrap();
    let none = WordList::default();
    let dictionary = Dictionary::new(&valid, &none, WordList::default());
    for word in words {
        game.play(&Guess::parse(word).unwrap(), &dictionary, NOW + 60)
            .unwrap();
    }
}

/// Alice's practice game on MAISON, won in two tries, offered as a challenge.
fn offered() -> (Challenge, Game) {
    let mut game = practice("alice", "MAISON");
    play(&mut game, &["MOUTON", "MAISON"]);
    let challenge = Challenge::offer(ChallengeId::from_random([9; 16]), &game, NOW).unwrap();
    (challenge, game)
}

fn view(challenge: &Challenge, viewer: &str, games: &[Game]) -> Value {
    serde_json::to_value(challenge.view(&name(viewer), games)).unwrap()
}

#[test]
fn only_a_finished_practice_game_can_be_offered() {
    let cid = || ChallengeId::from_random([9; 16]);
    let unfinished = practice("alice", "MAISON");
    assert_eq!(
        Challenge::offer(cid(), &unfinished, NOW),
        Err(ChallengeError::NotFinished)
    );
    let mut daily = Game::new(NewGame {
        id: id(2),
        player: name("alice"),
        mode: Mode::Daily,
        date: date(),
        answer: Word::parse("MAISON").unwrap(),
        now: NOW,
    });
    play(&mut daily, &["MAISON"]);
    assert_eq!(
        Challenge::offer(cid(), &daily, NOW),
        Err(ChallengeError::NotPractice)
    );
    let (challenge, _) = offered();
    let mut friends = challenge.game_for(id(3), &name("bob"), date(), NOW);
    play(&mut friends, &["MAISON"]);
    assert_eq!(
        Challenge::offer(cid(), &friends, NOW),
        Err(ChallengeError::NotPractice),
        "a friend cannot pass the word on"
    );
}

#[test]
fn a_friend_plays_the_same_word_in_a_challenge_game_of_their_own() {
    let (challenge, _) = offered();
    let game = challenge.game_for(id(3), &name("bob"), date(), NOW);
    assert_eq!(game.mode(), Mode::Challenge);
    assert_eq!(game.challenge(), Some(challenge.id()));
    assert_eq!(game.player(), &name("bob"));
    assert_eq!((game.length(), game.first_letter()), (6, 'M'));
    assert!(!game.needs_recording());
    let shown = serde_json::to_value(game.view()).unwrap();
    assert_eq!(shown["challenge"], json!(challenge.id().as_str()));
    assert!(shown.get("answer").is_none(), "{shown}");
}

#[test]
fn a_finished_challenge_game_is_never_for_score() {
    let (challenge, _) = offered();
    let mut game = challenge.game_for(id(3), &name("bob"), date(), NOW);
    play(&mut game, &["MAISON"]);
    assert!(game.is_over());
    assert!(!game.needs_recording());
    let shown = serde_json::to_value(game.view()).unwrap();
    assert_eq!(shown["answer"], "MAISON");
    assert!(shown.get("recorded").is_none(), "{shown}");
}

#[test]
fn each_friend_is_seated_once_and_the_creator_never() {
    let (mut challenge, _) = offered();
    assert_eq!(
        challenge.take(&name("Alice"), &id(3)),
        Err(ChallengeError::OwnChallenge),
        "whatever the casing"
    );
    assert_eq!(challenge.take(&name("bob"), &id(3)), Ok(Taken::Seated));
    assert_eq!(
        challenge.take(&name("BOB"), &id(4)),
        Ok(Taken::Already(id(3)))
    );
    assert_eq!(challenge.friends().len(), 1);
    assert_eq!(challenge.seat_of(&name("bob")), Some(&id(3)));
    assert_eq!(challenge.seat_of(&name("alice")), Some(challenge.source()));
}

#[test]
fn a_challenge_takes_a_bounded_number_of_friends() {
    let (mut challenge, _) = offered();
    for n in 0..MAX_FRIENDS {
        let friend = name(&format!("friend{n}"));
        assert_eq!(challenge.take(&friend, &id(n as u8)), Ok(Taken::Seated));
    }
    assert_eq!(
        challenge.take(&name("late"), &id(200)),
        Err(ChallengeError::Full)
    );
    assert!(challenge.leave(&name("friend0")));
    assert!(!challenge.leave(&name("friend0")));
    assert_eq!(challenge.take(&name("late"), &id(200)), Ok(Taken::Seated));
}

#[test]
fn a_visitor_sees_who_challenges_and_the_word_outline_but_no_result_nor_answer() {
    let (challenge, source) = offered();
    let shown = view(&challenge, "bob", &[source]);
    assert_eq!(shown["role"], "visitor");
    assert_eq!(shown["creator"], "alice");
    assert_eq!(
        (shown["length"].clone(), shown["first_letter"].clone()),
        (json!(6), json!("M"))
    );
    assert_eq!(shown["game"], Value::Null);
    assert!(
        shown.get("results").is_none() && shown.get("answer").is_none(),
        "{shown}"
    );
    assert!(!shown.to_string().contains("MAISON"));
}

#[test]
fn a_friend_sees_the_results_and_the_answer_only_once_their_game_is_over() {
    let (mut challenge, source) = offered();
    let mut bobs = challenge.game_for(id(3), &name("bob"), date(), NOW);
    challenge.take(&name("bob"), bobs.id()).unwrap();
    play(&mut bobs, &["MOUTON"]);

    let playing = view(&challenge, "bob", &[source.clone(), bobs.clone()]);
    assert_eq!(playing["role"], "player");
    assert_eq!(playing["status"], "playing");
    assert_eq!(playing["game"], json!(id(3).as_str()));
    assert!(playing.get("results").is_none(), "{playing}");
    assert!(!playing.to_string().contains("MAISON"), "{playing}");

    play(&mut bobs, &["MARCHE", "MAISON"]);
    let over = view(&challenge, "bob", &[source, bobs]);
    assert_eq!(over["answer"], "MAISON");
    assert_eq!(over["players"], 2);
    let results = over["results"].as_array().unwrap();
    let summary: Vec<_> = results
        .iter()
        .map(|r| {
            (
                r["player"].clone(),
                r["creator"].clone(),
                r["status"].clone(),
                r["tries"].clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (json!("alice"), json!(true), json!("won"), json!(2)),
            (json!("bob"), json!(false), json!("won"), json!(3)),
        ]
    );
    assert_eq!(results[1]["marks"][2], json!(vec!["correct"; 6]));
    assert!(
        !results[1].to_string().contains("MOUTON"),
        "the others see marks, never words"
    );
}

#[test]
fn the_creator_sees_every_result_including_a_friend_still_playing() {
    let (mut challenge, source) = offered();
    let mut bobs = challenge.game_for(id(3), &name("bob"), date(), NOW);
    challenge.take(&name("bob"), bobs.id()).unwrap();
    play(&mut bobs, &["MOUTON"]);
    let shown = view(&challenge, "alice", &[source, bobs]);
    assert_eq!(shown["role"], "creator");
    assert_eq!(shown["status"], "won");
    assert_eq!(shown["results"][1]["status"], "playing");
    assert_eq!(shown["results"][1]["tries"], 1);
}

#[test]
fn a_game_that_is_not_the_players_seat_is_never_shown() {
    let (mut challenge, source) = offered();
    challenge.take(&name("bob"), &id(3)).unwrap();
    let mut stray = challenge.game_for(id(4), &name("bob"), date(), NOW);
    play(&mut stray, &["MAISON"]);
    let shown = view(&challenge, "alice", &[source, stray]);
    assert_eq!(shown["results"].as_array().unwrap().len(), 1, "{shown}");
}
