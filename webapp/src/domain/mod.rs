//! The webapp's rules, free of I/O: what a request may be (origin, path, query), what the
//! cookies hold, how a file is described to the browser, what is kept from auth's sign-in.

pub mod assets;
pub mod cookie;
pub mod headers;
pub mod origin;
pub mod query;
pub mod sign_in;
pub mod static_path;

pub use headers::Headers;
