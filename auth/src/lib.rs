//! auth: accounts, passwords and bearer sessions for Motus on Spin.

pub mod app;
pub mod domain;
pub mod http;
pub mod siblings;
#[cfg(target_arch = "wasm32")]
mod spin;
#[cfg(test)]
mod testing;
