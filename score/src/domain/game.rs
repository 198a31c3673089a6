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
mod tests {
    use super::*;

    fn body() -> ResultBody {
        serde_json::from_value(serde_json::json!({
            "game_id": "g1", "player": "Zoe", "mode": "daily", "date": "2026-11-26",
            "length": 7, "won": true, "tries": 3, "answer": "BONJOUR", "finished_at": 1_790_000_000u64
        }))
        .unwrap()
    }

    #[test]
    fn game_ids_are_url_safe() {
        assert!(GameId::parse("abc-DEF_123").is_ok());
        for bad in ["", "a/b", "a b", "é", &"x".repeat(65), "../x"] {
            assert_eq!(GameId::parse(bad), Err(GameIdError), "{bad:?}");
        }
    }

    #[test]
    fn a_consistent_result_becomes_a_finished_game() {
        let game = FinishedGame::from_result(&GameId::parse("g1").unwrap(), body()).unwrap();
        assert_eq!(game.player.key(), "zoe");
        assert_eq!(game.points(), 10 * 7 * 4);
    }

    #[test]
    fn an_abandoned_daily_is_a_loss_with_the_tries_it_had_even_none() {
        let id = GameId::parse("g1").unwrap();
        for tries in [0, 5] {
            let mut abandoned = body();
            (abandoned.won, abandoned.abandoned, abandoned.tries) = (false, true, tries);
            let game = FinishedGame::from_result(&id, abandoned).unwrap();
            assert_eq!((game.abandoned, game.points()), (true, 0));
        }
    }

    #[test]
    fn practice_games_earn_no_points() {
        let mut practice = body();
        practice.mode = Mode::Practice;
        let game = FinishedGame::from_result(&GameId::parse("g1").unwrap(), practice).unwrap();
        assert_eq!(game.points(), 0);
    }

    #[test]
    fn inconsistent_results_are_refused() {
        let id = GameId::parse("g1").unwrap();
        let other = GameId::parse("g2").unwrap();
        assert!(FinishedGame::from_result(&other, body()).is_err());
        let mut short = body();
        short.length = 5;
        assert!(FinishedGame::from_result(&id, short).is_err());
        let mut seven = body();
        seven.tries = 7;
        assert!(FinishedGame::from_result(&id, seven).is_err());
        let mut short_loss = body();
        (short_loss.won, short_loss.tries) = (false, 3);
        assert!(FinishedGame::from_result(&id, short_loss).is_err());
        let mut abandoned_win = body();
        abandoned_win.abandoned = true;
        assert!(FinishedGame::from_result(&id, abandoned_win).is_err());
        let mut abandoned_practice = body();
        (abandoned_practice.won, abandoned_practice.abandoned) = (false, true);
        abandoned_practice.mode = Mode::Practice;
        assert!(FinishedGame::from_result(&id, abandoned_practice).is_err());
        let mut nobody = body();
        nobody.player = "".into();
        assert!(FinishedGame::from_result(&id, nobody).is_err());
    }
}
