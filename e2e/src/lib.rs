//! Test kit for black-box tests: start the real host on a free port with the built components
//! and a temporary state directory, wait until it serves, drive it over HTTP; it stops when
//! dropped. The host is ours, in-process, or real Spin as a child process with
//! `MOTUS_TEST_HOST=spin` ([`spin`]).
//!
//! ```no_run
//! # async fn demo() {
//! let app = e2e::TestHost::builder("spin.toml").variable("daily_secret", "s").start().await;
//! let res = reqwest::get(app.url("/motus/daily")).await.unwrap();
//! assert_eq!(res.status(), 200);
//! # }
//! ```
//!
//! Where things are: [`TestHost`] and its [`Builder`] (test_host.rs), the stores and runtime
//! config around it (stores.rs), the planted answers and the start most suites share
//! ([`planted`]), a client per service ([`api`]), requests all at once ([`concurrent`]), the
//! `host` binary as a child process ([`process`]), real Spin ([`spin`]), several instances behind
//! HAProxy ([`balancer`]), a headless browser ([`browser`]).

pub mod api;
pub mod balancer;
pub mod browser;
pub mod concurrent;
pub mod planted;
pub mod process;
mod redis_server;
pub mod spin;
mod stores;
mod test_host;

pub use planted::start_planted;
pub use process::HostProcess;
pub use redis_server::RedisServer;
pub use spin::{on_spin, skip_on_spin};
pub use stores::{free_addr, Backend, StoreLocation};
pub use test_host::{Builder, TestHost};

pub(crate) use stores::runtime_config_for;

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Auth counts password attempts in fixed windows of one UTC minute (auth/src/domain/lockout.rs),
/// so a test that fails a password a few times and expects the next attempt to be refused must
/// not straddle a window's end. When less than 15 s of the current minute remain, this waits for
/// the next minute to begin.
pub async fn clear_of_a_lockout_window_end() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    let left = Duration::from_secs(60) - Duration::from_millis((now.as_millis() % 60_000) as u64);
    if left < Duration::from_secs(15) {
        tokio::time::sleep(left + Duration::from_millis(50)).await;
    }
}

/// The repository root (manifests and `target/` are found from here).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_test_writer()
        .try_init();
}
