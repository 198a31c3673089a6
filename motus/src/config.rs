//! Component variables.

use spin_sdk::variables;

use crate::domain::dictionary::WordList;
use crate::errors::ApiError;

/// Settings read from the manifest's variables for one request.
pub struct Config {
    /// `daily_secret`: key of the daily draw. Unset or empty: motus keeps a random key in its
    /// store instead (see `DailyKey::Stored`).
    pub daily_secret: Option<Vec<u8>>,
    /// `answer_words`: test knob, see README.
    pub answer_words: WordList,
    /// `result_secret`: lets a sibling that holds it read any game's result (score, when it
    /// records a game without the player's token). Unset or empty: only the player's token.
    pub result_secret: Option<String>,
    /// `clock_offset_seconds`: test knob, see README.
    pub clock_offset: i64,
}

impl Config {
    pub fn load() -> Result<Self, ApiError> {
        let daily_secret = optional("daily_secret")?
            .filter(|s| !s.is_empty())
            .map(String::into_bytes);
        let answer_words = match optional("answer_words")? {
            Some(list) => {
                WordList::parse(&list).map_err(|e| ApiError::Misconfigured(e.to_string()))?
            }
            None => WordList::default(),
        };
        let result_secret = optional("result_secret")?.filter(|s| !s.is_empty());
        let clock_offset = match optional("clock_offset_seconds")? {
            Some(text) if !text.trim().is_empty() => text.trim().parse().map_err(|_| {
                ApiError::Misconfigured(format!("clock_offset_seconds: not an integer: {text}"))
            })?,
            _ => 0,
        };
        Ok(Self {
            daily_secret,
            answer_words,
            result_secret,
            clock_offset,
        })
    }
}

fn optional(name: &str) -> Result<Option<String>, ApiError> {
    match variables::get(name) {
        Ok(value) => Ok(Some(value)),
        Err(variables::Error::Undefined(_)) => Ok(None),
        Err(e) => Err(ApiError::Misconfigured(format!("variable {name}: {e}"))),
    }
}
