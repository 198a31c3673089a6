//! The time of day as a port: use cases ask a [`Clock`] instead of reading the system time, so
//! their tests fix it and the black-box tests can move it with the `clock_offset_seconds`
//! variable.
//!
//! Used by auth (session expiry, lockout windows), motus (the Paris day and game timestamps),
//! score (today's date) and the webapp (the session cookie's lifetime). Only motus and score
//! shift their clock: the day they agree on is what the offset exists to move.
//!
//! Time is Unix seconds as `i64`: signed so an offset can move it back, and the type the
//! calendar ([`crate::calendar::Date::in_paris`]) takes. Services that store `u64` times convert
//! at their edge (`u64::try_from(now).unwrap_or(0)`).

#[cfg(any(test, feature = "memory"))]
use std::sync::atomic::{AtomicI64, Ordering};

/// The Spin variable that shifts a service's clock, so a test can see a Paris day end. A test
/// knob: 0 (or unset) in production.
pub const OFFSET_VARIABLE: &str = "clock_offset_seconds";

pub trait Clock {
    /// Unix seconds now.
    fn now(&self) -> i64;
}

impl<C: Clock + ?Sized> Clock for &C {
    fn now(&self) -> i64 {
        (**self).now()
    }
}

/// The host's wall clock (`wasi:clocks` in a component), moved by a fixed offset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SystemClock {
    offset_seconds: i64,
}

impl SystemClock {
    /// The wall clock as it is.
    pub const fn new() -> Self {
        Self { offset_seconds: 0 }
    }

    /// The wall clock moved by `offset_seconds` (see [`OFFSET_VARIABLE`]).
    pub const fn shifted(offset_seconds: i64) -> Self {
        Self { offset_seconds }
    }
}

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        // A clock set before 1970 reads as the epoch: no caller has a use for earlier times.
        let wall = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        wall.saturating_add(self.offset_seconds)
    }
}

/// An [`OFFSET_VARIABLE`] the service cannot use: answer `misconfigured`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidOffset {
    #[error("{OFFSET_VARIABLE}: not an integer: {0:?}")]
    NotAnInteger(String),
    #[error("{OFFSET_VARIABLE}: {0}")]
    Unreadable(String),
}

/// Reads the offset variable's value: unset or blank is no offset; anything else must be an
/// integer, so a mistyped test setting fails loudly (as `misconfigured`) instead of leaving
/// the clock unmoved.
pub fn parse_offset(value: Option<&str>) -> Result<i64, InvalidOffset> {
    match value.map(str::trim) {
        None | Some("") => Ok(0),
        Some(text) => text
            .parse()
            .map_err(|_| InvalidOffset::NotAnInteger(text.to_owned())),
    }
}

/// The component's clock: the wall clock shifted by [`OFFSET_VARIABLE`] (undefined in the
/// manifest: not shifted).
#[cfg(feature = "spin")]
pub fn from_variables() -> Result<SystemClock, InvalidOffset> {
    use spin_sdk::variables;
    let value = match variables::get(OFFSET_VARIABLE) {
        Ok(value) => Some(value),
        Err(variables::Error::Undefined(_)) => None,
        Err(e) => return Err(InvalidOffset::Unreadable(e.to_string())),
    };
    parse_offset(value.as_deref()).map(SystemClock::shifted)
}

/// A clock tests set and move by hand; shared by reference, so it moves under a use case that
/// holds it.
#[cfg(any(test, feature = "memory"))]
#[derive(Debug, Default)]
pub struct FixedClock(AtomicI64);

#[cfg(any(test, feature = "memory"))]
impl FixedClock {
    pub fn at(unix_seconds: i64) -> Self {
        Self(AtomicI64::new(unix_seconds))
    }

    pub fn set(&self, unix_seconds: i64) {
        self.0.store(unix_seconds, Ordering::SeqCst);
    }

    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

#[cfg(any(test, feature = "memory"))]
impl Clock for FixedClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests;
