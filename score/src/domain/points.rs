//! How many points a finished game is worth.

/// Tries allowed in a game.
pub const MAX_TRIES: u32 = 6;

/// Points for one finished game:
///
/// - won in `tries` guesses on a word of `length` letters: `10 × length × (7 − tries)`;
/// - lost: `0`.
///
/// Fewer tries and longer words both pay: a 6-letter word found at the first try is worth
/// 360, at the sixth 60; a 10-letter word 600 and 100. The same rule applies to daily and
/// practice games. Inputs outside the game's rules (a win in 0 or 7+ tries) are worth 0.
pub fn points(won: bool, length: u32, tries: u32) -> u64 {
    if !won || !(1..=MAX_TRIES).contains(&tries) {
        return 0;
    }
    10 * u64::from(length) * u64::from(MAX_TRIES + 1 - tries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loss_is_worth_nothing() {
        assert_eq!(points(false, 10, 1), 0);
        assert_eq!(points(false, 6, 6), 0);
    }

    #[test]
    fn table_of_wins() {
        let cases = [
            (6, 1, 360),
            (6, 6, 60),
            (10, 1, 600),
            (10, 6, 100),
            (8, 3, 320),
        ];
        for (length, tries, expected) in cases {
            assert_eq!(
                points(true, length, tries),
                expected,
                "{length} letters in {tries}"
            );
        }
    }

    #[test]
    fn fewer_tries_and_longer_words_always_pay_more() {
        for length in 6..=10 {
            for tries in 1..MAX_TRIES {
                assert!(points(true, length, tries) > points(true, length, tries + 1));
                assert!(points(true, length + 1, tries) > points(true, length, tries));
            }
        }
    }

    #[test]
    fn impossible_try_counts_are_worth_nothing() {
        assert_eq!(points(true, 6, 0), 0);
        assert_eq!(points(true, 6, 7), 0);
    }
}
