//! Deleting an account deletes the player: siblings first, with the player's token, then auth.

use super::{Reply, World};
use crate::siblings::Sibling;

/// Keys still holding a document; removed documents (tombstones), creation claims and attempt
/// counters are bookkeeping.
fn live_documents(world: &World) -> Vec<String> {
    world
        .kv
        .keys()
        .into_iter()
        .filter(|k| !k.ends_with("#claim") && !k.starts_with("tries:"))
        .filter(|k| {
            spin_kit::kv::get_json::<_, serde_json::Value>(&world.kv, k)
                .unwrap()
                .is_some()
        })
        .collect()
}

/// Registers zoe, takes `sibling` down and asks to delete the account: a 503 naming that
/// sibling. Returns it with zoe's token.
fn delete_while_down(world: &World, sibling: Sibling) -> (Reply, String) {
    let token = world.register("zoe", "correct horse").token();
    world.players.take_down(sibling);
    let failed = world.delete_me(&token, "correct horse");
    assert_eq!((failed.status, failed.code()), (503, "service_unavailable"));
    assert_eq!(failed.body["error"]["service"], sibling.name());
    (failed, token)
}

#[test]
fn deleting_asks_motus_then_score_to_forget_the_player_with_its_own_token() {
    let world = World::new();
    let token = world.register("Zoe", "correct horse").token();
    let other = world.login("zoe", "correct horse").token();

    assert_eq!(world.delete_me(&token, "correct horse").status, 204);

    assert_eq!(
        world.players.calls(),
        [
            (Sibling::Motus, "Zoe".into()),
            (Sibling::Score, "Zoe".into())
        ]
    );
    let tokens: Vec<String> = world
        .players
        .asked
        .lock()
        .unwrap()
        .iter()
        .map(|c| c.2.clone())
        .collect();
    assert_eq!(tokens, [token.clone(), token.clone()]);
    assert!(
        live_documents(&world).is_empty(),
        "{:?}",
        live_documents(&world)
    );
    assert_eq!(world.me(&token).status, 401);
    assert_eq!(world.me(&other).status, 401);
    assert_eq!(world.login("zoe", "correct horse").status, 401);
}

#[test]
fn the_same_name_registered_again_is_a_new_account() {
    let world = World::new();
    let token = world.register("zoe", "correct horse").token();
    assert_eq!(world.delete_me(&token, "correct horse").status, 204);

    assert_eq!(world.register("Zoe", "another one").status, 201);

    assert_eq!(world.me(&token).status, 401, "old tokens stay dead");
}

#[test]
fn a_wrong_password_deletes_nothing_anywhere() {
    let world = World::new();
    let token = world.register("zoe", "correct horse").token();

    let wrong = world.delete_me(&token, "nope nope");

    assert_eq!((wrong.status, wrong.code()), (403, "wrong_password"));
    assert!(world.players.calls().is_empty());
    assert_eq!(world.me(&token).status, 200);
}

#[test]
fn a_sibling_that_fails_keeps_the_account_and_a_retry_finishes_the_job() {
    let world = World::new();

    let (failed, token) = delete_while_down(&world, Sibling::Score);

    let message = failed.body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("score") && message.contains("conservé"),
        "{message}"
    );
    assert_eq!(world.me(&token).status, 200, "account kept");

    world.players.bring_back();
    assert_eq!(world.delete_me(&token, "correct horse").status, 204);
    assert_eq!(world.me(&token).status, 401);
    let asked: Vec<Sibling> = world.players.calls().into_iter().map(|c| c.0).collect();
    assert_eq!(
        asked,
        [
            Sibling::Motus,
            Sibling::Score,
            Sibling::Motus,
            Sibling::Score
        ]
    );
}

#[test]
fn when_motus_fails_score_is_not_asked() {
    let world = World::new();

    let (_, token) = delete_while_down(&world, Sibling::Motus);

    assert_eq!(world.players.calls(), [(Sibling::Motus, "zoe".into())]);
    assert_eq!(world.me(&token).status, 200);
}
