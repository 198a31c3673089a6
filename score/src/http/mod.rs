//! Routing and (de)serialisation, independent of the Spin SDK so it can be tested natively.

pub(crate) mod error;
#[cfg(test)]
mod tests;

use serde::Deserialize;
use spin_kit::errors::ApiError;
use spin_kit::game_id::GameId;
use spin_kit::http::{bearer, parse_json, same_secret};
use spin_kit::kv::Kv;
use spin_kit::names::PlayerName;

use crate::app::{Outcome, Presented, Score};
use crate::domain::history::{self, parse_cursor, parse_limit};
use crate::domain::leaderboard::{self, Period};
use crate::siblings::{GameResults, Identity};
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
        return Err(error::not_found());
    };
    let segments: Vec<&str> = rest.split('/').collect();
    match (segments.as_slice(), req.method) {
        ([""], _) => Err(error::not_found()),
        (["games"] | ["update"], method) if method != "POST" => {
            Err(ApiError::method_not_allowed("POST"))
        }
        (["games"], "POST") => {
            let body: RecordGame = parse_json(req.body)?;
            let id = GameId::parse(&body.game_id).map_err(error::invalid_game_id)?;
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
        // Readiness: the store answers. Before `[player]`: "health" is a reserved name.
        (["health"], "GET") => spin_kit::http::health(ctx.score.store()),
        (["leaderboard"], "GET") => {
            let period = Period::parse(query(req, "period").unwrap_or("all"))
                .map_err(error::invalid_query)?;
            let limit = parse_limit(
                query(req, "limit"),
                leaderboard::DEFAULT_LIMIT,
                leaderboard::MAX_LIMIT,
            )
            .map_err(error::invalid_query)?;
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
            .map_err(error::invalid_query)?;
            let cursor = parse_cursor(query(req, "cursor")).map_err(error::invalid_query)?;
            let page = ctx.score.history(&player, token(req), limit, cursor);
            Ok(ApiResponse::json(200, &page.await?))
        }
        (["health"], _) => Err(ApiError::method_not_allowed("GET")),
        (["players", _], _) => Err(ApiError::method_not_allowed("DELETE")),
        ([_] | [_, "history"], _) => Err(ApiError::method_not_allowed("GET")),
        _ => Err(error::not_found()),
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
        return Err(error::not_admin());
    }
    let body: Credit = parse_json(req.body)?;
    let player = player_name(&body.player)?;
    let points = u64::try_from(body.score)
        .ok()
        .filter(|p| (1..=MAX_CREDIT).contains(p))
        .ok_or_else(error::invalid_score)?;
    Ok(ApiResponse::json(200, &ctx.score.credit(&player, points)?))
}

/// Compares without an early exit so the time taken does not tell how much of a guess matched.
fn player_name(raw: &str) -> Result<PlayerName, ApiError> {
    PlayerName::parse(raw).map_err(error::invalid_player)
}

fn query<'a>(req: &ApiRequest<'a>, name: &str) -> Option<&'a str> {
    req.query
        .split('&')
        .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}
