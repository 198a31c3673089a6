//! [`Upstream`] over Spin's outbound HTTP (`*.spin.internal` service chaining).

use crate::error::Answer;
use crate::timer;
use crate::upstream::{Call, Failure, Upstream, Verb};
use futures::future::{select, Either};
use spin_sdk::http::{send, ErrorCode, Method, Request, Response, SendError};
use std::time::Duration;

/// A sibling that has not answered by then is reported as unavailable rather than hanging the page.
const DEADLINE: Duration = Duration::from_secs(8);

pub struct SpinUpstream;

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
        if let Some(body) = &call.body {
            builder
                .header("content-type", "application/json")
                .body(serde_json::to_vec(body).expect("a Value always serialises"));
        }
        let sending = std::pin::pin!(send::<_, Response>(builder.build()));
        let deadline = std::pin::pin!(timer::sleep(DEADLINE));
        match select(sending, deadline).await {
            Either::Left((Ok(resp), _)) => Ok(Answer {
                status: *resp.status(),
                retry_after: resp
                    .header("retry-after")
                    .and_then(|v| v.as_str())
                    .map(Into::into),
                body: resp.into_body(),
            }),
            Either::Left((Err(SendError::Http(ErrorCode::ConnectionTimeout)), _)) => {
                Err(Failure::TimedOut)
            }
            Either::Left((Err(_), _)) => Err(Failure::Unreachable),
            Either::Right(_) => Err(Failure::TimedOut),
        }
    }
}
