//! Redis backend: a multiplexed connection that reconnects by itself. Compare-and-swap runs as
//! a Lua script so the read and the write are one atomic step on the server.

use super::{Error, Store};
use anyhow::{Context, Result};
use redis::aio::ConnectionManager;
use redis::{AsyncCommands, Script};

pub struct RedisStore {
    conn: ConnectionManager,
    cas: Script,
}

const CAS_SCRIPT: &str = r"
local current = redis.call('GET', KEYS[1])
if (ARGV[1] == 'absent' and current == false) or (ARGV[1] == 'equals' and current == ARGV[2]) then
  redis.call('SET', KEYS[1], ARGV[3])
  return 1
end
return 0
";

impl RedisStore {
    pub async fn open(url: &str) -> Result<Self> {
        let client =
            redis::Client::open(url).with_context(|| format!("invalid Redis url {url}"))?;
        let conn = ConnectionManager::new(client)
            .await
            .with_context(|| format!("cannot connect to Redis at {url}"))?;
        Ok(Self {
            conn,
            cas: Script::new(CAS_SCRIPT),
        })
    }
}

#[async_trait::async_trait]
impl Store for RedisStore {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, Error> {
        self.conn.clone().get(key).await.map_err(Error::other)
    }

    async fn set(&self, key: &str, value: &[u8]) -> Result<(), Error> {
        self.conn
            .clone()
            .set(key, value)
            .await
            .map_err(Error::other)
    }

    async fn delete(&self, key: &str) -> Result<(), Error> {
        self.conn.clone().del(key).await.map_err(Error::other)
    }

    async fn exists(&self, key: &str) -> Result<bool, Error> {
        self.conn.clone().exists(key).await.map_err(Error::other)
    }

    async fn keys(&self) -> Result<Vec<String>, Error> {
        let mut conn = self.conn.clone();
        let mut keys = Vec::new();
        let mut cursor: u64 = 0;
        loop {
            let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("COUNT")
                .arg(1000)
                .query_async(&mut conn)
                .await
                .map_err(Error::other)?;
            keys.extend(batch);
            if next == 0 {
                return Ok(keys);
            }
            cursor = next;
        }
    }

    async fn get_many(&self, keys: &[String]) -> Result<Vec<(String, Option<Vec<u8>>)>, Error> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let values: Vec<Option<Vec<u8>>> = redis::cmd("MGET")
            .arg(keys)
            .query_async(&mut self.conn.clone())
            .await
            .map_err(Error::other)?;
        Ok(keys.iter().cloned().zip(values).collect())
    }

    async fn set_many(&self, pairs: &[(String, Vec<u8>)]) -> Result<(), Error> {
        if pairs.is_empty() {
            return Ok(());
        }
        self.conn.clone().mset(pairs).await.map_err(Error::other)
    }

    async fn delete_many(&self, keys: &[String]) -> Result<(), Error> {
        if keys.is_empty() {
            return Ok(());
        }
        self.conn.clone().del(keys).await.map_err(Error::other)
    }

    async fn increment(&self, key: &str, delta: i64) -> Result<i64, Error> {
        self.conn.clone().incr(key, delta).await.map_err(|e| {
            if e.to_string().contains("not an integer") {
                Error::Other("value is not an integer counter".into())
            } else {
                Error::other(e)
            }
        })
    }

    async fn compare_and_swap(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        new: &[u8],
    ) -> Result<bool, Error> {
        let mut invocation = self.cas.key(key);
        match expected {
            None => invocation.arg("absent").arg(""),
            Some(old) => invocation.arg("equals").arg(old),
        };
        let swapped: i64 = invocation
            .arg(new)
            .invoke_async(&mut self.conn.clone())
            .await
            .map_err(Error::other)?;
        Ok(swapped == 1)
    }
}
