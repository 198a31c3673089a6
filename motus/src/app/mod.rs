//! The use cases behind the routes: start a game, guess, read a game or its result, end the
//! daily games left at midnight, hand finished games to score, offer and take up challenges,
//! forget a player.
//!
//! Everything outside is a port handed in: the key-value store (`K: Kv`), the siblings (`S:
//! Siblings`: auth for identity, score for recording), the clock (`now`, read once per request)
//! and randomness (`Entropy`, drawn by the caller), so these run the same natively in tests and
//! inside the component.

mod challenges;
mod dailies;
mod games;
mod players;
mod recording;
pub mod store;
#[cfg(test)]
mod tests;

use crate::domain::challenge::ChallengeError;
use crate::domain::dictionary::Dictionary;
use crate::domain::draw::daily_answer;
use crate::domain::game::{Game, Rejection};
use crate::domain::word::Word;
use crate::siblings::{IdentityError, Siblings};
pub use challenges::Page;
pub use players::{Caller, Reader};
use spin_kit::calendar::Date;
use spin_kit::names::PlayerName;
use store::{Kv, Store, StoreError};

/// Why a use case did not go through.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlayError {
    /// No such game, or not the caller's: the two look the same from outside.
    #[error("partie introuvable")]
    NotFound,
    #[error("la partie n'est pas terminée")]
    NotFinished,
    #[error(transparent)]
    Rejected(#[from] Rejection),
    #[error(transparent)]
    Challenge(#[from] ChallengeError),
    #[error("aucun mot disponible pour cette longueur")]
    NoAnswer,
    /// The daily word cannot be drawn without a key; guessing it must stay impossible.
    #[error("the daily_secret variable is empty")]
    NoSecret,
    /// Auth refused the token, or there was none.
    #[error("jeton absent, invalide ou expiré")]
    Unauthenticated,
    /// A valid token, but not the one of the player the request is about.
    #[error("un joueur ne peut être supprimé qu'avec son propre jeton")]
    Forbidden,
    /// Auth did not answer (or not in time): who the caller is cannot be known.
    #[error("auth unreachable: {0}")]
    AuthUnavailable(String),
    /// Auth answered something motus cannot read.
    #[error("auth answered unexpectedly: {0}")]
    AuthBadGateway(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Where the key of the daily draw comes from.
#[derive(Debug, Clone, Copy)]
pub enum DailyKey<'a> {
    /// The `daily_secret` variable.
    Configured(&'a [u8]),
    /// None configured: a random key kept in the store. The first request that needs it
    /// proposes `candidate`; later ones read the stored one.
    Stored { candidate: [u8; 32] },
}

/// Fresh randomness for a game that may be created: its id and the practice draw.
#[derive(Debug, Clone, Copy)]
pub struct Entropy {
    pub id: [u8; 16],
    pub pick: u64,
}

/// A game that was started or found.
#[derive(Debug)]
pub struct Started {
    pub game: Game,
    /// False when an existing daily game was returned.
    pub created: bool,
}

/// The public face of today's word.
#[derive(Debug, PartialEq, Eq)]
pub struct DailyOutline {
    pub date: Date,
    pub length: usize,
    pub first_letter: char,
}

/// What the use cases need, for one request.
pub struct Motus<'a, K, S> {
    pub store: Store<'a, K>,
    pub dictionary: &'a Dictionary<'a>,
    pub daily_key: DailyKey<'a>,
    pub siblings: &'a S,
    /// Unix seconds, read once so that one request sees one day.
    pub now: i64,
    /// Seconds a player just forgotten gets no new game: the longest life of an access token
    /// issued before (0 when access tokens are off; see [`Motus::forget`]).
    pub forgotten_for: i64,
}

impl<K: Kv, S: Siblings> Motus<'_, K, S> {
    pub fn today(&self) -> Date {
        Date::in_paris(self.now)
    }

    pub fn daily_outline(&self) -> Result<DailyOutline, PlayError> {
        let answer = self.daily_word(self.today())?;
        Ok(DailyOutline {
            date: self.today(),
            length: answer.len(),
            first_letter: answer.first_letter(),
        })
    }

    /// Who holds `token`, according to auth, named by the lowercase key of their name as motus
    /// always has: games, results (which score reads) and store keys then agree whatever
    /// casing auth echoes back.
    pub async fn authenticate(&self, token: &str) -> Result<PlayerName, PlayError> {
        let name = self.siblings.identify(token).await.map_err(|e| match e {
            IdentityError::Rejected => PlayError::Unauthenticated,
            IdentityError::Unavailable(why) => PlayError::AuthUnavailable(why),
            IdentityError::BadGateway(why) => PlayError::AuthBadGateway(why),
        })?;
        PlayerName::parse(name.key()).map_err(|e| PlayError::AuthBadGateway(e.to_string()))
    }

    fn daily_word(&self, date: Date) -> Result<Word, PlayError> {
        let secret = match self.daily_key {
            DailyKey::Configured(secret) => secret.to_vec(),
            DailyKey::Stored { candidate } => self.store.daily_secret(&candidate)?,
        };
        if secret.is_empty() {
            // An empty HMAC key would make every daily word predictable.
            return Err(PlayError::NoSecret);
        }
        daily_answer(&secret, date, self.dictionary.answers()).ok_or(PlayError::NoAnswer)
    }
}
