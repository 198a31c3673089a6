//! The one mapping from what can go wrong to the JSON error the browser gets.

use crate::app::AppError;
use crate::domain::origin::CrossSite;
use crate::domain::query::InvalidQuery;
use crate::siblings::{Answer, Service};
use serde_json::{json, Value};
use spin_kit::http::ApiResponse;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteError {
    BadPath,
    NotFound,
    MethodNotAllowed(&'static str),
    CrossSite,
    UnsupportedMediaType,
    PayloadTooLarge,
    InvalidJson,
    InvalidQuery(&'static str),
    App(AppError),
}

impl From<AppError> for RouteError {
    fn from(e: AppError) -> Self {
        RouteError::App(e)
    }
}

impl From<CrossSite> for RouteError {
    fn from(_: CrossSite) -> Self {
        RouteError::CrossSite
    }
}

impl From<InvalidQuery> for RouteError {
    fn from(InvalidQuery(what): InvalidQuery) -> Self {
        RouteError::InvalidQuery(what)
    }
}

impl RouteError {
    fn parts(&self) -> (u16, &'static str, String) {
        match self {
            RouteError::BadPath => (400, "invalid_path", "Chemin invalide.".into()),
            RouteError::NotFound => (404, "not_found", "Ressource introuvable.".into()),
            RouteError::MethodNotAllowed(_) => (
                405,
                "method_not_allowed",
                "Méthode non autorisée pour cette adresse.".into(),
            ),
            RouteError::App(AppError::Unauthenticated) => {
                (401, "unauthenticated", "Vous n'êtes pas connecté·e.".into())
            }
            RouteError::CrossSite => (
                403,
                "cross_site",
                "Requête venant d'un autre site refusée.".into(),
            ),
            RouteError::UnsupportedMediaType => (
                415,
                "unsupported_media_type",
                "Le corps de la requête doit être du JSON (Content-Type: application/json).".into(),
            ),
            RouteError::PayloadTooLarge => (
                413,
                "payload_too_large",
                "Le corps de la requête est trop volumineux.".into(),
            ),
            RouteError::InvalidJson => (
                400,
                "invalid_json",
                "Le corps de la requête n'est pas un objet JSON valide.".into(),
            ),
            RouteError::InvalidQuery(what) => (
                400,
                "invalid_query",
                format!("Paramètre invalide : {what}."),
            ),
            RouteError::App(AppError::Unavailable(s)) => (
                503,
                "service_unavailable",
                format!("Le service {} ne répond pas.", s.name()),
            ),
            RouteError::App(AppError::BadGateway(s)) => (
                502,
                "bad_gateway",
                format!("Le service {} a rencontré une erreur.", s.name()),
            ),
            RouteError::App(AppError::Refused(a)) => (a.status, "", String::new()),
        }
    }

    pub fn status(&self) -> u16 {
        self.parts().0
    }

    pub fn into_response(self) -> ApiResponse {
        if let RouteError::App(AppError::Refused(answer)) = self {
            return relay_refusal(answer);
        }
        let (status, code, message) = self.parts();
        let mut error = json!({ "code": code, "message": message });
        let failed: Option<Service> = match self {
            RouteError::App(AppError::Unavailable(s) | AppError::BadGateway(s)) => Some(s),
            _ => None,
        };
        if let Some(s) = failed {
            error["service"] = json!(s.name());
        }
        let mut response = ApiResponse::json(status, &json!({ "error": error }));
        if let RouteError::MethodNotAllowed(allow) = self {
            response.headers.push(("allow", allow.into()));
        }
        if status == 503 {
            response.headers.push(("retry-after", "5".into()));
        }
        response
    }
}

/// Keeps a sibling's error body when it already has the shared shape, so its reason (e.g. motus's
/// 422 "not in dictionary") reaches the UI verbatim; otherwise wraps it in that shape.
fn relay_refusal(answer: Answer) -> ApiResponse {
    let shaped = serde_json::from_slice::<Value>(&answer.body)
        .ok()
        .filter(|v| v["error"]["code"].is_string());
    let mut response = match shaped {
        Some(body) => ApiResponse::json(answer.status, &body),
        None => {
            let (code, message) = generic_refusal(answer.status);
            ApiResponse::json(
                answer.status,
                &json!({"error": {"code": code, "message": message}}),
            )
        }
    };
    if let Some(after) = answer.retry_after {
        response.headers.push(("retry-after", after));
    }
    response
}

fn generic_refusal(status: u16) -> (&'static str, &'static str) {
    match status {
        401 => ("unauthenticated", "Vous n'êtes pas connecté·e."),
        403 => ("forbidden", "Accès refusé."),
        404 => ("not_found", "Ressource introuvable."),
        409 => ("conflict", "Conflit avec l'état actuel."),
        422 => ("unprocessable", "Requête refusée."),
        429 => (
            "too_many_requests",
            "Trop de tentatives, réessayez plus tard.",
        ),
        _ => ("bad_request", "Requête invalide."),
    }
}
