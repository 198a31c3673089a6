//! Pieces every Motus component needs in the same form: the compare-and-swap key-value
//! capability with its JSON helpers, plain HTTP answers with the shared error body, and (with
//! the `spin` feature) their implementation over the Spin SDK.

pub mod access;
pub mod calendar;
pub mod clock;
pub mod errors;
pub mod game_id;
pub mod host_headers;
pub mod http;
pub mod kv;
#[cfg(any(test, feature = "memory"))]
pub mod memory;
pub mod names;
pub mod outbound;
pub mod percent;
pub mod random;
#[cfg(feature = "spin")]
pub mod spin;
