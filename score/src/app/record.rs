//! Recording a finished game exactly once.
//!
//! Recording is a sequence of idempotent steps, so that a retry after a failure at any point
//! finishes the job instead of skipping or repeating it:
//!
//! 1. create `game:{id}` if absent (`done: false`); if it exists and is done, answer from it;
//! 2. apply the game to `player:{key}` by compare-and-swap, unless the document lists it as
//!    pending or the game record is already done; the game gets a history sequence number;
//! 3. write the history entry under that number (a plain overwrite of the same value);
//! 4. raise the player's leaderboard entries to the tallies now in the player document;
//! 5. mark `game:{id}` done;
//! 6. drop the id from the player's pending list.
//!
//! Step 2 reads the game record after the player document, and step 5 happens before 6, so a
//! request that finds the id gone from the pending list also finds the game done. An id left
//! pending by an interruption between steps 5 and 6 is dropped by the player's next recording.

use spin_kit::calendar::Date;
use spin_kit::game_id::GameId;
use spin_kit::kv::{get_json, set_json, update_json, Kv, Step, StoreError};
use spin_kit::names::PlayerName;

use super::{Outcome, Presented, Score, ScoreError, MAX_CAS_ATTEMPTS};
use crate::domain::history::{game_key, history_key, GameRecord, HistoryEntry, Recorded};
use crate::domain::leaderboard::{raise, shard_key, shard_of, Period, Shard};
use crate::domain::player::player_key;
use crate::domain::{FinishedGame, Mode, PlayerDoc};
use crate::siblings::{Credential, GameResults, Lookup, Sibling, SiblingError};

