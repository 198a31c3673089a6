//! SQLite backend, in Spin's own file layout so `host up` and `spin up` on the same `.spin/`
//! see the same data: one table `spin_key_value(store, key, value)` per file, `store` being
//! the label, and counters as Spin's `increment` writes them (8 bytes, little-endian i64).
//!
//! Durability is ours, not Spin's defaults: a WAL journal so a commit survives a process crash
//! (synchronous=NORMAL only risks the last commits on power loss). WAL mode is recorded in the
//! file and Spin, which opens it with SQLite's defaults, follows it. One connection per label;
//! statements are short, so it is simply shared behind a mutex.

use super::{Error, Store};
use anyhow::{Context, Result};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

/// The table as Spin 4 creates it (same name, columns and key), so a file either host made
/// is the same file to the other.
const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS spin_key_value (
    store TEXT NOT NULL,
    key TEXT NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (store, key)
)";

pub struct SqliteStore {
    conn: Mutex<Connection>,
    /// The label: the rows of this store are those whose `store` column holds it.
    store: String,
}

impl SqliteStore {
    /// Opens the store `label` in the SQLite file at `path`, creating both if needed, and moves
    /// the data of an older host's `kv` table into it.
    pub fn open(path: &Path, label: &str) -> Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let mut conn =
            Connection::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        conn.execute_batch(&format!(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA busy_timeout = 5000;
             {CREATE_TABLE};"
        ))
        .with_context(|| format!("cannot initialise key-value database {}", path.display()))?;
        if let Some(moved) = migrate_legacy_table(&mut conn, label)
            .with_context(|| format!("cannot migrate the `kv` table of {}", path.display()))?
        {
            tracing::info!(
                "{}: moved {moved} entries of the old `kv` table into Spin's spin_key_value \
                 table as store `{label}`, and dropped `kv`",
                path.display()
            );
        }
        Ok(Self {
            conn: Mutex::new(conn),
            store: label.to_string(),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (it has its own
        // transactions), so a poisoned lock is still safe to use.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Earlier versions of this host kept one store per file in `kv(key, value)`. Its rows move to
/// `spin_key_value` under `label`, all in one transaction (a crash leaves the old table whole,
/// and the next start tries again), then the old table is dropped. A key Spin already wrote
/// under that label keeps Spin's value: it is the newer of the two.
///
/// Values are copied byte for byte, as blobs (what both hosts read; a row typed in by hand as
/// text would not read back otherwise). Old counters were decimal text, but so is any JSON number
/// a component stored with `set`, and the two cannot be told apart; the services never called
/// `increment`, so converting digits would only risk corrupting plain values.
///
/// Returns how many rows moved, or `None` when there was no old table.
fn migrate_legacy_table(conn: &mut Connection, label: &str) -> rusqlite::Result<Option<usize>> {
    // IMMEDIATE: a second process opening the same file waits instead of migrating twice.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let legacy: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kv')",
        [],
        |row| row.get(0),
    )?;
    if !legacy {
        return Ok(None);
    }
    let moved = tx.execute(
        "INSERT OR IGNORE INTO spin_key_value (store, key, value)
         SELECT ?1, key, CAST(value AS BLOB) FROM kv",
        [label],
    )?;
    tx.execute_batch("DROP TABLE kv")?;
    tx.commit()?;
    Ok(Some(moved))
}

fn get(conn: &Connection, store: &str, key: &str) -> rusqlite::Result<Option<Vec<u8>>> {
    conn.prepare_cached("SELECT value FROM spin_key_value WHERE store = ?1 AND key = ?2")?
        .query_row([store, key], |row| row.get(0))
        .optional()
}

fn set(conn: &Connection, store: &str, key: &str, value: &[u8]) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO spin_key_value (store, key, value) VALUES (?1, ?2, ?3)
         ON CONFLICT (store, key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![store, key, value])?;
    Ok(())
}

fn delete(conn: &Connection, store: &str, key: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM spin_key_value WHERE store = ?1 AND key = ?2")?
        .execute([store, key])?;
    Ok(())
}

#[async_trait::async_trait]
impl Store for SqliteStore {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, Error> {
        get(&self.conn(), &self.store, key).map_err(Error::other)
    }

    async fn set(&self, key: &str, value: &[u8]) -> Result<(), Error> {
        set(&self.conn(), &self.store, key, value).map_err(Error::other)
    }

    async fn delete(&self, key: &str) -> Result<(), Error> {
        delete(&self.conn(), &self.store, key).map_err(Error::other)
    }

    async fn exists(&self, key: &str) -> Result<bool, Error> {
        let conn = self.conn();
        let found = conn
            .prepare_cached("SELECT 1 FROM spin_key_value WHERE store = ?1 AND key = ?2")
            .and_then(|mut s| s.exists([&self.store, key]))
            .map_err(Error::other)?;
        Ok(found)
    }

    async fn keys(&self) -> Result<Vec<String>, Error> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT key FROM spin_key_value WHERE store = ?1")
            .map_err(Error::other)?;
        let keys = stmt
            .query_map([&self.store], |row| row.get(0))
            .and_then(|rows| rows.collect());
        keys.map_err(Error::other)
    }

    async fn get_many(&self, keys: &[String]) -> Result<Vec<(String, Option<Vec<u8>>)>, Error> {
        let conn = self.conn();
        keys.iter()
            .map(|k| Ok((k.clone(), get(&conn, &self.store, k).map_err(Error::other)?)))
            .collect()
    }

    async fn set_many(&self, pairs: &[(String, Vec<u8>)]) -> Result<(), Error> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(Error::other)?;
        for (k, v) in pairs {
            set(&tx, &self.store, k, v).map_err(Error::other)?;
        }
        tx.commit().map_err(Error::other)
    }

