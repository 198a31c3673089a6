//! `DELETE /score/players/{player}`: the player deletes everything score holds about them.

use super::*;

#[test]
fn deleting_a_player_needs_their_own_token_and_leaves_nothing_behind() {
    let mut world = World::new();
    world.motus.finish("z1", "Zoe", "2026-11-25", true, 1, 6);
    world.motus.finish("z2", "Zoe", TODAY, false, 6, 6);
    world.motus.practice("z3", "Zoe", true, 2, 7);
    world.motus.finish("a1", "Ann", TODAY, true, 3, 6);
    for id in ["z1", "z2", "z3", "a1"] {
        world.record(id);
    }
    world.credit(Some(ADMIN), json!({ "player": "zoe", "score": 5 }));
    let ann_before = world.get("/score/ann/history");

    let anonymous = world.delete("zoe", None);
    assert_eq!(
        (anonymous.status, anonymous.code()),
        (401, "unauthenticated")
    );
    let other = world.delete("zoe", Some("tok-ann"));
    assert_eq!((other.status, other.code()), (403, "forbidden"));
    let forged = world.delete("zoe", Some("forged"));
    assert_eq!((forged.status, forged.code()), (401, "unauthenticated"));
    assert_eq!(world.get("/score/zoe")["played"], 2, "nothing deleted yet");

    assert_eq!(world.delete("Zoe", Some("tok-zoe")).status, 204);

    let left: Vec<String> = world
        .kv
        .keys()
        .into_iter()
        .filter(|key| {
            key.contains("zoe")
                || ["z1", "z2", "z3"]
                    .iter()
                    .any(|id| key.contains(&game_id(id)))
        })
        .filter(|key| !key.ends_with("#claim"))
        .filter(|key| {
            let doc: Value = serde_json::from_slice(&world.kv.get(key).unwrap().unwrap()).unwrap();
            !doc["doc"].is_null()
        })
        .collect();
    assert!(left.is_empty(), "still held: {left:?}");
    for period in ["all", "week", "day"] {
        let board = world.get(&format!("/score/leaderboard?period={period}"));
        let players: Vec<&Value> = board["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["player"])
            .collect();
        assert_eq!(players, [&json!("Ann")], "{period}");
    }
    let fresh = world.get("/score/zoe");
    assert_eq!((&fresh["total"], &fresh["played"]), (&json!(0), &json!(0)));
    assert_eq!(
        world.get_as(Some("zoe"), "/score/zoe/history"),
        json!({ "items": [], "next_cursor": null })
    );
    assert_eq!(world.get("/score/ann/history"), ann_before);
    assert_eq!(
        world.delete("zoe", Some("tok-zoe")).status,
        204,
        "nothing left"
    );
    assert_eq!(world.delete("nobody", Some("tok-nobody")).status, 204);

    // A new account under the same name starts from zero, and its games count again.
    world.motus.finish("n1", "zoe", TODAY, true, 2, 6);
    assert_eq!(world.record("n1").status, 201);
    let board = world.get("/score/leaderboard?period=all");
    assert_eq!(board["entries"][0]["points"], 300);
    assert_eq!(world.get("/score/zoe")["played"], 1);
}
