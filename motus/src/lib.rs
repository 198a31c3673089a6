//! The motus component: HTTP in, game rules in `domain`, state in the `motus` key-value store.

pub mod app;
pub mod domain;
pub mod siblings;

mod config;
mod errors;
mod http;
mod peers;
mod routes;
#[cfg(test)]
mod testing;

use serde::Deserialize;
use spin_sdk::http::{IncomingRequest, Response};

use app::store::Store;
use app::{Caller, DailyKey, Entropy, Motus, PlayError, Reader};
use config::Config;
use domain::dictionary::{embedded, Dictionary};
use domain::game::{Length, Mode};
use domain::word::Guess;
use errors::ApiError;
use peers::{Bearer, Peers};
use routes::Route;
use spin_kit::spin::WasiKv;

/// The key-value label motus owns, as declared in spin.toml.
const LABEL: &str = "motus";

// Exported only in the wasm build: a native cdylib cannot link wasi export names, and the
// native build exists for the unit tests.
#[cfg_attr(target_arch = "wasm32", spin_sdk::http_component)]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
async fn handle(req: IncomingRequest) -> Response {
    serve(req).await.unwrap_or_else(ApiError::into_response)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewGameBody {
    mode: Mode,
    #[serde(default)]
    length: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GuessBody {
    word: String,
}

/// The header a sibling presents the `result_secret` variable in.
const SECRET_HEADER: &str = "x-result-secret";

async fn serve(req: IncomingRequest) -> Result<Response, ApiError> {
    let route = routes::route(&req.method(), &req.path_with_query().unwrap_or_default())?;
    let authorization = http::header(&req, "authorization");
    let secret = http::header(&req, SECRET_HEADER);
    let bearer = match route.needs_login() {
        true => Some(Bearer::from_header(authorization.clone())?),
        false => None,
    };
    let body = match route.has_body() {
        true => http::read_body(req).await?,
        false => Vec::new(),
    };

    let config = Config::load()?;
    let kv = WasiKv::open(LABEL)?;
    let dictionary = Dictionary::new(&embedded::VALID, &embedded::ANSWERS, config.answer_words);
    let motus = Motus {
        store: Store::new(&kv),
        dictionary: &dictionary,
        daily_key: match &config.daily_secret {
            Some(secret) => DailyKey::Configured(secret),
            None => DailyKey::Stored {
                candidate: random()?,
            },
        },
        siblings: &Peers,
        now: now() + config.clock_offset,
    };

    let Some(bearer) = bearer else {
        return match route {
            Route::Daily => daily(&motus),
            Route::Result(id) => {
                // The result holds the answer, a secret until its day is over: only the game's
                // player, or a sibling holding the shared secret, may read it.
                let trusted = match (&config.result_secret, &secret) {
                    (Some(expected), Some(given)) => same_secret(expected, given),
                    _ => false,
                };
                let token = match trusted {
                    true => None,
                    false => Some(Bearer::from_header(authorization)?),
                };
                let reader = match &token {
                    None => Reader::Trusted,
                    Some(token) => Reader::Token(token.token()),
                };
                let game = motus.result(&id, reader).await?;
                let result = game.result().ok_or(PlayError::NotFinished)?;
                Ok(http::json_response(200, &result))
            }
            _ => Err(ApiError::Internal(format!("{route:?} needs a login"))),
        };
    };
    let player = motus.authenticate(bearer.token()).await?;
    let caller = Caller {
        player: &player,
        token: bearer.token(),
    };
    match route {
        Route::DeletePlayer(name) => {
            motus.forget_player(&caller, &name)?;
            Ok(http::no_content())
        }
        Route::NewGame => {
            let body: NewGameBody = http::parse_json(&body)?;
            let length = body
                .length
                .map(Length::new)
                .transpose()
                .map_err(|_| ApiError::InvalidLength)?;
            let started = motus
                .new_game(&caller, body.mode, length, entropy()?)
                .await?;
            let status = if started.created { 201 } else { 200 };
            let mut response = http::json_response(status, &started.game.view());
            response.set_header("location", format!("/motus/games/{}", started.game.id()));
            Ok(response)
        }
        Route::Game(id) => {
            let game = motus.open_game(&caller, &id).await?;
            Ok(http::json_response(200, &game.view()))
        }
        Route::Guess(id) => {
            let body: GuessBody = http::parse_json(&body)?;
            let guess = Guess::parse(&body.word).map_err(ApiError::InvalidWord)?;
            let game = motus.play(&caller, &id, &guess).await?;
            Ok(http::json_response(200, &game.view()))
        }
        Route::GuessCurrent => {
            let body: GuessBody = http::parse_json(&body)?;
            let guess = Guess::parse(&body.word).map_err(ApiError::InvalidWord)?;
            let game = motus.play_current(&caller, &guess, entropy()?).await?;
            Ok(http::json_response(200, &game.view()))
        }
        Route::Result(_) | Route::Daily => {
            Err(ApiError::Internal(format!("{route:?} needs no login")))
        }
    }
}

/// Compares without an early exit so the time taken does not tell how much of a guess matched.
fn same_secret(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn daily(motus: &Motus<'_, WasiKv, Peers>) -> Result<Response, ApiError> {
    let outline = motus.daily_outline()?;
    let body = serde_json::json!({
        "date": outline.date,
        "length": outline.length,
        "first_letter": outline.first_letter,
    });
    Ok(http::json_response(200, &body))
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn random<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("randomness: {e}")))?;
    Ok(bytes)
}

fn entropy() -> Result<Entropy, ApiError> {
    Ok(Entropy {
        id: random()?,
        pick: u64::from_le_bytes(random()?),
    })
}
