//! Routing and (de)serialisation, independent of the Spin SDK so it can be tested natively.

mod response;
#[cfg(test)]
mod tests;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::future::Future;

use crate::app::{Outcome, Reader, Score};
use crate::domain::game::ResultBody;
use crate::domain::history::{self, parse_cursor, parse_limit};
use crate::domain::leaderboard::{self, Period};
use crate::domain::{FinishedGame, GameId, Kv, PlayerName};
pub use response::{ApiError, MAX_BODY_BYTES};
pub use spin_kit::http::ApiResponse;

/// Largest credit one administrator call may grant.
pub const MAX_CREDIT: u64 = 1_000_000;

/// The parts of a request the routes look at.
pub struct ApiRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub authorization: Option<&'a str>,
    pub body: &'a [u8],
}

/// What motus says about a game.
pub enum Lookup {
    Finished(ResultBody),
    /// Unknown, not the caller's, or still being played: motus does not say which.
    NotFinished,
}

/// How score proves to motus that it may read a game's result, which holds the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential<'a> {
    /// The `Authorization` header the recording request came with: motus checks with auth that
    /// it is the game's player.
    Player(&'a str),
    /// The `result_secret` variable, shared by motus and score.
    Secret(&'a str),
}

/// The siblings score calls: motus for game results, auth for who holds a token. Over
/// outbound HTTP in Spin, canned in tests.
pub trait Siblings {
    fn result(
        &self,
        id: &GameId,
        credential: Credential<'_>,
    ) -> impl Future<Output = Result<Lookup, ApiError>>;
    /// The username holding the token in `authorization`; `ApiError::Unauthorized` when auth
    /// refuses it.
    fn whoami(&self, authorization: &str) -> impl Future<Output = Result<String, ApiError>>;
}

pub struct Context<'a, K, G> {
    pub score: Score<'a, K>,
    pub siblings: &'a G,
    /// The `admin_token` variable; `None` or empty disables the admin route.
    pub admin_token: Option<&'a str>,
    /// The `result_secret` variable; `None` or empty: results are read with the player's token
    /// only.
    pub result_secret: Option<&'a str>,
}

#[derive(Deserialize)]
struct RecordGame {
    game_id: String,
}

#[derive(Deserialize)]
struct Credit {
    player: String,
    score: i64,
}

