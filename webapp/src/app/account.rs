//! Signing in (registering or logging in) through auth, and signing out.

use super::{App, AppError};
use crate::domain::sign_in::{self, SignIn};
use crate::siblings::{Call, Service, Siblings};
use serde_json::{json, Value};
use spin_kit::clock::Clock;

/// The two ways to get a session from auth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Register,
    Login,
}

impl Entry {
    fn auth_path(self) -> &'static str {
        match self {
            Entry::Register => "/auth/register",
            Entry::Login => "/auth/login",
        }
    }
}

/// A session auth opened, with auth's status (201 registered, 200 logged in).
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    pub status: u16,
    pub sign_in: SignIn,
}

impl<S: Siblings, C: Clock> App<'_, S, C> {
    /// Only the two credentials go to auth, as the browser sent them: auth judges them.
    pub async fn open(
        &self,
        entry: Entry,
        username: Value,
        password: Value,
    ) -> Result<Opened, AppError> {
        let creds = json!({ "username": username, "password": password });
        let call = Call::post(Service::Auth, entry.auth_path(), None, creds);
        let answer = self.fetch(call).await?;
        let sign_in = sign_in::from_auth(&answer.body, self.clock.now())
            .ok_or(AppError::BadGateway(Service::Auth))?;
        Ok(Opened {
            status: answer.status,
            sign_in,
        })
    }

    /// Revokes the token with auth. Without a token there is nothing to revoke; a token auth
    /// refuses is already as good as revoked.
    pub async fn logout(&self, token: Option<&str>) -> Result<(), AppError> {
        let Some(token) = token else {
            return Ok(());
        };
        let call = Call::post(Service::Auth, "/auth/logout", Some(token), json!({}));
        match self.fetch(call).await {
            Ok(_) | Err(AppError::Refused(..)) => Ok(()),
            Err(e) => Err(e),
        }
    }
}
