//! Drawing answers: the daily word from the date, practice words by length.

use super::*;
use crate::domain::dictionary::{embedded::ANSWERS, WordList};
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
