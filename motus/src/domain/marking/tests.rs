//! Marking a guess against the answer, letter by letter.

use super::*;
use proptest::prelude::*;
use Mark::{Absent as A, Correct as C, Present as P};

fn marks(answer: &str, guess: &str) -> Vec<Mark> {
    mark(&Word::parse(answer).unwrap(), &Word::parse(guess).unwrap())
}

#[test]
fn the_answer_itself_is_all_correct() {
    assert_eq!(marks("MAISON", "MAISON"), vec![C; 6]);
}

#[test]
fn letters_not_in_the_answer_are_absent() {
    assert_eq!(marks("MAISON", "MURULL"), vec![C, A, A, A, A, A]);
}

#[test]
fn misplaced_letters_are_present() {
    assert_eq!(marks("MAISON", "MOISAN"), vec![C, P, C, C, P, C]);
}

#[test]
fn a_correct_letter_claims_its_occurrence_before_a_misplaced_copy() {
    // One E in the answer, at the end: the guess's last E gets it, the first gets nothing.
    assert_eq!(marks("BALADE", "BEBERE"), vec![C, A, A, A, A, C]);
}

#[test]
fn a_repeated_letter_is_present_only_as_often_as_it_is_left_over() {
    // Both R of ABRITER are matched in place, so the other five R get nothing.
    assert_eq!(marks("ABRITER", "RRRRRRR"), vec![A, A, C, A, A, A, C]);
    // ARBRES: one R matched in place, one left over for the first misplaced R only.
    assert_eq!(marks("ARBRES", "RRRZZZ"), vec![P, C, A, A, A, A]);
}

#[test]
fn earlier_misplaced_copies_win_over_later_ones() {
    // The answer has one spare T; the first misplaced T in the guess takes it.
    assert_eq!(marks("PARTIE", "TTAXXX"), vec![P, A, P, A, A, A]);
}

fn word_over(alphabet: &'static str, len: usize) -> impl Strategy<Value = Word> {
    proptest::collection::vec(proptest::sample::select(alphabet.as_bytes()), len)
        .prop_map(|bytes| Word::parse(std::str::from_utf8(&bytes).unwrap()).unwrap())
}

/// Answer and guess of the same length; a small alphabet makes repeated letters common.
fn pair() -> impl Strategy<Value = (Word, Word)> {
    (6usize..=10).prop_flat_map(|len| (word_over("ABCDE", len), word_over("ABCDE", len)))
}

/// The rules restated position by position, the way a player checks a line by hand, to
/// compare [`mark`] against: a letter is correct where it matches; otherwise it is present
/// when the answer holds more copies of it outside the correct spots than earlier
/// non-correct copies in the guess have already taken.
fn reference(answer: &[u8], guess: &[u8]) -> Vec<Mark> {
    let correct = |i: usize| answer[i] == guess[i];
    let mut marks: Vec<Mark> = Vec::new();
    for (i, &letter) in guess.iter().enumerate() {
        let mark = if correct(i) {
            Mark::Correct
        } else {
            let spare = (0..answer.len())
                .filter(|&j| answer[j] == letter && !correct(j))
                .count();
            let already_present = (0..i)
                .filter(|&j| guess[j] == letter && marks[j] == Mark::Present)
                .count();
            if spare > already_present {
                Mark::Present
            } else {
                Mark::Absent
            }
        };
        marks.push(mark);
    }
    marks
}

#[test]
fn the_reference_agrees_with_the_worked_examples() {
    for (answer, guess) in [
        ("MAISON", "MOISAN"),
        ("BALADE", "BEBERE"),
        ("ABRITER", "RRRRRRR"),
        ("ARBRES", "RRRZZZ"),
        ("PARTIE", "TTAXXX"),
    ] {
        assert_eq!(
            reference(answer.as_bytes(), guess.as_bytes()),
            marks(answer, guess),
            "{answer} {guess}"
        );
    }
}

