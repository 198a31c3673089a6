//! The Spin side: the component entry, wasi:keyvalue as `Kv`, motus over outbound HTTP.
//! Compiled for wasm only, so native test builds never link the component exports.

use futures::StreamExt;
use spin_sdk::http::{IncomingRequest, Request, Response};
use spin_sdk::http_component;
use spin_sdk::wit::wasi::keyvalue::{atomics, batch, store};

use crate::app::Score;
use crate::domain::game::ResultBody;
use crate::domain::{GameId, Kv, StoreError};
use crate::http::MAX_BODY_BYTES;
use crate::http::{self, ApiError, ApiRequest, ApiResponse, Context, GameResults, Lookup};

/// KV store label declared in spin.toml.
const STORE: &str = "score";
const MOTUS: &str = "http://motus.spin.internal";

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
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query.as_str(), ""));
    let authorization = header(&req, "authorization");
    let body = match read_body(req).await {
        Ok(body) => body,
        Err(e) => return e.into_response(),
    };
    let kv = match WasiKv::open(STORE) {
        Ok(kv) => kv,
        Err(e) => return ApiError::Store(e).into_response(),
    };
    let admin_token = spin_sdk::variables::get("admin_token").ok();
    let ctx = Context {
        score: Score::new(&kv, now()),
        games: &Motus,
        admin_token: admin_token.as_deref(),
    };
    let request = ApiRequest {
        method: &method,
        path,
        query,
        authorization: authorization.as_deref(),
        body: &body,
    };
    http::handle(&ctx, &request).await
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
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
        let chunk = chunk.map_err(|_| {
            ApiError::BadRequest("invalid_request", "could not read the body".into())
        })?;
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(ApiError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

struct Motus;

impl GameResults for Motus {
    async fn result(&self, id: &GameId) -> Result<Lookup, ApiError> {
        let url = format!("{MOTUS}/motus/games/{}/result", id.as_str());
        let response: Response = spin_sdk::http::send(Request::get(url).build())
            .await
            .map_err(|e| ApiError::Upstream(format!("unreachable ({e})")))?;
        match *response.status() {
            200 => serde_json::from_slice::<ResultBody>(response.body())
                .map(Lookup::Finished)
                .map_err(|e| ApiError::Upstream(format!("unexpected result body ({e})"))),
            404 => Ok(Lookup::NotFinished),
            status => Err(ApiError::Upstream(format!("answered {status}"))),
        }
    }
}

struct WasiKv(store::Bucket);

impl WasiKv {
    fn open(label: &str) -> Result<Self, StoreError> {
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

    fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        let found = batch::get_many(&self.0, keys).map_err(unavailable)?;
        // Hosts may answer in any order or leave out missing keys: match answers by key.
        let mut found: std::collections::HashMap<String, Option<Vec<u8>>> =
            found.into_iter().collect();
        Ok(keys.iter().map(|k| found.remove(k).flatten()).collect())
    }

    fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.0.set(key, value).map_err(unavailable)
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
