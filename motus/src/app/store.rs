//! Games in a key-value store, through spin-kit's key-value helpers, whose updates stay exact on
//! every store the app runs on (see `spin_kit::kv`).
//!
//! Keys (`{player}` is the lowercase key of the name, so every casing maps to one player):
//! - `game:{id}` → the game as JSON, under revision control;
//! - `daily:{YYYY-MM-DD}:{player}` → id of that player's daily game, created once by a claim;
//! - `current:{player}` → id of the game the player last started or resumed;
//! - `open:{player}` → the player's daily games not yet settled (game id → date), so that one
//!   left unfinished when its day ends is found, lost and recorded;
//! - `index:{player}` (a counter) and `index:{player}:{n}` → id of the player's n-th game, so
//!   that deleting the player finds every game without scanning the store;
//! - `secret:daily` → the daily draw's key when none is configured, created once by a claim;
//! - `challenge:{id}` and `offer:{game id}`: challenges (`challenges.rs`).

mod challenges;
mod forgotten;

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::Serialize;

use spin_kit::calendar::Date;
use spin_kit::game_id::GameId;
use spin_kit::kv::{get_json, insert_json, remove_json, update_json, Step};
pub use spin_kit::kv::{Kv, StoreError};
use spin_kit::names::PlayerName;

use crate::domain::game::{Game, Mode};

/// Attempts at a read-modify-write before giving up. A swap only fails because another writer
/// succeeded, and a game takes at most seven writes (six guesses, one "recorded" flag), so
/// honest contention settles within eight attempts; the rest is margin.
pub const MAX_ATTEMPTS: usize = 32;

/// What an update decided to do with the game it was shown.
pub enum Change<T> {
    /// Nothing to write (a rejected guess, an already recorded game).
    Keep(T),
    Save(T),
}

/// Motus's keys over a [`Kv`] (the layout is in the module docs).
pub struct Store<'k, K> {
    kv: &'k K,
}

impl<'k, K: Kv> Store<'k, K> {
    pub fn new(kv: &'k K) -> Self {
        Self { kv }
    }

    pub fn load(&self, id: &GameId) -> Result<Option<Game>, StoreError> {
        get_json(self.kv, &game_key(id))
    }

    /// Stores a new game, listed in its player's index first: an index entry whose game never
    /// got written is harmless, a game missing from the index would survive its player's
    /// deletion. Ids are random, so this never overwrites another game.
    pub fn insert(&self, game: &Game) -> Result<(), StoreError> {
        let n = self.kv.increment(&index_key(game.player()), 1)?;
        let entry = format!("{}:{n}", index_key(game.player()));
        // Each number is handed out once, so this key has a single writer.
        self.kv.set(&entry, game.id().as_str().as_bytes())?;
        insert_json(self.kv, &game_key(game.id()), game)
    }

    /// Reads the game, lets `apply` change it, and writes it back only if nobody wrote in
    /// between; otherwise starts over on the newer version. `Ok(None)`: no such game.
    ///
    /// `apply` may run several times and must decide from the game it is given alone.
    pub fn update<T, E: From<StoreError>>(
        &self,
        id: &GameId,
        apply: impl FnMut(&mut Game) -> Result<Change<T>, E>,
    ) -> Result<Option<(Game, T)>, E> {
        self.update_existing(&game_key(id), apply)
    }

    /// The read-modify-write of [`Store::update`] for any document under `key`: absent stays
    /// absent (`Ok(None)`), and `apply` decides whether to write.
    fn update_existing<D, T, E>(
        &self,
        key: &str,
        mut apply: impl FnMut(&mut D) -> Result<Change<T>, E>,
    ) -> Result<Option<(D, T)>, E>
    where
        D: Clone + Serialize + DeserializeOwned,
        E: From<StoreError>,
    {
        update_json(self.kv, key, MAX_ATTEMPTS, |doc: Option<D>| {
            let Some(mut doc) = doc else {
                return Ok(Step::Keep(None));
            };
            Ok(match apply(&mut doc)? {
                Change::Keep(out) => Step::Keep(Some((doc, out))),
                Change::Save(out) => Step::Write(doc.clone(), Some((doc, out))),
            })
        })
    }

