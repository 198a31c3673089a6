//! Limits on password attempts, as counters in fixed time windows.
//!
//! Every attempt (login, or the password check of the password-change and delete routes) takes
//! one slot in each tier below *before* the password is hashed, by an atomic increment; when a
//! tier is full the attempt is refused (429) without hashing and gives its slots back. A correct
//! password gives its slots back too, so only failures stay counted. Because the increment is
//! the decision, N concurrent attempts let through exactly as many hashes as a tier has slots
//! left, however they interleave.
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
//! Fixed windows rather than sliding ones: one counter per tier and window, no read-modify-write
//! of a document, and a window's key is never written again once it is over. At a boundary a
//! client may fit up to twice a tier's limit in a short time; the hourly tiers bound that.

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

impl Tier {
    /// The counter of this tier for `name_key` and `client` in the window holding `now`.
    pub fn key(&self, name_key: &str, client: &str, now: u64) -> String {
        let window = now / self.window;
        let who = match self.scope {
            Scope::NameAndClient => client,
            Scope::Name => "*",
        };
        // Names hold no ':' and the two last fields are numbers, so keys cannot collide.
        format!("tries:{name_key}:{who}:{}:{window}", self.window)
    }

    /// The counter of the window before the one holding `now`, which nothing reads any more.
    pub fn previous_key(&self, name_key: &str, client: &str, now: u64) -> Option<String> {
        let previous = now.checked_sub(self.window)?;
        Some(self.key(name_key, client, previous))
    }

    /// Seconds until the window holding `now` ends: when a full tier has room again.
    pub fn retry_after(&self, now: u64) -> u64 {
        self.window - now % self.window
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_player_who_mistypes_waits_at_most_a_minute() {
        let first = TIERS[0];
        assert_eq!((first.limit, first.window), (5, 60));
        assert_eq!(first.retry_after(120), 60);
        assert_eq!(first.retry_after(179), 1);
        assert_eq!(first.retry_after(180), 60);
    }

    #[test]
    fn one_window_one_key_and_the_next_window_another() {
        let tier = TIERS[0];
        let a = tier.key("zoe", "127.0.0.1", 120);
        assert_eq!(a, "tries:zoe:127.0.0.1:60:2");
        assert_eq!(tier.key("zoe", "127.0.0.1", 179), a);
        assert_ne!(tier.key("zoe", "127.0.0.1", 180), a);
        assert_eq!(tier.previous_key("zoe", "127.0.0.1", 180), Some(a));
        assert_eq!(tier.previous_key("zoe", "127.0.0.1", 59), None);
    }

    #[test]
    fn client_tiers_separate_clients_and_the_name_tier_does_not() {
        let [minute, hour, name] = TIERS;
        for tier in [minute, hour] {
            assert_ne!(
                tier.key("zoe", "10.0.0.1", 0),
                tier.key("zoe", "10.0.0.2", 0)
            );
        }
        assert_eq!(
            name.key("zoe", "10.0.0.1", 0),
            name.key("zoe", "10.0.0.2", 0)
        );
        assert_ne!(
            name.key("zoe", "10.0.0.1", 0),
            name.key("zoé", "10.0.0.1", 0)
        );
        assert_ne!(minute.key("zoe", "x", 0), hour.key("zoe", "x", 0));
    }

    #[test]
    fn the_hourly_tiers_bound_a_day_of_guessing() {
        let per_day = |tier: Tier| tier.limit as u64 * (86_400 / tier.window);
        assert_eq!(per_day(TIERS[1]), 480, "one client on one name");
        assert_eq!(per_day(TIERS[2]), 2_400, "every client on one name");
        assert!(TIERS[0].limit < TIERS[1].limit && TIERS[1].limit < TIERS[2].limit);
    }
}
