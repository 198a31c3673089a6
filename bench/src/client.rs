//! One-shot requests for setting up a run (players, games): a connection per request is plenty
//! here, and the load itself comes from wrk or the flow driver. HTTP/1.0, so that answers come
//! whole rather than chunked and end when the connection closes.

use anyhow::{Context, Result};
use std::io::{Read, Write};
use std::net::TcpStream;

/// Status and body; `headers` are sent as given.
pub fn request(
    authority: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<(u16, String)> {
    let answer = exchange(authority, method, path, headers, body)?;
    Ok((answer.status, answer.body))
}

/// An answer whole: status, headers (names lowercased) and body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

pub fn exchange(
    authority: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<Answer> {
    let mut stream = TcpStream::connect(authority)?;
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: {authority}\r\nContent-Type: application/json\r\n{extra}\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .context("no status line")?;
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let headers = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Ok(Answer {
        status,
        headers,
        body: body.to_string(),
    })
}

/// POST with a JSON body, expecting `expected`; returns the parsed answer.
pub fn post_json(
    authority: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
    expected: u16,
) -> Result<serde_json::Value> {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = bearer
        .iter()
        .map(|b| ("Authorization", b.as_str()))
        .collect();
    let (status, answer) = request(authority, "POST", path, &headers, body)?;
    if status != expected {
        anyhow::bail!("POST {path} answered {status}, expected {expected}: {answer}");
    }
    serde_json::from_str(&answer).with_context(|| format!("POST {path}: not JSON: {answer}"))
}
