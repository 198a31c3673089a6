//! score's steps: record a game, read stats, history and leaderboards.

use super::{Api, Reply, Session};
use serde_json::{json, Value};

impl Api {
    /// Asks score to record game `id` with `who`'s token (score shows it to motus), or none.
    pub async fn record(&self, id: &str, who: Option<&Session>) -> Reply {
        let token = who.and_then(Session::token);
        self.post("/score/games", token, json!({ "game_id": id }))
            .await
    }

    /// `player`'s history page, read as `who` (or anonymously).
    pub async fn history(&self, player: &str, who: Option<&Session>) -> Reply {
        let token = who.and_then(Session::token);
        self.get(&format!("/score/{player}/history?limit=100"), token)
            .await
    }

    pub async fn stats(&self, player: &str) -> Value {
        self.get(&format!("/score/{player}"), None)
            .await
            .expect(200)
    }

    pub async fn leaderboard(&self, period: &str) -> Value {
        self.get(
            &format!("/score/leaderboard?period={period}&limit=100"),
            None,
        )
        .await
        .expect(200)
    }
}

/// Score's documented points, restated here so the tests check the service against the
/// contract rather than against its own code: `10 × length × (7 − tries)` for a win, 0 for a loss.
pub fn points(won: bool, length: u64, tries: u64) -> u64 {
    if won {
        10 * length * (7 - tries)
    } else {
        0
    }
}
