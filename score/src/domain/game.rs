//! A finished game as motus reports it, checked before it is allowed to move any score.

use serde::{Deserialize, Serialize};
use spin_kit::calendar::Date;
use spin_kit::game_id::GameId;
use spin_kit::names::PlayerName;
use std::ops::Deref;

use super::points::{points, MAX_TRIES};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Daily,
    Practice,
}

/// The body of motus' `GET /motus/games/{id}/result`. Reading it checks the id and the name;
/// [`FinishedGame::from_result`] checks the rest.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ResultBody {
    pub game_id: GameId,
    pub player: PlayerName,
    pub mode: Mode,
    pub date: Date,
    pub length: u32,
    pub won: bool,
    pub tries: u32,
    pub answer: String,
    pub finished_at: u64,
    /// A daily game left unfinished when its day ended: lost, with the tries it had.
    #[serde(default)]
    pub abandoned: bool,
}

/// A result that describes the game asked for and is possible under the rules of the game:
/// only these move a score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinishedGame(ResultBody);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("résultat incohérent : {0}")]
pub struct InvalidResult(pub &'static str);

impl FinishedGame {
    /// Accepts motus' answer for `asked` only if it describes that game and is possible.
    pub fn from_result(asked: &GameId, body: ResultBody) -> Result<Self, InvalidResult> {
        if body.game_id != *asked {
            return Err(InvalidResult("ce n'est pas la partie demandée"));
        }
        if !(6..=10).contains(&body.length) {
            return Err(InvalidResult("longueur hors de 6 à 10"));
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
                "essais, victoire et abandon ne vont pas ensemble",
            ));
        }
        Ok(Self(body))
    }

    /// Only daily games earn points: practice is unlimited, so points from it could be farmed.
    pub fn points(&self) -> u64 {
        match self.mode {
            Mode::Daily => points(self.won, self.length, self.tries),
            Mode::Practice => 0,
        }
    }
}

/// A finished game reads as the result it was checked from.
impl Deref for FinishedGame {
    type Target = ResultBody;

    fn deref(&self) -> &ResultBody {
        &self.0
    }
}

#[cfg(test)]
mod tests;
