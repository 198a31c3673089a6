//! How a guess is scored letter by letter against the answer.

use serde::Serialize;

use super::word::Word;

/// What the game tells about one letter of a guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    /// Right letter in the right place.
    Correct,
    /// The letter occurs elsewhere in the answer, in a spot not already accounted for.
    Present,
    /// No further occurrence of this letter in the answer.
    Absent,
}

/// Marks `guess` against `answer` in two passes.
///
/// Exact matches are settled first so they claim their letter before any misplaced copy does;
/// then misplaced letters draw, left to right, from the occurrences left over. A letter is thus
/// never marked (correct or present) more often than it occurs in the answer. Callers compare
/// words of equal length; if they did not, extra guess letters would simply count as absent.
pub fn mark(answer: &Word, guess: &Word) -> Vec<Mark> {
    mark_bytes(answer.as_bytes(), guess.as_bytes())
}

fn mark_bytes(answer: &[u8], guess: &[u8]) -> Vec<Mark> {
    let mut unclaimed = [0u8; 26];
    let mut marks: Vec<Mark> = guess
        .iter()
        .enumerate()
        .map(|(i, &g)| {
            if answer.get(i) == Some(&g) {
                Mark::Correct
            } else {
                Mark::Absent
            }
        })
        .collect();
    for (i, &a) in answer.iter().enumerate() {
        if marks.get(i) != Some(&Mark::Correct) {
            unclaimed[letter_index(a)] += 1;
        }
    }
    for (mark, &g) in marks.iter_mut().zip(guess) {
        let left = &mut unclaimed[letter_index(g)];
        if *mark == Mark::Absent && *left > 0 {
            *left -= 1;
            *mark = Mark::Present;
        }
    }
    marks
}

fn letter_index(letter: u8) -> usize {
    // Words only hold A–Z; the modulo keeps this total should that ever be violated.
    usize::from(letter.wrapping_sub(b'A')) % 26
}

#[cfg(test)]
mod tests;
