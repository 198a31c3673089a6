//! Players for the scenarios: the bearer a client of the services sends, and the cookies a
//! browser of the webapp holds. Both are taken as the app hands them out, so the bench follows
//! the app: a login answer with a short-lived `access_token` beside the session `token` gives
//! the access token as bearer, and whatever cookies `/api/login` sets are all sent back.

use crate::client::{exchange, post_json};
use anyhow::{bail, Context, Result};

pub const PASSWORD: &str = "a long enough password";

/// What a client of the services sends as `Authorization: Bearer`.
#[derive(Clone)]
pub struct Bearer {
    pub token: String,
    /// Which field of auth's answer it came from: `access_token` or `token`.
    pub field: &'static str,
}

/// The bearer in a register or login answer: the access token when auth issues one.
pub fn bearer_of(answer: &serde_json::Value) -> Result<Bearer> {
    for field in ["access_token", "token"] {
        if let Some(token) = answer[field].as_str() {
            return Ok(Bearer {
                token: token.to_owned(),
                field,
            });
        }
    }
    bail!("no token in {answer}")
}

fn credentials(name: &str) -> String {
    format!(r#"{{"username":"{name}","password":"{PASSWORD}"}}"#)
}

pub fn register(addr: &str, name: &str) -> Result<Bearer> {
    bearer_of(&post_json(
        addr,
        "/auth/register",
        None,
        &credentials(name),
        201,
    )?)
}

/// A fresh login: right before a load, so a short-lived access token lasts the whole run.
pub fn login(addr: &str, name: &str) -> Result<Bearer> {
    bearer_of(&post_json(
        addr,
        "/auth/login",
        None,
        &credentials(name),
        200,
    )?)
}

/// The `Cookie` header value a browser sends after signing in through the webapp.
#[derive(Clone)]
pub struct Cookies {
    pub header: String,
}

impl Cookies {
    /// The cookies' names, for the report.
    pub fn names(&self) -> Vec<&str> {
        self.header
            .split("; ")
            .filter_map(|c| c.split_once('=').map(|(n, _)| n))
            .collect()
    }
}

/// `Set-Cookie` values as a `Cookie` header: each cookie's name=value, attributes dropped.
pub fn cookie_header(set_cookies: &[&str]) -> String {
    set_cookies
        .iter()
        .filter_map(|c| c.split(';').next())
        .map(str::trim)
        .filter(|c| c.contains('='))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The webapp's same-origin check wants an `Origin` that matches the address asked.
pub fn origin(addr: &str) -> String {
    format!("http://{addr}")
}

fn web_sign_in(addr: &str, path: &str, name: &str, expected: u16) -> Result<Cookies> {
    let origin = origin(addr);
    let answer = exchange(
        addr,
        "POST",
        path,
        &[("Origin", &origin)],
        &credentials(name),
    )?;
    if answer.status != expected {
        bail!("POST {path} answered {}: {}", answer.status, answer.body);
    }
    let set: Vec<&str> = answer
        .headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .map(|(_, v)| v.as_str())
        .collect();
    let header = cookie_header(&set);
    if header.is_empty() {
        bail!("POST {path} set no cookie");
    }
    Ok(Cookies { header })
}

pub fn web_register(addr: &str, name: &str) -> Result<Cookies> {
    web_sign_in(addr, "/api/register", name, 201)
}

pub fn web_login(addr: &str, name: &str) -> Result<Cookies> {
    web_sign_in(addr, "/api/login", name, 200)
}

/// `POST` through the webapp as a signed-in browser; the parsed answer.
pub fn web_post(
    addr: &str,
    cookies: &Cookies,
    path: &str,
    body: &str,
    expected: &[u16],
) -> Result<serde_json::Value> {
    let origin = origin(addr);
    let answer = exchange(
        addr,
        "POST",
        path,
        &[("Origin", &origin), ("Cookie", &cookies.header)],
        body,
    )?;
    if !expected.contains(&answer.status) {
        bail!("POST {path} answered {}: {}", answer.status, answer.body);
    }
    serde_json::from_str(&answer.body).with_context(|| format!("POST {path}: {}", answer.body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_access_token_is_the_bearer_when_auth_issues_one() {
        let answer =
            serde_json::json!({"token": "session", "access_token": "short", "username": "a"});
        let bearer = bearer_of(&answer).unwrap();
        assert_eq!(
            (bearer.token.as_str(), bearer.field),
            ("short", "access_token")
        );
    }

    #[test]
    fn the_session_token_is_the_bearer_otherwise() {
        let answer = serde_json::json!({"token": "session", "username": "a"});
        let bearer = bearer_of(&answer).unwrap();
        assert_eq!((bearer.token.as_str(), bearer.field), ("session", "token"));
        assert!(bearer_of(&serde_json::json!({"username": "a"})).is_err());
    }

    #[test]
    fn set_cookies_become_one_cookie_header_without_attributes() {
        let header = cookie_header(&[
            "motus_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=604800",
            "motus_user=bench; Path=/; HttpOnly",
        ]);
        assert_eq!(header, "motus_session=abc; motus_user=bench");
        let cookies = Cookies { header };
        assert_eq!(cookies.names(), ["motus_session", "motus_user"]);
    }
}
