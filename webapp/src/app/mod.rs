//! The use cases of the backend-for-frontend: each one calls the sibling(s) that own the data,
//! with the session token as their bearer, and shapes one answer for the browser. Generic over
//! [`Siblings`] so every use case runs natively against scripted siblings.

mod access;
mod account;
mod challenges;
mod games;
mod health;
mod me;
mod reads;

pub use access::Bearer;
pub use account::{Entry, Opened};
pub use health::Health;
pub use me::Who;

use crate::siblings::{Answer, Call, Failure, Service, Siblings};
use serde_json::Value;
use spin_kit::access::AccessKey;
use spin_kit::clock::Clock;

pub struct App<'a, S, C> {
    siblings: &'a S,
    /// For the cookie lifetime left until auth's expiry, the next daily word's hour, and the
    /// access tokens' expiry.
    clock: C,
    /// Checks the access tokens the browser holds; `None`: access tokens are off.
    access: Option<AccessKey>,
}

/// Why a use case has no answer of its own to give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppError {
    /// The browser holds no session cookie.
    Unauthenticated,
    /// The sibling could not be reached, did not answer in time, or says it is down.
    Unavailable(Service),
    /// The sibling answered with a 5xx or with a body we cannot read.
    BadGateway(Service),
    /// The sibling refused the request (4xx): its answer goes back to the browser.
    Refused(Service, Answer),
}

/// A sibling's JSON answer, passed on with its status (motus: 201 new game, 200 existing one).
#[derive(Debug, Clone, PartialEq)]
pub struct Relayed {
    pub status: u16,
    pub body: Value,
}

impl<'a, S: Siblings, C: Clock> App<'a, S, C> {
    pub fn new(siblings: &'a S, clock: C) -> Self {
        Self {
            siblings,
            clock,
            access: None,
        }
    }

    /// Checks access tokens with `key` (none: access tokens are off).
    pub fn with_access(mut self, key: Option<AccessKey>) -> Self {
        self.access = key;
        self
    }

    /// Unix seconds now, as the app's clock says.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    async fn fetch(&self, call: Call) -> Result<Answer, AppError> {
        let service = call.service;
        classify(service, self.siblings.call(call).await)
    }
}

/// Sorts a sibling's outcome: 2xx is ours to use, 4xx is relayed as is, 5xx and silence are the
/// sibling's fault and reported as such. A 503 is an outage, and names the service that is really
/// down when the sibling says so (motus's 503 with `"service":"auth"`): the player then reads
/// "auth does not answer" rather than "motus failed".
pub fn classify(service: Service, outcome: Result<Answer, Failure>) -> Result<Answer, AppError> {
    match outcome {
        Err(_) => Err(AppError::Unavailable(service)),
        Ok(a) if a.status == 503 => Err(AppError::Unavailable(
            unavailable_dependency(&a).unwrap_or(service),
        )),
        Ok(a) if a.status >= 500 => Err(AppError::BadGateway(service)),
        Ok(a) if a.status >= 400 => Err(AppError::Refused(service, a)),
        // Siblings never redirect; a 1xx/3xx here means something is misrouted.
        Ok(a) if !(200..300).contains(&a.status) => Err(AppError::BadGateway(service)),
        Ok(a) => Ok(a),
    }
}

/// The service a sibling's 503 names as down: its error's `service` field, or (from siblings
/// that still say it in the code) a code of the form `<service>_unavailable`.
fn unavailable_dependency(answer: &Answer) -> Option<Service> {
    let body: Value = serde_json::from_slice(&answer.body).ok()?;
    let error = &body["error"];
    let named = |s: &Service| {
        error["service"].as_str() == Some(s.name())
            || error["code"]
                .as_str()
                .and_then(|c| c.strip_suffix("_unavailable"))
                == Some(s.name())
    };
    Service::ALL.into_iter().find(named)
}

/// The JSON body of a successful answer; unreadable JSON is the sibling's fault.
pub fn json_of(service: Service, answer: &Answer) -> Result<Value, AppError> {
    serde_json::from_slice(&answer.body).map_err(|_| AppError::BadGateway(service))
}

/// Passes a sibling's success through, status included, after checking it is JSON.
fn relay(service: Service, answer: Answer) -> Result<Relayed, AppError> {
    Ok(Relayed {
        status: answer.status,
        body: json_of(service, &answer)?,
    })
}

fn required(token: Option<&str>) -> Result<&str, AppError> {
    token.ok_or(AppError::Unauthenticated)
}

#[cfg(test)]
mod tests;
