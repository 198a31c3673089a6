//! The Spin SDK side: wasi:keyvalue as [`Kv`], request bodies in, [`ApiResponse`] out.

use futures::StreamExt;
use spin_sdk::http::{Fields, IncomingRequest, OutgoingResponse, ResponseOutparam};
use spin_sdk::wit::wasi::keyvalue::{atomics, batch, store};

use crate::http::ApiResponse;
pub use crate::http::BodyError;
use crate::kv::{Kv, Listing, Namespaced, StoreError};

/// A store label's key space, every key under `<label>/` whatever database the label is mapped
/// to (see [`crate::kv::Namespaced`]: keys of the older bare layout move there on first use).
pub type WasiKv = Namespaced<WasiBucket>;

impl Namespaced<WasiBucket> {
    /// Opens the store with this label, as declared in spin.toml.
    pub fn open(label: &str) -> Result<Self, StoreError> {
        let bucket = store::open(label).map(WasiBucket).map_err(unavailable)?;
        Ok(Namespaced::new(label, bucket))
    }
}

/// A wasi:keyvalue bucket as it is, keys unprefixed.
pub struct WasiBucket(store::Bucket);

impl Listing for WasiBucket {
    fn keys(&self) -> Result<Vec<String>, StoreError> {
        let mut keys = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = self.0.list_keys(cursor.as_deref()).map_err(unavailable)?;
            keys.extend(page.keys);
            match page.cursor {
                // A host that pages must move on; one that repeats a cursor would loop forever.
                Some(next) if cursor.as_deref() != Some(next.as_str()) => cursor = Some(next),
                _ => return Ok(keys),
            }
        }
    }
}

fn unavailable(e: store::Error) -> StoreError {
    StoreError::Unavailable(match e {
        store::Error::NoSuchStore => "no such store".into(),
        store::Error::AccessDenied => "access denied".into(),
        store::Error::Other(why) => why,
    })
}

impl Kv for WasiBucket {
    type Cas = atomics::Cas;

    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.0.get(key).map_err(unavailable)
    }

    /// Spin's Redis store answers every `get_many` of two keys or more with an error (it sends
    /// `KEYS k1 k2`, which Redis refuses), and one key as a pattern: so one key is a plain `get`,
    /// and a refused batch falls back to one `get` per key.
    fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        if keys.len() < 2 {
            return keys.iter().map(|k| self.get(k)).collect();
        }
        let Ok(found) = batch::get_many(&self.0, keys) else {
            return keys.iter().map(|k| self.get(k)).collect();
        };
        // Hosts may answer in any order or leave out missing keys: match answers by key.
        let mut found: std::collections::HashMap<String, Option<Vec<u8>>> =
            found.into_iter().collect();
        Ok(keys.iter().map(|k| found.remove(k).flatten()).collect())
    }

    fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.0.set(key, value).map_err(unavailable)
    }

    fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.0.delete(key).map_err(unavailable)
    }

    fn increment(&self, key: &str, delta: i64) -> Result<i64, StoreError> {
        atomics::increment(&self.0, key, delta).map_err(unavailable)
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

/// Writes the answer through wasi-http's own fields, which keep a repeated header (a login sets
/// two cookies); the SDK's `Response` holds headers in a map and would keep only the last.
pub async fn respond(out: ResponseOutparam, response: ApiResponse) {
    let headers: Vec<(String, Vec<u8>)> = response
        .headers
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.into_bytes()))
        .collect();
    let fields = Fields::from_list(&headers).unwrap_or_else(|_| Fields::new());
    let outgoing = OutgoingResponse::new(fields);
    let _ = outgoing.set_status_code(response.status);
    // The client may have gone away; there is no one left to tell.
    let _ = out.set_with_body(outgoing, response.body).await;
}

/// What every entry point reads first: the method (upper case), the path and the query.
pub struct Target {
    pub method: String,
    pub path: String,
    pub query: String,
}

impl Target {
    pub fn of(req: &IncomingRequest) -> Self {
        let (path, query) = crate::http::split_target(&req.path_with_query().unwrap_or_default());
        Self {
            method: req.method().to_string().to_ascii_uppercase(),
            path,
            query,
        }
    }
}

/// The first value of a header, if it is UTF-8.
pub fn header(req: &IncomingRequest, name: &str) -> Option<String> {
    let values = req.headers().get(name);
    values
        .into_iter()
        .next()
        .and_then(|v| String::from_utf8(v).ok())
}

/// The value the host set for a `spin-*` header (`spin-full-url`, `spin-client-addr`, ...), never
/// one a client sent: see [`crate::host_headers`]. Every read of a `spin-*` header goes through here.
pub fn spin_header(req: &IncomingRequest, name: &str) -> Option<String> {
    crate::host_headers::host_value(req.headers().get(name)).and_then(|v| String::from_utf8(v).ok())
}

/// Reads the body, refusing it as soon as it grows past `limit` so a huge upload costs nothing
/// more than the bytes already received.
pub async fn read_body(req: IncomingRequest, limit: usize) -> Result<Vec<u8>, BodyError> {
    let declared = header(&req, "content-length").and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        return Err(BodyError::TooLarge);
    }
    let mut stream = req.into_body_stream();
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| BodyError::Unreadable)?;
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
