//! The one mapping from what can go wrong to the kit's catalogue (`spin_kit::errors::Code`),
//! with the French messages a player may read. Routes build every error through here.

use spin_kit::errors::{ApiError, Code};
use std::fmt::Display;

use super::MAX_CREDIT;
use crate::app::ScoreError;
use crate::siblings::SiblingError;

impl From<ScoreError> for ApiError {
    fn from(e: ScoreError) -> Self {
        match e {
            ScoreError::Store(e) => ApiError::from(e),
            // One answer for no token and a refused one: either way, sign in (again).
            ScoreError::NoToken | ScoreError::TokenRefused => ApiError::new(Code::Unauthenticated),
            ScoreError::NotYours => ApiError::with_message(
                Code::Forbidden,
                "Les scores d'un joueur ne se suppriment qu'avec son propre jeton.",
            ),
            ScoreError::GameNotFinished => ApiError::with_message(
                Code::GameNotFinished,
                "motus ne connaît pas cette partie comme terminée (inconnue ou encore en cours).",
            ),
            ScoreError::Sibling { sibling, failure } => {
                let name = sibling.name();
                match failure {
                    SiblingError::Refused => ApiError::new(Code::Unauthenticated),
                    SiblingError::Unavailable(why) => ApiError::with_message(
                        Code::ServiceUnavailable,
                        format!("{name} ne répond pas ({why}), réessayez dans un instant."),
                    ),
                    SiblingError::BadGateway(why) => ApiError::with_message(
                        Code::BadGateway,
                        format!("{name} a répondu de façon inattendue ({why})."),
                    ),
                }
                .service(name)
            }
        }
    }
}

pub fn not_found() -> ApiError {
    ApiError::new(Code::NotFound)
}

/// A query parameter out of range; `why` names the parameter.
pub fn invalid_query(why: impl Display) -> ApiError {
    ApiError::with_message(Code::InvalidQuery, format!("Paramètre invalide : {why}."))
}

pub fn invalid_player(why: impl Display) -> ApiError {
    ApiError::with_message(Code::InvalidPlayer, why.to_string())
}

pub fn invalid_game_id(why: impl Display) -> ApiError {
    ApiError::with_message(Code::InvalidGameId, why.to_string())
}

pub fn invalid_score() -> ApiError {
    ApiError::with_message(
        Code::InvalidScore,
        format!("Le score doit être un entier de 1 à {MAX_CREDIT}."),
    )
}

/// The administrator route without the administrator's token (or with the route disabled).
pub fn not_admin() -> ApiError {
    ApiError::with_message(
        Code::Forbidden,
        "Cette adresse demande le jeton d'administration.",
    )
}

/// A Spin variable the service cannot use (the log says which).
// Only spin.rs reads variables, and it is built for wasm only.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub fn misconfigured() -> ApiError {
    ApiError::new(Code::Misconfigured)
}
