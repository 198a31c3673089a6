//! Both key-value backends pass the same contract, and the host's KV behaviour (limits, CAS
//! under concurrency, access control) holds when every label is on Redis.

use e2e::{Backend, RedisServer, TestHost};
use host::key_value::{contract, redis::RedisStore, sqlite::SqliteStore};
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread")]
async fn redis_meets_the_store_contract() {
    let redis = RedisServer::start().await;
    let store = Arc::new(RedisStore::open(&redis.url()).await.unwrap());
    contract::run(store.clone()).await;
    contract::concurrent_cas(store).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_meets_the_store_contract() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("kv.db"), "kv").unwrap());
    contract::run(store.clone()).await;
    contract::concurrent_cas(store).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn components_on_redis_keep_every_concurrent_update_and_their_access_rules() {
    let app = TestHost::builder("e2e/manifests/host-test.toml")
        .variable("secret", "s")
        .backend(Backend::Redis)
        .start()
        .await;
    let client = reqwest::Client::new();
    let writers = (0..32).map(|_| {
        let (client, url) = (client.clone(), app.url("/fx/cas/fixture/counter"));
        tokio::spawn(async move { client.post(&url).send().await.unwrap().status().as_u16() })
    });
    for w in futures::future::join_all(writers).await {
        assert_eq!(w.unwrap(), 200);
    }
    let counter = client
        .get(app.url("/fx/kv/fixture/get/counter"))
        .send()
        .await
        .unwrap();
    assert_eq!(counter.text().await.unwrap(), "32");
    let denied = client
        .get(app.url("/other/kv/fixture/get/counter"))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403);
    let too_long = client
        .post(app.url(&format!("/fx/kv/fixture/set/{}", "k".repeat(300))))
        .send()
        .await
        .unwrap();
    assert_eq!(too_long.status(), 500);
}
