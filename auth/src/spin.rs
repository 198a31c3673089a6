//! The Spin side: the component entry, the host's clock and randomness, the siblings over
//! outbound HTTP as `PlayerData`.
//! Compiled for wasm only, so native test builds never link the component exports.

use spin_kit::access;
use spin_kit::clock::SystemClock;
use spin_kit::errors::ApiError;
use spin_kit::http::MAX_BODY_BYTES;
use spin_kit::outbound;
use spin_kit::random::OsRandom;
use spin_kit::spin::{header, read_body, respond, spin_header, Target, WasiKv};
use spin_sdk::http::{IncomingRequest, Method, Request, ResponseOutparam};
use spin_sdk::http_component;

use crate::app;
use crate::domain::client::{ClientAddr, FORWARDED_HEADER, TOKEN_HEADER};
use crate::domain::SessionToken;
use crate::http::{self, ApiRequest, ApiResponse};
use crate::siblings::{Outcome, PlayerData, Sibling, SiblingFailure};

/// KV store label declared in spin.toml.
const STORE: &str = "auth";

#[http_component]
async fn handle(req: IncomingRequest, out: ResponseOutparam) {
    respond(
        out,
        serve(req).await.unwrap_or_else(ApiError::into_response),
    )
    .await
}

/// Fails only before routing: a body too large or unreadable, or no store.
async fn serve(req: IncomingRequest) -> Result<ApiResponse, ApiError> {
    // auth reads no query: every route takes a JSON body or nothing.
    let Target { method, path, .. } = Target::of(&req);
    let authorization = header(&req, "authorization");
    let client = ClientAddr::resolve(
        spin_header(&req, "spin-client-addr").as_deref(),
        header(&req, FORWARDED_HEADER).as_deref(),
        header(&req, TOKEN_HEADER).as_deref(),
        spin_sdk::variables::get("internal_token").ok().as_deref(),
    );
    let body = read_body(req, MAX_BODY_BYTES).await?;
    let kv = WasiKv::open(STORE)?;
    // auth declares no clock offset: tokens and lockout windows follow the wall clock.
    let auth =
        app::Auth::new(&kv, SystemClock::new(), OsRandom, token_ttl()).with_access(access()?);
    let request = ApiRequest {
        method: &method,
        path: &path,
        authorization: authorization.as_deref(),
        client: &client,
        body: &body,
    };
    Ok(http::handle(&auth, &SpinSiblings, &request).await)
}

/// The access-token key and lifetime; `None` when `access_secret` is empty or undefined.
fn access() -> Result<Option<app::Access>, ApiError> {
    let key = spin_kit::access::key_from_spin()?;
    let ttl = access::ttl_from_variable(
        spin_sdk::variables::get(access::TTL_VARIABLE)
            .ok()
            .as_deref(),
    );
    Ok(key.map(|key| app::Access { key, ttl }))
}

pub fn token_ttl() -> u64 {
    crate::domain::token::ttl_from_variable(
        spin_sdk::variables::get("token_ttl_seconds")
            .ok()
            .as_deref(),
    )
}

/// Motus and score through service chaining (`allowed_outbound_hosts` in spin.toml).
struct SpinSiblings;

impl PlayerData for SpinSiblings {
    /// Each sibling checks the token with auth before deleting, so the relayed deadline applies:
    /// its own call to auth must be able to time out first.
    async fn forget(&self, sibling: Sibling, player: &str, token: &SessionToken) -> Outcome {
        let url = format!(
            "http://{}.spin.internal{}",
            sibling.name(),
            sibling.players_path(player)
        );
        let request = Request::builder()
            .method(Method::Delete)
            .uri(url)
            .header("authorization", format!("Bearer {}", token.as_str()))
            .header("accept", "application/json")
            .build();
        let response = outbound::send(request, outbound::deadlines().relayed())
            .await
            .map_err(|e| SiblingFailure(e.to_string()))?;
        match *response.status() {
            200..=299 => Ok(()),
            status => {
                let why = format!("answered {status}");
                eprintln!("auth: deleting {player} in {}: {why}", sibling.name());
                Err(SiblingFailure(why))
            }
        }
    }
}
