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

/// Why a password is refused. The message is French: the player reads it as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("Mot de passe invalide : {MIN_CHARS} caractères au minimum.")]
    TooShort,
    #[error("Mot de passe invalide : {MAX_CHARS} caractères au maximum.")]
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
mod tests;
