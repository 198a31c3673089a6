//! The game itself, free of Spin: words, marking, games, the dictionary, draws. Dates, player
//! names and game ids follow spin-kit's rules (`calendar`, `names`, `game_id`).
//!
//! Nothing here performs I/O or reads the clock, randomness or secrets on its own; the adapter
//! hands them in, so every rule is tested natively.

pub mod challenge;
pub mod dictionary;
pub mod draw;
pub mod game;
pub mod marking;
pub mod packed;
pub mod word;
