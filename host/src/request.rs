//! One request's life in a component, once it is routed: Spin's `spin-*` headers, a fresh store
//! and instance, the response, and the deadline that bounds all of it. Whatever goes wrong
//! fails this request only, with a JSON error.

use crate::engine;
use crate::json_error;
use crate::key_value::StoreManager;
use crate::load::LoadedComponent;
use crate::outbound::{Components, Outbound};
use crate::request_id::RequestId;
use crate::router::RouteMatch;
use crate::state::RequestState;
use crate::Body;
use anyhow::{Context, Result};
use http::{HeaderName, HeaderValue, Request, Response};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use spin_kit::errors::Code;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use wasmtime::component::ResourceTable;
use wasmtime::{Engine, Store, StoreLimitsBuilder, Trap, UpdateDeadline};
use wasmtime_wasi::{FsPerms, WasiCtxBuilder};
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::{WasiBody, WasiHttpCtx, WasiHttpView};

/// What every request's instance is made from, shared by all requests.
pub(crate) struct Instances {
    pub engine: Engine,
    pub max_memory: usize,
    pub request_timeout: Duration,
    pub stores: Arc<StoreManager>,
    pub client: Client<HttpConnector, WasiBody>,
    /// Where its chained calls go.
    pub components: Weak<dyn Components>,
}

/// A routed request: where it goes and what its component is told about it.
pub(crate) struct Call<'a> {
    /// The component and its routing headers.
    pub route: &'a RouteMatch,
    /// `spin-full-url`, and the URI the component sees.
    pub full_url: &'a str,
    /// `spin-client-addr`.
    pub client: &'a str,
    /// 0 from outside; one more per chained call.
    pub depth: u32,
    /// The outside request's, the same down a whole chain: `x-request-id` for the component,
    /// and for its chained calls.
    pub request_id: &'a RequestId,
}

impl Instances {
    /// Runs `req` in a fresh instance of `component` and answers what it answered, or a JSON
    /// error saying why it could not.
    pub async fn run(
        &self,
        component: &LoadedComponent,
        call: Call<'_>,
        mut req: Request<WasiBody>,
    ) -> Response<Body> {
        let id = call.route.component.as_str();
        let rid = call.request_id;
        set_spin_headers(&mut req, call.route, call.full_url, call.client);
        // Replaces what the client (or a calling component) sent: the component reads the id
        // the host logs.
        rid.set_on(req.headers_mut());
        match call.full_url.parse() {
            Ok(uri) => *req.uri_mut() = uri,
            Err(_) => return json_error(Code::BadRequest, "invalid request URL"),
        }
        let deadline = Instant::now() + self.request_timeout;
        let mut store = match self.new_store(component, &call, deadline) {
            Ok(store) => store,
            Err(e) => {
                tracing::error!(component = %id, request_id = %rid, "cannot prepare instance: {e:#}");
                return json_error(Code::HostError, "the host could not prepare the component");
            }
        };
        let (tx, rx) = tokio::sync::oneshot::channel();
        let resources = (|| {
            let request = store
                .data_mut()
                .http()
                .new_incoming_request(Scheme::Http, req)?;
            let out = store.data_mut().http().new_response_outparam(tx)?;
            wasmtime::Result::<_>::Ok((request, out))
        })();
        let (request, out) = match resources {
            Ok(r) => r,
            Err(e) => return json_error(Code::BadRequest, &format!("invalid request: {e}")),
        };
        let pre = component.pre.clone();
        // The instance keeps running after the response head is sent, to stream the body;
        // the deadline bounds that too.
        let task = tokio::spawn(tokio::time::timeout_at(deadline.into(), async move {
            let proxy = pre.instantiate_async(&mut store).await?;
            proxy
                .wasi_http_incoming_handler()
                .call_handle(&mut store, request, out)
                .await
        }));
        match tokio::time::timeout_at(deadline.into(), rx).await {
            Ok(Ok(Ok(response))) => response,
            Ok(Ok(Err(code))) => {
                tracing::error!(component = %id, request_id = %rid, "component answered with an error: {code:?}");
                failed(id, Code::ComponentError, "failed")
            }
            Ok(Err(_)) => match task.await {
                Ok(Err(_)) => timeout_response(id, rid),
                Ok(Ok(Err(e))) if Instant::now() >= deadline => {
                    tracing::error!(component = %id, request_id = %rid, "component interrupted at its deadline: {e:#}");
                    timeout_response(id, rid)
                }
                Ok(Ok(Err(e)))
                    if e.downcast_ref::<wasmtime::PoolConcurrencyLimitError>()
                        .is_some() =>
                {
                    tracing::warn!(component = %id, request_id = %rid, "no instance slot free: {e}");
                    json_error(
                        Code::Overloaded,
                        "the host is at its instance limit; retry shortly",
                    )
                }
                Ok(Ok(Err(e))) => {
                    tracing::error!(component = %id, request_id = %rid, "component trapped: {e:?}");
                    failed(
                        id,
                        Code::ComponentTrap,
                        "crashed while handling the request",
                    )
                }
                Ok(Ok(Ok(()))) => {
                    tracing::error!(component = %id, request_id = %rid, "component returned without a response");
                    failed(id, Code::NoResponse, "sent no response")
                }
                Err(e) => {
                    tracing::error!(component = %id, request_id = %rid, "instance task failed: {e}");
                    json_error(Code::HostError, "the host failed to run the component")
                }
            },
            Err(_) => {
                task.abort();
                timeout_response(id, rid)
            }
        }
    }

