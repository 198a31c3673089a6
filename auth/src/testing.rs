//! Fake siblings for native tests; the store, clock and randomness come from the kit
//! (`MemKv`, `FixedClock`, `CountingRandom`).

use std::sync::Mutex;

use crate::domain::SessionToken;
use crate::siblings::{Outcome, PlayerData, Sibling, SiblingFailure};

/// Siblings that remember what they were asked to forget, and can be told to fail.
#[derive(Default)]
pub struct FakePlayers {
    pub asked: Mutex<Vec<(Sibling, String, String)>>,
    pub down: Mutex<Vec<Sibling>>,
}

impl FakePlayers {
    pub fn take_down(&self, sibling: Sibling) {
        self.down.lock().unwrap().push(sibling);
    }

    pub fn bring_back(&self) {
        self.down.lock().unwrap().clear();
    }

    /// `(sibling, player)` of every call so far, in order.
    pub fn calls(&self) -> Vec<(Sibling, String)> {
        let asked = self.asked.lock().unwrap();
        asked.iter().map(|(s, p, _)| (*s, p.clone())).collect()
    }
}

impl PlayerData for FakePlayers {
    async fn forget(&self, sibling: Sibling, player: &str, token: &SessionToken) -> Outcome {
        let call = (sibling, player.to_owned(), token.as_str().to_owned());
        self.asked.lock().unwrap().push(call);
        match self.down.lock().unwrap().contains(&sibling) {
            true => Err(SiblingFailure("answered 503".into())),
            false => Ok(()),
        }
    }
}
