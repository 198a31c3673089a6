//! Outbound HTTP: `allowed_outbound_hosts` is enforced for every request a component sends;
//! `http://<component>.spin.internal/...` is service chaining, dispatched in-process to that
//! component without touching the network; anything else allowed goes out over plain HTTP.

use crate::request_id::RequestId;
use crate::Body;
use anyhow::{bail, Result};
use http_body_util::BodyExt;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use std::sync::{Arc, Weak};
use std::time::Duration;
use wasmtime_wasi_http::{Error, RequestOptions, WasiBody, WasiHttpHooks};

/// Chains deeper than this are refused as a loop (a calls b calls a ...).
const MAX_CHAIN_DEPTH: u32 = 10;

pub const CHAINING_SUFFIX: &str = ".spin.internal";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Any,
    Exact(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Host {
    Any,
    Exact(String),
    /// `*.example.com`: any subdomain (not the bare domain).
    Subdomain(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Port {
    Any,
    /// Unspecified: the default port of the request's scheme.
    Default,
    Range(u16, u16),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Allowed {
    scheme: Part,
    host: Host,
    port: Port,
}

/// A component's `allowed_outbound_hosts`, parsed once at start-up.
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts(Vec<Allowed>);

impl AllowedHosts {
    pub fn parse(entries: &[String]) -> Result<Self> {
        entries
            .iter()
            .map(|e| parse_entry(e))
            .collect::<Result<_>>()
            .map(AllowedHosts)
    }

    pub fn allows(&self, scheme: &str, host: &str, port: Option<u16>) -> bool {
        let host = host.to_ascii_lowercase();
        let port = port.or(match scheme {
            "http" => Some(80),
            "https" => Some(443),
            _ => None,
        });
        self.0.iter().any(|a| {
            let scheme_ok = match &a.scheme {
                Part::Any => true,
                Part::Exact(s) => s == scheme,
            };
            let host_ok = match &a.host {
                Host::Any => true,
                Host::Exact(h) => *h == host,
                Host::Subdomain(d) => host
                    .strip_suffix(d.as_str())
                    .is_some_and(|sub| !sub.is_empty()),
            };
            let port_ok = match (&a.port, port) {
                (Port::Any, _) => true,
                (Port::Default, Some(p)) => Some(p) == default_port(scheme),
                (Port::Range(lo, hi), Some(p)) => (*lo..=*hi).contains(&p),
                (_, None) => false,
            };
            scheme_ok && host_ok && port_ok
        })
    }
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
}

fn parse_entry(entry: &str) -> Result<Allowed> {
    let Some((scheme, rest)) = entry.split_once("://") else {
        bail!("allowed_outbound_hosts entry `{entry}` needs a scheme, e.g. `http://{entry}`");
    };
    let scheme = match scheme {
        "*" => Part::Any,
        s if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric()) => {
            Part::Exact(s.to_ascii_lowercase())
        }
        _ => bail!("allowed_outbound_hosts entry `{entry}`: invalid scheme"),
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains('/') {
        bail!("allowed_outbound_hosts entry `{entry}`: paths are not allowed, only scheme://host[:port]");
    }
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (rest, None),
    };
    let host = match host {
        "" => bail!("allowed_outbound_hosts entry `{entry}`: missing host"),
        "*" => Host::Any,
        h if h.starts_with("*.") => Host::Subdomain(h[1..].to_ascii_lowercase()),
        h if h.contains('*') => bail!("allowed_outbound_hosts entry `{entry}`: `*` may only be the whole host or a `*.` prefix"),
        h => Host::Exact(h.to_ascii_lowercase()),
    };
    let port = match port {
        None => Port::Default,
        Some("*") => Port::Any,
        Some(p) => match p.split_once("..") {
            Some((lo, hi)) => Port::Range(parse_port(entry, lo)?, parse_port(entry, hi)?),
            None => {
                let p = parse_port(entry, p)?;
                Port::Range(p, p)
            }
        },
    };
    if matches!((&scheme, &port), (Part::Any, Port::Default)) {
        bail!("allowed_outbound_hosts entry `{entry}`: with scheme `*` give a port (or `:*`)");
    }
    Ok(Allowed { scheme, host, port })
}

fn parse_port(entry: &str, p: &str) -> Result<u16> {
    p.parse()
        .map_err(|_| anyhow::anyhow!("allowed_outbound_hosts entry `{entry}`: invalid port `{p}`"))
}

/// How outbound HTTP reaches the application's other components without knowing the app: a
/// request to `http://<id>.spin.internal/...` is handed over by component id.
#[async_trait::async_trait]
pub trait Components: Send + Sync {
    fn contains(&self, id: &str) -> bool;
    /// Runs `request` in a fresh instance of component `id`, `depth` calls down a chain that
    /// serves the outside request `request_id`.
    async fn dispatch(
        &self,
        id: &str,
        request: http::Request<WasiBody>,
        depth: u32,
        request_id: &RequestId,
    ) -> http::Response<Body>;
}

/// One request's outbound HTTP (its wasi-http hooks): who is calling, what it may reach, how
/// deep in a chain it is, and which outside request it serves.
pub struct Outbound {
    pub caller: String,
    pub allowed: Arc<AllowedHosts>,
    pub depth: u32,
    /// Handed to every chained call, whatever `x-request-id` the component set: a chain is
    /// one request in the log, and a component cannot claim another's id. Calls to outside
    /// hosts go as the component wrote them: the id names a request in our logs only, and a
    /// client's own id is not ours to pass on to third parties (docs/logging.md).
    pub request_id: RequestId,
    /// Weak: a store that outlives its request must not keep the app alive.
    pub components: Weak<dyn Components>,
    pub client: Client<HttpConnector, WasiBody>,
}

type SendFuture = Box<
    dyn std::future::Future<
            Output = Result<
                (
                    http::Response<WasiBody>,
                    Box<dyn std::future::Future<Output = Result<(), Error>> + Send>,
                ),
                Error,
            >,
        > + Send,
>;

impl WasiHttpHooks for Outbound {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        _fut: Box<dyn std::future::Future<Output = Result<(), Error>> + Send>,
    ) -> SendFuture {
        let components = self.components.clone();
        let caller = self.caller.clone();
        let allowed = self.allowed.clone();
        let client = self.client.clone();
        let depth = self.depth;
        let request_id = self.request_id.clone();
        Box::new(async move {
            let uri = request.uri().clone();
            let scheme = uri.scheme_str().unwrap_or("http").to_ascii_lowercase();
            let host = uri.host().unwrap_or_default().to_ascii_lowercase();
            if !allowed.allows(&scheme, &host, uri.port_u16()) {
                tracing::warn!(component = %caller, url = %uri, request_id = %request_id, "outbound request denied: not in allowed_outbound_hosts");
                return Err(Error::HttpRequestDenied);
            }
            let components = components.upgrade().ok_or(Error::ConnectionTerminated)?;
            let response = match host.strip_suffix(CHAINING_SUFFIX) {
                Some(target) => {
                    if depth + 1 > MAX_CHAIN_DEPTH {
                        return Err(Error::LoopDetected);
                    }
                    if !components.contains(target) {
                        return Err(Error::DestinationNotFound);
                    }
                    components
                        .dispatch(target, request, depth + 1, &request_id)
                        .await
                }
                None => send_plain_http(&client, scheme, request, options).await?,
            };
            let done: Box<dyn std::future::Future<Output = Result<(), Error>> + Send> =
                Box::new(async { Ok(()) });
            Ok((response, done))
        })
    }
}

async fn send_plain_http(
    client: &Client<HttpConnector, WasiBody>,
    scheme: String,
    request: http::Request<WasiBody>,
    options: Option<RequestOptions>,
) -> Result<http::Response<Body>, Error> {
    if scheme != "http" {
        return Err(Error::InternalError(Some(format!(
            "this local host sends outbound requests over plain http only, not {scheme}"
        ))));
    }
    let timeout = options
        .and_then(|o| o.first_byte_timeout)
        .unwrap_or(Duration::from_secs(60));
    let response = tokio::time::timeout(timeout, client.request(request))
        .await
        .map_err(|_| Error::ConnectionReadTimeout)?
        .map_err(|e| {
            if e.is_connect() {
                Error::ConnectionRefused
            } else {
                Error::InternalError(Some(e.to_string()))
            }
        })?;
    Ok(response.map(|b| b.map_err(Error::from).boxed_unsync()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(entries: &[&str]) -> AllowedHosts {
        AllowedHosts::parse(&entries.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn entries_allow_exactly_what_they_name() {
        let a = hosts(&[
            "http://auth.spin.internal",
            "https://*.example.com",
            "http://localhost:3000..3010",
            "*://api.test:*",
        ]);
        let cases = [
            ("http", "auth.spin.internal", None, true),
            ("http", "auth.spin.internal", Some(80), true),
            ("http", "AUTH.spin.internal", None, true),
            ("http", "auth.spin.internal", Some(8080), false),
            ("https", "auth.spin.internal", None, false),
            ("http", "score.spin.internal", None, false),
            ("https", "a.example.com", None, true),
            ("https", "example.com", None, false),
            ("https", "evil-example.com", None, false),
            ("http", "localhost", Some(3005), true),
            ("http", "localhost", Some(3011), false),
            ("http", "api.test", Some(1), true),
            ("https", "api.test", None, true),
        ];
        for (scheme, host, port, want) in cases {
            assert_eq!(
                a.allows(scheme, host, port),
                want,
                "{scheme}://{host}:{port:?}"
            );
        }
    }

    #[test]
    fn nothing_is_allowed_by_default() {
        assert!(!AllowedHosts::default().allows("http", "auth.spin.internal", None));
    }

    #[test]
    fn malformed_entries_are_rejected() {
        for bad in [
            "auth.spin.internal",
            "http://",
            "http://a/b",
            "http://a:port",
            "http://a*b.com",
            "*://host",
        ] {
            assert!(AllowedHosts::parse(&[bad.to_string()]).is_err(), "{bad}");
        }
    }
}
