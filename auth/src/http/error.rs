//! The one mapping from the use cases' errors to the kit's catalogue. Messages are French: the
//! webapp shows them to the player as they are.

use spin_kit::errors::{ApiError, Code};

use crate::app::AuthError;

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        match e {
            // Which rule the input breaks, in French, so the player knows what to change.
            AuthError::InvalidUsername(why) => {
                ApiError::with_message(Code::InvalidUsername, why.to_string())
            }
            AuthError::InvalidPassword(why) => {
                ApiError::with_message(Code::InvalidPassword, why.to_string())
            }
            AuthError::UsernameTaken => ApiError::new(Code::UsernameTaken),
            AuthError::NameReserved { retry_after } => ApiError::with_message(
                Code::UsernameTaken,
                format!(
                    "Ce nom appartenait à un compte supprimé à l’instant ; il sera disponible \
                     dans {} min.",
                    retry_after.div_ceil(60)
                ),
            )
            .header("retry-after", retry_after.to_string()),
            AuthError::BadCredentials => ApiError::new(Code::InvalidCredentials),
            AuthError::WrongPassword => ApiError::new(Code::WrongPassword),
            AuthError::Locked { retry_after } => ApiError::with_message(
                Code::TooManyAttempts,
                format!("Trop de tentatives. Réessayez dans {retry_after} s."),
            )
            .header("retry-after", retry_after.to_string()),
            // RFC 6750: a 401 names the scheme the client should use.
            AuthError::Unauthenticated => {
                ApiError::new(Code::Unauthenticated).header("www-authenticate", "Bearer")
            }
            // The sibling's own answer stays in the log (spin.rs); the player learns which part
            // of the app is down and that nothing is lost.
            AuthError::SiblingUnavailable { sibling, .. } => ApiError::with_message(
                Code::ServiceUnavailable,
                format!(
                    "Le service {} n'a pas confirmé l'effacement de vos données ; votre compte \
                     est conservé. Réessayez plus tard.",
                    sibling.name()
                ),
            )
            .service(sibling.name()),
            AuthError::AccessOff => ApiError::with_message(
                Code::NotFound,
                "Les jetons d’accès ne sont pas activés sur ce serveur (variable access_secret).",
            ),
            AuthError::Store(e) => ApiError::from(e),
            AuthError::Hash(_) | AuthError::Random(_) => ApiError::new(Code::Internal),
        }
    }
}
