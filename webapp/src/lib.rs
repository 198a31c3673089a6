//! The Motus web front: static UI files and the `/api` backend-for-frontend.
//!
//! Everything above this adapter works on plain data ([`inbound::Inbound`] in, [`reply::Reply`]
//! out) so it is tested natively; `component` only moves bytes between wasi-http and those types.

pub mod api;
pub mod assets;
pub mod cookie;
pub mod error;
pub mod inbound;
pub mod origin;
pub mod pct;
pub mod query;
pub mod reply;
pub mod route;
pub mod session;
pub mod spin_upstream;
pub mod static_path;
pub mod upstream;

// The wasi-http export only exists in the component: a native cdylib cannot carry its
// `wasi:http/...#handle` symbol name, and native builds are for the unit tests anyway.
#[cfg(target_arch = "wasm32")]
mod component;
