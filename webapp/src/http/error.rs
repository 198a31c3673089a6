//! The one error type of the BFF and its mapping to statuses and the shared JSON error body.

use crate::reply::Reply;
use serde_json::json;

/// A sibling component, reached through Spin service chaining.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    Auth,
    Motus,
    Score,
}

impl Service {
    pub fn name(self) -> &'static str {
        match self {
            Service::Auth => "auth",
            Service::Motus => "motus",
            Service::Score => "score",
        }
    }

    /// Must match `allowed_outbound_hosts` in spin.toml.
    pub fn base_url(self) -> &'static str {
        match self {
            Service::Auth => "http://auth.spin.internal",
            Service::Motus => "http://motus.spin.internal",
            Service::Score => "http://score.spin.internal",
        }
    }
}

/// A sibling's own 2xx/4xx answer, relayed to the browser as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    BadPath,
    NotFound,
    MethodNotAllowed(&'static str),
    Unauthenticated,
    CrossSite,
    UnsupportedMediaType,
    PayloadTooLarge,
    InvalidJson,
    InvalidQuery(&'static str),
    /// The sibling could not be reached or did not answer in time.
    Unavailable(Service),
    /// The sibling answered with a 5xx or with a body we cannot read.
    BadGateway(Service),
    /// The sibling refused the request (4xx): its status and body go through unchanged.
    Refused(Answer),
}

impl ApiError {
    fn parts(&self) -> (u16, &'static str, String) {
        match self {
            ApiError::BadPath => (400, "invalid_path", "Chemin invalide.".into()),
            ApiError::NotFound => (404, "not_found", "Ressource introuvable.".into()),
            ApiError::MethodNotAllowed(_) => (
                405,
                "method_not_allowed",
                "Méthode non autorisée pour cette adresse.".into(),
            ),
            ApiError::Unauthenticated => {
                (401, "unauthenticated", "Vous n'êtes pas connecté·e.".into())
            }
            ApiError::CrossSite => (
                403,
                "cross_site",
                "Requête venant d'un autre site refusée.".into(),
            ),
            ApiError::UnsupportedMediaType => (
                415,
                "unsupported_media_type",
                "Le corps de la requête doit être du JSON (Content-Type: application/json).".into(),
            ),
            ApiError::PayloadTooLarge => (
                413,
                "payload_too_large",
                "Le corps de la requête est trop volumineux.".into(),
            ),
            ApiError::InvalidJson => (
                400,
                "invalid_json",
                "Le corps de la requête n'est pas un objet JSON valide.".into(),
            ),
            ApiError::InvalidQuery(what) => (
                400,
                "invalid_query",
                format!("Paramètre invalide : {what}."),
            ),
            ApiError::Unavailable(s) => (
                503,
                "service_unavailable",
                format!("Le service {} ne répond pas.", s.name()),
            ),
            ApiError::BadGateway(s) => (
                502,
                "bad_gateway",
                format!("Le service {} a rencontré une erreur.", s.name()),
            ),
            ApiError::Refused(a) => (a.status, "", String::new()),
        }
    }

    pub fn status(&self) -> u16 {
        self.parts().0
    }

    pub fn code(&self) -> &'static str {
        self.parts().1
    }
}

impl From<ApiError> for Reply {
    fn from(err: ApiError) -> Reply {
        if let ApiError::Refused(answer) = err {
            return relay_refusal(answer);
        }
        let (status, code, message) = err.parts();
        let mut error = json!({ "code": code, "message": message });
        if let ApiError::Unavailable(s) | ApiError::BadGateway(s) = err {
            error["service"] = json!(s.name());
        }
        let mut reply = Reply::json(status, &json!({ "error": error }));
        if let ApiError::MethodNotAllowed(allow) = err {
            reply = reply.header("allow", allow);
        }
        if status == 503 {
            reply = reply.header("retry-after", "5");
        }
        reply
    }
}

/// Keeps a sibling's error body when it already has the shared shape, so its reason (e.g. motus's
/// 422 "not in dictionary") reaches the UI verbatim; otherwise wraps it in that shape.
fn relay_refusal(answer: Answer) -> Reply {
    let shaped = serde_json::from_slice::<serde_json::Value>(&answer.body)
        .ok()
        .filter(|v| v["error"]["code"].is_string());
    let mut reply = match shaped {
        Some(body) => Reply::json(answer.status, &body),
        None => {
            let (code, message) = generic_refusal(answer.status);
            Reply::json(
                answer.status,
                &json!({"error": {"code": code, "message": message}}),
            )
        }
    };
    if let Some(after) = answer.retry_after {
        reply = reply.header("retry-after", &after);
    }
    reply
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn body(r: &Reply) -> Value {
        serde_json::from_slice(&r.body).unwrap()
    }

    #[test]
    fn every_local_error_has_the_shared_shape() {
        let all = [
            ApiError::BadPath,
            ApiError::NotFound,
            ApiError::MethodNotAllowed("GET"),
            ApiError::Unauthenticated,
            ApiError::CrossSite,
            ApiError::UnsupportedMediaType,
            ApiError::PayloadTooLarge,
            ApiError::InvalidJson,
            ApiError::InvalidQuery("limit"),
            ApiError::Unavailable(Service::Score),
            ApiError::BadGateway(Service::Motus),
        ];
        for err in all {
            let expected = err.status();
            let reply = Reply::from(err);
            assert_eq!(reply.status, expected);
            let b = body(&reply);
            assert!(
                b["error"]["code"].is_string() && b["error"]["message"].is_string(),
                "{b}"
            );
        }
    }

    #[test]
    fn an_unreachable_sibling_is_a_503_naming_the_service() {
        let reply = Reply::from(ApiError::Unavailable(Service::Score));
        assert_eq!(reply.status, 503);
        let b = body(&reply);
        assert_eq!(b["error"]["code"], "service_unavailable");
        assert_eq!(b["error"]["service"], "score");
        assert_eq!(b["error"]["message"], "Le service score ne répond pas.");
    }

    #[test]
    fn a_failing_sibling_is_a_502_naming_the_service() {
        let b = body(&Reply::from(ApiError::BadGateway(Service::Auth)));
        assert_eq!(b["error"]["code"], "bad_gateway");
        assert_eq!(b["error"]["service"], "auth");
    }

    #[test]
    fn a_sibling_refusal_keeps_its_status_body_and_retry_after() {
        let original =
            br#"{"error":{"code":"not_in_dictionary","message":"Mot inconnu"}}"#.to_vec();
        let reply = Reply::from(ApiError::Refused(Answer {
            status: 422,
            retry_after: None,
            body: original.clone(),
        }));
        assert_eq!(reply.status, 422);
        assert_eq!(
            body(&reply),
            serde_json::from_slice::<Value>(&original).unwrap()
        );

        let reply = Reply::from(ApiError::Refused(Answer {
            status: 429,
            retry_after: Some("30".into()),
            body: b"slow down".to_vec(),
        }));
        assert_eq!(reply.status, 429);
        assert_eq!(reply.header_value("retry-after"), Some("30"));
        assert_eq!(body(&reply)["error"]["code"], "too_many_requests");
    }

    #[test]
    fn method_not_allowed_lists_the_allowed_methods() {
        let reply = Reply::from(ApiError::MethodNotAllowed("GET, HEAD"));
        assert_eq!(reply.header_value("allow"), Some("GET, HEAD"));
    }
}
