//! Where an attempt comes from, as far as lockout is concerned.
//!
//! The address is a hint, not an identity: it only decides whose budget of password attempts an
//! attempt spends (see [`super::lockout`]). It comes from the host's `spin-client-addr` (the
//! last value: Spin keeps lines a client sent and appends its own), or, for a call relayed by
//! the webapp (whose own address is `0.0.0.0:0`), from the browser's address the webapp forwards
//! — believed only when the call also carries the shared `internal_token` secret.

use std::net::{IpAddr, SocketAddr};

use spin_kit::http::same_secret;

/// The header in which a trusted sibling forwards the address of the client it serves.
pub const FORWARDED_HEADER: &str = "motus-forwarded-client";
/// The header carrying the shared secret that makes [`FORWARDED_HEADER`] believable.
pub const TOKEN_HEADER: &str = "motus-internal-token";

/// One attempt budget: an IPv4 address, an IPv6 /64 (one subscriber usually holds a whole /64,
/// so counting single IPv6 addresses would hand an attacker 2^64 budgets), or `unknown`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddr(String);

impl ClientAddr {
    /// From an address as hosts write it: `ip:port`, `[ipv6]:port` or a bare IP. The port is
    /// dropped (every connection has a new one); anything unreadable shares one `unknown` budget.
    pub fn parse(raw: Option<&str>) -> Self {
        let raw = raw.map(str::trim).unwrap_or_default();
        let ip = raw
            .parse::<SocketAddr>()
            .map(|s| s.ip())
            .or_else(|_| raw.trim_matches(['[', ']']).parse::<IpAddr>());
        Self(match ip {
            Ok(IpAddr::V4(v4)) => v4.to_string(),
            Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => {
                    let s = v6.segments();
                    format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            },
            Err(_) => "unknown".into(),
        })
    }

    /// The client of one request: the host's address, or the forwarded one when the request
    /// proves with `presented` that it comes from a sibling holding the `configured` secret. An
    /// empty secret trusts nobody.
    pub fn resolve(
        socket: Option<&str>,
        forwarded: Option<&str>,
        presented: Option<&str>,
        configured: Option<&str>,
    ) -> Self {
        let trusted = match (configured.map(str::trim), presented) {
            (Some(secret), Some(given)) if !secret.is_empty() => same_secret(secret, given.trim()),
            _ => false,
        };
        match forwarded {
            Some(addr) if trusted => Self::parse(Some(addr)),
            _ => Self::parse(socket),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests;
