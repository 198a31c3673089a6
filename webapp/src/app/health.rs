//! Whether the app can serve: each sibling's own health route, asked at once.

use super::App;
use crate::siblings::{Call, Service, Siblings};
use spin_kit::clock::Clock;

/// Each sibling, and whether its health route answered 200 (its store answers a read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health(pub Vec<(Service, bool)>);

impl Health {
    pub fn all_up(&self) -> bool {
        self.0.iter().all(|(_, up)| *up)
    }
}

/// The sibling's health route, e.g. `/score/health`.
fn health_path(service: Service) -> String {
    format!("/{}/health", service.name())
}

impl<S: Siblings, C: Clock> App<'_, S, C> {
    /// Public and cheap: one read per sibling store, the three calls in parallel, each under the
    /// sibling deadline. No answer, a timeout, or anything but 200 counts as down.
    pub async fn health(&self) -> Health {
        let ask = |service| async move {
            let outcome = self
                .siblings
                .call(Call::get(service, health_path(service), None))
                .await;
            (
                service,
                matches!(outcome, Ok(answer) if answer.status == 200),
            )
        };
        Health(futures::future::join_all(Service::ALL.map(ask)).await)
    }
}
