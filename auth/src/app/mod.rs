//! Use cases of the auth service over the `Kv` capability, with clock and randomness injected.

use spin_kit::kv::{get_json, remove_json, set_json, update_json, Step};

use std::time::{Duration, Instant};

use crate::domain::lockout::{Counters, Verdict, MAX_WAIT, TIERS};
use crate::domain::password::{HashError, DECOY_HASH, SALT_LEN};
use crate::domain::records::{session_key, user_key};
use crate::domain::token::{expires_at, is_expired, TOKEN_BYTES};
use crate::domain::{
    ClientAddr, Kv, Password, PasswordError, SessionRecord, SessionToken, StoreError, TokenHash,
    UserRecord, Username, UsernameError,
};
use crate::siblings::{PlayerData, Sibling};

/// How many compare-and-swap rounds an update may lose before giving up: enough for a burst of
/// concurrent requests on one key, bounded so a hot key cannot pin an instance forever.
pub const MAX_CAS_ATTEMPTS: usize = 100;

/// Time and randomness, supplied by the host in production and fixed in tests.
pub trait Env {
    /// Unix seconds.
    fn now(&self) -> u64;
    fn fill_random(&self, buf: &mut [u8]) -> Result<(), RandomError>;
}

#[derive(Debug, thiserror::Error)]
#[error("no randomness available: {0}")]
pub struct RandomError(pub String);

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    InvalidUsername(#[from] UsernameError),
    #[error(transparent)]
    InvalidPassword(#[from] PasswordError),
    #[error("this username is already taken")]
    UsernameTaken,
    #[error("invalid username or password")]
    BadCredentials,
    #[error("the password is wrong")]
    WrongPassword,
    #[error("too many failed attempts; retry in {retry_after} s")]
    Locked { retry_after: u64 },
    #[error("missing, invalid, expired or revoked token")]
    Unauthenticated,
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

/// A freshly issued session, as returned by register and login.
#[derive(Debug)]
pub struct Issued {
    pub username: String,
    pub token: SessionToken,
    pub expires_at: u64,
}

/// The caller behind a valid bearer token.
#[derive(Debug)]
pub struct Identity {
    pub user: UserRecord,
    pub session: SessionRecord,
    pub token_hash: TokenHash,
}

/// The lockout slots one password attempt holds (see [`Auth::admit`]).
struct Attempt {
    name_key: String,
    client: String,
    now: u64,
    held: Vec<Counters>,
}

enum Admission {
    Go(Attempt),
    Locked { retry_after: u64 },
    Busy,
}

pub struct Auth<'a, K, E> {
    kv: &'a K,
    env: &'a E,
    ttl: u64,
}

impl<'a, K: Kv, E: Env> Auth<'a, K, E> {
    pub fn new(kv: &'a K, env: &'a E, ttl_seconds: u64) -> Self {
        Self {
            kv,
            env,
            ttl: ttl_seconds,
        }
    }

    pub fn register(&self, username: &str, password: String) -> Result<Issued, AuthError> {
        let name = Username::parse(username)?;
        let password = Password::parse(password)?;
        let key = user_key(name.key());
        // Cheap early answer; the create-if-absent below is what actually guarantees uniqueness.
        if get_json::<_, UserRecord>(self.kv, &key)?.is_some() {
            return Err(AuthError::UsernameTaken);
        }
        let now = self.env.now();
        let mut user = UserRecord {
            username: name.display().to_owned(),
            password_hash: password.hash(&self.random::<SALT_LEN>()?)?,
            created_at: now,
            account_id: hex::encode(self.random::<16>()?),
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
        match created? {
            true => Ok(Issued {
                username: user.username,
                token,
                expires_at: session.expires_at,
            }),
            false => Err(AuthError::UsernameTaken),
        }
    }

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
        let name = Username::parse_existing(username).map_err(|_| AuthError::BadCredentials)?;
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
        let user = if is_expired(session.expires_at, self.env.now()) {
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
        let new_hash = new.hash(&self.random::<SALT_LEN>()?)?;
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
        // Deleting the user first revokes every session at once; the session records are then
        // only clean-up.
        // A removal, not a delete: the key keeps its history, so the name can be taken again.
        remove_json::<_, UserRecord>(self.kv, &user_key(&me.session.user), MAX_CAS_ATTEMPTS)?;
        let mut hashes: Vec<String> = me.user.sessions.iter().map(|s| s.hash.clone()).collect();
        hashes.push(me.token_hash.as_str().to_owned());
        self.delete_sessions(&hashes);
        Ok(())
    }

    fn check_password(
        &self,
        me: &Identity,
        raw: String,
        client: &ClientAddr,
    ) -> Result<(), AuthError> {
        let attempt = self.admit(&me.session.user, client)?;
        let verified = match Password::parse(raw) {
            Ok(password) => password
                .verify(&me.user.password_hash)
                .map(|right| right.then_some(()))
                .map_err(AuthError::from),
            Err(_) => Ok(None),
        };
        match self.settle(attempt, verified)? {
            Some(()) => Ok(()),
            None => Err(AuthError::WrongPassword),
        }
    }

    /// Ends an admitted attempt with the outcome of its check: `Some` right, `None` wrong (a
    /// failure counted), an error neither (the check never finished: nothing counted).
    fn settle<T>(
        &self,
        attempt: Attempt,
        verified: Result<Option<T>, AuthError>,
    ) -> Result<Option<T>, AuthError> {
        match verified {
            Ok(None) => {
                self.failed(attempt)?;
                Ok(None)
            }
            other => {
                self.release(&attempt);
                other
            }
        }
    }

    fn open_session(&self, name_key: &str, verified: &UserRecord) -> Result<Issued, AuthError> {
        let (token, session) = self.new_session(name_key, verified)?;
        let hash = token.hash();
        set_json(self.kv, &session_key(&hash), &session)?;
        let now = self.env.now();
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
                })
            }
            Err(e) => {
                let _ = self.kv.delete(&session_key(&hash));
                Err(e)
            }
        }
    }

    fn new_session(
        &self,
        name_key: &str,
        user: &UserRecord,
    ) -> Result<(SessionToken, SessionRecord), AuthError> {
        let now = self.env.now();
        let token = SessionToken::from_random(self.random::<TOKEN_BYTES>()?);
        let session = SessionRecord {
            user: name_key.to_owned(),
            account_id: user.account_id.clone(),
            generation: user.generation,
            created_at: now,
            expires_at: expires_at(now, self.ttl),
        };
        Ok((token, session))
    }

    /// Takes a slot in every lockout tier before the password is hashed (see
    /// [`crate::domain::lockout`]): refuses at once when a tier is full of failures, waits while
    /// a tier is full only of attempts in flight, and gives up after [`MAX_WAIT`].
    ///
    /// Attempts already waiting go first: a newcomer that finds some joins them instead of
    /// taking the slot they wait for, otherwise each slot freed would go to the request the host
    /// admits in its place, and the waiters would starve.
    fn admit(&self, name_key: &str, client: &ClientAddr) -> Result<Attempt, AuthError> {
        let started = Instant::now();
        let queue = TIERS[0]
            .counters(name_key, client.as_str(), self.env.now())
            .waiting;
        let mut queued = false;
        let mut pause = Duration::from_millis(2);
        let mut outcome = match self.kv.increment(&queue, 0)? {
            0 => self.try_admit(name_key, client),
            _ => Ok(Admission::Busy),
        };
        loop {
            match outcome {
                Ok(Admission::Busy) if started.elapsed() < MAX_WAIT => {
                    if !queued {
                        queued = self.kv.increment(&queue, 1).is_ok();
                    }
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(10));
                    outcome = self.try_admit(name_key, client);
                }
                done => {
                    if queued {
                        let _ = self.kv.increment(&queue, -1);
                    }
                    return match done? {
                        Admission::Go(attempt) => Ok(attempt),
                        Admission::Locked { retry_after } => Err(AuthError::Locked { retry_after }),
                        Admission::Busy => Err(AuthError::Locked { retry_after: 1 }),
                    };
                }
            }
        }
    }

    fn try_admit(&self, name_key: &str, client: &ClientAddr) -> Result<Admission, AuthError> {
        let now = self.env.now();
        let mut attempt = Attempt {
            name_key: name_key.to_owned(),
            client: client.as_str().to_owned(),
            now,
            held: Vec::new(),
        };
        for tier in TIERS {
            let counters = tier.counters(name_key, client.as_str(), now);
            let busy = self.kv.increment(&counters.busy, 1);
            let fails = busy
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|_| self.kv.increment(&counters.fails, 0));
            // Held from the moment `busy` may have moved, so every way out gives it back.
            if busy.is_ok() {
                attempt.held.push(counters);
            }
            let verdict = match (busy, fails) {
                (Ok(busy), Ok(fails)) => tier.verdict(fails, busy),
                (Err(e), _) | (_, Err(e)) => {
                    self.release(&attempt);
                    return Err(e.into());
                }
            };
            match verdict {
                Verdict::Go => {}
                Verdict::Busy => {
                    self.release(&attempt);
                    return Ok(Admission::Busy);
                }
                Verdict::Locked => {
                    self.release(&attempt);
                    let retry_after = tier.retry_after(now);
                    return Ok(Admission::Locked { retry_after });
                }
            }
        }
        Ok(Admission::Go(attempt))
    }

    /// The attempt is over without a failure (right password, or never hashed): its `busy`
    /// slots go back. Best effort: a slot not given back narrows the tier until its window ends.
    fn release(&self, attempt: &Attempt) {
        for counters in &attempt.held {
            let _ = self.kv.increment(&counters.busy, -1);
        }
    }

    /// The password was wrong: counted in `fails` before leaving `busy`, so no other attempt can
    /// see the tier with this one in neither. The previous windows' counters, which nothing
    /// reads any more, are dropped so a persistent guesser leaves a bounded trail.
    fn failed(&self, attempt: Attempt) -> Result<(), AuthError> {
        let counted: Result<Vec<i64>, StoreError> = attempt
            .held
            .iter()
            .map(|counters| self.kv.increment(&counters.fails, 1))
            .collect();
        self.release(&attempt);
        for tier in TIERS {
            if let Some(old) = tier.previous(&attempt.name_key, &attempt.client, attempt.now) {
                let _ = self.kv.delete(&old.busy);
                let _ = self.kv.delete(&old.fails);
                let _ = self.kv.delete(&old.waiting);
            }
        }
        counted.map(|_| ()).map_err(AuthError::from)
    }

    /// Best effort: revocations that matter (password change, account deletion) are already
    /// enforced by the generation and account checks, so a failed delete here leaves a record
    /// that no request will accept.
    fn delete_sessions(&self, hashes: &[String]) {
        for hash in hashes {
            let _ = self.kv.delete(&session_key(&TokenHash::from(hash.clone())));
        }
    }

    fn random<const N: usize>(&self) -> Result<[u8; N], AuthError> {
        let mut buf = [0u8; N];
        self.env.fill_random(&mut buf)?;
        Ok(buf)
    }
}
