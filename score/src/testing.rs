//! In-memory doubles for native tests: a store that fails on cue, motus and auth.

use serde_json::{json, Value};
use spin_kit::game_id::GameId;
use spin_kit::kv::{Kv, StoreError};
use spin_kit::memory::MemKv;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::siblings::{Credential, GameResults, Identity, Lookup, SiblingError};

/// 2026-11-26 12:00 in Paris.
pub const NOW: i64 = 1_795_690_800;
pub const TODAY: &str = "2026-11-26";
/// The `result_secret` motus and score share in these tests.
pub const SECRET: &str = "shared-result-secret";

/// A game id with a readable name in it: `name`'s bytes in hex, padded to the kit's 32 digits
/// (names of up to 16 bytes).
pub fn game_id(name: &str) -> String {
    let hex: String = name.bytes().map(|b| format!("{b:02x}")).collect();
    format!("{hex:0>32}")
}

pub fn id(name: &str) -> GameId {
    GameId::parse(&game_id(name)).unwrap()
}

/// The token [`FakeAuth`] knows for `player`; `tok-down` finds auth unavailable.
pub fn token(player: &str) -> String {
    format!("tok-{}", player.to_ascii_lowercase())
}

/// auth as score sees it: `tok-{name}` is `name`'s token, anything else is refused.
pub struct FakeAuth;

impl Identity for FakeAuth {
    async fn username(&self, token: &str) -> Result<String, SiblingError> {
        match token.strip_prefix("tok-") {
            Some("down") => Err(SiblingError::Unavailable("délai de 5000 ms dépassé".into())),
            Some(name) => Ok(name.to_owned()),
            None => Err(SiblingError::Refused),
        }
    }
}

/// motus as score sees it: it hands a finished game's result to the game's player (asking
/// [`FakeAuth`] whose token it is) or to the holder of [`SECRET`], like the real one. Games
/// are named as in [`game_id`]: `down` finds motus unreachable, `hung` finds it not answering
/// in time.
#[derive(Default)]
pub struct FakeMotus {
    pub results: HashMap<String, Value>,
    /// How many times score asked.
    pub asked: AtomicUsize,
}

impl FakeMotus {
    /// A daily game of `player` on `date`, over.
    pub fn finish(
        &mut self,
        id: &str,
        player: &str,
        date: &str,
        won: bool,
        tries: u32,
        length: u32,
    ) {
        self.results.insert(
            game_id(id),
            json!({
                "game_id": game_id(id), "player": player, "mode": "daily", "date": date, "length": length,
                "won": won, "tries": tries, "answer": "A".repeat(length as usize),
                "finished_at": NOW as u64
            }),
        );
    }

    /// A practice game of `player` today, over.
    pub fn practice(&mut self, id: &str, player: &str, won: bool, tries: u32, length: u32) {
        self.finish(id, player, TODAY, won, tries, length);
        self.results.get_mut(&game_id(id)).unwrap()["mode"] = json!("practice");
    }

    pub fn asked(&self) -> usize {
        self.asked.load(Ordering::SeqCst)
    }
}

impl GameResults for FakeMotus {
    async fn result(
        &self,
        id: &GameId,
        credential: Credential<'_>,
    ) -> Result<Lookup, SiblingError> {
        self.asked.fetch_add(1, Ordering::SeqCst);
        let caller = match credential {
            Credential::Secret(SECRET) => None,
            Credential::Secret(_) => {
                return Err(SiblingError::BadGateway("result_secret refusé".into()))
            }
            Credential::Player(token) => Some(FakeAuth.username(token).await?),
        };
        if *id == self::id("down") {
            return Err(SiblingError::BadGateway("injoignable".into()));
        }
        if *id == self::id("hung") {
            return Err(SiblingError::Unavailable("délai de 5000 ms dépassé".into()));
        }
        match self.results.get(id.as_str()) {
            Some(body)
                if caller.as_deref().is_none_or(|name| {
                    body["player"].as_str().unwrap().eq_ignore_ascii_case(name)
                }) =>
            {
                Ok(Lookup::Finished(
                    serde_json::from_value(body.clone()).unwrap(),
                ))
            }
            _ => Ok(Lookup::NotFinished),
        }
    }
}

/// A `Kv` that works for `budget` operations and then fails every call, to interrupt a
/// recording at each possible point.
pub struct Flaky<'a> {
    pub inner: &'a MemKv,
    pub budget: AtomicUsize,
}

impl Flaky<'_> {
    fn spend(&self) -> Result<(), StoreError> {
        let left = self.budget.load(Ordering::SeqCst);
        if left == 0 {
            return Err(StoreError::Unavailable("injected failure".into()));
        }
        self.budget.store(left - 1, Ordering::SeqCst);
        Ok(())
    }
}

impl Kv for Flaky<'_> {
    type Cas = (String, Option<Vec<u8>>);

    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.spend()?;
        self.inner.get(key)
    }

    fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        self.spend()?;
        self.inner.get_many(keys)
    }

    fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.spend()?;
        self.inner.set(key, value)
    }

    fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.spend()?;
        self.inner.delete(key)
    }

    fn increment(&self, key: &str, delta: i64) -> Result<i64, StoreError> {
        self.spend()?;
        self.inner.increment(key, delta)
    }

    fn watch(&self, key: &str) -> Result<(Self::Cas, Option<Vec<u8>>), StoreError> {
        self.spend()?;
        self.inner.watch(key)
    }

    fn swap(&self, cas: Self::Cas, value: &[u8]) -> Result<bool, StoreError> {
        self.spend()?;
        self.inner.swap(cas, value)
    }
}
