//! The lockout every password check goes through (rules in [`crate::domain::lockout`]).

use std::time::{Duration, Instant};

use spin_kit::clock::Clock;
use spin_kit::random::Random;

use super::{Auth, AuthError, Identity};
use crate::domain::lockout::{Counters, Verdict, MAX_WAIT, TIERS};
use crate::domain::{ClientAddr, Kv, Password, StoreError};

/// The lockout slots one password attempt holds (see [`Auth::admit`]).
pub(super) struct Attempt {
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

impl<K: Kv, C: Clock, R: Random> Auth<'_, K, C, R> {
    pub(super) fn check_password(
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
    pub(super) fn settle<T>(
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

    /// Takes a slot in every lockout tier before the password is hashed (see
    /// [`crate::domain::lockout`]): refuses at once when a tier is full of failures, waits while
    /// a tier is full only of attempts in flight, and gives up after [`MAX_WAIT`].
    ///
    /// Attempts already waiting go first: a newcomer that finds some joins them instead of
    /// taking the slot they wait for, otherwise each slot freed would go to the request the host
    /// admits in its place, and the waiters would starve.
    pub(super) fn admit(&self, name_key: &str, client: &ClientAddr) -> Result<Attempt, AuthError> {
        let started = Instant::now();
        let queue = TIERS[0]
            .counters(name_key, client.as_str(), self.now())
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
        let now = self.now();
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
    pub(super) fn release(&self, attempt: &Attempt) {
        for counters in &attempt.held {
            let _ = self.kv.increment(&counters.busy, -1);
        }
    }

    /// The password was wrong: counted in `fails` before leaving `busy`, so no other attempt can
    /// see the tier with this one in neither. The previous windows' counters, which nothing
    /// reads any more, are dropped so a persistent guesser leaves a bounded trail.
    pub(super) fn failed(&self, attempt: Attempt) -> Result<(), AuthError> {
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
}
