//! Choosing the answer of a new game.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::dictionary::WordSource;
use super::game::Length;
use super::word::Word;
use spin_kit::calendar::Date;

/// The daily word for `date`: the same for every player, unpredictable without `secret`.
///
/// The date is hashed with HMAC-SHA256 under the secret and the first 64 bits pick an index
/// into the answers, all lengths together. The modulo bias over a few thousand answers is
/// below 10⁻¹⁵, far too small to matter. `None` only if there are no answers at all.
pub fn daily_answer(secret: &[u8], date: Date, answers: &dyn WordSource) -> Option<Word> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).ok()?;
    mac.update(date.to_string().as_bytes());
    let digest = mac.finalize().into_bytes();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    nth_overall(answers, u64::from_be_bytes(first))
}

/// A practice word from `random` bits: of the requested length, or of a length drawn uniformly
/// (so long words come up as often as short ones). `None` if no answer has that length.
pub fn practice_answer(
    length: Option<Length>,
    random: u64,
    answers: &dyn WordSource,
) -> Option<Word> {
    let lengths: Vec<Length> = match length {
        Some(length) => vec![length],
        None => Length::ALL
            .into_iter()
            .filter(|&l| answers.count(l) > 0)
            .collect(),
    };
    let chosen = *lengths.get(pick(random, lengths.len())?)?;
    // The low bits chose the length; the rest choose the word, independently enough.
    let index = pick(random / 5, answers.count(chosen))?;
    answers.nth(chosen, index)
}

fn nth_overall(answers: &dyn WordSource, random: u64) -> Option<Word> {
    let mut index = pick(random, answers.total())?;
    for length in Length::ALL {
        let count = answers.count(length);
        if index < count {
            return answers.nth(length, index);
        }
        index -= count;
    }
    None
}

fn pick(random: u64, count: usize) -> Option<usize> {
    (count > 0).then(|| (random % count as u64) as usize)
}

#[cfg(test)]
mod tests;
