//! The chromedriver process, shared by every browser open at the same time in a test binary and
//! stopped when the last one goes away.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

const INSTALL_HINT: &str =
    "the browser tests need Debian's `chromium` and `chromium-driver` packages: \
     `apt-get install chromium chromium-driver` (.ci/run installs them)";

/// `/usr/bin/chromium`, or `MOTUS_CHROMIUM`. Panics when it is missing: a browser test that
/// cannot run must fail, or a machine without Chromium would pass CI untested.
pub fn chromium_binary() -> PathBuf {
    tool("MOTUS_CHROMIUM", "/usr/bin/chromium", "Chromium")
}

fn tool(variable: &str, default: &str, name: &str) -> PathBuf {
    let path = PathBuf::from(std::env::var_os(variable).unwrap_or_else(|| default.into()));
    assert!(
        path.exists(),
        "{name} is missing ({}): {INSTALL_HINT}",
        path.display()
    );
    path
}

pub struct Driver {
    child: Child,
    port: u16,
}

static SHARED: Mutex<Weak<Driver>> = Mutex::new(Weak::new());

impl Driver {
    /// The running chromedriver, started if no browser holds one.
    pub fn shared() -> Arc<Driver> {
        let mut slot = SHARED
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(driver) = slot.upgrade() {
            return driver;
        }
        let driver = Arc::new(Driver::spawn());
        *slot = Arc::downgrade(&driver);
        driver
    }

    fn spawn() -> Driver {
        let binary = tool(
            "MOTUS_CHROMEDRIVER",
            "/usr/bin/chromedriver",
            "chromedriver",
        );
        // Port 0: chromedriver picks a free port and prints it, so parallel test binaries never race.
        let mut child = Command::new(&binary)
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}; {INSTALL_HINT}", binary.display()));
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut seen = String::new();
        let mut line = String::new();
        let port = loop {
            line.clear();
            if out.read_line(&mut line).unwrap_or(0) == 0 {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromedriver exited before listening; it printed:\n{seen}");
            }
            seen.push_str(&line);
            if let Some(port) = line.split("started successfully on port ").nth(1) {
                break port
                    .trim()
                    .trim_end_matches('.')
                    .parse::<u16>()
                    .expect("chromedriver's port");
            }
        };
        // Keep draining its output so a chatty driver never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        Driver { child, port }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Ends a session without the async client, for browsers dropped by a failing test: the
    /// driver then quits that Chromium instead of leaving it running.
    pub fn delete_session_blocking(&self, session: &str) {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let request = format!(
            "DELETE /session/{session} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        );
        if stream.write_all(request.as_bytes()).is_ok() {
            let _ = stream.read_to_end(&mut Vec::new());
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