    /// The player's daily game for `date`, creating it from `fresh` if there is none yet.
    /// Returns the game and whether it was created by this call.
    ///
    /// The game is written before the pointer to it, so a pointer never dangles; if another
    /// request claims the day first, its game wins and `fresh` is removed again.
    pub fn claim_daily(
        &self,
        date: Date,
        player: &PlayerName,
        fresh: Game,
    ) -> Result<(Game, bool), StoreError> {
        let key = daily_key(date, player);
        if let Some(id) = self.pointer(&key)? {
            return Ok((self.pointed(&key, &id)?, false));
        }
        // Listed as open before it can become the day's game, so it is never missed.
        self.open(player, fresh.id(), date)?;
        self.insert(&fresh)?;
        let ours = fresh.id().as_str().to_owned();
        let (id, created) = update_json(self.kv, &key, MAX_ATTEMPTS, |id: Option<String>| {
            Ok::<_, StoreError>(match id {
                Some(id) => Step::Keep((id, false)),
                None => Step::Write(ours.clone(), (ours.clone(), true)),
            })
        })?;
        if created {
            return Ok((fresh, true));
        }
        self.kv.delete(&game_key(fresh.id()))?;
        self.close(player, &[fresh.id().clone()])?;
        let id = parse_id(&key, id.as_bytes())?;
        Ok((self.pointed(&key, &id)?, false))
    }

    /// The game id under a daily pointer: a JSON document, or the bare id written by earlier
    /// versions.
    fn pointer(&self, key: &str) -> Result<Option<GameId>, StoreError> {
        let Some(bytes) = self.kv.get(key)? else {
            return Ok(None);
        };
        if let Ok(id) = parse_id(key, &bytes) {
            return Ok(Some(id));
        }
        get_json::<_, String>(self.kv, key)?
            .map(|id| parse_id(key, id.as_bytes()))
            .transpose()
    }

    fn pointed(&self, key: &str, id: &GameId) -> Result<Game, StoreError> {
        self.load(id)?
            .ok_or_else(|| StoreError::Corrupt(format!("{key} points to a missing game")))
    }

    /// The stored key of the daily draw, storing `candidate` if there is none yet. Every
    /// instance agrees on the first key written, so the daily word is the same for everyone.
    pub fn daily_secret(&self, candidate: &[u8]) -> Result<Vec<u8>, StoreError> {
        let key = "secret:daily";
        let secret = match get_json::<_, Vec<u8>>(self.kv, key) {
            Ok(Some(secret)) => secret,
            // Earlier versions stored the raw bytes.
            Err(StoreError::Corrupt(_)) => self.kv.get(key)?.unwrap_or_default(),
            Ok(None) => update_json(self.kv, key, MAX_ATTEMPTS, |secret: Option<Vec<u8>>| {
                Ok::<_, StoreError>(match secret {
                    Some(secret) => Step::Keep(secret),
                    None => Step::Write(candidate.to_vec(), candidate.to_vec()),
                })
            })?,
            Err(e) => return Err(e),
        };
        if secret.is_empty() {
            return Err(StoreError::Corrupt(format!("{key}: empty secret")));
        }
        Ok(secret)
    }

    /// The player's daily games not yet settled, with their dates.
    pub fn open_dailies(&self, player: &PlayerName) -> Result<Vec<(GameId, Date)>, StoreError> {
        let key = open_key(player);
        let open: BTreeMap<String, Date> = get_json(self.kv, &key)?.unwrap_or_default();
        open.into_iter()
            .map(|(id, date)| Ok((parse_id(&key, id.as_bytes())?, date)))
            .collect()
    }

    fn open(&self, player: &PlayerName, id: &GameId, date: Date) -> Result<(), StoreError> {
        self.edit_open(player, |open| {
            open.insert(id.as_str().to_owned(), date).is_none()
        })
    }

