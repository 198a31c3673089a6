//! Starting, reading and playing one game; the daily word and its key.

use super::*;
use crate::app::{DailyOutline, PlayError};
use crate::domain::dictionary::{embedded, WordSource};
use crate::domain::game::{Length, Rejection, Status};
use spin_kit::kv::StoreError;

#[test]
fn a_practice_game_is_created_and_becomes_current() {
    let w = World::default();
    let started = w
        .noon(|m| m.start(&player("alice"), Mode::Practice, None, entropy(1)))
        .unwrap();
    assert!(started.created);
    assert_eq!(started.game.mode(), Mode::Practice);
    let id = started.game.id().clone();
    assert_eq!(
        w.noon(|m| m.store.current(&player("alice"))).unwrap(),
        Some(id)
    );
}

#[test]
fn the_daily_game_is_created_once_per_player_and_day() {
    let w = World::default();
    let alice = player("alice");
    let first = w
        .noon(|m| m.start(&alice, Mode::Daily, None, entropy(1)))
        .unwrap();
    let again = w
        .at(NOON + 3600, |m| {
            m.start(&alice, Mode::Daily, None, entropy(2))
        })
        .unwrap();
    assert!(first.created);
    assert!(!again.created);
    assert_eq!(first.game.id(), again.game.id());
    assert_eq!(first.game.date().to_string(), "2024-05-01");

    let bob = w
        .noon(|m| m.start(&player("bob"), Mode::Daily, None, entropy(3)))
        .unwrap();
    assert!(bob.created);
    assert_ne!(bob.game.id(), first.game.id());

    let tomorrow = w
        .at(NOON + 86_400, |m| {
            m.start(&alice, Mode::Daily, None, entropy(4))
        })
        .unwrap();
    assert!(tomorrow.created);
    assert_eq!(tomorrow.game.date().to_string(), "2024-05-02");
}

#[test]
fn resuming_the_daily_game_makes_it_current_again() {
    let w = World::default();
    let alice = player("alice");
    let daily = w
        .noon(|m| m.start(&alice, Mode::Daily, None, entropy(1)))
        .unwrap();
    w.noon(|m| m.start(&alice, Mode::Practice, None, entropy(2)))
        .unwrap();
    w.noon(|m| m.start(&alice, Mode::Daily, None, entropy(3)))
        .unwrap();
    let current = w.noon(|m| m.store.current(&alice)).unwrap();
    assert_eq!(current.as_ref(), Some(daily.game.id()));
}

#[test]
fn practice_honours_the_requested_length() {
    let w = World::default();
    let length = Length::new(7).unwrap();
    let result = w.answering("MAISON,BATEAUX", NOON, |m| {
        m.start(&player("a1"), Mode::Practice, Some(length), entropy(5))
    });
    assert_eq!(result.unwrap().game.length(), 7);
    let none = w.noon(|m| m.start(&player("a1"), Mode::Practice, Some(length), entropy(5)));
    assert_eq!(none.unwrap_err(), PlayError::NoAnswer);
}

#[test]
fn guesses_are_played_and_saved() {
    let w = World::default();
    let alice = player("alice");
    let id = w.practice(&alice, 1);
    let game = w.noon(|m| m.guess(&alice, &id, &guess("mouton"))).unwrap();
    assert_eq!(game.view().guesses.len(), 1);
    let won = w
        .at(NOON + 5, |m| m.guess(&alice, &id, &guess("maison")))
        .unwrap();
    assert_eq!(won.status(), Status::Won);
    assert_eq!(w.noon(|m| m.game(&alice, &id)).unwrap(), won);
}

#[test]
fn a_rejected_guess_writes_nothing() {
    let w = World::default();
    let alice = player("alice");
    let id = w.practice(&alice, 1);
    let writes = w.kv.writes();
    for bad in ["mzzzzz", "bateau", "maisons"] {
        let err = w.noon(|m| m.guess(&alice, &id, &guess(bad))).unwrap_err();
        assert!(matches!(err, PlayError::Rejected(_)), "{bad}: {err:?}");
    }
    assert_eq!(w.kv.writes(), writes);
}

#[test]
fn other_players_games_are_not_found() {
    let w = World::default();
    let id = w.practice(&player("alice"), 1);
    let mallory = player("mallory");
    assert_eq!(
        w.noon(|m| m.game(&mallory, &id)).unwrap_err(),
        PlayError::NotFound
    );
    assert_eq!(
        w.noon(|m| m.guess(&mallory, &id, &guess("maison")))
            .unwrap_err(),
        PlayError::NotFound
    );
    let unknown = GameId::from_random([0xee; 16]);
    assert_eq!(
        w.noon(|m| m.guess(&mallory, &unknown, &guess("maison")))
            .unwrap_err(),
        PlayError::NotFound
    );
}

