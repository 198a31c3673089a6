//! Calendar dates as seen in Paris, where the daily word changes at local midnight.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

const SECONDS_PER_DAY: i64 = 86_400;
const HOUR: i64 = 3_600;

/// A proleptic Gregorian calendar date, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Text that is not a valid `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a YYYY-MM-DD date: {0:?}")]
pub struct DateError(String);

impl Date {
    /// The date on the wall in Paris at `unix_seconds`.
    ///
    /// Paris is UTC+1 in winter and UTC+2 in summer; under the EU rule summer time runs from the
    /// last Sunday of March to the last Sunday of October, switching at 01:00 UTC both times.
    pub fn in_paris(unix_seconds: i64) -> Self {
        let offset = if is_eu_summer_time(unix_seconds) {
            2 * HOUR
        } else {
            HOUR
        };
        Self::from_days(days_since_epoch(unix_seconds + offset))
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn month(&self) -> u8 {
        self.month
    }

    pub fn day(&self) -> u8 {
        self.day
    }

    /// Builds a date from a day count since 1970-01-01 (Howard Hinnant's civil-from-days).
    fn from_days(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153; // March = 0
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Self {
            year: year as i32,
            month: month as u8,
            day: day as u8,
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's days-from-civil).
    fn to_days(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let month = i64::from(self.month);
        let era = year.div_euclid(400);
        let year_of_era = year.rem_euclid(400);
        let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5
            + i64::from(self.day)
            - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Self { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, DateError> {
        let invalid = || DateError(text.to_owned());
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shaped {
            return Err(invalid());
        }
        let year = text[0..4].parse().map_err(|_| invalid())?;
        let month = text[5..7].parse().map_err(|_| invalid())?;
        let day = text[8..10].parse().map_err(|_| invalid())?;
        Self::new(year, month, day).ok_or_else(invalid)
    }
}

impl TryFrom<String> for Date {
    type Error = DateError;

    fn try_from(text: String) -> Result<Self, DateError> {
        text.parse()
    }
}

impl From<Date> for String {
    fn from(date: Date) -> Self {
        date.to_string()
    }
}

fn days_since_epoch(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(SECONDS_PER_DAY)
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Unix time of 01:00 UTC on the last Sunday of `month` (31-day months only: March, October).
fn last_sunday_one_am_utc(year: i32, month: u8) -> i64 {
    let last_day = Date {
        year,
        month,
        day: 31,
    }
    .to_days();
    // 1970-01-01 was a Thursday; with Sunday = 0 that is weekday 4.
    let weekday = (last_day + 4).rem_euclid(7);
    (last_day - weekday) * SECONDS_PER_DAY + HOUR
}

fn is_eu_summer_time(unix_seconds: i64) -> bool {
    let year = Date::from_days(days_since_epoch(unix_seconds)).year;
    let starts = last_sunday_one_am_utc(year, 3);
    let ends = last_sunday_one_am_utc(year, 10);
    (starts..ends).contains(&unix_seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    /// Unix seconds of a UTC instant, built with the code under test's inverse for brevity.
    fn utc(day: &str, hour: i64, minute: i64, second: i64) -> i64 {
        date(day).to_days() * SECONDS_PER_DAY + hour * HOUR + minute * 60 + second
    }

    #[test]
    fn day_counts_match_known_epochs() {
        assert_eq!(date("1970-01-01").to_days(), 0);
        assert_eq!(date("2000-03-01").to_days(), 11_017);
        assert_eq!(date("2024-02-29").to_days(), 19_782);
        assert_eq!(Date::from_days(19_782), date("2024-02-29"));
        assert_eq!(Date::from_days(-1), date("1969-12-31"));
    }

    #[test]
    fn days_round_trip_over_four_centuries() {
        for days in (-200_000..200_000).step_by(7) {
            assert_eq!(Date::from_days(days).to_days(), days);
        }
    }

    #[test]
    fn a_winter_evening_in_utc_is_the_next_day_in_paris() {
        // 1 700 000 000 = 2023-11-14T22:13:20Z, Paris 23:13:20 (CET).
        assert_eq!(Date::in_paris(1_700_000_000), date("2023-11-14"));
        assert_eq!(
            Date::in_paris(utc("2024-12-31", 22, 59, 59)),
            date("2024-12-31")
        );
        assert_eq!(
            Date::in_paris(utc("2024-12-31", 23, 0, 0)),
            date("2025-01-01")
        );
    }

    #[test]
    fn summer_days_start_at_22_utc() {
        assert_eq!(
            Date::in_paris(utc("2024-06-30", 21, 59, 59)),
            date("2024-06-30")
        );
        assert_eq!(
            Date::in_paris(utc("2024-06-30", 22, 0, 0)),
            date("2024-07-01")
        );
    }

    #[test]
    fn summer_time_starts_on_the_last_sunday_of_march_at_one_utc() {
        // 2024: 31 March; 2025: 30 March; 2026: 29 March.
        for (sunday, saturday) in [
            ("2024-03-31", "2024-03-30"),
            ("2025-03-30", "2025-03-29"),
            ("2026-03-29", "2026-03-28"),
        ] {
            assert!(!is_eu_summer_time(utc(sunday, 0, 59, 59)), "{sunday}");
            assert!(is_eu_summer_time(utc(sunday, 1, 0, 0)), "{sunday}");
            assert!(!is_eu_summer_time(utc(saturday, 12, 0, 0)), "{saturday}");
        }
    }

    #[test]
    fn summer_time_ends_on_the_last_sunday_of_october_at_one_utc() {
        // 2024: 27 October; 2025: 26 October; 2023: 29 October.
        for sunday in ["2024-10-27", "2025-10-26", "2023-10-29"] {
            assert!(is_eu_summer_time(utc(sunday, 0, 59, 59)), "{sunday}");
            assert!(!is_eu_summer_time(utc(sunday, 1, 0, 0)), "{sunday}");
        }
    }

    #[test]
    fn midnight_on_change_days_follows_the_offset_in_force() {
        // The night before summer time starts, local midnight is 23:00 UTC.
        assert_eq!(
            Date::in_paris(utc("2024-03-30", 22, 59, 59)),
            date("2024-03-30")
        );
        assert_eq!(
            Date::in_paris(utc("2024-03-30", 23, 0, 0)),
            date("2024-03-31")
        );
        // The night after it ends, local midnight is 23:00 UTC again.
        assert_eq!(
            Date::in_paris(utc("2024-10-27", 22, 59, 59)),
            date("2024-10-27")
        );
        assert_eq!(
            Date::in_paris(utc("2024-10-27", 23, 0, 0)),
            date("2024-10-28")
        );
        // The night before it ends, summer time still applies: midnight is 22:00 UTC.
        assert_eq!(
            Date::in_paris(utc("2024-10-26", 22, 0, 0)),
            date("2024-10-27")
        );
    }

    #[test]
    fn dates_parse_and_print_as_iso() {
        assert_eq!(date("2024-02-29").to_string(), "2024-02-29");
        assert_eq!(
            serde_json::to_string(&date("2025-01-05")).unwrap(),
            "\"2025-01-05\""
        );
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-1-01",
            "2024/01/01",
            "",
            "2024-01-32",
            "+024-01-01",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }
}
