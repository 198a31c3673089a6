use super::*;

#[test]
fn accepts_letters_digits_and_the_three_punctuation_marks_inside() {
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
        assert!(Username::parse(ok).is_ok(), "{ok}");
    }
}

#[test]
fn rejects_bad_lengths_and_characters() {
    let cases = [
        ("", UsernameError::TooShort),
        ("a", UsernameError::TooShort),
        (".", UsernameError::TooShort),
        (&"x".repeat(21), UsernameError::TooLong),
        ("zoé", UsernameError::InvalidCharacter),
        ("with space", UsernameError::InvalidCharacter),
        ("semi;colon", UsernameError::InvalidCharacter),
        ("slash/", UsernameError::InvalidCharacter),
        ("pct%2E", UsernameError::InvalidCharacter),
        ("tilde~", UsernameError::InvalidCharacter),
        ("Leaderboard", UsernameError::Reserved),
        ("PLAYERS", UsernameError::Reserved),
    ];
    for (raw, expected) in cases {
        assert_eq!(Username::parse(raw), Err(expected), "{raw:?}");
    }
}

#[test]
fn rejects_names_that_do_not_start_and_end_with_a_letter_or_digit() {
    for raw in [
        "..", "...", "._.", "-.-", ".zoe", "zoe.", "_zoe", "zoe_", "-zoe", "zoe-",
    ] {
        assert_eq!(
            Username::parse(raw),
            Err(UsernameError::InvalidEdge),
            "{raw:?}"
        );
    }
}

#[test]
fn names_registered_before_the_edge_rule_can_still_be_looked_up() {
    for raw in ["..", "_zoe_", "zoe."] {
        let name = Username::parse_existing(raw).unwrap();
        assert_eq!(name.display(), raw);
    }
    assert_eq!(Username::parse_existing("a"), Err(UsernameError::TooShort));
    assert_eq!(
        Username::parse_existing("a b"),
        Err(UsernameError::InvalidCharacter)
    );
}

#[test]
fn keeps_the_display_form_and_a_lowercase_key() {
    let name = Username::parse("Jean.Dupont").unwrap();
    assert_eq!(name.display(), "Jean.Dupont");
    assert_eq!(name.key(), "jean.dupont");
    assert_eq!(Username::parse("JEAN.dupont").unwrap().key(), name.key());
}

#[test]
fn counts_length_in_characters() {
    assert_eq!(Username::parse("éé"), Err(UsernameError::InvalidCharacter));
    assert_eq!(
        Username::parse(&"é".repeat(21)),
        Err(UsernameError::TooLong)
    );
}
