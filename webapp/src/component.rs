//! The wasi-http entry point: moves bytes between the host and the plain request/reply types.

use crate::inbound::{Body, Headers, Inbound, MAX_BODY};
use crate::reply::Reply;
use crate::{api, assets, route, spin_upstream};
use futures::TryStreamExt;
use spin_sdk::http::{Fields, IncomingRequest, OutgoingResponse, ResponseOutparam};
use spin_sdk::http_component;

#[http_component]
async fn handle(req: IncomingRequest, out: ResponseOutparam) {
    let inbound = read_request(req).await;
    let reply = if route::is_api(&inbound.path) {
        let client = inbound.headers.spin("spin-client-addr");
        let up = spin_upstream::SpinUpstream::configured().for_client(client);
        api::handle(&up, now_unix(), &inbound).await
    } else {
        assets::serve(&inbound, |path| std::fs::read(path).ok())
    };
    write_reply(out, reply).await;
}

async fn read_request(req: IncomingRequest) -> Inbound {
    let method = req.method().to_string().to_ascii_uppercase();
    let (path, query) = Inbound::split_target(&req.path_with_query().unwrap_or_default());
    let headers = Headers::new(
        req.headers()
            .entries()
            .into_iter()
            .map(|(k, v)| (k, String::from_utf8_lossy(&v).into_owned())),
    );
    let declared_too_large = headers
        .get("content-length")
        .and_then(|v| v.trim().parse::<usize>().ok())
        .is_some_and(|n| n > MAX_BODY);
    // Only API writes have a body worth reading; static GETs never do.
    let wants_body = route::is_api(&path) && !matches!(method.as_str(), "GET" | "HEAD");
    let body = if declared_too_large {
        Body::TooLarge
    } else if wants_body {
        read_body(req).await
    } else {
        Body::Bytes(Vec::new())
    };
    Inbound {
        method,
        path,
        query,
        headers,
        body,
    }
}

/// Stops reading as soon as the limit is passed, whatever Content-Length claimed.
async fn read_body(req: IncomingRequest) -> Body {
    let mut stream = req.into_body_stream();
    let mut body = Vec::new();
    loop {
        match stream.try_next().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_BODY {
                    return Body::TooLarge;
                }
                body.extend(chunk);
            }
            Ok(None) => return Body::Bytes(body),
            // A broken upload is treated as empty; the JSON checks then refuse it.
            Err(_) => return Body::Bytes(Vec::new()),
        }
    }
}

async fn write_reply(out: ResponseOutparam, reply: Reply) {
    let headers: Vec<(String, Vec<u8>)> = reply
        .headers
        .into_iter()
        .map(|(k, v)| (k, v.into_bytes()))
        .collect();
    let fields = Fields::from_list(&headers).unwrap_or_else(|_| Fields::new());
    let response = OutgoingResponse::new(fields);
    let _ = response.set_status_code(reply.status);
    // The client may have gone away; there is no one left to tell.
    let _ = out.set_with_body(response, reply.body).await;
}

fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
