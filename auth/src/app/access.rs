//! Access tokens: issuing them, and the one rule their lifetime needs here.
//!
//! An access token names a player until it expires, whatever happens to the account meanwhile
//! (see [`spin_kit::access`]). Logout and password changes accept that bound. A deletion cannot
//! simply: a new account under the same name would be reachable, until then, with the deleted
//! player's tokens. So a deletion reserves the name for the longest lifetime any checker accepts.

use spin_kit::access::{lifetime, MAX_LIFETIME};
use spin_kit::clock::Clock;
use spin_kit::kv::{get_json, set_json};
use spin_kit::random::Random;

use super::{AccessGrant, Auth, AuthError, Identity};
use crate::domain::records::deleted_key;
use crate::domain::{Kv, PlayerName};

impl<K: Kv, C: Clock, R: Random> Auth<'_, K, C, R> {
    /// A fresh access token for the holder of a live session.
    pub fn refresh_access(&self, me: &Identity) -> Result<AccessGrant, AuthError> {
        self.grant(&me.user.username).ok_or(AuthError::AccessOff)
    }

    /// An access token for `username`, when access tokens are on.
    pub(super) fn grant(&self, username: &str) -> Option<AccessGrant> {
        let access = self.access.as_ref()?;
        // Names in the store were valid when registered; one that no longer parses gets no token
        // (its sessions still work through auth).
        let player = PlayerName::parse(username).ok()?;
        let now = self.now();
        let token = access.key.issue(&player, now, access.ttl);
        let expires_at = now.saturating_add(lifetime(access.ttl));
        Some(AccessGrant { token, expires_at })
    }

    /// Before an account goes: keeps its name from being registered while tokens issued for it
    /// may still be accepted. Nothing to do when access tokens are off.
    pub(super) fn reserve_deleted_name(&self, name_key: &str) -> Result<(), AuthError> {
        if self.access.is_some() {
            let until = self.now().saturating_add(MAX_LIFETIME);
            set_json(self.kv, &deleted_key(name_key), &until)?;
        }
        Ok(())
    }

    /// Refuses `name_key` while it belonged to an account deleted so recently that its access
    /// tokens may still be accepted.
    pub(super) fn refuse_recently_deleted(&self, name_key: &str) -> Result<(), AuthError> {
        let until: Option<u64> = get_json(self.kv, &deleted_key(name_key))?;
        match until {
            Some(until) if self.now() < until => Err(AuthError::NameReserved {
                retry_after: until - self.now(),
            }),
            _ => Ok(()),
        }
    }
}
