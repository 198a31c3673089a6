//! The calls the webapp makes to auth, motus and score, as plain data behind one trait: over
//! Spin service chaining in the component (`spin.rs`), scripted in the native tests.

use serde_json::Value;

/// A sibling component, reached through Spin service chaining.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    Auth,
    Motus,
    Score,
}

impl Service {
    pub const ALL: [Service; 3] = [Service::Auth, Service::Motus, Service::Score];

    /// Also the component id in spin.toml and the `service` named in error bodies.
    pub fn name(self) -> &'static str {
        match self {
            Service::Auth => "auth",
            Service::Motus => "motus",
            Service::Score => "score",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub service: Service,
    pub verb: Verb,
    /// Path and query on the sibling, e.g. `/score/alice/history?limit=5`.
    pub path: String,
    /// Sent as `Authorization: Bearer <token>`.
    pub token: Option<String>,
    pub body: Option<Value>,
}

impl Call {
    pub fn get(service: Service, path: impl Into<String>, token: Option<&str>) -> Call {
        Call {
            service,
            verb: Verb::Get,
            path: path.into(),
            token: token.map(Into::into),
            body: None,
        }
    }

    pub fn post(
        service: Service,
        path: impl Into<String>,
        token: Option<&str>,
        body: Value,
    ) -> Call {
        Call {
            service,
            verb: Verb::Post,
            path: path.into(),
            token: token.map(Into::into),
            body: Some(body),
        }
    }
}

/// What a sibling answered, whatever the status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    /// Relayed with a refusal (auth's lockout says when to try again).
    pub retry_after: Option<String>,
    pub body: Vec<u8>,
}

/// Why a sibling gave no answer at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    Unreachable,
    TimedOut,
}

#[allow(async_fn_in_trait)] // only used with concrete types inside this crate
pub trait Siblings {
    async fn call(&self, call: Call) -> Result<Answer, Failure>;
}
