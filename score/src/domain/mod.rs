//! Rules of the score service, free of Spin: everything here runs natively under `cargo test`.

pub mod date;
pub mod game;
pub mod history;
pub mod leaderboard;
pub mod player;
pub mod points;
pub mod store;

pub use date::GameDate;
pub use game::{FinishedGame, GameId, Mode};
pub use player::{PlayerDoc, PlayerName, Stats};
pub use store::{Kv, StoreError};
