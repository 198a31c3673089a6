//! The unfinished games a player comes back to.

use super::*;
use crate::app::games::RECENT_GAMES;

fn unfinished_ids(w: &World, name: &str, now: i64) -> Vec<GameId> {
    let games = w.at(now, |m| m.unfinished(&player(name))).unwrap();
    games.iter().map(|game| game.id().clone()).collect()
}

#[test]
fn unfinished_games_are_listed_most_recent_first_daily_and_practice_alike() {
    let w = World::default();
    let daily = w.daily_with(&["MOUTON"]);
    let practice = w.practice(&player("alice"), 2);
    assert_eq!(unfinished_ids(&w, "alice", NOON), vec![practice, daily]);
}

#[test]
fn finished_games_and_other_players_games_are_not_listed() {
    let w = World::default();
    let alice = player("alice");
    let won = w.practice(&alice, 1);
    w.noon(|m| m.guess(&alice, &won, &guess("MAISON"))).unwrap();
    let open = w.practice(&alice, 2);
    w.practice(&player("bob"), 3);
    assert_eq!(unfinished_ids(&w, "alice", NOON), vec![open]);
    assert_eq!(unfinished_ids(&w, "carol", NOON).len(), 0);
}

#[test]
fn a_daily_game_whose_day_is_over_is_not_resumable() {
    let w = World::default();
    w.daily_with(&["MOUTON"]);
    assert_eq!(unfinished_ids(&w, "alice", NOON + 86_400).len(), 0);
}

#[test]
fn only_the_last_games_are_looked_at() {
    let w = World::default();
    let alice = player("alice");
    let oldest = w.practice(&alice, 1);
    for n in 0..RECENT_GAMES {
        w.practice(&alice, 2 + n as u8);
    }
    let listed = unfinished_ids(&w, "alice", NOON);
    assert_eq!(listed.len(), RECENT_GAMES as usize);
    assert!(!listed.contains(&oldest));
}
