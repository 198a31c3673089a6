//! Usernames: what a player types and sees, plus the key that makes them unique.
//!
//! A name travels as a URL path segment (`/score/{player}`, `/score/{player}/history`, the
//! siblings' `/…/players/{player}`), as a JSON string and in a cookie hint, so a new name must
//! come through every one of those unchanged:
//!
//! - Only RFC 3986 unreserved characters (letters, digits, `-`, `.`, `_`): a name never needs
//!   percent-encoding, so no route has to decode one, and a path built by `format!` is exact.
//! - First and last character a letter or a digit. This rules out the dot segments `.` and `..`
//!   (URL parsers, browsers included, resolve them away, even when written `%2E%2E`), every other
//!   dot-only name, and names that trimming, file-name rules or a sloppy router would change
//!   (`a.` , `-x`, `_x_`).
//! - Unique case-insensitively: every service keys a player by the lowercase form, and answers
//!   show the spelling chosen at registration.
//! - Not a fixed route segment of a service that puts a name in a URL.

use std::fmt;

pub const MIN_LEN: usize = 2;
pub const MAX_LEN: usize = 20;

/// Names that would shadow fixed routes of the services that put a player name in a URL
/// (`/score/leaderboard`, `/auth/me`, `/score/players/{player}`, ...), plus a few that invite
/// impersonation.
const RESERVED: &[&str] = &[
    "admin",
    "api",
    "auth",
    "games",
    "leaderboard",
    "me",
    "motus",
    "players",
    "root",
    "score",
    "system",
    "update",
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    #[error("username must be at least {MIN_LEN} characters")]
    TooShort,
    #[error("username must be at most {MAX_LEN} characters")]
    TooLong,
    #[error("username may only contain letters A-Z, digits, '_', '.' and '-'")]
    InvalidCharacter,
    #[error("username must start and end with a letter or a digit")]
    InvalidEdge,
    #[error("this username is reserved")]
    Reserved,
}

/// A valid username in the form the player chose, with its canonical lowercase key.
///
/// Only ASCII letters are accepted: accented letters would need Unicode normalisation to stay
/// unique case-insensitively, and look-alike names are an impersonation risk in a leaderboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username {
    display: String,
    key: String,
}

impl Username {
    /// A name that may be registered now.
    pub fn parse(raw: &str) -> Result<Self, UsernameError> {
        let name = Self::parse_existing(raw)?;
        let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if !alnum(raw.chars().next()) || !alnum(raw.chars().last()) {
            return Err(UsernameError::InvalidEdge);
        }
        if RESERVED.contains(&name.key.as_str()) {
            return Err(UsernameError::Reserved);
        }
        Ok(name)
    }

    /// A name some account may hold: the shape registration accepted before the edge rule, so
    /// an account registered then (`_zoe_`) can still log in, change its password or delete
    /// itself. Never used to create an account.
    pub fn parse_existing(raw: &str) -> Result<Self, UsernameError> {
        let len = raw.chars().count();
        if len < MIN_LEN {
            return Err(UsernameError::TooShort);
        }
        if len > MAX_LEN {
            return Err(UsernameError::TooLong);
        }
        if !raw.chars().all(is_allowed) {
            return Err(UsernameError::InvalidCharacter);
        }
        Ok(Self {
            display: raw.to_owned(),
            key: raw.to_ascii_lowercase(),
        })
    }

    /// The spelling chosen at registration (or typed at login, before the lookup).
    pub fn display(&self) -> &str {
        &self.display
    }

    /// Lowercase form; two names with the same key are the same account.
    pub fn key(&self) -> &str {
        &self.key
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

fn is_allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

#[cfg(test)]
mod tests;
