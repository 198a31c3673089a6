//! How the UI's files are described to the browser: content types, validators, cache policy and
//! the security headers of our pages.

use super::headers::Headers;
use super::static_path::AssetPath;
use sha2::{Digest, Sha256};

/// Our pages load scripts, styles and images from our own origin only, and are never framed.
pub const CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
                   form-action 'self'; frame-ancestors 'none'";

pub fn content_type(path: &AssetPath) -> &'static str {
    match path.extension().as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("webmanifest") => "application/manifest+json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The service worker's script: at the root, so its scope is the whole site without a
/// `Service-Worker-Allowed` header.
pub const SERVICE_WORKER: &str = "sw.js";

/// HTML, the service worker and the manifest are revalidated on every load so a deploy is picked
/// up at once (a worker kept for minutes would keep serving the old shell offline, and browsers
/// read the manifest to decide on installing); other files may be reused for a few minutes
/// (names are not content-hashed, so the window stays short).
pub fn cache_control(path: &AssetPath) -> &'static str {
    if path.as_str() == SERVICE_WORKER {
        return "no-cache";
    }
    match path.extension().as_deref() {
        Some("html" | "webmanifest") => "no-cache",
        _ => "public, max-age=300",
    }
}

/// A strong validator: the first 128 bits of the content's SHA-256, quoted.
pub fn etag(content: &[u8]) -> String {
    let digest = Sha256::digest(content);
    format!("\"{}\"", hex::encode(&digest[..16]))
}

/// `If-None-Match` matches when it lists our tag (weak or strong form) or is `*`.
pub fn is_fresh(headers: &Headers, etag: &str) -> bool {
    let Some(list) = headers.get("if-none-match") else {
        return false;
    };
    list.split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag == etag || tag.strip_prefix("W/").is_some_and(|t| t == etag))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::static_path;

    fn asset(p: &str) -> AssetPath {
        static_path::parse(p).unwrap()
    }

    #[test]
    fn content_types_follow_the_extension() {
        let cases = [
            ("/index.html", "text/html; charset=utf-8"),
            ("/style.css", "text/css; charset=utf-8"),
            ("/app.js", "text/javascript; charset=utf-8"),
            ("/icon.svg", "image/svg+xml"),
            ("/icon.png", "image/png"),
            ("/favicon.ico", "image/x-icon"),
            ("/data.json", "application/json"),
            ("/manifest.webmanifest", "application/manifest+json"),
            ("/font.woff2", "font/woff2"),
            ("/blob.bin", "application/octet-stream"),
        ];
        for (p, ct) in cases {
            assert_eq!(content_type(&asset(p)), ct, "{p}");
        }
    }

    #[test]
    fn html_is_always_revalidated_and_other_files_briefly_cached() {
        assert_eq!(cache_control(&asset("/")), "no-cache");
        assert_eq!(cache_control(&asset("/app.js")), "public, max-age=300");
        assert_eq!(
            cache_control(&asset("/icon-512.png")),
            "public, max-age=300"
        );
    }

    #[test]
    fn the_service_worker_and_the_manifest_are_always_revalidated_so_updates_get_through() {
        assert_eq!(cache_control(&asset("/sw.js")), "no-cache");
        assert_eq!(cache_control(&asset("/manifest.webmanifest")), "no-cache");
        assert_eq!(
            content_type(&asset("/sw.js")),
            "text/javascript; charset=utf-8",
            "a worker script must have a JavaScript type"
        );
    }

    #[test]
    fn the_csp_lets_our_own_worker_and_manifest_load() {
        // Neither `worker-src` nor `manifest-src` is set: both fall back to `default-src 'self'`.
        assert!(CSP.starts_with("default-src 'self';"));
        assert!(!CSP.contains("worker-src") && !CSP.contains("manifest-src"));
    }

    #[test]
    fn etags_differ_when_content_differs() {
        assert_ne!(etag(b"a"), etag(b"b"));
        assert_eq!(etag(b"a").len(), 34);
    }
}