pub async fn handle<K: Kv, G: Siblings>(
    ctx: &Context<'_, K, G>,
    req: &ApiRequest<'_>,
) -> ApiResponse {
    match route(ctx, req).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

async fn route<K: Kv, G: Siblings>(
    ctx: &Context<'_, K, G>,
    req: &ApiRequest<'_>,
) -> Result<ApiResponse, ApiError> {
    let Some(rest) = req.path.strip_prefix("/score/") else {
        return Err(ApiError::NotFound);
    };
    let segments: Vec<&str> = rest.split('/').collect();
    match (segments.as_slice(), req.method) {
        ([""], _) => Err(ApiError::NotFound),
        (["games"] | ["update"], method) if method != "POST" => {
            Err(ApiError::MethodNotAllowed("POST"))
        }
        (["games"], "POST") => record_game(ctx, req).await,
        (["players", player], "DELETE") => forget(ctx, req, player).await,
        (["update"], "POST") => credit(ctx, req),
        (["leaderboard"], "GET") => {
            let period = Period::parse(query(req, "period").unwrap_or("all"))
                .map_err(|e| ApiError::bad_request("invalid_period", e))?;
            let limit = parse_limit(
                query(req, "limit"),
                leaderboard::DEFAULT_LIMIT,
                leaderboard::MAX_LIMIT,
            )
            .map_err(|e| ApiError::bad_request("invalid_limit", e))?;
            Ok(ApiResponse::json(
                200,
                &ctx.score.leaderboard(period, limit)?,
            ))
        }
        ([player], "GET") => {
            let player = player_name(player)?;
            Ok(ApiResponse::json(200, &ctx.score.stats(&player)?))
        }
        ([player, "history"], "GET") => {
            let player = player_name(player)?;
            let limit = parse_limit(
                query(req, "limit"),
                history::DEFAULT_LIMIT,
                history::MAX_LIMIT,
            )
            .map_err(|e| ApiError::bad_request("invalid_limit", e))?;
            let cursor = parse_cursor(query(req, "cursor"))
                .map_err(|e| ApiError::bad_request("invalid_cursor", e))?;
            // Public, but a token, when one is sent, must be valid: it decides what is shown.
            let reader = match req.authorization {
                Some(authorization) if is_player(ctx, authorization, &player).await? => {
                    Reader::Player
                }
                _ => Reader::Anyone,
            };
            Ok(ApiResponse::json(
                200,
                &ctx.score.history(&player, reader, limit, cursor)?,
            ))
        }
        (["players", _], _) => Err(ApiError::MethodNotAllowed("DELETE")),
        ([_] | [_, "history"], _) => Err(ApiError::MethodNotAllowed("GET")),
        _ => Err(ApiError::NotFound),
    }
}

async fn record_game<K: Kv, G: Siblings>(
    ctx: &Context<'_, K, G>,
    req: &ApiRequest<'_>,
) -> Result<ApiResponse, ApiError> {
    let body: RecordGame = parse(req.body)?;
    let id =
        GameId::parse(&body.game_id).map_err(|e| ApiError::bad_request("invalid_game_id", e))?;
    if let Some(recorded) = ctx.score.already_recorded(&id)? {
        return Ok(ApiResponse::json(200, &recorded));
    }
    // The result holds the answer: motus hands it only to the game's player (whose token motus
    // forwards when it records a game) or to a sibling holding the shared secret.
    let credential = match (req.authorization, ctx.result_secret) {
        (Some(authorization), _) => Credential::Player(authorization),
        (None, Some(secret)) if !secret.is_empty() => Credential::Secret(secret),
        (None, _) => {
            return Err(ApiError::Unauthorized(
                "recording a game needs its player's bearer token",
            ))
        }
    };
    let game = match ctx.siblings.result(&id, credential).await? {
        Lookup::NotFinished => return Err(ApiError::GameNotFinished),
        Lookup::Finished(result) => {
            FinishedGame::from_result(&id, result).map_err(|e| ApiError::Upstream(e.to_string()))?
        }
    };
    Ok(match ctx.score.record(&game)? {
        Outcome::Created(body) => ApiResponse::json(201, &body),
        Outcome::Repeated(body) => ApiResponse::json(200, &body),
    })
}

/// `DELETE /score/players/{player}`: the player, and only them, deletes everything score holds
/// about them. 204 also when there was nothing.
async fn forget<K: Kv, G: Siblings>(
    ctx: &Context<'_, K, G>,
    req: &ApiRequest<'_>,
    player: &str,
) -> Result<ApiResponse, ApiError> {
    let player = player_name(player)?;
    let authorization = req
        .authorization
        .ok_or(ApiError::Unauthorized("missing bearer token"))?;
    if !is_player(ctx, authorization, &player).await? {
        return Err(ApiError::NotYours);
    }
    ctx.score.forget(&player)?;
    Ok(ApiResponse::no_content())
}

/// Whether auth says the token in `authorization` is `player`'s; a refused token is an error.
async fn is_player<K: Kv, G: Siblings>(
    ctx: &Context<'_, K, G>,
    authorization: &str,
    player: &PlayerName,
) -> Result<bool, ApiError> {
    let username = ctx.siblings.whoami(authorization).await?;
    Ok(username.eq_ignore_ascii_case(player.key()))
}

fn credit<K: Kv, G: Siblings>(
    ctx: &Context<'_, K, G>,
    req: &ApiRequest<'_>,
) -> Result<ApiResponse, ApiError> {
    let presented = req
        .authorization
        .and_then(|h| h.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    let allowed = match (ctx.admin_token, presented) {
        (Some(expected), Some(given)) if !expected.is_empty() => same_secret(expected, given),
        _ => false,
    };
    if !allowed {
        return Err(ApiError::Forbidden);
    }
    let body: Credit = parse(req.body)?;
    let player = player_name(&body.player)?;
    let points = u64::try_from(body.score)
        .ok()
        .filter(|p| (1..=MAX_CREDIT).contains(p))
        .ok_or_else(|| {
            ApiError::bad_request("invalid_score", format!("score must be 1 to {MAX_CREDIT}"))
        })?;
    Ok(ApiResponse::json(200, &ctx.score.credit(&player, points)?))
}

/// Compares without an early exit so the time taken does not tell how much of a guess matched.
fn same_secret(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn player_name(raw: &str) -> Result<PlayerName, ApiError> {
    PlayerName::parse(raw).map_err(|e| ApiError::bad_request("invalid_player", e))
}

fn query<'a>(req: &ApiRequest<'a>, name: &str) -> Option<&'a str> {
    req.query
        .split('&')
        .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        let why = if e.is_syntax() || e.is_eof() {
            "body is not valid JSON".to_owned()
        } else {
            format!("invalid body: {e}")
        };
        ApiError::BadRequest("invalid_request", why)
    })
}
