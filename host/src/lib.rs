//! A Spin-compatible local host built on wasmtime: it reads a Spin manifest (v2), serves its
//! HTTP components with Spin's routing, headers, key-value, variables and outbound HTTP
//! (including `*.spin.internal` service chaining), one fresh instance per request.

pub mod app;
mod authority;
mod bindings;
pub mod build_command;
mod connection;
mod edge_io;
pub mod engine;
mod intake;
pub mod key_value;
mod linger;
mod load;
mod logs;
pub mod manifest;
mod mounts;
pub mod outbound;
mod request;
pub mod request_id;
pub mod router;
pub mod runtime_config;
pub mod server;
mod state;
pub mod variables;

pub use app::{App, AppOptions};
pub use server::{Server, ServerOptions};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use spin_kit::errors::Code;

/// The body type of every response the host produces or relays.
pub type Body = wasmtime_wasi_http::WasiBody;

/// The JSON error body the whole product uses, `{"error":{"code":"...","message":"..."}}`, with
/// the status the catalogue gives `code`.
pub fn json_error(code: Code, message: &str) -> http::Response<Body> {
    let body = Full::new(Bytes::from(error_json(code, message)))
        .map_err(|never| match never {})
        .boxed_unsync();
    let mut response = http::Response::new(body);
    *response.status_mut() = status_of(code);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}

/// The body of [`json_error`], for the answers the host writes on the connection itself.
pub(crate) fn error_json(code: Code, message: &str) -> String {
    serde_json::json!({ "error": { "code": code.as_str(), "message": message } }).to_string()
}

/// The status the catalogue gives `code`.
pub(crate) fn status_of(code: Code) -> http::StatusCode {
    http::StatusCode::from_u16(code.status()).expect("the catalogue's statuses are valid")
}
