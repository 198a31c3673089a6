//! Playing: games are motus's; once one is over, score records it.

use super::{json_of, relay, required, App, AppError, Relayed};
use crate::siblings::{Answer, Call, Service, Siblings};
use serde_json::{json, Map, Value};
use spin_kit::clock::Clock;
use spin_kit::game_id::GameId;

impl<S: Siblings, C: Clock> App<'_, S, C> {
    /// `wanted` holds only what motus reads from the browser (`mode`, `length`): the player is
    /// the token's, never a field.
    pub async fn create_game(
        &self,
        token: Option<&str>,
        wanted: Map<String, Value>,
    ) -> Result<Relayed, AppError> {
        let token = required(token)?;
        let call = Call::post(Service::Motus, "/motus/games", Some(token), wanted.into());
        self.game_reply(token, self.fetch(call).await?).await
    }

    pub async fn game(&self, token: Option<&str>, id: &GameId) -> Result<Relayed, AppError> {
        let token = required(token)?;
        let call = Call::get(Service::Motus, game_path(id, ""), Some(token));
        self.game_reply(token, self.fetch(call).await?).await
    }

    pub async fn guess(
        &self,
        token: Option<&str>,
        id: &GameId,
        word: Value,
    ) -> Result<Relayed, AppError> {
        let token = required(token)?;
        let call = Call::post(
            Service::Motus,
            game_path(id, "/guesses"),
            Some(token),
            json!({ "word": word }),
        );
        self.game_reply(token, self.fetch(call).await?).await
    }

    /// Relays motus's game and, once the game is over, has score record it (idempotent on score's
    /// side, so reloading a finished game also retries a recording that failed earlier). The game
    /// is already settled by motus at this point: a score failure never turns it into an error,
    /// it only shows up as `"score": null` and `"degraded": ["score"]`. A challenge game is never
    /// score's: nothing is asked.
    pub(super) async fn game_reply(
        &self,
        token: &str,
        answer: Answer,
    ) -> Result<Relayed, AppError> {
        let Ok(Value::Object(mut game)) = json_of(Service::Motus, &answer) else {
            return relay(Service::Motus, answer);
        };
        let mut degraded = Vec::new();
        let over = matches!(
            game.get("status").and_then(Value::as_str),
            Some("won" | "lost")
        );
        let for_score = game.get("mode").and_then(Value::as_str) != Some("challenge");
        if let (true, true, Some(id)) = (over, for_score, game.get("id").cloned()) {
            let call = Call::post(
                Service::Score,
                "/score/games",
                Some(token),
                json!({ "game_id": id }),
            );
            let recorded = self.fetch(call).await;
            let score = match recorded.and_then(|a| json_of(Service::Score, &a)) {
                Ok(v) => v,
                Err(AppError::Refused(..)) => Value::Null,
                Err(_) => {
                    degraded.push(Service::Score.name());
                    Value::Null
                }
            };
            game.insert("score".into(), score);
        }
        game.insert("degraded".into(), json!(degraded));
        Ok(Relayed {
            status: answer.status,
            body: Value::Object(game),
        })
    }
}

fn game_path(id: &GameId, suffix: &str) -> String {
    format!("/motus/games/{}{suffix}", id.as_str())
}
