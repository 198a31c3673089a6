//! The motus component: HTTP in, game rules in `domain`, state in the `motus` key-value store.

pub mod domain;

mod config;
mod errors;
mod http;
mod peers;
mod routes;

use serde::Deserialize;
use spin_sdk::http::{IncomingRequest, Response};

use config::Config;
use domain::dictionary::{embedded, Dictionary};
use domain::game::{Game, Length, Mode};
use domain::ids::{GameId, Player};
use domain::play::{DailyKey, Entropy, Motus};
use domain::repo::Repo;
use domain::word::Guess;
use errors::ApiError;
use peers::Bearer;
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
        repo: Repo::new(&kv),
        dictionary: &dictionary,
        daily_key: match &config.daily_secret {
            Some(secret) => DailyKey::Configured(secret),
            None => DailyKey::Stored {
                candidate: random()?,
            },
        },
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
                let caller = match trusted {
                    true => None,
                    false => Some(peers::whoami(&Bearer::from_header(authorization)?).await?),
                };
                result(&motus, &id, caller.as_ref())
            }
            _ => Err(ApiError::Internal(format!("{route:?} needs a login"))),
        };
    };
    let player = peers::whoami(&bearer).await?;
    let session = Session {
        motus: &motus,
        player: &player,
        bearer: &bearer,
    };
    match route {
        Route::DeletePlayer(name) => session.forget(&name),
        Route::NewGame => {
            session.settle_past_dailies().await;
            session.new_game(http::parse_json(&body)?).await
        }
        Route::Game(id) => {
            session.settle_past_dailies().await;
            session.game(&id).await
        }
        Route::Guess(id) => {
            session.settle_past_dailies().await;
            session.guess(Some(&id), http::parse_json(&body)?).await
        }
        Route::GuessCurrent => {
            session.settle_past_dailies().await;
            session.guess(None, http::parse_json(&body)?).await
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

fn daily(motus: &Motus<'_, WasiKv>) -> Result<Response, ApiError> {
    let outline = motus.daily_outline()?;
    let body = serde_json::json!({
        "date": outline.date,
        "length": outline.length,
        "first_letter": outline.first_letter,
    });
    Ok(http::json_response(200, &body))
}

fn result(
    motus: &Motus<'_, WasiKv>,
    id: &GameId,
    caller: Option<&Player>,
) -> Result<Response, ApiError> {
    let game = motus.finished(id, caller)?;
    let result = game.result().ok_or(domain::play::PlayError::NotFinished)?;
    Ok(http::json_response(200, &result))
}

/// A logged-in player's request.
struct Session<'a> {
    motus: &'a Motus<'a, WasiKv>,
    player: &'a Player,
    bearer: &'a Bearer,
}

impl Session<'_> {
    async fn new_game(&self, body: NewGameBody) -> Result<Response, ApiError> {
        let length = body
            .length
            .map(Length::new)
            .transpose()
            .map_err(|_| ApiError::InvalidLength)?;
        self.settle_current().await;
        let started = self
            .motus
            .start(self.player, body.mode, length, entropy()?)?;
        let status = if started.created { 201 } else { 200 };
        let mut response = http::json_response(status, &started.game.view());
        response.set_header("location", format!("/motus/games/{}", started.game.id()));
        Ok(response)
    }

    async fn game(&self, id: &GameId) -> Result<Response, ApiError> {
        let game = self.motus.game(self.player, id)?;
        let game = self.settle(game).await;
        Ok(http::json_response(200, &game.view()))
    }

    /// Plays in game `id`, or with `None` in the current game as the seed route does.
    async fn guess(&self, id: Option<&GameId>, body: GuessBody) -> Result<Response, ApiError> {
        let guess = Guess::parse(&body.word).map_err(ApiError::InvalidWord)?;
        let game = match id {
            Some(id) => self.motus.guess(self.player, id, &guess)?,
            None => {
                self.settle_current().await;
                self.motus.guess_current(self.player, &guess, entropy()?)?
            }
        };
        let game = self.settle(game).await;
        Ok(http::json_response(200, &game.view()))
    }

    /// `DELETE /motus/players/{name}`: only with the player's own token. 204 also when there
    /// was nothing to delete.
    fn forget(&self, name: &str) -> Result<Response, ApiError> {
        if Player::parse(name).ok().as_ref() != Some(self.player) {
            return Err(ApiError::Forbidden);
        }
        self.motus.forget(self.player)?;
        Ok(http::no_content())
    }

    /// Ends and records the player's daily games of past days that score does not hold yet, so
    /// a daily game left unfinished counts as lost the next time the player shows up. Never
    /// fails the request: what is not settled now is settled next time.
    async fn settle_past_dailies(&self) {
        let games = match self.motus.past_dailies(self.player) {
            Ok(games) => games,
            Err(e) => {
                eprintln!(
                    "motus: could not check {}'s past daily games: {e}",
                    self.player
                );
                return;
            }
        };
        let mut settled = Vec::new();
        for game in games {
            let game = self.settle(game).await;
            if !game.needs_recording() {
                settled.push(game.id().clone());
            }
        }
        if let Err(e) = self.motus.close_dailies(self.player, &settled) {
            eprintln!(
                "motus: could not close {}'s past daily games: {e}",
                self.player
            );
        }
    }

    /// Hands a finished game to score if score does not have it yet. Never fails: the game is
    /// returned as it stands, with `recorded: false` until a later request succeeds.
    async fn settle(&self, game: Game) -> Game {
        if !game.needs_recording() || !peers::record(game.id(), self.bearer).await {
            return game;
        }
        self.motus.mark_recorded(game.id()).unwrap_or_else(|e| {
            eprintln!("motus: could not mark game {} recorded: {e}", game.id());
            game
        })
    }

    /// Retries recording the player's previous game before it stops being current.
    async fn settle_current(&self) {
        match self.motus.unrecorded_current(self.player) {
            Ok(Some(game)) => {
                self.settle(game).await;
            }
            Ok(None) => {}
            Err(e) => eprintln!("motus: could not check {}'s last game: {e}", self.player),
        }
    }
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