/// Any alphabet, any length 6–10, answer and guess of the same length.
fn pair_over(alphabet: &'static str) -> impl Strategy<Value = (Word, Word)> {
    (6usize..=10).prop_flat_map(move |len| (word_over(alphabet, len), word_over(alphabet, len)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn mark_agrees_with_the_reference_on_two_letters((answer, guess) in pair_over("AB")) {
        prop_assert_eq!(mark(&answer, &guess), reference(answer.as_bytes(), guess.as_bytes()));
    }

    #[test]
    fn mark_agrees_with_the_reference_on_four_letters((answer, guess) in pair_over("ABCD")) {
        prop_assert_eq!(mark(&answer, &guess), reference(answer.as_bytes(), guess.as_bytes()));
    }

    #[test]
    fn mark_agrees_with_the_reference_on_the_full_alphabet(
        (answer, guess) in pair_over("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    ) {
        prop_assert_eq!(mark(&answer, &guess), reference(answer.as_bytes(), guess.as_bytes()));
    }

    #[test]
    fn mark_agrees_with_the_reference_when_the_guess_shuffles_the_answer(
        (answer, guess) in (6usize..=10)
            .prop_flat_map(|len| word_over("ABCDEF", len))
            .prop_flat_map(|answer| {
                let letters = answer.as_bytes().to_vec();
                (Just(answer), Just(letters).prop_shuffle())
            })
            .prop_map(|(answer, letters)| {
                (answer, Word::parse(std::str::from_utf8(&letters).unwrap()).unwrap())
            })
    ) {
        // Anagrams: every letter is correct or present, a case random pairs rarely reach.
        prop_assert_eq!(mark(&answer, &guess), reference(answer.as_bytes(), guess.as_bytes()));
        prop_assert!(mark(&answer, &guess).iter().all(|m| *m != Mark::Absent));
    }
}

proptest! {
    #[test]
    fn there_is_one_mark_per_letter((answer, guess) in pair()) {
        prop_assert_eq!(mark(&answer, &guess).len(), guess.len());
    }

    #[test]
    fn all_correct_exactly_when_the_guess_is_the_answer((answer, guess) in pair()) {
        let all_correct = mark(&answer, &guess).iter().all(|m| *m == Mark::Correct);
        prop_assert_eq!(all_correct, answer == guess);
    }

    #[test]
    fn a_guess_marks_itself_all_correct(answer in (6usize..=10).prop_flat_map(|n| word_over("ABCDEFGHIJKLMNOPQRSTUVWXYZ", n))) {
        prop_assert!(mark(&answer, &answer).iter().all(|m| *m == Mark::Correct));
    }

    #[test]
    fn no_letter_is_marked_more_often_than_it_occurs((answer, guess) in pair()) {
        let marks = mark(&answer, &guess);
        for letter in b'A'..=b'Z' {
            let in_answer = answer.as_bytes().iter().filter(|&&a| a == letter).count();
            let marked = guess
                .as_bytes()
                .iter()
                .zip(&marks)
                .filter(|(&g, m)| g == letter && **m != Mark::Absent)
                .count();
            prop_assert!(marked <= in_answer, "{} marked {} times", letter as char, marked);
        }
    }

    #[test]
    fn correct_means_same_letter_same_place((answer, guess) in pair()) {
        for (i, m) in mark(&answer, &guess).iter().enumerate() {
            prop_assert_eq!(*m == Mark::Correct, answer.as_bytes()[i] == guess.as_bytes()[i]);
        }
    }

    #[test]
    fn absent_means_no_occurrence_left_for_that_letter((answer, guess) in pair()) {
        // If a letter is marked absent, every occurrence of it in the answer is already
        // claimed by a correct or present mark of the same letter.
        let marks = mark(&answer, &guess);
        for (i, m) in marks.iter().enumerate() {
            let letter = guess.as_bytes()[i];
            if *m == Mark::Absent {
                let in_answer = answer.as_bytes().iter().filter(|&&a| a == letter).count();
                let claimed = guess.as_bytes().iter().zip(&marks)
                    .filter(|(&g, m)| g == letter && **m != Mark::Absent)
                    .count();
                prop_assert_eq!(claimed, in_answer);
            }
        }
    }
}
