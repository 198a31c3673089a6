//! What a player types, folded to the game's alphabet.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

/// Shortest playable word.
pub const MIN_LEN: usize = 6;
/// Longest playable word.
pub const MAX_LEN: usize = 10;
/// Inputs longer than this are not worth folding: no word is anywhere near it.
const MAX_INPUT_LETTERS: usize = 32;

/// Why a piece of text is not a word of the game.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WordError {
    #[error("le mot est vide")]
    Empty,
    #[error("« {0} » n'est pas une lettre")]
    NotALetter(char),
    #[error("un mot a de {MIN_LEN} à {MAX_LEN} lettres, celui-ci en a {0}")]
    Length(usize),
}

/// Letters typed by a player: upper-case `A`–`Z` after folding accents and ligatures, of any
/// length up to a small bound.
///
/// A guess is checked against its game (length, first letter, dictionary) only once the game is
/// known, so a wrong length is reported as such rather than as a malformed word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guess(String);

impl Guess {
    /// Folds `input`: surrounding whitespace is ignored, case and accents are dropped
    /// (`é`→`E`, `ç`→`C`), ligatures are split (`œ`→`OE`, `æ`→`AE`), combining accents are
    /// skipped; anything else that is not a letter is refused.
    pub fn parse(input: &str) -> Result<Self, WordError> {
        let mut folded = String::with_capacity(input.len());
        for c in input.trim().chars() {
            if is_combining_accent(c) {
                continue;
            }
            folded.push_str(fold(c).ok_or(WordError::NotALetter(c))?);
            if folded.len() > MAX_INPUT_LETTERS {
                return Err(WordError::Length(input.trim().chars().count()));
            }
        }
        if folded.is_empty() {
            return Err(WordError::Empty);
        }
        Ok(Self(folded))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn first_letter(&self) -> char {
        char::from(self.0.as_bytes()[0])
    }
}

/// A playable word: 6 to 10 upper-case letters `A`–`Z`.
///
/// Every `Word` holds that invariant, whether parsed from a player, read from the store or
/// unpacked from the dictionary, so marking and lookups can index its bytes freely.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct Word(String);

impl Word {
    /// Parses user input with the folding rules of [`Guess::parse`], then checks the length.
    pub fn parse(input: &str) -> Result<Self, WordError> {
        Self::try_from(Guess::parse(input)?)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// Number of letters, always within `MIN_LEN..=MAX_LEN`.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false; present because a `len` without it reads as an oversight.
    pub fn is_empty(&self) -> bool {
        false
    }

    pub fn first_letter(&self) -> char {
        char::from(self.0.as_bytes()[0])
    }
}

impl TryFrom<Guess> for Word {
    type Error = WordError;

    fn try_from(guess: Guess) -> Result<Self, WordError> {
        if (MIN_LEN..=MAX_LEN).contains(&guess.len()) {
            Ok(Self(guess.0))
        } else {
            Err(WordError::Length(guess.len()))
        }
    }
}

impl TryFrom<String> for Word {
    type Error = WordError;

    fn try_from(text: String) -> Result<Self, WordError> {
        let word = Self::parse(&text)?;
        // Stored and packed words must already be canonical; refusing lower case here catches a
        // corrupted record instead of silently reinterpreting it.
        if word.0 != text {
            return Err(WordError::NotALetter(
                text.chars()
                    .find(|c| !c.is_ascii_uppercase())
                    .unwrap_or('?'),
            ));
        }
        Ok(word)
    }
}

impl Serialize for Word {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl fmt::Display for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Letters of the game for one typed character, `None` when it is not a letter of French.
fn fold(c: char) -> Option<&'static str> {
    const ALPHABET: [&str; 26] = [
        "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R",
        "S", "T", "U", "V", "W", "X", "Y", "Z",
    ];
    let base = match c {
        'a'..='z' => c,
        'A'..='Z' => c.to_ascii_lowercase(),
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => 'y',
        'œ' | 'Œ' => return Some("OE"),
        'æ' | 'Æ' => return Some("AE"),
        _ => return None,
    };
    Some(ALPHABET[usize::from(base as u8 - b'a')])
}

/// Accents typed as separate code points (decomposed input such as `e` + U+0301).
fn is_combining_accent(c: char) -> bool {
    ('\u{0300}'..='\u{036f}').contains(&c)
}

#[cfg(test)]
mod tests;
