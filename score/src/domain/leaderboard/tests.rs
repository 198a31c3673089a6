use super::*;

fn tally(points: u64, played: u64, won: u64) -> Tally {
    Tally {
        points,
        played,
        won,
    }
}

#[test]
fn period_keys() {
    let d = Date::parse("2026-11-26").unwrap();
    assert_eq!(Period::All.key(d), "all");
    assert_eq!(Period::Week.key(d), "2026-W48");
    assert_eq!(Period::Day.key(d), "2026-11-26");
    assert_eq!(shard_key(Period::Week, "2026-W48", 3), "lb:week:2026-W48:3");
    assert!(Period::parse("month").is_err());
    for period in [Period::All, Period::Week, Period::Day] {
        assert_eq!(
            Period::of_tally_name(&period.tally_name(d)),
            Some((period, period.key(d)))
        );
    }
    assert_eq!(Period::of_tally_name("month:11"), None);
}

#[test]
fn shards_are_stable_and_spread() {
    assert_eq!(shard_of("zoe"), shard_of("zoe"));
    let used: std::collections::BTreeSet<_> =
        (0..200).map(|i| shard_of(&format!("player{i}"))).collect();
    assert_eq!(used.len(), SHARDS as usize);
}

#[test]
fn raising_is_idempotent_and_never_lowers() {
    let mut shard = Shard::new();
    assert!(raise(&mut shard, "zoe", "Zoe", tally(100, 2, 1)));
    assert!(!raise(&mut shard, "zoe", "Zoe", tally(100, 2, 1)));
    assert!(
        !raise(&mut shard, "zoe", "Zoe", tally(60, 1, 1)),
        "stale writer"
    );
    assert!(raise(&mut shard, "zoe", "Zoe", tally(160, 3, 2)));
    assert_eq!(shard["zoe"].tally, tally(160, 3, 2));
}

#[test]
fn raising_in_any_order_gives_the_same_shard() {
    let updates = [tally(10, 1, 1), tally(30, 2, 2), tally(30, 3, 2)];
    let mut forward = Shard::new();
    let mut backward = Shard::new();
    for t in updates {
        raise(&mut forward, "a", "A", t);
    }
    for t in updates.iter().rev() {
        raise(&mut backward, "a", "A", *t);
    }
    assert_eq!(forward, backward);
}

#[test]
fn a_full_shard_drops_its_weakest_entry() {
    let mut shard = Shard::new();
    for i in 0..KEPT_PER_SHARD as u64 {
        raise(&mut shard, &format!("p{i}"), "P", tally(100 + i, 1, 1));
    }
    assert!(!raise(&mut shard, "weak", "Weak", tally(1, 1, 0)));
    assert!(!shard.contains_key("weak"));
    assert!(raise(&mut shard, "strong", "Strong", tally(1_000, 1, 1)));
    assert!(!shard.contains_key("p0"));
    assert_eq!(shard.len(), KEPT_PER_SHARD);
}

#[test]
fn top_merges_shards_and_shares_ranks_on_equal_points() {
    let mut a = Shard::new();
    let mut b = Shard::new();
    raise(&mut a, "ann", "Ann", tally(300, 3, 3));
    raise(&mut b, "bob", "Bob", tally(300, 4, 3));
    raise(&mut a, "cat", "Cat", tally(500, 2, 2));
    raise(&mut b, "dan", "Dan", tally(100, 1, 1));
    let ranks: Vec<_> = top(&[a.clone(), b.clone()], 10)
        .into_iter()
        .map(|r| (r.rank, r.player))
        .collect();
    assert_eq!(
        ranks,
        [
            (1, "Cat".into()),
            (2, "Ann".into()),
            (2, "Bob".into()),
            (4, "Dan".into())
        ]
    );
    assert_eq!(top(&[a, b], 2).len(), 2);
}
