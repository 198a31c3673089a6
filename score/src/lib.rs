//! score: records finished Motus games exactly once (after checking them with motus) and serves
//! stats, history and leaderboards kept as aggregates on write; auth says who holds a token, which
//! decides what a history reader sees and who may delete a player.

pub mod app;
pub mod domain;
pub mod http;
pub mod siblings;
#[cfg(target_arch = "wasm32")]
mod spin;
#[cfg(test)]
mod testing;
