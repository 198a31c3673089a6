//! Games in a key-value store, updated with compare-and-swap.
//!
//! Keys:
//! - `game:{id}` → the game as JSON;
//! - `daily:{YYYY-MM-DD}:{player}` → id of that player's daily game, written once;
//! - `current:{player}` → id of the game the player last started or resumed;
//! - `secret:daily` → the daily draw's key when none is configured, written once.

use super::calendar::Date;
use super::game::Game;
use super::ids::{GameId, Player};

/// Attempts at a read-modify-write before giving up. With a value-comparing CAS a swap only
/// fails because another writer succeeded, and a game takes at most seven writes (six guesses,
/// one "recorded" flag), so honest contention settles within eight attempts; the rest is margin
/// for stores whose swaps can fail spuriously.
pub const MAX_ATTEMPTS: usize = 32;

/// A failure of the store or of what it holds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("key-value store: {0}")]
    Backend(String),
    #[error("unreadable value at {key}: {reason}")]
    Corrupt { key: String, reason: String },
    #[error("gave up after {MAX_ATTEMPTS} conflicting concurrent updates")]
    Conflict,
}

/// Outcome of a compare-and-swap.
pub enum Swap<C> {
    Done,
    /// Someone wrote first; the handle is refreshed to the latest version for a retry.
    Stale(C),
}

/// The slice of wasi:keyvalue (store + atomics) that games need.
pub trait Kv {
    type Cas;
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError>;
    fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError>;
    fn delete(&self, key: &str) -> Result<(), StoreError>;
    /// Starts a compare-and-swap on `key`.
    fn watch(&self, key: &str) -> Result<Self::Cas, StoreError>;
    /// The value the swap will be compared against (`None`: the key is absent).
    fn current(&self, cas: &Self::Cas) -> Result<Option<Vec<u8>>, StoreError>;
    fn swap(&self, cas: Self::Cas, value: &[u8]) -> Result<Swap<Self::Cas>, StoreError>;
}

/// What an update decided to do with the game it was shown.
pub enum Change<T> {
    /// Nothing to write (a rejected guess, an already recorded game).
    Keep(T),
    Save(T),
}

/// Games over a [`Kv`].
pub struct Repo<'k, K> {
    kv: &'k K,
}

impl<'k, K: Kv> Repo<'k, K> {
    pub fn new(kv: &'k K) -> Self {
        Self { kv }
    }

    pub fn load(&self, id: &GameId) -> Result<Option<Game>, StoreError> {
        let key = game_key(id);
        self.kv
            .get(&key)?
            .map(|bytes| decode(&key, &bytes))
            .transpose()
    }

    /// Stores a new game. Ids are random, so this never overwrites another game.
    pub fn insert(&self, game: &Game) -> Result<(), StoreError> {
        self.kv.set(&game_key(game.id()), &encode(game))
    }

    /// Reads the game, lets `apply` change it, and writes it back only if nobody wrote in
    /// between; otherwise starts over on the newer version. `Ok(None)`: no such game.
    ///
    /// `apply` may run several times and must decide from the game it is given alone.
    pub fn update<T, E: From<StoreError>>(
        &self,
        id: &GameId,
        mut apply: impl FnMut(&mut Game) -> Result<Change<T>, E>,
    ) -> Result<Option<(Game, T)>, E> {
        let key = game_key(id);
        let mut cas = self.kv.watch(&key)?;
        for _ in 0..MAX_ATTEMPTS {
            let Some(bytes) = self.kv.current(&cas)? else {
                return Ok(None);
            };
            let mut game = decode(&key, &bytes)?;
            match apply(&mut game)? {
                Change::Keep(out) => return Ok(Some((game, out))),
                Change::Save(out) => match self.kv.swap(cas, &encode(&game))? {
                    Swap::Done => return Ok(Some((game, out))),
                    Swap::Stale(next) => cas = next,
                },
            }
        }
        Err(StoreError::Conflict.into())
    }

    /// The player's daily game for `date`, creating it from `fresh` if there is none yet.
    /// Returns the game and whether it was created by this call.
    ///
    /// The game is written before the pointer to it, so a pointer never dangles; if another
    /// request claims the day first, its game wins and `fresh` is removed again.
    pub fn claim_daily(
        &self,
        date: Date,
        player: &Player,
        fresh: Game,
    ) -> Result<(Game, bool), StoreError> {
        let key = format!("daily:{date}:{player}");
        let mut cas = self.kv.watch(&key)?;
        let mut inserted = false;
        for _ in 0..MAX_ATTEMPTS {
            if let Some(bytes) = self.kv.current(&cas)? {
                let id = decode_id(&key, &bytes)?;
                if let Some(existing) = self.load(&id)? {
                    if inserted {
                        self.kv.delete(&game_key(fresh.id()))?;
                    }
                    return Ok((existing, false));
                }
            }
            if !inserted {
                self.insert(&fresh)?;
                inserted = true;
            }
            match self.kv.swap(cas, fresh.id().as_str().as_bytes())? {
                Swap::Done => return Ok((fresh, true)),
                Swap::Stale(next) => cas = next,
            }
        }
        Err(StoreError::Conflict)
    }

