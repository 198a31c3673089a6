//! Installable, and honest offline: the checks a browser makes before offering to install (a
//! valid manifest with the icon sizes it asks for, a service worker in control), and without
//! the server the app opens on a "hors ligne" screen, never the browser's error page, and no API
//! answer comes from a cache.

use crate::console::assert_clean;
use crate::ui::*;
use e2e::browser::Browser;
use serde_json::{json, Value as Json};

/// Fetches the page's manifest and each of its icons, and reads each icon's real pixel size.
const MANIFEST_AND_ICONS: &str = r#"
const done = arguments[0];
(async () => {
  const link = document.querySelector('link[rel=manifest]');
  const answer = await fetch(link.href);
  const manifest = await answer.json();
  const icons = [];
  for (const icon of manifest.icons) {
    const r = await fetch(new URL(icon.src, link.href));
    const blob = await r.blob();
    const image = r.ok && blob.type !== 'image/svg+xml' ? await createImageBitmap(blob) : null;
    icons.push({ ...icon, status: r.status, contentType: r.headers.get('content-type'),
      pixels: image ? `${image.width}x${image.height}` : null });
  }
  return { contentType: answer.headers.get('content-type'), manifest, icons };
})().then(done, (e) => done({ error: String(e) }));
"#;

#[tokio::test(flavor = "multi_thread")]
async fn the_manifest_is_valid_with_the_icon_sizes_browsers_ask_for_and_every_icon_loads() {
    let (_app, b) = open(Browser::builder()).await;
    b.find("view-auth").await;
    let found = b.eval_async(MANIFEST_AND_ICONS, vec![]).await;
    assert!(found.get("error").is_none(), "{found}");
    assert_eq!(found["contentType"], "application/manifest+json");
    let manifest = &found["manifest"];
    for field in ["name", "short_name", "start_url", "id", "lang"] {
        assert!(manifest[field].is_string(), "manifest {field}: {manifest}");
    }
    assert_eq!(manifest["lang"], "fr");
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["scope"], "/");
    let icons = found["icons"].as_array().unwrap();
    for icon in icons {
        assert_eq!(icon["status"], 200, "{icon}");
        assert_eq!(icon["contentType"], icon["type"], "{icon}");
        if icon["type"] == "image/png" {
            assert_eq!(
                icon["pixels"], icon["sizes"],
                "the file is its stated size: {icon}"
            );
        }
    }
    let has = |size: &str, purpose: &str| {
        icons.iter().any(|i| {
            i["type"] == "image/png"
                && i["sizes"] == size
                && i["purpose"]
                    .as_str()
                    .unwrap_or("any")
                    .split(' ')
                    .any(|p| p == purpose)
        })
    };
    for size in ["192x192", "512x512"] {
        assert!(has(size, "any"), "a {size} PNG icon: {icons:?}");
        assert!(
            has(size, "maskable"),
            "a maskable {size} PNG icon: {icons:?}"
        );
    }

    // Chromium's own reading of it: what its install prompt would complain about.
    let parsed = b.cdp("Page.getAppManifest", json!({})).await;
    assert_eq!(parsed["errors"], json!([]), "{parsed}");
    wait_for_worker(&b).await;
    let installability = b.cdp("Page.getInstallabilityErrors", json!({})).await;
    assert_eq!(
        installability["installabilityErrors"],
        json!([]),
        "Chromium would not offer to install: {installability}"
    );
    assert_clean(&b, "first visit with the manifest and the worker").await;
    b.close().await;
}

/// Waits until the service worker is active; returns its script URL.
async fn wait_for_worker(b: &Browser) -> String {
    let script = "const done = arguments[0]; navigator.serviceWorker.ready\
        .then((r) => done(r.active && r.active.scriptURL), (e) => done({ error: String(e) }))";
    match b.eval_async(script, vec![]).await {
        Json::String(url) => url,
        other => panic!("no active service worker: {other}"),
    }
}

/// The service worker that controls the page, if any.
async fn controller(b: &Browser) -> Json {
    b.eval(
        "const c = navigator.serviceWorker.controller; return c && c.scriptURL",
        vec![],
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_service_worker_controls_the_page_after_a_reload_and_is_served_so_updates_get_through()
{
    let (app, b) = open(Browser::builder()).await;
    b.find("view-auth").await;
    let script = wait_for_worker(&b).await;
    assert_eq!(script, app.url("/sw.js"));

    b.reload().await;
    b.find("view-auth").await;
    assert_eq!(controller(&b).await, json!(app.url("/sw.js")));
    let scope = b
        .eval_async(
            "const done = arguments[0]; navigator.serviceWorker.getRegistration().then((r) => done(r.scope))",
            vec![],
        )
        .await;
    assert_eq!(scope, json!(app.url("/")), "the whole site");

    let headers = b
        .eval_async(
            "const done = arguments[0]; fetch('/sw.js', { cache: 'no-store' }).then((r) => done({ \
                status: r.status, type: r.headers.get('content-type'), \
                cache: r.headers.get('cache-control') }))",
            vec![],
        )
        .await;
    assert_eq!(
        headers,
        json!({ "status": 200, "type": "text/javascript; charset=utf-8", "cache": "no-cache" }),
        "a worker script, revalidated on every check so a new one is seen at once"
    );
    assert_clean(&b, "a reload under the service worker").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_the_server_the_app_opens_offline_says_so_and_comes_back_when_it_returns() {
    let (mut app, b) = open(Browser::builder()).await;
    register(&b, "kim").await;
    wait_for_worker(&b).await;
    b.reload().await;
    signed_in_as(&b, "kim").await;
    assert!(
        controller(&b).await.is_string(),
        "the worker controls the page"
    );

    app.stop_keeping_state().await;
    b.reload().await;
    b.find("view-offline").await;
    assert_eq!(
        b.eval("return document.title", vec![]).await,
        "Motus",
        "our page, from the worker's cache, not the browser's error page"
    );
    assert_eq!(b.text("offline-title").await, "Hors ligne");
    assert!(
        b.text("offline-message")
            .await
            .contains("rien ne se joue hors ligne"),
        "{}",
        b.text("offline-message").await
    );
    for hidden in ["view-auth", "view-game", "nav-leaderboard", "user-name"] {
        assert!(
            !b.is_visible(hidden).await,
            "{hidden} would pretend to work offline"
        );
    }
    let stylesheet_applied = "return [...document.styleSheets]\
        .some((s) => s.href && s.href.endsWith('/style.css') && s.cssRules.length > 0)";
    assert_eq!(
        b.eval(stylesheet_applied, vec![]).await,
        true,
        "the styles came from the cache too"
    );
    let violations = b.axe().await;
    assert!(
        violations.is_empty(),
        "axe on the offline screen:\n{}",
        violations.iter().map(|v| v.to_string()).collect::<String>()
    );

    // The API is never answered from a cache: every call needs the server.
    for path in ["/api/me", "/api/daily", "/api/leaderboard?period=day"] {
        let outcome = b
            .eval_async(
                "const [path, done] = arguments; fetch(path).then(\
                    (r) => done('answered ' + r.status), (e) => done('failed: ' + e.name))",
                vec![json!(path)],
            )
            .await;
        assert_eq!(outcome, "failed: TypeError", "{path}");
    }

    app.restart().await;
    b.click("offline-retry").await;
    signed_in_as(&b, "kim").await;
    b.close().await;
}
