//! Challenges: offering a word, taking it up, never for score, gone with their creator.

use super::*;
use crate::app::{Caller, PlayError, Started};
use crate::domain::challenge::{ChallengeError, ChallengeId};
use crate::domain::game::Status;
use crate::testing::block_on;

/// A player as auth knows them.
struct Who {
    player: PlayerName,
    token: String,
}

impl Who {
    fn new(name: &str) -> Self {
        Self {
            player: player(name),
            token: FakeSiblings::token(name),
        }
    }

    fn caller(&self) -> Caller<'_> {
        Caller {
            player: &self.player,
            token: &self.token,
        }
    }
}

fn challenge_id(n: u8) -> ChallengeId {
    ChallengeId::from_random([n; 16])
}

/// Alice's practice game on MARCHE, won in two tries; `n` draws its id.
fn alices_game(w: &World, n: u8) -> GameId {
    let alice = player("alice");
    let started = w.answering("MARCHE", NOON, |m| {
        m.start(&alice, Mode::Practice, None, entropy(n))
    });
    let id = started.unwrap().game.id().clone();
    for word in ["MOUTON", "MARCHE"] {
        w.noon(|m| m.guess(&alice, &id, &guess(word))).unwrap();
    }
    id
}

/// Alice's game offered as a challenge; its id.
fn offered(w: &World) -> ChallengeId {
    let game = alices_game(w, 1);
    let alice = Who::new("alice");
    let (page, created) = w
        .noon(|m| block_on(m.offer(&alice.caller(), &game, challenge_id(7))))
        .unwrap();
    assert!(created);
    page.challenge.id().clone()
}

fn take_up(w: &World, who: &Who, id: &ChallengeId, n: u8) -> Result<Started, PlayError> {
    w.noon(|m| block_on(m.take_up(&who.caller(), id, entropy(n))))
}

#[test]
fn offering_a_game_twice_gives_the_same_challenge() {
    let w = World::default();
    let first = offered(&w);
    let game = alices_game(&w, 2);
    let alice = Who::new("alice");
    let again = w.noon(|m| block_on(m.offer(&alice.caller(), &game, challenge_id(8))));
    let (page, created) = again.unwrap();
    assert!(created, "another game, another challenge");
    assert_ne!(page.challenge.id(), &first);
    let repeat = w.noon(|m| block_on(m.offer(&alice.caller(), &game, challenge_id(9))));
    let (page_again, created) = repeat.unwrap();
    assert!(!created);
    assert_eq!(page_again.challenge.id(), page.challenge.id());
}

#[test]
fn only_the_players_own_finished_practice_game_can_be_offered() {
    let w = World::default();
    let game = alices_game(&w, 2);
    let offer = |who: &Who, game: &GameId| {
        w.noon(|m| block_on(m.offer(&who.caller(), game, challenge_id(7))))
            .map(|_| ())
    };
    assert_eq!(offer(&Who::new("bob"), &game), Err(PlayError::NotFound));
    let unfinished = w.practice(&player("alice"), 2);
    assert_eq!(
        offer(&Who::new("alice"), &unfinished),
        Err(ChallengeError::NotFinished.into())
    );
    let daily = w.daily_with(&["MAISON"]);
    assert_eq!(
        offer(&Who::new("alice"), &daily),
        Err(ChallengeError::NotPractice.into())
    );
}

#[test]
fn a_friend_plays_the_offered_word_whatever_the_draw_would_give() {
    let w = World::default();
    let id = offered(&w);
    let bob = Who::new("bob");
    let started = take_up(&w, &bob, &id, 3).unwrap();
    assert!(started.created);
    let game = started.game.id().clone();
    assert_eq!(
        w.noon(|m| m.store.current(&bob.player)).unwrap(),
        Some(game.clone())
    );
    // Every answer of this world is MAISON: the challenge's word is Alice's, MARCHE.
    let won = w.noon(|m| block_on(m.play(&bob.caller(), &game, &guess("MARCHE"))));
    assert_eq!(won.unwrap().status(), Status::Won);
}

#[test]
fn taking_a_challenge_up_again_resumes_the_same_game() {
    let w = World::default();
    let id = offered(&w);
    let bob = Who::new("bob");
    let first = take_up(&w, &bob, &id, 3).unwrap().game;
    w.noon(|m| block_on(m.play(&bob.caller(), first.id(), &guess("MOUTON"))))
        .unwrap();
    let again = take_up(&w, &bob, &id, 4).unwrap();
    assert!(!again.created);
    assert_eq!(again.game.id(), first.id());
    assert_eq!(again.game.tries(), 1);
}

