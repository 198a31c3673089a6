//! A request's header lines as plain data, so the rules that read them (cookies, origin) are
//! testable natively.

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

#[cfg(test)]
mod tests {
    use super::*;

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
