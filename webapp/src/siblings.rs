//! Calls to sibling services, behind a small trait so the API logic runs against a fake in tests.

use crate::error::{Answer, ApiError, Service};
use serde_json::Value;

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

/// Why a sibling gave no answer at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    Unreachable,
    TimedOut,
}

#[allow(async_fn_in_trait)] // only used with concrete types inside this crate
pub trait Upstream {
    async fn call(&self, call: Call) -> Result<Answer, Failure>;
}

/// Sorts a sibling's outcome: 2xx is ours to use, 4xx is relayed as is, 5xx and silence are the
/// sibling's fault and reported as such. A 503 is an outage, and names the service that is really
/// down when the sibling says so (motus's `auth_unavailable`): the player then reads "auth does
/// not answer" rather than "motus failed".
pub fn classify(service: Service, outcome: Result<Answer, Failure>) -> Result<Answer, ApiError> {
    match outcome {
        Err(_) => Err(ApiError::Unavailable(service)),
        Ok(a) if a.status == 503 => Err(ApiError::Unavailable(
            unavailable_dependency(&a).unwrap_or(service),
        )),
        Ok(a) if a.status >= 500 => Err(ApiError::BadGateway(service)),
        Ok(a) if a.status >= 400 => Err(ApiError::Refused(a)),
        // Siblings never redirect; a 1xx/3xx here means something is misrouted.
        Ok(a) if !(200..300).contains(&a.status) => Err(ApiError::BadGateway(service)),
        Ok(a) => Ok(a),
    }
}

/// The service named by an error code of the form `<service>_unavailable`.
fn unavailable_dependency(answer: &Answer) -> Option<Service> {
    let body: Value = serde_json::from_slice(&answer.body).ok()?;
    let code = body["error"]["code"].as_str()?;
    [Service::Auth, Service::Motus, Service::Score]
        .into_iter()
        .find(|s| code.strip_suffix("_unavailable") == Some(s.name()))
}

/// The JSON body of a successful answer; unreadable JSON is the sibling's fault.
pub fn json_of(service: Service, answer: &Answer) -> Result<Value, ApiError> {
    serde_json::from_slice(&answer.body).map_err(|_| ApiError::BadGateway(service))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16) -> Answer {
        Answer {
            status,
            retry_after: None,
            body: b"{}".to_vec(),
        }
    }

    #[test]
    fn outcomes_are_sorted_by_whose_fault_they_are() {
        let s = Service::Score;
        assert_eq!(classify(s, Ok(answer(200))), Ok(answer(200)));
        assert_eq!(classify(s, Ok(answer(201))), Ok(answer(201)));
        assert_eq!(
            classify(s, Ok(answer(422))),
            Err(ApiError::Refused(answer(422)))
        );
        assert_eq!(classify(s, Ok(answer(500))), Err(ApiError::BadGateway(s)));
        assert_eq!(classify(s, Ok(answer(503))), Err(ApiError::Unavailable(s)));
        assert_eq!(classify(s, Ok(answer(302))), Err(ApiError::BadGateway(s)));
        assert_eq!(
            classify(s, Err(Failure::Unreachable)),
            Err(ApiError::Unavailable(s))
        );
        assert_eq!(
            classify(s, Err(Failure::TimedOut)),
            Err(ApiError::Unavailable(s))
        );
    }

    #[test]
    fn a_sibling_reporting_its_dependency_down_names_that_dependency() {
        let down = |code: &str| Answer {
            status: 503,
            retry_after: None,
            body: format!(r#"{{"error":{{"code":"{code}","message":"m"}}}}"#).into_bytes(),
        };
        let motus = Service::Motus;
        assert_eq!(
            classify(motus, Ok(down("auth_unavailable"))),
            Err(ApiError::Unavailable(Service::Auth))
        );
        assert_eq!(
            classify(motus, Ok(down("score_unavailable"))),
            Err(ApiError::Unavailable(Service::Score))
        );
        assert_eq!(
            classify(motus, Ok(down("db_unavailable"))),
            Err(ApiError::Unavailable(motus))
        );
        assert_eq!(
            classify(motus, Ok(down("busy"))),
            Err(ApiError::Unavailable(motus))
        );
    }

    #[test]
    fn a_success_that_is_not_json_is_a_bad_gateway() {
        let bad = Answer {
            status: 200,
            retry_after: None,
            body: b"<html>".to_vec(),
        };
        assert_eq!(
            json_of(Service::Motus, &bad),
            Err(ApiError::BadGateway(Service::Motus))
        );
    }
}
