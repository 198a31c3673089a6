//! The game itself, free of Spin: words, marking, games, dates, dictionary, draws.
//!
//! Nothing here performs I/O or reads the clock, randomness or secrets on its own; the adapter
//! hands them in, so every rule is tested natively.

pub mod calendar;
pub mod dictionary;
pub mod draw;
pub mod game;
pub mod ids;
pub mod marking;
pub mod packed;
pub mod word;
