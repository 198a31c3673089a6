use super::*;

#[test]
fn a_player_who_mistypes_waits_at_most_a_minute() {
    let first = TIERS[0];
    assert_eq!((first.limit, first.window), (5, 60));
    assert_eq!(first.retry_after(120), 60);
    assert_eq!(first.retry_after(179), 1);
    assert_eq!(first.retry_after(180), 60);
}

#[test]
fn failures_lock_and_attempts_in_flight_make_the_next_one_wait() {
    let tier = TIERS[0];
    assert_eq!(tier.verdict(0, 1), Verdict::Go);
    assert_eq!(
        tier.verdict(4, 1),
        Verdict::Go,
        "the fifth failure may still happen"
    );
    assert_eq!(tier.verdict(5, 1), Verdict::Locked);
    assert_eq!(tier.verdict(0, 5), Verdict::Go);
    assert_eq!(tier.verdict(0, 6), Verdict::Busy);
    assert_eq!(
        tier.verdict(3, 3),
        Verdict::Busy,
        "two checks in flight could both fail"
    );
}

#[test]
fn one_window_one_pair_of_counters_and_the_next_window_another() {
    let tier = TIERS[0];
    let a = tier.counters("zoe", "127.0.0.1", 120);
    assert_eq!(a.busy, "tries:zoe:127.0.0.1:60:2:busy");
    assert_eq!(a.fails, "tries:zoe:127.0.0.1:60:2:fails");
    assert_eq!(tier.counters("zoe", "127.0.0.1", 179), a);
    assert_ne!(tier.counters("zoe", "127.0.0.1", 180), a);
    assert_eq!(tier.previous("zoe", "127.0.0.1", 180), Some(a));
    assert_eq!(tier.previous("zoe", "127.0.0.1", 59), None);
}

#[test]
fn client_tiers_separate_clients_and_the_name_tier_does_not() {
    let [minute, hour, name] = TIERS;
    let at = |tier: Tier, name: &str, client: &str| tier.counters(name, client, 0).fails;
    for tier in [minute, hour] {
        assert_ne!(at(tier, "zoe", "10.0.0.1"), at(tier, "zoe", "10.0.0.2"));
    }
    assert_eq!(at(name, "zoe", "10.0.0.1"), at(name, "zoe", "10.0.0.2"));
    assert_ne!(at(name, "zoe", "10.0.0.1"), at(name, "zo", "10.0.0.1"));
    assert_ne!(at(minute, "zoe", "x"), at(hour, "zoe", "x"));
}

#[test]
fn the_hourly_tiers_bound_a_day_of_guessing() {
    let per_day = |tier: Tier| tier.limit as u64 * (86_400 / tier.window);
    assert_eq!(per_day(TIERS[1]), 480, "one client on one name");
    assert_eq!(per_day(TIERS[2]), 2_400, "every client on one name");
    assert!(TIERS[0].limit < TIERS[1].limit && TIERS[1].limit < TIERS[2].limit);
}
