//! Session tokens: bearer secrets handed to the client, stored only as their SHA-256.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::fmt;

pub const TOKEN_BYTES: usize = 32;
/// Length of 32 bytes in unpadded base64url.
const TOKEN_CHARS: usize = 43;

/// Seven days, used when the `token_ttl_seconds` variable is unset or not a positive integer.
pub const DEFAULT_TTL_SECONDS: u64 = 7 * 24 * 60 * 60;

/// A bearer token as sent by the client. `Debug` is redacted: the token is a credential.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

/// SHA-256 of a token in lowercase hex: the only form that reaches the store, so a leaked
/// store does not hand out usable sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenHash(String);

impl SessionToken {
    pub fn from_random(bytes: [u8; TOKEN_BYTES]) -> Self {
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Accepts only what `from_random` can produce, so junk never costs a store lookup.
    pub fn parse(raw: &str) -> Option<Self> {
        let decoded = URL_SAFE_NO_PAD.decode(raw).ok()?;
        (raw.len() == TOKEN_CHARS && decoded.len() == TOKEN_BYTES).then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash(hex::encode(Sha256::digest(self.0.as_bytes())))
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

impl TokenHash {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for TokenHash {
    fn from(hex: String) -> Self {
        Self(hex)
    }
}

/// Reads the `token_ttl_seconds` variable; anything but a positive integer falls back to the
/// default rather than issuing tokens that expire at once or never.
pub fn ttl_from_variable(raw: Option<&str>) -> u64 {
    raw.and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&ttl| ttl > 0)
        .unwrap_or(DEFAULT_TTL_SECONDS)
}

pub fn expires_at(now: u64, ttl: u64) -> u64 {
    now.saturating_add(ttl)
}

/// A token is dead from its expiry second on.
pub fn is_expired(expires_at: u64, now: u64) -> bool {
    now >= expires_at
}

#[cfg(test)]
mod tests;
