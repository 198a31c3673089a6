//! Daily games at midnight, results, and forgetting a player.

use super::*;
use crate::app::PlayError;
use crate::domain::game::{Rejection, Status};
use spin_kit::kv::Kv;

#[test]
fn a_daily_game_still_on_when_its_day_ends_is_lost() {
    let w = World::default();
    let alice = player("alice");
    let id = w.daily_with(&["mouton"]);
    // 23:59 in Paris (UTC+2 in May): still on.
    let late = NOON + 11 * 3600 + 59 * 60;
    let still = w.at(late, |m| m.game(&alice, &id)).unwrap();
    assert_eq!(still.status(), Status::Playing);
    assert!(still.view().answer.is_none());

    let next_day = NOON + 12 * 3600;
    let refused = w.at(next_day, |m| m.guess(&alice, &id, &guess("maison")));
    assert_eq!(
        refused.unwrap_err(),
        PlayError::Rejected(Rejection::GameOver)
    );
    let game = w.at(next_day, |m| m.game(&alice, &id)).unwrap();
    assert_eq!(game.status(), Status::Lost);
    assert!(game.view().abandoned);
    let result = game.result().unwrap();
    assert_eq!(
        (result.won, result.tries, result.abandoned),
        (false, 1, true)
    );
    assert_eq!(result.finished_at, next_day);
}

#[test]
fn past_dailies_are_ended_and_handed_over_until_recorded() {
    let w = World::default();
    let alice = player("alice");
    let untouched = w.daily_with(&[]);
    let next_day = NOON + 86_400;
    assert!(
        w.noon(|m| m.past_dailies(&alice)).unwrap().is_empty(),
        "today's game is not past"
    );
    let today = w
        .at(next_day, |m| m.start(&alice, Mode::Daily, None, entropy(2)))
        .unwrap()
        .game;

    let pending = w.at(next_day, |m| m.past_dailies(&alice)).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].id(), &untouched);
    assert_eq!(pending[0].result().unwrap().tries, 0);
    let again = w.at(next_day, |m| m.past_dailies(&alice)).unwrap();
    assert_eq!(again, pending, "handed over again until score has it");

    w.at(next_day, |m| m.mark_recorded(&untouched)).unwrap();
    w.at(next_day, |m| {
        m.close_dailies(&alice, std::slice::from_ref(&untouched))
    })
    .unwrap();
    let open = w.at(next_day, |m| m.store.open_dailies(&alice)).unwrap();
    assert_eq!(open, [(today.id().clone(), today.date())]);
}

#[test]
fn a_result_is_for_its_player_or_a_trusted_sibling_only() {
    let w = World::default();
    let id = w.daily_with(&["maison"]);
    let mallory = player("mallory");
    assert_eq!(
        w.noon(|m| m.finished(&id, Some(&mallory))).unwrap_err(),
        PlayError::NotFound
    );
    for caller in [Some(player("alice")), None] {
        let game = w.noon(|m| m.finished(&id, caller.as_ref())).unwrap();
        assert_eq!(game.result().unwrap().answer.to_string(), "MAISON");
    }
}

#[test]
fn forgetting_a_player_removes_their_games_and_pointers_only() {
    let w = World::default();
    let alice = player("alice");
    let bob = player("bob");
    let daily = w.daily_with(&["mouton"]);
    let practice = w
        .noon(|m| m.start(&alice, Mode::Practice, None, entropy(3)))
        .unwrap()
        .game;
    let bobs = w
        .noon(|m| m.start(&bob, Mode::Daily, None, entropy(4)))
        .unwrap()
        .game;

    w.noon(|m| m.forget(&alice)).unwrap();

    let live: Vec<String> =
        w.kv.keys()
            .into_iter()
            .filter(|key| !key.ends_with("#claim"))
            .filter(|key| {
                let value = w.kv.get(key).unwrap().unwrap();
                serde_json::from_slice::<serde_json::Value>(&value)
                    .map_or(true, |doc| !doc["doc"].is_null())
            })
            .collect();
    for id in [&daily, practice.id()] {
        assert!(
            !live.iter().any(|key| key.contains(id.as_str())),
            "{live:?}"
        );
    }
    // Only the mark that keeps tokens from before the deletion from starting a game names her.
    assert!(
        !live
            .iter()
            .any(|key| key.contains("alice") && key != "forgotten:alice"),
        "{live:?}"
    );
    assert_eq!(w.noon(|m| m.game(&bob, bobs.id())).unwrap(), bobs);
    w.noon(|m| m.forget(&alice)).unwrap();

    let again = w
        .noon(|m| m.start(&alice, Mode::Daily, None, entropy(5)))
        .unwrap();
    assert!(
        again.created,
        "a new account of the same name starts afresh"
    );
    assert!(again.game.view().guesses.is_empty());
}

#[test]
fn a_name_just_forgotten_gets_no_new_game_until_its_access_tokens_have_expired() {
    use crate::app::{Caller, PlayError};
    use spin_kit::access::MAX_LIFETIME;
    let w = World::default();
    let alice = player("alice");
    let caller = Caller {
        player: &alice,
        token: "a token issued before the deletion",
    };
    let start = |now: i64| {
        w.at(now, |m| {
            crate::testing::block_on(m.new_game(&caller, Mode::Practice, None, entropy(7)))
        })
    };
    w.noon(|m| m.forget(&alice)).unwrap();
    assert!(matches!(start(NOON), Err(PlayError::Unauthenticated)));
    assert!(matches!(
        start(NOON + MAX_LIFETIME as i64 - 1),
        Err(PlayError::Unauthenticated)
    ));
    assert!(start(NOON + MAX_LIFETIME as i64).unwrap().created);
    // Someone else is not concerned.
    let bob = player("bob");
    let bobs = Caller {
        player: &bob,
        token: "t",
    };
    let started =
        w.noon(|m| crate::testing::block_on(m.new_game(&bobs, Mode::Practice, None, entropy(8))));
    assert!(started.unwrap().created);
}

#[test]
fn without_access_tokens_a_forgotten_name_may_play_again_at_once() {
    use crate::app::Caller;
    let w = World {
        forgotten_for: 0,
        ..World::default()
    };
    let alice = player("alice");
    w.noon(|m| m.forget(&alice)).unwrap();
    let caller = Caller {
        player: &alice,
        token: "a session auth vouches for",
    };
    let started =
        w.noon(|m| crate::testing::block_on(m.new_game(&caller, Mode::Practice, None, entropy(7))));
    assert!(started.unwrap().created);
    assert!(!w.kv.keys().iter().any(|k| k.starts_with("forgotten:")));
}
