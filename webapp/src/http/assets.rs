//! Serving the UI's files: `GET`/`HEAD` only, `/` is `index.html`, validators and cache policy
//! from [`crate::domain::assets`].

use super::{ApiRequest, ApiResponse, RouteError};
use crate::domain::assets::{cache_control, content_type, etag, is_fresh, CSP};
use crate::domain::static_path;
use spin_kit::errors::{ApiError, Code};

/// Where the host mounts `static/` (spin.toml `files`).
pub const ROOT: &str = "/static";

/// Answers a non-API request; `read` fetches a file by its path under [`ROOT`].
pub fn serve(req: &ApiRequest<'_>, read: impl Fn(&str) -> Option<Vec<u8>>) -> ApiResponse {
    let head = match req.method {
        "GET" => false,
        "HEAD" => true,
        _ => return ApiError::method_not_allowed("GET, HEAD").into_response(),
    };
    let path = match static_path::parse(req.path) {
        Ok(p) => p,
        Err(refusal) => return RouteError::from(refusal).into_response(),
    };
    let Some(content) = read(&format!("{ROOT}/{}", path.as_str())) else {
        return ApiError::new(Code::NotFound).into_response();
    };
    let tag = etag(&content);
    let mut response = if is_fresh(req.headers, &tag) {
        ApiResponse {
            status: 304,
            headers: Vec::new(),
            body: Vec::new(),
        }
    } else {
        ApiResponse {
            status: 200,
            headers: vec![("content-type", content_type(&path).into())],
            body: if head { Vec::new() } else { content },
        }
    };
    response.headers.extend([
        ("etag", tag),
        ("cache-control", cache_control(&path).into()),
        ("x-content-type-options", "nosniff".into()),
    ]);
    if path.extension().as_deref() == Some("html") {
        response.headers.extend([
            ("content-security-policy", CSP.into()),
            ("referrer-policy", "same-origin".into()),
            ("x-frame-options", "DENY".into()),
        ]);
    }
    response
}