impl<K: Kv, M, A> Score<'_, K, M, A> {
    /// Records the game `id` as motus reports it, for the player motus names. A game recorded
    /// before is answered from score's record, without asking motus again. Otherwise motus
    /// must hand over the result, which holds the answer: it does so for the game's player
    /// (whose token is `presented`, which motus checks with auth) or for a sibling holding the
    /// shared secret.
    pub async fn record_game(
        &self,
        id: &GameId,
        presented: Presented<'_>,
    ) -> Result<Outcome, ScoreError>
    where
        M: GameResults,
    {
        if let Some(recorded) = self.already_recorded(id)? {
            return Ok(Outcome::Repeated(recorded));
        }
        let credential = match (presented.token()?, self.result_secret) {
            (Some(token), _) => Credential::Player(token),
            (None, Some(secret)) => Credential::Secret(secret),
            (None, None) => return Err(ScoreError::NoToken),
        };
        let lookup = self.motus.result(id, credential).await;
        let game = match lookup.map_err(ScoreError::from_sibling(Sibling::Motus))? {
            Lookup::NotFinished => return Err(ScoreError::GameNotFinished),
            Lookup::Finished(result) => {
                FinishedGame::from_result(id, result).map_err(|e| ScoreError::Sibling {
                    sibling: Sibling::Motus,
                    failure: SiblingError::BadGateway(e.to_string()),
                })?
            }
        };
        Ok(self.record(&game)?)
    }

    /// The answer for a game whose recording has completed, without asking motus again.
    fn already_recorded(&self, id: &GameId) -> Result<Option<Recorded>, StoreError> {
        let record: Option<GameRecord> = get_json(self.kv, &game_key(id.as_str()))?;
        Ok(record.filter(|r| r.done).map(|r| r.recorded))
    }

    /// Records a game motus reported, the steps above from the first.
    fn record(&self, game: &FinishedGame) -> Result<Outcome, StoreError> {
        let key = game_key(game.game_id.as_str());
        let fresh = GameRecord::pending(game);
        let (record, created) = update_json(
            self.kv,
            &key,
            MAX_CAS_ATTEMPTS,
            |current: Option<GameRecord>| {
                Ok::<_, StoreError>(match current {
                    Some(existing) => Step::Keep((existing, false)),
                    None => Step::Write(fresh.clone(), (fresh.clone(), true)),
                })
            },
        )?;
        if !record.done {
            self.finish(game, &key, &record)?;
        }
        Ok(match created {
            true => Outcome::Created(record.recorded),
            false => Outcome::Repeated(record.recorded),
        })
    }

    fn finish(
        &self,
        game: &FinishedGame,
        key: &str,
        record: &GameRecord,
    ) -> Result<(), StoreError> {
        let doc_key = player_key(&game.player);
        let id = game.game_id.as_str();
        let seq = update_json(
            self.kv,
            &doc_key,
            MAX_CAS_ATTEMPTS,
            |doc: Option<PlayerDoc>| {
                let mut doc = doc.unwrap_or_else(|| PlayerDoc::new(&game.player));
                if let Some(&seq) = doc.pending.get(id) {
                    return Ok(Step::Keep(Some(seq)));
                }
                let done = get_json::<_, GameRecord>(self.kv, key)?.is_some_and(|r| r.done);
                if done {
                    return Ok(Step::Keep(None));
                }
                self.forget_finished(&mut doc)?;
                let seq = doc.apply(game, self.today);
                Ok::<_, StoreError>(Step::Write(doc, Some(seq)))
            },
        )?;
        let Some(seq) = seq else {
            return Ok(());
        };
        set_json(
            self.kv,
            &history_key(&game.player, seq),
            &HistoryEntry::of(game),
        )?;
        if game.mode == Mode::Daily {
            self.sync_leaderboards(&game.player, game.date)?;
        }
        update_json(
            self.kv,
            key,
            MAX_CAS_ATTEMPTS,
            |current: Option<GameRecord>| {
                Ok::<_, StoreError>(match current {
                    Some(current) if !current.done => Step::Write(
                        GameRecord {
                            done: true,
                            ..record.clone()
                        },
                        (),
                    ),
                    _ => Step::Keep(()),
                })
            },
        )?;
        update_json(
            self.kv,
            &doc_key,
            MAX_CAS_ATTEMPTS,
            |doc: Option<PlayerDoc>| {
                Ok::<_, StoreError>(match doc {
                    Some(mut doc) if doc.pending.contains_key(id) => {
                        doc.pending.remove(id);
                        Step::Write(doc, ())
                    }
                    _ => Step::Keep(()),
                })
            },
        )
    }

    /// Drops pending ids whose game record is done: normally step 6 does it, but a recording
    /// interrupted between steps 5 and 6 leaves its id behind, and a repeat of a done game
    /// never comes back to the player document.
    fn forget_finished(&self, doc: &mut PlayerDoc) -> Result<(), StoreError> {
        let mut finished = Vec::new();
        for id in doc.pending.keys() {
            let record: Option<GameRecord> = get_json(self.kv, &game_key(id))?;
            if record.is_some_and(|r| r.done) {
                finished.push(id.clone());
            }
        }
        for id in finished {
            doc.pending.remove(&id);
        }
        Ok(())
    }

    /// Raises the player's entries in the all-time board and in the day and week boards of
    /// `date` to what the player document now says.
    pub(super) fn sync_leaderboards(
        &self,
        player: &PlayerName,
        date: Date,
    ) -> Result<(), StoreError> {
        let Some(doc) = get_json::<_, PlayerDoc>(self.kv, &player_key(player))? else {
            return Ok(());
        };
        let shard = shard_of(player.key());
        for period in [Period::All, Period::Week, Period::Day] {
            let Some(tally) = doc.tally(&period.tally_name(date)) else {
                continue;
            };
            let key = shard_key(period, &period.key(date), shard);
            update_json(self.kv, &key, MAX_CAS_ATTEMPTS, |current: Option<Shard>| {
                let mut shard = current.unwrap_or_default();
                Ok::<_, StoreError>(match raise(&mut shard, player.key(), &doc.player, tally) {
                    true => Step::Write(shard, ()),
                    false => Step::Keep(()),
                })
            })?;
        }
        Ok(())
    }
}
