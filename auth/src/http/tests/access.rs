//! Access tokens: issued beside sessions, refreshed from a session, and a deleted name kept free
//! for as long as a token issued for it may be accepted.

use super::*;
use spin_kit::access::{AccessKey, MAX_LIFETIME};

const SECRET: &str = "an access secret of at least 32 bytes";

fn key() -> AccessKey {
    AccessKey::from_secret(SECRET).unwrap().unwrap()
}

fn world_with_access(ttl: u64) -> World {
    World {
        access: Some(Access { key: key(), ttl }),
        ..World::new()
    }
}

#[test]
fn login_and_registration_hand_out_an_access_token_naming_the_player() {
    let world = world_with_access(60);
    let registered = world.register("Zoe", "correct horse");
    assert_eq!(registered.status, 201);
    let logged_in = world.login("zoe", "correct horse");
    for reply in [&registered, &logged_in] {
        let token = reply.body["access_token"].as_str().unwrap();
        let claims = key().verify(token, world.now()).unwrap();
        assert_eq!(claims.player.as_str(), "Zoe");
        assert_eq!(reply.body["access_expires_at"], world.now() + 60);
    }
}

#[test]
fn without_a_secret_no_access_token_is_issued_and_the_route_says_so() {
    let world = World::new();
    let reply = world.register("zoe", "correct horse");
    assert!(reply.body.get("access_token").is_none(), "{}", reply.body);
    let refused = world.call("POST", "/auth/access", Some(&reply.token()), "");
    assert_eq!((refused.status, refused.code()), (404, "not_found"));
}

#[test]
fn a_session_refreshes_its_access_token_until_it_ends() {
    let world = world_with_access(60);
    let session = world.register("zoe", "correct horse").token();
    world.advance(120);
    let refreshed = world.call("POST", "/auth/access", Some(&session), "");
    assert_eq!(refreshed.status, 200, "{}", refreshed.body);
    let token = refreshed.body["access_token"].as_str().unwrap();
    assert_eq!(
        key().verify(token, world.now()).unwrap().player.key(),
        "zoe"
    );
    assert_eq!(refreshed.body["username"], "zoe");

    assert_eq!(
        world
            .call("POST", "/auth/logout", Some(&session), "")
            .status,
        204
    );
    let after = world.call("POST", "/auth/access", Some(&session), "");
    assert_eq!((after.status, after.code()), (401, "unauthenticated"));
    // An access token is no session: it cannot mint another.
    let with_access = world.call("POST", "/auth/access", Some(token), "");
    assert_eq!(with_access.status, 401);
}

#[test]
fn a_deleted_name_cannot_be_registered_while_its_access_tokens_live() {
    let world = world_with_access(60);
    let session = world.register("zoe", "correct horse").token();
    assert_eq!(world.delete_me(&session, "correct horse").status, 204);
    let again = world.register("Zoe", "another horse");
    assert_eq!((again.status, again.code()), (409, "username_taken"));
    assert_eq!(again.header("retry-after"), Some("600"));
    assert!(again.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("dans 10 min"));
    world.advance(MAX_LIFETIME - 1);
    assert_eq!(world.register("zoe", "another horse").status, 409);
    world.advance(1);
    assert_eq!(world.register("zoe", "another horse").status, 201);
}

#[test]
fn without_access_tokens_a_deleted_name_is_free_at_once() {
    let world = World::new();
    let session = world.register("zoe", "correct horse").token();
    assert_eq!(world.delete_me(&session, "correct horse").status, 204);
    assert_eq!(world.register("zoe", "another horse").status, 201);
}
