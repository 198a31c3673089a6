//! The Spin side, the one file that knows the Spin SDK: the component's entry, its variables,
//! the `motus` store, the host's clock and randomness, and auth and score over outbound HTTP
//! under spin-kit's deadlines. Compiled for wasm only, so native builds never link the export.

use serde::Deserialize;
use spin_kit::access::{self, AccessKey};
use spin_kit::clock::{self, SystemClock};
use spin_kit::errors::ApiError;
use spin_kit::game_id::GameId;
use spin_kit::http::MAX_BODY_BYTES;
use spin_kit::names::PlayerName;
use spin_kit::outbound;
use spin_kit::random::OsRandom;
use spin_kit::spin::{header, read_body, respond, Target, WasiKv};
use spin_sdk::http::{IncomingRequest, Method, Request, ResponseOutparam};
use spin_sdk::variables;

use crate::app::PlayError;
use crate::domain::dictionary::WordList;
use crate::http::{self, ApiRequest, Config, Ports, Refusal, SECRET_HEADER};
use crate::siblings::{IdentityError, RecordFailure, Siblings};

/// The key-value label motus owns, as declared in spin.toml.
const LABEL: &str = "motus";
const AUTH_ME: &str = "http://auth.spin.internal/auth/me";
const SCORE_GAMES: &str = "http://score.spin.internal/score/games";

#[spin_sdk::http_component]
async fn handle(req: IncomingRequest, out: ResponseOutparam) {
    let target = Target::of(&req);
    let authorization = header(&req, "authorization");
    let secret = header(&req, SECRET_HEADER);
    let request = ApiRequest {
        method: &target.method,
        path: &target.path,
        authorization: authorization.as_deref(),
        result_secret: secret.as_deref(),
        body: async { read_body(req, MAX_BODY_BYTES).await.map_err(ApiError::from) },
    };
    respond(out, http::handle(request, open).await).await;
}

fn open() -> Result<Ports<WasiKv, Peers, SystemClock, OsRandom>, ApiError> {
    let config = config()?;
    let clock = clock::from_variables().map_err(|e| Refusal::Misconfigured(e.to_string()))?;
    Ok(Ports {
        kv: WasiKv::open(LABEL).map_err(PlayError::Store)?,
        siblings: Peers {
            access: spin_kit::access::key_from_spin()?,
        },
        clock,
        random: OsRandom,
        config,
    })
}

fn config() -> Result<Config, Refusal> {
    let answer_words = match variable("answer_words")? {
        Some(list) => WordList::parse(&list).map_err(|e| Refusal::Misconfigured(e.to_string()))?,
        None => WordList::default(),
    };
    Ok(Config {
        daily_secret: variable("daily_secret")?
            .filter(|s| !s.is_empty())
            .map(String::into_bytes),
        answer_words,
        result_secret: variable("result_secret")?.filter(|s| !s.is_empty()),
        access_tokens: variable(access::SECRET_VARIABLE)?.is_some_and(|s| !s.is_empty()),
    })
}

fn variable(name: &str) -> Result<Option<String>, Refusal> {
    match variables::get(name) {
        Ok(value) => Ok(Some(value)),
        Err(variables::Error::Undefined(_)) => Ok(None),
        Err(e) => Err(Refusal::Misconfigured(format!("variable {name}: {e}"))),
    }
}

#[derive(Deserialize)]
struct Me {
    username: String,
}

/// Auth and score over Spin's service chaining; access tokens checked here with the shared key.
pub struct Peers {
    access: Option<AccessKey>,
}

impl Siblings for Peers {
    /// An access token is checked here, with no call. A session token goes to auth, which
    /// answers from its own store, so the direct deadline applies; a hung auth is reported like
    /// an absent one, which the webapp relays as auth being down.
    async fn identify(&self, token: &str) -> Result<PlayerName, IdentityError> {
        if let Some(verdict) = access::check_now(self.access.as_ref(), token) {
            return verdict.map_err(|_| IdentityError::Rejected);
        }
        let request = Request::builder()
            .method(Method::Get)
            .uri(AUTH_ME)
            .header("authorization", format!("Bearer {token}"))
            .header("accept", "application/json")
            .build();
        let response = outbound::send(request, outbound::deadlines().direct())
            .await
            .map_err(|e| IdentityError::Unavailable(e.to_string()))?;
        match *response.status() {
            200 => {
                let me: Me = serde_json::from_slice(response.body())
                    .map_err(|e| IdentityError::BadGateway(format!("/auth/me body: {e}")))?;
                PlayerName::parse(&me.username)
                    .map_err(|e| IdentityError::BadGateway(e.to_string()))
            }
            401 | 403 => Err(IdentityError::Rejected),
            status @ 502..=504 => Err(IdentityError::Unavailable(format!("status {status}"))),
            other => Err(IdentityError::BadGateway(format!(
                "/auth/me status {other}"
            ))),
        }
    }

    /// Score checks the game back with motus under the direct deadline, and this call uses the
    /// direct deadline too rather than the relayed one: nothing here depends on which of the two
    /// gave up, while a guess that waited longer than the webapp waits for motus would be
    /// reported as motus failing although the guess was accepted.
    async fn record(&self, id: &GameId, token: &str) -> Result<(), RecordFailure> {
        let body = serde_json::json!({ "game_id": id }).to_string();
        let request = Request::builder()
            .method(Method::Post)
            .uri(SCORE_GAMES)
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {token}"))
            .body(body)
            .build();
        match outbound::send(request, outbound::deadlines().direct()).await {
            Ok(response) if matches!(*response.status(), 200 | 201) => Ok(()),
            Ok(response) => Err(RecordFailure(format!("status {}", response.status()))),
            Err(e) => Err(RecordFailure(e.to_string())),
        }
    }
}
