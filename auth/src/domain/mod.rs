//! Rules of the auth service, free of Spin: everything here runs natively under `cargo test`.

pub mod client;
pub mod lockout;
pub mod password;
pub mod records;
pub mod token;
pub mod username;

pub use client::ClientAddr;
pub use password::{Password, PasswordError};
pub use records::{SessionRecord, UserRecord};
pub use spin_kit::kv::{Kv, StoreError};
pub use token::{SessionToken, TokenHash};
pub use username::{Username, UsernameError};
