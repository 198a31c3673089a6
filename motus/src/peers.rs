//! Calls to sibling components over Spin service chaining.

use serde::Deserialize;
use spin_kit::outbound;
use spin_sdk::http::{Method, Request};

use crate::domain::ids::{GameId, Player};
use crate::errors::ApiError;

const AUTH_ME: &str = "http://auth.spin.internal/auth/me";
const SCORE_GAMES: &str = "http://score.spin.internal/score/games";

/// The caller's `Authorization` header, checked for shape only; auth decides if it is valid.
pub struct Bearer(String);

impl Bearer {
    pub fn from_header(value: Option<String>) -> Result<Self, ApiError> {
        let value = value.ok_or(ApiError::Unauthorized("missing bearer token"))?;
        let token = value
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|token| !token.is_empty())
            .ok_or(ApiError::Unauthorized(
                "expected Authorization: Bearer <token>",
            ))?;
        Ok(Self(format!("Bearer {token}")))
    }
}

#[derive(Deserialize)]
struct Me {
    username: String,
}

/// Who holds the token, according to auth. Auth answers from its own store, so the direct
/// deadline applies; a hung auth is reported like an absent one (503 `auth_unavailable`), which
/// the webapp relays as auth being down.
pub async fn whoami(bearer: &Bearer) -> Result<Player, ApiError> {
    let request = Request::builder()
        .method(Method::Get)
        .uri(AUTH_ME)
        .header("authorization", &bearer.0)
        .header("accept", "application/json")
        .build();
    let response = outbound::send(request, outbound::deadlines().direct())
        .await
        .map_err(|e| {
            eprintln!("motus: auth: {e}");
            ApiError::AuthUnreachable
        })?;
    match *response.status() {
        200 => {
            let me: Me = serde_json::from_slice(response.body())
                .map_err(|e| ApiError::AuthBadGateway(format!("/auth/me body: {e}")))?;
            Player::parse(&me.username).map_err(|e| ApiError::AuthBadGateway(e.to_string()))
        }
        401 | 403 => Err(ApiError::Unauthorized("invalid or expired token")),
        502..=504 => Err(ApiError::AuthUnreachable),
        other => Err(ApiError::AuthBadGateway(format!("/auth/me status {other}"))),
    }
}

/// Asks score to record a finished game. True once score holds it (201 first time, 200 on
/// repeats); any failure is only logged, for the caller retries later.
///
/// Score checks the game back with motus under the direct deadline, and this call uses the
/// direct deadline too rather than the relayed one: nothing here depends on which of the two gave
/// up, while a guess that waited longer than the webapp waits for motus would be reported as motus
/// failing although the guess was accepted.
pub async fn record(id: &GameId, bearer: &Bearer) -> bool {
    let body = serde_json::json!({ "game_id": id }).to_string();
    let request = Request::builder()
        .method(Method::Post)
        .uri(SCORE_GAMES)
        .header("content-type", "application/json")
        .header("authorization", &bearer.0)
        .body(body)
        .build();
    match outbound::send(request, outbound::deadlines().direct()).await {
        Ok(response) if matches!(*response.status(), 200 | 201) => true,
        Ok(response) => {
            eprintln!(
                "motus: score refused game {id}: status {}",
                response.status()
            );
            false
        }
        Err(e) => {
            eprintln!("motus: score, recording game {id}: {e}");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_tokens_are_checked_for_shape() {
        assert_eq!(
            Bearer::from_header(Some("Bearer abc".into())).unwrap().0,
            "Bearer abc"
        );
        assert_eq!(
            Bearer::from_header(Some("bearer  abc ".into())).unwrap().0,
            "Bearer abc"
        );
        for bad in [
            None,
            Some(""),
            Some("Bearer"),
            Some("Bearer "),
            Some("Basic abc"),
            Some("abc"),
        ] {
            let err = Bearer::from_header(bad.map(str::to_owned)).err().unwrap();
            assert!(matches!(err, ApiError::Unauthorized(_)), "{bad:?}");
        }
    }
}
