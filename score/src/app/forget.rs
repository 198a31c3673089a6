//! Deleting a player: auth calls it, with the player's own token, when an account is deleted.

use spin_kit::kv::{get_json, get_many_json, remove_json, update_json, Kv, Step, StoreError};
use spin_kit::names::PlayerName;

use super::{Presented, Score, ScoreError, MAX_CAS_ATTEMPTS};
use crate::domain::history::{game_key, history_key, GameRecord, HistoryEntry};
use crate::domain::leaderboard::{shard_key, shard_of, Period, Shard};
use crate::domain::player::player_key;
use crate::domain::PlayerDoc;
use crate::siblings::Identity;

impl<K: Kv, M, A: Identity> Score<'_, K, M, A> {
    /// The player, and only them (auth says whose token is `presented`), deletes everything score
    /// holds about them. Done also when there was nothing.
    pub async fn forget(
        &self,
        player: &PlayerName,
        presented: Presented<'_>,
    ) -> Result<(), ScoreError> {
        let token = presented.token()?.ok_or(ScoreError::NoToken)?;
        if !self.is_player(token, player).await? {
            return Err(ScoreError::NotYours);
        }
        Ok(self.erase(player)?)
    }

    /// Their entries in every board the player document lists, their history, the records of
    /// their games, then the document itself. Each step can be repeated, and the document goes
    /// last, so a retry after a failure anywhere finds what is left and finishes.
    fn erase(&self, player: &PlayerName) -> Result<(), StoreError> {
        let doc_key = player_key(player);
        let Some(doc) = get_json::<_, PlayerDoc>(self.kv, &doc_key)? else {
            return Ok(());
        };
        let shard = shard_of(player.key());
        for board in &doc.boards {
            let Some((period, key)) = Period::of_tally_name(board) else {
                continue;
            };
            update_json(
                self.kv,
                &shard_key(period, &key, shard),
                MAX_CAS_ATTEMPTS,
                |current: Option<Shard>| {
                    Ok::<_, StoreError>(match current {
                        Some(mut shard) => match shard.remove(player.key()) {
                            Some(_) => Step::Write(shard, ()),
                            None => Step::Keep(()),
                        },
                        None => Step::Keep(()),
                    })
                },
            )?;
        }
        let mut games: Vec<String> = doc.pending.keys().cloned().collect();
        let seqs: Vec<u64> = (0..doc.next_seq).collect();
        for chunk in seqs.chunks(100) {
            let keys: Vec<String> = chunk.iter().map(|&s| history_key(player, s)).collect();
            let entries = get_many_json::<_, HistoryEntry>(self.kv, &keys)?;
            games.extend(entries.into_iter().flatten().filter_map(|e| e.game_id));
            for key in &keys {
                // History entries are written by `set_json` only, never updated: a plain delete.
                self.kv.delete(key)?;
            }
        }
        for id in games {
            remove_json::<_, GameRecord>(self.kv, &game_key(&id), MAX_CAS_ATTEMPTS)?;
        }
        remove_json::<_, PlayerDoc>(self.kv, &doc_key, MAX_CAS_ATTEMPTS)?;
        Ok(())
    }
}
