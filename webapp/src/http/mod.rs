//! The HTTP side over plain request/response types: `/api/...` routed to the use cases, every
//! other path to a static file, and the session cookies in and out.

mod assets;
mod error;

pub use error::RouteError;
pub use spin_kit::http::ApiResponse;

use crate::app::{App, Entry, Health, Relayed, Who};
use crate::domain::{cookie, origin, query, Headers};
use crate::siblings::Siblings;
use serde_json::{json, Map, Value};
use spin_kit::clock::Clock;
use spin_kit::errors::{ApiError, Code};
use spin_kit::game_id::GameId;
use spin_kit::http::{parse_json, BodyError};

/// The parts of a request the webapp looks at.
pub struct ApiRequest<'a> {
    /// Upper-case method name.
    pub method: &'a str,
    /// Raw path, still percent-encoded.
    pub path: &'a str,
    /// Raw query string without `?` (empty when absent).
    pub query: &'a str,
    pub headers: &'a Headers,
    /// Read only for API writes (see [`reads_body`]), up to [`spin_kit::http::MAX_BODY_BYTES`];
    /// refused only once the write's other checks pass.
    pub body: &'a Result<Vec<u8>, BodyError>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Route {
    Register,
    Login,
    Logout,
    Me,
    CreateGame,
    Game(GameId),
    Guess(GameId),
    OfferChallenge,
    Challenge(GameId),
    TakeUp(GameId),
    History,
    Leaderboard,
    Daily,
    Health,
}

impl Route {
    /// POSTs change state: they get the same-origin and content-type checks.
    fn is_write(&self) -> bool {
        matches!(
            self,
            Route::Register
                | Route::Login
                | Route::Logout
                | Route::CreateGame
                | Route::Guess(_)
                | Route::OfferChallenge
                | Route::TakeUp(_)
        )
    }
}

impl Route {
    /// The player's routes: the siblings need a bearer for them (`/api/me` also answers
    /// visitors, who have none).
    fn is_players(&self) -> bool {
        !matches!(
            self,
            Route::Register
                | Route::Login
                | Route::Logout
                | Route::Leaderboard
                | Route::Daily
                | Route::Health
        )
    }
}

/// True for the paths the API answers (everything else is a static file).
pub fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Only API writes have a body worth reading; static GETs never do.
pub fn reads_body(method: &str, path: &str) -> bool {
    is_api(path) && !matches!(method, "GET" | "HEAD")
}

/// Answers any request; never fails, errors become the shared JSON error body. `read_file`
/// fetches a static file by its path under [`assets::ROOT`].
pub async fn handle<S: Siblings, C: Clock>(
    app: &App<'_, S, C>,
    req: &ApiRequest<'_>,
    read_file: impl Fn(&str) -> Option<Vec<u8>>,
) -> ApiResponse {
    if !is_api(req.path) {
        return assets::serve(req, read_file);
    }
    let route = parse_route(req.method, req.path);
    let response = match &route {
        Ok(r) => dispatch(app, req, r)
            .await
            .unwrap_or_else(RouteError::into_response),
        Err(e) => e.clone().into_response(),
    };
    // A rejected token is useless: drop it so the browser stops sending it. Not on login/register,
    // where a 401 is about the password typed, not about the session held.
    let about_credentials = matches!(route, Ok(Route::Login | Route::Register));
    if response.status == 401 && !about_credentials && session_token(req).is_some() {
        return clear_cookies(response, origin::is_https(req.headers));
    }
    response
}

