//! The id that follows one outside request through the host's log: given at the edge, written on
//! its request line and on the lines of every chained call it causes, handed to each component
//! as `x-request-id` and sent back to the client (docs/logging.md).
//!
//! A client's own `x-request-id` (from a load balancer, say) is kept only when it is short and
//! made of characters that cannot change how a log line reads: no spaces, `=`, quotes or
//! control characters, so that no client can forge a field or a line in the host's log.

use http::{HeaderMap, HeaderName, HeaderValue};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The header a client may send and every answer carries.
pub const HEADER: &str = "x-request-id";

/// Long enough for a UUID, a load balancer's own ids or a trace id; short enough for a log line.
pub const MAX_LEN: usize = 64;

/// One outside request's id; cheap to clone into each chained call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(Arc<str>);

impl RequestId {
    /// The client's id when it sent exactly one that [`RequestId::accept`] keeps; a fresh one
    /// otherwise.
    pub fn at_edge(headers: &HeaderMap) -> RequestId {
        let mut sent = headers.get_all(HEADER).iter();
        match (sent.next(), sent.next()) {
            (Some(one), None) => Self::accept(one.as_bytes()),
            _ => None,
        }
        .unwrap_or_else(Self::generate)
    }

    /// `value` as an id if it is 1 to [`MAX_LEN`] ASCII letters, digits, `-`, `_`, `.` or `:`
    /// (HAProxy's usual `unique-id-format` has colons).
    pub fn accept(value: &[u8]) -> Option<RequestId> {
        let safe = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':');
        if !(1..=MAX_LEN).contains(&value.len()) || !value.iter().all(safe) {
            return None;
        }
        // All ASCII, so this never fails.
        std::str::from_utf8(value).ok().map(|s| RequestId(s.into()))
    }

    /// 16 random hex digits: unique enough to tell apart every request of several hosts'
    /// logs merged (64 bits).
    pub fn generate() -> RequestId {
        let mut bytes = [0u8; 8];
        if getrandom::fill(&mut bytes).is_err() {
            // The OS refused randomness: still unique within this process, and unlikely to
            // meet another process's ids.
            bytes = fallback();
        }
        RequestId(hex::encode(bytes).into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// As a header value: always valid, the characters having been checked or generated.
    pub fn header_value(&self) -> HeaderValue {
        HeaderValue::from_str(&self.0).expect("a request id is a valid header value")
    }

    /// Sets `x-request-id` to this id, replacing whatever was there.
    pub fn set_on(&self, headers: &mut HeaderMap) {
        headers.insert(HeaderName::from_static(HEADER), self.header_value());
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A process-wide counter hashed with std's per-process random keys.
fn fallback() -> [u8; 8] {
    use std::hash::BuildHasher;
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    std::collections::hash_map::RandomState::new()
        .hash_one(n)
        .to_be_bytes()
}

#[cfg(test)]
mod tests;