    /// Drops settled (or vanished) games from the player's open dailies.
    pub fn close(&self, player: &PlayerName, ids: &[GameId]) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        self.edit_open(player, |open| {
            let before = open.len();
            open.retain(|id, _| !ids.iter().any(|gone| gone.as_str() == id));
            open.len() != before
        })
    }

    /// Applies `edit` to the player's open dailies; it says whether it changed them (only then
    /// is the list written back).
    fn edit_open(
        &self,
        player: &PlayerName,
        mut edit: impl FnMut(&mut BTreeMap<String, Date>) -> bool,
    ) -> Result<(), StoreError> {
        update_json(
            self.kv,
            &open_key(player),
            MAX_ATTEMPTS,
            |open: Option<BTreeMap<String, Date>>| {
                let mut open = open.unwrap_or_default();
                Ok::<_, StoreError>(match edit(&mut open) {
                    true => Step::Write(open, ()),
                    false => Step::Keep(()),
                })
            },
        )
    }

    /// Deletes every game of the player and every key naming them: the games in their index
    /// (and their daily pointers), the current game and today's daily pointer (which predate the
    /// index for older accounts), the open dailies, then the index itself. Each step can be
    /// repeated and the index goes last, so a retry after a failure finishes the job.
    pub fn forget(&self, player: &PlayerName, today: Date) -> Result<(), StoreError> {
        let index = index_key(player);
        let count = self.kv.increment(&index, 0)?;
        let mut ids = Vec::new();
        for n in 1..=count {
            let entry = format!("{index}:{n}");
            if let Some(bytes) = self.kv.get(&entry)? {
                ids.push(parse_id(&entry, &bytes)?);
            }
        }
        ids.extend(self.current(player)?);
        ids.extend(self.pointer(&daily_key(today, player))?);
        for id in &ids {
            let Some(game) = self.load(id)? else {
                continue;
            };
            if game.player() != player {
                continue;
            }
            if game.mode() == Mode::Daily {
                self.drop_pointer(&daily_key(game.date(), player))?;
            }
            self.forget_challenges(&game)?;
            remove_json::<_, Game>(self.kv, &game_key(id), MAX_ATTEMPTS)?;
        }
        // Covers a daily pointer written before the index existed, or one whose game is gone.
        self.drop_pointer(&daily_key(today, player))?;
        remove_json::<_, BTreeMap<String, Date>>(self.kv, &open_key(player), MAX_ATTEMPTS)?;
        self.kv.delete(&current_key(player))?;
        for n in 1..=count {
            self.kv.delete(&format!("{index}:{n}"))?;
        }
        self.kv.delete(&index)
    }

    /// Removes a daily pointer: a tombstone for one under revision control, so a later claim of
    /// the same day works as on a fresh key; a bare id from earlier versions has no revisions
    /// to keep.
    fn drop_pointer(&self, key: &str) -> Result<(), StoreError> {
        match self.kv.get(key)? {
            None => Ok(()),
            Some(bytes) if parse_id(key, &bytes).is_ok() => self.kv.delete(key),
            Some(_) => remove_json::<_, String>(self.kv, key, MAX_ATTEMPTS).map(drop),
        }
    }

    /// The ids of the player's last `limit` games, most recent first, read from their index
    /// (a bounded read, however many games the player has played).
    pub fn recent(&self, player: &PlayerName, limit: i64) -> Result<Vec<GameId>, StoreError> {
        let index = index_key(player);
        let count = self.kv.increment(&index, 0)?;
        let mut ids = Vec::new();
        for n in ((count - limit).max(0) + 1..=count).rev() {
            let entry = format!("{index}:{n}");
            if let Some(bytes) = self.kv.get(&entry)? {
                ids.push(parse_id(&entry, &bytes)?);
            }
        }
        Ok(ids)
    }

    pub fn current(&self, player: &PlayerName) -> Result<Option<GameId>, StoreError> {
        let key = current_key(player);
        self.kv
            .get(&key)?
            .map(|bytes| parse_id(&key, &bytes))
            .transpose()
    }

    pub fn set_current(&self, player: &PlayerName, id: &GameId) -> Result<(), StoreError> {
        self.kv.set(&current_key(player), id.as_str().as_bytes())
    }
}

fn game_key(id: &GameId) -> String {
    format!("game:{id}")
}

fn current_key(player: &PlayerName) -> String {
    format!("current:{}", player.key())
}

fn daily_key(date: Date, player: &PlayerName) -> String {
    format!("daily:{date}:{}", player.key())
}

fn open_key(player: &PlayerName) -> String {
    format!("open:{}", player.key())
}

fn index_key(player: &PlayerName) -> String {
    format!("index:{}", player.key())
}

fn parse_id(key: &str, bytes: &[u8]) -> Result<GameId, StoreError> {
    std::str::from_utf8(bytes)
        .ok()
        .and_then(|text| GameId::parse(text).ok())
        .ok_or_else(|| StoreError::Corrupt(format!("{key}: not a game id")))
}