#[test]
fn the_seed_route_plays_the_current_game_or_todays_daily() {
    let w = World::default();
    let alice = player("alice");
    // No game yet: the daily game is started and played.
    let daily = w
        .noon(|m| m.guess_current(&alice, &guess("mouton"), entropy(1)))
        .unwrap();
    assert_eq!(daily.mode(), Mode::Daily);
    assert_eq!(daily.view().guesses.len(), 1);
    // A practice game in progress is preferred.
    let practice = w
        .noon(|m| m.start(&alice, Mode::Practice, None, entropy(2)))
        .unwrap()
        .game;
    let played = w
        .noon(|m| m.guess_current(&alice, &guess("maison"), entropy(3)))
        .unwrap();
    assert_eq!(played.id(), practice.id());
    assert_eq!(played.status(), Status::Won);
    // Practice over: back to the daily game, where the earlier guess is still there.
    let back = w
        .noon(|m| m.guess_current(&alice, &guess("marche"), entropy(4)))
        .unwrap();
    assert_eq!(back.id(), daily.id());
    assert_eq!(back.view().guesses.len(), 2);
    // Daily over: the game-over rejection comes through.
    w.noon(|m| m.guess_current(&alice, &guess("maison"), entropy(5)))
        .unwrap();
    let err = w
        .noon(|m| m.guess_current(&alice, &guess("maison"), entropy(6)))
        .unwrap_err();
    assert_eq!(err, PlayError::Rejected(Rejection::GameOver));
}

#[test]
fn results_exist_only_for_finished_games() {
    let w = World::default();
    let alice = player("alice");
    let id = w.practice(&alice, 1);
    assert_eq!(
        w.noon(|m| m.finished(&id, None)).unwrap_err(),
        PlayError::NotFinished
    );
    w.noon(|m| m.guess(&alice, &id, &guess("maison"))).unwrap();
    assert!(w
        .noon(|m| m.finished(&id, None))
        .unwrap()
        .result()
        .is_some());
    let unknown = GameId::from_random([3; 16]);
    assert_eq!(
        w.noon(|m| m.finished(&unknown, None)).unwrap_err(),
        PlayError::NotFound
    );
}

#[test]
fn a_finished_current_game_waits_for_recording_until_marked() {
    let w = World::default();
    let alice = player("alice");
    let id = w.practice(&alice, 1);
    assert!(w.noon(|m| m.unrecorded_current(&alice)).unwrap().is_none());
    w.noon(|m| m.guess(&alice, &id, &guess("maison"))).unwrap();
    let pending = w.noon(|m| m.unrecorded_current(&alice)).unwrap();
    assert_eq!(pending.map(|g| g.id().clone()), Some(id.clone()));

    w.noon(|m| m.mark_recorded(&id)).unwrap();
    let writes = w.kv.writes();
    let again = w.noon(|m| m.mark_recorded(&id)).unwrap();
    assert_eq!(w.kv.writes(), writes, "marking twice wrote twice");
    assert_eq!(again.view().recorded, Some(true));
    assert!(w.noon(|m| m.unrecorded_current(&alice)).unwrap().is_none());
}

#[test]
fn the_daily_outline_reveals_only_length_and_first_letter() {
    let w = World::default();
    let outline = w.answering("BATEAUX", NOON, |m| m.daily_outline()).unwrap();
    assert_eq!(
        outline,
        DailyOutline {
            date: "2024-05-01".parse().unwrap(),
            length: 7,
            first_letter: 'B'
        }
    );
}

#[test]
fn an_empty_configured_key_refuses_daily_games() {
    let w = World::default();
    let valid = WordList::parse(VALID).unwrap();
    let none = WordList::default();
    let dictionary = Dictionary::new(&valid, &none, WordList::parse("MAISON").unwrap());
    w.run(&dictionary, DailyKey::Configured(b""), NOON, |m| {
        assert_eq!(m.daily_outline().unwrap_err(), PlayError::NoSecret);
        let daily = m.start(&player("alice"), Mode::Daily, None, entropy(1));
        assert_eq!(daily.unwrap_err(), PlayError::NoSecret);
        assert!(m
            .start(&player("alice"), Mode::Practice, None, entropy(2))
            .is_ok());
    });
}

#[test]
fn without_a_configured_key_the_first_stored_key_is_used_by_everyone() {
    let w = World::default();
    let dictionary = Dictionary::new(&embedded::VALID, &embedded::ANSWERS, WordList::default());
    let outline = |candidate: [u8; 32]| {
        w.run(&dictionary, DailyKey::Stored { candidate }, NOON, |m| {
            let alice = m
                .start(&player("alice"), Mode::Daily, None, entropy(candidate[0]))
                .unwrap()
                .game;
            let stored = m.store.daily_secret(&[0xff; 32]).unwrap();
            (alice.length(), alice.first_letter(), stored)
        })
    };
    let first = outline([1; 32]);
    assert_eq!(first.2, vec![1; 32]);
    // Other requests propose other keys but find the first one.
    for n in 2..10 {
        assert_eq!(outline([n; 32]), first);
    }
}

#[test]
fn corrupt_records_are_reported_not_served() {
    let w = World::default();
    let id = GameId::from_random([5; 16]);
    w.kv.put_raw(&format!("game:{id}"), b"{not json");
    let err = w.noon(|m| m.game(&player("alice"), &id)).unwrap_err();
    assert!(matches!(err, PlayError::Store(StoreError::Corrupt(_))));
}

#[test]
fn the_shipped_answers_are_used_without_planted_words() {
    let w = World::default();
    let dictionary = Dictionary::new(&embedded::VALID, &embedded::ANSWERS, WordList::default());
    w.run(&dictionary, DailyKey::Configured(b"s"), NOON, |m| {
        let game = m
            .start(&player("alice"), Mode::Daily, None, entropy(1))
            .unwrap()
            .game;
        assert!(embedded::ANSWERS.total() > 0);
        assert_eq!(m.daily_outline().unwrap().length, game.length());
    });
}
