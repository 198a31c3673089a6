//! The score API exercised route by route over the in-memory store and fake siblings
//! (`crate::testing`); one file per concern under `tests/`.

use futures::executor::block_on;
use serde_json::{json, Value};
use spin_kit::memory::MemKv;

use super::{handle, ApiRequest, Context};
use crate::app::Score;
use crate::testing::{game_id, token, FakeAuth, FakeMotus, NOW, SECRET, TODAY};
use spin_kit::clock::FixedClock;
use spin_kit::kv::Kv;

mod admin;
mod deletion;
mod exactly_once;
mod health;
mod leaderboards;
mod reads;
mod recording;

const ADMIN: &str = "s3cret-admin";

struct Reply {
    status: u16,
    body: Value,
}

impl Reply {
    fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    /// The sibling an error names, if any.
    fn service(&self) -> &str {
        self.body["error"]["service"].as_str().unwrap_or("")
    }
}

struct World {
    kv: MemKv,
    motus: FakeMotus,
    admin_token: Option<&'static str>,
    result_secret: Option<&'static str>,
    clock: FixedClock,
}

impl World {
    fn new() -> Self {
        Self {
            kv: MemKv::default(),
            motus: FakeMotus::default(),
            admin_token: Some(ADMIN),
            result_secret: Some(SECRET),
            clock: FixedClock::at(NOW),
        }
    }

    fn call_on<K: Kv>(
        &self,
        kv: &K,
        method: &str,
        target: &str,
        auth: Option<&str>,
        body: &str,
    ) -> Reply {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let ctx = Context {
            score: Score::new(kv, &self.motus, &FakeAuth, &self.clock)
                .with_result_secret(self.result_secret),
            admin_token: self.admin_token,
        };
        let bearer = auth.map(|t| format!("Bearer {t}"));
        let req = ApiRequest {
            method,
            path,
            query,
            authorization: bearer.as_deref(),
            body: body.as_bytes(),
        };
        let response = block_on(handle(&ctx, &req));
        Reply {
            status: response.status,
            body: serde_json::from_slice(&response.body).unwrap_or(Value::Null),
        }
    }

    fn call(&self, method: &str, target: &str, body: &str) -> Reply {
        self.call_on(&self.kv, method, target, None, body)
    }

    fn record(&self, id: &str) -> Reply {
        self.call(
            "POST",
            "/score/games",
            &json!({ "game_id": game_id(id) }).to_string(),
        )
    }

    fn get(&self, target: &str) -> Value {
        self.get_as(None, target)
    }

    /// A GET with `player`'s token, or none.
    fn get_as(&self, player: Option<&str>, target: &str) -> Value {
        let token = player.map(token);
        let reply = self.call_on(&self.kv, "GET", target, token.as_deref(), "");
        assert_eq!(reply.status, 200, "{target}: {}", reply.body);
        reply.body
    }

    fn delete(&self, player: &str, token: Option<&str>) -> Reply {
        let target = format!("/score/players/{player}");
        self.call_on(&self.kv, "DELETE", &target, token, "")
    }

    fn credit(&self, token: Option<&str>, body: Value) -> Reply {
        self.call_on(&self.kv, "POST", "/score/update", token, &body.to_string())
    }
}

#[test]
fn unknown_routes_and_wrong_methods_are_reported() {
    let world = World::new();
    for target in ["/score", "/score/", "/score/a/b/c", "/other"] {
        let reply = world.call("GET", target, "");
        assert_eq!((reply.status, reply.code()), (404, "not_found"), "{target}");
    }
    for (method, target) in [
        ("GET", "/score/games"),
        ("DELETE", "/score/zoe"),
        ("POST", "/score/leaderboard"),
        ("GET", "/score/update"),
    ] {
        let reply = world.call(method, target, "");
        assert_eq!(
            (reply.status, reply.code()),
            (405, "method_not_allowed"),
            "{method} {target}"
        );
    }
}
