//! Native route tests: requests as the adapter builds them, siblings scripted by
//! [`FakeSiblings`], answers read as the browser would.

mod access;
mod assets;
mod challenges;
mod errors;
mod games;
mod guards;
mod health;
mod me;
mod reads;
mod routes;
mod sessions;

use super::*;
pub(crate) use crate::siblings::{Answer, Failure, Service, Verb};
pub(crate) use crate::testing::FakeSiblings;
use futures::executor::block_on;
use spin_kit::clock::FixedClock;
use spin_kit::http::split_target;

pub(crate) const NOW: i64 = 1_800_000_000;
/// A game id as motus makes them.
pub(crate) const GAME: &str = "0123456789abcdef0123456789abcdef";
const SITE: &str = "http://127.0.0.1:3000";

pub(crate) struct Req {
    method: &'static str,
    target: String,
    headers: Vec<(String, String)>,
    pub(crate) body: Result<Vec<u8>, BodyError>,
    /// The webapp's access-token key (none: access tokens off).
    access: Option<spin_kit::access::AccessKey>,
}

pub(crate) fn get(target: &str) -> Req {
    Req {
        method: "GET",
        target: target.into(),
        headers: vec![],
        body: Ok(vec![]),
        access: None,
    }
}

pub(crate) fn post(target: &str, body: Value) -> Req {
    Req {
        method: "POST",
        target: target.into(),
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("origin".into(), SITE.into()),
        ],
        body: Ok(serde_json::to_vec(&body).unwrap()),
        access: None,
    }
}

impl Req {
    pub(crate) fn method(mut self, method: &'static str) -> Self {
        self.method = method;
        self
    }

    pub(crate) fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.retain(|(name, _)| name != k);
        self.headers.push((k.into(), v.into()));
        self
    }

    /// Served by a webapp holding `key` for access tokens.
    pub(crate) fn access_key(mut self, key: spin_kit::access::AccessKey) -> Self {
        self.access = Some(key);
        self
    }

    pub(crate) fn logged_in(self) -> Self {
        self.header("cookie", "motus_session=tok123; motus_user=alice")
    }

    /// Sent as the component would: `spin-full-url` set by the host, static files from `files`.
    pub(crate) fn send(self, up: &FakeSiblings) -> ApiResponse {
        let (path, query) = split_target(&self.target);
        let mut headers = self.headers;
        headers.push(("spin-full-url".into(), format!("{SITE}{}", self.target)));
        let headers = Headers::new(headers);
        let request = ApiRequest {
            method: self.method,
            path: &path,
            query: &query,
            headers: &headers,
            body: &self.body,
        };
        let app = App::new(up, FixedClock::at(NOW)).with_access(self.access);
        block_on(handle(&app, &request, files))
    }
}

/// The static files the tests serve.
fn files(path: &str) -> Option<Vec<u8>> {
    match path {
        "/static/index.html" => Some(b"<!doctype html>".to_vec()),
        "/static/app.js" => Some(b"export {}".to_vec()),
        _ => None,
    }
}

pub(crate) fn json(r: &ApiResponse) -> Value {
    serde_json::from_slice(&r.body).unwrap_or(Value::Null)
}

pub(crate) fn session_answer() -> Value {
    json!({ "username": "alice", "token": "tok123", "expires_at": NOW + 3600 })
}

pub(crate) fn auth_me() -> Value {
    json!({ "username": "alice", "created_at": "2026-11-01T10:00:00Z" })
}

pub(crate) fn game(status: &str) -> Value {
    json!({ "id": GAME, "mode": "daily", "length": 7, "first_letter": "M", "status": status,
            "guesses": [{ "word": "MAISONS", "marks": vec!["correct"; 7] }] })
}
