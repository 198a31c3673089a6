//! Usernames: what a player types and sees, plus the key that makes them unique.

use std::fmt;

pub const MIN_LEN: usize = 2;
pub const MAX_LEN: usize = 20;

/// Names that would shadow fixed routes of the services that put a player name in a URL
/// (`/score/leaderboard`, `/auth/me`, ...), plus a few that invite impersonation.
const RESERVED: &[&str] = &[
    "admin",
    "api",
    "auth",
    "games",
    "leaderboard",
    "me",
    "motus",
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
    pub fn parse(raw: &str) -> Result<Self, UsernameError> {
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
        let key = raw.to_ascii_lowercase();
        if RESERVED.contains(&key.as_str()) {
            return Err(UsernameError::Reserved);
        }
        Ok(Self {
            display: raw.to_owned(),
            key,
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
mod tests {
    use super::*;

    #[test]
    fn accepts_letters_digits_and_the_three_punctuation_marks() {
        for ok in [
            "ab",
            "Zoe_92",
            "jean.dupont",
            "a-b",
            "x".repeat(20).as_str(),
        ] {
            assert!(Username::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_bad_lengths_and_characters() {
        let cases = [
            ("", UsernameError::TooShort),
            ("a", UsernameError::TooShort),
            (&"x".repeat(21), UsernameError::TooLong),
            ("zoé", UsernameError::InvalidCharacter),
            ("with space", UsernameError::InvalidCharacter),
            ("semi;colon", UsernameError::InvalidCharacter),
            ("slash/", UsernameError::InvalidCharacter),
            ("Leaderboard", UsernameError::Reserved),
        ];
        for (raw, expected) in cases {
            assert_eq!(Username::parse(raw), Err(expected), "{raw:?}");
        }
    }

    #[test]
    fn keeps_the_display_form_and_a_lowercase_key() {
        let name = Username::parse("Jean.Dupont").unwrap();
        assert_eq!(name.display(), "Jean.Dupont");
        assert_eq!(name.key(), "jean.dupont");
        assert_eq!(Username::parse("JEAN.dupont").unwrap().key(), name.key());
    }

    #[test]
    fn counts_length_in_characters() {
        assert_eq!(Username::parse("éé"), Err(UsernameError::InvalidCharacter));
        assert_eq!(
            Username::parse(&"é".repeat(21)),
            Err(UsernameError::TooLong)
        );
    }
}
