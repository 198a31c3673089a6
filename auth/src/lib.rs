//! auth: accounts, passwords and bearer sessions for Motus on Spin.

pub mod app;
pub mod domain;
pub mod http;
#[cfg(target_arch = "wasm32")]
mod spin;
#[cfg(test)]
mod testing;
