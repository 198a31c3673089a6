//! A small client for the black-box API tests: raw requests that keep status, headers and body
//! together (so a failed assertion shows what the server said), plus the few steps every test
//! repeats, one file a service: [`accounts`] (auth), [`games`] (motus), [`scores`] (score),
//! [`webapp`] (the browser's `/api`), and [`raw`] requests on a bare connection.
//!
//! The helpers assert the status they expect: a test that only needs a player or a finished game
//! should not have to check the plumbing that produced it.

mod accounts;
mod games;
mod raw;
mod reply;
mod scores;
mod webapp;

pub use crate::planted::{all_planted, planted, Planted, PLANTED};
pub use accounts::{Session, PASSWORD};
pub use games::{id_of, tries_of};
pub use raw::{parse_response, request_head, send_full_duplex, send_then_read};
pub use reply::Reply;
pub use scores::points;
pub use webapp::WebClient;

use crate::TestHost;
use reqwest::Method;
use serde_json::Value;

/// Talks to one running host. Cheap to clone: clones share the connection pool.
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    pub fn new(app: &TestHost) -> Api {
        Api {
            http: reqwest::Client::new(),
            base: app.url(""),
        }
    }

    /// A client whose connections leave from `source`, so the host sees another client address
    /// (`spin-client-addr`). On Linux every 127.x.y.z reaches a host listening on 127.0.0.1.
    pub fn from_address(app: &TestHost, source: std::net::IpAddr) -> Api {
        Api {
            http: reqwest::Client::builder()
                .local_address(source)
                .build()
                .expect("a client bound to a local address"),
            base: app.url(""),
        }
    }

    /// A client for a host serving at `base`, e.g. `http://127.0.0.1:3000` (a
    /// [`crate::HostProcess`]).
    pub fn at(base: impl Into<String>) -> Api {
        Api {
            http: reqwest::Client::new(),
            base: base.into(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends any request. `body` goes as is, with `content_type` when given.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: impl Into<reqwest::Body>,
    ) -> Reply {
        let mut req = self.http.request(method.clone(), self.url(path)).body(body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(content_type) = content_type {
            req = req.header("content-type", content_type);
        }
        self.read(req)
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// Like [`Api::send`] with extra headers, and transport errors returned instead of panicking
    /// (a server may close the connection before reading a huge body).
    pub async fn try_send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Result<Reply> {
        let mut req = self.http.request(method, self.url(path)).body(body);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        self.read(req).await
    }

    async fn read(&self, req: reqwest::RequestBuilder) -> reqwest::Result<Reply> {
        let res = req.send().await?;
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await?;
        Ok(Reply {
            status,
            headers,
            text,
        })
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(Method::GET, path, token, None, Vec::new()).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.json(Method::POST, path, token, body).await
    }

    pub async fn json(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> Reply {
        self.send(
            method,
            path,
            token,
            Some("application/json"),
            body.to_string(),
        )
        .await
    }

    /// `DELETE /{service}/players/{player}` with `who`'s token, or none.
    pub async fn delete_player(&self, service: &str, player: &str, who: Option<&Session>) -> Reply {
        let token = who.and_then(Session::token);
        let path = format!("/{service}/players/{player}");
        self.send(Method::DELETE, &path, token, None, Vec::new())
            .await
    }
}
