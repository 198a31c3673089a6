//! The siblings score calls, as plain traits: motus says how a game ended (score records only
//! what motus reports), auth says who holds a bearer token (it decides what a history reader
//! sees, and who may delete a player). Over outbound HTTP with the kit's deadlines in Spin
//! (`spin.rs`), faked in native tests (`testing.rs`).

use std::future::Future;

use spin_kit::game_id::GameId;

use crate::domain::game::ResultBody;

/// Which sibling a failure comes from; errors name it so a client can tell what is down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sibling {
    Motus,
    Auth,
}

impl Sibling {
    pub fn name(self) -> &'static str {
        match self {
            Sibling::Motus => "motus",
            Sibling::Auth => "auth",
        }
    }
}

/// How score proves to motus that it may read a game's result, which holds the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential<'a> {
    /// The bearer token the recording request came with: motus checks with auth that it is
    /// the game's player.
    Player(&'a str),
    /// The `result_secret` variable, shared by motus and score.
    Secret(&'a str),
}

/// What motus says about a game.
#[derive(Debug, Clone)]
pub enum Lookup {
    Finished(ResultBody),
    /// Unknown, not the caller's, or still being played: motus does not say which.
    NotFinished,
}

/// Why a sibling call gave no usable answer. The text is a detail for the error message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SiblingError {
    /// The sibling refused the player's token.
    #[error("jeton refusé")]
    Refused,
    /// No answer in time, or the sibling says it cannot answer now: a retry may help.
    #[error("{0}")]
    Unavailable(String),
    /// An answer score cannot use.
    #[error("{0}")]
    BadGateway(String),
}

/// motus' `GET /motus/games/{id}/result`.
pub trait GameResults {
    fn result(
        &self,
        id: &GameId,
        credential: Credential<'_>,
    ) -> impl Future<Output = Result<Lookup, SiblingError>>;
}

/// auth's `GET /auth/me`.
pub trait Identity {
    /// The username holding `token`; [`SiblingError::Refused`] when auth does not know it.
    fn username(&self, token: &str) -> impl Future<Output = Result<String, SiblingError>>;
}
