//! Calendar dates of games, the Paris "today", and the ISO weeks leaderboards group by.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

const SECONDS_PER_DAY: i64 = 86_400;

/// A proleptic Gregorian date, kept as days since 1970-01-01 so that "the next day" and
/// comparisons are plain arithmetic. Serialises as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GameDate(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a calendar date in YYYY-MM-DD form: {0:?}")]
pub struct DateError(pub String);

impl GameDate {
    pub fn parse(raw: &str) -> Result<Self, DateError> {
        let err = || DateError(raw.to_owned());
        let bytes = raw.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(err());
        }
        let number = |range: std::ops::Range<usize>| -> Result<i64, DateError> {
            let part = &raw[range];
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
            part.parse().map_err(|_| err())
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return Err(err());
        }
        Ok(Self(days_from_civil(year, month, day)))
    }

    pub fn from_days(days: i64) -> Self {
        Self(days)
    }

    pub fn days(self) -> i64 {
        self.0
    }

    pub fn next(self) -> Self {
        Self(self.0 + 1)
    }

    pub fn minus_days(self, n: i64) -> Self {
        Self(self.0 - n)
    }

    /// The date in Europe/Paris at a Unix instant: UTC+2 from the last Sunday of March 01:00
    /// UTC to the last Sunday of October 01:00 UTC (EU rule since 1996), UTC+1 otherwise.
    pub fn paris_at(unix_seconds: i64) -> Self {
        let utc_day = unix_seconds.div_euclid(SECONDS_PER_DAY);
        let (year, _, _) = civil_from_days(utc_day);
        let summer_start = last_sunday(year, 3) * SECONDS_PER_DAY + 3_600;
        let summer_end = last_sunday(year, 10) * SECONDS_PER_DAY + 3_600;
        let offset = if (summer_start..summer_end).contains(&unix_seconds) {
            7_200
        } else {
            3_600
        };
        Self((unix_seconds + offset).div_euclid(SECONDS_PER_DAY))
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

impl fmt::Display for GameDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.0);
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for GameDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for GameDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
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

/// Days since 1970-01-01. Years are shifted to start in March so the leap day falls last and
/// each 400-year era has the same length (146 097 days).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

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
mod tests {
    use super::*;

    fn date(s: &str) -> GameDate {
        GameDate::parse(s).unwrap()
    }

    #[test]
    fn parses_and_prints_round_trip() {
        for s in [
            "1970-01-01",
            "2000-02-29",
            "2026-11-26",
            "2026-12-31",
            "1999-03-01",
        ] {
            assert_eq!(date(s).to_string(), s);
        }
        assert_eq!(date("1970-01-02").days(), 1);
        assert_eq!(date("2026-03-01").days() - date("2026-02-28").days(), 1);
    }

    #[test]
    fn rejects_what_is_not_a_calendar_date() {
        for s in [
            "",
            "2026-1-01",
            "2026-13-01",
            "2026-02-29",
            "2026-04-31",
            "20260101",
            "2026-0a-01",
            "+026-01-01",
        ] {
            assert!(GameDate::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        let start = date("1900-01-01").days();
        for days in start..start + 146_097 {
            let d = GameDate::from_days(days);
            assert_eq!(date(&d.to_string()), d);
        }
    }

    #[test]
    fn iso_weeks_follow_the_thursday_rule() {
        let cases = [
            ("2026-11-26", "2026-W48"),
            ("2026-01-01", "2026-W01"),
            ("2025-12-29", "2026-W01"),
            ("2027-01-01", "2026-W53"),
            ("2027-01-04", "2027-W01"),
            ("2021-01-03", "2020-W53"),
            ("2024-12-30", "2025-W01"),
        ];
        for (d, week) in cases {
            assert_eq!(date(d).iso_week(), week, "{d}");
        }
    }

    #[test]
    fn paris_date_follows_summer_time() {
        // 2026-03-29 is the last Sunday of March: summer time from 01:00 UTC.
        let cases = [
            (
                date("2026-01-15").days() * 86_400 + 22 * 3_600 + 59 * 60,
                "2026-01-15",
            ),
            (
                date("2026-01-15").days() * 86_400 + 23 * 3_600,
                "2026-01-16",
            ),
            (
                date("2026-07-01").days() * 86_400 + 21 * 3_600 + 59 * 60,
                "2026-07-01",
            ),
            (
                date("2026-07-01").days() * 86_400 + 22 * 3_600,
                "2026-07-02",
            ),
            (
                date("2026-03-28").days() * 86_400 + 22 * 3_600 + 30 * 60,
                "2026-03-28",
            ),
            (
                date("2026-03-28").days() * 86_400 + 23 * 3_600,
                "2026-03-29",
            ),
            (
                date("2026-10-24").days() * 86_400 + 22 * 3_600,
                "2026-10-25",
            ),
            (
                date("2026-10-25").days() * 86_400 + 22 * 3_600 + 59 * 60,
                "2026-10-25",
            ),
            (
                date("2026-10-25").days() * 86_400 + 23 * 3_600,
                "2026-10-26",
            ),
        ];
        for (t, expected) in cases {
            assert_eq!(GameDate::paris_at(t).to_string(), expected, "{t}");
        }
    }

    #[test]
    fn serialises_as_a_string() {
        let json = serde_json::to_string(&date("2026-11-26")).unwrap();
        assert_eq!(json, "\"2026-11-26\"");
        assert!(serde_json::from_str::<GameDate>("\"2026-02-30\"").is_err());
    }
}
