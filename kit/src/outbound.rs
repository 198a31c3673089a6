//! Deadlines on calls to sibling components, so that one hung service cannot hang another.
//!
//! Spin gives a WASIp2 component no deadline of its own (Spin 4's `--request-timeout` covers
//! WASIp3 only), so a sibling that never answers keeps its caller waiting for ever, and the
//! caller's caller behind it. wasi:http's `request-options` (connect, first-byte, between-bytes
//! timeouts) would be the natural tool, but a host may ignore them for `*.spin.internal` calls,
//! which never touch the network: ours dispatches them in-process and applies none. So the
//! caller keeps its own clock: the response future races a wasi:clocks timer on the SDK's
//! executor, and whichever finishes first wins. That works the same on every host.
//!
//! Two deadlines, so that an answer naming the service really at fault arrives before the
//! caller behind it gives up: [`Deadlines::direct`] for a service that answers from its own
//! store, [`Deadlines::relayed`] (half as long again) for one that may itself wait on a sibling
//! with the direct deadline. The direct one is the Spin variable `sibling_timeout_ms` when the
//! component declares it, 5 s otherwise.

use std::time::Duration;

/// The Spin variable that sets [`Deadlines::direct`], in milliseconds.
pub const VARIABLE: &str = "sibling_timeout_ms";

const DEFAULT_DIRECT: Duration = Duration::from_secs(5);
/// A setting outside this range is a typo rather than a wish: below it ordinary calls would
/// fail, above it a hung sibling would hold a browser longer than anyone waits.
const SANE: std::ops::RangeInclusive<u64> = 100..=120_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    direct: Duration,
}

impl Default for Deadlines {
    fn default() -> Self {
        Self {
            direct: DEFAULT_DIRECT,
        }
    }
}

impl Deadlines {
    /// From the variable's value: whole milliseconds; absent, empty or unusable means the default.
    pub fn from_setting(setting: Option<&str>) -> Self {
        setting
            .and_then(|s| s.trim().parse::<u64>().ok())
            .filter(|ms| SANE.contains(ms))
            .map(|ms| Self {
                direct: Duration::from_millis(ms),
            })
            .unwrap_or_default()
    }

    /// For a call to a service that answers without calling a sibling of its own.
    pub fn direct(self) -> Duration {
        self.direct
    }

    /// For a call to a service that may itself wait up to [`Self::direct`] on a sibling: long
    /// enough to receive its answer naming that sibling rather than time out first.
    pub fn relayed(self) -> Duration {
        self.direct * 3 / 2
    }
}

/// Why a sibling call produced no response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No complete answer within the deadline.
    TimedOut(Duration),
    /// Refused, not found, or broken before an answer came.
    Unreachable(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::TimedOut(after) => write!(f, "no answer within {} ms", after.as_millis()),
            Failure::Unreachable(why) => write!(f, "unreachable ({why})"),
        }
    }
}

#[cfg(feature = "spin")]
pub use wasi_side::{deadlines, send, sleep, within, Sleep};

#[cfg(feature = "spin")]
mod wasi_side {
    use super::{Deadlines, Failure, VARIABLE};
    use futures::future::{select, Either};
    use spin_executor::CancelOnDropToken;
    use spin_sdk::http::{ErrorCode, Request, Response, SendError};
    use std::future::Future;
    use std::pin::{pin, Pin};
    use std::task::{Context, Poll};
    use std::time::Duration;
    use wasi::clocks::monotonic_clock;

    /// The deadlines this component is configured with (see [`super::VARIABLE`]).
    pub fn deadlines() -> Deadlines {
        Deadlines::from_setting(spin_sdk::variables::get(VARIABLE).ok().as_deref())
    }

    /// Sends `request` and reads the whole response, or gives up after `limit`. Giving up drops
    /// the outgoing request, which tells the host it may stop the call.
    pub async fn send(request: Request, limit: Duration) -> Result<Response, Failure> {
        match within(limit, spin_sdk::http::send::<_, Response>(request)).await {
            Some(Ok(response)) => Ok(response),
            // A host that does apply timeouts of its own reports them like this.
            Some(Err(SendError::Http(
                ErrorCode::ConnectionTimeout | ErrorCode::ConnectionReadTimeout,
            ))) => Err(Failure::TimedOut(limit)),
            Some(Err(e)) => Err(Failure::Unreachable(e.to_string())),
            None => Err(Failure::TimedOut(limit)),
        }
    }

    /// `work`'s output, or `None` when `limit` passes first.
    pub async fn within<F: Future>(limit: Duration, work: F) -> Option<F::Output> {
        match select(pin!(work), pin!(sleep(limit))).await {
            Either::Left((output, _)) => Some(output),
            Either::Right(_) => None,
        }
    }

    /// A timer on the SDK's single-threaded executor, built on a wasi:clocks pollable.
    pub struct Sleep {
        deadline: monotonic_clock::Instant,
        // Dropping the token unregisters the pollable, so an abandoned timer costs nothing.
        registration: Option<CancelOnDropToken>,
    }

    pub fn sleep(duration: Duration) -> Sleep {
        let nanos = u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX);
        Sleep {
            deadline: monotonic_clock::now().saturating_add(nanos),
            registration: None,
        }
    }

    impl Future for Sleep {
        type Output = ();

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if monotonic_clock::now() >= self.deadline {
                self.registration = None;
                return Poll::Ready(());
            }
            let pollable = monotonic_clock::subscribe_instant(self.deadline);
            let token = spin_executor::push_waker_and_get_token(pollable, cx.waker().clone());
            self.registration = Some(token.into());
            Poll::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_direct_deadline_is_five_seconds_unless_configured() {
        for unset in [None, Some(""), Some("soon"), Some("-1"), Some("5.5")] {
            assert_eq!(
                Deadlines::from_setting(unset).direct(),
                Duration::from_secs(5),
                "{unset:?}"
            );
        }
        assert_eq!(
            Deadlines::from_setting(Some(" 1200 ")).direct(),
            Duration::from_millis(1200)
        );
    }

    #[test]
    fn settings_outside_the_sane_range_fall_back_to_the_default() {
        for odd in ["0", "99", "120001", "18446744073709551615"] {
            assert_eq!(
                Deadlines::from_setting(Some(odd)),
                Deadlines::default(),
                "{odd}"
            );
        }
    }

    #[test]
    fn a_relayed_call_waits_long_enough_to_hear_a_direct_call_time_out() {
        for ms in ["100", "1000", "5000", "120000"] {
            let d = Deadlines::from_setting(Some(ms));
            assert!(d.relayed() > d.direct(), "{ms}");
            assert_eq!(d.relayed(), d.direct() + d.direct() / 2, "{ms}");
        }
    }

    #[test]
    fn failures_read_as_sentences_in_logs() {
        assert_eq!(
            Failure::TimedOut(Duration::from_millis(1500)).to_string(),
            "no answer within 1500 ms"
        );
        assert_eq!(
            Failure::Unreachable("refused".into()).to_string(),
            "unreachable (refused)"
        );
    }
}
