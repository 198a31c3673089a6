//! Rules of the score service, free of Spin: everything here runs natively under `cargo test`.

pub mod date;
pub mod game;
pub mod history;
pub mod leaderboard;
pub mod player;
pub mod points;

pub use date::GameDate;
pub use game::{FinishedGame, GameId, Mode};
pub use player::{PlayerDoc, PlayerName, Stats};
pub use spin_kit::kv::{Kv, StoreError};
