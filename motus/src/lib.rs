//! motus, the game service: daily and practice games of Motus (the French word game), guesses
//! marked letter by letter, the daily word drawn from the Paris date, daily games left at
//! midnight lost, and every finished game handed to score, which reads its result back. Players
//! are who auth says holds their bearer token; state lives in the `motus` key-value store.
//!
//! `domain` holds the rules, `app` the use cases over ports (store, siblings, clock,
//! randomness), `http` the routes and the one error mapping, `spin` the Spin SDK side.

pub mod app;
pub mod domain;
pub mod http;
pub mod siblings;
#[cfg(target_arch = "wasm32")]
mod spin;
#[cfg(test)]
mod testing;
