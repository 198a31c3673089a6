//! Serving the UI's files: content types, validators and cache policy.

use crate::error::ApiError;
use crate::inbound::{Headers, Inbound};
use crate::reply::Reply;
use crate::static_path::{self, AssetPath, Refusal};
use sha2::{Digest, Sha256};

/// Where the host mounts `static/` (spin.toml `files`).
pub const ROOT: &str = "/static";

/// Our pages load scripts, styles and images from our own origin only, and are never framed.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
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

/// HTML is revalidated on every load so a deploy is picked up at once; other files may be reused
/// for a few minutes (names are not content-hashed, so the window stays short).
pub fn cache_control(path: &AssetPath) -> &'static str {
    match path.extension().as_deref() {
        Some("html") => "no-cache",
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

/// Answers a non-API request; `read` fetches a file by its path under [`ROOT`].
pub fn serve(req: &Inbound, read: impl Fn(&str) -> Option<Vec<u8>>) -> Reply {
    let head = match req.method.as_str() {
        "GET" => false,
        "HEAD" => true,
        _ => return ApiError::MethodNotAllowed("GET, HEAD").into(),
    };
    let path = match static_path::parse(&req.path) {
        Ok(p) => p,
        Err(Refusal::Traversal) => return ApiError::BadPath.into(),
        Err(Refusal::NotFound) => return ApiError::NotFound.into(),
    };
    let Some(content) = read(&format!("{ROOT}/{}", path.as_str())) else {
        return ApiError::NotFound.into();
    };
    let tag = etag(&content);
    let mut reply = if is_fresh(&req.headers, &tag) {
        Reply {
            status: 304,
            headers: Vec::new(),
            body: Vec::new(),
        }
    } else {
        Reply {
            status: 200,
            headers: vec![("content-type".into(), content_type(&path).into())],
            body: if head { Vec::new() } else { content.clone() },
        }
    };
    reply = reply
        .header("etag", &tag)
        .header("cache-control", cache_control(&path))
        .header("x-content-type-options", "nosniff");
    if path.extension().as_deref() == Some("html") {
        reply = reply
            .header("content-security-policy", CSP)
            .header("referrer-policy", "same-origin")
            .header("x-frame-options", "DENY");
    }
    reply
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inbound::Body;

    fn get(method: &str, path: &str, headers: &[(&str, &str)]) -> Inbound {
        Inbound {
            method: method.into(),
            path: path.into(),
            query: String::new(),
            headers: Headers::new(headers.iter().map(|(k, v)| (k.to_string(), v.to_string()))),
            body: Body::Bytes(Vec::new()),
        }
    }

    fn files(path: &str) -> Option<Vec<u8>> {
        match path {
            "/static/index.html" => Some(b"<!doctype html>".to_vec()),
            "/static/app.js" => Some(b"export {}".to_vec()),
            _ => None,
        }
    }

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
    }

    #[test]
    fn root_serves_the_index_page_with_security_headers() {
        let r = serve(&get("GET", "/", &[]), files);
        assert_eq!(r.status, 200);
        assert_eq!(r.body, b"<!doctype html>");
        assert_eq!(
            r.header_value("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert!(r.header_value("content-security-policy").is_some());
        assert_eq!(r.header_value("x-content-type-options"), Some("nosniff"));
    }

    #[test]
    fn a_matching_if_none_match_gives_304_without_body() {
        let tag = etag(b"export {}");
        for inm in [
            tag.clone(),
            format!("W/{tag}"),
            format!("\"other\", {tag}"),
            "*".into(),
        ] {
            let r = serve(&get("GET", "/app.js", &[("If-None-Match", &inm)]), files);
            assert_eq!(r.status, 304, "{inm}");
            assert!(r.body.is_empty());
            assert_eq!(r.header_value("etag"), Some(tag.as_str()));
        }
        let r = serve(
            &get("GET", "/app.js", &[("If-None-Match", "\"stale\"")]),
            files,
        );
        assert_eq!(r.status, 200);
    }

    #[test]
    fn head_gives_headers_without_body() {
        let r = serve(&get("HEAD", "/app.js", &[]), files);
        assert_eq!(r.status, 200);
        assert!(r.body.is_empty());
        assert_eq!(
            r.header_value("content-type"),
            Some("text/javascript; charset=utf-8")
        );
    }

    #[test]
    fn unknown_files_are_404_and_traversal_is_400() {
        assert_eq!(serve(&get("GET", "/nope.js", &[]), files).status, 404);
        assert_eq!(
            serve(&get("GET", "/%2e%2e/etc/passwd", &[]), files).status,
            400
        );
        assert_eq!(serve(&get("GET", "/.env", &[]), files).status, 404);
    }

    #[test]
    fn only_get_and_head_are_allowed() {
        let r = serve(&get("POST", "/app.js", &[]), files);
        assert_eq!(r.status, 405);
        assert_eq!(r.header_value("allow"), Some("GET, HEAD"));
    }

    #[test]
    fn etags_differ_when_content_differs() {
        assert_ne!(etag(b"a"), etag(b"b"));
        assert_eq!(etag(b"a").len(), 34);
    }
}
