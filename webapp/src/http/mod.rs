//! The `/api` backend-for-frontend: checks the browser's request, calls the owning sibling(s) with
//! the session token as a bearer, and shapes one JSON answer.

use crate::cookie;
use crate::error::{Answer, ApiError, Service};
use crate::inbound::{Body, Inbound};
use crate::origin;
use crate::pct;
use crate::query;
use crate::reply::Reply;
use crate::route::{self, GameId, Route};
use crate::session;
use crate::upstream::{classify, json_of, Call, Upstream};
use serde_json::{json, Map, Value};

/// Answers an `/api/...` request; never fails, errors become the shared JSON error body.
pub async fn handle<U: Upstream>(up: &U, now_unix: i64, req: &Inbound) -> Reply {
    let route = route::parse(&req.method, &req.path);
    let reply = match &route {
        Ok(r) => dispatch(up, now_unix, req, r)
            .await
            .unwrap_or_else(Reply::from),
        Err(e) => Reply::from(e.clone()),
    };
    // A rejected token is useless: drop it so the browser stops sending it. Not on login/register,
    // where a 401 is about the password typed, not about the session held.
    let about_credentials = matches!(route, Ok(Route::Login | Route::Register));
    if reply.status == 401 && !about_credentials && cookie::session_token(&req.headers).is_some() {
        return clear_cookies(reply, origin::is_https(&req.headers));
    }
    reply
}

async fn dispatch<U: Upstream>(
    up: &U,
    now_unix: i64,
    req: &Inbound,
    route: &Route,
) -> Result<Reply, ApiError> {
    let body = if route.is_write() {
        guard_write(req)?
    } else {
        Map::new()
    };
    match route {
        Route::Register => open_session(up, now_unix, req, &body, "/auth/register").await,
        Route::Login => open_session(up, now_unix, req, &body, "/auth/login").await,
        Route::Logout => logout(up, req).await,
        Route::Me => me(up, req).await,
        Route::CreateGame => {
            let token = token(req)?;
            let mut wanted = Map::new();
            for key in ["mode", "length"] {
                if let Some(v) = body.get(key) {
                    wanted.insert(key.into(), v.clone());
                }
            }
            let call = Call::post(Service::Motus, "/motus/games", Some(&token), wanted.into());
            game_reply(up, &token, fetch(up, call).await?).await
        }
        Route::Game(id) => {
            let token = token(req)?;
            let call = Call::get(Service::Motus, game_path(id, ""), Some(&token));
            game_reply(up, &token, fetch(up, call).await?).await
        }
        Route::Guess(id) => {
            let token = token(req)?;
            let word = body.get("word").cloned().unwrap_or(Value::Null);
            let call = Call::post(
                Service::Motus,
                game_path(id, "/guesses"),
                Some(&token),
                json!({ "word": word }),
            );
            game_reply(up, &token, fetch(up, call).await?).await
        }
        Route::History => history(up, req).await,
        Route::Leaderboard => {
            let q = query::leaderboard(&req.query)?;
            let call = Call::get(Service::Score, format!("/score/leaderboard{q}"), None);
            relay(Service::Score, fetch(up, call).await?)
        }
        Route::Daily => {
            let call = Call::get(Service::Motus, "/motus/daily", None);
            relay(Service::Motus, fetch(up, call).await?)
        }
    }
}

/// Same-origin, JSON content type, size limit, then a JSON object body (empty counts as `{}`).
fn guard_write(req: &Inbound) -> Result<Map<String, Value>, ApiError> {
    origin::check_same_origin(&req.headers)?;
    let media = req.headers.get("content-type").unwrap_or_default();
    let media = media.split(';').next().unwrap_or_default().trim();
    if !media.eq_ignore_ascii_case("application/json") {
        return Err(ApiError::UnsupportedMediaType);
    }
    let bytes = match &req.body {
        Body::TooLarge => return Err(ApiError::PayloadTooLarge),
        Body::Bytes(b) => b,
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(ApiError::InvalidJson),
    }
}

fn token(req: &Inbound) -> Result<String, ApiError> {
    cookie::session_token(&req.headers).ok_or(ApiError::Unauthenticated)
}

fn game_path(id: &GameId, suffix: &str) -> String {
    format!("/motus/games/{}{suffix}", id.as_str())
}

fn score_path(username: &str, suffix: &str) -> String {
    format!("/score/{}{suffix}", pct::encode_segment(username))
}

async fn fetch<U: Upstream>(up: &U, call: Call) -> Result<Answer, ApiError> {
    let service = call.service;
    classify(service, up.call(call).await)
}

/// Passes a sibling's success through, status included, after checking it is JSON.
fn relay(service: Service, answer: Answer) -> Result<Reply, ApiError> {
    Ok(Reply::json(answer.status, &json_of(service, &answer)?))
}

fn clear_cookies(reply: Reply, secure: bool) -> Reply {
    reply
        .header("set-cookie", &cookie::clear(cookie::SESSION, secure))
        .header("set-cookie", &cookie::clear(cookie::USER_HINT, secure))
}

async fn open_session<U: Upstream>(
    up: &U,
    now_unix: i64,
    req: &Inbound,
    body: &Map<String, Value>,
    path: &str,
) -> Result<Reply, ApiError> {
    let field = |k: &str| body.get(k).cloned().unwrap_or(Value::Null);
    let creds = json!({ "username": field("username"), "password": field("password") });
    let answer = fetch(up, Call::post(Service::Auth, path, None, creds)).await?;
    let s =
        session::from_auth(&answer.body, now_unix).ok_or(ApiError::BadGateway(Service::Auth))?;
    let secure = origin::is_https(&req.headers);
    let hint = pct::encode(&s.username);
    Ok(Reply::json(
        answer.status,
        &json!({ "username": s.username, "expires_at": s.expires_at }),
    )
    .header(
        "set-cookie",
        &cookie::set(cookie::SESSION, &s.token, s.max_age, secure),
    )
    .header(
        "set-cookie",
        &cookie::set(cookie::USER_HINT, &hint, s.max_age, secure),
    ))
}

