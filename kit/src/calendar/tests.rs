use super::*;

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

/// Unix seconds of a UTC instant.
fn utc(day: &str, hour: i64, minute: i64, second: i64) -> i64 {
    date(day).days() * SECONDS_PER_DAY + hour * HOUR + minute * 60 + second
}

#[test]
fn day_counts_match_known_epochs() {
    assert_eq!(date("1970-01-01").days(), 0);
    assert_eq!(date("1970-01-02").days(), 1);
    assert_eq!(date("2000-03-01").days(), 11_017);
    assert_eq!(date("2024-02-29").days(), 19_782);
    assert_eq!(Date::from_days(19_782), date("2024-02-29"));
    assert_eq!(Date::from_days(-1), date("1969-12-31"));
}

#[test]
fn leap_days_exist_only_in_leap_years() {
    for leap in ["2024-02-29", "2000-02-29", "1600-02-29"] {
        assert_eq!(
            date(leap).next().to_string(),
            leap.replace("02-29", "03-01")
        );
    }
    for not_leap in ["2023-02-29", "1900-02-29", "2100-02-29"] {
        assert!(Date::parse(not_leap).is_err(), "{not_leap}");
    }
    assert_eq!(date("2026-03-01").days() - date("2026-02-28").days(), 1);
    assert_eq!(date("2024-03-01").minus_days(1), date("2024-02-29"));
}

#[test]
fn every_day_of_four_centuries_prints_and_parses_back() {
    let start = date("1900-01-01").days();
    for days in start..start + 146_097 {
        let day = Date::from_days(days);
        assert_eq!(date(&day.to_string()), day);
    }
}

#[test]
fn dates_print_as_iso_and_refuse_other_spellings() {
    for text in [
        "1970-01-01",
        "2000-02-29",
        "2026-11-26",
        "2026-12-31",
        "1999-03-01",
    ] {
        assert_eq!(date(text).to_string(), text);
        assert_eq!(text.parse::<Date>(), Ok(date(text)));
    }
    for bad in [
        "",
        "2026-1-01",
        "2024-1-01",
        "2026-13-01",
        "2024-00-10",
        "2026-04-31",
        "2024-01-32",
        "2024-01-00",
        "20260101",
        "2024/01/01",
        "2026-0a-01",
        "+024-01-01",
        "2024-+1-01",
        "2024-01-01 ",
    ] {
        assert_eq!(Date::parse(bad), Err(DateError(bad.to_owned())), "{bad}");
    }
}

#[test]
fn dates_serialise_as_strings() {
    let json = serde_json::to_string(&date("2025-01-05")).unwrap();
    assert_eq!(json, "\"2025-01-05\"");
    assert_eq!(
        serde_json::from_str::<Date>(&json).unwrap(),
        date("2025-01-05")
    );
    assert!(serde_json::from_str::<Date>("\"2026-02-30\"").is_err());
    assert!(serde_json::from_str::<Date>("20000").is_err());
}

#[test]
fn dates_order_chronologically() {
    assert!(date("2024-12-31") < date("2025-01-01"));
    assert!(date("1969-12-31") < date("1970-01-01"));
    assert_eq!(format!("{:?}", date("2024-02-29")), "Date(2024-02-29)");
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
    for (sunday, saturday) in [
        ("2024-03-31", "2024-03-30"),
        ("2025-03-30", "2025-03-29"),
        ("2026-03-29", "2026-03-28"),
    ] {
        assert!(!is_summer_time(utc(sunday, 0, 59, 59)), "{sunday}");
        assert!(is_summer_time(utc(sunday, 1, 0, 0)), "{sunday}");
        assert!(!is_summer_time(utc(saturday, 12, 0, 0)), "{saturday}");
    }
}

#[test]
fn summer_time_ends_on_the_last_sunday_of_october_at_one_utc() {
    for sunday in ["2024-10-27", "2025-10-26", "2023-10-29", "2026-10-25"] {
        assert!(is_summer_time(utc(sunday, 0, 59, 59)), "{sunday}");
        assert!(!is_summer_time(utc(sunday, 1, 0, 0)), "{sunday}");
    }
}

#[test]
fn midnight_on_change_days_follows_the_offset_in_force() {
    let cases = [
        // The night before summer time starts, local midnight is 23:00 UTC.
        (utc("2024-03-30", 22, 59, 59), "2024-03-30"),
        (utc("2024-03-30", 23, 0, 0), "2024-03-31"),
        (utc("2026-03-28", 22, 30, 0), "2026-03-28"),
        (utc("2026-03-28", 23, 0, 0), "2026-03-29"),
        // The night before it ends, summer time still applies: midnight is 22:00 UTC.
        (utc("2024-10-26", 22, 0, 0), "2024-10-27"),
        (utc("2026-10-24", 22, 0, 0), "2026-10-25"),
        // The night after it ends, local midnight is 23:00 UTC again.
        (utc("2024-10-27", 22, 59, 59), "2024-10-27"),
        (utc("2024-10-27", 23, 0, 0), "2024-10-28"),
        (utc("2026-10-25", 22, 59, 0), "2026-10-25"),
        (utc("2026-10-25", 23, 0, 0), "2026-10-26"),
    ];
    for (instant, expected) in cases {
        assert_eq!(Date::in_paris(instant), date(expected), "{instant}");
    }
}

#[test]
fn a_paris_day_starts_at_its_local_midnight() {
    let cases = [
        ("2026-01-16", utc("2026-01-15", 23, 0, 0)),
        ("2026-07-02", utc("2026-07-01", 22, 0, 0)),
        // Summer time starts on the 29th at 01:00 UTC: that day still begins in winter.
        ("2026-03-29", utc("2026-03-28", 23, 0, 0)),
        ("2026-03-30", utc("2026-03-29", 22, 0, 0)),
        // It ends on the 25th at 01:00 UTC: that day begins in summer, the next in winter.
        ("2026-10-25", utc("2026-10-24", 22, 0, 0)),
        ("2026-10-26", utc("2026-10-25", 23, 0, 0)),
    ];
    for (day, start) in cases {
        assert_eq!(date(day).start_in_paris(), start, "{day}");
    }
}

#[test]
fn every_paris_day_of_several_years_starts_where_the_previous_one_ends() {
    for days in date("2023-01-01").days()..date("2028-01-01").days() {
        let day = Date::from_days(days);
        let start = day.start_in_paris();
        assert_eq!(Date::in_paris(start), day, "{day}");
        assert_eq!(Date::in_paris(start - 1), day.minus_days(1), "{day}");
        let length = day.next().start_in_paris() - start;
        assert!([23, 24, 25].contains(&(length / HOUR)), "{day}: {length}");
    }
}

#[test]
fn the_next_midnight_is_the_start_of_the_next_paris_day() {
    let noon = utc("2026-11-26", 11, 0, 0);
    assert_eq!(next_midnight_in_paris(noon), utc("2026-11-26", 23, 0, 0));
    // One second before midnight, and at midnight itself (which belongs to the new day).
    let midnight = utc("2026-07-01", 22, 0, 0);
    assert_eq!(next_midnight_in_paris(midnight - 1), midnight);
    assert_eq!(next_midnight_in_paris(midnight), midnight + SECONDS_PER_DAY);
    // Across the autumn switch the day is 25 hours long.
    let before = utc("2026-10-24", 22, 0, 0);
    assert_eq!(next_midnight_in_paris(before), utc("2026-10-25", 23, 0, 0));
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
    for (day, week) in cases {
        assert_eq!(date(day).iso_week(), week, "{day}");
    }
}
