//! Routing and JSON over plain request and response types: which use case a method and path
//! lead to, the request parsed into the domain's types, the answer as JSON. No Spin type here,
//! so every route is tested natively (`tests.rs`); `spin.rs` feeds it real requests.

mod error;
#[cfg(test)]
mod tests;

use std::future::Future;

use serde::Deserialize;
use serde_json::{json, Value};
use spin_kit::clock::Clock;
pub use spin_kit::errors::ApiError;
use spin_kit::game_id::GameId;
use spin_kit::http::{bearer, parse_json, same_secret, ApiResponse};
use spin_kit::kv::Kv;
use spin_kit::random::Random;

use crate::app::store::Store;
use crate::app::{Caller, DailyKey, DailyOutline, Entropy, Motus, PlayError, Reader};
use crate::domain::challenge::ChallengeId;
use crate::domain::dictionary::{embedded, Dictionary, WordList};
use crate::domain::game::{Game, Length, Mode};
use crate::domain::word::Guess;
use crate::siblings::Siblings;
pub use error::Refusal;

/// The parts of a request motus looks at.
pub struct ApiRequest<'a, B> {
    pub method: &'a str,
    /// The path, without the query: no route takes one.
    pub path: &'a str,
    pub authorization: Option<&'a str>,
    /// `X-Result-Secret`, which a sibling holding the `result_secret` variable presents.
    pub result_secret: Option<&'a str>,
    /// The body, read only by the routes that take one and only once the route and the bearer
    /// token's shape are known: a future, so nothing is read before.
    pub body: B,
}

/// The component's variables (README, *Variables*).
pub struct Config {
    /// `daily_secret`, the key of the daily draw. `None`: motus keeps a random key in its store.
    pub daily_secret: Option<Vec<u8>>,
    /// `answer_words`: test knob, the only answers when not empty.
    pub answer_words: WordList,
    /// `result_secret`: lets a sibling that presents it read any game's result. `None`: only
    /// the player's token.
    pub result_secret: Option<String>,
    /// `access_secret` is set: players may hold access tokens motus checks without auth (only
    /// whether, here; the key is the siblings' business).
    pub access_tokens: bool,
}

/// What a request needs from outside besides itself.
pub struct Ports<K, S, C, R> {
    pub kv: K,
    pub siblings: S,
    pub clock: C,
    pub random: R,
    pub config: Config,
}

/// The header a sibling presents the `result_secret` variable in.
pub const SECRET_HEADER: &str = "x-result-secret";

#[derive(Debug, PartialEq, Eq)]
enum Route {
    /// `GET /motus/daily`; no login
    Daily,
    /// `GET /motus/health`: the store answers; no login
    Health,
    /// `GET /motus/games/{id}/result`, for score: the player's token or the shared secret
    Result(GameId),
    /// The routes of a logged-in player.
    Player(PlayerRoute),
}

/// The routes that need a player's bearer token.
#[derive(Debug, PartialEq, Eq)]
enum PlayerRoute {
    /// `POST /motus/games`
    NewGame,
    /// `GET /motus/games/open`: the caller's unfinished games
    OpenGames,
    /// `GET /motus/games/{id}`
    Game(GameId),
    /// `POST /motus/games/{id}/guesses`
    Guess(GameId),
    /// `POST /motus/guess`, the seed's route
    GuessCurrent,
    /// `DELETE /motus/players/{player}`: the player's own token
    DeletePlayer(String),
    /// `POST /motus/challenges`: a challenge on a finished practice game's word
    NewChallenge,
    /// `GET /motus/challenges/{id}`
    Challenge(ChallengeId),
    /// `POST /motus/challenges/{id}/games`: the caller's game on the challenge's word
    TakeUp(ChallengeId),
}

impl Route {
    fn parse(method: &str, path: &str) -> Result<Self, Refusal> {
        use PlayerRoute::*;
        let rest = path.strip_prefix("/motus").ok_or(Refusal::NoRoute)?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let segments: Vec<&str> = rest.split('/').skip(1).collect();
        let (allow, route) = match segments.as_slice() {
            ["games"] => ("POST", Ok(Route::Player(NewGame))),
            // Not a game id (those are 32 hex digits), so it names no game.
            ["games", "open"] => ("GET", Ok(Route::Player(OpenGames))),
            ["games", id] => ("GET", game_id(id).map(|id| Route::Player(Game(id)))),
            ["games", id, "guesses"] => ("POST", game_id(id).map(|id| Route::Player(Guess(id)))),
            ["games", id, "result"] => ("GET", game_id(id).map(Route::Result)),
            ["guess"] => ("POST", Ok(Route::Player(GuessCurrent))),
            ["daily"] => ("GET", Ok(Route::Daily)),
            ["health"] => ("GET", Ok(Route::Health)),
            ["players", player] => (
                "DELETE",
                Ok(Route::Player(DeletePlayer((*player).to_owned()))),
            ),
            ["challenges"] => ("POST", Ok(Route::Player(NewChallenge))),
            ["challenges", id] => ("GET", challenge(id, Challenge)),
            ["challenges", id, "games"] => ("POST", challenge(id, TakeUp)),
            _ => return Err(Refusal::NoRoute),
        };
        if method != allow {
            return Err(Refusal::MethodNotAllowed { allow });
        }
        route
    }
}

