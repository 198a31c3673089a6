use super::*;

/// 2026-01-01T00:00:00Z; the tests run after it.
const NEW_YEAR_2026: i64 = 1_767_225_600;

#[test]
fn the_system_clock_reads_the_wall_clock_in_seconds() {
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let now = SystemClock::new().now();
    assert!(now >= NEW_YEAR_2026, "{now}");
    assert!((before..=before + 5).contains(&now), "{before} vs {now}");
}

#[test]
fn a_shifted_clock_runs_ahead_or_behind_by_its_offset() {
    let day = 86_400;
    let ahead = SystemClock::shifted(day).now() - SystemClock::new().now();
    assert!((day - 1..=day + 1).contains(&ahead), "{ahead}");
    let behind = SystemClock::new().now() - SystemClock::shifted(-day).now();
    assert!((day - 1..=day + 1).contains(&behind), "{behind}");
    assert_eq!(SystemClock::shifted(i64::MAX).now(), i64::MAX);
}

#[test]
fn a_fixed_clock_moves_only_when_told() {
    let clock = FixedClock::at(NEW_YEAR_2026);
    assert_eq!(clock.now(), NEW_YEAR_2026);
    clock.advance(90);
    assert_eq!(clock.now(), NEW_YEAR_2026 + 90);
    clock.advance(-30);
    assert_eq!(clock.now(), NEW_YEAR_2026 + 60);
    clock.set(7);
    assert_eq!(clock.now(), 7);
    assert_eq!(FixedClock::default().now(), 0);
}

#[test]
fn a_use_case_can_hold_a_clock_by_reference() {
    fn later<C: Clock>(clock: C) -> i64 {
        clock.now() + 1
    }
    let clock = FixedClock::at(41);
    assert_eq!(later(&clock), 42);
    let dynamic: &dyn Clock = &clock;
    assert_eq!(later(dynamic), 42);
}

#[test]
fn the_offset_variable_is_a_whole_number_of_seconds_or_nothing() {
    assert_eq!(parse_offset(None), Ok(0));
    assert_eq!(parse_offset(Some("")), Ok(0));
    assert_eq!(parse_offset(Some("  ")), Ok(0));
    assert_eq!(parse_offset(Some("86400")), Ok(86_400));
    assert_eq!(parse_offset(Some(" -3600 ")), Ok(-3_600));
    for bad in ["1.5", "tomorrow", "86400s", "1e3"] {
        assert_eq!(
            parse_offset(Some(bad)),
            Err(InvalidOffset::NotAnInteger(bad.to_owned())),
            "{bad}"
        );
    }
    assert_eq!(
        InvalidOffset::NotAnInteger("x".into()).to_string(),
        "clock_offset_seconds: not an integer: \"x\""
    );
}
