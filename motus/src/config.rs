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
        Ok(Self {
            daily_secret,
            answer_words,
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
