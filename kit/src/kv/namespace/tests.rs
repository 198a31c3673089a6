use std::cell::RefCell;
use std::sync::Barrier;

use super::*;
use crate::kv::{get_json, update_json, Step};
use crate::memory::{Fault, Faulty, MemKv};

/// One store shared by several [`Namespaced`] views (services, or requests on threads).
struct Shared<'a, K>(&'a K);

impl<K: Kv> Kv for Shared<'_, K> {
    type Cas = K::Cas;

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
        self.0.swap(cas, value)
    }
}

impl<K: Listing> Listing for Shared<'_, K> {
    fn keys(&self) -> Result<Vec<String>, StoreError> {
        self.0.keys()
    }
}

/// A view of `store` as the service with this label sees it.
fn view<'a, K: Listing>(label: &str, store: &'a K) -> Namespaced<Shared<'a, K>> {
    Namespaced::new(label, Shared(store))
}

/// Records every call the namespaced view makes to the store, to count round trips.
#[derive(Default)]
struct Counted {
    inner: MemKv,
    calls: RefCell<Vec<String>>,
}

impl Counted {
    fn log(&self, what: &str, key: &str) {
        self.calls.borrow_mut().push(format!("{what} {key}"));
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut self.calls.borrow_mut())
    }
}

impl Kv for Counted {
    type Cas = <MemKv as Kv>::Cas;

    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.log("get", key);
        self.inner.get(key)
    }

    fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        self.log("get_many", &keys.join(","));
        self.inner.get_many(keys)
    }

    fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.log("set", key);
        self.inner.set(key, value)
    }

    fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.log("delete", key);
        self.inner.delete(key)
    }

    fn increment(&self, key: &str, delta: i64) -> Result<i64, StoreError> {
        self.log("increment", key);
        self.inner.increment(key, delta)
    }

    fn watch(&self, key: &str) -> Result<(Self::Cas, Option<Vec<u8>>), StoreError> {
        self.log("watch", key);
        self.inner.watch(key)
    }

    fn swap(&self, cas: Self::Cas, value: &[u8]) -> Result<bool, StoreError> {
        self.log("swap", &cas.0);
        self.inner.swap(cas, value)
    }
}

impl Listing for Counted {
    fn keys(&self) -> Result<Vec<String>, StoreError> {
        self.log("keys", "");
        Ok(self.inner.keys())
    }
}

