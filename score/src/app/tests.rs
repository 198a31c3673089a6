//! The use cases that call siblings, through the in-memory store and the fake motus and auth.
//! The routes' tests (`http/tests/`) cover the rest through the same fakes.

use futures::executor::block_on;
use spin_kit::memory::MemKv;

use super::*;
use spin_kit::clock::FixedClock;

use crate::testing::{id, token, FakeAuth, FakeMotus, NOW, SECRET, TODAY};

fn zoe() -> PlayerName {
    PlayerName::parse("Zoe").unwrap()
}

/// motus with one finished daily game of Zoe's today, `g`, and one of Ann's, `a`.
fn motus() -> FakeMotus {
    let mut motus = FakeMotus::default();
    motus.finish("g", "Zoe", TODAY, true, 2, 6);
    motus.finish("a", "Ann", TODAY, true, 3, 6);
    motus
}

fn score<'a>(kv: &'a MemKv, motus: &'a FakeMotus) -> Score<'a, MemKv, FakeMotus, FakeAuth> {
    Score::new(kv, motus, &FakeAuth, &FixedClock::at(NOW))
}

#[test]
fn a_game_is_recorded_with_the_players_token_and_a_repeat_does_not_ask_motus_again() {
    let (kv, motus) = (MemKv::default(), motus());
    let zoe_token = token("zoe");
    let first = block_on(score(&kv, &motus).record_game(&id("g"), Presented::Token(&zoe_token)));
    let Ok(Outcome::Created(recorded)) = first else {
        panic!("{first:?}")
    };
    assert_eq!((recorded.player.as_str(), recorded.points), ("Zoe", 300));
    assert_eq!(motus.asked(), 1);

    let again = block_on(score(&kv, &motus).record_game(&id("g"), Presented::Nothing));
    assert!(
        matches!(again, Ok(Outcome::Repeated(ref r)) if *r == recorded),
        "{again:?}"
    );
    let unreadable = block_on(score(&kv, &motus).record_game(&id("g"), Presented::Unreadable));
    assert!(
        matches!(unreadable, Ok(Outcome::Repeated(_))),
        "{unreadable:?}"
    );
    assert_eq!(motus.asked(), 1, "repeats are answered from score's record");
}

#[test]
fn without_a_token_a_game_is_read_with_the_shared_secret_or_not_at_all() {
    let (kv, motus) = (MemKv::default(), motus());
    let refused = block_on(score(&kv, &motus).record_game(&id("g"), Presented::Nothing));
    assert!(matches!(refused, Err(ScoreError::NoToken)), "{refused:?}");
    let empty_secret = score(&kv, &motus).with_result_secret(Some(""));
    let refused = block_on(empty_secret.record_game(&id("g"), Presented::Nothing));
    assert!(matches!(refused, Err(ScoreError::NoToken)), "{refused:?}");
    assert_eq!((motus.asked(), kv.keys().len()), (0, 0));

    let with_secret = score(&kv, &motus).with_result_secret(Some(SECRET));
    let recorded = block_on(with_secret.record_game(&id("g"), Presented::Nothing));
    assert!(matches!(recorded, Ok(Outcome::Created(_))), "{recorded:?}");
}

#[test]
fn what_motus_refuses_or_cannot_give_records_nothing() {
    let mut motus = motus();
    motus.finish("odd", "Zoe", TODAY, true, 9, 6);
    let kv = MemKv::default();
    let score = score(&kv, &motus).with_result_secret(Some(SECRET));
    let record = |raw: &str, presented| block_on(score.record_game(&id(raw), presented));
    let ann_token = token("ann");

    let cases = [
        ("g", Presented::Token(&ann_token), "another player's game"),
        ("g", Presented::Token("forged"), "a token auth refuses"),
        (
            "g",
            Presented::Unreadable,
            "a header without a bearer token",
        ),
        ("down", Presented::Nothing, "motus unreachable"),
        ("hung", Presented::Nothing, "motus not answering in time"),
        ("odd", Presented::Nothing, "an impossible result"),
        (
            "unknown",
            Presented::Nothing,
            "a game motus does not report",
        ),
    ];
    let outcomes: Vec<String> = cases
        .iter()
        .map(|&(raw, presented, _)| match record(raw, presented) {
            Err(ScoreError::Sibling { sibling, failure }) => {
                let kind = match failure {
                    SiblingError::Unavailable(_) => "unavailable",
                    _ => "bad gateway",
                };
                format!("{} {kind}", sibling.name())
            }
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            "Err(GameNotFinished)",
            "Err(TokenRefused)",
            "Err(TokenRefused)",
            "motus bad gateway",
            "motus unavailable",
            "motus bad gateway",
            "Err(GameNotFinished)",
        ],
        "{cases:?}"
    );
    assert!(kv.keys().is_empty(), "{:?}", kv.keys());
}

#[test]
fn the_player_reads_todays_answer_in_their_history_and_others_do_not() {
    let (kv, motus) = (MemKv::default(), motus());
    let score = score(&kv, &motus).with_result_secret(Some(SECRET));
    block_on(score.record_game(&id("g"), Presented::Nothing)).unwrap();
    let answer = |presented| {
        let page = block_on(score.history(&zoe(), presented, 20, None))?;
        Ok::<_, ScoreError>(page.items[0].answer.clone())
    };
    let (zoe_token, ann_token) = (token("zoe"), token("ann"));

    assert_eq!(
        answer(Presented::Token(&zoe_token)).unwrap().as_deref(),
        Some("AAAAAA")
    );
    assert_eq!(answer(Presented::Token(&ann_token)).unwrap(), None);
    assert_eq!(answer(Presented::Nothing).unwrap(), None);
    assert!(matches!(
        answer(Presented::Token("forged")),
        Err(ScoreError::TokenRefused)
    ));
    assert!(matches!(
        answer(Presented::Unreadable),
        Err(ScoreError::TokenRefused)
    ));
    assert!(matches!(
        answer(Presented::Token("tok-down")),
        Err(ScoreError::Sibling {
            sibling: Sibling::Auth,
            failure: SiblingError::Unavailable(_)
        })
    ));
}

#[test]
fn only_the_players_own_token_deletes_their_scores() {
    let (kv, motus) = (MemKv::default(), motus());
    let score = score(&kv, &motus).with_result_secret(Some(SECRET));
    for game in ["g", "a"] {
        block_on(score.record_game(&id(game), Presented::Nothing)).unwrap();
    }
    let (zoe_token, ann_token) = (token("zoe"), token("ann"));
    let forget = |presented| block_on(score.forget(&zoe(), presented));

    assert!(matches!(
        forget(Presented::Nothing),
        Err(ScoreError::NoToken)
    ));
    assert!(matches!(
        forget(Presented::Unreadable),
        Err(ScoreError::TokenRefused)
    ));
    assert!(matches!(
        forget(Presented::Token(&ann_token)),
        Err(ScoreError::NotYours)
    ));
    assert_eq!(
        score.stats(&zoe()).unwrap().played,
        1,
        "nothing deleted yet"
    );

    forget(Presented::Token(&zoe_token)).unwrap();
    assert_eq!(score.stats(&zoe()).unwrap().played, 0);
    let ann = PlayerName::parse("Ann").unwrap();
    assert_eq!(score.stats(&ann).unwrap().played, 1, "only Zoe's scores go");
    forget(Presented::Token(&zoe_token)).expect("deleting again is done at once");
}
