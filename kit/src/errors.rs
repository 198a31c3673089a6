//! The error catalogue: every code the API can answer, one spelling each, with its status and
//! the French sentence a player reads when the service has nothing more precise to say.
//!
//! Services never write a code as a string: they build an [`ApiError`] from a [`Code`], so a
//! spelling cannot drift between them, and docs/api.md and docs/openapi.yaml list exactly
//! [`Code::ALL`] (the tests below read both files).

use serde_json::json;

use crate::http::ApiResponse;
use crate::kv::StoreError;

macro_rules! catalogue {
    ($($variant:ident = $code:literal, $status:literal, $message:literal;)*) => {
        /// A stable reason clients may branch on. The status follows from the code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in the order docs/api.md lists them.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            pub const fn status(self) -> u16 {
                match self {
                    $(Code::$variant => $status,)*
                }
            }

            /// The default message, in French: the UI may show it as is.
            pub const fn message(self) -> &'static str {
                match self {
                    $(Code::$variant => $message,)*
                }
            }
        }
    };
}

catalogue! {
    // The request itself.
    InvalidJson = "invalid_json", 400, "Le corps de la requête n'est pas un objet JSON valide.";
    InvalidQuery = "invalid_query", 400, "Paramètre de requête invalide.";
    InvalidPath = "invalid_path", 400, "Chemin invalide.";
    NotFound = "not_found", 404, "Ressource introuvable.";
    MethodNotAllowed = "method_not_allowed", 405, "Méthode non autorisée pour cette adresse.";
    PayloadTooLarge = "payload_too_large", 413, "Le corps de la requête est trop volumineux.";
    UnsupportedMediaType = "unsupported_media_type", 415, "Le corps de la requête doit être du JSON (Content-Type: application/json).";
    CrossSite = "cross_site", 403, "Requête venant d'un autre site refusée.";
    // Who is calling.
    Unauthenticated = "unauthenticated", 401, "Vous n'êtes pas connecté·e, ou votre session a expiré.";
    Forbidden = "forbidden", 403, "Accès refusé.";
    InvalidCredentials = "invalid_credentials", 401, "Nom d'utilisateur ou mot de passe incorrect.";
    WrongPassword = "wrong_password", 403, "Mot de passe incorrect.";
    TooManyAttempts = "too_many_attempts", 429, "Trop de tentatives. Réessayez plus tard.";
    InvalidUsername = "invalid_username", 400, "Nom d'utilisateur invalide : 2 à 20 caractères parmi lettres, chiffres, « _ », « . » et « - », avec une lettre ou un chiffre au début et à la fin.";
    InvalidPassword = "invalid_password", 400, "Mot de passe invalide : 8 à 256 caractères.";
    UsernameTaken = "username_taken", 409, "Ce nom d'utilisateur est déjà pris.";
    // Players, games and words.
    InvalidPlayer = "invalid_player", 400, "Nom de joueur invalide.";
    InvalidGameId = "invalid_game_id", 400, "Identifiant de partie invalide.";
    InvalidLength = "invalid_length", 400, "La longueur doit être comprise entre 6 et 10 lettres.";
    InvalidScore = "invalid_score", 400, "Score invalide.";
    InvalidWord = "invalid_word", 422, "Ce mot contient des caractères non valides.";
    WrongLength = "wrong_length", 422, "Le mot n'a pas la bonne longueur.";
    WrongFirstLetter = "wrong_first_letter", 422, "Le mot ne commence pas par la bonne lettre.";
    NotInDictionary = "not_in_dictionary", 422, "Ce mot n'est pas dans le dictionnaire.";
    NoAnswerForLength = "no_answer_for_length", 422, "Aucun mot disponible pour cette longueur.";
    GameOver = "game_over", 409, "Cette partie est déjà terminée.";
    GameNotFinished = "game_not_finished", 409, "Cette partie n'est pas terminée (ou n'existe pas).";
    NotChallengeable = "not_challengeable", 422, "Seule une partie d’entraînement terminée peut devenir un défi.";
    OwnChallenge = "own_challenge", 409, "Vous ne pouvez pas relever votre propre défi.";
    ChallengeFull = "challenge_full", 409, "Ce défi a atteint son nombre maximal de joueurs.";
    // A sibling's refusal that came without a code of its own, relayed by the webapp.
    Conflict = "conflict", 409, "Conflit avec l'état actuel.";
    Unprocessable = "unprocessable", 422, "Requête refusée.";
    TooManyRequests = "too_many_requests", 429, "Trop de requêtes. Réessayez plus tard.";
    // The service could not do its part.
    ServiceUnavailable = "service_unavailable", 503, "Un service ne répond pas pour le moment. Réessayez dans un instant.";
    BadGateway = "bad_gateway", 502, "Un service a rencontré une erreur.";
    StoreBusy = "store_busy", 503, "Trop de mises à jour simultanées, réessayez.";
    StoreUnavailable = "store_unavailable", 503, "Le stockage ne répond pas pour le moment.";
    StoreUnconfirmed = "store_unconfirmed", 503, "Le stockage n'a pas pu confirmer l'écriture ; réessayez.";
    Misconfigured = "misconfigured", 500, "Le service est mal configuré.";
    Internal = "internal", 500, "Erreur interne.";
    // Answered by the host itself, before or around a component.
    BadRequest = "bad_request", 400, "Requête HTTP invalide.";
    InvalidHost = "invalid_host", 400, "En-tête Host invalide.";
    RequestTimeout = "request_timeout", 408, "La requête n'est pas arrivée à temps.";
    UriTooLong = "uri_too_long", 414, "Adresse trop longue.";
    HeadersTooLarge = "headers_too_large", 431, "En-têtes trop volumineux.";
    Overloaded = "overloaded", 503, "Le serveur est surchargé, réessayez.";
    Timeout = "timeout", 504, "Le composant n'a pas répondu à temps.";
    ComponentError = "component_error", 500, "Le composant a échoué.";
    ComponentTrap = "component_trap", 500, "Le composant s'est arrêté sur une erreur.";
    NoResponse = "no_response", 500, "Le composant n'a pas répondu.";
    HostError = "host_error", 500, "Erreur de l'hôte.";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One failed request: a code from the catalogue, a message for people, and what the answer
/// carries besides (the sibling at fault, `Allow`, `Retry-After`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    code: Code,
    message: String,
    service: Option<&'static str>,
    headers: Vec<(&'static str, String)>,
}

impl ApiError {
    /// The code with its default message.
    pub fn new(code: Code) -> Self {
        Self::with_message(code, code.message())
    }

    /// The code with a more precise message (French: a player may read it).
    pub fn with_message(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            service: None,
            headers: Vec::new(),
        }
    }

    /// Names the sibling that failed (`"service": "auth"` in the error object), so a client can
    /// tell which part of the app is down.
    pub fn service(mut self, name: &'static str) -> Self {
        self.service = Some(name);
        self
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// 405 with the `Allow` header HTTP asks for.
    pub fn method_not_allowed(allow: &'static str) -> Self {
        Self::with_message(
            Code::MethodNotAllowed,
            format!("Cette adresse accepte seulement {allow}."),
        )
        .header("allow", allow)
    }

    pub fn code(&self) -> Code {
        self.code
    }

    pub fn status(&self) -> u16 {
        self.code.status()
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn into_response(self) -> ApiResponse {
        let mut error = json!({ "code": self.code.as_str(), "message": self.message });
        if let Some(service) = self.service {
            error["service"] = json!(service);
        }
        let mut response = ApiResponse::json(self.code.status(), &json!({ "error": error }));
        response.headers.extend(self.headers);
        response
    }
}

impl From<ApiError> for ApiResponse {
    fn from(error: ApiError) -> Self {
        error.into_response()
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

/// Store failures keep their details on the server: the message never carries the key or the
/// backend's text, and the code says whether a retry may help.
impl From<&StoreError> for ApiError {
    fn from(e: &StoreError) -> Self {
        Self::new(match e {
            StoreError::Conflict(_) => Code::StoreBusy,
            StoreError::Unavailable(_) => Code::StoreUnavailable,
            StoreError::Unconfirmed(_) => Code::StoreUnconfirmed,
            StoreError::Corrupt(_) => Code::Internal,
        })
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        Self::from(&e)
    }
}

#[cfg(test)]
mod tests;