impl PlayerRoute {
    fn has_body(&self) -> bool {
        matches!(
            self,
            Self::NewGame | Self::Guess(_) | Self::GuessCurrent | Self::NewChallenge
        )
    }
}

/// A malformed id names no game: "not found", like an unknown one.
fn game_id(text: &str) -> Result<GameId, Refusal> {
    GameId::parse(text).map_err(|_| Refusal::NoRoute)
}

/// A route about challenge `text`. A malformed id names no challenge, like an unknown one: an
/// altered link is not found.
fn challenge(text: &str, route: fn(ChallengeId) -> PlayerRoute) -> Result<Route, Refusal> {
    let id = ChallengeId::parse(text).map_err(|_| Refusal::NoRoute)?;
    Ok(Route::Player(route(id)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewGameBody {
    mode: NewMode,
    #[serde(default)]
    length: Option<usize>,
}

/// The modes a game can be started in by name; a challenge game starts from its challenge.
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum NewMode {
    Daily,
    Practice,
}

impl From<NewMode> for Mode {
    fn from(mode: NewMode) -> Self {
        match mode {
            NewMode::Daily => Mode::Daily,
            NewMode::Practice => Mode::Practice,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GuessBody {
    word: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewChallengeBody {
    game_id: String,
}

/// Answers one request. `open` gives the ports; it runs only for a request that got past the
/// route, the bearer token's shape and the body, so those are answered without the store.
pub async fn handle<B, K: Kv, S: Siblings, C: Clock, R: Random>(
    req: ApiRequest<'_, B>,
    open: impl FnOnce() -> Result<Ports<K, S, C, R>, ApiError>,
) -> ApiResponse
where
    B: Future<Output = Result<Vec<u8>, ApiError>>,
{
    let answer = async {
        let route = Route::parse(req.method, req.path)?;
        let (token, body) = match &route {
            Route::Player(route) => {
                let token = bearer(req.authorization).ok_or(Refusal::NoBearer)?;
                let body = match route.has_body() {
                    true => req.body.await?,
                    false => Vec::new(),
                };
                (Some(token), body)
            }
            Route::Daily | Route::Health | Route::Result(_) => (None, Vec::new()),
        };
        let credentials = Credentials {
            token,
            authorization: req.authorization,
            result_secret: req.result_secret,
        };
        open()?.answer(route, credentials, &body).await
    };
    answer.await.unwrap_or_else(ApiError::into_response)
}

/// What the request carried to say who sends it.
struct Credentials<'a> {
    /// The bearer token of a player route, checked for shape.
    token: Option<&'a str>,
    authorization: Option<&'a str>,
    result_secret: Option<&'a str>,
}

impl<K: Kv, S: Siblings, C: Clock, R: Random> Ports<K, S, C, R> {
    async fn answer(
        self,
        route: Route,
        credentials: Credentials<'_>,
        body: &[u8],
    ) -> Result<ApiResponse, ApiError> {
        let ports = self;
        let dictionary = Dictionary::new(
            &embedded::VALID,
            &embedded::ANSWERS,
            ports.config.answer_words,
        );
        let motus = Motus {
            store: Store::new(&ports.kv),
            dictionary: &dictionary,
            daily_key: match &ports.config.daily_secret {
                Some(secret) => DailyKey::Configured(secret),
                None => DailyKey::Stored {
                    candidate: ports.random.bytes().map_err(Refusal::NoRandomness)?,
                },
            },
            siblings: &ports.siblings,
            now: ports.clock.now(),
            forgotten_for: match ports.config.access_tokens {
                true => spin_kit::access::MAX_LIFETIME as i64,
                false => 0,
            },
        };
        match route {
            // The store answers a read: no sibling asked, nothing written.
            Route::Health => spin_kit::http::health(&ports.kv),
            Route::Daily => Ok(ApiResponse::json(
                200,
                &outline_json(&motus.daily_outline()?),
            )),
            Route::Result(id) => {
                // The result holds the answer, a secret until its day is over: only the game's
                // player, or a sibling holding the shared secret, may read it.
                let trusted = match (&ports.config.result_secret, credentials.result_secret) {
                    (Some(expected), Some(given)) => same_secret(expected, given),
                    _ => false,
                };
                let reader = match trusted {
                    true => Reader::Trusted,
                    false => {
                        Reader::Token(bearer(credentials.authorization).ok_or(Refusal::NoBearer)?)
                    }
                };
                let game = motus.result(&id, reader).await?;
                let result = game.result().ok_or(PlayError::NotFinished)?;
                Ok(ApiResponse::json(200, &result))
            }
            Route::Player(route) => {
                // Set above for every player route.
                let token = credentials.token.ok_or(Refusal::NoBearer)?;
                let player = motus.authenticate(token).await?;
                let caller = Caller {
                    player: &player,
                    token,
                };
                play(&motus, &caller, route, body, &ports.random).await
            }
        }
    }
}

/// A logged-in player's request.
async fn play<K: Kv, S: Siblings>(
    motus: &Motus<'_, K, S>,
    caller: &Caller<'_>,
    route: PlayerRoute,
    body: &[u8],
    random: &impl Random,
) -> Result<ApiResponse, ApiError> {
    match route {
        PlayerRoute::DeletePlayer(name) => {
            motus.forget_player(caller, &name)?;
            Ok(ApiResponse::no_content())
        }
        PlayerRoute::NewGame => {
            let body: NewGameBody = parse_json(body)?;
            let length = body
                .length
                .map(Length::new)
                .transpose()
                .map_err(Refusal::InvalidLength)?;
            let started = motus
                .new_game(caller, body.mode.into(), length, entropy(random)?)
                .await?;
            let status = if started.created { 201 } else { 200 };
            let location = format!("/motus/games/{}", started.game.id());
            Ok(game(status, &started.game).header("location", location))
        }
        PlayerRoute::OpenGames => {
            let (games, current) = motus.open_games(caller).await?;
            let views: Vec<_> = games.iter().map(Game::view).collect();
            // Today's outline too, so a page load asks motus once (the webapp's /api/me).
            let body = json!({
                "games": views,
                "current": current.as_ref().map(GameId::as_str),
                "daily": outline_json(&motus.daily_outline()?),
            });
            Ok(ApiResponse::json(200, &body))
        }
        PlayerRoute::Game(id) => Ok(game(200, &motus.open_game(caller, &id).await?)),
        PlayerRoute::Guess(id) => {
            let guess = guess(body)?;
            Ok(game(200, &motus.play(caller, &id, &guess).await?))
        }
        PlayerRoute::GuessCurrent => {
            let guess = guess(body)?;
            let played = motus.play_current(caller, &guess, entropy(random)?).await?;
            Ok(game(200, &played))
        }
        PlayerRoute::NewChallenge => {
            let body: NewChallengeBody = parse_json(body)?;
            // Not a game id: no such game of the caller's, as for an unknown one.
            let id = GameId::parse(&body.game_id).map_err(|_| PlayError::NotFound)?;
            let fresh = ChallengeId::from_random(entropy(random)?.id);
            let (page, created) = motus.offer(caller, &id, fresh).await?;
            let status = if created { 201 } else { 200 };
            let location = format!("/motus/challenges/{}", page.challenge.id());
            Ok(ApiResponse::json(status, &page.view(caller.player)).header("location", location))
        }
        PlayerRoute::Challenge(id) => {
            let page = motus.challenge(&id).await?;
            Ok(ApiResponse::json(200, &page.view(caller.player)))
        }
        PlayerRoute::TakeUp(id) => {
            let started = motus.take_up(caller, &id, entropy(random)?).await?;
            let status = if started.created { 201 } else { 200 };
            let location = format!("/motus/games/{}", started.game.id());
            Ok(game(status, &started.game).header("location", location))
        }
    }
}

fn game(status: u16, game: &Game) -> ApiResponse {
    ApiResponse::json(status, &game.view())
}

fn guess(body: &[u8]) -> Result<Guess, ApiError> {
    let body: GuessBody = parse_json(body)?;
    Ok(Guess::parse(&body.word).map_err(Refusal::InvalidWord)?)
}

fn entropy(random: &impl Random) -> Result<Entropy, Refusal> {
    Ok(Entropy {
        id: random.bytes().map_err(Refusal::NoRandomness)?,
        pick: u64::from_le_bytes(random.bytes().map_err(Refusal::NoRandomness)?),
    })
}

/// `GET /motus/daily`'s answer: today's word outline, nothing of the word itself.
fn outline_json(outline: &DailyOutline) -> Value {
    json!({
        "date": outline.date,
        "length": outline.length,
        "first_letter": outline.first_letter,
    })
}
