//! The word lists: packed tables, planted words, lookups.

use super::embedded::{ANSWERS, VALID};
use super::*;

fn word(text: &str) -> Word {
    Word::parse(text).unwrap()
}

fn length(n: usize) -> Length {
    Length::new(n).unwrap()
}

#[test]
fn the_shipped_list_has_over_a_hundred_thousand_words() {
    assert!(VALID.total() >= 100_000, "{}", VALID.total());
}

#[test]
fn common_words_are_valid_guesses() {
    for w in [
        "maison",
        "soleil",
        "élèves",
        "garçon",
        "cœurs",
        "ordinateur",
        "bonjour",
        "fenêtre",
    ] {
        assert!(VALID.contains(&word(w)), "{w}");
    }
}

#[test]
fn gibberish_is_not_valid() {
    for w in ["zzzzzz", "qwertyuiop", "aaaaaaa", "maisonx"] {
        assert!(!VALID.contains(&word(w)), "{w}");
    }
}

#[test]
fn first_and_last_entries_are_found() {
    for n in 6..=10 {
        let l = length(n);
        let first = VALID.nth(l, 0).unwrap();
        let last = VALID.nth(l, VALID.count(l) - 1).unwrap();
        assert!(VALID.contains(&first) && VALID.contains(&last));
        assert!(VALID.nth(l, VALID.count(l)).is_none());
    }
}

#[test]
fn packed_tables_are_sorted_and_unpack_to_their_length() {
    for n in 6..=10 {
        let l = length(n);
        let words: Vec<Word> = (0..VALID.count(l))
            .step_by(97)
            .map(|i| VALID.nth(l, i).unwrap())
            .collect();
        assert!(words.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(words.iter().all(|w| w.len() == n));
    }
}

#[test]
fn every_answer_is_a_valid_guess() {
    assert!(ANSWERS.total() >= 2_000, "{}", ANSWERS.total());
    for n in 6..=10 {
        let l = length(n);
        for i in 0..ANSWERS.count(l) {
            let answer = ANSWERS.nth(l, i).unwrap();
            assert!(VALID.contains(&answer), "{answer}");
        }
    }
}

#[test]
fn planted_words_replace_the_answers_and_become_guessable() {
    let planted = WordList::parse(" zyxwvu , maison,,ZYXWVU").unwrap();
    let dictionary = Dictionary::new(&VALID, &ANSWERS, planted);
    assert_eq!(dictionary.answers().total(), 2);
    assert_eq!(dictionary.answers().nth(length(6), 0), Some(word("MAISON")));
    assert!(dictionary.is_valid(&word("zyxwvu")));
    assert!(dictionary.is_valid(&word("soleil")));
}

#[test]
fn without_planted_words_the_shipped_answers_are_used() {
    let dictionary = Dictionary::new(&VALID, &ANSWERS, WordList::parse("").unwrap());
    assert_eq!(dictionary.answers().total(), ANSWERS.total());
    assert!(!dictionary.is_valid(&word("zyxwvu")));
}

#[test]
fn a_bad_planted_word_is_reported() {
    let error = WordList::parse("maison, court").unwrap_err();
    assert_eq!(error.entry, "court");
}
