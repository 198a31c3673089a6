//! Accounts: registration, password change and deletion of the player everywhere.

use spin_kit::kv::{get_json, remove_json, set_json, update_json, Step};

use spin_kit::clock::Clock;
use spin_kit::random::Random;

use super::{Auth, AuthError, Identity, Issued, MAX_CAS_ATTEMPTS};
use crate::domain::password::SALT_LEN;
use crate::domain::records::{session_key, user_key};
use crate::domain::{
    ClientAddr, Kv, Password, PlayerName, SessionRecord, SessionToken, UserRecord,
};
use crate::siblings::{PlayerData, Sibling};

impl<K: Kv, C: Clock, R: Random> Auth<'_, K, C, R> {
    pub fn register(&self, username: &str, password: String) -> Result<Issued, AuthError> {
        let name = PlayerName::parse_new(username)?;
        let password = Password::parse(password)?;
        let key = user_key(name.key());
        // Cheap early answer; the create-if-absent below is what actually guarantees uniqueness.
        if get_json::<_, UserRecord>(self.kv, &key)?.is_some() {
            return Err(AuthError::UsernameTaken);
        }
        self.refuse_recently_deleted(name.key())?;
        let now = self.now();
        let mut user = UserRecord {
            username: name.as_str().to_owned(),
            password_hash: password.hash(&self.random.bytes::<SALT_LEN>()?)?,
            created_at: now,
            account_id: hex::encode(self.random.bytes::<16>()?),
            generation: 0,
            sessions: Vec::new(),
        };
        let (token, session) = self.new_session(name.key(), &user)?;
        user.add_session(&token.hash(), session.expires_at, now);
        set_json(self.kv, &session_key(&token.hash()), &session)?;
        let created = update_json(
            self.kv,
            &key,
            MAX_CAS_ATTEMPTS,
            |existing: Option<UserRecord>| {
                Ok::<_, AuthError>(match existing {
                    Some(_) => Step::Keep(false),
                    None => Step::Write(user.clone(), true),
                })
            },
        );
        if !matches!(created, Ok(true)) {
            let _ = self.kv.delete(&session_key(&token.hash()));
        }
        if !created? {
            return Err(AuthError::UsernameTaken);
        }
        // A deletion of the same name may have reserved it between the check above and the
        // creation (it reserves before it removes): then this account must not stand.
        if let Err(reserved) = self.refuse_recently_deleted(name.key()) {
            remove_json::<_, UserRecord>(self.kv, &key, MAX_CAS_ATTEMPTS)?;
            let _ = self.kv.delete(&session_key(&token.hash()));
            return Err(reserved);
        }
        Ok(Issued {
            access: self.grant(&user.username),
            username: user.username,
            token,
            expires_at: session.expires_at,
        })
    }

    /// Changes the password and revokes every other session; the caller's token stays valid.
    pub fn change_password(
        &self,
        me: Identity,
        current: String,
        new: String,
        client: &ClientAddr,
    ) -> Result<(), AuthError> {
        let new = Password::parse(new)?;
        self.check_password(&me, current, client)?;
        let new_hash = new.hash(&self.random.bytes::<SALT_LEN>()?)?;
        let user_key = user_key(&me.session.user);
        let (revoked, generation) = update_json(
            self.kv,
            &user_key,
            MAX_CAS_ATTEMPTS,
            |user: Option<UserRecord>| {
                match user {
                    Some(mut user) if user.accepts(&me.session) => {
                        user.password_hash = new_hash.clone();
                        let revoked = user.revoke_all_but(&me.token_hash);
                        let generation = user.generation;
                        Ok(Step::Write(user, (revoked, generation)))
                    }
                    // Revoked or deleted while we were hashing: this session lost its rights.
                    _ => Err(AuthError::Unauthenticated),
                }
            },
        )?;
        let session = SessionRecord {
            generation,
            ..me.session
        };
        set_json(self.kv, &session_key(&me.token_hash), &session)?;
        self.delete_sessions(&revoked);
        Ok(())
    }

    /// Deletes the player everywhere: the siblings forget the player first, with the caller's
    /// own token (they verify it with auth, so the account must still exist), then the account
    /// and its sessions go. A sibling that does not confirm stops here with the account kept:
    /// the same request again finishes the job, for the siblings' routes succeed when there is
    /// nothing left to delete.
    pub async fn delete_account<P: PlayerData>(
        &self,
        me: Identity,
        token: &SessionToken,
        password: String,
        client: &ClientAddr,
        players: &P,
    ) -> Result<(), AuthError> {
        self.check_password(&me, password, client)?;
        for sibling in Sibling::ALL {
            players
                .forget(sibling, &me.user.username, token)
                .await
                .map_err(|e| AuthError::SiblingUnavailable { sibling, why: e.0 })?;
        }
        // Reserved before the account goes, so no registration can slip in between.
        self.reserve_deleted_name(&me.session.user)?;
        // Deleting the user first revokes every session at once; the session records are then
        // only clean-up.
        // A removal, not a delete: the key keeps its history, so the name can be taken again.
        remove_json::<_, UserRecord>(self.kv, &user_key(&me.session.user), MAX_CAS_ATTEMPTS)?;
        let mut hashes: Vec<String> = me.user.sessions.iter().map(|s| s.hash.clone()).collect();
        hashes.push(me.token_hash.as_str().to_owned());
        self.delete_sessions(&hashes);
        Ok(())
    }
}
