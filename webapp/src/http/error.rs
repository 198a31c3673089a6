//! The one mapping from what can go wrong to the JSON error the browser gets: the webapp's own
//! refusals and the siblings' failures as codes of the kit's catalogue, a sibling's refusal
//! relayed as it came.

use crate::app::AppError;
use crate::domain::origin::CrossSite;
use crate::domain::query::InvalidQuery;
use crate::domain::static_path::Refusal;
use crate::siblings::{Answer, Service};
use serde_json::Value;
use spin_kit::errors::{ApiError, Code};
use spin_kit::http::ApiResponse;

/// How long a browser should wait before retrying a sibling that is down.
const RETRY_AFTER_OUTAGE: &str = "5";

/// What a route can fail with: a refusal of the webapp's own, or a use case's error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteError {
    Api(ApiError),
    App(AppError),
}

impl From<ApiError> for RouteError {
    fn from(e: ApiError) -> Self {
        RouteError::Api(e)
    }
}

impl From<Code> for RouteError {
    fn from(code: Code) -> Self {
        RouteError::Api(ApiError::new(code))
    }
}

impl From<AppError> for RouteError {
    fn from(e: AppError) -> Self {
        RouteError::App(e)
    }
}

impl From<CrossSite> for RouteError {
    fn from(_: CrossSite) -> Self {
        Code::CrossSite.into()
    }
}

impl From<InvalidQuery> for RouteError {
    fn from(InvalidQuery(what): InvalidQuery) -> Self {
        ApiError::with_message(Code::InvalidQuery, format!("Paramètre invalide : {what}.")).into()
    }
}

/// Traversal attempts are bad requests; paths that merely cannot name a file are not found.
impl From<Refusal> for RouteError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Traversal => Code::InvalidPath.into(),
            Refusal::NotFound => Code::NotFound.into(),
        }
    }
}

impl RouteError {
    pub fn into_response(self) -> ApiResponse {
        match self {
            RouteError::Api(e) => e.into_response(),
            RouteError::App(AppError::Unauthenticated) => {
                ApiError::new(Code::Unauthenticated).into_response()
            }
            RouteError::App(AppError::Unavailable(s)) => sibling_failed(
                Code::ServiceUnavailable,
                s,
                format!("Le service {} ne répond pas.", s.name()),
            )
            .header("retry-after", RETRY_AFTER_OUTAGE)
            .into_response(),
            RouteError::App(AppError::BadGateway(s)) => sibling_failed(
                Code::BadGateway,
                s,
                format!("Le service {} a rencontré une erreur.", s.name()),
            )
            .into_response(),
            RouteError::App(AppError::Refused(s, answer)) => relay_refusal(s, answer),
        }
    }
}

fn sibling_failed(code: Code, service: Service, message: String) -> ApiError {
    ApiError::with_message(code, message).service(service.name())
}

/// Keeps a sibling's error body when it already has the shared shape, so its reason (e.g. motus's
/// 422 `not_in_dictionary`) reaches the UI verbatim; otherwise wraps it in that shape with the
/// catalogue's code for its status. A refusal whose status the catalogue has no code for is not
/// one a sibling of ours makes: it is reported as that sibling's error.
fn relay_refusal(service: Service, answer: Answer) -> ApiResponse {
    let shaped = serde_json::from_slice::<Value>(&answer.body)
        .ok()
        .filter(|v| v["error"]["code"].is_string());
    let mut response = match (shaped, refusal_code(answer.status)) {
        (Some(body), _) => ApiResponse::json(answer.status, &body),
        (None, Some(code)) => ApiError::new(code).into_response(),
        (None, None) => {
            return sibling_failed(
                Code::BadGateway,
                service,
                format!("Le service {} a rencontré une erreur.", service.name()),
            )
            .into_response()
        }
    };
    if let Some(after) = answer.retry_after {
        response = response.header("retry-after", after);
    }
    response
}

/// The catalogue's code for a refusal that came without one.
fn refusal_code(status: u16) -> Option<Code> {
    Some(match status {
        400 => Code::InvalidJson,
        401 => Code::Unauthenticated,
        403 => Code::Forbidden,
        404 => Code::NotFound,
        405 => Code::MethodNotAllowed,
        409 => Code::Conflict,
        413 => Code::PayloadTooLarge,
        415 => Code::UnsupportedMediaType,
        422 => Code::Unprocessable,
        429 => Code::TooManyRequests,
        _ => return None,
    })
}
