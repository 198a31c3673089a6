//! Routing and (de)serialisation, independent of the Spin SDK so it can be tested natively.

mod response;
#[cfg(test)]
mod tests;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::app::{Outcome, Presented, Score};
use crate::domain::history::{self, parse_cursor, parse_limit};
use crate::domain::leaderboard::{self, Period};
use crate::domain::{GameId, Kv, PlayerName};
use crate::siblings::{GameResults, Identity};
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

pub struct Context<'a, K, M, A> {
    pub score: Score<'a, K, M, A>,
    /// The `admin_token` variable; `None` or empty disables the admin route.
    pub admin_token: Option<&'a str>,
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

pub async fn handle<K: Kv, M: GameResults, A: Identity>(
    ctx: &Context<'_, K, M, A>,
    req: &ApiRequest<'_>,
) -> ApiResponse {
    match route(ctx, req).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

async fn route<K: Kv, M: GameResults, A: Identity>(
    ctx: &Context<'_, K, M, A>,
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
        (["games"], "POST") => {
            let body: RecordGame = parse(req.body)?;
            let id = GameId::parse(&body.game_id)
                .map_err(|e| ApiError::bad_request("invalid_game_id", e))?;
            Ok(match ctx.score.record_game(&id, token(req)).await? {
                Outcome::Created(body) => ApiResponse::json(201, &body),
                Outcome::Repeated(body) => ApiResponse::json(200, &body),
            })
        }
        (["players", player], "DELETE") => {
            let player = player_name(player)?;
            ctx.score.forget(&player, token(req)).await?;
            Ok(ApiResponse::no_content())
        }
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
            let page = ctx.score.history(&player, token(req), limit, cursor);
            Ok(ApiResponse::json(200, &page.await?))
        }
        (["players", _], _) => Err(ApiError::MethodNotAllowed("DELETE")),
        ([_] | [_, "history"], _) => Err(ApiError::MethodNotAllowed("GET")),
        _ => Err(ApiError::NotFound),
    }
}

/// The bearer token sent, if any; the use cases decide whether they need it.
fn token<'a>(req: &ApiRequest<'a>) -> Presented<'a> {
    match req.authorization {
        None => Presented::Nothing,
        Some(header) => bearer(Some(header)).map_or(Presented::Unreadable, Presented::Token),
    }
}

fn credit<K: Kv, M, A>(
    ctx: &Context<'_, K, M, A>,
    req: &ApiRequest<'_>,
) -> Result<ApiResponse, ApiError> {
    let allowed = match (ctx.admin_token, bearer(req.authorization)) {
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

fn bearer(authorization: Option<&str>) -> Option<&str> {
    authorization
        .and_then(|h| h.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|token| !token.is_empty())
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
