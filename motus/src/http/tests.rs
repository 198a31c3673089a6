//! Every route through `handle`, over an in-memory store, fake siblings, a fixed clock and
//! counting randomness.

mod challenges;
mod errors;
mod health;
mod open_games;
mod routes;

use std::future::{ready, Ready};

use serde_json::{json, Value};
use spin_kit::clock::FixedClock;
use spin_kit::errors::ApiError;
use spin_kit::http::ApiResponse;
use spin_kit::random::CountingRandom;

use super::{handle, ApiRequest, Config, Ports, Route};
use crate::domain::dictionary::WordList;
use crate::testing::{block_on, FakeSiblings, TestKv};

/// 2024-05-01T10:00:00Z, noon in Paris.
const NOON: i64 = 1_714_557_600;
const RESULT_SECRET: &str = "shared-with-score";

/// One motus, its fakes kept between requests.
struct Service {
    kv: TestKv,
    siblings: FakeSiblings,
    clock: FixedClock,
    random: CountingRandom,
    /// `open` fails with this, as a misconfigured component would.
    broken: Option<ApiError>,
}

impl Default for Service {
    fn default() -> Self {
        Self {
            kv: TestKv::default(),
            siblings: FakeSiblings::default(),
            clock: FixedClock::at(NOON),
            random: CountingRandom::new(),
            broken: None,
        }
    }
}

/// An answer, read back.
struct Reply {
    status: u16,
    body: Value,
    response: ApiResponse,
}

impl Reply {
    fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_default()
    }

    #[track_caller]
    fn error(&self, status: u16, code: &str) {
        assert_eq!((self.status, self.code()), (status, code), "{}", self.body);
    }
}

/// A request: bearer token, result secret and body are optional.
#[derive(Default)]
struct Call<'a> {
    authorization: Option<&'a str>,
    result_secret: Option<&'a str>,
    body: Option<Result<Vec<u8>, ApiError>>,
}

impl Service {
    fn send(&self, method: &str, path: &str, call: Call<'_>) -> Reply {
        let body: Ready<Result<Vec<u8>, ApiError>> =
            ready(call.body.unwrap_or_else(|| Ok(Vec::new())));
        let request = ApiRequest {
            method,
            path,
            authorization: call.authorization,
            result_secret: call.result_secret,
            body,
        };
        let open = || match &self.broken {
            Some(error) => Err(error.clone()),
            None => Ok(Ports {
                kv: &self.kv,
                siblings: &self.siblings,
                clock: &self.clock,
                random: &self.random,
                config: Config {
                    daily_secret: Some(b"daily".to_vec()),
                    answer_words: WordList::parse("MAISON").unwrap(),
                    result_secret: Some(RESULT_SECRET.into()),
                    access_tokens: true,
                },
            }),
        };
        let response = block_on(handle(request, open));
        let body = match response.body.is_empty() {
            true => Value::Null,
            false => serde_json::from_slice(&response.body).unwrap(),
        };
        Reply {
            status: response.status,
            body,
            response,
        }
    }

    /// `method path` as `player` (their token in the fake auth), with a JSON body if not null.
    fn as_player(&self, player: &str, method: &str, path: &str, body: Value) -> Reply {
        let authorization = format!("Bearer {}", FakeSiblings::token(player));
        let body = (!body.is_null()).then(|| Ok(body.to_string().into_bytes()));
        self.send(
            method,
            path,
            Call {
                authorization: Some(&authorization),
                body,
                ..Call::default()
            },
        )
    }

    fn new_game(&self, player: &str, mode: &str) -> Reply {
        self.as_player(player, "POST", "/motus/games", json!({ "mode": mode }))
    }

    fn guess(&self, player: &str, id: &str, word: &str) -> Reply {
        let path = format!("/motus/games/{id}/guesses");
        self.as_player(player, "POST", &path, json!({ "word": word }))
    }

    /// A new practice game's id.
    fn practice(&self, player: &str) -> String {
        let reply = self.new_game(player, "practice");
        assert_eq!(reply.status, 201, "{}", reply.body);
        reply.body["id"].as_str().unwrap().to_owned()
    }
}
