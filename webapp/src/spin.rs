//! The Spin side, and the only file that knows the SDK: the wasi-http entry, auth, motus and
//! score over outbound HTTP (`*.spin.internal` service chaining) each call under the deadline of
//! [`spin_kit::outbound`], and the static files read from the mount.

use crate::app::App;
use crate::domain::Headers;
use crate::http::{self, ApiRequest};
use crate::siblings::{Answer, Call, Failure, Service, Siblings, Verb};
use spin_kit::clock::SystemClock;
use spin_kit::http::MAX_BODY_BYTES;
use spin_kit::outbound::{self, Deadlines};
use spin_kit::spin::{read_body, respond, Target};
use spin_sdk::http::{IncomingRequest, Method, Request, ResponseOutparam};
use spin_sdk::http_component;
use std::time::Duration;

#[http_component]
async fn handle(req: IncomingRequest, out: ResponseOutparam) {
    let Target {
        method,
        path,
        query,
    } = Target::of(&req);
    let headers = Headers::new(
        req.headers()
            .entries()
            .into_iter()
            .map(|(k, v)| (k, String::from_utf8_lossy(&v).into_owned())),
    );
    let body = if http::reads_body(&method, &path) {
        read_body(req, MAX_BODY_BYTES).await
    } else {
        Ok(Vec::new())
    };
    let siblings = SpinSiblings::configured().for_client(headers.spin("spin-client-addr"));
    // Unshifted: the clock only measures how long auth's expiry leaves the cookie, and auth's
    // clock is never shifted either.
    let access = match spin_kit::access::key_from_spin() {
        Ok(access) => access,
        Err(e) => return respond(out, e.into_response()).await,
    };
    let app = App::new(&siblings, SystemClock::new()).with_access(access);
    let request = ApiRequest {
        method: &method,
        path: &path,
        query: &query,
        headers: &headers,
        body: &body,
    };
    let response = http::handle(&app, &request, |path| std::fs::read(path).ok()).await;
    respond(out, response).await;
}

struct SpinSiblings {
    deadlines: Deadlines,
    /// The browser's address and the `internal_token` that makes auth believe it, so auth counts
    /// password attempts per browser rather than per webapp.
    forward: Option<(String, String)>,
}

impl SpinSiblings {
    /// With the deadlines this component is configured with.
    fn configured() -> Self {
        Self {
            deadlines: outbound::deadlines(),
            forward: None,
        }
    }

    /// Tells auth which client the calls are for, when the two share `internal_token`.
    fn for_client(mut self, client: Option<&str>) -> Self {
        let secret = spin_sdk::variables::get("internal_token").unwrap_or_default();
        self.forward = client
            .filter(|_| !secret.trim().is_empty())
            .map(|addr| (addr.to_owned(), secret));
        self
    }
}

/// Must match `allowed_outbound_hosts` in spin.toml.
fn base_url(service: Service) -> String {
    format!("http://{}.spin.internal", service.name())
}

/// Auth answers from its own store; motus may wait on auth and score, score on motus, so their
/// own timeouts must fire first for the answer to name the service really at fault.
fn deadline(service: Service, deadlines: Deadlines) -> Duration {
    match service {
        Service::Auth => deadlines.direct(),
        Service::Motus | Service::Score => deadlines.relayed(),
    }
}

impl Siblings for SpinSiblings {
    async fn call(&self, call: Call) -> Result<Answer, Failure> {
        let mut builder = Request::builder();
        builder
            .method(match call.verb {
                Verb::Get => Method::Get,
                Verb::Post => Method::Post,
            })
            .uri(format!("{}{}", base_url(call.service), call.path))
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
