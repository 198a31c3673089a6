//! Calendar dates as seen in Paris, where the daily word changes and daily games end at local
//! midnight. Plain arithmetic on Unix seconds: no time-zone database, so the rule is written
//! here once and tested at its switches.
//!
//! Used by motus (the day of a daily game, its word's draw, when an unfinished one is lost) and
//! score (today's date for streaks, day and week leaderboards, redacting today's answers).

use std::{fmt, str::FromStr};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub const SECONDS_PER_DAY: i64 = 86_400;
const HOUR: i64 = 3_600;

/// A proleptic Gregorian date, kept as days since 1970-01-01 so that the next day and
/// comparisons are plain arithmetic. Written (and serialised) as `YYYY-MM-DD`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i64);

/// Text that is not a calendar date in `YYYY-MM-DD` form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("date invalide (AAAA-MM-JJ attendu) : {0:?}")]
pub struct DateError(pub String);

impl Date {
    /// Accepts exactly four year digits, two month digits and two day digits, and only a day
    /// that exists (so `2023-02-29` is refused): a date is also a store key and a URL part, so
    /// one day must have one spelling.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let invalid = || DateError(text.to_owned());
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !shaped {
            return Err(invalid());
        }
        let number = |from: usize, to: usize| text[from..to].parse::<i64>().map_err(|_| invalid());
        let (year, month, day) = (number(0, 4)?, number(5, 7)?, number(8, 10)?);
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return Err(invalid());
        }
        Ok(Self(days_from_civil(year, month, day)))
    }

    /// The date on the wall in Paris at `unix_seconds`.
    pub fn in_paris(unix_seconds: i64) -> Self {
        Self((unix_seconds + paris_offset(unix_seconds)).div_euclid(SECONDS_PER_DAY))
    }

    /// The Unix second at which this date begins in Paris (its local midnight).
    pub fn start_in_paris(self) -> i64 {
        // Local midnight is 22:00 UTC the day before in summer, 23:00 in winter. The switches
        // happen at 01:00 UTC, never near midnight, so the offset in force at the summer
        // candidate decides.
        let utc_midnight = self.0 * SECONDS_PER_DAY;
        let summer_candidate = utc_midnight - 2 * HOUR;
        if is_summer_time(summer_candidate) {
            summer_candidate
        } else {
            utc_midnight - HOUR
        }
    }

    pub fn from_days(days: i64) -> Self {
        Self(days)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days(self) -> i64 {
        self.0
    }

    pub fn next(self) -> Self {
        Self(self.0 + 1)
    }

    pub fn minus_days(self, n: i64) -> Self {
        Self(self.0 - n)
    }

    /// ISO 8601 week as `YYYY-Www`: weeks start on Monday and belong to the year of their
    /// Thursday, so 2027-01-01 (a Friday) is in `2026-W53`.
    pub fn iso_week(self) -> String {
        let thursday = self.0 - weekday(self.0) + 3;
        let (year, _, _) = civil_from_days(thursday);
        let ordinal = thursday - days_from_civil(year, 1, 1);
        format!("{year:04}-W{:02}", ordinal / 7 + 1)
    }
}

/// The first Unix second of the next Paris day after `unix_seconds`: when the daily word
/// changes and an unfinished daily game ends.
pub fn next_midnight_in_paris(unix_seconds: i64) -> i64 {
    Date::in_paris(unix_seconds).next().start_in_paris()
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = civil_from_days(self.0);
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

/// Shows the date, not the day count, in test failures.
impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({self})")
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, DateError> {
        Self::parse(text)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Paris is UTC+1 in winter and UTC+2 in summer.
fn paris_offset(unix_seconds: i64) -> i64 {
    if is_summer_time(unix_seconds) {
        2 * HOUR
    } else {
        HOUR
    }
}

/// The EU rule (since 1996): summer time from the last Sunday of March to the last Sunday of
/// October, switching at 01:00 UTC both times.
fn is_summer_time(unix_seconds: i64) -> bool {
    let (year, _, _) = civil_from_days(unix_seconds.div_euclid(SECONDS_PER_DAY));
    let starts = last_sunday(year, 3) * SECONDS_PER_DAY + HOUR;
    let ends = last_sunday(year, 10) * SECONDS_PER_DAY + HOUR;
    (starts..ends).contains(&unix_seconds)
}

/// Monday = 0 ... Sunday = 6; 1970-01-01 was a Thursday.
fn weekday(days: i64) -> i64 {
    (days + 3).rem_euclid(7)
}

fn last_sunday(year: i64, month: i64) -> i64 {
    let last = days_from_civil(year, month, days_in_month(year, month));
    last - (weekday(last) + 1) % 7
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's days-from-civil). Years are shifted to start in
/// March so the leap day falls last and each 400-year era has the same length (146 097 days).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of `days_from_civil`: (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests;
