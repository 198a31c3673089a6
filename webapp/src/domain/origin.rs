//! Where did a request come from, and was it over HTTPS?
//!
//! State-changing API calls must come from our own pages. Browsers send `Origin` on every
//! cross-origin POST and `Sec-Fetch-Site` on modern engines; both are forbidden headers that a page
//! cannot forge. The request's own origin is taken from `spin-full-url`, the `Host` header, and the
//! `X-Forwarded-*` headers of a reverse proxy: a cross-site page cannot set those either without a
//! CORS preflight, which this component never grants.
//!
//! Whom each input can come from, and so what it may decide:
//! - `spin-full-url` is read as the host set it (the last line, [`Headers::spin`]): Spin 4 keeps a
//!   client's own `spin-full-url` line in front of its own, and reading that one would let any
//!   client name the origin to compare against, or claim HTTPS.
//! - The host builds that URL from the `Host` header the browser sent, so it adds nothing a browser
//!   can fake; it is kept because it also carries the scheme the host was reached by (Spin serving
//!   TLS itself says `https`), which `Host` does not.
//! - `Host` and `X-Forwarded-*` can be written by a client that is not a browser (curl), but such a
//!   client holds no victim's cookies, so matching them only ever lets a client through with its
//!   own credentials. The check is against browsers made to post from another site.
//! - The Secure-cookie decision (is_https) rests on the same two: the host's own URL scheme, or a
//!   TLS-terminating proxy's `X-Forwarded-Proto`. Neither is something a browser lets a page set, so
//!   only the requester's own cookies can be affected by a forged value.

use super::headers::Headers;

/// A state-changing request a browser sent from another site's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrossSite;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    /// Parses `scheme://host[:port]` (an `Origin` header, or the front of a URL when `allow_path`).
    fn parse(s: &str, allow_path: bool) -> Option<Origin> {
        let (scheme, rest) = s.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let authority = match rest.find(['/', '?', '#']) {
            Some(i) if allow_path => &rest[..i],
            Some(_) => return None,
            None => rest,
        };
        Self::from_parts(&scheme, authority)
    }

    fn from_parts(scheme: &str, authority: &str) -> Option<Origin> {
        let default_port = match scheme {
            "http" => 80,
            "https" => 443,
            _ => return None,
        };
        if authority.is_empty() || authority.contains('@') {
            return None;
        }
        let (host, port) = match authority.rsplit_once(':') {
            // `[::1]` has colons of its own: only a colon after the closing bracket is a port.
            Some((h, p)) if !p.contains(']') => (h, p.parse().ok()?),
            _ => (authority, default_port),
        };
        if host.is_empty() {
            return None;
        }
        Some(Origin {
            scheme: scheme.to_owned(),
            host: host.to_ascii_lowercase(),
            port,
        })
    }
}

fn first_value(headers: &Headers, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty())
}

fn full_url_scheme(headers: &Headers) -> Option<String> {
    headers
        .spin("spin-full-url")
        .and_then(|u| u.split_once("://"))
        .map(|(s, _)| s.to_ascii_lowercase())
}

/// True when the browser reached us over HTTPS (directly or through a TLS-terminating proxy).
pub fn is_https(headers: &Headers) -> bool {
    first_value(headers, "x-forwarded-proto").as_deref() == Some("https")
        || full_url_scheme(headers).as_deref() == Some("https")
}

/// Every origin this request may legitimately have been sent from.
fn own_origins(headers: &Headers) -> Vec<Origin> {
    let mut origins = Vec::new();
    if let Some(url) = headers.spin("spin-full-url") {
        origins.extend(Origin::parse(url, true));
    }
    let scheme = first_value(headers, "x-forwarded-proto")
        .or_else(|| full_url_scheme(headers))
        .unwrap_or_else(|| "http".into());
    if let Some(host) = headers.get("host") {
        origins.extend(Origin::from_parts(&scheme, host.trim()));
    }
    if let Some(host) = first_value(headers, "x-forwarded-host") {
        origins.extend(Origin::from_parts(&scheme, &host));
    }
    origins
}

/// Refuses a state-changing request that a browser marks as coming from another site.
pub fn check_same_origin(headers: &Headers) -> Result<(), CrossSite> {
    // `same-site` is refused too: a sibling subdomain is not our page, yet it would carry
    // SameSite=Strict cookies.
    if let Some(site) = first_value(headers, "sec-fetch-site") {
        if site == "cross-site" || site == "same-site" {
            return Err(CrossSite);
        }
    }
    let Some(claimed) = headers.get("origin") else {
        return Ok(());
    };
    let claimed = Origin::parse(claimed.trim(), false).ok_or(CrossSite)?;
    if own_origins(headers).contains(&claimed) {
        Ok(())
    } else {
        Err(CrossSite)
    }
}

#[cfg(test)]
mod tests;