fn parse_route(method: &str, path: &str) -> Result<Route, RouteError> {
    let rest = path.strip_prefix("/api/").ok_or(Code::NotFound)?;
    let segments: Vec<&str> = rest.split('/').collect();
    // An id motus could not have made names no game: not found, as motus itself would say.
    let game = |id: &str| GameId::parse(id).map_err(|_| Code::NotFound);
    let (route, allowed) = match segments.as_slice() {
        ["register"] => (Route::Register, "POST"),
        ["login"] => (Route::Login, "POST"),
        ["logout"] => (Route::Logout, "POST"),
        ["me"] => (Route::Me, "GET"),
        ["games"] => (Route::CreateGame, "POST"),
        ["games", id] => (Route::Game(game(id)?), "GET"),
        ["games", id, "guesses"] => (Route::Guess(game(id)?), "POST"),
        // Challenge ids have the shape of game ids: any other text names no challenge.
        ["challenges"] => (Route::OfferChallenge, "POST"),
        ["challenges", id] => (Route::Challenge(game(id)?), "GET"),
        ["challenges", id, "games"] => (Route::TakeUp(game(id)?), "POST"),
        ["history"] => (Route::History, "GET"),
        ["leaderboard"] => (Route::Leaderboard, "GET"),
        ["daily"] => (Route::Daily, "GET"),
        ["health"] => (Route::Health, "GET"),
        _ => return Err(Code::NotFound.into()),
    };
    if method == allowed {
        Ok(route)
    } else {
        Err(ApiError::method_not_allowed(allowed).into())
    }
}

async fn dispatch<S: Siblings, C: Clock>(
    app: &App<'_, S, C>,
    req: &ApiRequest<'_>,
    route: &Route,
) -> Result<ApiResponse, RouteError> {
    let body = if route.is_write() {
        guard_write(req)?
    } else {
        Map::new()
    };
    let field = |k: &str| body.get(k).cloned().unwrap_or(Value::Null);
    let session = session_token(req);
    let bearer = match route.is_players() {
        true => {
            app.bearer(session.as_deref(), access_token(req).as_deref())
                .await?
        }
        false => None,
    };
    let token = bearer.as_ref().map(|b| b.token.as_str());
    let hint = user_hint(req);
    let who = match bearer.as_ref().and_then(|b| b.player.as_deref()) {
        Some(player) => Who::Verified(player),
        None => Who::Hint(hint.as_deref()),
    };
    let response = match route {
        Route::Register => return open(app, req, Entry::Register, &body).await,
        Route::Login => return open(app, req, Entry::Login, &body).await,
        Route::Logout => {
            let outcome = app.logout(session.as_deref()).await;
            // The cookies go in every case: even when auth cannot revoke the token now, the
            // browser forgets it.
            let response = match outcome {
                Ok(()) => ApiResponse::no_content(),
                Err(e) => RouteError::from(e).into_response(),
            };
            return Ok(clear_cookies(response, origin::is_https(req.headers)));
        }
        Route::Me => ApiResponse::json(200, &app.me(token, who).await?),
        Route::CreateGame => {
            let mut wanted = Map::new();
            for key in ["mode", "length"] {
                if let Some(v) = body.get(key) {
                    wanted.insert(key.into(), v.clone());
                }
            }
            relayed_response(app.create_game(token, wanted).await?)
        }
        Route::Game(id) => relayed_response(app.game(token, id).await?),
        Route::Guess(id) => relayed_response(app.guess(token, id, field("word")).await?),
        Route::OfferChallenge => {
            relayed_response(app.offer_challenge(token, field("game_id")).await?)
        }
        Route::Challenge(id) => relayed_response(app.challenge(token, id).await?),
        Route::TakeUp(id) => relayed_response(app.take_up(token, id).await?),
        Route::History => {
            let q = query::history(req.query)?;
            relayed_response(app.history(token, who, &q).await?)
        }
        Route::Leaderboard => {
            relayed_response(app.leaderboard(&query::leaderboard(req.query)?).await?)
        }
        Route::Daily => relayed_response(app.daily().await?),
        Route::Health => health_response(&app.health().await),
    };
    // A renewed access token goes back to the browser for its next requests.
    Ok(match bearer.and_then(|b| b.refreshed) {
        Some((token, expires_at)) => response.header(
            "set-cookie",
            access_cookie(app, &token, expires_at, origin::is_https(req.headers)),
        ),
        None => response,
    })
}

