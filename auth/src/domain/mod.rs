//! Rules of the auth service, free of Spin: everything here runs natively under `cargo test`.

pub mod lockout;
pub mod password;
pub mod records;
pub mod store;
pub mod token;
pub mod username;

pub use lockout::Lockout;
pub use password::{Password, PasswordError};
pub use records::{SessionRecord, UserRecord};
pub use store::{Kv, StoreError};
pub use token::{SessionToken, TokenHash};
pub use username::{Username, UsernameError};
