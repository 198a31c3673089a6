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
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> Headers {
        Headers::new(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    const LOCAL: (&str, &str) = ("spin-full-url", "http://127.0.0.1:3000/api/login");

    #[test]
    fn a_request_without_origin_or_fetch_metadata_is_accepted() {
        assert_eq!(check_same_origin(&h(&[LOCAL])), Ok(()));
    }

    #[test]
    fn a_same_origin_request_is_accepted() {
        let ok = [
            vec![LOCAL, ("origin", "http://127.0.0.1:3000")],
            vec![
                LOCAL,
                ("origin", "HTTP://127.0.0.1:3000"),
                ("sec-fetch-site", "same-origin"),
            ],
            vec![
                ("host", "motus.example"),
                ("origin", "http://motus.example:80"),
            ],
            vec![
                ("spin-full-url", "http://10.0.0.5:3000/api/login"),
                ("x-forwarded-proto", "https"),
                ("x-forwarded-host", "motus.example"),
                ("origin", "https://motus.example"),
            ],
            vec![
                ("spin-full-url", "http://[::1]:3000/x"),
                ("origin", "http://[::1]:3000"),
            ],
            vec![LOCAL, ("sec-fetch-site", "none")],
        ];
        for headers in ok {
            assert_eq!(check_same_origin(&h(&headers)), Ok(()), "{headers:?}");
        }
    }

    #[test]
    fn a_cross_site_request_is_refused() {
        let refused = [
            vec![LOCAL, ("origin", "http://evil.example")],
            vec![LOCAL, ("origin", "http://127.0.0.1:3001")],
            vec![LOCAL, ("origin", "https://127.0.0.1:3000")],
            vec![LOCAL, ("origin", "null")],
            vec![LOCAL, ("origin", "http://127.0.0.1:3000/path")],
            vec![LOCAL, ("sec-fetch-site", "cross-site")],
            vec![LOCAL, ("sec-fetch-site", "same-site")],
            vec![("origin", "http://127.0.0.1:3000")],
        ];
        for headers in refused {
            assert_eq!(
                check_same_origin(&h(&headers)),
                Err(CrossSite),
                "{headers:?}"
            );
        }
    }

    /// Spin 4 keeps a client's `spin-*` lines and adds its own after them.
    const FORGED: (&str, &str) = ("spin-full-url", "https://evil.example/api/login");

    #[test]
    fn a_forged_full_url_in_front_of_the_hosts_opens_no_origin() {
        let forged = h(&[FORGED, LOCAL, ("origin", "https://evil.example")]);
        assert_eq!(check_same_origin(&forged), Err(CrossSite));
        let honest = h(&[FORGED, LOCAL, ("origin", "http://127.0.0.1:3000")]);
        assert_eq!(check_same_origin(&honest), Ok(()));
    }

    #[test]
    fn a_forged_full_url_in_front_of_the_hosts_does_not_claim_https() {
        assert!(!is_https(&h(&[FORGED, LOCAL])));
        let downgrade = ("spin-full-url", "http://motus.example/api/login");
        let tls = ("spin-full-url", "https://motus.example/api/login");
        assert!(is_https(&h(&[downgrade, tls])));
    }

    #[test]
    fn https_is_detected_from_the_url_or_a_proxy_header() {
        assert!(!is_https(&h(&[LOCAL])));
        assert!(is_https(&h(&[(
            "spin-full-url",
            "https://motus.example/api/login"
        )])));
        assert!(is_https(&h(&[LOCAL, ("x-forwarded-proto", "https, http")])));
        assert!(!is_https(&h(&[])));
    }
}
