//! The one mapping from what went wrong to the answer a client gets: a code of spin-kit's
//! catalogue and a French message. Details of server-side failures stay in the log.

use spin_kit::errors::{ApiError, Code};
use spin_kit::random::RandomError;

use crate::app::PlayError;
use crate::domain::challenge::ChallengeError;
use crate::domain::game::{InvalidLength, Rejection};
use crate::domain::word::WordError;

/// The sibling named in `service` when auth fails us.
const AUTH: &str = "auth";

/// Why a request went no further than the HTTP layer.
#[derive(Debug)]
pub enum Refusal {
    NoRoute,
    MethodNotAllowed {
        allow: &'static str,
    },
    /// No `Authorization: Bearer <token>` where the route needs one.
    NoBearer,
    InvalidLength(InvalidLength),
    InvalidWord(WordError),
    /// A variable the component cannot use.
    Misconfigured(String),
    NoRandomness(RandomError),
}

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::NoRoute => ApiError::new(Code::NotFound),
            Refusal::MethodNotAllowed { allow } => ApiError::method_not_allowed(allow),
            Refusal::NoBearer => ApiError::new(Code::Unauthenticated),
            Refusal::InvalidLength(_) => ApiError::new(Code::InvalidLength),
            Refusal::InvalidWord(e @ WordError::Length(_)) => {
                ApiError::with_message(Code::WrongLength, e.to_string())
            }
            Refusal::InvalidWord(e) => ApiError::with_message(Code::InvalidWord, e.to_string()),
            Refusal::Misconfigured(why) => {
                eprintln!("motus: misconfigured: {why}");
                ApiError::new(Code::Misconfigured)
            }
            Refusal::NoRandomness(e) => {
                eprintln!("motus: internal: {e}");
                ApiError::new(Code::Internal)
            }
        }
    }
}

impl From<PlayError> for ApiError {
    fn from(error: PlayError) -> Self {
        let said = |code| ApiError::with_message(code, error.to_string());
        match &error {
            PlayError::NotFound => said(Code::NotFound),
            PlayError::NotFinished => said(Code::GameNotFinished),
            PlayError::Rejected(rejection) => said(match rejection {
                Rejection::GameOver => Code::GameOver,
                Rejection::WrongLength { .. } => Code::WrongLength,
                Rejection::WrongFirstLetter { .. } => Code::WrongFirstLetter,
                Rejection::NotInDictionary => Code::NotInDictionary,
            }),
            PlayError::Challenge(refusal) => said(match refusal {
                ChallengeError::NotFound => Code::NotFound,
                ChallengeError::NotPractice => Code::NotChallengeable,
                ChallengeError::NotFinished => Code::GameNotFinished,
                ChallengeError::OwnChallenge => Code::OwnChallenge,
                ChallengeError::Full => Code::ChallengeFull,
            }),
            PlayError::NoAnswer => said(Code::NoAnswerForLength),
            PlayError::Unauthenticated => said(Code::Unauthenticated),
            PlayError::Forbidden => said(Code::Forbidden),
            PlayError::NoSecret => logged(Code::Misconfigured, &error),
            PlayError::AuthUnavailable(_) => logged(Code::ServiceUnavailable, &error).service(AUTH),
            PlayError::AuthBadGateway(_) => logged(Code::BadGateway, &error).service(AUTH),
            PlayError::Store(e) => {
                let answer = ApiError::from(e);
                eprintln!("motus: {}: {e}", answer.code());
                answer
            }
        }
    }
}

/// A server-side failure: the details go to the log, the client gets the default message.
fn logged(code: Code, error: &PlayError) -> ApiError {
    eprintln!("motus: {code}: {error}");
    ApiError::new(code)
}
