use std::collections::HashSet;

use super::*;

#[test]
fn new_names_may_hold_letters_digits_and_the_three_punctuation_marks_inside() {
    for ok in [
        "ab",
        "Zoe_92",
        "jean.dupont",
        "a-b",
        "a..b",
        "a_-.9",
        "0x",
        "x".repeat(20).as_str(),
    ] {
        assert_eq!(PlayerName::parse_new(ok).unwrap().as_str(), ok);
    }
}

#[test]
fn new_names_with_bad_lengths_characters_or_reserved_words_are_refused() {
    let cases = [
        ("", InvalidName::TooShort),
        ("a", InvalidName::TooShort),
        (".", InvalidName::TooShort),
        (&"x".repeat(21), InvalidName::TooLong),
        ("zoé", InvalidName::InvalidCharacter),
        ("with space", InvalidName::InvalidCharacter),
        ("semi;colon", InvalidName::InvalidCharacter),
        ("slash/", InvalidName::InvalidCharacter),
        ("colon:x", InvalidName::InvalidCharacter),
        ("pct%2E", InvalidName::InvalidCharacter),
        ("tilde~", InvalidName::InvalidCharacter),
        ("tab\tx", InvalidName::InvalidCharacter),
        ("Leaderboard", InvalidName::Reserved),
        ("PLAYERS", InvalidName::Reserved),
        ("me", InvalidName::Reserved),
        ("Health", InvalidName::Reserved),
    ];
    for (raw, expected) in cases {
        assert_eq!(PlayerName::parse_new(raw), Err(expected), "{raw:?}");
    }
}

#[test]
fn new_names_start_and_end_with_a_letter_or_a_digit() {
    for raw in [
        "..", "...", "._.", "-.-", ".zoe", "zoe.", "_zoe", "zoe_", "-zoe", "zoe-",
    ] {
        assert_eq!(
            PlayerName::parse_new(raw),
            Err(InvalidName::InvalidEdge),
            "{raw:?}"
        );
    }
}

#[test]
fn names_registered_before_the_edge_rule_are_still_player_names() {
    for raw in ["..", "_zoe_", "zoe.", "players", "Me"] {
        assert_eq!(PlayerName::parse(raw).unwrap().as_str(), raw);
    }
    assert_eq!(PlayerName::parse("a"), Err(InvalidName::TooShort));
    assert_eq!(
        PlayerName::parse(&"x".repeat(21)),
        Err(InvalidName::TooLong)
    );
    assert_eq!(PlayerName::parse("a b"), Err(InvalidName::InvalidCharacter));
    assert_eq!(PlayerName::parse("a:b"), Err(InvalidName::InvalidCharacter));
}

#[test]
fn length_counts_characters_not_bytes() {
    assert_eq!(PlayerName::parse("éé"), Err(InvalidName::InvalidCharacter));
    assert_eq!(
        PlayerName::parse(&"é".repeat(21)),
        Err(InvalidName::TooLong)
    );
}

#[test]
fn a_name_keeps_its_spelling_and_a_lowercase_key() {
    let name = PlayerName::parse_new("Jean.Dupont").unwrap();
    assert_eq!(name.as_str(), "Jean.Dupont");
    assert_eq!(name.to_string(), "Jean.Dupont");
    assert_eq!(name.key(), "jean.dupont");
}

#[test]
fn spellings_of_one_key_are_the_same_player() {
    let chosen = PlayerName::parse("Zoe_92").unwrap();
    let typed = PlayerName::parse("ZOE_92").unwrap();
    assert_eq!(chosen, typed);
    assert_eq!(chosen.cmp(&typed), Ordering::Equal);
    assert_eq!(HashSet::from([chosen.clone(), typed]).len(), 1);
    assert_ne!(chosen, PlayerName::parse("Zoe_93").unwrap());
    assert!(PlayerName::parse("Alice").unwrap() < PlayerName::parse("bob").unwrap());
}

#[test]
fn names_serialise_as_their_spelling_and_read_back_any_account_name() {
    let name = PlayerName::parse("Zoe_92").unwrap();
    let json = serde_json::to_string(&name).unwrap();
    assert_eq!(json, "\"Zoe_92\"");
    let back: PlayerName = serde_json::from_str(&json).unwrap();
    assert_eq!(back.as_str(), "Zoe_92");
    assert_eq!(
        serde_json::from_str::<PlayerName>("\"_zoe_\"")
            .unwrap()
            .key(),
        "_zoe_"
    );
    assert!(serde_json::from_str::<PlayerName>("\"a b\"").is_err());
    assert!(serde_json::from_str::<PlayerName>("42").is_err());
}

#[test]
fn refusals_are_explained_in_french() {
    assert_eq!(
        InvalidName::TooShort.to_string(),
        "Nom d'utilisateur invalide : 2 caractères au minimum."
    );
    assert_eq!(
        InvalidName::TooLong.to_string(),
        "Nom d'utilisateur invalide : 20 caractères au maximum."
    );
    for error in [
        InvalidName::InvalidCharacter,
        InvalidName::InvalidEdge,
        InvalidName::Reserved,
    ] {
        assert!(
            error
                .to_string()
                .starts_with("Nom d'utilisateur invalide : "),
            "{error}"
        );
    }
}
