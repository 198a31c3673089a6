//! The siblings motus calls: auth, to learn who holds a bearer token, and score, to record a
//! finished game. Over outbound HTTP in the component (`spin.rs`), faked in tests.

use std::future::Future;

use spin_kit::game_id::GameId;
use spin_kit::names::PlayerName;

/// Why auth named no player for a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    /// Auth refused the token: unknown, expired or malformed.
    #[error("invalid or expired token")]
    Rejected,
    /// No answer from auth (or not in time), or auth itself reported an outage.
    #[error("auth unreachable: {0}")]
    Unavailable(String),
    /// An answer motus cannot read.
    #[error("auth answered unexpectedly: {0}")]
    BadGateway(String),
}

/// Why score did not confirm that it holds a game.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RecordFailure(pub String);

pub trait Siblings {
    /// The player holding `token` (the bearer token, without its scheme), according to auth.
    fn identify(&self, token: &str) -> impl Future<Output = Result<PlayerName, IdentityError>>;

    /// Asks score to record finished game `id` for the player holding `token`; `Ok` once score
    /// holds it, the first time or again.
    fn record(&self, id: &GameId, token: &str) -> impl Future<Output = Result<(), RecordFailure>>;
}

/// Sibling clients are shared by reference (tests keep theirs to look at the calls made).
impl<S: Siblings> Siblings for &S {
    async fn identify(&self, token: &str) -> Result<PlayerName, IdentityError> {
        (**self).identify(token).await
    }

    async fn record(&self, id: &GameId, token: &str) -> Result<(), RecordFailure> {
        (**self).record(id, token).await
    }
}
