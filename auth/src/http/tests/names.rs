//! Names that cannot travel through every route are refused; names of older accounts still work.

use serde_json::json;
use spin_kit::kv::{update_json, Step};

use super::World;
use crate::app::MAX_CAS_ATTEMPTS;
use crate::domain::records::{user_key, UserRecord};
use crate::domain::Password;
use crate::siblings::Sibling;

#[test]
fn names_that_do_not_start_and_end_with_a_letter_or_digit_are_refused() {
    let world = World::new();
    for name in ["..", "...", ".zoe", "zoe.", "_zoe", "zoe-", "-_-"] {
        let reply = world.register(name, "correct horse");
        assert_eq!(
            (reply.status, reply.code()),
            (400, "invalid_username"),
            "{name}"
        );
        let message = reply.body["error"]["message"].as_str().unwrap();
        assert!(message.contains("commencer et finir"), "{message}");
    }
    assert!(world.kv.keys().is_empty(), "{:?}", world.kv.keys());
}

#[test]
fn an_account_registered_before_the_edge_rule_can_still_log_in_and_leave() {
    let world = World::new();
    let hash = Password::parse("correct horse".into())
        .unwrap()
        .hash(&[5; 16])
        .unwrap();
    let user = UserRecord {
        username: "_Zoe_".into(),
        password_hash: hash,
        created_at: 1,
        account_id: "old".into(),
        generation: 0,
        sessions: vec![],
    };
    update_json(
        &world.kv,
        &user_key("_zoe_"),
        MAX_CAS_ATTEMPTS,
        |_: Option<UserRecord>| Ok::<_, crate::domain::StoreError>(Step::Write(user.clone(), ())),
    )
    .unwrap();

    let login = world.login("_zoe_", "correct horse");

    assert_eq!(login.status, 200);
    assert_eq!(login.body["username"], "_Zoe_");
    let body = json!({ "password": "correct horse" }).to_string();
    let token = login.token();
    assert_eq!(
        world.call("DELETE", "/auth/me", Some(&token), &body).status,
        204
    );
    assert_eq!(
        world.players.calls(),
        [
            (Sibling::Motus, "_Zoe_".into()),
            (Sibling::Score, "_Zoe_".into())
        ]
    );
}
