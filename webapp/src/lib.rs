//! webapp: the Motus web front. It serves the UI's static files and the `/api` backend-for-frontend
//! the UI calls: it keeps auth's token in an HttpOnly session cookie so the browser never sees it,
//! and answers each page with one JSON built from auth, motus and score, reached by Spin service
//! chaining. `domain` holds the rules (cookies, origin, paths, queries), `app` the use cases over
//! the [`siblings::Siblings`] trait, `http` the routes and the one error mapping, `spin` the SDK.

pub mod app;
pub mod domain;
pub mod http;
pub mod siblings;
#[cfg(target_arch = "wasm32")]
mod spin;
#[cfg(test)]
mod testing;
