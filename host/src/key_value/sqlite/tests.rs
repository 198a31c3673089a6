use super::*;

fn raw(path: &Path) -> Connection {
    Connection::open(path).unwrap()
}

fn rows(path: &Path) -> Vec<(String, String, Vec<u8>)> {
    let db = raw(path);
    let mut stmt = db
        .prepare("SELECT store, key, value FROM spin_key_value ORDER BY store, key")
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    rows
}

fn tables(path: &Path) -> Vec<String> {
    let db = raw(path);
    let mut stmt = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap();
    let names = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    names
}

#[tokio::test]
async fn data_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    SqliteStore::open(&path, "p")
        .unwrap()
        .set("k", b"v")
        .await
        .unwrap();
    let reopened = SqliteStore::open(&path, "p").unwrap();
    assert_eq!(reopened.get("k").await.unwrap().as_deref(), Some(&b"v"[..]));
}

#[tokio::test]
async fn entries_are_rows_of_spins_table_keyed_by_label() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    let auth = SqliteStore::open(&path, "auth").unwrap();
    let score = SqliteStore::open(&path, "score").unwrap();
    auth.set("user:alice", b"A").await.unwrap();
    score.set("user:alice", b"S").await.unwrap();

    assert_eq!(tables(&path), ["spin_key_value"]);
    assert_eq!(
        rows(&path),
        [
            ("auth".into(), "user:alice".into(), b"A".to_vec()),
            ("score".into(), "user:alice".into(), b"S".to_vec()),
        ]
    );
    assert_eq!(auth.keys().await.unwrap(), ["user:alice"]);
    score.delete("user:alice").await.unwrap();
    assert_eq!(auth.get("user:alice").await.unwrap(), Some(b"A".to_vec()));
    let mode: String = raw(&path)
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal", "the WAL journal is recorded in the file");
}

#[tokio::test]
async fn rows_another_spin_host_wrote_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spin.db");
    let db = raw(&path);
    db.execute_batch(CREATE_TABLE).unwrap();
    db.execute(
        "INSERT INTO spin_key_value VALUES ('motus', 'game:1', x'7b7d'), ('motus', 'n', ?1)",
        [encode_counter(41).to_vec()],
    )
    .unwrap();
    drop(db);
    let motus = SqliteStore::open(&path, "motus").unwrap();
    assert_eq!(motus.get("game:1").await.unwrap(), Some(b"{}".to_vec()));
    assert_eq!(motus.increment("n", 1).await.unwrap(), 42);
}

#[tokio::test]
async fn counters_are_eight_little_endian_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let store = SqliteStore::open(&path, "c").unwrap();
    assert_eq!(store.increment("n", 300).await.unwrap(), 300);
    assert_eq!(store.increment("n", -301).await.unwrap(), -1);
    assert_eq!(
        rows(&path),
        [("c".into(), "n".into(), vec![0xff; 8])],
        "-1 as an i64"
    );
    store.set("m", &258i64.to_le_bytes()).await.unwrap();
    assert_eq!(store.increment("m", 0).await.unwrap(), 258);
    assert_eq!(decode_counter(&encode_counter(i64::MIN)), Ok(i64::MIN));
}

#[tokio::test]
async fn incrementing_a_value_that_is_not_a_counter_is_an_error_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("c.db"), "c").unwrap();
    for value in [&b"7"[..], b"{\"n\":1}", b"123456789"] {
        store.set("k", value).await.unwrap();
        let err = store.increment("k", 1).await.unwrap_err();
        assert!(err.to_string().contains("not an integer counter"), "{err}");
        assert_eq!(store.get("k").await.unwrap().as_deref(), Some(value));
    }
    store.set("max", &encode_counter(i64::MAX)).await.unwrap();
    assert!(store.increment("max", 1).await.is_err());
}

#[tokio::test]
async fn an_old_kv_table_moves_under_the_label_and_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("auth.db");
    let db = raw(&path);
    db.execute_batch(
        "CREATE TABLE kv (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;
         INSERT INTO kv VALUES ('user:alice', x'00ff'), ('count', '12'), ('mine', 'old');",
    )
    .unwrap();
    // Spin already ran on this file once and wrote one of the keys: its value is newer.
    db.execute_batch(CREATE_TABLE).unwrap();
    db.execute_batch("INSERT INTO spin_key_value VALUES ('auth', 'mine', CAST('new' AS BLOB))")
        .unwrap();
    drop(db);

    let store = SqliteStore::open(&path, "auth").unwrap();
    assert_eq!(tables(&path), ["spin_key_value"]);
    assert_eq!(
        rows(&path),
        [
            ("auth".into(), "count".into(), b"12".to_vec()),
            ("auth".into(), "mine".into(), b"new".to_vec()),
            ("auth".into(), "user:alice".into(), vec![0x00, 0xff]),
        ]
    );
    let mut keys = store.keys().await.unwrap();
    keys.sort();
    assert_eq!(keys, ["count", "mine", "user:alice"]);
    drop(store);
    // Reopening finds nothing left to move.
    let mut conn = raw(&path);
    assert_eq!(migrate_legacy_table(&mut conn, "auth").unwrap(), None);
    assert_eq!(rows(&path).len(), 3);
}
