//! motus's steps: start a game, guess, play a script of words, read a result.

use super::{Api, Reply, Session};
use serde_json::{json, Value};

impl Api {
    pub async fn new_game_reply(&self, who: &Session, mode: &str, length: Option<u64>) -> Reply {
        let body = match length {
            Some(length) => json!({ "mode": mode, "length": length }),
            None => json!({ "mode": mode }),
        };
        self.post("/motus/games", who.token(), body).await
    }

    /// Starts a new practice game of `length` letters.
    pub async fn practice(&self, who: &Session, length: u64) -> Value {
        self.new_game_reply(who, "practice", Some(length))
            .await
            .expect(201)
    }

    pub async fn game(&self, who: &Session, id: &str) -> Reply {
        self.get(&format!("/motus/games/{id}"), who.token()).await
    }

    pub async fn guess(&self, who: &Session, id: &str, word: &str) -> Reply {
        self.post(
            &format!("/motus/games/{id}/guesses"),
            who.token(),
            json!({ "word": word }),
        )
        .await
    }

    /// Plays `words` in order in game `id`, each expected to be accepted; returns the last game.
    pub async fn play(&self, who: &Session, id: &str, words: &[&str]) -> Value {
        let mut game = Value::Null;
        for word in words {
            game = self.guess(who, id, word).await.expect(200);
        }
        game
    }

    /// motus's result of game `id`, read with `who`'s token or with no credentials at all.
    pub async fn result(&self, id: &str, who: Option<&Session>) -> Reply {
        let token = who.and_then(Session::token);
        self.get(&format!("/motus/games/{id}/result"), token).await
    }
}

/// The `id` of a game answer.
pub fn id_of(game: &Value) -> String {
    game["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no game id in {game}"))
        .to_owned()
}

/// The number of accepted guesses in a game answer.
pub fn tries_of(game: &Value) -> usize {
    game["guesses"]
        .as_array()
        .unwrap_or_else(|| panic!("no guesses in {game}"))
        .len()
}
