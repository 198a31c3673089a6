//! Rules of the auth service, free of Spin: everything here runs natively under `cargo test`.

pub mod client;
pub mod lockout;
pub mod password;
pub mod records;
pub mod token;

pub use client::ClientAddr;
pub use password::{Password, PasswordError};
pub use records::{SessionRecord, UserRecord};
pub use spin_kit::kv::{Kv, StoreError};
pub use spin_kit::names::{InvalidName, PlayerName};
pub use token::{SessionToken, TokenHash};
