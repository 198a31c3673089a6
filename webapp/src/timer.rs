//! A sleep future for the SDK's single-threaded executor, built on a wasi:clocks pollable.

use spin_executor::CancelOnDropToken;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use wasi::clocks::monotonic_clock;

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
