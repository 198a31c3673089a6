//! Use cases of the score service over the `Kv` capability, with the clock passed in.
//!
//! Recording a game is a sequence of idempotent steps, so that a retry after a failure at any
//! point finishes the job instead of skipping or repeating it:
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

use serde::Serialize;
use spin_kit::kv::{get_json, get_many_json, remove_json, set_json, update_json, Step};

use crate::domain::history::{
    game_key, history_key, page_seqs, Cursor, GameRecord, HistoryEntry, Recorded,
};
use crate::domain::leaderboard::{
    raise, shard_key, shard_keys, shard_of, top, Period, Ranked, Shard,
};
use crate::domain::{
    FinishedGame, GameDate, GameId, Kv, Mode, PlayerDoc, PlayerName, Stats, StoreError,
};

/// How many compare-and-swap rounds an update may lose before giving up: enough for a burst of
/// concurrent requests on one key, bounded so a hot key cannot pin an instance forever.
pub const MAX_CAS_ATTEMPTS: usize = 100;

pub fn player_key(player: &str) -> String {
    format!("player:{player}")
}

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

pub struct Score<'a, K> {
    kv: &'a K,
    today: GameDate,
}

impl<'a, K: Kv> Score<'a, K> {
    /// `now` is the current Unix time; "today" is its date in Paris.
    pub fn new(kv: &'a K, now: i64) -> Self {
        Self {
            kv,
            today: GameDate::paris_at(now),
        }
    }

    /// The answer for a game whose recording has completed, without asking motus again.
    pub fn already_recorded(&self, id: &GameId) -> Result<Option<Recorded>, StoreError> {
        let record: Option<GameRecord> = get_json(self.kv, &game_key(id.as_str()))?;
        Ok(record.filter(|r| r.done).map(|r| r.recorded))
    }

    pub fn record(&self, game: &FinishedGame) -> Result<Outcome, StoreError> {
        let key = game_key(game.id.as_str());
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
        let doc_key = player_key(game.player.key());
        let id = game.id.as_str();
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
            &history_key(game.player.key(), seq),
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
    fn sync_leaderboards(&self, player: &PlayerName, date: GameDate) -> Result<(), StoreError> {
        let Some(doc) = get_json::<_, PlayerDoc>(self.kv, &player_key(player.key()))? else {
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

    pub fn stats(&self, player: &PlayerName) -> Result<Stats, StoreError> {
        let doc: Option<PlayerDoc> = get_json(self.kv, &player_key(player.key()))?;
        Ok(doc
            .unwrap_or_else(|| PlayerDoc::new(player))
            .stats(self.today))
    }

    /// One page of the player's history, as `reader` may see it.
    pub fn history(
        &self,
        player: &PlayerName,
        reader: Reader,
        limit: usize,
        cursor: Option<Cursor>,
    ) -> Result<HistoryPage, StoreError> {
        let doc: Option<PlayerDoc> = get_json(self.kv, &player_key(player.key()))?;
        let seqs = page_seqs(doc.map_or(0, |d| d.next_seq), cursor, limit);
        let keys: Vec<String> = seqs.iter().map(|&s| history_key(player.key(), s)).collect();
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

    /// Deletes everything score holds about the player: their entries in every board the
    /// player document lists, their history, the records of their games, then the document
    /// itself. Each step can be repeated, and the document goes last, so a retry after a failure
    /// anywhere finds what is left and finishes.
    pub fn forget(&self, player: &PlayerName) -> Result<(), StoreError> {
        let doc_key = player_key(player.key());
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
            let keys: Vec<String> = chunk
                .iter()
                .map(|&s| history_key(player.key(), s))
                .collect();
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
        let doc_key = player_key(player.key());
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
