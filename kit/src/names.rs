//! Player names: what a player types and sees, plus the lowercase key that makes them unique.
//!
//! Used by auth (registration with [`PlayerName::parse_new`], every other account operation with
//! [`PlayerName::parse`]), motus and score (the player a token belongs to, a name in a path, and
//! the key their documents are stored under), and the webapp (names it puts in a sibling URL).
//!
//! A name travels as a URL path segment (`/score/{player}`, the siblings' `/…/players/{player}`),
//! as a JSON string, in a store key and in a cookie hint, so it must come through every one of
//! those unchanged:
//!
//! - Only RFC 3986 unreserved characters (ASCII letters, digits, `-`, `.`, `_`): a name never
//!   needs percent-encoding, so no route has to decode one and a path built by `format!` is
//!   exact. Accented letters would also need Unicode normalisation to stay unique, and
//!   look-alikes invite impersonation on a leaderboard.
//! - Unique case-insensitively: every service keys a player by the lowercase form, and answers
//!   show the spelling chosen at registration.
//! - A new name also starts and ends with a letter or a digit (ruling out `.`, `..` and other
//!   names that URL parsers, trimming or file-name rules would change) and is not a fixed route
//!   segment. Accounts registered before that rule keep their names, so only registration
//!   applies it ([`PlayerName::parse_new`]); everything else accepts any name an account may
//!   hold ([`PlayerName::parse`]).

use std::{
    cmp::Ordering,
    fmt,
    hash::{Hash, Hasher},
};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub const MIN_LEN: usize = 2;
pub const MAX_LEN: usize = 20;

/// Names that would shadow fixed routes of the services that put a player name in a URL
/// (`/score/leaderboard`, `/score/health`, `/auth/me`, `/score/players/{player}`, ...), plus a few that invite
/// impersonation.
const RESERVED: &[&str] = &[
    "admin",
    "api",
    "auth",
    "games",
    "health",
    "leaderboard",
    "me",
    "motus",
    "players",
    "root",
    "score",
    "system",
    "update",
];

/// Why a name is refused. The message is French: a player reads it when registering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidName {
    #[error("Nom d'utilisateur invalide : {MIN_LEN} caractères au minimum.")]
    TooShort,
    #[error("Nom d'utilisateur invalide : {MAX_LEN} caractères au maximum.")]
    TooLong,
    #[error(
        "Nom d'utilisateur invalide : seuls les lettres sans accent, les chiffres, « _ », « . » et « - » sont permis."
    )]
    InvalidCharacter,
    #[error(
        "Nom d'utilisateur invalide : il doit commencer et finir par une lettre ou un chiffre."
    )]
    InvalidEdge,
    #[error("Nom d'utilisateur invalide : ce nom est réservé.")]
    Reserved,
}

/// A valid player name in the spelling the player chose, with its lowercase key.
///
/// Two names with the same key are the same player, so equality, ordering and hashing look at
/// the key only: `Zoe` and `zoe` compare equal (a store written with one spelling is read back
/// with the other). Serialised as the chosen spelling.
#[derive(Debug, Clone)]
pub struct PlayerName {
    display: String,
    key: String,
}

impl PlayerName {
    /// A name some account may hold: 2 to 20 of the allowed characters. What every service but
    /// auth's registration accepts, so an account registered before the edge rule (`_zoe_`)
    /// can still log in, play and score.
    pub fn parse(raw: &str) -> Result<Self, InvalidName> {
        let len = raw.chars().count();
        if len < MIN_LEN {
            return Err(InvalidName::TooShort);
        }
        if len > MAX_LEN {
            return Err(InvalidName::TooLong);
        }
        if !raw.chars().all(is_allowed) {
            return Err(InvalidName::InvalidCharacter);
        }
        Ok(Self {
            display: raw.to_owned(),
            key: raw.to_ascii_lowercase(),
        })
    }

    /// A name that may be registered now: [`PlayerName::parse`], and it starts and ends with a
    /// letter or a digit and is not reserved.
    pub fn parse_new(raw: &str) -> Result<Self, InvalidName> {
        let name = Self::parse(raw)?;
        let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if !alnum(raw.chars().next()) || !alnum(raw.chars().last()) {
            return Err(InvalidName::InvalidEdge);
        }
        if RESERVED.contains(&name.key.as_str()) {
            return Err(InvalidName::Reserved);
        }
        Ok(name)
    }

    /// The spelling chosen at registration (or as typed, before auth looked it up).
    pub fn as_str(&self) -> &str {
        &self.display
    }

    /// The lowercase form that identifies the player in store keys and comparisons.
    pub fn key(&self) -> &str {
        &self.key
    }
}

fn is_allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

impl PartialEq for PlayerName {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for PlayerName {}

impl Hash for PlayerName {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

impl PartialOrd for PlayerName {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PlayerName {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.cmp(&other.key)
    }
}

impl fmt::Display for PlayerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

impl Serialize for PlayerName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.display)
    }
}

/// Reads any name an account may hold ([`PlayerName::parse`]): stored documents outlive
/// changes to the registration rule.
impl<'de> Deserialize<'de> for PlayerName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests;
