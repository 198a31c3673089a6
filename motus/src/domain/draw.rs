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
mod tests {
    use super::super::dictionary::{embedded::ANSWERS, WordList};
    use super::*;
    use std::collections::HashSet;

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn the_daily_word_is_the_same_for_a_given_date_and_secret() {
        let a = daily_answer(b"secret", date("2024-05-01"), &ANSWERS).unwrap();
        let b = daily_answer(b"secret", date("2024-05-01"), &ANSWERS).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn the_daily_word_depends_on_the_secret() {
        let days: Vec<Date> = (1..=28).map(|d| date(&format!("2024-02-{d:02}"))).collect();
        let with = |secret: &[u8]| -> Vec<Word> {
            days.iter()
                .map(|&d| daily_answer(secret, d, &ANSWERS).unwrap())
                .collect()
        };
        assert_ne!(with(b"one secret"), with(b"another secret"));
    }

    #[test]
    fn the_daily_word_changes_from_day_to_day() {
        let words: HashSet<Word> = (1..=31)
            .map(|d| daily_answer(b"k", date(&format!("2024-01-{d:02}")), &ANSWERS).unwrap())
            .collect();
        assert!(
            words.len() > 25,
            "only {} distinct words in 31 days",
            words.len()
        );
    }

    #[test]
    fn the_daily_word_matches_a_known_hmac() {
        // HMAC-SHA256("key", "2024-05-01") starts with 07591e2730c8be4a, which is 2 mod 3
        // (checked with Python's hmac module): the third planted word, by length order.
        let planted = WordList::parse("AAAAAA,BBBBBBB,CCCCCCCC").unwrap();
        let word = daily_answer(b"key", date("2024-05-01"), &planted).unwrap();
        assert_eq!(word.as_str(), "CCCCCCCC");
    }

    #[test]
    fn no_answers_means_no_daily_word() {
        assert_eq!(
            daily_answer(b"k", date("2024-01-01"), &WordList::default()),
            None
        );
    }

    #[test]
    fn practice_words_have_the_requested_length() {
        for n in 6..=10 {
            let length = Length::new(n).unwrap();
            for random in [0, 1, 12_345, u64::MAX] {
                let word = practice_answer(Some(length), random, &ANSWERS).unwrap();
                assert_eq!(word.len(), n);
            }
        }
    }

    #[test]
    fn practice_lengths_are_spread_when_none_is_asked() {
        let lengths: HashSet<usize> = (0..50u64)
            .map(|r| {
                practice_answer(None, r.wrapping_mul(0x9e37_79b9_7f4a_7c15), &ANSWERS)
                    .unwrap()
                    .len()
            })
            .collect();
        assert_eq!(lengths.len(), 5);
    }

    #[test]
    fn practice_without_a_word_of_that_length_draws_nothing() {
        let planted = WordList::parse("MAISON").unwrap();
        assert_eq!(
            practice_answer(Some(Length::new(7).unwrap()), 3, &planted),
            None
        );
        assert_eq!(
            practice_answer(None, 3, &planted).unwrap().as_str(),
            "MAISON"
        );
    }
}
