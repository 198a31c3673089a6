//! Recorded games: the create-once game record and the per-player history pages.

use serde::{Deserialize, Serialize};
use spin_kit::calendar::Date;
use spin_kit::names::PlayerName;

use super::game::{FinishedGame, Mode};

pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;

/// What `POST /score/games` answers, first time and every time after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded {
    pub game_id: String,
    pub player: String,
    pub points: u64,
    pub won: bool,
    pub tries: u32,
    pub mode: Mode,
    pub date: Date,
}

/// Stored under `game:{id}`: created once, marked `done` when every step of the recording
/// has completed, so a repeat can answer at once and an interrupted recording gets finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GameRecord {
    #[serde(flatten)]
    pub recorded: Recorded,
    pub player_key: String,
    pub done: bool,
}

/// One line of a player's history, stored under `hist:{player}:{seq}`.
///
/// `game_id` and `answer` are always stored; [`HistoryEntry::redact`] blanks them for readers
/// who may not see them yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub game_id: Option<String>,
    pub mode: Mode,
    pub date: Date,
    pub length: u32,
    pub won: bool,
    pub tries: u32,
    pub points: u64,
    pub answer: Option<String>,
    pub finished_at: u64,
    /// A daily game left unfinished when its day ended (a loss).
    #[serde(default)]
    pub abandoned: bool,
}

pub fn game_key(id: &str) -> String {
    format!("game:{id}")
}

pub fn history_key(player: &PlayerName, seq: u64) -> String {
    format!("hist:{}:{seq}", player.key())
}

impl GameRecord {
    pub fn pending(game: &FinishedGame) -> Self {
        Self {
            recorded: Recorded {
                game_id: game.game_id.as_str().to_owned(),
                player: game.player.as_str().to_owned(),
                points: game.points(),
                won: game.won,
                tries: game.tries,
                mode: game.mode,
                date: game.date,
            },
            player_key: game.player.key().to_owned(),
            done: false,
        }
    }
}

impl HistoryEntry {
    pub fn of(game: &FinishedGame) -> Self {
        Self {
            game_id: Some(game.game_id.as_str().to_owned()),
            mode: game.mode,
            date: game.date,
            length: game.length,
            won: game.won,
            tries: game.tries,
            points: game.points(),
            answer: Some(game.answer.clone()),
            finished_at: game.finished_at,
            abandoned: game.abandoned,
        }
    }

    /// What anyone but the player may see: the answer of a daily game is everyone's word of
    /// that day, so it stays hidden, with the game id that would fetch it, until the day is over
    /// in Paris. Practice words are the player's alone.
    pub fn redact(mut self, today: Date) -> Self {
        if self.mode == Mode::Daily && self.date >= today {
            self.game_id = None;
            self.answer = None;
        }
        self
    }
}

/// A history position: entries strictly older than it come next. Opaque to clients; it is
/// the sequence number of the last entry they received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor(pub u64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// Out of `1..=max`, or not a number.
    #[error("« limit » doit être un entier de 1 à {0}")]
    Limit(usize),
    #[error("« cursor » n'est pas un curseur renvoyé par ce service")]
    Cursor,
}

pub fn parse_limit(raw: Option<&str>, default: usize, max: usize) -> Result<usize, PageError> {
    match raw {
        None => Ok(default),
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or(PageError::Limit(max)),
    }
}

pub fn parse_cursor(raw: Option<&str>) -> Result<Option<Cursor>, PageError> {
    raw.map(|raw| raw.parse().map(Cursor).map_err(|_| PageError::Cursor))
        .transpose()
}

/// Sequence numbers to read for one page, newest first: below the cursor (or from the newest
/// game) down to 0, at most `limit` of them.
pub fn page_seqs(next_seq: u64, cursor: Option<Cursor>, limit: usize) -> Vec<u64> {
    let start = cursor.map_or(next_seq, |c| c.0.min(next_seq));
    (0..start).rev().take(limit).collect()
}

#[cfg(test)]
mod tests;
