//! Limits on password attempts, as counters in fixed time windows.
//!
//! Each tier below keeps two counters per window: `fails`, the attempts found wrong, and `busy`,
//! the attempts being checked right now. An attempt first raises `busy` by an atomic increment,
//! reads `fails`, and goes on to hash the password only if `fails + busy` (itself included) stays
//! within the limit; a wrong password raises `fails` before it lowers `busy`. Since every attempt
//! that could still fail is counted in `busy` or already in `fails` when another decides, N
//! concurrent wrong passwords get at most as many hashes as the tier has failures left, however
//! they interleave. Only failures stay counted: a right password just leaves `busy`.
//!
//! A tier full of failures refuses at once (429, Retry-After until the window ends). A tier full
//! only of attempts in flight (a player's devices, or a benchmark, logging in at the same time)
//! makes the newcomer wait for a slot, up to [`MAX_WAIT`].
//!
//! The tiers, and why:
//! - per name and client, 5 a minute: a player who mistypes waits at most a minute; a guesser at
//!   one address gets 5 tries a minute...
//! - per name and client, 20 an hour: ...and no more than 480 a day;
//! - per name from every client, 100 an hour: guessing spread over many addresses is bounded
//!   too (2 400 a day per name).
//!
//! Counting per client means a stranger elsewhere cannot lock a player out by failing on their
//! name: only the stranger's own budget runs out. The price is the per-name tier: someone who
//! controls enough addresses (5 at full rate for an hour) can still lock a name for everyone until
//! the hour ends. auth/README.md and docs/security.md weigh that.
//!
//! Fixed windows rather than sliding ones: plain counters, no read-modify-write of a document,
//! and a window's counters are never written again once it is over, so an instance that dies
//! while holding a `busy` slot costs that slot until the window ends, no longer. At a boundary a
//! client may fit up to twice a tier's limit in a short time; the hourly tiers bound that.

use std::time::Duration;

/// How long an attempt waits for a slot held by attempts in flight before giving up with 429:
/// well within the webapp's deadline for auth (`sibling_timeout_ms`, 5 s by default), so the
/// browser hears auth's answer. Unit tests wait longer, so that a loaded test machine cannot
/// turn their exact counts into timeouts.
pub const MAX_WAIT: Duration = if cfg!(test) {
    Duration::from_secs(30)
} else {
    Duration::from_secs(3)
};

/// Whose attempts a tier counts together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One name from one client address.
    NameAndClient,
    /// One name from anywhere.
    Name,
}

/// At most `limit` failed attempts in each window of `window` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tier {
    pub scope: Scope,
    pub window: u64,
    pub limit: i64,
}

/// Checked in this order; the first full one decides the Retry-After.
pub const TIERS: [Tier; 3] = [
    Tier {
        scope: Scope::NameAndClient,
        window: 60,
        limit: 5,
    },
    Tier {
        scope: Scope::NameAndClient,
        window: 60 * 60,
        limit: 20,
    },
    Tier {
        scope: Scope::Name,
        window: 60 * 60,
        limit: 100,
    },
];

/// The two counters of one tier in one window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counters {
    /// Attempts being checked now.
    pub busy: String,
    /// Attempts found wrong.
    pub fails: String,
    /// Attempts waiting for a slot held by attempts in flight.
    pub waiting: String,
}

/// What a tier's counts say about an attempt that has just raised `busy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Room for it: hash the password.
    Go,
    /// Full of failures: refuse.
    Locked,
    /// Full only because of attempts in flight: wait for one to finish.
    Busy,
}

impl Tier {
    /// The counters of this tier for `name_key` and `client` in the window holding `now`.
    pub fn counters(&self, name_key: &str, client: &str, now: u64) -> Counters {
        let window = now / self.window;
        let who = match self.scope {
            Scope::NameAndClient => client,
            Scope::Name => "*",
        };
        // Names hold no ':' and the last fields are fixed words and numbers: keys cannot collide.
        let key = |kind: &str| format!("tries:{name_key}:{who}:{}:{window}:{kind}", self.window);
        Counters {
            busy: key("busy"),
            fails: key("fails"),
            waiting: key("waiting"),
        }
    }

    /// The counters of the window before the one holding `now`, which nothing reads any more.
    pub fn previous(&self, name_key: &str, client: &str, now: u64) -> Option<Counters> {
        let previous = now.checked_sub(self.window)?;
        Some(self.counters(name_key, client, previous))
    }

    /// `busy` counts the attempt asking.
    pub fn verdict(&self, fails: i64, busy: i64) -> Verdict {
        if fails >= self.limit {
            Verdict::Locked
        } else if fails + busy > self.limit {
            Verdict::Busy
        } else {
            Verdict::Go
        }
    }

    /// Seconds until the window holding `now` ends: when a full tier has room again.
    pub fn retry_after(&self, now: u64) -> u64 {
        self.window - now % self.window
    }
}

#[cfg(test)]
mod tests;
