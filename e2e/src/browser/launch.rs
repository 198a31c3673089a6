//! Starting Chromium: the viewport, the flags that make runs repeatable, and the WebDriver
//! session.

use super::driver::{self, Driver};
use super::Browser;
use fantoccini::ClientBuilder;
use serde_json::{json, Value as Json};
use std::time::Duration;

/// The size of the page's viewport in CSS pixels (device scale factor 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    pub width: u32,
    pub height: u32,
    pub mobile: bool,
}

impl Viewport {
    pub const DESKTOP: Viewport = Viewport {
        width: 1280,
        height: 800,
        mobile: false,
    };
    pub const PHONE: Viewport = Viewport {
        width: 375,
        height: 740,
        mobile: true,
    };
}

pub struct BrowserBuilder {
    pub(super) viewport: Viewport,
    pub(super) for_screenshots: bool,
}

impl BrowserBuilder {
    pub fn viewport(mut self, viewport: Viewport) -> Self {
        self.viewport = viewport;
        self
    }

    /// The same pixels on every run: `prefers-reduced-motion: reduce` (no reveal animation) and
    /// no scrollbars (overlay ones fade in and out).
    pub fn for_screenshots(mut self) -> Self {
        self.for_screenshots = true;
        self
    }

    pub async fn launch(self) -> Browser {
        let chromium = driver::chromium_binary();
        let driver = Driver::shared();
        let profile = tempfile::Builder::new()
            .prefix("motus-chromium-")
            .tempdir()
            .expect("profile dir");
        let Viewport {
            width,
            height,
            mobile,
        } = self.viewport;
        // The machine is offline and runs as root: no sandbox, no background calls home.
        let mut args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--lang=fr-FR".into(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        if self.for_screenshots {
            args.push("--force-prefers-reduced-motion".into());
            args.push("--hide-scrollbars".into());
        }
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": args },
        });
        let Json::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let mut builder = ClientBuilder::new(connector);
        builder.capabilities(capabilities);
        let url = driver.url();
        let client = tokio::time::timeout(Duration::from_secs(60), builder.connect(&url))
            .await
            .expect("Chromium did not start within 60 s")
            .unwrap_or_else(|e| panic!("Chromium did not start ({}): {e}", chromium.display()));
        let session = client
            .session_id()
            .await
            .unwrap()
            .expect("a WebDriver session id");
        let browser = Browser {
            client,
            session,
            driver,
            closed: false,
            _profile: profile,
        };
        // Emulated metrics give the exact viewport whatever the headless window adds around it.
        browser
            .cdp(
                "Emulation.setDeviceMetricsOverride",
                json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile }),
            )
            .await;
        browser
    }
}
