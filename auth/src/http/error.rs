//! The one mapping from the use cases' errors to the kit's catalogue. Messages are French: the
//! webapp shows them to the player as they are.

use spin_kit::errors::{ApiError, Code};

use crate::app::AuthError;
use crate::domain::{password, username};
use crate::domain::{PasswordError, UsernameError};

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::InvalidUsername(why) => {
                ApiError::with_message(Code::InvalidUsername, username_rule(&why))
            }
            AuthError::InvalidPassword(why) => {
                ApiError::with_message(Code::InvalidPassword, password_rule(&why))
            }
            AuthError::UsernameTaken => ApiError::new(Code::UsernameTaken),
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
            AuthError::Store(e) => ApiError::from(e),
            AuthError::Hash(_) | AuthError::Random(_) => ApiError::new(Code::Internal),
        }
    }
}

/// Which rule the name breaks, so the player knows what to change.
fn username_rule(why: &UsernameError) -> String {
    match why {
        UsernameError::TooShort => format!(
            "Le nom d'utilisateur doit compter au moins {} caractères.",
            username::MIN_LEN
        ),
        UsernameError::TooLong => format!(
            "Le nom d'utilisateur doit compter au plus {} caractères.",
            username::MAX_LEN
        ),
        UsernameError::InvalidCharacter => "Le nom d'utilisateur ne peut contenir que des \
            lettres sans accent, des chiffres, « _ », « . » et « - »."
            .into(),
        UsernameError::InvalidEdge => {
            "Le nom d'utilisateur doit commencer et finir par une lettre ou un chiffre.".into()
        }
        UsernameError::Reserved => "Ce nom d'utilisateur est réservé.".into(),
    }
}

fn password_rule(why: &PasswordError) -> String {
    match why {
        PasswordError::TooShort => format!(
            "Le mot de passe doit compter au moins {} caractères.",
            password::MIN_CHARS
        ),
        PasswordError::TooLong => format!(
            "Le mot de passe doit compter au plus {} caractères.",
            password::MAX_CHARS
        ),
    }
}
