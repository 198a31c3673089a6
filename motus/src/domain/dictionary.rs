//! Which words may be guessed, and which may be answers.

use super::game::Length;
use super::packed;
use super::word::{Word, MIN_LEN};

/// A set of words grouped by length, addressable by index for picking answers.
pub trait WordSource {
    /// How many words of `length` there are.
    fn count(&self, length: Length) -> usize;
    /// The `index`-th word of `length` in a fixed order; `None` past the end.
    fn nth(&self, length: Length, index: usize) -> Option<Word>;
    fn contains(&self, word: &Word) -> bool;

    fn total(&self) -> usize {
        Length::ALL.iter().map(|&l| self.count(l)).sum()
    }
}

/// Sorted word tables packed by `build.rs`, one per length, searched in place.
///
/// Nothing is decoded when a request starts: a lookup packs the guess and binary-searches the
/// fixed-stride table, touching about log2(50 000) ≈ 16 entries.
pub struct Packed {
    tables: [&'static [u8]; 5],
}

impl Packed {
    /// `tables[i]` holds the words of length `6 + i`.
    pub const fn new(tables: [&'static [u8]; 5]) -> Self {
        Self { tables }
    }

    fn table(&self, length: Length) -> &'static [u8] {
        self.tables[length.get() - MIN_LEN]
    }
}

impl WordSource for Packed {
    fn count(&self, length: Length) -> usize {
        self.table(length).len() / packed::stride(length.get())
    }

    fn nth(&self, length: Length, index: usize) -> Option<Word> {
        let stride = packed::stride(length.get());
        let bytes = self
            .table(length)
            .get(index * stride..(index + 1) * stride)?;
        let letters = packed::unpack(bytes, length.get())?;
        Word::try_from(String::from_utf8(letters).ok()?).ok()
    }

    fn contains(&self, word: &Word) -> bool {
        let Some(length) = Length::of(word) else {
            return false;
        };
        let stride = packed::stride(length.get());
        let mut key = [0u8; packed::stride(super::word::MAX_LEN)];
        let key = &mut key[..stride];
        if packed::pack(word.as_bytes(), key).is_none() {
            return false;
        }
        let table = self.table(length);
        let (mut low, mut high) = (0, table.len() / stride);
        while low < high {
            let mid = low + (high - low) / 2;
            match table[mid * stride..(mid + 1) * stride].cmp(key) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }
}

/// A small list of words held in memory: the `answer_words` test knob, and test fixtures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordList {
    by_length: [Vec<Word>; 5],
}

/// An entry of the `answer_words` list that is not a playable word.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("answer_words: {entry:?} is not a word of 6 to 10 letters ({reason})")]
pub struct WordListError {
    pub entry: String,
    pub reason: super::word::WordError,
}

impl WordList {
    /// Parses a comma-separated list; blanks are skipped, duplicates collapse.
    pub fn parse(csv: &str) -> Result<Self, WordListError> {
        let words = csv
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                Word::parse(entry).map_err(|reason| WordListError {
                    entry: entry.to_owned(),
                    reason,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self::from_words(words))
    }

    pub fn from_words(words: impl IntoIterator<Item = Word>) -> Self {
        let mut list = Self::default();
        for word in words {
            if let Some(length) = Length::of(&word) {
                list.by_length[length.get() - MIN_LEN].push(word);
            }
        }
        for words in &mut list.by_length {
            words.sort();
            words.dedup();
        }
        list
    }

    pub fn is_empty(&self) -> bool {
        self.by_length.iter().all(Vec::is_empty)
    }
}

impl WordSource for WordList {
    fn count(&self, length: Length) -> usize {
        self.by_length[length.get() - MIN_LEN].len()
    }

    fn nth(&self, length: Length, index: usize) -> Option<Word> {
        self.by_length[length.get() - MIN_LEN].get(index).cloned()
    }

    fn contains(&self, word: &Word) -> bool {
        Length::of(word).is_some_and(|l| {
            self.by_length[l.get() - MIN_LEN]
                .binary_search(word)
                .is_ok()
        })
    }
}

/// The game's vocabulary: what may be guessed and what may be drawn as an answer.
///
/// When the `answer_words` knob is set, answers come only from it, and its words are also
/// accepted as guesses so a test can always win with the word it planted.
pub struct Dictionary<'a> {
    valid: &'a dyn WordSource,
    answers: &'a dyn WordSource,
    planted: WordList,
}

impl<'a> Dictionary<'a> {
    pub fn new(valid: &'a dyn WordSource, answers: &'a dyn WordSource, planted: WordList) -> Self {
        Self {
            valid,
            answers,
            planted,
        }
    }

    pub fn is_valid(&self, word: &Word) -> bool {
        self.valid.contains(word) || self.planted.contains(word)
    }

    pub fn answers(&self) -> &dyn WordSource {
        if self.planted.is_empty() {
            self.answers
        } else {
            &self.planted
        }
    }
}

/// The lists shipped in `data/`, packed at build time.
pub mod embedded {
    use super::Packed;

    macro_rules! tables {
        ($list:literal) => {
            [
                include_bytes!(concat!(env!("OUT_DIR"), "/", $list, "-6.bin")).as_slice(),
                include_bytes!(concat!(env!("OUT_DIR"), "/", $list, "-7.bin")).as_slice(),
                include_bytes!(concat!(env!("OUT_DIR"), "/", $list, "-8.bin")).as_slice(),
                include_bytes!(concat!(env!("OUT_DIR"), "/", $list, "-9.bin")).as_slice(),
                include_bytes!(concat!(env!("OUT_DIR"), "/", $list, "-10.bin")).as_slice(),
            ]
        };
    }

    /// Every accepted guess (`data/words`).
    pub static VALID: Packed = Packed::new(tables!("words"));
    /// Words the game may pick (`data/answers`), each also in [`VALID`].
    pub static ANSWERS: Packed = Packed::new(tables!("answers"));
}

#[cfg(test)]
mod tests;
