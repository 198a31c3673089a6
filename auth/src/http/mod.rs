//! Routing and (de)serialisation, independent of the Spin SDK so it can be tested natively.

mod error;

use serde::Deserialize;
use serde_json::json;
use spin_kit::errors::{ApiError, Code};
use spin_kit::http::{bearer, parse_json};

use spin_kit::clock::Clock;
use spin_kit::random::Random;

use crate::app::{Auth, Issued};
use crate::domain::{ClientAddr, Kv, SessionToken};
use crate::siblings::PlayerData;
pub use spin_kit::http::ApiResponse;

/// The parts of a request the routes look at.
pub struct ApiRequest<'a> {
    pub method: &'a str,
    /// Path without the query string.
    pub path: &'a str,
    pub authorization: Option<&'a str>,
    /// Whose lockout budget a password attempt spends.
    pub client: &'a ClientAddr,
    pub body: &'a [u8],
}

#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

#[derive(Deserialize)]
struct PasswordChange {
    current_password: String,
    new_password: String,
}

#[derive(Deserialize)]
struct PasswordConfirmation {
    password: String,
}

/// Answers one request; `players` reaches the siblings when an account is deleted.
pub async fn handle<K: Kv, C: Clock, R: Random, P: PlayerData>(
    auth: &Auth<'_, K, C, R>,
    players: &P,
    req: &ApiRequest<'_>,
) -> ApiResponse {
    route(auth, players, req)
        .await
        .unwrap_or_else(ApiError::into_response)
}

async fn route<K: Kv, C: Clock, R: Random, P: PlayerData>(
    auth: &Auth<'_, K, C, R>,
    players: &P,
    req: &ApiRequest<'_>,
) -> Result<ApiResponse, ApiError> {
    let token = bearer(req.authorization).and_then(SessionToken::parse);
    let token = token.as_ref();
    match (req.path, req.method) {
        ("/auth/register", "POST") => {
            let body: Credentials = parse_json(req.body)?;
            let issued = auth.register(&body.username, body.password)?;
            Ok(issued_response(201, issued))
        }
        ("/auth/login", "POST") => {
            let body: Credentials = parse_json(req.body)?;
            let issued = auth.login(&body.username, body.password, req.client)?;
            Ok(issued_response(200, issued))
        }
        ("/auth/logout", "POST") => {
            auth.logout(auth.authenticate(token)?)?;
            Ok(ApiResponse::no_content())
        }
        // A fresh access token for the holder of a session (the webapp calls it when the
        // one in its cookie has expired).
        ("/auth/access", "POST") => {
            let me = auth.authenticate(token)?;
            let grant = auth.refresh_access(&me)?;
            let body = json!({
                "username": me.user.username,
                "access_token": grant.token,
                "access_expires_at": grant.expires_at,
            });
            Ok(ApiResponse::json(200, &body))
        }
        ("/auth/me", "GET") => {
            let me = auth.authenticate(token)?;
            let body = json!({ "username": me.user.username, "created_at": me.user.created_at });
            Ok(ApiResponse::json(200, &body))
        }
        ("/auth/me", "DELETE") => {
            let me = auth.authenticate(token)?;
            let body: PasswordConfirmation = parse_json(req.body)?;
            // authenticate succeeded, so the token is there.
            let token = token.ok_or(ApiError::new(Code::Internal))?;
            auth.delete_account(me, token, body.password, req.client, players)
                .await?;
            Ok(ApiResponse::no_content())
        }
        ("/auth/password", "PUT") => {
            let me = auth.authenticate(token)?;
            let body: PasswordChange = parse_json(req.body)?;
            auth.change_password(me, body.current_password, body.new_password, req.client)?;
            Ok(ApiResponse::no_content())
        }
        // Readiness: the store answers; no token, nothing read from the request.
        ("/auth/health", "GET") => spin_kit::http::health(auth.store()),
        ("/auth/register" | "/auth/login" | "/auth/logout" | "/auth/access", _) => {
            Err(ApiError::method_not_allowed("POST"))
        }
        ("/auth/me", _) => Err(ApiError::method_not_allowed("GET, DELETE")),
        ("/auth/health", _) => Err(ApiError::method_not_allowed("GET")),
        ("/auth/password", _) => Err(ApiError::method_not_allowed("PUT")),
        _ => Err(ApiError::new(Code::NotFound)),
    }
}

fn issued_response(status: u16, issued: Issued) -> ApiResponse {
    let mut body = json!({
        "username": issued.username,
        "token": issued.token.as_str(),
        "expires_at": issued.expires_at,
    });
    if let Some(access) = issued.access {
        body["access_token"] = access.token.into();
        body["access_expires_at"] = access.expires_at.into();
    }
    ApiResponse::json(status, &body)
}

#[cfg(test)]
mod tests;
