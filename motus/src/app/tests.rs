//! The use cases over an in-memory store and fake siblings.

mod challenges;
mod concurrency;
mod dailies;
mod games;
mod recording;
mod unfinished;

use super::store::Store;
use super::{DailyKey, Entropy, Motus};
use crate::domain::dictionary::{Dictionary, WordList};
use crate::domain::game::Mode;
use crate::domain::word::Guess;
use crate::testing::{FakeSiblings, Listed, TestKv};
use spin_kit::game_id::GameId;
use spin_kit::memory::MemKv;
use spin_kit::names::PlayerName;

/// 2024-05-01T10:00:00Z, noon in Paris.
const NOON: i64 = 1_714_557_600;
const VALID: &str = "MAISON,MOUTON,MARCHE,MIROIR,MELONS,MOULIN,BATEAU,BALADE";

fn player(name: &str) -> PlayerName {
    PlayerName::parse(name).unwrap()
}

fn guess(text: &str) -> Guess {
    Guess::parse(text).unwrap()
}

fn entropy(n: u8) -> Entropy {
    Entropy {
        id: [n; 16],
        pick: u64::from(n),
    }
}

type TestMotus<'a, K = MemKv> = Motus<'a, TestKv<K>, FakeSiblings>;

/// One store and one pair of siblings, seen by every request a test makes.
struct World<K = MemKv> {
    kv: TestKv<K>,
    siblings: FakeSiblings,
    /// [`Motus::forgotten_for`]: as with access tokens on.
    forgotten_for: i64,
}

impl Default for World {
    fn default() -> Self {
        Self::over(MemKv::default())
    }
}

impl<K: Listed> World<K> {
    /// A world over one of spin-kit's faulty stores.
    fn over(inner: K) -> Self {
        Self {
            kv: TestKv::over(inner),
            siblings: FakeSiblings::default(),
            forgotten_for: spin_kit::access::MAX_LIFETIME as i64,
        }
    }

    /// Runs `body` as one request at `now`, with the given words and daily key.
    fn run<R>(
        &self,
        dictionary: &Dictionary<'_>,
        daily_key: DailyKey<'_>,
        now: i64,
        body: impl FnOnce(&TestMotus<'_, K>) -> R,
    ) -> R {
        body(&Motus {
            store: Store::new(&self.kv),
            dictionary,
            daily_key,
            siblings: &self.siblings,
            now,
            forgotten_for: self.forgotten_for,
        })
    }

    /// Runs `body` as one request at `now`, where `answers` are the only answers.
    fn answering<R>(
        &self,
        answers: &str,
        now: i64,
        body: impl FnOnce(&TestMotus<'_, K>) -> R,
    ) -> R {
        let valid = WordList::parse(VALID).unwrap();
        let none = WordList::default();
        let dictionary = Dictionary::new(&valid, &none, WordList::parse(answers).unwrap());
        self.run(&dictionary, DailyKey::Configured(b"secret"), now, body)
    }

    /// Runs `body` as one request at `now`, where every answer is MAISON.
    fn at<R>(&self, now: i64, body: impl FnOnce(&TestMotus<'_, K>) -> R) -> R {
        self.answering("MAISON", now, body)
    }

    fn noon<R>(&self, body: impl FnOnce(&TestMotus<'_, K>) -> R) -> R {
        self.at(NOON, body)
    }

    /// A practice game of `player`'s, started at noon.
    fn practice(&self, player: &PlayerName, n: u8) -> GameId {
        let started = self.noon(|m| m.start(player, Mode::Practice, None, entropy(n)));
        started.unwrap().game.id().clone()
    }

    /// Alice's daily game of `NOON`, with `words` played.
    fn daily_with(&self, words: &[&str]) -> GameId {
        let alice = player("alice");
        let started = self.noon(|m| m.start(&alice, Mode::Daily, None, entropy(1)));
        let id = started.unwrap().game.id().clone();
        for word in words {
            self.noon(|m| m.guess(&alice, &id, &guess(word))).unwrap();
        }
        id
    }
}
