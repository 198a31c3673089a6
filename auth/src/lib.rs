//! auth: accounts, passwords and bearer sessions for Motus on Spin. Players register and log in
//! with a name and an Argon2id-hashed password, every password attempt counted by a lockout
//! before it is hashed; a session is a random bearer token the store keeps only as its SHA-256.
//! The siblings verify a caller's token with `GET /auth/me`, and deleting an account has motus
//! and score forget the player first. State lives in the `auth` key-value store.

pub mod app;
pub mod domain;
pub mod http;
pub mod siblings;
#[cfg(target_arch = "wasm32")]
mod spin;
#[cfg(test)]
mod testing;
