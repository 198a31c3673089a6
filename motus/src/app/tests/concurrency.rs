//! Concurrent requests on one game or one day: the store's compare-and-swap keeps each rule.

use super::*;
use crate::app::{PlayError, Started};
use crate::domain::game::{Game, NewGame, Rejection, Status};
use crate::domain::word::Word;
use crate::testing::Listed;
use spin_kit::kv::{insert_json, update_json, Kv, Step, StoreError};
use spin_kit::memory::{Fault, Faulty};

#[test]
fn a_daily_claimed_concurrently_keeps_the_first_game_and_drops_the_other() {
    let w = World::default();
    let alice = player("alice");
    // Another request claims the day between our read of the pointer and our swap.
    let theirs = w.noon(|m| {
        Game::new(NewGame {
            id: GameId::from_random([9; 16]),
            player: alice.clone(),
            mode: Mode::Daily,
            date: m.today(),
            answer: Word::parse("MAISON").unwrap(),
            now: NOON,
        })
    });
    let theirs_id = theirs.id().to_string();
    let their_game = theirs.clone();
    let mut fired = false;
    // The other request wins the claim on the day's pointer just before ours.
    w.kv.interfere(move |key, store| {
        if let Some(pointer) = key.strip_suffix("#claim") {
            if pointer.starts_with("daily:") && !fired {
                fired = true;
                insert_json(store, &format!("game:{theirs_id}"), &their_game).unwrap();
                store.increment(key, 1).unwrap();
                insert_json(store, pointer, &theirs_id).unwrap();
            }
        }
    });
    let started = w
        .noon(|m| m.start(&alice, Mode::Daily, None, entropy(1)))
        .unwrap();
    assert!(!started.created);
    assert_eq!(started.game.id(), theirs.id());
    let ours = format!("game:{}", GameId::from_random([1; 16]));
    assert!(
        !w.kv.keys().contains(&ours),
        "the losing game was left behind"
    );
}

#[test]
fn a_guess_retries_when_another_guess_lands_first() {
    let w = World::default();
    let alice = player("alice");
    let id = w.practice(&alice, 1);
    // Between our read and our swap, another request plays MOUTON.
    let key = format!("game:{id}");
    let mut rival = w.noon(|m| m.game(&alice, &id)).unwrap();
    w.noon(|m| rival.play(&guess("MOUTON"), m.dictionary, NOON))
        .unwrap();
    let mut fired = false;
    w.kv.interfere(move |k, store| {
        if k == key && !fired {
            fired = true;
            update_json(store, k, 1, |_: Option<Game>| {
                Ok::<_, StoreError>(Step::Write(rival.clone(), ()))
            })
            .unwrap();
        }
    });
    let game = w.noon(|m| m.guess(&alice, &id, &guess("MARCHE"))).unwrap();
    let words: Vec<&str> = game
        .view()
        .guesses
        .iter()
        .map(|g| g.word.as_str())
        .collect();
    assert_eq!(words, ["MOUTON", "MARCHE"]);
}

fn sixty_four_guesses_at_once<K: Listed + Sync>(w: World<K>) {
    let alice = player("alice");
    let id = w.practice(&alice, 1);
    let outcomes: Vec<Result<Game, PlayError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..64)
            .map(|_| scope.spawn(|| w.noon(|m| m.guess(&alice, &id, &guess("MOUTON")))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let accepted = outcomes.iter().filter(|o| o.is_ok()).count();
    let over = outcomes
        .iter()
        .filter(|o| matches!(o, Err(PlayError::Rejected(Rejection::GameOver))))
        .count();
    assert_eq!((accepted, over), (6, 58), "{outcomes:?}");
    let game = w.noon(|m| m.game(&alice, &id)).unwrap();
    assert_eq!(game.status(), Status::Lost);
    assert_eq!(game.view().guesses.len(), 6);
}

#[test]
fn sixty_four_concurrent_guesses_use_exactly_six_tries_on_every_store() {
    sixty_four_guesses_at_once(World::default());
    sixty_four_guesses_at_once(World::over(Faulty::new(Fault::UpsertAbsent)));
    sixty_four_guesses_at_once(World::over(Faulty::new(Fault::MisreportSwap)));
}

fn sixteen_daily_starts_at_once<K: Listed + Sync>(w: World<K>) {
    let alice = player("alice");
    let started: Vec<Started> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..=16)
            .map(|n| {
                let (w, alice) = (&w, &alice);
                scope.spawn(move || w.noon(|m| m.start(alice, Mode::Daily, None, entropy(n))))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap().unwrap())
            .collect()
    });
    assert_eq!(started.iter().filter(|s| s.created).count(), 1);
    let first = started[0].game.id();
    assert!(started.iter().all(|s| s.game.id() == first));
}

#[test]
fn a_player_starting_the_daily_game_sixteen_times_at_once_gets_one_on_every_store() {
    sixteen_daily_starts_at_once(World::default());
    sixteen_daily_starts_at_once(World::over(Faulty::new(Fault::UpsertAbsent)));
    sixteen_daily_starts_at_once(World::over(Faulty::new(Fault::MisreportSwap)));
}
