//! SQLite backend: one file per label, WAL journal so a commit survives a process crash
//! (synchronous=NORMAL only risks the last commits on power loss), one connection per file.
//! Statements are short, so the connection is simply shared behind a mutex.

use super::{Error, Store};
use anyhow::{Context, Result};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

pub struct SqliteStore {
    conn: Mutex<Connection>,
}

impl SqliteStore {
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let conn =
            Connection::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA busy_timeout = 5000;
             CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;",
        )
        .with_context(|| format!("cannot initialise key-value database {}", path.display()))?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (it has its own
        // transactions), so a poisoned lock is still safe to use.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn get(conn: &Connection, key: &str) -> rusqlite::Result<Option<Vec<u8>>> {
    conn.prepare_cached("SELECT value FROM kv WHERE key = ?1")?
        .query_row([key], |row| row.get(0))
        .optional()
}

fn set(conn: &Connection, key: &str, value: &[u8]) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO kv (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value")?
        .execute(params![key, value])?;
    Ok(())
}

fn delete(conn: &Connection, key: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM kv WHERE key = ?1")?
        .execute([key])?;
    Ok(())
}

#[async_trait::async_trait]
impl Store for SqliteStore {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, Error> {
        get(&self.conn(), key).map_err(Error::other)
    }

    async fn set(&self, key: &str, value: &[u8]) -> Result<(), Error> {
        set(&self.conn(), key, value).map_err(Error::other)
    }

    async fn delete(&self, key: &str) -> Result<(), Error> {
        delete(&self.conn(), key).map_err(Error::other)
    }

    async fn exists(&self, key: &str) -> Result<bool, Error> {
        let conn = self.conn();
        let found = conn
            .prepare_cached("SELECT 1 FROM kv WHERE key = ?1")
            .and_then(|mut s| s.exists([key]))
            .map_err(Error::other)?;
        Ok(found)
    }

    async fn keys(&self) -> Result<Vec<String>, Error> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT key FROM kv")
            .map_err(Error::other)?;
        let keys = stmt
            .query_map([], |row| row.get(0))
            .and_then(|rows| rows.collect());
        keys.map_err(Error::other)
    }

    async fn get_many(&self, keys: &[String]) -> Result<Vec<(String, Option<Vec<u8>>)>, Error> {
        let conn = self.conn();
        keys.iter()
            .map(|k| Ok((k.clone(), get(&conn, k).map_err(Error::other)?)))
            .collect()
    }

    async fn set_many(&self, pairs: &[(String, Vec<u8>)]) -> Result<(), Error> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(Error::other)?;
        for (k, v) in pairs {
            set(&tx, k, v).map_err(Error::other)?;
        }
        tx.commit().map_err(Error::other)
    }

    async fn delete_many(&self, keys: &[String]) -> Result<(), Error> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(Error::other)?;
        for k in keys {
            delete(&tx, k).map_err(Error::other)?;
        }
        tx.commit().map_err(Error::other)
    }

    async fn increment(&self, key: &str, delta: i64) -> Result<i64, Error> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(Error::other)?;
        let current = match get(&tx, key).map_err(Error::other)? {
            None => 0,
            Some(bytes) => parse_counter(&bytes)?,
        };
        let next = current
            .checked_add(delta)
            .ok_or_else(|| Error::Other("increment overflows a 64-bit integer".into()))?;
        set(&tx, key, next.to_string().as_bytes()).map_err(Error::other)?;
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
                    "INSERT INTO kv (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO NOTHING",
                )
                .and_then(|mut s| s.execute(params![key, new])),
            Some(old) => conn
                .prepare_cached("UPDATE kv SET value = ?2 WHERE key = ?1 AND value = ?3")
                .and_then(|mut s| s.execute(params![key, new, old])),
        }
        .map_err(Error::other)?;
        Ok(changed == 1)
    }
}

pub(super) fn parse_counter(bytes: &[u8]) -> Result<i64, Error> {
    std::str::from_utf8(bytes)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .ok_or_else(|| Error::Other("value is not an integer counter".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn data_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.db");
        SqliteStore::open(&path)
            .unwrap()
            .set("k", b"v")
            .await
            .unwrap();
        assert_eq!(
            SqliteStore::open(&path)
                .unwrap()
                .get("k")
                .await
                .unwrap()
                .as_deref(),
            Some(&b"v"[..])
        );
    }
}
