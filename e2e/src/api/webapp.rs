//! The webapp's `/api` as a browser calls it: JSON bodies and the cookies the webapp set.

use super::{Api, Reply, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

/// A browser-like client of the webapp's `/api`: JSON bodies and the cookies the webapp set.
pub struct WebClient {
    pub api: Api,
    /// `name=value` pairs, as a browser would send them back.
    pub cookies: Vec<String>,
}

impl WebClient {
    pub fn new(api: Api) -> Self {
        Self {
            api,
            cookies: Vec::new(),
        }
    }

    /// One call with the current cookies; the answer's `Set-Cookie` headers are not applied.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let cookie = self.cookies.join("; ");
        let mut headers = vec![("content-type", "application/json")];
        if !cookie.is_empty() {
            headers.push(("cookie", cookie.as_str()));
        }
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        self.api
            .try_send(method, path, &headers, body)
            .await
            .unwrap()
    }

    /// Keeps the `name=value` part of every cookie set, dropping cleared ones.
    pub fn keep_cookies(&mut self, reply: &Reply) {
        for set in reply.header_all("set-cookie") {
            let pair = set.split(';').next().unwrap().to_owned();
            let name = pair.split('=').next().unwrap().to_owned();
            self.cookies.retain(|c| !c.starts_with(&format!("{name}=")));
            if !pair.ends_with('=') {
                self.cookies.push(pair);
            }
        }
    }

    /// A GET, keeping the cookies it sets, as a browser does.
    pub async fn get(&mut self, path: &str) -> Reply {
        let reply = self.call(Method::GET, path, None).await;
        self.keep_cookies(&reply);
        reply
    }

    /// A JSON POST, keeping the cookies it sets, as a browser does.
    pub async fn post(&mut self, path: &str, body: Value) -> Reply {
        let reply = self.call(Method::POST, path, Some(body)).await;
        self.keep_cookies(&reply);
        reply
    }

    /// `POST /api/register` with [`PASSWORD`], keeping the session cookies it sets.
    pub async fn register(&mut self, username: &str) -> Reply {
        let body = json!({ "username": username, "password": PASSWORD });
        self.post("/api/register", body).await
    }

    /// `POST /api/login` with `password`, keeping the session cookies it sets.
    pub async fn login(&mut self, username: &str, password: &str) -> Reply {
        let body = json!({ "username": username, "password": password });
        self.post("/api/login", body).await
    }
}
