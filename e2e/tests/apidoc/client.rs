//! A small HTTP client that checks every answer against docs/openapi.yaml and remembers which
//! operations were called with which status.

use super::Spec;
use serde_json::Value;
use std::sync::Mutex;

pub struct Api {
    pub spec: Spec,
    pub base: String,
    pub client: reqwest::Client,
    /// `(METHOD, spec path, status)` of every call made.
    pub seen: Mutex<Vec<(String, String, u16)>>,
}

pub struct Reply {
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn cookies(&self) -> String {
        let pairs: Vec<&str> = self
            .headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok()?.split(';').next())
            .collect();
        pairs.join("; ")
    }
}

pub struct Req<'a> {
    api: &'a Api,
    method: &'static str,
    path: String,
    headers: Vec<(String, String)>,
    json: Option<Value>,
    raw: Option<String>,
}

impl Api {
    pub fn req(&self, method: &'static str, path: impl Into<String>) -> Req<'_> {
        Req {
            api: self,
            method,
            path: path.into(),
            headers: Vec::new(),
            json: None,
            raw: None,
        }
    }

    pub fn get(&self, path: impl Into<String>) -> Req<'_> {
        self.req("GET", path)
    }

    pub fn post(&self, path: impl Into<String>, body: Value) -> Req<'_> {
        self.req("POST", path).json(body)
    }
}

impl Req<'_> {
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn bearer(self, token: &str) -> Self {
        self.header("authorization", &format!("Bearer {token}"))
    }

    pub fn cookie(self, cookies: &str) -> Self {
        self.header("cookie", cookies)
    }

    pub fn json(mut self, body: Value) -> Self {
        self.json = Some(body);
        self
    }

    pub fn raw(mut self, body: &str, content_type: &str) -> Self {
        self.raw = Some(body.into());
        self.header("content-type", content_type)
    }

    /// Sends the request, checks the status, and checks the answer against the spec.
    pub async fn expect(self, status: u16) -> Reply {
        let api = self.api;
        let what = format!("{} {}", self.method, self.path);
        let path = self.path.split('?').next().unwrap();
        let template = api
            .spec
            .template_for(path)
            .unwrap_or_else(|| panic!("{what}: no such path in the spec"));
        let method = reqwest::Method::from_bytes(self.method.as_bytes()).unwrap();
        let mut request = api
            .client
            .request(method, format!("{}{}", api.base, self.path));
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        if let Some(body) = &self.json {
            request = request.json(body);
        }
        if let Some(body) = self.raw {
            request = request.body(body);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let got = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        assert_eq!(got, status, "{what}: {text}");
        api.seen
            .lock()
            .unwrap()
            .push((self.method.into(), template.clone(), got));

        if let (true, Some(body), Some(schema)) = (
            (200..300).contains(&got),
            &self.json,
            api.spec.request_schema(self.method, &template),
        ) {
            api.spec
                .validate(&schema, body)
                .unwrap_or_else(|e| panic!("{what}: the spec refuses the body sent: {e}"));
        }
        let documented = api
            .spec
            .documented(self.method, &template, got)
            .unwrap_or_else(|| {
                panic!(
                    "{what}: status {got} is not documented for {} {template}",
                    self.method
                )
            });
        for name in &documented.required_headers {
            assert!(
                headers.contains_key(name.as_str()),
                "{what}: documented header {name} missing"
            );
        }
        let body = match &documented.schema {
            Some(schema) => {
                let body: Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"));
                api.spec
                    .validate(schema, &body)
                    .unwrap_or_else(|e| panic!("{what} → {got}: {e}\n{body}"));
                body
            }
            None => {
                assert!(
                    text.is_empty(),
                    "{what}: {got} documents no body, got {text}"
                );
                Value::Null
            }
        };
        Reply { headers, body }
    }
}
