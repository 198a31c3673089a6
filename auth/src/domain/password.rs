//! Passwords as typed by the player: validated, never printed, hashed with Argon2id.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::fmt;

pub const MIN_CHARS: usize = 8;
pub const MAX_CHARS: usize = 256;

/// Bytes of fresh randomness per password hash.
pub const SALT_LEN: usize = 16;

/// One of OWASP's equivalent Argon2id settings: 12 MiB, 3 passes, 1 lane. They cost the same
/// CPU as 19 MiB × 2 passes; the smaller buffer lets more logins wait side by side in a
/// bounded host memory (16 at once stay under 300 MiB). Hashes made with other parameters
/// still verify: the parameters are read from the stored hash.
const MEMORY_KIB: u32 = 12 * 1024;
const PASSES: u32 = 3;
const LANES: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("password must be at least {MIN_CHARS} characters")]
    TooShort,
    #[error("password must be at most {MAX_CHARS} characters")]
    TooLong,
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// A password of acceptable length, counted in Unicode characters and hashed whole (no
/// truncation, no trimming). Its `Debug` output is redacted so it cannot leak into logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(raw: String) -> Result<Self, PasswordError> {
        match raw.chars().count() {
            n if n < MIN_CHARS => Err(PasswordError::TooShort),
            n if n > MAX_CHARS => Err(PasswordError::TooLong),
            _ => Ok(Self(raw)),
        }
    }

    /// Argon2id PHC string (`$argon2id$v=19$m=12288,t=3,p=1$...`) for this password and salt.
    pub fn hash(&self, salt: &[u8; SALT_LEN]) -> Result<String, HashError> {
        let salt = SaltString::encode_b64(salt).map_err(|e| HashError(e.to_string()))?;
        let phc = hasher()?
            .hash_password(self.0.as_bytes(), &salt)
            .map_err(|e| HashError(e.to_string()))?;
        Ok(phc.to_string())
    }

    /// Checks against a stored PHC string, using the parameters recorded in it so that hashes
    /// made with older parameters keep working.
    pub fn verify(&self, phc: &str) -> Result<bool, HashError> {
        let parsed = PasswordHash::new(phc).map_err(|e| HashError(e.to_string()))?;
        match Argon2::default().verify_password(self.0.as_bytes(), &parsed) {
            Ok(()) => Ok(true),
            Err(argon2::password_hash::Error::Password) => Ok(false),
            Err(e) => Err(HashError(e.to_string())),
        }
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

fn hasher() -> Result<Argon2<'static>, HashError> {
    let params =
        Params::new(MEMORY_KIB, PASSES, LANES, None).map_err(|e| HashError(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// A well-formed Argon2id PHC string with our parameters and a random digest, so no password
/// matches it. Logging in as an unknown user verifies against it: the response then takes as long
/// as for a real account and does not reveal which names exist.
pub const DECOY_HASH: &str =
    "$argon2id$v=19$m=12288,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA$X2bqB8nK+2cQ7o4C2tyk9yXoMNVJe3nhcF1fg2JmYrs";

#[cfg(test)]
mod tests {
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
}
