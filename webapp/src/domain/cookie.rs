//! Reading and writing the session cookies.
//!
//! `motus_session` holds auth's bearer token, `motus_access` a short-lived access token.
//! `motus_user` holds only the username as a hint so
//! `/api/me` can ask score for stats while auth is still checking the token; auth's answer always wins.

use super::headers::Headers;

pub const SESSION: &str = "motus_session";
/// A short-lived access token (when access tokens are on): names the player to every service
/// without a call to auth; renewed from the session when it expires (see `app::access`).
pub const ACCESS: &str = "motus_access";
pub const USER_HINT: &str = "motus_user";

/// Longest lifetime we put on a cookie, whatever auth says.
const MAX_AGE_CAP: u64 = 60 * 60 * 24 * 365;

/// The value of the first cookie called `name` across all `Cookie` headers.
pub fn get<'a>(headers: &'a Headers, name: &str) -> Option<&'a str> {
    headers
        .all("cookie")
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| k.trim() == name)
        .map(|(_, v)| v.trim().trim_matches('"'))
}

/// The session token, if it looks like one (auth issues base64url text).
pub fn session_token(headers: &Headers) -> Option<String> {
    token(headers, SESSION)
}

/// The access token, if it looks like one; the webapp checks its signature before use.
pub fn access_token(headers: &Headers) -> Option<String> {
    token(headers, ACCESS)
}

/// Cookie `name` if it has the shape of a bearer token: 1–512 token characters.
fn token(headers: &Headers, name: &str) -> Option<String> {
    get(headers, name)
        .filter(|v| !v.is_empty() && v.len() <= 512 && v.bytes().all(is_token_byte))
        .map(str::to_owned)
}

/// The username hint, decoded; never trusted for anything but a guess.
pub fn user_hint(headers: &Headers) -> Option<String> {
    get(headers, USER_HINT)
        .and_then(spin_kit::percent::decode_utf8)
        .filter(|v| !v.is_empty())
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'=' | b'.' | b'~' | b'+' | b'/')
}

/// A `Set-Cookie` value: HttpOnly so scripts never see the token, SameSite=Strict so no other site
/// can make the browser send it, `Secure` when the page came over HTTPS. `max_age: None` makes a
/// browser-session cookie.
pub fn set(name: &str, value: &str, max_age: Option<u64>, secure: bool) -> String {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={}", age.min(MAX_AGE_CAP)));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    cookie
}

/// A `Set-Cookie` value that makes the browser drop the cookie now.
pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", Some(0), secure)
}

#[cfg(test)]
mod tests;
