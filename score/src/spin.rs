//! The Spin side: the component entry, the store, the clock, and motus and auth over outbound
//! HTTP under the kit's deadlines.
//! Compiled for wasm only, so native test builds never link the component exports.

use spin_kit::access::{self, AccessKey};
use spin_kit::clock;
use spin_kit::errors::ApiError;
use spin_kit::game_id::GameId;
use spin_kit::http::MAX_BODY_BYTES;
use spin_kit::outbound;
use spin_kit::spin::{header, read_body, respond, Target, WasiKv};
use spin_sdk::http::{IncomingRequest, Request, ResponseOutparam};
use spin_sdk::http_component;

use crate::app::Score;
use crate::domain::game::ResultBody;
use crate::http::{self, error, ApiRequest, ApiResponse, Context};
use crate::siblings::{Credential, GameResults, Identity, Lookup, SiblingError};

/// KV store label declared in spin.toml.
const STORE: &str = "score";
const MOTUS: &str = "http://motus.spin.internal";
const AUTH_ME: &str = "http://auth.spin.internal/auth/me";
/// The header that carries the `result_secret` variable to motus.
const SECRET_HEADER: &str = "x-result-secret";

#[http_component]
async fn handle(req: IncomingRequest, out: ResponseOutparam) {
    respond(out, serve(req).await).await
}

async fn serve(req: IncomingRequest) -> ApiResponse {
    let Target {
        method,
        path,
        query,
    } = Target::of(&req);
    let authorization = header(&req, "authorization");
    let body = match read_body(req, MAX_BODY_BYTES).await {
        Ok(body) => body,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let kv = match WasiKv::open(STORE) {
        Ok(kv) => kv,
        Err(e) => return ApiError::from(e).into_response(),
    };
    // `clock_offset_seconds` moves score's "today" in tests (see the README).
    let clock = match clock::from_variables() {
        Ok(clock) => clock,
        Err(e) => {
            eprintln!("score: {e}");
            return error::misconfigured().into_response();
        }
    };
    let auth = match spin_kit::access::key_from_spin() {
        Ok(access) => Auth { access },
        Err(e) => return e.into_response(),
    };
    let admin_token = spin_sdk::variables::get("admin_token").ok();
    let result_secret = spin_sdk::variables::get("result_secret").ok();
    let ctx = Context {
        score: Score::new(&kv, &Motus, &auth, &clock).with_result_secret(result_secret.as_deref()),
        admin_token: admin_token.as_deref(),
    };
    let request = ApiRequest {
        method: &method,
        path: &path,
        query: &query,
        authorization: authorization.as_deref(),
        body: &body,
    };
    http::handle(&ctx, &request).await
}

/// motus over outbound HTTP.
struct Motus;

impl GameResults for Motus {
    /// Motus answers `/result` after asking auth who holds the token, so a player's token gets
    /// the relayed deadline; with the shared secret motus answers from its own store alone.
    async fn result(
        &self,
        id: &GameId,
        credential: Credential<'_>,
    ) -> Result<Lookup, SiblingError> {
        let url = format!("{MOTUS}/motus/games/{}/result", id.as_str());
        let (request, limit) = match credential {
            Credential::Player(token) => (
                Request::get(url)
                    .header("authorization", format!("Bearer {token}"))
                    .build(),
                outbound::deadlines().relayed(),
            ),
            Credential::Secret(secret) => (
                Request::get(url).header(SECRET_HEADER, secret).build(),
                outbound::deadlines().direct(),
            ),
        };
        let response = outbound::send(request, limit).await.map_err(|e| match e {
            outbound::Failure::TimedOut(_) => SiblingError::Unavailable(in_french(&e)),
            outbound::Failure::Unreachable(_) => SiblingError::BadGateway(in_french(&e)),
        })?;
        match (*response.status(), credential) {
            (200, _) => serde_json::from_slice::<ResultBody>(response.body())
                .map(Lookup::Finished)
                .map_err(|e| SiblingError::BadGateway(format!("résultat illisible ({e})"))),
            // motus: 404 unknown or not the caller's, 409 game_not_finished.
            (404 | 409, _) => Ok(Lookup::NotFinished),
            (401, Credential::Player(_)) => Err(SiblingError::Refused),
            (401, Credential::Secret(_)) => Err(SiblingError::BadGateway(
                "result_secret refusé : il diffère entre motus et score".into(),
            )),
            (status, _) => Err(SiblingError::BadGateway(format!("statut {status}"))),
        }
    }
}

/// auth over outbound HTTP; access tokens checked here with the shared key.
struct Auth {
    access: Option<AccessKey>,
}

impl Identity for Auth {
    /// An access token is checked here, with no call. For a session token auth answers from
    /// its own store: the direct deadline applies.
    async fn username(&self, token: &str) -> Result<String, SiblingError> {
        if let Some(verdict) = access::check_now(self.access.as_ref(), token) {
            return verdict
                .map(|player| player.as_str().to_owned())
                .map_err(|_| SiblingError::Refused);
        }
        let request = Request::get(AUTH_ME)
            .header("authorization", format!("Bearer {token}"))
            .header("accept", "application/json")
            .build();
        let response = outbound::send(request, outbound::deadlines().direct())
            .await
            .map_err(|e| {
                eprintln!("score: auth: {e}");
                SiblingError::Unavailable(in_french(&e))
            })?;
        match *response.status() {
            200 => serde_json::from_slice::<Me>(response.body())
                .map(|me| me.username)
                .map_err(|e| SiblingError::BadGateway(format!("/auth/me illisible ({e})"))),
            401 | 403 => Err(SiblingError::Refused),
            status @ 502..=504 => Err(SiblingError::Unavailable(format!("statut {status}"))),
            other => Err(SiblingError::BadGateway(format!(
                "statut {other} sur /auth/me"
            ))),
        }
    }
}

/// What went wrong, as the error message says it.
fn in_french(failure: &outbound::Failure) -> String {
    match failure {
        outbound::Failure::TimedOut(after) => {
            format!("délai de {} ms dépassé", after.as_millis())
        }
        outbound::Failure::Unreachable(why) => format!("injoignable : {why}"),
    }
}

#[derive(serde::Deserialize)]
struct Me {
    username: String,
}