    fn new_store(
        &self,
        component: &LoadedComponent,
        call: &Call,
        deadline: Instant,
    ) -> Result<Store<RequestState>> {
        let mut wasi = WasiCtxBuilder::new();
        wasi.stdout(component.stdout.clone())
            .stderr(component.stderr.clone())
            .envs(&component.environment);
        for (host, guest) in &component.mounts {
            wasi.preopened_dir(host, guest, FsPerms::ReadOnly)
                .map_err(anyhow::Error::from)
                .with_context(|| format!("cannot mount {}", host.display()))?;
        }
        let state = RequestState {
            wasi: wasi.build(),
            http: WasiHttpCtx::new(),
            table: ResourceTable::new(),
            limits: StoreLimitsBuilder::new()
                .memory_size(self.max_memory)
                .build(),
            grants: component.grants.clone(),
            stores: self.stores.clone(),
            open_stores: 0,
            outbound: Outbound {
                caller: call.route.component.clone(),
                allowed: component.allowed_hosts.clone(),
                depth: call.depth,
                request_id: call.request_id.clone(),
                components: self.components.clone(),
                client: self.client.clone(),
            },
        };
        let mut store = Store::new(&self.engine, state);
        store.limiter(|s| &mut s.limits);
        // A guest that keeps the CPU yields to other requests at every tick, and traps once
        // the deadline has passed: a looping guest then costs one request, not a worker thread.
        // A short request that merely crosses a tick, or resumes after waiting (for a chained
        // call, say), carries on: sending it to the back of the queue would only add to the
        // tail latency. "Keeps the CPU" = a second check less than 1.5 ticks after the last.
        store.set_epoch_deadline(1);
        let mut last_check: Option<Instant> = None;
        store.epoch_deadline_callback(move |_| {
            let now = Instant::now();
            if now >= deadline {
                return Err(Trap::Interrupt.into());
            }
            let busy = last_check.is_some_and(|t| now - t < engine::EPOCH_TICK * 3 / 2);
            last_check = Some(now);
            Ok(if busy {
                UpdateDeadline::Yield(1)
            } else {
                UpdateDeadline::Continue(1)
            })
        });
        Ok(store)
    }
}

/// A 500 saying that component `id` `what` (e.g. "sent no response"). 500 for `no_response`
/// too, as the host has always answered it, though the catalogue gives it 502.
fn failed(id: &str, code: Code, what: &str) -> Response<Body> {
    let message = format!("component `{id}` {what}");
    json_error(code, &message)
}

fn timeout_response(id: &str, rid: &RequestId) -> Response<Body> {
    tracing::warn!(component = %id, request_id = %rid, "request exceeded its deadline");
    json_error(
        Code::Timeout,
        &format!("component `{id}` did not answer in time"),
    )
}

/// Spin's routing headers. Any `spin-*` header the client sent is dropped first, so a
/// component can trust them (e.g. `spin-client-addr`).
fn set_spin_headers<B>(req: &mut Request<B>, route: &RouteMatch, full_url: &str, client: &str) {
    let headers = req.headers_mut();
    let spoofed: Vec<HeaderName> = headers
        .keys()
        .filter(|k| k.as_str().starts_with("spin-"))
        .cloned()
        .collect();
    for name in spoofed {
        headers.remove(name);
    }
    let values = [
        ("spin-full-url", full_url),
        ("spin-path-info", route.path_info.as_str()),
        ("spin-matched-route", route.raw_route.as_str()),
        ("spin-raw-component-route", route.raw_route.as_str()),
        ("spin-component-route", route.component_route.as_str()),
        ("spin-base-path", "/"),
        ("spin-client-addr", client),
    ];
    for (name, value) in values {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
}
