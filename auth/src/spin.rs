//! The Spin side: the component entry, wasi:keyvalue as `Kv`, host clock and randomness as
//! `Env`. Compiled for wasm only, so native test builds never link the component exports.

use futures::StreamExt;
use spin_sdk::http::{IncomingRequest, Response};
use spin_sdk::http_component;
use spin_sdk::wit::wasi::keyvalue::{atomics, store};

use crate::app::{self, Env, RandomError};
use crate::domain::{Kv, StoreError};
use crate::http::{self, ApiError, ApiRequest, ApiResponse, MAX_BODY_BYTES};

/// KV store label declared in spin.toml.
const STORE: &str = "auth";

#[http_component]
async fn handle(req: IncomingRequest) -> Response {
    let response = serve(req).await;
    let mut builder = Response::builder();
    builder.status(response.status);
    for (name, value) in response.headers {
        builder.header(name, value);
    }
    builder.body(response.body).build()
}

async fn serve(req: IncomingRequest) -> ApiResponse {
    let method = req.method().to_string();
    let path_and_query = req.path_with_query().unwrap_or_default();
    let path = path_and_query
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned();
    let authorization = header(&req, "authorization");
    let body = match read_body(req).await {
        Ok(body) => body,
        Err(e) => return e.into_response(),
    };
    let kv = match WasiKv::open(STORE) {
        Ok(kv) => kv,
        Err(e) => return ApiError::Auth(e.into()).into_response(),
    };
    let env = HostEnv;
    let auth = app::Auth::new(&kv, &env, token_ttl());
    let request = ApiRequest {
        method: &method,
        path: &path,
        authorization: authorization.as_deref(),
        body: &body,
    };
    http::handle(&auth, &request)
}

fn header(req: &IncomingRequest, name: &str) -> Option<String> {
    let values = req.headers().get(name);
    values
        .into_iter()
        .next()
        .and_then(|v| String::from_utf8(v).ok())
}

async fn read_body(req: IncomingRequest) -> Result<Vec<u8>, ApiError> {
    let declared = header(&req, "content-length").and_then(|v| v.trim().parse::<usize>().ok());
    if declared.is_some_and(|len| len > MAX_BODY_BYTES) {
        return Err(ApiError::PayloadTooLarge);
    }
    let mut stream = req.into_body_stream();
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| ApiError::BadRequest("could not read the body".into()))?;
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(ApiError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

pub struct WasiKv(store::Bucket);

impl WasiKv {
    pub fn open(label: &str) -> Result<Self, StoreError> {
        store::open(label).map(Self).map_err(unavailable)
    }
}

fn unavailable(e: store::Error) -> StoreError {
    StoreError::Unavailable(match e {
        store::Error::NoSuchStore => "no such store".into(),
        store::Error::AccessDenied => "access denied".into(),
        store::Error::Other(why) => why,
    })
}

impl Kv for WasiKv {
    type Cas = atomics::Cas;

    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.0.get(key).map_err(unavailable)
    }

    fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.0.set(key, value).map_err(unavailable)
    }

    fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.0.delete(key).map_err(unavailable)
    }

    fn watch(&self, key: &str) -> Result<(Self::Cas, Option<Vec<u8>>), StoreError> {
        let cas = atomics::Cas::new(&self.0, key).map_err(unavailable)?;
        let current = cas.current().map_err(unavailable)?;
        Ok((cas, current))
    }

    fn swap(&self, cas: Self::Cas, value: &[u8]) -> Result<bool, StoreError> {
        match atomics::swap(cas, value) {
            Ok(()) => Ok(true),
            Err(atomics::CasError::CasFailed(_)) => Ok(false),
            Err(atomics::CasError::StoreError(e)) => Err(unavailable(e)),
        }
    }
}

pub struct HostEnv;

impl Env for HostEnv {
    fn now(&self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }

    fn fill_random(&self, buf: &mut [u8]) -> Result<(), RandomError> {
        getrandom::fill(buf).map_err(|e| RandomError(e.to_string()))
    }
}

pub fn token_ttl() -> u64 {
    crate::domain::token::ttl_from_variable(
        spin_sdk::variables::get("token_ttl_seconds")
            .ok()
            .as_deref(),
    )
}