/// The cookie goes in every case: even when auth cannot revoke the token now, the browser forgets it.
async fn logout<U: Upstream>(up: &U, req: &Inbound) -> Result<Reply, ApiError> {
    let secure = origin::is_https(&req.headers);
    let Some(token) = cookie::session_token(&req.headers) else {
        return Ok(clear_cookies(Reply::empty(204), secure));
    };
    let call = Call::post(Service::Auth, "/auth/logout", Some(&token), json!({}));
    let reply = match fetch(up, call).await {
        Ok(_) | Err(ApiError::Refused(_)) => Reply::empty(204),
        Err(e) => Reply::from(e),
    };
    Ok(clear_cookies(reply, secure))
}

/// Asks auth who holds the token and, at the same time, runs `call_for(username)` on the username
/// hint; when the hint was wrong (or missing) the call is made again for the verified name.
async fn as_user<U: Upstream>(
    up: &U,
    req: &Inbound,
    call_for: impl Fn(&str) -> Call,
) -> Result<(Value, Result<Answer, ApiError>), ApiError> {
    let token = token(req)?;
    let hint = cookie::user_hint(&req.headers);
    let who = fetch(up, Call::get(Service::Auth, "/auth/me", Some(&token)));
    let guess = async {
        match &hint {
            Some(name) => Some(fetch(up, call_for(name)).await),
            None => None,
        }
    };
    let (who, guess) = futures::join!(who, guess);
    let user = json_of(Service::Auth, &who?)?;
    let username = user["username"]
        .as_str()
        .ok_or(ApiError::BadGateway(Service::Auth))?;
    let outcome = match guess {
        Some(outcome) if hint.as_deref() == Some(username) => outcome,
        _ => fetch(up, call_for(username)).await,
    };
    Ok((user, outcome))
}

async fn me<U: Upstream>(up: &U, req: &Inbound) -> Result<Reply, ApiError> {
    token(req)?;
    let stats_call = |name: &str| Call::get(Service::Score, score_path(name, ""), None);
    let daily = fetch(up, Call::get(Service::Motus, "/motus/daily", None));
    let (identity, daily) = futures::join!(as_user(up, req, stats_call), daily);
    let (user, stats) = identity?;
    let mut degraded = Vec::new();
    let stats = optional(Service::Score, stats, &mut degraded);
    let daily = optional(Service::Motus, daily, &mut degraded);
    Ok(Reply::json(
        200,
        &json!({
            "user": { "username": user["username"], "created_at": user["created_at"] },
            "stats": stats,
            "daily": daily,
            // TODO: motus has no "current game" read route; the UI resumes today's game with
            // POST /api/games {mode:"daily"}, which returns the existing one.
            "game": null,
            "degraded": degraded,
        }),
    ))
}

/// A sibling that is not essential to the page: its failure becomes `null` plus a `degraded` entry.
/// A 404 is not a failure (a new player has no stats yet).
fn optional(
    service: Service,
    outcome: Result<Answer, ApiError>,
    degraded: &mut Vec<&str>,
) -> Value {
    match outcome.and_then(|a| json_of(service, &a)) {
        Ok(v) => v,
        Err(ApiError::Refused(a)) if a.status == 404 => Value::Null,
        Err(_) => {
            degraded.push(service.name());
            Value::Null
        }
    }
}

async fn history<U: Upstream>(up: &U, req: &Inbound) -> Result<Reply, ApiError> {
    let q = query::history(&req.query)?;
    let token = token(req)?;
    let call = |name: &str| {
        Call::get(
            Service::Score,
            score_path(name, &format!("/history{q}")),
            Some(&token),
        )
    };
    let (_, outcome) = as_user(up, req, call).await?;
    relay(Service::Score, outcome?)
}

/// Relays motus's game and, once the game is over, has score record it (idempotent on score's side,
/// so reloading a finished game also retries a recording that failed earlier). The game is already
/// settled by motus at this point: a score failure never turns it into an error, it only shows up
/// as `"score": null` and `"degraded": ["score"]`.
async fn game_reply<U: Upstream>(up: &U, token: &str, answer: Answer) -> Result<Reply, ApiError> {
    let Ok(Value::Object(mut game)) = json_of(Service::Motus, &answer) else {
        return relay(Service::Motus, answer);
    };
    let mut degraded = Vec::new();
    let over = matches!(
        game.get("status").and_then(Value::as_str),
        Some("won" | "lost")
    );
    if let (true, Some(id)) = (over, game.get("id").cloned()) {
        let call = Call::post(
            Service::Score,
            "/score/games",
            Some(token),
            json!({ "game_id": id }),
        );
        let recorded = fetch(up, call).await;
        let score = match recorded.and_then(|a| json_of(Service::Score, &a)) {
            Ok(v) => v,
            Err(ApiError::Refused(_)) => Value::Null,
            Err(_) => {
                degraded.push(Service::Score.name());
                Value::Null
            }
        };
        game.insert("score".into(), score);
    }
    game.insert("degraded".into(), json!(degraded));
    Ok(Reply::json(answer.status, &Value::Object(game)))
}

#[cfg(test)]
#[path = "api_tests.rs"]
mod tests;
