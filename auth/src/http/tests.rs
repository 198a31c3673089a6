//! The auth API exercised end to end over the in-memory store.

use futures::executor::block_on;
use serde_json::{json, Value};
use spin_kit::clock::{Clock, FixedClock};
use spin_kit::memory::MemKv;
use spin_kit::random::CountingRandom;

use super::{handle, ApiRequest, ApiResponse};
use crate::app::{Access, Auth};
use crate::domain::ClientAddr;
use crate::testing::FakePlayers;

mod access;
mod deletion;
mod errors;
mod health;
mod lockout;
mod names;

const TTL: u64 = 3_600;
/// Where requests come from unless a test says otherwise.
const HOME: &str = "192.0.2.1:50000";

struct World {
    kv: MemKv,
    clock: FixedClock,
    random: CountingRandom,
    players: FakePlayers,
    access: Option<Access>,
}

struct Reply {
    status: u16,
    body: Value,
    response: ApiResponse,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        let found = self.response.headers.iter().find(|(n, _)| *n == name);
        found.map(|(_, v)| v.as_str())
    }

    fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    fn token(&self) -> String {
        self.body["token"].as_str().unwrap().to_owned()
    }
}

impl World {
    fn new() -> Self {
        Self {
            kv: MemKv::default(),
            clock: FixedClock::at(1_700_000_000),
            random: CountingRandom::new(),
            players: FakePlayers::default(),
            access: None,
        }
    }

    fn now(&self) -> u64 {
        self.clock.now().try_into().unwrap()
    }

    fn advance(&self, seconds: u64) {
        self.clock.advance(seconds.try_into().unwrap());
    }

    fn call(&self, method: &str, path: &str, token: Option<&str>, body: &str) -> Reply {
        self.call_from(HOME, method, path, token, body)
    }

    fn call_from(
        &self,
        client: &str,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: &str,
    ) -> Reply {
        let bearer = token.map(|t| format!("Bearer {t}"));
        self.send(client, method, path, bearer.as_deref(), body)
    }

    /// One request with `authorization` as the raw header value.
    fn send(
        &self,
        client: &str,
        method: &str,
        path: &str,
        authorization: Option<&str>,
        body: &str,
    ) -> Reply {
        let auth =
            Auth::new(&self.kv, &self.clock, &self.random, TTL).with_access(self.access.clone());
        let client = ClientAddr::parse(Some(client));
        let response = block_on(handle(
            &auth,
            &self.players,
            &ApiRequest {
                method,
                path,
                authorization,
                client: &client,
                body: body.as_bytes(),
            },
        ));
        let body = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
        Reply {
            status: response.status,
            body,
            response,
        }
    }

    fn register(&self, username: &str, password: &str) -> Reply {
        let body = json!({ "username": username, "password": password }).to_string();
        self.call("POST", "/auth/register", None, &body)
    }

    fn login(&self, username: &str, password: &str) -> Reply {
        self.login_from(HOME, username, password)
    }

    fn login_from(&self, client: &str, username: &str, password: &str) -> Reply {
        let body = json!({ "username": username, "password": password }).to_string();
        self.call_from(client, "POST", "/auth/login", None, &body)
    }

    fn delete_me(&self, token: &str, password: &str) -> Reply {
        let body = json!({ "password": password }).to_string();
        self.call("DELETE", "/auth/me", Some(token), &body)
    }

    fn me(&self, token: &str) -> Reply {
        self.call("GET", "/auth/me", Some(token), "")
    }

    fn change_password(&self, token: &str, current: &str, new: &str) -> Reply {
        let body = json!({ "current_password": current, "new_password": new }).to_string();
        self.call("PUT", "/auth/password", Some(token), &body)
    }

    /// Runs `request(i)` for every `i` below `n` on threads of their own, all at once; the
    /// statuses in the order of `i`.
    fn at_once(&self, n: usize, request: impl Fn(usize) -> Reply + Sync) -> Vec<u16> {
        std::thread::scope(|s| {
            let request = &request;
            let handles: Vec<_> = (0..n).map(|i| s.spawn(move || request(i).status)).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        })
    }
}

#[test]
fn registering_returns_a_token_that_identifies_the_player() {
    let world = World::new();
    let reply = world.register("Zoe_92", "correct horse");
    assert_eq!(reply.status, 201);
    assert_eq!(reply.body["username"], "Zoe_92");
    assert_eq!(reply.body["expires_at"], 1_700_000_000 + TTL);
    assert_eq!(reply.token().len(), 43);

    let me = world.me(&reply.token());
    assert_eq!(me.status, 200);
    assert_eq!(
        me.body,
        json!({ "username": "Zoe_92", "created_at": 1_700_000_000u64 })
    );
}

#[test]
fn a_name_is_taken_whatever_its_case() {
    let world = World::new();
    assert_eq!(world.register("Zoe", "correct horse").status, 201);
    let again = world.register("ZOE", "another password");
    assert_eq!(again.status, 409);
    assert_eq!(again.code(), "username_taken");
}

#[test]
fn concurrent_registrations_of_one_name_create_exactly_one_account() {
    let world = World::new();
    let names = ["zoe", "Zoe", "ZOE", "zOe", "ZoE", "zoE"];
    let statuses = world.at_once(names.len(), |i| world.register(names[i], "correct horse"));
    assert_eq!(
        statuses.iter().filter(|&&s| s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 409).count(),
        names.len() - 1
    );
    let sessions = world
        .kv
        .keys()
        .into_iter()
        .filter(|k| k.starts_with("session:"));
    assert_eq!(sessions.count(), 1, "losers leave no session behind");
}

