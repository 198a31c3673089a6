//! A player's authoritative score document and the statistics derived from it.

use serde::{Deserialize, Serialize};
use spin_kit::calendar::Date;
use spin_kit::names::PlayerName;
use std::collections::{BTreeMap, BTreeSet};

use super::game::{FinishedGame, Mode};
use super::points::MAX_TRIES;

/// Days and weeks for which per-period totals are kept in the player document: enough for a
/// game finished just before midnight and recorded late, small enough to keep the document
/// from growing forever. Older periods can no longer be asked for.
pub const DAYS_KEPT: i64 = 7;
pub const WEEKS_KEPT: i64 = 5;

/// Points, games played and games won over some period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub points: u64,
    pub played: u64,
    pub won: u64,
}

/// Practice games, counted apart: they earn no points and never reach a leaderboard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeTally {
    pub played: u64,
    pub won: u64,
    pub distribution: [u64; MAX_TRIES as usize],
}

/// Everything score knows about one player, stored under `player:{key}` and only ever changed
/// by compare-and-swap so concurrent recordings cannot lose each other's updates.
///
/// The main tallies (`all`, `distribution`, `daily`, `periods`) count daily games only: the
/// daily word is the same for everyone and played once, so it is a fair contest; practice is
/// unlimited and goes to `practice`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerDoc {
    pub player: String,
    /// All-time tally of daily games; `points` includes `bonus`.
    pub all: Tally,
    /// Points credited by an administrator, also part of `all.points`.
    pub bonus: u64,
    /// Daily wins by number of tries: index 0 is a win at the first try.
    pub distribution: [u64; MAX_TRIES as usize],
    #[serde(default)]
    pub practice: PracticeTally,
    /// Every leaderboard tally name (`all`, `day:…`, `week:…`) this player was ever raised on,
    /// so deleting the player can find their entries without scanning the boards.
    #[serde(default)]
    pub boards: BTreeSet<String>,
    /// Outcome of each daily game by its date, for streaks.
    pub daily: BTreeMap<Date, bool>,
    /// Recent per-day (`day:YYYY-MM-DD`) and per-week (`week:YYYY-Www`) tallies.
    pub periods: BTreeMap<String, Tally>,
    /// Sequence number the next recorded game gets in the history.
    pub next_seq: u64,
    /// Games applied here whose recording has not finished yet, with their history sequence.
    /// This is what makes a second application a no-op; entries leave once the game record is
    /// marked done, so the document does not grow with every game ever played.
    pub pending: BTreeMap<String, u64>,
}

/// The statistics served by `GET /score/{player}`: daily games, and practice apart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub player: String,
    pub total: u64,
    pub played: u64,
    pub won: u64,
    /// Share of games won, between 0 and 1, rounded to 3 decimals.
    pub win_rate: f64,
    pub current_streak: u64,
    pub best_streak: u64,
    pub distribution: BTreeMap<String, u64>,
    pub practice: PracticeStats,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PracticeStats {
    pub played: u64,
    pub won: u64,
    pub win_rate: f64,
    pub distribution: BTreeMap<String, u64>,
}

/// Store key of a player's document: one per player, whatever the spelling of the name.
pub fn player_key(player: &PlayerName) -> String {
    format!("player:{}", player.key())
}

pub fn day_period(date: Date) -> String {
    format!("day:{date}")
}

pub fn week_period(date: Date) -> String {
    format!("week:{}", date.iso_week())
}

impl PlayerDoc {
    pub fn new(player: &PlayerName) -> Self {
        Self {
            player: player.as_str().to_owned(),
            ..Self::default()
        }
    }

