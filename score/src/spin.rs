//! The Spin side: the component entry and motus over outbound HTTP.
//! Compiled for wasm only, so native test builds never link the component exports.

use spin_kit::outbound;
use spin_kit::spin::{header, read_body, BodyError, WasiKv};
use spin_sdk::http::{IncomingRequest, Request, Response};
use spin_sdk::http_component;

use crate::app::Score;
use crate::domain::game::ResultBody;
use crate::domain::GameId;
use crate::http::MAX_BODY_BYTES;
use crate::http::{self, ApiError, ApiRequest, ApiResponse, Context, GameResults, Lookup};

/// KV store label declared in spin.toml.
const STORE: &str = "score";
const MOTUS: &str = "http://motus.spin.internal";

#[http_component]
async fn handle(req: IncomingRequest) -> Response {
    serve(req).await.into()
}

async fn serve(req: IncomingRequest) -> ApiResponse {
    let method = req.method().to_string();
    let path_and_query = req.path_with_query().unwrap_or_default();
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query.as_str(), ""));
    let authorization = header(&req, "authorization");
    let body = match read_body(req, MAX_BODY_BYTES).await {
        Ok(body) => body,
        Err(BodyError::TooLarge) => return ApiError::PayloadTooLarge.into_response(),
        Err(BodyError::Unreadable) => {
            return ApiError::BadRequest("invalid_request", "could not read the body".into())
                .into_response()
        }
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

struct Motus;

impl GameResults for Motus {
    /// Motus answers `/result` from its own store: the direct deadline applies.
    async fn result(&self, id: &GameId) -> Result<Lookup, ApiError> {
        let url = format!("{MOTUS}/motus/games/{}/result", id.as_str());
        let limit = outbound::deadlines().direct();
        let response = outbound::send(Request::get(url).build(), limit)
            .await
            .map_err(|e| match e {
                outbound::Failure::TimedOut(after) => ApiError::UpstreamTimeout(after),
                unreachable => ApiError::Upstream(unreachable.to_string()),
            })?;
        match *response.status() {
            200 => serde_json::from_slice::<ResultBody>(response.body())
                .map(Lookup::Finished)
                .map_err(|e| ApiError::Upstream(format!("unexpected result body ({e})"))),
            404 => Ok(Lookup::NotFinished),
            status => Err(ApiError::Upstream(format!("answered {status}"))),
        }
    }
}