#[test]
fn invalid_registrations_are_refused_with_a_reason() {
    let world = World::new();
    let cases = [
        ("a", "correct horse", "invalid_username"),
        ("has space", "correct horse", "invalid_username"),
        ("me", "correct horse", "invalid_username"),
        ("zoe", "short", "invalid_password"),
        ("zoe", &"x".repeat(257), "invalid_password"),
    ];
    for (username, password, code) in cases {
        let reply = world.register(username, password);
        assert_eq!((reply.status, reply.code()), (400, code), "{username:?}");
    }
}

#[test]
fn malformed_bodies_are_bad_requests() {
    let world = World::new();
    for body in [
        "",
        "not json",
        "{\"username\":\"zoe\"}",
        "{\"username\":5,\"password\":\"correct horse\"}",
        "[]",
    ] {
        let reply = world.call("POST", "/auth/register", None, body);
        assert_eq!(
            (reply.status, reply.code()),
            (400, "invalid_json"),
            "{body:?}"
        );
    }
}

#[test]
fn logging_in_is_case_insensitive_and_returns_the_registered_spelling() {
    let world = World::new();
    world.register("Zoe", "correct horse");
    let reply = world.login("zOE", "correct horse");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["username"], "Zoe");
    assert_eq!(world.me(&reply.token()).status, 200);
}

#[test]
fn wrong_password_and_unknown_user_get_the_same_answer() {
    let world = World::new();
    world.register("zoe", "correct horse");
    let wrong = world.login("zoe", "wrong horse");
    let unknown = world.login("nobody", "correct horse");
    let malformed = world.login("?", "x");
    for reply in [&wrong, &unknown, &malformed] {
        assert_eq!(reply.status, 401);
        assert_eq!(reply.body, wrong.body);
    }
}

#[test]
fn logout_revokes_only_that_token() {
    let world = World::new();
    let first = world.register("zoe", "correct horse").token();
    let second = world.login("zoe", "correct horse").token();
    assert_eq!(
        world.call("POST", "/auth/logout", Some(&first), "").status,
        204
    );
    assert_eq!(world.me(&first).status, 401);
    assert_eq!(world.me(&second).status, 200);
    assert_eq!(
        world.call("POST", "/auth/logout", Some(&first), "").status,
        401
    );
}

#[test]
fn tokens_expire_after_the_ttl() {
    let world = World::new();
    let token = world.register("zoe", "correct horse").token();
    world.advance(TTL - 1);
    assert_eq!(world.me(&token).status, 200);
    world.advance(1);
    let expired = world.me(&token);
    assert_eq!((expired.status, expired.code()), (401, "unauthenticated"));
    assert_eq!(expired.header("www-authenticate"), Some("Bearer"));
}

#[test]
fn missing_or_garbage_tokens_are_unauthenticated() {
    let world = World::new();
    assert_eq!(world.call("GET", "/auth/me", None, "").status, 401);
    assert_eq!(world.me("garbage").status, 401);
    assert_eq!(world.me(&"A".repeat(43)).status, 401);
}

#[test]
fn the_bearer_scheme_is_read_whatever_its_case_and_nothing_else_is() {
    let world = World::new();
    let token = world.register("zoe", "correct horse").token();
    let me = |authorization: &str| {
        let reply = world.send(HOME, "GET", "/auth/me", Some(authorization), "");
        (reply.status, reply.code().to_owned())
    };
    for accepted in [format!("bearer {token}"), format!("  BEARER   {token}  ")] {
        assert_eq!(me(&accepted).0, 200, "{accepted:?}");
    }
    for refused in [format!("Basic {token}"), token.clone(), "Bearer ".into()] {
        assert_eq!(me(&refused), (401, "unauthenticated".into()), "{refused:?}");
    }
}

#[test]
fn changing_the_password_revokes_the_other_sessions_only() {
    let world = World::new();
    let current = world.register("zoe", "correct horse").token();
    let other = world.login("zoe", "correct horse").token();
    let reply = world.change_password(&current, "correct horse", "battery staple");
    assert_eq!(reply.status, 204);

    assert_eq!(world.me(&current).status, 200);
    assert_eq!(world.me(&other).status, 401);
    assert_eq!(world.login("zoe", "correct horse").status, 401);
    assert_eq!(world.login("zoe", "battery staple").status, 200);
}

#[test]
fn changing_the_password_checks_both_passwords() {
    let world = World::new();
    let token = world.register("zoe", "correct horse").token();
    let change = |current: &str, new: &str| world.change_password(&token, current, new);
    let wrong = change("wrong horse", "battery staple");
    assert_eq!((wrong.status, wrong.code()), (403, "wrong_password"));
    let weak = change("correct horse", "short");
    assert_eq!((weak.status, weak.code()), (400, "invalid_password"));
    assert_eq!(world.me(&token).status, 200);
}

#[test]
fn the_store_never_holds_a_token_or_a_password_in_clear() {
    let world = World::new();
    let token = world.register("zoe", "correct horse").token();
    for key in world.kv.keys() {
        let value = crate::domain::Kv::get(&world.kv, &key).unwrap().unwrap();
        let value = String::from_utf8(value).unwrap();
        assert!(!key.contains(&token) && !value.contains(&token), "{key}");
        assert!(!value.contains("correct horse"), "{key}");
    }
}

#[test]
fn unknown_routes_and_wrong_methods_are_reported() {
    let world = World::new();
    let missing = world.call("GET", "/auth/nope", None, "");
    assert_eq!((missing.status, missing.code()), (404, "not_found"));
    let wrong = world.call("GET", "/auth/login", None, "");
    assert_eq!((wrong.status, wrong.code()), (405, "method_not_allowed"));
    assert_eq!(wrong.header("allow"), Some("POST"));
    assert_eq!(
        world.call("PATCH", "/auth/me", None, "").header("allow"),
        Some("GET, DELETE")
    );
}
