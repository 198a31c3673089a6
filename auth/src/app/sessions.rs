//! Sessions: logging in, resolving a bearer token, logging out.

use spin_kit::kv::{get_json, set_json, update_json, Step};

use spin_kit::clock::Clock;
use spin_kit::random::Random;

use super::{Auth, AuthError, Identity, Issued, MAX_CAS_ATTEMPTS};
use crate::domain::password::DECOY_HASH;
use crate::domain::records::{session_key, user_key};
use crate::domain::token::{expires_at, is_expired, TOKEN_BYTES};
use crate::domain::{
    ClientAddr, Kv, Password, PlayerName, SessionRecord, SessionToken, TokenHash, UserRecord,
};

impl<K: Kv, C: Clock, R: Random> Auth<'_, K, C, R> {
    /// Checks the password of `username` for an attempt from `client`; see
    /// [`crate::domain::lockout`] for the limits on attempts.
    pub fn login(
        &self,
        username: &str,
        password: String,
        client: &ClientAddr,
    ) -> Result<Issued, AuthError> {
        // Malformed input cannot match an account; answering like a wrong password keeps the
        // response uniform. Names from before the edge rule still log in.
        let name = PlayerName::parse(username).map_err(|_| AuthError::BadCredentials)?;
        let password = Password::parse(password).map_err(|_| AuthError::BadCredentials)?;
        let attempt = self.admit(name.key(), client)?;
        let verified = (|| {
            let user = get_json::<_, UserRecord>(self.kv, &user_key(name.key()))?;
            match user {
                Some(user) => Ok(password.verify(&user.password_hash)?.then_some(user)),
                // Unknown names cost a hash too, so timing does not tell which names exist.
                None => {
                    let _ = password.verify(DECOY_HASH);
                    Ok(None)
                }
            }
        })();
        match self.settle(attempt, verified)? {
            Some(user) => self.open_session(name.key(), &user),
            None => Err(AuthError::BadCredentials),
        }
    }

    /// Resolves a bearer token to its live session and account.
    pub fn authenticate(&self, token: Option<&SessionToken>) -> Result<Identity, AuthError> {
        let token = token.ok_or(AuthError::Unauthenticated)?;
        let hash = token.hash();
        let key = session_key(&hash);
        let session: SessionRecord = get_json(self.kv, &key)?.ok_or(AuthError::Unauthenticated)?;
        let user = if is_expired(session.expires_at, self.now()) {
            None
        } else {
            get_json::<_, UserRecord>(self.kv, &user_key(&session.user))?
                .filter(|user| user.accepts(&session))
        };
        match user {
            Some(user) => Ok(Identity {
                user,
                session,
                token_hash: hash,
            }),
            None => {
                // Dead sessions are removed when seen so they do not pile up.
                let _ = self.kv.delete(&key);
                Err(AuthError::Unauthenticated)
            }
        }
    }

    pub fn logout(&self, me: Identity) -> Result<(), AuthError> {
        self.kv.delete(&session_key(&me.token_hash))?;
        update_json(
            self.kv,
            &user_key(&me.session.user),
            MAX_CAS_ATTEMPTS,
            |user: Option<UserRecord>| {
                Ok::<_, AuthError>(match user {
                    Some(mut user) => match user.remove_session(&me.token_hash) {
                        true => Step::Write(user, ()),
                        false => Step::Keep(()),
                    },
                    None => Step::Keep(()),
                })
            },
        )
    }

    pub(super) fn open_session(
        &self,
        name_key: &str,
        verified: &UserRecord,
    ) -> Result<Issued, AuthError> {
        let (token, session) = self.new_session(name_key, verified)?;
        let hash = token.hash();
        set_json(self.kv, &session_key(&hash), &session)?;
        let now = self.now();
        let added = update_json(
            self.kv,
            &user_key(name_key),
            MAX_CAS_ATTEMPTS,
            |user: Option<UserRecord>| {
                match user {
                    // The password we checked is still the account's: register the session.
                    Some(mut user) if user.accepts(&session) => {
                        let evicted = user.add_session(&hash, session.expires_at, now);
                        Ok(Step::Write(user, evicted))
                    }
                    _ => Err(AuthError::BadCredentials),
                }
            },
        );
        match added {
            Ok(evicted) => {
                self.delete_sessions(&evicted);
                Ok(Issued {
                    username: verified.username.clone(),
                    token,
                    expires_at: session.expires_at,
                    access: self.grant(&verified.username),
                })
            }
            Err(e) => {
                let _ = self.kv.delete(&session_key(&hash));
                Err(e)
            }
        }
    }

    pub(super) fn new_session(
        &self,
        name_key: &str,
        user: &UserRecord,
    ) -> Result<(SessionToken, SessionRecord), AuthError> {
        let now = self.now();
        let token = SessionToken::from_random(self.random.bytes::<TOKEN_BYTES>()?);
        let session = SessionRecord {
            user: name_key.to_owned(),
            account_id: user.account_id.clone(),
            generation: user.generation,
            created_at: now,
            expires_at: expires_at(now, self.ttl),
        };
        Ok((token, session))
    }

    /// Best effort: revocations that matter (password change, account deletion) are already
    /// enforced by the generation and account checks, so a failed delete here leaves a record
    /// that no request will accept.
    pub(super) fn delete_sessions(&self, hashes: &[String]) {
        for hash in hashes {
            let _ = self.kv.delete(&session_key(&TokenHash::from(hash.clone())));
        }
    }
}
