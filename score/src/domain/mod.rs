//! Rules of the score service, free of Spin, the store and the clock: everything here runs
//! natively under `cargo test`. The calendar, the player-name rule and the game id rule are the
//! kit's (`spin_kit::{calendar, names, game_id}`), shared with the other services.

pub mod game;
pub mod history;
pub mod leaderboard;
pub mod player;
pub mod points;

pub use game::{FinishedGame, Mode};
pub use player::{PlayerDoc, Stats};
