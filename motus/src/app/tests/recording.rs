//! Handing finished games to score, and asking auth who calls, through fake siblings.

use super::*;
use crate::app::{Caller, PlayError, Reader};
use crate::domain::game::Status;
use crate::testing::{block_on, Auth};

const NEXT_DAY: i64 = NOON + 86_400;

/// Alice as auth knows her: her name and her token.
struct Alice {
    player: PlayerName,
    token: String,
}

impl Alice {
    fn new() -> Self {
        Self {
            player: player("alice"),
            token: FakeSiblings::token("alice"),
        }
    }

    fn caller(&self) -> Caller<'_> {
        Caller {
            player: &self.player,
            token: &self.token,
        }
    }
}

#[test]
fn a_game_that_ends_is_recorded_once_with_its_players_token() {
    let w = World::default();
    let alice = Alice::new();
    let id = w.practice(&alice.player, 1);

    let on = w.noon(|m| block_on(m.play(&alice.caller(), &id, &guess("mouton"))));
    assert_eq!(on.unwrap().status(), Status::Playing);
    assert!(w.siblings.record_calls().is_empty(), "a game still on");

    let won = w.noon(|m| block_on(m.play(&alice.caller(), &id, &guess("maison"))));
    assert_eq!(won.unwrap().view().recorded, Some(true));
    let again = w.noon(|m| block_on(m.open_game(&alice.caller(), &id)));
    assert_eq!(again.unwrap().view().recorded, Some(true));

    let calls = w.siblings.recorded.lock().unwrap().clone();
    assert_eq!(calls, [(id, alice.token.clone())]);
}

#[test]
fn with_score_down_the_guess_succeeds_unrecorded_and_each_read_retries() {
    let w = World::default();
    let alice = Alice::new();
    let id = w.practice(&alice.player, 1);
    w.siblings.set_score_up(false);

    let won = w
        .noon(|m| block_on(m.play(&alice.caller(), &id, &guess("maison"))))
        .unwrap();
    assert_eq!(
        (won.status(), won.view().recorded),
        (Status::Won, Some(false))
    );
    let still = w.noon(|m| block_on(m.open_game(&alice.caller(), &id)));
    assert_eq!(still.unwrap().view().recorded, Some(false));
    assert_eq!(w.siblings.record_calls(), [id.clone(), id.clone()]);

    w.siblings.set_score_up(true);
    let read = w.noon(|m| block_on(m.open_game(&alice.caller(), &id)));
    assert_eq!(read.unwrap().view().recorded, Some(true));
    w.noon(|m| block_on(m.open_game(&alice.caller(), &id)))
        .unwrap();
    assert_eq!(
        w.siblings.record_counts()[&id],
        3,
        "two failures, one success"
    );
}

#[test]
fn the_previous_game_is_recorded_before_a_new_one_starts() {
    let w = World::default();
    let alice = Alice::new();
    let first = w.practice(&alice.player, 1);
    w.siblings.set_score_up(false);
    w.noon(|m| block_on(m.play(&alice.caller(), &first, &guess("maison"))))
        .unwrap();
    w.siblings.set_score_up(true);

    let next = w.noon(|m| block_on(m.new_game(&alice.caller(), Mode::Practice, None, entropy(2))));
    assert!(next.unwrap().created);
    assert_eq!(w.siblings.record_calls(), [first.clone(), first.clone()]);
    let game = w.noon(|m| m.game(&alice.player, &first)).unwrap();
    assert_eq!(game.view().recorded, Some(true));
}

#[test]
fn the_seed_route_records_the_game_it_ends() {
    let w = World::default();
    let alice = Alice::new();
    let game = w
        .noon(|m| block_on(m.play_current(&alice.caller(), &guess("maison"), entropy(1))))
        .unwrap();
    assert_eq!(
        (game.mode(), game.status(), game.view().recorded),
        (Mode::Daily, Status::Won, Some(true))
    );
    assert_eq!(w.siblings.record_calls(), [game.id().clone()]);
}

