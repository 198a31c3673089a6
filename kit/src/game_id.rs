//! Game identifiers: 128 random bits written as 32 lowercase hex digits.
//!
//! Used by motus (which makes them and stores games under them), score (the game a player
//! asks to record) and the webapp (the id in `/api/games/{id}`, refused before any sibling
//! call).
//!
//! Game ids are the only thing guarding motus's `/result`, which needs no login, so they must
//! be unguessable: the caller supplies the bytes from a cryptographic source (randomness stays
//! a port of the use case, never read here). One rule for every service: an id motus could not
//! have made names no game, and its shape is safe verbatim in a URL path and a store key.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Bytes of randomness in a game id.
pub const RANDOM_BYTES: usize = 16;
/// Length of a game id as text.
pub const LEN: usize = 2 * RANDOM_BYTES;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GameId(String);

/// Text that is not a game id; no game has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Identifiant de partie invalide : {LEN} chiffres hexadécimaux minuscules attendus.")]
pub struct InvalidGameId;

impl GameId {
    /// The id written from `bytes`, which must come from a cryptographic source.
    pub fn from_random(bytes: [u8; RANDOM_BYTES]) -> Self {
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
            text.len() == LEN && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_random_bytes_in_lowercase_hex() {
        let id = GameId::from_random([0xab; RANDOM_BYTES]);
        assert_eq!(id.as_str(), "ab".repeat(16));
        let every_digit = GameId::from_random([
            0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0, 0, 0, 0, 0, 0, 0, 0xff,
        ]);
        assert_eq!(every_digit.to_string(), "0123456789abcdef00000000000000ff");
    }

    #[test]
    fn a_made_id_parses_back() {
        for byte in [0x00, 0x5a, 0xff] {
            let id = GameId::from_random([byte; RANDOM_BYTES]);
            assert_eq!(GameId::parse(id.as_str()), Ok(id));
        }
    }

    #[test]
    fn anything_else_is_not_a_game_id() {
        for bad in [
            "",
            "abc",
            "g1",
            "not-a-game",
            &"AB".repeat(16),
            &"g".repeat(32),
            &"a".repeat(31),
            &"a".repeat(33),
            &format!("{} ", "a".repeat(31)),
            "../../etc/passwd/0123456789abcdef",
            "0123456789abcdef0123456789abcdeé",
        ] {
            assert_eq!(GameId::parse(bad), Err(InvalidGameId), "{bad}");
        }
    }

    #[test]
    fn ids_serialise_as_strings_and_only_valid_ones_read_back() {
        let id = GameId::from_random([0x5a; RANDOM_BYTES]);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{}\"", "5a".repeat(16)));
        assert_eq!(serde_json::from_str::<GameId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<GameId>("\"not-a-game\"").is_err());
    }

    #[test]
    fn the_refusal_is_explained_in_french() {
        assert_eq!(
            InvalidGameId.to_string(),
            "Identifiant de partie invalide : 32 chiffres hexadécimaux minuscules attendus."
        );
    }
}
