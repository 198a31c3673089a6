//! A real headless Chromium driven over WebDriver (chromedriver + fantoccini), for the UI tests.
//!
//! ```no_run
//! # async fn demo(app: e2e::TestHost) {
//! use e2e::browser::{Browser, Viewport};
//! let browser = Browser::builder().viewport(Viewport::PHONE).launch().await;
//! browser.goto(&app.url("/")).await;
//! browser.click("nav-settings").await;
//! browser.close().await;
//! # }
//! ```
//!
//! Elements are named by their `data-testid`. Every wait is bounded, and a timeout fails the
//! test with what was awaited. Chromium missing is a failure, not a skip.

mod axe;
mod driver;
mod launch;

pub use axe::Violation;
pub use fantoccini::key::Key;
pub use launch::{BrowserBuilder, Viewport};

use driver::Driver;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, Locator};
use serde_json::{json, Value as Json};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(40);

/// One Chromium window with a fresh profile. Call [`Browser::close`]; a browser dropped by a
/// failing test still ends its session.
pub struct Browser {
    client: Client,
    session: String,
    driver: Arc<Driver>,
    closed: bool,
    _profile: tempfile::TempDir,
}

/// A POST to a session endpoint fantoccini has no method for (CDP, permissions).
#[derive(Debug)]
struct SessionPost {
    path: &'static str,
    body: Json,
}

impl WebDriverCompatibleCommand for SessionPost {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/{}",
            session.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

pub fn testid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

impl Browser {
    pub fn builder() -> BrowserBuilder {
        BrowserBuilder {
            viewport: Viewport::DESKTOP,
            for_screenshots: false,
        }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    pub async fn reload(&self) {
        self.client.refresh().await.expect("reload");
    }

    /// Runs `script` as a function body (`return …` gives the result).
    pub async fn eval(&self, script: &str, args: Vec<Json>) -> Json {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{}", short(script)))
    }

    /// Runs `script` with a callback as its last argument; the result is what it is called with.
    pub async fn eval_async(&self, script: &str, args: Vec<Json>) -> Json {
        self.client
            .execute_async(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{}", short(script)))
    }

    /// Polls `script` until it returns something truthy, and returns that.
    pub async fn wait_for(&self, what: &str, script: &str, args: Vec<Json>) -> Json {
        let deadline = Instant::now() + WAIT;
        loop {
            let value = self.eval(script, args.clone()).await;
            let truthy = !matches!(&value, Json::Null | Json::Bool(false))
                && value != json!(0)
                && value != json!("");
            if truthy {
                return value;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out after {WAIT:?} waiting for {what}\npage state: {}",
                    self.page_state().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// What a failing wait prints: the messages the page shows.
    async fn page_state(&self) -> String {
        let script = "return [...document.querySelectorAll('[role=status],[role=alert],.message')]\
            .map((e) => `${e.dataset.testid || e.id}: ${e.textContent.trim()}`).filter((t) => !t.endsWith(': ')).join(' | ')";
        match self.client.execute(script, vec![]).await {
            Ok(Json::String(s)) => s,
            other => format!("{other:?}"),
        }
    }

    /// The element with this `data-testid`, once it is displayed.
    pub async fn find(&self, id: &str) -> Element {
        self.wait_for(
            &format!("[data-testid={id}] to be displayed"),
            VISIBLE,
            vec![json!(id)],
        )
        .await;
        self.client
            .find(Locator::Css(&testid(id)))
            .await
            .unwrap_or_else(|e| panic!("no [data-testid={id}]: {e}"))
    }

    pub async fn is_visible(&self, id: &str) -> bool {
        self.eval(VISIBLE, vec![json!(id)]).await == Json::Bool(true)
    }

    pub async fn click(&self, id: &str) {
        self.find(id)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click [data-testid={id}]: {e}"));
    }

    /// Replaces the value of an input by typing into it.
    pub async fn fill(&self, id: &str, text: &str) {
        let input = self.find(id).await;
        input
            .clear()
            .await
            .unwrap_or_else(|e| panic!("cannot clear [data-testid={id}]: {e}"));
        input
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("cannot type into [data-testid={id}]: {e}"));
    }

    /// The element's text as rendered (`textContent`, trimmed), or "" when absent.
    pub async fn text(&self, id: &str) -> String {
        let script = "const e = document.querySelector(`[data-testid=\"${arguments[0]}\"]`); return e ? e.textContent.trim() : ''";
        self.eval(script, vec![json!(id)])
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Presses each character as a physical key on whatever has the focus; use [`Key`] for
    /// Enter, Backspace, Tab…
    pub async fn press(&self, keys: &str) {
        let mut actions = KeyActions::new("keyboard".into());
        for value in keys.chars() {
            actions = actions
                .then(KeyAction::Down { value })
                .then(KeyAction::Up { value });
        }
        self.client
            .perform_actions(actions)
            .await
            .unwrap_or_else(|e| panic!("cannot press {keys:?}: {e}"));
    }

    /// The `data-testid` (or id, or tag) of the focused element.
    pub async fn focused(&self) -> String {
        let script = "const e = document.activeElement; return e ? (e.dataset.testid || e.id || e.tagName) : ''";
        self.eval(script, vec![])
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// A Chrome DevTools Protocol command, through chromedriver.
    pub async fn cdp(&self, command: &str, params: Json) -> Json {
        self.client
            .issue_cmd(SessionPost {
                path: "goog/cdp/execute",
                body: json!({ "cmd": command, "params": params }),
            })
            .await
            .unwrap_or_else(|e| panic!("CDP {command} failed: {e}"))
    }

    /// Lets the page read and write the clipboard without a prompt (W3C permissions extension).
    pub async fn grant_clipboard(&self) {
        for name in ["clipboard-read", "clipboard-write"] {
            self.client
                .issue_cmd(SessionPost {
                    path: "permissions",
                    body: json!({ "descriptor": { "name": name }, "state": "granted" }),
                })
                .await
                .unwrap_or_else(|e| panic!("cannot grant {name}: {e}"));
        }
    }

    /// What the system clipboard holds, read by the page as a paste would.
    pub async fn clipboard(&self) -> String {
        let script = "const done = arguments[0]; navigator.clipboard.readText().then(done, (e) => done({ error: String(e) }))";
        match self.eval_async(script, vec![]).await {
            Json::String(text) => text,
            other => panic!("cannot read the clipboard: {other}"),
        }
    }

    /// Saves the viewport as `target/screenshots/<name>.png`, or as the committed
    /// `docs/screenshots/<name>.png` when `MOTUS_UPDATE_SCREENSHOTS=1`, so that running the tests
    /// does not rewrite tracked files (the history screens show today's date).
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = match std::env::var("MOTUS_UPDATE_SCREENSHOTS").as_deref() {
            Ok("1") => crate::repo_root().join("docs/screenshots"),
            _ => crate::repo_root().join("target/screenshots"),
        };
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }

    pub async fn close(mut self) {
        self.closed = true;
        let client = self.client.clone();
        if let Err(e) = client.close().await {
            eprintln!("closing the browser: {e}");
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.closed {
            self.driver.delete_session_blocking(&self.session);
        }
    }
}

const VISIBLE: &str = "const e = document.querySelector(`[data-testid=\"${arguments[0]}\"]`); \
    return Boolean(e && e.checkVisibility({ visibilityProperty: true }) && e.getClientRects().length)";

fn short(script: &str) -> String {
    script.chars().take(200).collect()
}
