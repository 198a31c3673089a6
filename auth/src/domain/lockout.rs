//! Per-username brute-force protection, as pure transitions over a small stored state.

use serde::{Deserialize, Serialize};

/// Consecutive failures that trigger a lock.
pub const FAILURES_PER_BURST: u32 = 5;
/// Length of the first lock; each further burst doubles it.
pub const FIRST_LOCK_SECONDS: u64 = 30;
pub const MAX_LOCK_SECONDS: u64 = 15 * 60;
/// A name left alone this long after its last failure starts again from a clean slate, so an
/// old incident does not make the next typo lock for fifteen minutes.
pub const FORGET_AFTER_SECONDS: u64 = 24 * 60 * 60;

/// Failure history of one username (existing or not, so the lock does not reveal which exist).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lockout {
    /// Failures since the last lock (or since the start).
    pub failures: u32,
    /// Locks imposed so far; sets the next lock's length.
    pub bursts: u32,
    /// Unix second from which attempts are accepted again; 0 when not locked.
    pub locked_until: u64,
    pub last_failure: u64,
}

impl Lockout {
    /// Seconds the client must wait, or `None` when an attempt may proceed.
    pub fn retry_after(&self, now: u64) -> Option<u64> {
        (self.locked_until > now).then(|| self.locked_until - now)
    }

    /// State after one more wrong password at `now`.
    pub fn record_failure(self, now: u64) -> Self {
        let mut next = if now.saturating_sub(self.last_failure) >= FORGET_AFTER_SECONDS {
            Self::default()
        } else {
            self
        };
        next.last_failure = now;
        next.failures += 1;
        if next.failures >= FAILURES_PER_BURST {
            next.bursts = next.bursts.saturating_add(1);
            next.failures = 0;
            next.locked_until = now.saturating_add(lock_seconds(next.bursts));
        }
        next
    }

    /// Nothing worth keeping: a success resets to this.
    pub fn is_clean(&self) -> bool {
        *self == Self::default()
    }
}

/// Length of the `burst`-th lock (1-based): 30 s, 60 s, 120 s, ... capped at 15 minutes.
pub fn lock_seconds(burst: u32) -> u64 {
    let doublings = burst.saturating_sub(1).min(16);
    (FIRST_LOCK_SECONDS << doublings).min(MAX_LOCK_SECONDS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail_times(mut state: Lockout, times: u32, now: u64) -> Lockout {
        for _ in 0..times {
            state = state.record_failure(now);
        }
        state
    }

    #[test]
    fn four_failures_do_not_lock() {
        let state = fail_times(Lockout::default(), 4, 1_000);
        assert_eq!(state.retry_after(1_000), None);
        assert_eq!(state.failures, 4);
    }

    #[test]
    fn the_fifth_failure_locks_for_thirty_seconds() {
        let state = fail_times(Lockout::default(), 5, 1_000);
        assert_eq!(state.retry_after(1_000), Some(30));
        assert_eq!(state.retry_after(1_029), Some(1));
        assert_eq!(state.retry_after(1_030), None);
    }

    #[test]
    fn each_further_burst_doubles_the_lock_up_to_fifteen_minutes() {
        let mut state = Lockout::default();
        let mut now = 10_000;
        let mut seen = Vec::new();
        for _ in 0..8 {
            state = fail_times(state, 5, now);
            let wait = state.retry_after(now).unwrap();
            seen.push(wait);
            now += wait;
        }
        assert_eq!(seen, [30, 60, 120, 240, 480, 900, 900, 900]);
    }

    #[test]
    fn a_long_quiet_period_forgets_past_bursts() {
        let state = fail_times(Lockout::default(), 10, 0);
        assert_eq!(state.bursts, 2);
        let later = state.record_failure(FORGET_AFTER_SECONDS + 100);
        assert_eq!(later.bursts, 0);
        assert_eq!(later.failures, 1);
    }

    #[test]
    fn lock_length_never_overflows() {
        assert_eq!(lock_seconds(u32::MAX), MAX_LOCK_SECONDS);
        assert_eq!(lock_seconds(0), FIRST_LOCK_SECONDS);
    }

    #[test]
    fn default_state_is_clean_and_failures_are_not() {
        assert!(Lockout::default().is_clean());
        assert!(!Lockout::default().record_failure(5).is_clean());
    }
}
