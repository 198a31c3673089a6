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
mod tests;
