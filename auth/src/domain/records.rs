//! What the auth store keeps, and the rules tying sessions to accounts.

use serde::{Deserialize, Serialize};

use super::token::{is_expired, TokenHash};

/// Sessions remembered per account for clean-up; logging in once more evicts the oldest.
pub const MAX_SESSIONS_PER_USER: usize = 32;

pub fn user_key(username_key: &str) -> String {
    format!("user:{username_key}")
}

/// Set when an account is deleted while access tokens are on: until when the name may not be
/// registered again (see [`crate::app::Auth::delete_account`]).
pub fn deleted_key(username_key: &str) -> String {
    format!("deleted:{username_key}")
}

pub fn session_key(hash: &TokenHash) -> String {
    format!("session:{}", hash.as_str())
}

/// One account, stored under `user:{lowercase name}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRecord {
    /// The spelling chosen at registration.
    pub username: String,
    pub password_hash: String,
    pub created_at: u64,
    /// Random per registration: a name deleted then registered again is another account, and
    /// the old account's sessions must not come back to life.
    pub account_id: String,
    /// Bumped when a password change revokes sessions; a session is valid only for the
    /// generation it was issued in.
    pub generation: u64,
    /// Live sessions, so revocation can delete their records instead of leaving them to rot.
    pub sessions: Vec<SessionRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRef {
    pub hash: String,
    pub expires_at: u64,
}

/// One login, stored under `session:{sha256 of the token}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// Lowercase username key of the owner.
    pub user: String,
    pub account_id: String,
    pub generation: u64,
    pub created_at: u64,
    pub expires_at: u64,
}

impl UserRecord {
    /// Whether `session` was issued to this very account since its last revocation.
    pub fn accepts(&self, session: &SessionRecord) -> bool {
        session.account_id == self.account_id && session.generation == self.generation
    }

    /// Adds a session, dropping expired ones and the oldest beyond the cap; returns the hashes
    /// whose records should now be deleted.
    pub fn add_session(&mut self, hash: &TokenHash, expires_at: u64, now: u64) -> Vec<String> {
        let (mut dropped, mut kept): (Vec<_>, Vec<_>) = std::mem::take(&mut self.sessions)
            .into_iter()
            .filter(|s| s.hash != hash.as_str())
            .partition(|s| is_expired(s.expires_at, now));
        kept.sort_by_key(|s| s.expires_at);
        let excess = (kept.len() + 1).saturating_sub(MAX_SESSIONS_PER_USER);
        dropped.extend(kept.drain(..excess));
        kept.push(SessionRef {
            hash: hash.as_str().to_owned(),
            expires_at,
        });
        self.sessions = kept;
        dropped.into_iter().map(|s| s.hash).collect()
    }

    pub fn remove_session(&mut self, hash: &TokenHash) -> bool {
        let before = self.sessions.len();
        self.sessions.retain(|s| s.hash != hash.as_str());
        self.sessions.len() != before
    }

    /// Starts a new generation holding only `keep`; returns the hashes of every other session.
    pub fn revoke_all_but(&mut self, keep: &TokenHash) -> Vec<String> {
        self.generation += 1;
        let (kept, revoked): (Vec<_>, Vec<_>) = std::mem::take(&mut self.sessions)
            .into_iter()
            .partition(|s| s.hash == keep.as_str());
        self.sessions = kept;
        revoked.into_iter().map(|s| s.hash).collect()
    }
}

#[cfg(test)]
mod tests;
