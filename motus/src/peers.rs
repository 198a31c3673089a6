//! Calls to sibling components over Spin service chaining.

use serde::Deserialize;
use spin_kit::outbound;
use spin_sdk::http::{Method, Request};

use crate::domain::ids::{GameId, Player};
use crate::errors::ApiError;
use crate::siblings::{IdentityError, RecordFailure, Siblings};

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
        Ok(Self(token.to_owned()))
    }

    pub fn token(&self) -> &str {
        &self.0
    }
}

#[derive(Deserialize)]
struct Me {
    username: String,
}

/// Auth and score over Spin's service chaining.
pub struct Peers;

impl Siblings for Peers {
    /// Auth answers from its own store, so the direct deadline applies; a hung auth is reported
    /// like an absent one, which the webapp relays as auth being down.
    async fn identify(&self, token: &str) -> Result<Player, IdentityError> {
        let request = Request::builder()
            .method(Method::Get)
            .uri(AUTH_ME)
            .header("authorization", format!("Bearer {token}"))
            .header("accept", "application/json")
            .build();
        let response = outbound::send(request, outbound::deadlines().direct())
            .await
            .map_err(|e| {
                eprintln!("motus: auth: {e}");
                IdentityError::Unavailable(e.to_string())
            })?;
        match *response.status() {
            200 => {
                let me: Me = serde_json::from_slice(response.body())
                    .map_err(|e| IdentityError::BadGateway(format!("/auth/me body: {e}")))?;
                Player::parse(&me.username).map_err(|e| IdentityError::BadGateway(e.to_string()))
            }
            401 | 403 => Err(IdentityError::Rejected),
            status @ 502..=504 => Err(IdentityError::Unavailable(format!("status {status}"))),
            other => Err(IdentityError::BadGateway(format!(
                "/auth/me status {other}"
            ))),
        }
    }

    /// Score checks the game back with motus under the direct deadline, and this call uses the
    /// direct deadline too rather than the relayed one: nothing here depends on which of the two
    /// gave up, while a guess that waited longer than the webapp waits for motus would be
    /// reported as motus failing although the guess was accepted.
    async fn record(&self, id: &GameId, token: &str) -> Result<(), RecordFailure> {
        let body = serde_json::json!({ "game_id": id }).to_string();
        let request = Request::builder()
            .method(Method::Post)
            .uri(SCORE_GAMES)
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {token}"))
            .body(body)
            .build();
        match outbound::send(request, outbound::deadlines().direct()).await {
            Ok(response) if matches!(*response.status(), 200 | 201) => Ok(()),
            Ok(response) => Err(RecordFailure(format!("status {}", response.status()))),
            Err(e) => Err(RecordFailure(e.to_string())),
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
            "abc"
        );
        assert_eq!(
            Bearer::from_header(Some("bearer  abc ".into())).unwrap().0,
            "abc"
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
