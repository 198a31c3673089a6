//! Limits on password attempts: counted before hashing, per name and client, capped per name.

use super::{World, HOME};
use crate::domain::lockout::TIERS;
use crate::domain::ClientAddr;

const STRANGER: &str = "203.0.113.5:4444";

fn retry_after(reply: &super::Reply) -> u64 {
    reply.header("retry-after").unwrap().parse().unwrap()
}

/// A world whose clock stands at the start of an hour, so every window is whole.
fn at_hour_start() -> World {
    let world = World::new();
    world.clock.set(472_223 * 3_600);
    world
}

#[test]
fn five_failures_lock_this_client_even_for_the_right_password() {
    let world = World::new();
    world.register("zoe", "correct horse");
    for _ in 0..5 {
        assert_eq!(world.login("zoe", "wrong horse").status, 401);
    }

    let locked = world.login("ZOE", "correct horse");

    assert_eq!((locked.status, locked.code()), (429, "too_many_attempts"));
    let wait = retry_after(&locked);
    assert_eq!(wait, 60 - world.now() % 60);
    world.advance(wait);
    assert_eq!(world.login("zoe", "correct horse").status, 200);
}

#[test]
fn a_stranger_failing_elsewhere_cannot_lock_the_player_out() {
    let world = World::new();
    world.register("zoe", "correct horse");
    for _ in 0..5 {
        assert_eq!(world.login_from(STRANGER, "zoe", "guess1234").status, 401);
    }
    assert_eq!(
        world.login_from(STRANGER, "zoe", "correct horse").status,
        429
    );

    assert_eq!(world.login("zoe", "correct horse").status, 200);
    assert_eq!(
        world
            .login_from("203.0.113.5:5555", "zoe", "correct horse")
            .status,
        429,
        "another connection of the stranger's host shares its budget"
    );
}

#[test]
fn sixteen_concurrent_wrong_passwords_are_hashed_only_five_times() {
    let world = World::new();
    world.register("zoe", "correct horse");

    let statuses = world.at_once(16, |_| world.login("zoe", "wrong horse"));

    // Every 401 was a hash; a 429 is decided before hashing.
    let count = |status| statuses.iter().filter(|&&s| s == status).count();
    assert_eq!((count(401), count(429)), (5, 11), "{statuses:?}");
    assert_eq!(world.login("zoe", "correct horse").status, 429);
}

#[test]
fn a_burst_of_right_passwords_from_one_address_all_log_in() {
    let world = World::new();
    world.register("zoe", "correct horse");
    world.login("zoe", "wrong horse");
    world.login("zoe", "wrong horse");
    world.login("zoe", "wrong horse");

    let statuses = world.at_once(16, |_| world.login("zoe", "correct horse"));

    // Two checks at a time (three failures of five already spent); the others wait their turn.
    assert_eq!(statuses, [200; 16]);
}

#[test]
fn a_right_password_gives_its_slot_back() {
    let world = World::new();
    world.register("zoe", "correct horse");
    for _ in 0..4 {
        world.login("zoe", "wrong horse");
    }
    for _ in 0..10 {
        assert_eq!(world.login("zoe", "correct horse").status, 200);
    }
    assert_eq!(
        world.login("zoe", "wrong horse").status,
        401,
        "the fifth failure"
    );
    assert_eq!(world.login("zoe", "correct horse").status, 429);
}

#[test]
fn one_client_gets_twenty_failures_an_hour() {
    let world = at_hour_start();
    world.register("zoe", "correct horse");
    for minute in 0..4 {
        for _ in 0..5 {
            assert_eq!(world.login("zoe", "wrong horse").status, 401, "{minute}");
        }
        assert_eq!(world.login("zoe", "wrong horse").status, 429);
        world.advance(60);
    }

    let locked = world.login("zoe", "correct horse");

    assert_eq!(locked.status, 429);
    assert_eq!(retry_after(&locked), 3_600 - 4 * 60, "until the hour ends");
    assert_eq!(
        world.login_from(STRANGER, "zoe", "correct horse").status,
        200
    );
}

#[test]
fn a_hundred_failures_from_anywhere_lock_the_name_until_the_hour_ends() {
    let world = at_hour_start();
    world.register("zoe", "correct horse");
    let per_client = TIERS[0].limit as usize;
    let clients = TIERS[2].limit as usize / per_client;
    std::thread::scope(|s| {
        for c in 0..clients {
            let world = &world;
            s.spawn(move || {
                for _ in 0..per_client {
                    let reply = world.login_from(&format!("198.51.100.{c}:1"), "zoe", "guess1234");
                    assert_eq!(reply.status, 401);
                }
            });
        }
    });

    let locked = world.login("zoe", "correct horse");

    assert_eq!((locked.status, locked.code()), (429, "too_many_attempts"));
    assert_eq!(retry_after(&locked), 3_600);
    world.advance(3_600);
    assert_eq!(world.login("zoe", "correct horse").status, 200);
}

#[test]
fn unknown_names_lock_like_real_ones() {
    let world = World::new();
    for _ in 0..5 {
        assert_eq!(world.login("ghost", "whatever1").status, 401);
    }
    assert_eq!(world.login("ghost", "whatever1").status, 429);
}

#[test]
fn wrong_passwords_on_account_routes_spend_the_same_budget() {
    let world = World::new();
    let token = world.register("zoe", "correct horse").token();
    for _ in 0..5 {
        let reply = world.change_password(&token, "nope nope", "battery staple");
        assert_eq!((reply.status, reply.code()), (403, "wrong_password"));
    }

    let delete = world.delete_me(&token, "correct horse");

    assert_eq!((delete.status, delete.code()), (429, "too_many_attempts"));
    assert!(
        world.players.calls().is_empty(),
        "nothing deleted while locked"
    );
    assert_eq!(world.login("zoe", "correct horse").status, 429);
    assert_eq!(
        world.login_from(STRANGER, "zoe", "correct horse").status,
        200
    );
    assert_eq!(world.me(&token).status, 200);
}

#[test]
fn a_guesser_who_keeps_at_it_leaves_no_trail_of_old_windows() {
    let world = at_hour_start();
    for _ in 0..5 {
        world.login("zoe", "wrong horse");
    }
    world.advance(60);

    world.login("zoe", "wrong horse");

    let now = world.now();
    let home = ClientAddr::parse(Some(HOME));
    let previous = TIERS[0].counters("zoe", home.as_str(), now - 60);
    let current = TIERS[0].counters("zoe", home.as_str(), now);
    let keys = world.kv.keys();
    for old in [&previous.busy, &previous.fails] {
        assert!(!keys.contains(old), "{old} in {keys:?}");
    }
    assert!(keys.contains(&current.fails), "{keys:?}");
}
