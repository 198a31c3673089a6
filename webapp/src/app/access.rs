//! Which bearer the webapp sends the siblings for a browser, and who the player is.
//!
//! With access tokens on (the `access_secret` variable), the browser holds two cookies: the
//! session (auth's revocable token) and a short-lived access token. A live access token names
//! the player and goes to motus and score as is: no call to auth. When it is missing or has
//! expired, the session buys a new one from auth (`POST /auth/access`) and the answer carries it
//! in a fresh cookie: one call to auth per minute of play instead of one per request. With
//! access tokens off the session token itself is the bearer, and the siblings ask auth.

use super::{json_of, App, AppError};
use crate::siblings::{Call, Service, Siblings};
use serde_json::json;
use spin_kit::access::{AccessKey, Refused};
use spin_kit::clock::Clock;

/// The credential to send the siblings for this request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bearer {
    pub token: String,
    /// The player, when the webapp could tell without auth (an access token).
    pub player: Option<String>,
    /// A new access token to hand the browser, with its expiry (Unix seconds).
    pub refreshed: Option<(String, u64)>,
}

impl<S: Siblings, C: Clock> App<'_, S, C> {
    /// The bearer for a browser holding `session` and `access` cookies; `None` without a
    /// session (a visitor). A session auth refuses is the usual 401, relayed.
    pub async fn bearer(
        &self,
        session: Option<&str>,
        access: Option<&str>,
    ) -> Result<Option<Bearer>, AppError> {
        let Some(session) = session else {
            return Ok(None);
        };
        let Some(key) = self.access.as_ref() else {
            return Ok(Some(Bearer::session(session)));
        };
        if let Some(Ok(player)) = access.map(|token| self.check(key, token)) {
            return Ok(Some(Bearer {
                token: access.unwrap_or_default().to_owned(),
                player: Some(player),
                refreshed: None,
            }));
        }
        let call = Call::post(Service::Auth, "/auth/access", Some(session), json!({}));
        let answer = match self.fetch(call).await {
            Ok(answer) => answer,
            // Auth holds no key (configured apart from the webapp): the session it is.
            Err(AppError::Refused(Service::Auth, a)) if a.status == 404 => {
                return Ok(Some(Bearer::session(session)));
            }
            Err(e) => return Err(e),
        };
        let body = json_of(Service::Auth, &answer)?;
        let fields = (
            body["access_token"].as_str(),
            body["access_expires_at"].as_u64(),
            body["username"].as_str(),
        );
        let (Some(token), Some(expires_at), Some(player)) = fields else {
            return Err(AppError::BadGateway(Service::Auth));
        };
        Ok(Some(Bearer {
            token: token.to_owned(),
            player: Some(player.to_owned()),
            refreshed: Some((token.to_owned(), expires_at)),
        }))
    }

    fn check(&self, key: &AccessKey, token: &str) -> Result<String, Refused> {
        let now = u64::try_from(self.clock.now()).unwrap_or(0);
        key.verify(token, now)
            .map(|claims| claims.player.as_str().to_owned())
    }
}

impl Bearer {
    fn session(token: &str) -> Self {
        Self {
            token: token.to_owned(),
            player: None,
            refreshed: None,
        }
    }
}
