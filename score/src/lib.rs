//! score: records finished Motus games exactly once and serves stats, history and leaderboards.

pub mod app;
pub mod domain;
pub mod http;
#[cfg(target_arch = "wasm32")]
mod spin;
#[cfg(test)]
mod testing;