    async fn delete_many(&self, keys: &[String]) -> Result<(), Error> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(Error::other)?;
        for k in keys {
            delete(&tx, &self.store, k).map_err(Error::other)?;
        }
        tx.commit().map_err(Error::other)
    }

    async fn increment(&self, key: &str, delta: i64) -> Result<i64, Error> {
        let mut conn = self.conn();
        // IMMEDIATE takes the write lock before reading, so another process on the same file
        // (a second host, or Spin) cannot increment between our read and our write.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(Error::other)?;
        let current = match get(&tx, &self.store, key).map_err(Error::other)? {
            None => 0,
            Some(bytes) => decode_counter(&bytes)?,
        };
        let next = current
            .checked_add(delta)
            .ok_or_else(|| Error::Other("increment overflows a 64-bit integer".into()))?;
        set(&tx, &self.store, key, &encode_counter(next)).map_err(Error::other)?;
        tx.commit().map_err(Error::other)?;
        Ok(next)
    }

    async fn compare_and_swap(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        new: &[u8],
    ) -> Result<bool, Error> {
        let conn = self.conn();
        let changed = match expected {
            None => conn
                .prepare_cached(
                    "INSERT INTO spin_key_value (store, key, value) VALUES (?1, ?2, ?3)
                     ON CONFLICT (store, key) DO NOTHING",
                )
                .and_then(|mut s| s.execute(params![&self.store, key, new])),
            Some(old) => conn
                .prepare_cached(
                    "UPDATE spin_key_value SET value = ?3
                     WHERE store = ?1 AND key = ?2 AND value = ?4",
                )
                .and_then(|mut s| s.execute(params![&self.store, key, new, old])),
        }
        .map_err(Error::other)?;
        Ok(changed == 1)
    }
}

/// A counter as Spin's SQLite store keeps it: exactly 8 bytes, a little-endian i64.
pub fn encode_counter(n: i64) -> [u8; 8] {
    n.to_le_bytes()
}

/// Reads a counter back. Anything but 8 bytes was not written by `increment`; Spin panics on
/// it, we answer an error the component can report.
pub fn decode_counter(bytes: &[u8]) -> Result<i64, Error> {
    <[u8; 8]>::try_from(bytes)
        .map(i64::from_le_bytes)
        .map_err(|_| {
            Error::Other(format!(
                "value is not an integer counter: increment keeps counters as 8 bytes \
                 (little-endian, as Spin's SQLite store does), this value has {}",
                bytes.len()
            ))
        })
}

#[cfg(test)]
mod tests {
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
}
