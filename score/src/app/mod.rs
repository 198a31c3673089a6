//! Use cases of the score service, over its ports: the key-value store, motus and auth (see
//! `siblings`) and the clock, read once per request so one request sees one Paris day.
//! Recording is in `record.rs`, deleting a player in `forget.rs`; the reads and the
//! administrator credit are here.

mod forget;
mod record;
#[cfg(test)]
mod tests;

use serde::Serialize;
use spin_kit::calendar::Date;
use spin_kit::clock::Clock;
use spin_kit::kv::{get_json, get_many_json, update_json, Kv, Step, StoreError};
use spin_kit::names::PlayerName;

use crate::domain::history::{history_key, page_seqs, Cursor, HistoryEntry, Recorded};
use crate::domain::leaderboard::{shard_keys, top, Period, Ranked, Shard};
use crate::domain::player::player_key;
use crate::domain::{PlayerDoc, Stats};
use crate::siblings::{Identity, Sibling, SiblingError};

/// How many compare-and-swap rounds an update may lose before giving up: enough for a burst of
/// concurrent requests on one key, bounded so a hot key cannot pin an instance forever.
pub const MAX_CAS_ATTEMPTS: usize = 100;

/// The first recording of a game is `Created`; any later one, `Repeated`, with the same body.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Created(Recorded),
    Repeated(Recorded),
}

#[derive(Debug, Serialize)]
pub struct HistoryPage {
    pub items: Vec<HistoryEntry>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Leaderboard {
    pub period: &'static str,
    pub key: String,
    pub entries: Vec<Ranked>,
}

/// Who reads a history: the player (everything) or anyone else (see [`HistoryEntry::redact`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Player,
    Anyone,
}

/// What a request presented as its bearer token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presented<'a> {
    Nothing,
    Token(&'a str),
    /// An `Authorization` header with no bearer token in it: refused as a token auth refuses,
    /// when the use case looks at it.
    Unreadable,
}

impl<'a> Presented<'a> {
    fn token(self) -> Result<Option<&'a str>, ScoreError> {
        match self {
            Presented::Nothing => Ok(None),
            Presented::Token(token) => Ok(Some(token)),
            Presented::Unreadable => Err(ScoreError::TokenRefused),
        }
    }
}

/// Why a use case did not complete.
#[derive(Debug, thiserror::Error)]
pub enum ScoreError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The use case needs the player's bearer token and got none.
    #[error("no bearer token")]
    NoToken,
    /// auth refused the token (directly, or through motus).
    #[error("token refused")]
    TokenRefused,
    /// A valid token of another player.
    #[error("another player's token")]
    NotYours,
    /// motus does not report the game as finished (unknown, another player's, or still on).
    #[error("game not finished")]
    GameNotFinished,
    /// A sibling could not do its part.
    #[error("{}: {failure}", sibling.name())]
    Sibling {
        sibling: Sibling,
        failure: SiblingError,
    },
}

impl ScoreError {
    fn from_sibling(sibling: Sibling) -> impl FnOnce(SiblingError) -> Self {
        move |failure| match failure {
            SiblingError::Refused => ScoreError::TokenRefused,
            failure => ScoreError::Sibling { sibling, failure },
        }
    }
}

/// The score service for one request: `motus` and `auth` are the siblings' clients, `today`
/// the Paris date when the request came.
pub struct Score<'a, K, M, A> {
    kv: &'a K,
    motus: &'a M,
    auth: &'a A,
    /// The `result_secret` variable; `None`: results are read with the player's token only.
    result_secret: Option<&'a str>,
    today: Date,
}

impl<'a, K: Kv, M, A> Score<'a, K, M, A> {
    /// Reads `clock` once: "today" is its date in Paris for the whole request.
    pub fn new(kv: &'a K, motus: &'a M, auth: &'a A, clock: &impl Clock) -> Self {
        Self {
            kv,
            motus,
            auth,
            result_secret: None,
            today: Date::in_paris(clock.now()),
        }
    }

    /// The store, for the health route's read.
    pub fn store(&self) -> &'a K {
        self.kv
    }

    /// Lets score read results without the player's token; unset or empty leaves it unable to.
    pub fn with_result_secret(mut self, secret: Option<&'a str>) -> Self {
        self.result_secret = secret.filter(|s| !s.is_empty());
        self
    }

    pub fn stats(&self, player: &PlayerName) -> Result<Stats, StoreError> {
        let doc: Option<PlayerDoc> = get_json(self.kv, &player_key(player))?;
        Ok(doc
            .unwrap_or_else(|| PlayerDoc::new(player))
            .stats(self.today))
    }

    /// One page of the player's history. Public, but a token, when one is sent, must be valid:
    /// the player's own sees everything, anyone else's what the public sees.
    pub async fn history(
        &self,
        player: &PlayerName,
        presented: Presented<'_>,
        limit: usize,
        cursor: Option<Cursor>,
    ) -> Result<HistoryPage, ScoreError>
    where
        A: Identity,
    {
        let reader = match presented.token()? {
            Some(token) if self.is_player(token, player).await? => Reader::Player,
            _ => Reader::Anyone,
        };
        Ok(self.page(player, reader, limit, cursor)?)
    }

    fn page(
        &self,
        player: &PlayerName,
        reader: Reader,
        limit: usize,
        cursor: Option<Cursor>,
    ) -> Result<HistoryPage, StoreError> {
        let doc: Option<PlayerDoc> = get_json(self.kv, &player_key(player))?;
        let seqs = page_seqs(doc.map_or(0, |d| d.next_seq), cursor, limit);
        let keys: Vec<String> = seqs.iter().map(|&s| history_key(player, s)).collect();
        let items = get_many_json::<_, HistoryEntry>(self.kv, &keys)?;
        let next_cursor = seqs.last().filter(|&&s| s > 0).map(u64::to_string);
        Ok(HistoryPage {
            items: items
                .into_iter()
                .flatten()
                .map(|entry| match reader {
                    Reader::Player => entry,
                    Reader::Anyone => entry.redact(self.today),
                })
                .collect(),
            next_cursor,
        })
    }

    /// Whether auth says `token` is `player`'s; a refused token is an error.
    async fn is_player(&self, token: &str, player: &PlayerName) -> Result<bool, ScoreError>
    where
        A: Identity,
    {
        let username = self
            .auth
            .username(token)
            .await
            .map_err(ScoreError::from_sibling(Sibling::Auth))?;
        Ok(username.eq_ignore_ascii_case(player.key()))
    }

    pub fn leaderboard(&self, period: Period, limit: usize) -> Result<Leaderboard, StoreError> {
        let key = period.key(self.today);
        let shards: Vec<Shard> = get_many_json(self.kv, &shard_keys(period, &key))?
            .into_iter()
            .flatten()
            .collect();
        Ok(Leaderboard {
            period: period.name(),
            key,
            entries: top(&shards, limit),
        })
    }

    /// Administrator credit: adds `points` to the player's total and today's boards.
    pub fn credit(&self, player: &PlayerName, points: u64) -> Result<Stats, StoreError> {
        let doc_key = player_key(player);
        update_json(
            self.kv,
            &doc_key,
            MAX_CAS_ATTEMPTS,
            |doc: Option<PlayerDoc>| {
                let mut doc = doc.unwrap_or_else(|| PlayerDoc::new(player));
                doc.credit(points, self.today);
                Ok::<_, StoreError>(Step::Write(doc, ()))
            },
        )?;
        self.sync_leaderboards(player, self.today)?;
        self.stats(player)
    }
}