    /// Applies a finished game and returns its history sequence number; applying the same game
    /// again while it is pending changes nothing and returns the same number.
    pub fn apply(&mut self, game: &FinishedGame, today: Date) -> u64 {
        if let Some(&seq) = self.pending.get(game.game_id.as_str()) {
            return seq;
        }
        let won = u64::from(game.won);
        match game.mode {
            Mode::Daily => {
                let tally = Tally {
                    points: game.points(),
                    played: 1,
                    won,
                };
                add(&mut self.all, tally);
                if game.won {
                    self.distribution[(game.tries - 1) as usize] += 1;
                }
                *self.daily.entry(game.date).or_insert(false) |= game.won;
                self.boards.insert("all".into());
                for period in [day_period(game.date), week_period(game.date)] {
                    if is_recent(&period, today) {
                        add(self.periods.entry(period.clone()).or_default(), tally);
                        self.boards.insert(period);
                    }
                }
                self.prune(today);
            }
            Mode::Practice => {
                self.practice.played += 1;
                self.practice.won += won;
                if game.won {
                    self.practice.distribution[(game.tries - 1) as usize] += 1;
                }
            }
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.pending.insert(game.game_id.as_str().to_owned(), seq);
        seq
    }

    /// Adds administrator points to the all-time total and to today's day and week.
    pub fn credit(&mut self, points: u64, today: Date) {
        self.bonus = self.bonus.saturating_add(points);
        self.all.points = self.all.points.saturating_add(points);
        self.boards.insert("all".into());
        for period in [day_period(today), week_period(today)] {
            let tally = self.periods.entry(period.clone()).or_default();
            tally.points = tally.points.saturating_add(points);
            self.boards.insert(period);
        }
        self.prune(today);
    }

    /// The tally for a leaderboard period key (`all`, `day:...`, `week:...`), if kept.
    pub fn tally(&self, period: &str) -> Option<Tally> {
        match period {
            "all" => Some(self.all),
            other => self.periods.get(other).copied(),
        }
    }

    pub fn stats(&self, today: Date) -> Stats {
        let (current_streak, best_streak) = streaks(&self.daily, today);
        Stats {
            player: self.player.clone(),
            total: self.all.points,
            played: self.all.played,
            won: self.all.won,
            win_rate: win_rate(self.all.won, self.all.played),
            current_streak,
            best_streak,
            distribution: by_tries(self.distribution),
            practice: PracticeStats {
                played: self.practice.played,
                won: self.practice.won,
                win_rate: win_rate(self.practice.won, self.practice.played),
                distribution: by_tries(self.practice.distribution),
            },
        }
    }

    fn prune(&mut self, today: Date) {
        self.periods.retain(|period, _| is_recent(period, today));
    }
}

fn win_rate(won: u64, played: u64) -> f64 {
    match played {
        0 => 0.0,
        played => (won as f64 * 1000.0 / played as f64).round() / 1000.0,
    }
}

fn by_tries(distribution: [u64; MAX_TRIES as usize]) -> BTreeMap<String, u64> {
    (1..)
        .zip(distribution)
        .map(|(tries, n): (u32, u64)| (tries.to_string(), n))
        .collect()
}

fn add(into: &mut Tally, more: Tally) {
    into.points = into.points.saturating_add(more.points);
    into.played += more.played;
    into.won += more.won;
}

fn is_recent(period: &str, today: Date) -> bool {
    let oldest_day = today.minus_days(DAYS_KEPT);
    let oldest_week = today.minus_days(WEEKS_KEPT * 7).iso_week();
    match period.split_once(':') {
        Some(("day", day)) => Date::parse(day).is_ok_and(|d| d >= oldest_day),
        // `YYYY-Www` keys sort chronologically as strings.
        Some(("week", week)) => week >= oldest_week.as_str(),
        _ => false,
    }
}

/// `(current, best)` runs of daily wins on consecutive dates. A loss or a day without a daily
/// game ends a run; the current run still counts if its last win was today or yesterday (today's
/// game may simply not be played yet).
pub fn streaks(daily: &BTreeMap<Date, bool>, today: Date) -> (u64, u64) {
    let mut best = 0;
    let mut run = 0;
    let mut previous: Option<Date> = None;
    for (&date, &won) in daily {
        let consecutive = previous.is_some_and(|p| p.next() == date);
        run = match (won, consecutive) {
            (false, _) => 0,
            (true, true) => run + 1,
            (true, false) => 1,
        };
        best = best.max(run);
        previous = Some(date);
    }
    let current = match previous {
        Some(last) if last >= today.minus_days(1) => run,
        _ => 0,
    };
    (current, best)
}

#[cfg(test)]
mod tests;
