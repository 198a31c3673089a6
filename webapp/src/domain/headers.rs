//! The incoming request as plain data, so every rule above the adapter is testable natively.

/// Request bodies above this size are refused with 413; the API only takes small JSON objects.
pub const MAX_BODY: usize = 16 * 1024;

/// Header list with lower-cased names, keeping repeats in order.
#[derive(Debug, Clone, Default)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    pub fn new(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        Self(
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
        )
    }

    /// The first value of a header.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value the host set for a `spin-*` header, never a line the client sent: see
    /// [`spin_kit::host_headers`].
    pub fn spin<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        spin_kit::host_headers::host_value(self.all(name))
    }

    /// Every value of a header (e.g. several `Cookie` lines).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Bytes(Vec<u8>),
    TooLarge,
}

#[derive(Debug, Clone)]
pub struct Inbound {
    /// Upper-case method name.
    pub method: String,
    /// Raw path, still percent-encoded.
    pub path: String,
    /// Raw query string without `?` (empty when absent).
    pub query: String,
    pub headers: Headers,
    pub body: Body,
}

impl Inbound {
    /// Splits a request target (`/a/b?x=1`, or an absolute URI) into path and query.
    pub fn split_target(target: &str) -> (String, String) {
        let without_authority = match target.find("://") {
            Some(i) => {
                let after = &target[i + 3..];
                after.find('/').map(|j| &after[j..]).unwrap_or("/")
            }
            None => target,
        };
        let without_fragment = without_authority.split('#').next().unwrap_or_default();
        match without_fragment.split_once('?') {
            Some((p, q)) => (p.to_owned(), q.to_owned()),
            None => (without_fragment.to_owned(), String::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_split_into_path_and_query() {
        let cases = [
            ("/api/me", "/api/me", ""),
            (
                "/api/history?limit=5&cursor=x",
                "/api/history",
                "limit=5&cursor=x",
            ),
            ("http://127.0.0.1:3000/app.js?v=1", "/app.js", "v=1"),
            ("https://example.org", "/", ""),
            ("/a#frag", "/a", ""),
        ];
        for (target, path, query) in cases {
            assert_eq!(
                Inbound::split_target(target),
                (path.into(), query.into()),
                "{target}"
            );
        }
    }

    #[test]
    fn header_lookup_ignores_case_of_names() {
        let h = Headers::new([
            ("Cookie".into(), "a=1".into()),
            ("COOKIE".into(), "b=2".into()),
        ]);
        assert_eq!(h.get("cookie"), Some("a=1"));
        assert_eq!(h.all("cookie").collect::<Vec<_>>(), ["a=1", "b=2"]);
    }

    #[test]
    fn a_spin_header_reads_the_line_the_host_added_after_the_clients() {
        let h = Headers::new([
            ("spin-full-url".into(), "https://evil.example/".into()),
            (
                "Spin-Full-Url".into(),
                "http://127.0.0.1:3000/api/login".into(),
            ),
        ]);
        assert_eq!(
            h.spin("spin-full-url"),
            Some("http://127.0.0.1:3000/api/login")
        );
        assert_eq!(h.spin("spin-client-addr"), None);
    }
}
