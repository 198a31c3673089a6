//! The outgoing response as plain data; the adapter turns it into a wasi-http response.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    /// Repeats allowed: a login sets two cookies.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// API answers are private and change with every call, hence `no-store`.
    pub fn json(status: u16, value: &Value) -> Reply {
        Reply {
            status,
            headers: vec![
                (
                    "content-type".into(),
                    "application/json; charset=utf-8".into(),
                ),
                ("cache-control".into(), "no-store".into()),
            ],
            body: serde_json::to_vec(value).expect("a Value always serialises"),
        }
    }

    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            headers: vec![("cache-control".into(), "no-store".into())],
            body: Vec::new(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}
