//! Exactly once: concurrent recordings, and retries after a failure at every step.

use super::*;
use crate::testing::Flaky;
use std::collections::HashMap;
use std::sync::atomic::AtomicUsize;

#[test]
fn sixty_four_concurrent_recordings_of_one_game_count_it_once() {
    let mut world = World::new();
    world.motus.finish("g", "Zoe", TODAY, true, 2, 8);
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..64)
            .map(|_| s.spawn(|| world.record("g").status))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|&&s| s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|&&s| s == 200).count(), 63);
    let stats = world.get("/score/zoe");
    assert_eq!(
        (stats["played"].clone(), stats["total"].clone()),
        (json!(1), json!(400))
    );
    let board = world.get("/score/leaderboard?period=day");
    assert_eq!(board["entries"][0]["points"], 400);
    assert_eq!(
        world.get("/score/zoe/history")["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn two_hundred_games_by_twenty_players_recorded_concurrently_add_up_exactly() {
    let mut world = World::new();
    let mut expected = HashMap::new();
    for n in 0..200u32 {
        let player = format!("player{:02}", n % 20);
        let won = n % 3 != 0;
        let (tries, length) = (if won { 1 + n % 6 } else { 6 }, 6 + n % 5);
        world
            .motus
            .finish(&format!("g{n}"), &player, TODAY, won, tries, length);
        let points = if won { 10 * length * (7 - tries) } else { 0 };
        *expected.entry(player).or_insert(0u64) += u64::from(points);
    }
    std::thread::scope(|s| {
        for chunk in 0..20 {
            let world = &world;
            s.spawn(move || {
                for n in chunk * 10..chunk * 10 + 10 {
                    let reply = world.record(&format!("g{n}"));
                    assert!(reply.status == 201 || reply.status == 200, "{}", reply.body);
                }
            });
        }
    });
    for n in 0..200 {
        assert_eq!(world.record(&format!("g{n}")).status, 200);
    }
    for (player, points) in &expected {
        let stats = world.get(&format!("/score/{player}"));
        assert_eq!(
            (stats["total"].as_u64(), stats["played"].as_u64()),
            (Some(*points), Some(10)),
            "{player}"
        );
    }
    for period in ["all", "week", "day"] {
        let board = world.get(&format!("/score/leaderboard?period={period}&limit=100"));
        let entries = board["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 20, "{period}");
        for entry in entries {
            let player = entry["player"].as_str().unwrap();
            assert_eq!(
                entry["points"].as_u64(),
                Some(expected[player]),
                "{period} {player}"
            );
            assert_eq!(entry["played"], 10);
        }
    }
}

#[test]
fn a_retry_after_a_failure_at_any_step_finishes_the_recording_exactly_once() {
    let mut world = World::new();
    world.motus.finish("g", "Zoe", TODAY, true, 1, 6);
    world.motus.finish("next", "Zoe", "2026-11-25", false, 6, 6);
    for budget in 0..40 {
        world.kv = MemKv::default();
        let flaky = Flaky {
            inner: &world.kv,
            budget: AtomicUsize::new(budget),
        };
        let body = json!({ "game_id": game_id("g") }).to_string();
        let interrupted = world.call_on(&flaky, "POST", "/score/games", None, &body);
        assert!(
            matches!(interrupted.status, 201 | 503),
            "{budget}: {}",
            interrupted.body
        );
        let retried = world.record("g");
        assert!(matches!(retried.status, 200 | 201), "{budget}");
        assert_eq!(retried.body["points"], 360);
        assert_eq!(world.record("g").status, 200);

        let stats = world.get("/score/zoe");
        assert_eq!(
            (stats["played"].as_u64(), stats["total"].as_u64()),
            (Some(1), Some(360)),
            "{budget}"
        );
        assert_eq!(
            world.get("/score/zoe/history")["items"]
                .as_array()
                .unwrap()
                .len(),
            1,
            "{budget}"
        );
        for period in ["all", "week", "day"] {
            let board = world.get(&format!("/score/leaderboard?period={period}"));
            assert_eq!(board["entries"][0]["points"], 360, "{budget} {period}");
        }
        assert_eq!(world.record("next").status, 201);
        let doc: Value = spin_kit::kv::get_json(&world.kv, "player:zoe")
            .unwrap()
            .unwrap();
        assert_eq!(doc["pending"], json!({}), "{budget}");
        assert_eq!(doc["all"]["played"], 2, "{budget}");
    }
}