#[test]
fn a_daily_game_left_at_midnight_is_lost_and_recorded_once_the_next_time_its_player_comes() {
    let w = World::default();
    let alice = Alice::new();
    let daily = w.daily_with(&["mouton"]);
    assert!(w.siblings.record_calls().is_empty());

    // The next day, any request of hers settles it, whatever it is about.
    let practice = w.at(NEXT_DAY, |m| {
        block_on(m.new_game(&alice.caller(), Mode::Practice, None, entropy(2)))
    });
    assert!(practice.unwrap().created);
    assert_eq!(w.siblings.record_calls(), std::slice::from_ref(&daily));
    let lost = w.at(NEXT_DAY, |m| m.game(&alice.player, &daily)).unwrap();
    assert_eq!(
        (lost.status(), lost.view().abandoned, lost.view().recorded),
        (Status::Lost, true, Some(true))
    );
    let open = w
        .at(NEXT_DAY, |m| m.store.open_dailies(&alice.player))
        .unwrap();
    assert!(open.is_empty(), "{open:?}");

    let other = w.at(NEXT_DAY, |m| {
        block_on(m.open_game(&alice.caller(), &daily)).map(|g| g.id().clone())
    });
    assert_eq!(other.unwrap(), daily);
    assert_eq!(w.siblings.record_counts()[&daily], 1, "recorded once");
}

#[test]
fn a_past_daily_score_missed_stays_open_until_score_takes_it() {
    let w = World::default();
    let alice = Alice::new();
    let daily = w.daily_with(&[]);
    w.siblings.set_score_up(false);
    let id = w.at(NEXT_DAY, |m| new_practice(m, &alice, 2));
    // Tried as a past daily game, then again as the last game before the new one.
    assert_eq!(w.siblings.record_calls(), [daily.clone(), daily.clone()]);
    let open = w
        .at(NEXT_DAY, |m| m.store.open_dailies(&alice.player))
        .unwrap();
    assert_eq!(open.len(), 1, "kept for the next request");

    w.siblings.set_score_up(true);
    w.at(NEXT_DAY, |m| block_on(m.open_game(&alice.caller(), &id)))
        .unwrap();
    assert_eq!(w.siblings.record_counts()[&daily], 3);
    let open = w
        .at(NEXT_DAY, |m| m.store.open_dailies(&alice.player))
        .unwrap();
    assert!(open.is_empty(), "{open:?}");
}

fn new_practice(m: &TestMotus<'_>, alice: &Alice, n: u8) -> GameId {
    let started = block_on(m.new_game(&alice.caller(), Mode::Practice, None, entropy(n)));
    started.unwrap().game.id().clone()
}

#[test]
fn auth_decides_who_calls() {
    let w = World::default();
    let who = |token: &str| w.noon(|m| block_on(m.authenticate(token)));
    let alice = who(&FakeSiblings::token("Alice")).unwrap();
    assert_eq!(
        alice.as_str(),
        "alice",
        "named by the key, whatever auth's casing"
    );
    assert_eq!(who("stolen"), Err(PlayError::Unauthenticated));
    w.siblings.set_auth(Auth::Down);
    assert!(matches!(
        who(&FakeSiblings::token("alice")),
        Err(PlayError::AuthUnavailable(_))
    ));
    w.siblings.set_auth(Auth::Garbled);
    assert!(matches!(
        who(&FakeSiblings::token("alice")),
        Err(PlayError::AuthBadGateway(_))
    ));
}

#[test]
fn a_result_goes_to_its_player_or_a_trusted_sibling_only() {
    let w = World::default();
    let id = w.daily_with(&["maison"]);
    let read = |reader: Reader<'_>| w.noon(|m| block_on(m.result(&id, reader)).map(|_| ()));
    assert_eq!(read(Reader::Token(&FakeSiblings::token("alice"))), Ok(()));
    assert_eq!(read(Reader::Trusted), Ok(()));
    assert_eq!(
        read(Reader::Token(&FakeSiblings::token("mallory"))),
        Err(PlayError::NotFound)
    );
    assert_eq!(
        read(Reader::Token("forged")),
        Err(PlayError::Unauthenticated)
    );
}

#[test]
fn a_player_is_deleted_only_with_their_own_token() {
    let w = World::default();
    let alice = Alice::new();
    let id = w.practice(&alice.player, 1);
    let mallory = player("mallory");
    let token = FakeSiblings::token("mallory");
    let as_mallory = Caller {
        player: &mallory,
        token: &token,
    };
    assert_eq!(
        w.noon(|m| m.forget_player(&as_mallory, "alice")),
        Err(PlayError::Forbidden)
    );
    assert!(w.noon(|m| m.game(&alice.player, &id)).is_ok());
    w.noon(|m| m.forget_player(&alice.caller(), "ALICE"))
        .unwrap();
    assert_eq!(
        w.noon(|m| m.game(&alice.player, &id)),
        Err(PlayError::NotFound)
    );
}
