use std::cell::Cell;
use std::sync::Barrier;

use super::*;
use crate::memory::{Fault, Faulty, MemKv};

/// Loses every swap without writing, as if another writer always landed first.
#[derive(Default)]
struct AlwaysRaced {
    inner: MemKv,
    watches: Cell<usize>,
}

impl Kv for AlwaysRaced {
    type Cas = ();

    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.inner.get(key)
    }

    fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        self.inner.get_many(keys)
    }

    fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.inner.set(key, value)
    }

    fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.inner.delete(key)
    }

    fn increment(&self, key: &str, delta: i64) -> Result<i64, StoreError> {
        self.inner.increment(key, delta)
    }

    fn watch(&self, key: &str) -> Result<((), Option<Vec<u8>>), StoreError> {
        self.watches.set(self.watches.get() + 1);
        Ok(((), self.inner.get(key)?))
    }

    fn swap(&self, _: (), _: &[u8]) -> Result<bool, StoreError> {
        Ok(false)
    }
}

fn increment(n: Option<u32>) -> Result<Step<u32, u32>, StoreError> {
    let next = n.unwrap_or(0) + 1;
    Ok(Step::Write(next, next))
}

fn create_once(n: Option<u32>) -> Result<Step<u32, bool>, StoreError> {
    Ok(match n {
        Some(_) => Step::Keep(false),
        None => Step::Write(1, true),
    })
}

#[test]
fn an_update_writes_the_new_document_and_returns_the_closure_output() {
    let kv = MemKv::default();
    assert_eq!(update_json(&kv, "n", 3, increment), Ok(1));
    assert_eq!(update_json(&kv, "n", 3, increment), Ok(2));
    assert_eq!(get_json::<_, u32>(&kv, "n"), Ok(Some(2)));
}

#[test]
fn an_update_gives_up_after_exactly_the_callers_bound() {
    for bound in [1, 32, 100] {
        let kv = AlwaysRaced::default();
        set_json(&kv.inner, "hot", &0u32).unwrap();
        assert_eq!(
            update_json(&kv, "hot", bound, increment),
            Err(StoreError::Conflict("hot".into()))
        );
        assert_eq!(kv.watches.get(), bound);
    }
}

#[test]
fn keep_writes_nothing() {
    let kv = MemKv::default();
    let out = update_json(&kv, "k", 3, |_: Option<u32>| {
        Ok::<_, StoreError>(Step::Keep("seen"))
    });
    assert_eq!(out, Ok("seen"));
    assert!(kv.keys().is_empty());
}

#[test]
fn unreadable_documents_are_reported_with_their_key() {
    let kv = MemKv::default();
    kv.set("k", b"not json").unwrap();
    assert_eq!(
        get_json::<_, u32>(&kv, "k"),
        Err(StoreError::Corrupt("k".into()))
    );
    assert_eq!(
        update_json(&kv, "k", 3, increment),
        Err(StoreError::Corrupt("k".into()))
    );
}

#[test]
fn documents_written_before_revisions_are_read_and_updated() {
    let kv = MemKv::default();
    kv.set("n", b"41").unwrap();
    assert_eq!(get_json::<_, u32>(&kv, "n"), Ok(Some(41)));
    assert_eq!(update_json(&kv, "n", 3, increment), Ok(42));
    assert_eq!(get_json::<_, u32>(&kv, "n"), Ok(Some(42)));
}

#[test]
fn a_removed_document_reads_as_absent_and_can_be_written_again() {
    let kv = MemKv::default();
    update_json(&kv, "n", 3, increment).unwrap();
    assert_eq!(remove_json::<_, u32>(&kv, "n", 3), Ok(Some(1)));
    assert_eq!(get_json::<_, u32>(&kv, "n"), Ok(None));
    assert_eq!(update_json(&kv, "n", 3, create_once), Ok(true));
    assert_eq!(get_json::<_, u32>(&kv, "n"), Ok(Some(1)));
}

#[test]
fn get_many_answers_in_the_order_asked() {
    let kv = MemKv::default();
    set_json(&kv, "b", &2u32).unwrap();
    insert_json(&kv, "a", &1u32).unwrap();
    let keys = ["a", "missing", "b"].map(String::from);
    assert_eq!(
        get_many_json::<_, u32>(&kv, &keys),
        Ok(vec![Some(1), None, Some(2)])
    );
}

#[test]
fn a_swap_reported_as_failed_that_wrote_is_not_applied_again() {
    let kv = Faulty::new(Fault::MisreportSwap);
    update_json(&kv, "n", 3, increment).unwrap();
    for expected in 2..=5 {
        assert_eq!(update_json(&kv, "n", 3, increment), Ok(expected));
    }
    assert_eq!(get_json::<_, u32>(&kv, "n"), Ok(Some(5)));
}