/// The `motus_access` cookie for a token expiring at `expires_at`.
fn access_cookie<S: Siblings, C: Clock>(
    app: &App<'_, S, C>,
    token: &str,
    expires_at: u64,
    secure: bool,
) -> String {
    let left = expires_at.saturating_sub(u64::try_from(app.now()).unwrap_or(0));
    cookie::set(cookie::ACCESS, token, Some(left), secure)
}

/// 200 `{"status":"ok","services":{...}}` when every sibling's store answers, else 503 with
/// `"status":"degraded"` and the same map naming which are `"down"`: a readiness probe or a load
/// balancer reads the status, a person reads the map. The webapp itself has no store: that it
/// answered at all is its own part.
fn health_response(health: &Health) -> ApiResponse {
    let services: Map<String, Value> = health
        .0
        .iter()
        .map(|(service, up)| {
            let state = if *up { "ok" } else { "down" };
            (service.name().to_owned(), Value::from(state))
        })
        .collect();
    let (status, state) = match health.all_up() {
        true => (200, "ok"),
        false => (503, "degraded"),
    };
    ApiResponse::json(status, &json!({ "status": state, "services": services }))
}

fn relayed_response(relayed: Relayed) -> ApiResponse {
    ApiResponse::json(relayed.status, &relayed.body)
}

/// Same-origin, JSON content type, size limit, then a JSON object body (empty counts as `{}`).
fn guard_write(req: &ApiRequest<'_>) -> Result<Map<String, Value>, RouteError> {
    origin::check_same_origin(req.headers)?;
    let media = req.headers.get("content-type").unwrap_or_default();
    let media = media.split(';').next().unwrap_or_default().trim();
    if !media.eq_ignore_ascii_case("application/json") {
        return Err(Code::UnsupportedMediaType.into());
    }
    let bytes = match req.body {
        Ok(bytes) => bytes,
        Err(BodyError::TooLarge) => return Err(ApiError::from(BodyError::TooLarge).into()),
        Err(BodyError::Unreadable) => return Err(ApiError::from(BodyError::Unreadable).into()),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    Ok(parse_json::<Map<String, Value>>(bytes)?)
}

fn session_token(req: &ApiRequest<'_>) -> Option<String> {
    cookie::session_token(req.headers)
}

fn access_token(req: &ApiRequest<'_>) -> Option<String> {
    cookie::access_token(req.headers)
}

fn user_hint(req: &ApiRequest<'_>) -> Option<String> {
    cookie::user_hint(req.headers)
}

/// Register or login: auth's answer without the token, which goes into the cookie instead.
async fn open<S: Siblings, C: Clock>(
    app: &App<'_, S, C>,
    req: &ApiRequest<'_>,
    entry: Entry,
    body: &Map<String, Value>,
) -> Result<ApiResponse, RouteError> {
    let field = |k: &str| body.get(k).cloned().unwrap_or(Value::Null);
    let opened = app
        .open(entry, field("username"), field("password"))
        .await?;
    let s = opened.sign_in;
    let secure = origin::is_https(req.headers);
    let hint = spin_kit::percent::encode(&s.username);
    let body = json!({ "username": s.username, "expires_at": s.expires_at });
    let response = ApiResponse::json(opened.status, &body)
        .header(
            "set-cookie",
            cookie::set(cookie::SESSION, &s.token, s.max_age, secure),
        )
        .header(
            "set-cookie",
            cookie::set(cookie::USER_HINT, &hint, s.max_age, secure),
        );
    Ok(match &s.access {
        Some((token, expires_at)) => {
            response.header("set-cookie", access_cookie(app, token, *expires_at, secure))
        }
        None => response,
    })
}

fn clear_cookies(response: ApiResponse, secure: bool) -> ApiResponse {
    response
        .header("set-cookie", cookie::clear(cookie::SESSION, secure))
        .header("set-cookie", cookie::clear(cookie::USER_HINT, secure))
        .header("set-cookie", cookie::clear(cookie::ACCESS, secure))
}

#[cfg(test)]
mod tests;
