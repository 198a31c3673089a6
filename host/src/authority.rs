//! The URI a component sees: the request's own path and query under a validated authority.
//!
//! The authority comes from the `Host` header (or the request target, when the client sent an
//! absolute URL). It is parsed on its own, never pasted in front of the path: a `Host` of
//! `h/score/update?` would otherwise turn `/motus/daily` into `/score/update` for the component
//! while the router and the log saw `/motus/daily`.

use http::uri::{Authority, Scheme, Uri};
use http::{header, Request};

/// Used when an HTTP/1.0 client sends no `Host` (HTTP/1.1 clients always do).
const DEFAULT_AUTHORITY: &str = "localhost";

/// Why a request's authority was refused; the message is shown to the client.
#[derive(Debug, PartialEq, Eq)]
pub struct BadAuthority(pub &'static str);

/// `http://<authority><path and query>`, with the path and query taken from the request target
/// alone. An authority with user info, an empty host or a port that is not a number is refused.
pub fn component_uri<B>(req: &Request<B>) -> Result<Uri, BadAuthority> {
    let authority = match req.uri().authority() {
        Some(from_target) => from_target.clone(),
        None => host_header(req)?,
    };
    check(&authority)?;
    let path_and_query = req
        .uri()
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_owned();
    if !path_and_query.starts_with('/') {
        return Err(BadAuthority("the request target must be a path"));
    }
    Uri::builder()
        .scheme(Scheme::HTTP)
        .authority(authority)
        .path_and_query(path_and_query)
        .build()
        .map_err(|_| BadAuthority("the request target is not a valid path"))
}

fn host_header<B>(req: &Request<B>) -> Result<Authority, BadAuthority> {
    let mut hosts = req.headers().get_all(header::HOST).iter();
    let Some(host) = hosts.next() else {
        return Ok(Authority::from_static(DEFAULT_AUTHORITY));
    };
    if hosts.next().is_some() {
        return Err(BadAuthority("more than one Host header"));
    }
    host.to_str()
        .ok()
        .and_then(|h| h.parse::<Authority>().ok())
        .ok_or(BadAuthority("the Host header is not a valid host[:port]"))
}

/// What `Authority`'s parser lets through but a `Host` must not carry.
fn check(authority: &Authority) -> Result<(), BadAuthority> {
    let text = authority.as_str();
    if text.contains('@') {
        return Err(BadAuthority("the Host header must not carry user info"));
    }
    if authority.host().is_empty() {
        return Err(BadAuthority("the Host header names no host"));
    }
    let after_host = &text[authority.host().len()..];
    let port = after_host.strip_prefix(':').unwrap_or(after_host);
    if !port.is_empty() && authority.port_u16().is_none() {
        return Err(BadAuthority(
            "the Host header's port is not a number up to 65535",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(target: &str, hosts: &[&str]) -> Request<()> {
        let mut builder = Request::builder().uri(target);
        for host in hosts {
            builder = builder.header(header::HOST, *host);
        }
        builder.body(()).unwrap()
    }

    fn uri(target: &str, hosts: &[&str]) -> Result<String, BadAuthority> {
        component_uri(&request(target, hosts)).map(|u| u.to_string())
    }

    #[test]
    fn the_path_and_query_come_from_the_request_target_only() {
        assert_eq!(
            uri("/motus/daily?x=1", &["example.com:8080"]).unwrap(),
            "http://example.com:8080/motus/daily?x=1"
        );
        assert_eq!(uri("/", &["[::1]:3000"]).unwrap(), "http://[::1]:3000/");
    }

    #[test]
    fn a_host_that_carries_a_path_or_query_is_refused() {
        for host in ["h/score/update?", "h?x", "h#x", "a b", "h\\x", ""] {
            assert!(uri("/motus/daily", &[host]).is_err(), "{host:?}");
        }
    }

    #[test]
    fn user_info_empty_hosts_and_bad_ports_are_refused() {
        for host in ["u@h", "u:p@h:1", ":80", "h:abc", "h:99999", "h:80:80"] {
            assert!(uri("/", &[host]).is_err(), "{host:?}");
        }
        assert_eq!(uri("/", &["h:"]).unwrap(), "http://h:/");
    }

    #[test]
    fn two_host_headers_are_refused_and_none_means_localhost() {
        assert!(uri("/", &["a", "b"]).is_err());
        assert_eq!(uri("/x", &[]).unwrap(), "http://localhost/x");
    }

    #[test]
    fn an_absolute_target_brings_its_own_authority() {
        assert_eq!(
            uri("http://example.com/a?b", &["other"]).unwrap(),
            "http://example.com/a?b"
        );
        assert!(uri("http://u@example.com/a", &["other"]).is_err());
    }
}