#[test]
fn a_writer_that_cannot_tell_whether_it_wrote_stops() {
    // A swap reported as failed, then more writes than the history keeps before the read back.
    struct Storm(MemKv);
    impl Kv for Storm {
        type Cas = (String, Option<Vec<u8>>);
        fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
            self.0.get(key)
        }
        fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
            self.0.get_many(keys)
        }
        fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
            self.0.set(key, value)
        }
        fn delete(&self, key: &str) -> Result<(), StoreError> {
            self.0.delete(key)
        }
        fn increment(&self, key: &str, delta: i64) -> Result<i64, StoreError> {
            self.0.increment(key, delta)
        }
        fn watch(&self, key: &str) -> Result<(Self::Cas, Option<Vec<u8>>), StoreError> {
            self.0.watch(key)
        }
        fn swap(&self, cas: Self::Cas, value: &[u8]) -> Result<bool, StoreError> {
            let key = cas.0.clone();
            self.0.swap(cas, value)?;
            for _ in 0..stored::HISTORY {
                update_json(&self.0, &key, 1, increment)?;
            }
            Ok(false)
        }
    }
    let kv = Storm(MemKv::default());
    update_json(&kv.0, "n", 1, increment).unwrap();
    // This store has already been seen to report a swap that wrote as failed.
    kv.0.set("kv#swap-misreports", b"1").unwrap();
    assert_eq!(
        update_json(&kv, "n", 3, increment),
        Err(StoreError::Unconfirmed("n".into()))
    );
}

/// `threads` writers at once, each applying `per_thread` updates through `f`.
fn hammer<K: Kv + Sync, R: Send>(kv: &K, threads: usize, f: impl Fn(&K) -> R + Sync) -> Vec<R> {
    let start = Barrier::new(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    start.wait();
                    f(kv)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

/// Every acknowledged update is counted exactly once; the only refusal allowed is
/// `Unconfirmed` ("maybe written"), and none is counted twice.
fn exact_totals_under_concurrency<K: Kv + Sync>(kv: &K) {
    let results = hammer(kv, 8, |kv| {
        (0..25)
            .map(|_| update_json(kv, "total", 1000, increment))
            .collect::<Vec<_>>()
    });
    let (mut seen, mut unconfirmed) = (Vec::new(), 0);
    for result in results.into_iter().flatten() {
        match result {
            Ok(n) => seen.push(n),
            Err(StoreError::Unconfirmed(_)) => unconfirmed += 1,
            Err(e) => panic!("unexpected refusal: {e}"),
        }
    }
    let acknowledged = seen.len() as u32;
    assert!(
        acknowledged >= 150,
        "most updates go through: {acknowledged}"
    );
    let total = get_json::<_, u32>(kv, "total").unwrap().unwrap();
    assert!((acknowledged..=acknowledged + unconfirmed).contains(&total));
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen.len() as u32,
        acknowledged,
        "no two updates saw the same total"
    );
}

fn one_creator_under_concurrency<K: Kv + Sync>(kv: &K) {
    for round in 0..20 {
        let key = format!("name:{round}");
        let created = hammer(kv, 8, |kv| {
            update_json(kv, &key, 1000, create_once).unwrap()
        });
        assert_eq!(created.iter().filter(|&&c| c).count(), 1, "round {round}");
    }
}

#[test]
fn totals_are_exact_on_an_exact_store() {
    exact_totals_under_concurrency(&MemKv::default());
}

#[test]
fn totals_are_exact_when_absent_keys_are_upserted() {
    exact_totals_under_concurrency(&Faulty::new(Fault::UpsertAbsent));
}

#[test]
fn totals_are_exact_when_every_swap_reports_failure() {
    exact_totals_under_concurrency(&Faulty::new(Fault::MisreportSwap));
}

#[test]
fn a_key_is_created_once_on_an_exact_store() {
    one_creator_under_concurrency(&MemKv::default());
}

#[test]
fn a_key_is_created_once_when_absent_keys_are_upserted() {
    one_creator_under_concurrency(&Faulty::new(Fault::UpsertAbsent));
}

#[test]
fn a_key_is_created_once_when_every_swap_reports_failure() {
    one_creator_under_concurrency(&Faulty::new(Fault::MisreportSwap));
}

#[test]
fn a_store_never_seen_to_misreport_is_taken_at_its_word_when_history_runs_out() {
    let kv = MemKv::default();
    update_json(&kv, "n", 1, increment).unwrap();
    for _ in 0..stored::HISTORY + 1 {
        update_json(&kv, "n", 1, increment).unwrap();
    }
    assert_eq!(update::landed_for_test(&kv, "n", 2), Ok(false));
    kv.set("kv#swap-misreports", b"1").unwrap();
    assert_eq!(
        update::landed_for_test(&kv, "n", 2),
        Err(StoreError::Unconfirmed("n".into()))
    );
}

#[test]
fn a_creator_that_died_after_its_claim_is_taken_over() {
    let kv = MemKv::default();
    kv.increment("n#claim", 1).unwrap();
    assert_eq!(update_json(&kv, "n", 3, increment), Ok(1));
    assert_eq!(get_json::<_, u32>(&kv, "n"), Ok(Some(1)));
}
