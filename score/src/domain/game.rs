//! A finished game as motus reports it, checked before it is allowed to move any score.

use serde::{Deserialize, Serialize};

use super::date::GameDate;
use super::player::PlayerName;
use super::points::{points, MAX_TRIES};

pub const GAME_ID_MAX_LEN: usize = 64;

/// A motus game identifier: it goes into a URL path and a store key, so only URL-safe
/// characters are accepted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GameId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("game_id must be 1 to {GAME_ID_MAX_LEN} characters of A-Z, a-z, 0-9, '_' or '-'")]
pub struct GameIdError;

impl GameId {
    pub fn parse(raw: &str) -> Result<Self, GameIdError> {
        let ok = (1..=GAME_ID_MAX_LEN).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        ok.then(|| Self(raw.to_owned())).ok_or(GameIdError)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Daily,
    Practice,
}

/// The body of motus' `GET /motus/games/{id}/result`.
#[derive(Debug, Clone, Deserialize)]
pub struct ResultBody {
    pub game_id: String,
    pub player: String,
    pub mode: Mode,
    pub date: GameDate,
    pub length: u32,
    pub won: bool,
    pub tries: u32,
    pub answer: String,
    pub finished_at: u64,
    /// A daily game left unfinished when its day ended: lost, with the tries it had.
    #[serde(default)]
    pub abandoned: bool,
}

/// A game that is over, validated against the rules of the game.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinishedGame {
    pub id: GameId,
    pub player: PlayerName,
    pub mode: Mode,
    pub date: GameDate,
    pub length: u32,
    pub won: bool,
    pub tries: u32,
    pub answer: String,
    pub finished_at: u64,
    pub abandoned: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("motus returned an inconsistent result: {0}")]
pub struct InvalidResult(pub &'static str);

impl FinishedGame {
    /// Accepts motus' answer for `asked` only if it describes that game and is possible.
    pub fn from_result(asked: &GameId, body: ResultBody) -> Result<Self, InvalidResult> {
        if body.game_id != asked.as_str() {
            return Err(InvalidResult("game_id differs from the one asked"));
        }
        let player = PlayerName::parse(&body.player).map_err(|_| InvalidResult("bad player"))?;
        if !(6..=10).contains(&body.length) {
            return Err(InvalidResult("length outside 6..=10"));
        }
        // A win takes 1 to 6 tries, a loss all 6; a game abandoned at midnight is a loss with
        // the tries it had, none at all included, and only a daily game can be abandoned.
        let possible = match (body.won, body.abandoned) {
            (true, false) => (1..=MAX_TRIES).contains(&body.tries),
            (false, false) => body.tries == MAX_TRIES,
            (false, true) => body.mode == Mode::Daily && body.tries < MAX_TRIES,
            (true, true) => false,
        };
        if !possible {
            return Err(InvalidResult(
                "tries, won and abandoned do not fit together",
            ));
        }
        Ok(Self {
            id: asked.clone(),
            player,
            mode: body.mode,
            date: body.date,
            length: body.length,
            won: body.won,
            tries: body.tries,
            answer: body.answer,
            finished_at: body.finished_at,
            abandoned: body.abandoned,
        })
    }

    /// Only daily games earn points: practice is unlimited, so points from it could be farmed.
    pub fn points(&self) -> u64 {
        match self.mode {
            Mode::Daily => points(self.won, self.length, self.tries),
            Mode::Practice => 0,
        }
    }
}

#[cfg(test)]
mod tests;
