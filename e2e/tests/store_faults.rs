//! How the host's key-value stores answer compare-and-swap and batch reads, probed through the
//! fixture component (e2e/manifests/kv-probe.toml). On our host every answer is exact. On real
//! Spin (`MOTUS_TEST_HOST=spin`) the test pins the faults docs/upstream/spin-key-value.md reports
//! and spin-kit works around: when a Spin release fixes one, this test fails and says which
//! paragraph of that document (and of docs/deploy.md) to update.

use e2e::{on_spin, Backend, TestHost};

/// The fixture's `/cas-probe` report on a fresh key, and its `/batch` report.
async fn probe(backend: Backend) -> (String, u16, String) {
    let app = TestHost::builder("e2e/manifests/kv-probe.toml")
        .backend(backend)
        .start()
        .await;
    let client = reqwest::Client::new();
    let cas = client
        .post(app.url("/cas-probe/default/fresh"))
        .send()
        .await
        .unwrap();
    assert_eq!(cas.status(), 200);
    let cas = cas.text().await.unwrap();
    let batch = client.post(app.url("/batch/default")).send().await.unwrap();
    let batch = (batch.status().as_u16(), batch.text().await.unwrap());
    app.stop().await;
    (cas, batch.0, batch.1)
}

const EXACT_CAS: &str = "absent-race=failed quiet-swap=ok value=quiet";
const EXACT_BATCH: &str = "a=A,missing=-,c=C b-exists=false";

#[tokio::test(flavor = "multi_thread")]
async fn the_sqlite_store_answers_compare_and_swap_and_batch_reads() {
    let (cas, status, batch) = probe(Backend::Sqlite).await;
    if on_spin() {
        // Fault 1 (docs/upstream/spin-key-value.md): a swap on a key that was absent when
        // watched is an unconditional upsert, so the second of two first writers also succeeds.
        assert_eq!(
            cas, "absent-race=ok quiet-swap=ok value=quiet",
            "Spin's SQLite store changed: update docs/upstream/spin-key-value.md (fault 1)"
        );
        // Fault 4: a batch read leaves absent keys out instead of answering `none` for them.
        assert_eq!(
            (status, batch.as_str()),
            (200, "a=A,c=C b-exists=false"),
            "Spin's SQLite get_many changed: update docs/upstream/spin-key-value.md (fault 4)"
        );
    } else {
        assert_eq!(cas, EXACT_CAS);
        assert_eq!((status, batch.as_str()), (200, EXACT_BATCH));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_redis_store_answers_compare_and_swap_and_batch_reads() {
    let (cas, status, batch) = probe(Backend::Redis).await;
    if on_spin() {
        // Fault 2: every swap reports failure, including one that wrote (value=quiet).
        assert_eq!(
            cas, "absent-race=failed quiet-swap=failed value=quiet",
            "Spin's Redis store changed: update docs/upstream/spin-key-value.md (fault 2)"
        );
        // Fault 3: a batch read of several keys is refused.
        assert_eq!(
            status, 500,
            "Spin's Redis get_many changed: update docs/upstream/spin-key-value.md (fault 3): {batch}"
        );
    } else {
        assert_eq!(cas, EXACT_CAS);
        assert_eq!((status, batch.as_str()), (200, EXACT_BATCH));
    }
}
