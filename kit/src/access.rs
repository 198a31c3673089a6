//! Short-lived signed access tokens: who the player is, checked where the request lands.
//!
//! A session token (auth's, long-lived and revocable) can only be checked by asking auth, which
//! costs every request a hop to a fresh auth instance. An access token carries the player's name
//! and an expiry, signed with HMAC-SHA256 under the `access_secret` Spin variable that auth,
//! motus, score and the webapp share: any of them checks it with no call and no store read.
//! Auth issues one beside every session (login, registration) and on `POST /auth/access`.
//!
//! The price is revocation: a logout, a password change or an account deletion ends the
//! sessions at once, but an access token already issued stays good until it expires (60 s by
//! default, [`MAX_LIFETIME`] at most). docs/security.md gives the rules built on that bound
//! (auth keeps a deleted name unregistrable for that long; motus starts no game for a player
//! it has just forgotten).
//!
//! Form: `mat1.<payload>.<mac>`, both parts unpadded base64url; the payload is
//! `{"sub": name, "iat": s, "exp": s}` and the MAC covers `mat1.<payload>`. Session tokens never
//! contain a dot, so the two kinds cannot be mistaken for each other.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::names::PlayerName;

/// The Spin variable holding the shared signing secret; empty turns access tokens off.
pub const SECRET_VARIABLE: &str = "access_secret";
/// The Spin variable auth reads for the lifetime of the tokens it issues.
pub const TTL_VARIABLE: &str = "access_ttl_seconds";
/// The lifetime when [`TTL_VARIABLE`] is unset or not a positive integer.
pub const DEFAULT_TTL_SECONDS: u64 = 60;
/// The longest lifetime a checker accepts, whatever auth was told: a misconfigured lifetime
/// must not turn a short-lived credential into a long-lived one that logout cannot end.
pub const MAX_LIFETIME: u64 = 600;
/// How far in the future an issue time may be: the clocks of two machines behind one balancer.
pub const CLOCK_SKEW: u64 = 30;
/// A secret shorter than this is a configuration mistake, not a key.
pub const MIN_SECRET_BYTES: usize = 32;

const PREFIX: &str = "mat1.";

/// The signing key, from the shared secret.
#[derive(Clone)]
pub struct AccessKey(Vec<u8>);

/// Why a secret cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{SECRET_VARIABLE} must be at least {MIN_SECRET_BYTES} bytes")]
pub struct WeakSecret;

/// Why a token is refused. Callers answer all of them alike (401): the difference is for logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("not an access token")]
    Malformed,
    #[error("bad signature")]
    BadSignature,
    #[error("expired")]
    Expired,
    #[error("lifetime out of bounds")]
    OutOfBounds,
}

/// What a valid token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    pub player: PlayerName,
    pub issued_at: u64,
    pub expires_at: u64,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    sub: String,
    iat: u64,
    exp: u64,
}

impl AccessKey {
    /// The key for a configured secret: `Ok(None)` when it is empty (access tokens off).
    pub fn from_secret(secret: &str) -> Result<Option<Self>, WeakSecret> {
        match secret.len() {
            0 => Ok(None),
            n if n < MIN_SECRET_BYTES => Err(WeakSecret),
            _ => Ok(Some(Self(secret.as_bytes().to_vec()))),
        }
    }