/// A store as the services left it before keys had a prefix: one store per label, keys bare.
fn bare_store<K: Kv>(store: &K) {
    store.set("user:ada", br#"{"name":"Ada"}"#).unwrap();
    store.set("game:g1", br#"{"word":"MOTUS"}"#).unwrap();
    store.increment("index:ada", 3).unwrap();
}

fn bump(n: Option<u32>) -> Result<Step<u32, u32>, StoreError> {
    let next = n.unwrap_or(0) + 1;
    Ok(Step::Write(next, next))
}

#[test]
fn services_sharing_one_store_keep_their_own_keys() {
    let shared = MemKv::default();
    let motus = view("motus", &shared);
    let score = view("score", &shared);
    motus.set("game:g1", b"motus's game").unwrap();
    score.set("game:g1", b"score's record").unwrap();

    assert_eq!(motus.get("game:g1").unwrap().unwrap(), b"motus's game");
    assert_eq!(score.get("game:g1").unwrap().unwrap(), b"score's record");
    let keys = shared.keys();
    assert!(keys.contains(&"motus/game:g1".to_string()), "{keys:?}");
    assert!(keys.contains(&"score/game:g1".to_string()), "{keys:?}");
    assert!(!keys.contains(&"game:g1".to_string()), "{keys:?}");
}

#[test]
fn counters_and_updates_of_two_services_on_one_store_do_not_mix() {
    let shared = MemKv::default();
    let motus = view("motus", &shared);
    let score = view("score", &shared);
    for _ in 0..3 {
        update_json(&motus, "game:g1", 5, bump).unwrap();
    }
    update_json(&score, "game:g1", 5, bump).unwrap();
    assert_eq!(motus.increment("n", 2).unwrap(), 2);
    assert_eq!(score.increment("n", 5).unwrap(), 5);

    assert_eq!(get_json::<_, u32>(&motus, "game:g1").unwrap(), Some(3));
    assert_eq!(get_json::<_, u32>(&score, "game:g1").unwrap(), Some(1));
}

#[test]
fn a_store_in_the_bare_layout_reads_the_same_through_the_prefix() {
    let store = MemKv::default();
    bare_store(&store);
    let auth = view("auth", &store);

    assert_eq!(auth.get("user:ada").unwrap().unwrap(), br#"{"name":"Ada"}"#);
    assert_eq!(
        auth.get("game:g1").unwrap().unwrap(),
        br#"{"word":"MOTUS"}"#
    );
    assert_eq!(
        auth.increment("index:ada", 1).unwrap(),
        4,
        "the counter goes on"
    );
    let keys = store.keys();
    assert!(
        keys.iter().all(|k| k.starts_with("auth/")),
        "every bare key moved under the prefix: {keys:?}"
    );
}

#[test]
fn the_first_miss_moves_the_bare_keys_and_later_requests_read_only_the_marker() {
    let store = MemKv::default();
    bare_store(&store);
    assert_eq!(view("motus", &store).get("absent").unwrap(), None);
    assert!(store.keys().iter().all(|k| in_a_namespace(k)));

    let counted = Counted::default();
    for key in store.keys() {
        counted
            .inner
            .set(&key, &store.get(&key).unwrap().unwrap())
            .unwrap();
    }
    let next_request = view("motus", &counted);
    assert_eq!(next_request.get("still-absent").unwrap(), None);
    assert_eq!(
        counted.take(),
        [
            "get motus/still-absent",
            "get motus/kv#layout",
            "get motus/still-absent"
        ],
        "within a minute of the move a miss is read again: it may predate the move"
    );

    counted.inner.set("motus/kv#layout", b"1000").unwrap();
    let later_request = view("motus", &counted);
    assert_eq!(later_request.get("still-absent").unwrap(), None);
    assert_eq!(later_request.get("also-absent").unwrap(), None);
    assert_eq!(
        counted.take(),
        [
            "get motus/still-absent",
            "get motus/kv#layout",
            "get motus/also-absent"
        ],
        "one marker read per request once the move is old"
    );
}

#[test]
fn a_read_or_an_update_of_an_existing_key_costs_no_extra_round_trip() {
    let counted = Counted::default();
    let setup = view("motus", &counted);
    update_json(&setup, "game:g1", 5, bump).unwrap();
    counted.take();

    let request = view("motus", &counted);
    assert!(request.get("game:g1").unwrap().is_some());
    update_json(&request, "game:g1", 5, bump).unwrap();
    assert_eq!(
        counted.take(),
        [
            "get motus/game:g1",
            "watch motus/game:g1",
            "swap motus/game:g1"
        ]
    );
}

#[test]
fn a_write_reads_the_marker_once_per_request_first() {
    let counted = Counted::default();
    view("auth", &counted).set("x", b"1").unwrap();
    counted.take();

    let request = view("auth", &counted);
    request.set("session:a", b"s").unwrap();
    request.increment("tries", 1).unwrap();
    request.delete("session:a").unwrap();
    assert_eq!(
        counted.take(),
        [
            "get auth/kv#layout",
            "set auth/session:a",
            "increment auth/tries",
            "delete auth/session:a"
        ]
    );
}

#[test]
fn a_key_deleted_after_the_upgrade_does_not_come_back_from_the_bare_layout() {
    let store = MemKv::default();
    bare_store(&store);
    view("auth", &store).delete("user:ada").unwrap();

    assert_eq!(view("auth", &store).get("user:ada").unwrap(), None);
    assert_eq!(store.get("user:ada").unwrap(), None);
}

#[test]
fn the_move_leaves_other_labels_keys_alone() {
    let shared = MemKv::default();
    view("auth", &shared).set("user:ada", b"auth's").unwrap();
    let keys_before = shared.keys();

    assert_eq!(view("score", &shared).get("user:ada").unwrap(), None);
    let auth_keys: Vec<String> = shared
        .keys()
        .into_iter()
        .filter(|k| k.starts_with("auth/"))
        .collect();
    assert_eq!(auth_keys, keys_before);
}

/// Eight first requests at once on a store of 200 bare games: each reads its game, and every
/// game ends up under the prefix, once, with its value.
fn first_requests_at_once<K: Listing + Sync>(store: &K) {
    for i in 0..200 {
        store
            .set(&format!("game:g{i}"), i.to_string().as_bytes())
            .unwrap();
    }
    let barrier = Barrier::new(8);
    std::thread::scope(|s| {
        for t in 0..8 {
            let barrier = &barrier;
            s.spawn(move || {
                barrier.wait();
                let value = view("motus", store).get(&format!("game:g{}", t * 25));
                assert_eq!(value.unwrap().unwrap(), (t * 25).to_string().as_bytes());
            });
        }
    });
    for i in 0..200 {
        assert_eq!(
            store.get(&format!("game:g{i}")).unwrap(),
            None,
            "bare key left"
        );
        assert_eq!(
            store.get(&format!("motus/game:g{i}")).unwrap().unwrap(),
            i.to_string().as_bytes()
        );
    }
}

#[test]
fn many_first_requests_at_once_move_every_key_once_on_an_exact_store() {
    first_requests_at_once(&MemKv::default());
}

#[test]
fn many_first_requests_at_once_move_every_key_once_on_spins_faulty_stores() {
    first_requests_at_once(&Faulty::new(Fault::UpsertAbsent));
    first_requests_at_once(&Faulty::new(Fault::MisreportSwap));
}

#[test]
fn a_mover_that_died_half_way_is_taken_over_without_overwriting_newer_values() {
    let store = MemKv::default();
    for i in 0..10 {
        store.set(&format!("game:g{i}"), b"old").unwrap();
    }
    // A mover claimed epoch 0, copied g0, then its instance was killed; since then a request
    // updated the copied game.
    store.increment("motus/kv#move-epoch:0:claim", 1).unwrap();
    store.set("motus/game:g0", b"newer").unwrap();

    let started = Instant::now();
    let late = view("motus", &store);
    assert_eq!(late.get("game:g5").unwrap().unwrap(), b"old");
    assert!(
        started.elapsed() >= STALL,
        "waited for the first mover first"
    );
    assert_eq!(late.get("game:g0").unwrap().unwrap(), b"newer");
    assert!(store.keys().iter().all(|k| in_a_namespace(k)));
}

#[test]
fn a_key_is_in_a_namespace_when_a_label_and_a_slash_begin_it() {
    assert!(in_a_namespace("motus/game:g1"));
    assert!(in_a_namespace("auth/kv#layout"));
    assert!(!in_a_namespace("game:g1"));
    assert!(!in_a_namespace("user:a/b"));
    assert!(!in_a_namespace("kv#swap-misreports"));
    assert!(!in_a_namespace("health-probe"));
    assert!(!in_a_namespace("/x"));
}
