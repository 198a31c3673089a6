use super::*;

fn pw(s: &str) -> Password {
    Password::parse(s.to_owned()).unwrap()
}

#[test]
fn length_is_counted_in_characters() {
    assert_eq!(
        Password::parse("1234567".into()),
        Err(PasswordError::TooShort)
    );
    assert!(Password::parse("12345678".into()).is_ok());
    assert!(Password::parse("é".repeat(256)).is_ok());
    assert_eq!(
        Password::parse("é".repeat(257)),
        Err(PasswordError::TooLong)
    );
    assert_eq!(Password::parse("é".repeat(7)), Err(PasswordError::TooShort));
}

#[test]
fn debug_output_never_shows_the_password() {
    let shown = format!("{:?}", pw("hunter2hunter2"));
    assert!(!shown.contains("hunter2"), "{shown}");
}

#[test]
fn hash_is_argon2id_with_owasp_parameters_and_verifies() {
    let phc = pw("correct horse").hash(&[7; SALT_LEN]).unwrap();
    assert!(phc.starts_with("$argon2id$v=19$m=12288,t=3,p=1$"), "{phc}");
    assert!(pw("correct horse").verify(&phc).unwrap());
    assert!(!pw("correct horsf").verify(&phc).unwrap());
}

#[test]
fn hashes_made_with_the_earlier_parameters_still_verify() {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap();
    let old = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let salt = SaltString::encode_b64(&[3; SALT_LEN]).unwrap();
    let phc = old
        .hash_password(b"correct horse", &salt)
        .unwrap()
        .to_string();
    assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
    assert!(pw("correct horse").verify(&phc).unwrap());
    assert!(!pw("correct horsf").verify(&phc).unwrap());
}

#[test]
fn long_passwords_are_not_truncated() {
    let long = "a".repeat(255);
    let phc = pw(&format!("{long}b")).hash(&[1; SALT_LEN]).unwrap();
    assert!(!pw(&format!("{long}c")).verify(&phc).unwrap());
}

#[test]
fn decoy_hash_is_well_formed_and_matches_nothing_obvious() {
    assert_eq!(pw("password").verify(DECOY_HASH).ok(), Some(false));
}

#[test]
fn garbage_hash_is_an_error_not_a_match() {
    assert!(pw("password").verify("not a phc string").is_err());
}
