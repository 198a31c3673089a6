//! Leaderboards kept as aggregates on write, sharded so concurrent recordings rarely collide.

use serde::{Deserialize, Serialize};
use spin_kit::calendar::Date;
use std::collections::BTreeMap;

use super::player::{day_period, week_period, Tally};

/// Shard documents per leaderboard: a write touches one, a read fetches all in one batch.
pub const SHARDS: u32 = 16;
/// Entries kept per shard. Tallies only grow, so a player dropped from a shard comes back with
/// their full tally the next time they score; the global top 100 is always in the union.
pub const KEPT_PER_SHARD: usize = 100;
pub const MAX_LIMIT: usize = 100;
pub const DEFAULT_LIMIT: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    All,
    Week,
    Day,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("« period » doit valoir all, week ou day")]
pub struct PeriodError;

impl Period {
    pub fn parse(raw: &str) -> Result<Self, PeriodError> {
        match raw {
            "all" => Ok(Self::All),
            "week" => Ok(Self::Week),
            "day" => Ok(Self::Day),
            _ => Err(PeriodError),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Week => "week",
            Self::Day => "day",
        }
    }

    /// The public key of the period containing `date`: `all`, `2026-W48` or `2026-11-26`.
    pub fn key(self, date: Date) -> String {
        match self {
            Self::All => "all".into(),
            Self::Week => date.iso_week(),
            Self::Day => date.to_string(),
        }
    }

    /// The board a tally name of the player document stands for: `(period, public key)`.
    pub fn of_tally_name(name: &str) -> Option<(Self, String)> {
        match name.split_once(':') {
            None if name == "all" => Some((Self::All, "all".into())),
            Some(("day", day)) => Some((Self::Day, day.into())),
            Some(("week", week)) => Some((Self::Week, week.into())),
            _ => None,
        }
    }

    /// The matching tally name in the player document.
    pub fn tally_name(self, date: Date) -> String {
        match self {
            Self::All => "all".into(),
            Self::Week => week_period(date),
            Self::Day => day_period(date),
        }
    }
}

/// Store key of one shard of one period's leaderboard.
pub fn shard_key(period: Period, key: &str, shard: u32) -> String {
    format!("lb:{}:{key}:{shard}", period.name())
}

pub fn shard_keys(period: Period, key: &str) -> Vec<String> {
    (0..SHARDS).map(|s| shard_key(period, key, s)).collect()
}

/// FNV-1a: stable across builds and platforms, unlike std's randomised hasher.
pub fn shard_of(player_key: &str) -> u32 {
    let hash = player_key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    (hash % u64::from(SHARDS)) as u32
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub player: String,
    #[serde(flatten)]
    pub tally: Tally,
}

/// One shard: player key → their tally for the period.
pub type Shard = BTreeMap<String, Entry>;

/// Raises `player`'s entry to at least `tally`, field by field. Taking the maximum makes the
/// update idempotent and order-independent: a retry or a late, stale writer can neither
/// double-count nor roll back. Returns whether the shard changed.
pub fn raise(shard: &mut Shard, player_key: &str, player: &str, tally: Tally) -> bool {
    let before = shard.get(player_key).cloned();
    let entry = shard.entry(player_key.to_owned()).or_insert(Entry {
        player: player.to_owned(),
        tally: Tally::default(),
    });
    entry.player = player.to_owned();
    entry.tally = Tally {
        points: entry.tally.points.max(tally.points),
        played: entry.tally.played.max(tally.played),
        won: entry.tally.won.max(tally.won),
    };
    if shard.len() > KEPT_PER_SHARD {
        let last = ranked(shard.iter()).last().map(|(key, _)| (*key).clone());
        if let Some(last) = last {
            shard.remove(&last);
        }
    }
    shard.get(player_key) != before.as_ref()
}

/// Best first: more points, then more wins, then fewer games, then name for a stable order.
fn ranked<'a>(
    entries: impl Iterator<Item = (&'a String, &'a Entry)>,
) -> Vec<(&'a String, &'a Entry)> {
    let mut all: Vec<_> = entries.collect();
    all.sort_by(|(ka, a), (kb, b)| {
        (b.tally.points, b.tally.won, a.tally.played, ka).cmp(&(
            a.tally.points,
            a.tally.won,
            b.tally.played,
            kb,
        ))
    });
    all
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ranked {
    /// Competition ranking: equal points share a rank and the next rank skips (1, 2, 2, 4).
    pub rank: usize,
    pub player: String,
    pub points: u64,
    pub played: u64,
    pub won: u64,
}

/// Merges all shards of a period and returns the top `limit`.
pub fn top(shards: &[Shard], limit: usize) -> Vec<Ranked> {
    let merged = ranked(shards.iter().flat_map(|s| s.iter()));
    let mut out: Vec<Ranked> = Vec::with_capacity(limit.min(merged.len()));
    for (i, (_, entry)) in merged.into_iter().take(limit).enumerate() {
        let rank = match out.last() {
            Some(prev) if prev.points == entry.tally.points => prev.rank,
            _ => i + 1,
        };
        out.push(Ranked {
            rank,
            player: entry.player.clone(),
            points: entry.tally.points,
            played: entry.tally.played,
            won: entry.tally.won,
        });
    }
    out
}

#[cfg(test)]
mod tests;
