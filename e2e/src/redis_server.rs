//! A throwaway `redis-server` on a free port, for tests of the Redis key-value backend.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct RedisServer {
    child: Child,
    port: u16,
}

impl RedisServer {
    pub async fn start() -> RedisServer {
        Self::start_with(&[]).await
    }

    /// A server loaded from `dir/dump.rdb`, as a restore onto a new machine does.
    pub async fn from_snapshot(dir: &Path) -> RedisServer {
        let dir = dir.to_str().expect("a UTF-8 path");
        Self::start_with(&["--dir", dir, "--dbfilename", "dump.rdb"]).await
    }

    async fn start_with(extra: &[&str]) -> RedisServer {
        let port = crate::free_addr().port();
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .args(extra)
            .stdout(Stdio::null())
            .spawn()
            .expect(
                "redis-server must be installed for the Redis tests (apt-get install redis-server)",
            );
        let server = RedisServer { child, port };
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("redis-server did not start on port {port}");
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
