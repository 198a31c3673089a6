//! What the BFF keeps from auth's register/login answer: the token goes into the cookie, the rest
//! goes to the browser.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct SignIn {
    pub username: String,
    pub token: String,
    /// Echoed to the browser exactly as auth wrote it.
    pub expires_at: Value,
    /// Seconds until expiry; `None` when auth's expiry cannot be read (the cookie then lasts for the
    /// browser session, and auth still enforces the real expiry).
    pub max_age: Option<u64>,
    /// The first access token and its expiry (Unix seconds), when auth issues them.
    pub access: Option<(String, u64)>,
}

/// Reads `{username, token, expires_at}`; `expires_at` may be Unix seconds or RFC 3339 text.
pub fn from_auth(body: &[u8], now_unix: i64) -> Option<SignIn> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let username = v.get("username")?.as_str()?.to_owned();
    let token = v.get("token")?.as_str()?.to_owned();
    if token.is_empty() {
        return None;
    }
    let expires_at = v.get("expires_at").cloned().unwrap_or(Value::Null);
    let max_age = expiry_unix(&expires_at)
        .map(|at| at - now_unix)
        .filter(|&secs| secs > 0)
        .map(|secs| secs as u64);
    let access = match (v["access_token"].as_str(), v["access_expires_at"].as_u64()) {
        (Some(token), Some(at)) if !token.is_empty() => Some((token.to_owned(), at)),
        _ => None,
    };
    Some(SignIn {
        username,
        token,
        expires_at,
        max_age,
        access,
    })
}

fn expiry_unix(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => {
            let n = n.as_i64()?;
            // Milliseconds are common in JS-minded APIs; no session lasts until the year 33658.
            Some(if n > 1_000_000_000_000 { n / 1000 } else { n })
        }
        Value::String(s) => chrono::DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|d| d.timestamp()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn a_session_with_rfc3339_expiry_gets_the_remaining_seconds() {
        let body =
            br#"{"username":"Alice","token":"t0k","expires_at":"2027-03-01T12:30:00+01:00"}"#;
        let s = from_auth(body, NOW).unwrap();
        assert_eq!(s.username, "Alice");
        assert_eq!(s.token, "t0k");
        let at = chrono::DateTime::parse_from_rfc3339("2027-03-01T12:30:00+01:00")
            .unwrap()
            .timestamp();
        assert_eq!(s.max_age, Some((at - NOW) as u64));
    }

    #[test]
    fn a_session_with_unix_expiry_in_seconds_or_millis_is_understood() {
        let body = format!(
            r#"{{"username":"a","token":"t","expires_at":{}}}"#,
            NOW + 3600
        );
        assert_eq!(from_auth(body.as_bytes(), NOW).unwrap().max_age, Some(3600));
        let body = format!(
            r#"{{"username":"a","token":"t","expires_at":{}}}"#,
            (NOW + 60) * 1000
        );
        assert_eq!(from_auth(body.as_bytes(), NOW).unwrap().max_age, Some(60));
    }

    #[test]
    fn an_unreadable_or_past_expiry_gives_a_browser_session_cookie() {
        for exp in [r#""soon""#, "null", &(NOW - 5).to_string()] {
            let body = format!(r#"{{"username":"a","token":"t","expires_at":{exp}}}"#);
            assert_eq!(
                from_auth(body.as_bytes(), NOW).unwrap().max_age,
                None,
                "{exp}"
            );
        }
    }

    #[test]
    fn an_answer_without_a_token_is_not_a_session() {
        assert_eq!(from_auth(br#"{"username":"a"}"#, NOW), None);
        assert_eq!(from_auth(br#"{"username":"a","token":""}"#, NOW), None);
        assert_eq!(from_auth(b"<html>", NOW), None);
    }
}