#[test]
fn the_creator_cannot_take_up_their_own_challenge_nor_anyone_an_unknown_one() {
    let w = World::default();
    let id = offered(&w);
    let taken = take_up(&w, &Who::new("ALICE"), &id, 3).map(|_| ());
    assert_eq!(taken, Err(ChallengeError::OwnChallenge.into()));
    let unknown = take_up(&w, &Who::new("bob"), &challenge_id(99), 3).map(|_| ());
    assert_eq!(unknown, Err(ChallengeError::NotFound.into()));
}

#[test]
fn a_challenge_game_is_never_handed_to_score_nor_readable_as_a_result() {
    let w = World::default();
    let id = offered(&w);
    let bob = Who::new("bob");
    let game = take_up(&w, &bob, &id, 3).unwrap().game.id().clone();
    for word in ["MOUTON", "MAISON", "MIROIR", "MELONS", "MOULIN", "MOUTON"] {
        w.noon(|m| block_on(m.play(&bob.caller(), &game, &guess(word))))
            .unwrap();
    }
    let alice_recorded = w.siblings.record_calls();
    assert!(!alice_recorded.contains(&game), "{alice_recorded:?}");
    let lost = w
        .noon(|m| block_on(m.open_game(&bob.caller(), &game)))
        .unwrap();
    assert_eq!(lost.status(), Status::Lost);
    assert_eq!(lost.view().recorded, None);
    assert!(!w.siblings.record_calls().contains(&game));
    assert_eq!(
        w.noon(|m| m.finished(&game, None)).map(|_| ()),
        Err(PlayError::NotFound),
        "even for a sibling holding the shared secret"
    );
}

#[test]
fn the_page_shows_the_results_once_the_viewers_game_is_over() {
    let w = World::default();
    let id = offered(&w);
    let bob = Who::new("bob");
    let game = take_up(&w, &bob, &id, 3).unwrap().game.id().clone();
    let page = w.noon(|m| block_on(m.challenge(&id))).unwrap();
    let shown = serde_json::to_value(page.view(&bob.player)).unwrap();
    assert!(shown.get("results").is_none(), "{shown}");
    assert!(!shown.to_string().contains("MARCHE"), "{shown}");

    w.noon(|m| block_on(m.play(&bob.caller(), &game, &guess("MARCHE"))))
        .unwrap();
    let page = w.noon(|m| block_on(m.challenge(&id))).unwrap();
    let shown = serde_json::to_value(page.view(&bob.player)).unwrap();
    assert_eq!(shown["answer"], "MARCHE");
    assert_eq!(shown["results"].as_array().unwrap().len(), 2, "{shown}");
    let for_alice = serde_json::to_value(page.view(&player("alice"))).unwrap();
    assert_eq!(for_alice["results"][1]["tries"], 1);
}

#[test]
fn deleting_the_creator_takes_the_challenge_away_and_deleting_a_friend_their_seat() {
    let w = World::default();
    let id = offered(&w);
    let (bob, carol) = (Who::new("bob"), Who::new("carol"));
    take_up(&w, &bob, &id, 3).unwrap();
    let carols = take_up(&w, &carol, &id, 4).unwrap().game.id().clone();

    w.noon(|m| m.forget(&bob.player)).unwrap();
    let page = w.noon(|m| block_on(m.challenge(&id))).unwrap();
    let seated: Vec<_> = page
        .challenge
        .friends()
        .iter()
        .map(|s| s.player.clone())
        .collect();
    assert_eq!(seated, vec![carol.player.clone()]);

    w.noon(|m| m.forget(&player("alice"))).unwrap();
    let gone = w.noon(|m| block_on(m.challenge(&id))).map(|_| ());
    assert_eq!(gone, Err(ChallengeError::NotFound.into()));
    let still = w.noon(|m| m.game(&carol.player, &carols));
    assert!(still.is_ok(), "a friend's game stays theirs");
}

#[test]
fn a_name_just_deleted_takes_up_no_challenge_while_its_access_tokens_may_live() {
    let w = World::default();
    let id = offered(&w);
    let bob = Who::new("bob");
    w.noon(|m| m.forget(&bob.player)).unwrap();
    let taken = take_up(&w, &bob, &id, 3).map(|_| ());
    assert_eq!(taken, Err(PlayError::Unauthenticated));
    let page = w.noon(|m| block_on(m.challenge(&id))).unwrap();
    assert!(page.challenge.friends().is_empty(), "no seat, no game");
}
