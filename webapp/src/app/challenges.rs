//! "Défier un ami": challenges are motus's; the webapp passes them on with the session's token.
//! A challenge game is played through the usual game routes, and never goes to score.

use super::{relay, required, App, AppError, Relayed};
use crate::siblings::{Call, Service, Siblings};
use serde_json::{json, Value};
use spin_kit::clock::Clock;
use spin_kit::game_id::GameId;

impl<S: Siblings, C: Clock> App<'_, S, C> {
    /// A challenge on the caller's finished practice game `game` (the browser's `game_id`).
    pub async fn offer_challenge(
        &self,
        token: Option<&str>,
        game: Value,
    ) -> Result<Relayed, AppError> {
        let token = required(token)?;
        let body = json!({ "game_id": game });
        let call = Call::post(Service::Motus, "/motus/challenges", Some(token), body);
        relay(Service::Motus, self.fetch(call).await?)
    }

    /// The challenge page, as motus lets the caller see it.
    pub async fn challenge(&self, token: Option<&str>, id: &GameId) -> Result<Relayed, AppError> {
        let token = required(token)?;
        let call = Call::get(Service::Motus, challenge_path(id, ""), Some(token));
        relay(Service::Motus, self.fetch(call).await?)
    }

    /// The caller's game on the challenge's word, started or resumed; shaped as every game.
    pub async fn take_up(&self, token: Option<&str>, id: &GameId) -> Result<Relayed, AppError> {
        let token = required(token)?;
        let path = challenge_path(id, "/games");
        let call = Call::post(Service::Motus, path, Some(token), json!({}));
        self.game_reply(token, self.fetch(call).await?).await
    }
}

/// Challenge ids have the shape of game ids, which the route checked.
fn challenge_path(id: &GameId, suffix: &str) -> String {
    format!("/motus/challenges/{}{suffix}", id.as_str())
}
