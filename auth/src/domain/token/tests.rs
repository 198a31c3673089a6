use super::*;

#[test]
fn token_is_43_chars_of_unpadded_base64url() {
    let token = SessionToken::from_random([0xfb; TOKEN_BYTES]);
    assert_eq!(token.as_str().len(), 43);
    assert!(token
        .as_str()
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    assert_eq!(SessionToken::parse(token.as_str()), Some(token));
}

#[test]
fn parse_rejects_anything_else() {
    for bad in [
        "",
        "abc",
        &"A".repeat(44),
        &format!("{}=", "A".repeat(43)),
        &"+".repeat(43),
    ] {
        assert_eq!(SessionToken::parse(bad), None, "{bad:?}");
    }
}

#[test]
fn hash_is_sha256_hex_of_the_token_text() {
    let token = SessionToken::from_random([0; TOKEN_BYTES]);
    let hash = token.hash();
    assert_eq!(hash.as_str().len(), 64);
    assert_ne!(hash.as_str(), token.as_str());
    assert_eq!(hash, SessionToken::from_random([0; TOKEN_BYTES]).hash());
    assert_ne!(hash, SessionToken::from_random([1; TOKEN_BYTES]).hash());
}

#[test]
fn debug_output_never_shows_the_token() {
    let token = SessionToken::from_random([9; TOKEN_BYTES]);
    assert!(!format!("{token:?}").contains(token.as_str()));
}

#[test]
fn ttl_variable_falls_back_to_seven_days() {
    assert_eq!(ttl_from_variable(None), 604_800);
    assert_eq!(ttl_from_variable(Some("")), 604_800);
    assert_eq!(ttl_from_variable(Some("0")), 604_800);
    assert_eq!(ttl_from_variable(Some("-5")), 604_800);
    assert_eq!(ttl_from_variable(Some(" 60 ")), 60);
}

#[test]
fn expiry_is_exclusive() {
    let exp = expires_at(1_000, 60);
    assert!(!is_expired(exp, 1_059));
    assert!(is_expired(exp, 1_060));
    assert_eq!(expires_at(u64::MAX, 5), u64::MAX);
}
