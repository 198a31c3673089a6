use super::*;

const SECRET: &str = "0123456789abcdef0123456789abcdef";
const NOW: u64 = 1_780_000_000;

fn key() -> AccessKey {
    AccessKey::from_secret(SECRET).unwrap().unwrap()
}

fn zoe() -> PlayerName {
    PlayerName::parse("Zoe").unwrap()
}

/// Rewrites the payload of a token, keeping its MAC.
fn with_payload(token: &str, json: &str) -> String {
    let (_, mac) = token.rsplit_once('.').unwrap();
    format!("{PREFIX}{}.{mac}", URL_SAFE_NO_PAD.encode(json))
}

#[test]
fn a_token_names_its_player_until_it_expires() {
    let token = key().issue(&zoe(), NOW, 60);
    assert!(is_access_token(&token));
    let claims = key().verify(&token, NOW + 59).unwrap();
    assert_eq!(claims.player.as_str(), "Zoe");
    assert_eq!((claims.issued_at, claims.expires_at), (NOW, NOW + 60));
    assert_eq!(key().verify(&token, NOW + 60), Err(Refused::Expired));
}

#[test]
fn another_secret_does_not_accept_it() {
    let token = key().issue(&zoe(), NOW, 60);
    let other = AccessKey::from_secret(&"x".repeat(32)).unwrap().unwrap();
    assert_eq!(other.verify(&token, NOW), Err(Refused::BadSignature));
}

#[test]
fn a_changed_name_or_expiry_breaks_the_signature() {
    let token = key().issue(&zoe(), NOW, 60);
    let renamed = with_payload(
        &token,
        &format!(r#"{{"sub":"eve","iat":{NOW},"exp":{}}}"#, NOW + 60),
    );
    assert_eq!(key().verify(&renamed, NOW), Err(Refused::BadSignature));
    let longer = with_payload(
        &token,
        &format!(r#"{{"sub":"Zoe","iat":{NOW},"exp":{}}}"#, NOW + 600),
    );
    assert_eq!(key().verify(&longer, NOW), Err(Refused::BadSignature));
    let mut flipped = token.clone();
    let last = flipped.pop().unwrap();
    flipped.push(if last == 'A' { 'B' } else { 'A' });
    assert!(key().verify(&flipped, NOW).is_err());
}

#[test]
fn junk_is_malformed_not_a_panic() {
    for junk in [
        "",
        ".",
        "mat1.",
        "mat1..",
        "mat1.e30.",
        "abc.def",
        "mat1.%%%.%%%",
        "mat1",
    ] {
        assert!(key().verify(junk, NOW).is_err(), "{junk:?}");
    }
    // A session token (43 base64url characters, no dot) is not taken for one.
    assert!(!is_access_token(
        "dGhpcyBpcyBhIHNlc3Npb24gdG9rZW4gb2YgMzIgYnk"
    ));
}

#[test]
fn a_signed_token_with_an_unbounded_lifetime_is_refused() {
    // Signed with the right key, as a misconfigured or compromised issuer would.
    let long = key().issue(&zoe(), NOW, MAX_LIFETIME + 1_000);
    assert_eq!(
        key().verify(&long, NOW).unwrap().expires_at,
        NOW + MAX_LIFETIME
    );
    let forged_by_key_holder = |iat: u64, exp: u64| {
        let signed = format!(
            "{PREFIX}{}",
            URL_SAFE_NO_PAD.encode(format!(r#"{{"sub":"Zoe","iat":{iat},"exp":{exp}}}"#))
        );
        let mac = URL_SAFE_NO_PAD.encode(key().mac(signed.as_bytes()).finalize().into_bytes());
        format!("{signed}.{mac}")
    };
    assert_eq!(
        key().verify(&forged_by_key_holder(NOW, NOW + MAX_LIFETIME + 1), NOW),
        Err(Refused::OutOfBounds)
    );
    assert_eq!(
        key().verify(&forged_by_key_holder(NOW + 3_600, NOW + 3_660), NOW),
        Err(Refused::OutOfBounds)
    );
    // A little ahead is another machine's clock.
    assert!(key()
        .verify(&forged_by_key_holder(NOW + 10, NOW + 70), NOW)
        .is_ok());
}

#[test]
fn an_empty_secret_turns_tokens_off_and_a_short_one_is_refused() {
    assert!(AccessKey::from_secret("").unwrap().is_none());
    assert_eq!(AccessKey::from_secret("short").unwrap_err(), WeakSecret);
}

#[test]
fn the_lifetime_variable_falls_back_and_is_bounded() {
    assert_eq!(ttl_from_variable(None), DEFAULT_TTL_SECONDS);
    assert_eq!(ttl_from_variable(Some("0")), DEFAULT_TTL_SECONDS);
    assert_eq!(ttl_from_variable(Some("abc")), DEFAULT_TTL_SECONDS);
    assert_eq!(ttl_from_variable(Some(" 5 ")), 5);
    assert_eq!(ttl_from_variable(Some("86400")), MAX_LIFETIME);
}

#[test]
fn the_key_is_never_printed() {
    assert_eq!(format!("{:?}", key()), "AccessKey(<redacted>)");
}

#[test]
fn a_service_checks_access_tokens_itself_and_leaves_session_tokens_to_auth() {
    let token = key().issue(&zoe(), NOW, 60);
    let session = "dGhpcyBpcyBhIHNlc3Npb24gdG9rZW4gb2YgMzIgYnk";
    assert_eq!(check_locally(Some(&key()), session, NOW), None);
    assert_eq!(check_locally(None, session, NOW), None);
    assert_eq!(
        check_locally(Some(&key()), &token, NOW).unwrap().unwrap(),
        zoe()
    );
    assert!(check_locally(Some(&key()), &token, NOW + 60)
        .unwrap()
        .is_err());
    // A service without the secret cannot check one, so it accepts none.
    assert!(check_locally(None, &token, NOW).unwrap().is_err());
}
