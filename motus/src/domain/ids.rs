//! Identifiers: who plays, and which game.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A game's identifier: 128 random bits written as 32 lower-case hex digits.
///
/// Game ids are the only thing guarding `/result`, which needs no login, so they must be
/// unguessable: the caller supplies the bytes from a cryptographic source.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GameId(String);

/// Text that is not a game id; such a game cannot exist, so callers answer "not found".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a game id")]
pub struct InvalidGameId;

impl GameId {
    pub fn from_random(bytes: [u8; 16]) -> Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let text = bytes
            .iter()
            .flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]])
            .map(char::from)
            .collect();
        Self(text)
    }

    pub fn parse(text: &str) -> Result<Self, InvalidGameId> {
        let well_formed =
            text.len() == 32 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        well_formed
            .then(|| Self(text.to_owned()))
            .ok_or(InvalidGameId)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for GameId {
    type Error = InvalidGameId;

    fn try_from(text: String) -> Result<Self, InvalidGameId> {
        Self::parse(&text)
    }
}

impl From<GameId> for String {
    fn from(id: GameId) -> Self {
        id.0
    }
}

impl fmt::Display for GameId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A player, named as auth names them, in lower case.
///
/// Auth treats usernames case-insensitively; folding here means one person always maps to the
/// same keys (`daily:…:{player}`, `current:{player}`) whatever casing auth echoes back.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Player(String);

/// A username auth should never have produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a username: {0:?}")]
pub struct InvalidPlayer(String);

impl Player {
    const MAX_CHARS: usize = 64;

    pub fn parse(username: &str) -> Result<Self, InvalidPlayer> {
        let sane = !username.is_empty()
            && username.chars().count() <= Self::MAX_CHARS
            && !username
                .chars()
                .any(|c| c.is_control() || c.is_whitespace() || c == ':');
        if sane {
            Ok(Self(username.to_lowercase()))
        } else {
            Err(InvalidPlayer(username.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Player {
    type Error = InvalidPlayer;

    fn try_from(text: String) -> Result<Self, InvalidPlayer> {
        Self::parse(&text)
    }
}

impl From<Player> for String {
    fn from(player: Player) -> Self {
        player.0
    }
}

impl fmt::Display for Player {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn game_ids_are_32_lower_hex_digits() {
        let id = GameId::from_random([0xab; 16]);
        assert_eq!(id.as_str(), "ab".repeat(16));
        assert_eq!(GameId::parse(id.as_str()), Ok(id));
        let zero_to_f = GameId::from_random([
            0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0, 0, 0, 0, 0, 0, 0, 0,
        ]);
        assert!(zero_to_f.as_str().starts_with("0123456789abcdef"));
    }

    #[test]
    fn anything_else_is_not_a_game_id() {
        for bad in [
            "",
            "abc",
            &"AB".repeat(16),
            &"g".repeat(32),
            &"a".repeat(33),
            "../../etc/passwd",
        ] {
            assert_eq!(GameId::parse(bad), Err(InvalidGameId), "{bad}");
        }
    }

    #[test]
    fn players_are_lower_cased() {
        assert_eq!(Player::parse("Alice_42").unwrap().as_str(), "alice_42");
        assert_eq!(Player::parse("ÉLODIE").unwrap().as_str(), "élodie");
    }

    #[test]
    fn odd_usernames_are_refused() {
        for bad in ["", "a b", "a:b", "tab\t", &"x".repeat(65)] {
            assert!(Player::parse(bad).is_err(), "{bad:?}");
        }
    }
}
