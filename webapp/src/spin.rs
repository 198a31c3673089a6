//! [`Upstream`] over Spin's outbound HTTP (`*.spin.internal` service chaining), each call under
//! the deadline of [`spin_kit::outbound`] so a hung sibling is reported as unavailable rather than
//! hanging the page.

use crate::error::{Answer, Service};
use crate::upstream::{Call, Failure, Upstream, Verb};
use spin_kit::outbound::{self, Deadlines};
use spin_sdk::http::{Method, Request};
use std::time::Duration;

pub struct SpinUpstream {
    deadlines: Deadlines,
    /// The browser's address and the `internal_token` that makes auth believe it, so auth counts
    /// password attempts per browser rather than per webapp.
    forward: Option<(String, String)>,
}

impl SpinUpstream {
    /// With the deadlines this component is configured with.
    pub fn configured() -> Self {
        Self {
            deadlines: outbound::deadlines(),
            forward: None,
        }
    }

    /// Tells auth which client the calls are for, when the two share `internal_token`.
    pub fn for_client(mut self, client: Option<&str>) -> Self {
        let secret = spin_sdk::variables::get("internal_token").unwrap_or_default();
        self.forward = client
            .filter(|_| !secret.trim().is_empty())
            .map(|addr| (addr.to_owned(), secret));
        self
    }
}

/// Auth answers from its own store; motus may wait on auth and score, score on motus, so their
/// own timeouts must fire first for the answer to name the service really at fault.
fn deadline(service: Service, deadlines: Deadlines) -> Duration {
    match service {
        Service::Auth => deadlines.direct(),
        Service::Motus | Service::Score => deadlines.relayed(),
    }
}

impl Upstream for SpinUpstream {
    async fn call(&self, call: Call) -> Result<Answer, Failure> {
        let mut builder = Request::builder();
        builder
            .method(match call.verb {
                Verb::Get => Method::Get,
                Verb::Post => Method::Post,
            })
            .uri(format!("{}{}", call.service.base_url(), call.path))
            .header("accept", "application/json");
        if let Some(token) = &call.token {
            builder.header("authorization", format!("Bearer {token}"));
        }
        if let (Service::Auth, Some((addr, secret))) = (call.service, &self.forward) {
            builder.header("motus-forwarded-client", addr.as_str());
            builder.header("motus-internal-token", secret.as_str());
        }
        if let Some(body) = &call.body {
            builder
                .header("content-type", "application/json")
                .body(serde_json::to_vec(body).expect("a Value always serialises"));
        }
        let limit = deadline(call.service, self.deadlines);
        match outbound::send(builder.build(), limit).await {
            Ok(resp) => Ok(Answer {
                status: *resp.status(),
                retry_after: resp
                    .header("retry-after")
                    .and_then(|v| v.as_str())
                    .map(Into::into),
                body: resp.into_body(),
            }),
            Err(e) => {
                eprintln!("webapp: {} {}: {e}", call.service.name(), call.path);
                Err(match e {
                    outbound::Failure::TimedOut(_) => Failure::TimedOut,
                    outbound::Failure::Unreachable(_) => Failure::Unreachable,
                })
            }
        }
    }
}
