//! Players motus has just forgotten. Key: `forgotten:{player key}` → Unix seconds until which
//! no new game may be started for that name (see `Motus::forget`).

use spin_kit::kv::{get_json, set_json};
use spin_kit::names::PlayerName;

use super::{Kv, Store, StoreError};

impl<K: Kv> Store<'_, K> {
    pub fn mark_forgotten(&self, player: &PlayerName, until: i64) -> Result<(), StoreError> {
        set_json(self.kv, &forgotten_key(player), &until)
    }

    /// Until when `player` stays forgotten, if they were.
    pub fn forgotten_until(&self, player: &PlayerName) -> Result<Option<i64>, StoreError> {
        get_json(self.kv, &forgotten_key(player))
    }
}

fn forgotten_key(player: &PlayerName) -> String {
    format!("forgotten:{}", player.key())
}