    /// A token for `player`, good from `now` for `ttl` seconds (at most [`MAX_LIFETIME`]).
    pub fn issue(&self, player: &PlayerName, now: u64, ttl: u64) -> String {
        let payload = Payload {
            sub: player.as_str().to_owned(),
            iat: now,
            exp: now.saturating_add(lifetime(ttl)),
        };
        let json = serde_json::to_vec(&payload).expect("a payload always serialises");
        let signed = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(json));
        let mac = URL_SAFE_NO_PAD.encode(self.mac(signed.as_bytes()).finalize().into_bytes());
        format!("{signed}.{mac}")
    }

    /// The claims of `token` if this key signed it and it is live at `now`.
    pub fn verify(&self, token: &str, now: u64) -> Result<Claims, Refused> {
        let (signed, mac) = token.rsplit_once('.').ok_or(Refused::Malformed)?;
        let payload = signed.strip_prefix(PREFIX).ok_or(Refused::Malformed)?;
        let mac = URL_SAFE_NO_PAD
            .decode(mac)
            .map_err(|_| Refused::Malformed)?;
        // Constant time: the comparison must not tell how much of a forged MAC was right.
        self.mac(signed.as_bytes())
            .verify_slice(&mac)
            .map_err(|_| Refused::BadSignature)?;
        let json = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| Refused::Malformed)?;
        let payload: Payload = serde_json::from_slice(&json).map_err(|_| Refused::Malformed)?;
        if payload.exp <= payload.iat
            || payload.exp - payload.iat > MAX_LIFETIME
            || payload.iat > now.saturating_add(CLOCK_SKEW)
        {
            return Err(Refused::OutOfBounds);
        }
        if now >= payload.exp {
            return Err(Refused::Expired);
        }
        let player = PlayerName::parse(&payload.sub).map_err(|_| Refused::Malformed)?;
        Ok(Claims {
            player,
            issued_at: payload.iat,
            expires_at: payload.exp,
        })
    }

    fn mac(&self, message: &[u8]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(message);
        mac
    }
}

/// How long a token issued for `ttl` seconds lives: at least a second, at most [`MAX_LIFETIME`].
pub fn lifetime(ttl: u64) -> u64 {
    ttl.clamp(1, MAX_LIFETIME)
}

/// Whether a bearer token has the access form (it may still be forged or expired). A session
/// token never does, so a service knows which way to check a token without trying both.
pub fn is_access_token(token: &str) -> bool {
    token.starts_with(PREFIX)
}

/// How a service that holds `key` (none: access tokens are off) checks a bearer token at `now`:
/// `None` for a session token, which only auth can check; otherwise the verdict, reached here.
/// Without a key no access token is accepted.
pub fn check_locally(
    key: Option<&AccessKey>,
    token: &str,
    now: u64,
) -> Option<Result<PlayerName, Refused>> {
    if !is_access_token(token) {
        return None;
    }
    Some(match key {
        Some(key) => key.verify(token, now).map(|claims| claims.player),
        None => Err(Refused::BadSignature),
    })
}

/// The key from the `access_secret` variable as a component read it (`None`: undefined).
pub fn key_from_variable(raw: Option<&str>) -> Result<Option<AccessKey>, WeakSecret> {
    AccessKey::from_secret(raw.unwrap_or(""))
}

/// The lifetime auth gives its tokens, from [`TTL_VARIABLE`]: anything but a positive integer
/// falls back to the default, and the bound applies.
pub fn ttl_from_variable(raw: Option<&str>) -> u64 {
    raw.and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&ttl| ttl > 0)
        .unwrap_or(DEFAULT_TTL_SECONDS)
        .min(MAX_LIFETIME)
}

/// The key from the `access_secret` Spin variable; `None` when it is empty or undefined. A
/// secret too short to be one is a misconfiguration, reported on every request rather than
/// silently turning access tokens off.
#[cfg(feature = "spin")]
pub fn key_from_spin() -> Result<Option<AccessKey>, crate::errors::ApiError> {
    let raw = spin_sdk::variables::get(SECRET_VARIABLE).ok();
    key_from_variable(raw.as_deref()).map_err(|e| {
        eprintln!("{e}");
        crate::errors::ApiError::with_message(crate::errors::Code::Misconfigured, e.to_string())
    })
}

/// [`check_locally`] against the wall clock: the clock offset some services take for tests
/// moves their day, not the lifetime of auth's tokens.
#[cfg(feature = "spin")]
pub fn check_now(key: Option<&AccessKey>, token: &str) -> Option<Result<PlayerName, Refused>> {
    use crate::clock::Clock;
    let now = u64::try_from(crate::clock::SystemClock::new().now()).unwrap_or(0);
    check_locally(key, token, now)
}

impl std::fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests;