    /// The stored key of the daily draw, storing `candidate` if there is none yet. Every
    /// instance agrees on the first key written, so the daily word is the same for everyone.
    pub fn daily_secret(&self, candidate: &[u8]) -> Result<Vec<u8>, StoreError> {
        let key = "secret:daily";
        let mut cas = self.kv.watch(key)?;
        for _ in 0..MAX_ATTEMPTS {
            match self.kv.current(&cas)? {
                Some(secret) if !secret.is_empty() => return Ok(secret),
                Some(_) => {
                    return Err(StoreError::Corrupt {
                        key: key.to_owned(),
                        reason: "empty secret".to_owned(),
                    })
                }
                None => match self.kv.swap(cas, candidate)? {
                    Swap::Done => return Ok(candidate.to_vec()),
                    Swap::Stale(next) => cas = next,
                },
            }
        }
        Err(StoreError::Conflict)
    }

    pub fn current(&self, player: &Player) -> Result<Option<GameId>, StoreError> {
        let key = current_key(player);
        self.kv
            .get(&key)?
            .map(|bytes| decode_id(&key, &bytes))
            .transpose()
    }

    pub fn set_current(&self, player: &Player, id: &GameId) -> Result<(), StoreError> {
        self.kv.set(&current_key(player), id.as_str().as_bytes())
    }
}

fn game_key(id: &GameId) -> String {
    format!("game:{id}")
}

fn current_key(player: &Player) -> String {
    format!("current:{player}")
}

fn encode(game: &Game) -> Vec<u8> {
    // Serialising plain structs of strings and integers cannot fail.
    serde_json::to_vec(game).unwrap_or_default()
}

fn decode(key: &str, bytes: &[u8]) -> Result<Game, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt {
        key: key.to_owned(),
        reason: e.to_string(),
    })
}

fn decode_id(key: &str, bytes: &[u8]) -> Result<GameId, StoreError> {
    std::str::from_utf8(bytes)
        .ok()
        .and_then(|text| GameId::parse(text).ok())
        .ok_or_else(|| StoreError::Corrupt {
            key: key.to_owned(),
            reason: "not a game id".to_owned(),
        })
}

/// An in-memory [`Kv`] for tests, safe to share between threads, with a hook to simulate a
/// concurrent writer landing between a read and its swap.
#[cfg(test)]
pub mod memory {
    use super::{Kv, StoreError, Swap};
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::sync::Mutex;

    type Interference = Box<dyn FnMut(&str, &mut HashMap<String, Vec<u8>>) + Send>;

    #[derive(Default)]
    pub struct MemoryKv {
        entries: Mutex<HashMap<String, Vec<u8>>>,
        before_swap: Mutex<Option<Interference>>,
        pub writes: Mutex<usize>,
    }

    pub struct MemoryCas {
        key: String,
        seen: RefCell<Option<Option<Vec<u8>>>>,
    }

    impl MemoryKv {
        /// Runs `hook` just before every swap, with the key and the entries.
        pub fn interfere(
            &self,
            hook: impl FnMut(&str, &mut HashMap<String, Vec<u8>>) + Send + 'static,
        ) {
            *self.before_swap.lock().unwrap() = Some(Box::new(hook));
        }

        pub fn keys(&self) -> Vec<String> {
            let mut keys: Vec<String> = self.entries.lock().unwrap().keys().cloned().collect();
            keys.sort();
            keys
        }

        pub fn raw(&self, key: &str) -> Option<Vec<u8>> {
            self.entries.lock().unwrap().get(key).cloned()
        }

        pub fn put_raw(&self, key: &str, value: &[u8]) {
            self.entries
                .lock()
                .unwrap()
                .insert(key.to_owned(), value.to_vec());
        }
    }

    impl Kv for MemoryKv {
        type Cas = MemoryCas;

        fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
            Ok(self.raw(key))
        }

        fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
            *self.writes.lock().unwrap() += 1;
            self.put_raw(key, value);
            Ok(())
        }

        fn delete(&self, key: &str) -> Result<(), StoreError> {
            self.entries.lock().unwrap().remove(key);
            Ok(())
        }

        fn watch(&self, key: &str) -> Result<MemoryCas, StoreError> {
            Ok(MemoryCas {
                key: key.to_owned(),
                seen: RefCell::new(None),
            })
        }

        fn current(&self, cas: &MemoryCas) -> Result<Option<Vec<u8>>, StoreError> {
            let value = self.raw(&cas.key);
            *cas.seen.borrow_mut() = Some(value.clone());
            Ok(value)
        }

        fn swap(&self, cas: MemoryCas, value: &[u8]) -> Result<Swap<MemoryCas>, StoreError> {
            if let Some(hook) = self.before_swap.lock().unwrap().as_mut() {
                hook(&cas.key, &mut self.entries.lock().unwrap());
            }
            let mut entries = self.entries.lock().unwrap();
            let expected = cas.seen.borrow_mut().take().ok_or_else(|| {
                StoreError::Backend("swap without reading the current value".to_owned())
            })?;
            if entries.get(&cas.key) != expected.as_ref() {
                return Ok(Swap::Stale(MemoryCas {
                    key: cas.key,
                    seen: RefCell::new(None),
                }));
            }
            entries.insert(cas.key, value.to_vec());
            *self.writes.lock().unwrap() += 1;
            Ok(Swap::Done)
        }
    }
}
