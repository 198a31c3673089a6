//! Use cases of the auth service over the `Kv` capability, the clock and randomness as ports:
//! accounts (register, change the password, delete), sessions (log in, authenticate, log out) and
//! the lockout every password check goes through.

mod access;
mod accounts;
mod lockout;
mod sessions;

use spin_kit::access::AccessKey;
use spin_kit::clock::Clock;
use spin_kit::random::{Random, RandomError};

use crate::domain::password::HashError;
use crate::domain::{
    InvalidName, Kv, PasswordError, SessionRecord, SessionToken, StoreError, TokenHash, UserRecord,
};
use crate::siblings::Sibling;

/// How many compare-and-swap rounds an update may lose before giving up: enough for a burst of
/// concurrent requests on one key, bounded so a hot key cannot pin an instance forever.
pub const MAX_CAS_ATTEMPTS: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    InvalidUsername(#[from] InvalidName),
    #[error(transparent)]
    InvalidPassword(#[from] PasswordError),
    #[error("this username is already taken")]
    UsernameTaken,
    /// The name's account was deleted so recently that access tokens issued to it may live.
    #[error("this username was freed moments ago; retry in {retry_after} s")]
    NameReserved { retry_after: u64 },
    #[error("invalid username or password")]
    BadCredentials,
    #[error("the password is wrong")]
    WrongPassword,
    #[error("too many failed attempts; retry in {retry_after} s")]
    Locked { retry_after: u64 },
    #[error("missing, invalid, expired or revoked token")]
    Unauthenticated,
    /// `POST /auth/access` while no `access_secret` is configured.
    #[error("access tokens are off (no access_secret)")]
    AccessOff,
    /// A sibling did not confirm it forgot the player: the account is kept, so that a retry
    /// (same password, same token) finishes the job.
    #[error("{} did not delete the player's data ({why}); the account is kept, retry later", sibling.name())]
    SiblingUnavailable { sibling: Sibling, why: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Random(#[from] RandomError),
}

/// A freshly issued session, as returned by register and login, with its first access token
/// when access tokens are on.
#[derive(Debug)]
pub struct Issued {
    pub username: String,
    pub token: SessionToken,
    pub expires_at: u64,
    pub access: Option<AccessGrant>,
}

/// A short-lived access token ([`spin_kit::access`]) and when it stops being accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessGrant {
    pub token: String,
    pub expires_at: u64,
}

/// The signing key and the lifetime of the access tokens auth issues.
#[derive(Debug, Clone)]
pub struct Access {
    pub key: AccessKey,
    pub ttl: u64,
}

/// The caller behind a valid bearer token.
#[derive(Debug)]
pub struct Identity {
    pub user: UserRecord,
    pub session: SessionRecord,
    pub token_hash: TokenHash,
}

/// The use cases, over one store, a clock and a source of randomness.
pub struct Auth<'a, K, C, R> {
    kv: &'a K,
    clock: C,
    random: R,
    ttl: u64,
    access: Option<Access>,
}

impl<'a, K: Kv, C: Clock, R: Random> Auth<'a, K, C, R> {
    pub fn new(kv: &'a K, clock: C, random: R, ttl_seconds: u64) -> Self {
        Self {
            kv,
            clock,
            random,
            ttl: ttl_seconds,
            access: None,
        }
    }

    /// Issues access tokens with `access` (none when `None`: access tokens are off).
    pub fn with_access(mut self, access: Option<Access>) -> Self {
        self.access = access;
        self
    }

    /// The store, for the health route's read.
    pub fn store(&self) -> &'a K {
        self.kv
    }

    /// Unix seconds as the records keep them; a clock set before 1970 reads as the epoch.
    fn now(&self) -> u64 {
        u64::try_from(self.clock.now()).unwrap_or(0)
    }
}
