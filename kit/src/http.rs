//! Plain HTTP requests and answers, free of any SDK type so handlers can be tested natively: the
//! one body limit, JSON parsing, the bearer header, and the response every route returns.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;

use crate::errors::{ApiError, Code};
use crate::kv::{self, Kv};

/// Requests above this are refused before parsing. The largest body any service accepts is two
/// 256-character passwords, so 16 KiB leaves room and still bounds what a client can make us hold.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Why a request body was refused before parsing.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    TooLarge,
    Unreadable,
}

impl From<BodyError> for ApiError {
    fn from(e: BodyError) -> Self {
        match e {
            BodyError::TooLarge => ApiError::with_message(
                Code::PayloadTooLarge,
                format!("Le corps de la requête dépasse {MAX_BODY_BYTES} octets."),
            ),
            BodyError::Unreadable => ApiError::with_message(
                Code::InvalidJson,
                "Le corps de la requête n'a pas pu être lu.",
            ),
        }
    }
}

/// Parses a JSON body into the type a route expects; anything else is `invalid_json`, with the
/// field serde complains about when the JSON itself is well formed.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            ApiError::new(Code::InvalidJson)
        } else {
            ApiError::with_message(
                Code::InvalidJson,
                format!("Corps de requête invalide : {e}."),
            )
        }
    })
}

/// The token of an `Authorization: Bearer <token>` header: the scheme is case-insensitive (RFC
/// 9110), the token trimmed; no header, another scheme or an empty token is `None`.
pub fn bearer(authorization: Option<&str>) -> Option<&str> {
    let value = authorization?.trim_start();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[derive(Debug)]
pub struct ApiResponse {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl ApiResponse {
    /// A JSON answer; a value that cannot be serialised becomes the generic 500 instead.
    pub fn json<T: Serialize>(status: u16, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Self::with_body(status, body),
            // A `Value` always serialises, so this cannot recurse.
            Err(_) => ApiError::new(Code::Internal).into_response(),
        }
    }

    pub fn no_content() -> Self {
        Self::empty(204)
    }

    /// A body-less answer (204, 304, a redirect), never cached unless a header says otherwise.
    pub fn empty(status: u16) -> Self {
        Self {
            status,
            headers: vec![("cache-control", "no-store".into())],
            body: Vec::new(),
        }
    }

    /// Adds a header; repeats are kept (a login sets two cookies).
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The first value of a header, by its lowercase name.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    fn with_body(status: u16, body: Vec<u8>) -> Self {
        Self {
            status,
            headers: vec![
                ("content-type", "application/json".into()),
                ("cache-control", "no-store".into()),
            ],
            body,
        }
    }
}

/// A service's health route: 200 `{"status":"ok"}` when its store answers a read, else the
/// catalogue's `store_unavailable` (503). Nothing else in the answer: a probe needs no token and
/// must learn nothing about the store behind it. Never cached, like every answer here.
pub fn health<K: Kv>(store: &K) -> Result<ApiResponse, ApiError> {
    kv::probe(store)?;
    Ok(ApiResponse::json(200, &json!({ "status": "ok" })))
}

/// Path and query of a request target. Hosts hand components either `/path?query` or a whole
/// URL; an authority and a fragment are dropped, so routing only ever sees the path.
pub fn split_target(target: &str) -> (String, String) {
    let without_authority = match target.find("://") {
        Some(i) => {
            let after = &target[i + 3..];
            after.find('/').map(|j| &after[j..]).unwrap_or("/")
        }
        None => target,
    };
    let without_fragment = without_authority.split('#').next().unwrap_or_default();
    match without_fragment.split_once('?') {
        Some((path, query)) => (path.to_owned(), query.to_owned()),
        None => (without_fragment.to_owned(), String::new()),
    }
}

/// Compares a configured secret with a presented one in time that does not depend on where they
/// differ, so the secret cannot be guessed byte by byte from response times. (The length may
/// show; the secrets are long random strings.)
pub fn same_secret(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests;
