//! Test doubles: a key-value store that lets a test land a concurrent write at the worst moment
//! and counts writes, siblings that answer from memory, and a way to run the use cases' futures.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use spin_kit::kv::{Kv, StoreError};
use spin_kit::memory::{Faulty, MemKv};

use crate::siblings::{IdentityError, RecordFailure, Siblings};
use spin_kit::game_id::GameId;
use spin_kit::names::PlayerName;

/// spin-kit's in-memory stores: their keys can be listed, and a swap names its key.
pub trait Listed: Kv<Cas = (String, Option<Vec<u8>>)> {
    fn keys(&self) -> Vec<String>;
}

impl Listed for MemKv {
    fn keys(&self) -> Vec<String> {
        MemKv::keys(self)
    }
}

impl Listed for Faulty {
    fn keys(&self) -> Vec<String> {
        self.inner.keys()
    }
}

type Interference<K> = Box<dyn FnMut(&str, &K) + Send>;

/// One of spin-kit's in-memory stores (exact, or with a real store's fault), safe to share
/// between threads, with a hook to simulate a concurrent writer landing just before a swap or a
/// claim, and a count of the writes that happened.
pub struct TestKv<K = MemKv> {
    inner: K,
    before_write: Mutex<Option<Interference<K>>>,
    writes: Mutex<usize>,
}

impl Default for TestKv {
    fn default() -> Self {
        Self::over(MemKv::default())
    }
}

impl<K: Listed> TestKv<K> {
    pub fn over(inner: K) -> Self {
        Self {
            inner,
            before_write: Mutex::new(None),
            writes: Mutex::new(0),
        }
    }

    /// Runs `hook` just before every swap and every increment, with the key and the store.
    pub fn interfere(&self, hook: impl FnMut(&str, &K) + Send + 'static) {
        *self.before_write.lock().unwrap() = Some(Box::new(hook));
    }

    /// Writes so far: sets, increments and swaps that took.
    pub fn writes(&self) -> usize {
        *self.writes.lock().unwrap()
    }

    /// Every key, sorted.
    pub fn keys(&self) -> Vec<String> {
        self.inner.keys()
    }

    pub fn put_raw(&self, key: &str, value: &[u8]) {
        self.inner.set(key, value).unwrap();
    }

    fn hook(&self, key: &str) {
        if let Some(hook) = self.before_write.lock().unwrap().as_mut() {
            hook(key, &self.inner);
        }
    }

    fn wrote(&self) {
        *self.writes.lock().unwrap() += 1;
    }
}

impl<K: Listed> Kv for TestKv<K> {
    type Cas = K::Cas;

    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.inner.get(key)
    }

    fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        self.inner.get_many(keys)
    }

    fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.wrote();
        self.inner.set(key, value)
    }

    fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.inner.delete(key)
    }

    fn increment(&self, key: &str, delta: i64) -> Result<i64, StoreError> {
        self.hook(key);
        self.wrote();
        self.inner.increment(key, delta)
    }

    fn watch(&self, key: &str) -> Result<(Self::Cas, Option<Vec<u8>>), StoreError> {
        self.inner.watch(key)
    }

    fn swap(&self, cas: Self::Cas, value: &[u8]) -> Result<bool, StoreError> {
        self.hook(&cas.0);
        let done = self.inner.swap(cas, value)?;
        if done {
            self.wrote();
        }
        Ok(done)
    }
}

/// Shared by reference, so a test keeps the store it hands to a request.
impl<K: Listed> Kv for &TestKv<K> {
    type Cas = K::Cas;

    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        (**self).get(key)
    }

    fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        (**self).get_many(keys)
    }

    fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        (**self).set(key, value)
    }

    fn delete(&self, key: &str) -> Result<(), StoreError> {
        (**self).delete(key)
    }

    fn increment(&self, key: &str, delta: i64) -> Result<i64, StoreError> {
        (**self).increment(key, delta)
    }

    fn watch(&self, key: &str) -> Result<(Self::Cas, Option<Vec<u8>>), StoreError> {
        (**self).watch(key)
    }

    fn swap(&self, cas: Self::Cas, value: &[u8]) -> Result<bool, StoreError> {
        (**self).swap(cas, value)
    }
}

/// How the fake auth answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Tokens are `token-{name}`; anything else is refused.
    Up,
    Down,
    /// Answers, but nothing motus can read.
    Garbled,
}

/// Auth and score in memory. Every call to score is kept, in order, with the token it carried.
pub struct FakeSiblings {
    pub auth: Mutex<Auth>,
    pub score_up: Mutex<bool>,
    pub recorded: Mutex<Vec<(GameId, String)>>,
}

impl Default for FakeSiblings {
    fn default() -> Self {
        Self {
            auth: Mutex::new(Auth::Up),
            score_up: Mutex::new(true),
            recorded: Mutex::new(Vec::new()),
        }
    }
}

impl FakeSiblings {
    /// The token the fake auth accepts for `name`.
    pub fn token(name: &str) -> String {
        format!("token-{name}")
    }

    pub fn set_score_up(&self, up: bool) {
        *self.score_up.lock().unwrap() = up;
    }

    pub fn set_auth(&self, auth: Auth) {
        *self.auth.lock().unwrap() = auth;
    }

    /// The games score was asked to record, in order (repeats included).
    pub fn record_calls(&self) -> Vec<GameId> {
        let calls = self.recorded.lock().unwrap();
        calls.iter().map(|(id, _)| id.clone()).collect()
    }

    /// How many times score was asked to record each game.
    pub fn record_counts(&self) -> HashMap<GameId, usize> {
        let mut counts = HashMap::new();
        for id in self.record_calls() {
            *counts.entry(id).or_default() += 1;
        }
        counts
    }
}

impl Siblings for FakeSiblings {
    async fn identify(&self, token: &str) -> Result<PlayerName, IdentityError> {
        match *self.auth.lock().unwrap() {
            Auth::Down => Err(IdentityError::Unavailable("auth is down".into())),
            Auth::Garbled => Err(IdentityError::BadGateway("not JSON".into())),
            Auth::Up => token
                .strip_prefix("token-")
                .and_then(|name| PlayerName::parse(name).ok())
                .ok_or(IdentityError::Rejected),
        }
    }

    async fn record(&self, id: &GameId, token: &str) -> Result<(), RecordFailure> {
        self.recorded
            .lock()
            .unwrap()
            .push((id.clone(), token.to_owned()));
        match *self.score_up.lock().unwrap() {
            true => Ok(()),
            false => Err(RecordFailure("score is down".into())),
        }
    }
}

/// Runs a future that never waits: the fakes answer at once, so one poll finishes it.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("a test double left a future waiting"),
    }
}
