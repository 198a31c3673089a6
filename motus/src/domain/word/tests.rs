//! Folding typed text into the game's letters.

use super::*;

#[test]
fn plain_letters_are_upper_cased() {
    assert_eq!(Word::parse("maison").unwrap().as_str(), "MAISON");
    assert_eq!(Word::parse("MaIsOn").unwrap().as_str(), "MAISON");
}

#[test]
fn accents_and_ligatures_are_folded() {
    let cases = [
        ("été", "ETE"),
        ("Élève", "ELEVE"),
        ("garçon", "GARCON"),
        ("cœur", "COEUR"),
        ("Œuvre", "OEUVRE"),
        ("naïveté", "NAIVETE"),
        ("forêt", "FORET"),
        ("où", "OU"),
        ("Ÿ", "Y"),
        ("cañon", "CANON"),
    ];
    for (input, expected) in cases {
        assert_eq!(Guess::parse(input).unwrap().as_str(), expected, "{input}");
    }
    assert_eq!(Word::parse("cæcum").unwrap().as_str(), "CAECUM");
}

#[test]
fn decomposed_accents_fold_like_composed_ones() {
    assert_eq!(
        Word::parse("e\u{301}le\u{300}ves").unwrap(),
        Word::parse("élèves").unwrap()
    );
}

#[test]
fn surrounding_whitespace_is_ignored() {
    assert_eq!(Word::parse("  maison\n").unwrap().as_str(), "MAISON");
}

#[test]
fn anything_but_letters_is_refused() {
    let cases = [
        ("porte-clé", '-'),
        ("aujourd'hui", '\''),
        ("mai son", ' '),
        ("maison1", '1'),
        ("maisøn", 'ø'),
        ("ma\u{0}son", '\u{0}'),
        ("日本語日本語", '日'),
    ];
    for (input, bad) in cases {
        assert_eq!(
            Word::parse(input),
            Err(WordError::NotALetter(bad)),
            "{input}"
        );
    }
}

#[test]
fn empty_input_is_refused() {
    assert_eq!(Word::parse(""), Err(WordError::Empty));
    assert_eq!(Word::parse("   "), Err(WordError::Empty));
    assert_eq!(Word::parse("\u{301}"), Err(WordError::Empty));
}

#[test]
fn words_have_six_to_ten_letters() {
    assert_eq!(Word::parse("court"), Err(WordError::Length(5)));
    assert!(Word::parse("sixsix").is_ok());
    assert!(Word::parse("dixlettres").is_ok());
    assert_eq!(Word::parse("onzelettres"), Err(WordError::Length(11)));
}

#[test]
fn ligatures_count_as_two_letters() {
    assert_eq!(Word::parse("œuvre").unwrap().len(), 6);
    assert_eq!(Word::parse("œuvr"), Err(WordError::Length(5)));
}

#[test]
fn a_guess_may_have_any_length_within_reason() {
    assert_eq!(Guess::parse("abc").unwrap().len(), 3);
    assert!(Guess::parse(&"a".repeat(32)).is_ok());
    assert!(matches!(
        Guess::parse(&"a".repeat(33)),
        Err(WordError::Length(33))
    ));
    assert!(matches!(
        Guess::parse(&"é".repeat(10_000)),
        Err(WordError::Length(_))
    ));
}

#[test]
fn stored_words_must_be_canonical() {
    assert!(Word::try_from("MAISON".to_owned()).is_ok());
    assert!(Word::try_from("maison".to_owned()).is_err());
    assert!(Word::try_from("ÉLÈVE".to_owned()).is_err());
}

#[test]
fn words_round_trip_through_json() {
    let word = Word::parse("maison").unwrap();
    let json = serde_json::to_string(&word).unwrap();
    assert_eq!(json, "\"MAISON\"");
    assert_eq!(serde_json::from_str::<Word>(&json).unwrap(), word);
    assert!(serde_json::from_str::<Word>("\"mai\"").is_err());
}

#[test]
fn first_letter_is_the_folded_one() {
    assert_eq!(Word::parse("élever").unwrap().first_letter(), 'E');
    assert_eq!(Guess::parse("œil").unwrap().first_letter(), 'O');
}
