//! A loaded application: the manifest resolved into routes, pre-linked components, stores and
//! variables, and the request path that runs a fresh instance of a component per request.

use crate::authority::BadAuthority;
use crate::engine::{self, EngineSettings, EpochTicker};
use crate::key_value::StoreManager;
use crate::manifest::{FileMount, LoadedManifest, RouteDecl};
use crate::outbound::{AllowedHosts, Hooks};
use crate::router::{Pattern, Route, RouteMatch, Router};
use crate::runtime_config::RuntimeConfig;
use crate::state::RequestState;
use crate::variables::Resolver;
use crate::{json_error, Body};
use anyhow::{bail, Context, Result};
use http::{HeaderName, HeaderValue, Request, Response, StatusCode};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use wasmtime::component::{Linker, ResourceTable};
use wasmtime::{Engine, Store, StoreLimitsBuilder, Trap, UpdateDeadline};
use wasmtime_wasi::cli::OutputFile;
use wasmtime_wasi::{FsPerms, WasiCtxBuilder};
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::bindings::ProxyPre;
use wasmtime_wasi_http::{WasiBody, WasiHttpCtx, WasiHttpView};

#[derive(Debug, Clone)]
pub struct AppOptions {
    pub manifest: PathBuf,
    pub state_dir: PathBuf,
    pub runtime_config: Option<PathBuf>,
    /// `--variable name=value` pairs; they win over `SPIN_VARIABLE_*` and defaults.
    pub variables: Vec<(String, String)>,
    pub cache_dir: Option<PathBuf>,
    pub request_timeout: Duration,
    /// Outside requests executing at once; more wait their turn. `None`: 8 per CPU core.
    pub max_concurrent_requests: Option<usize>,
    pub engine: EngineSettings,
}

impl AppOptions {
    pub fn new(manifest: impl Into<PathBuf>, state_dir: impl Into<PathBuf>) -> Self {
        Self {
            manifest: manifest.into(),
            state_dir: state_dir.into(),
            runtime_config: None,
            variables: Vec::new(),
            cache_dir: engine::default_cache_dir(),
            request_timeout: Duration::from_secs(30),
            max_concurrent_requests: None,
            engine: EngineSettings::default(),
        }
    }
}

/// What a component may do, resolved from the manifest at start-up.
pub struct ComponentConfig {
    pub id: String,
    pub key_value_stores: Vec<String>,
    pub variables: HashMap<String, String>,
    pub allowed_hosts: Arc<AllowedHosts>,
    pub environment: Vec<(String, String)>,
    /// Host directory → guest path, mounted read-only.
    pub mounts: Vec<(PathBuf, String)>,
    stdout: OutputFile,
    stderr: OutputFile,
}

struct LoadedComponent {
    config: Arc<ComponentConfig>,
    pre: ProxyPre<RequestState>,
}

pub struct App {
    pub name: String,
    pub router: Router,
    pub stores: StoreManager,
    pub runtime_config_source: Option<PathBuf>,
    pub logs_dir: PathBuf,
    components: HashMap<String, LoadedComponent>,
    engine: Engine,
    max_memory: usize,
    request_timeout: Duration,
    client: Client<HttpConnector, WasiBody>,
    /// Bounds concurrent outside requests: their chained calls must still find free instance
    /// slots, and on a few cores more requests in flight only add memory (a login holds an
    /// Argon2 buffer while it waits for the CPU) and tail latency. Requests beyond it queue.
    admission: tokio::sync::Semaphore,
    this: Weak<App>,
    _ticker: EpochTicker,
}

impl App {
    pub async fn load(options: &AppOptions) -> Result<Arc<App>> {
        let loaded = LoadedManifest::load(&options.manifest)?;
        let manifest = &loaded.manifest;
        let runtime = RuntimeConfig::load(options.runtime_config.as_deref(), &options.state_dir)?;
        let resolver = Resolver::new(&manifest.variables, &options.variables, |k| {
            std::env::var(k).ok()
        })
        .with_context(|| format!("manifest {}", loaded.path.display()))?;

        let labels: HashSet<String> = manifest
            .component
            .values()
            .flat_map(|c| c.key_value_stores.iter().cloned())
            .collect();
        let stores = StoreManager::open(&runtime.stores, &labels).await?;

        let engine = engine::new_engine(&options.engine)?;
        let mut linker = Linker::<RequestState>::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
        crate::bindings::add_to_linker(&mut linker)?;

        let logs_dir = options.state_dir.join("logs");
        std::fs::create_dir_all(&logs_dir)
            .with_context(|| format!("cannot create {}", logs_dir.display()))?;

        // Compiling is the slow part of start-up (when the cache is cold): do it in parallel.
        let compiled: Vec<(String, Result<wasmtime::component::Component>)> =
            std::thread::scope(|scope| {
                let jobs: Vec<_> = manifest
                    .component
                    .iter()
                    .map(|(id, c)| {
                        let wasm = loaded.resolve(&c.source);
                        let (engine, cache) = (&engine, options.cache_dir.as_deref());
                        (
                            id.clone(),
                            scope.spawn(move || load_wasm(engine, id, &wasm, cache)),
                        )
                    })
                    .collect();
                jobs.into_iter()
                    .map(|(id, job)| (id, job.join().expect("compile thread panicked")))
                    .collect()
            });

        let mut components = HashMap::new();
        for (id, component) in compiled {
            let c = &manifest.component[&id];
            let pre = linker
                .instantiate_pre(&component?)
                .map_err(anyhow::Error::from)
                .with_context(|| {
                    format!("component `{id}` imports something this host does not provide")
                })?;
            let pre = ProxyPre::new(pre)
                .map_err(anyhow::Error::from)
                .with_context(|| {
                    format!("component `{id}` does not export wasi:http/incoming-handler")
                })?;
            let allowed = c
                .allowed_outbound_hosts
                .iter()
                .map(|h| resolver.render(h))
                .collect::<Result<Vec<_>>>()
                .and_then(|hosts| AllowedHosts::parse(&hosts))
                .with_context(|| format!("field `component.{id}.allowed_outbound_hosts`"))?;
            let config = ComponentConfig {
                id: id.clone(),
                key_value_stores: c.key_value_stores.clone(),
                variables: resolver.render_component(&id, &c.variables)?,
                allowed_hosts: Arc::new(allowed),
                environment: c
                    .environment
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                mounts: prepare_mounts(&loaded, &id, &c.files, &options.state_dir)?,
                stdout: log_file(&logs_dir, &id, "stdout")?,
                stderr: log_file(&logs_dir, &id, "stderr")?,
            };
            components.insert(
                id,
                LoadedComponent {
                    config: Arc::new(config),
                    pre,
                },
            );
        }

        let routes = manifest
            .trigger
            .http
            .iter()
            .filter_map(|t| match &t.route {
                RouteDecl::Path(p) => Some(Route {
                    pattern: Pattern::parse(p),
                    raw: p.clone(),
                    component: t.component.clone(),
                }),
                RouteDecl::Private { .. } => None,
            })
            .collect();
        let router =
            Router::new(routes).with_context(|| format!("manifest {}", loaded.path.display()))?;

        let client = Client::builder(hyper_util::rt::TokioExecutor::new()).build_http();
        let ticker = EpochTicker::start(&engine);
        Ok(Arc::new_cyclic(|this| App {
            name: manifest.application.name.clone(),
            router,
            stores,
            runtime_config_source: runtime.source,
            logs_dir,
            components,
            engine,
            max_memory: options.engine.max_memory,
            request_timeout: options.request_timeout,
            client,
            admission: tokio::sync::Semaphore::new(admission_limit(options)),
            this: this.clone(),
            _ticker: ticker,
        }))
    }

    pub fn has_component(&self, id: &str) -> bool {
        self.components.contains_key(id)
    }

    pub(crate) fn http_client(&self) -> &Client<HttpConnector, WasiBody> {
        &self.client
    }

    /// A request from outside: routed by path; private components are unreachable.
    pub async fn handle_external(
        &self,
        req: Request<WasiBody>,
        client: std::net::SocketAddr,
    ) -> Response<Body> {
        let started = Instant::now();
        let (method, path) = (req.method().clone(), req.uri().path().to_string());
        // The router, the log line and the component all see this one path.
        let full_url = match crate::authority::component_uri(&req) {
            Ok(uri) => uri.to_string(),
            Err(BadAuthority(why)) => {
                tracing::info!(component = "-", %method, %path, status = 400, ms = ms(started), "request");
                return json_error(StatusCode::BAD_REQUEST, "invalid_host", why);
            }
        };
        let Some(route) = self.router.route(&path) else {
            tracing::info!(component = "-", %method, %path, status = 404, ms = ms(started), "request");
            return json_error(
                StatusCode::NOT_FOUND,
                "not_found",
                &format!("no route matches {path}"),
            );
        };
        let _permit = self.admission.acquire().await;
        let response = self
            .execute(&route, req, &full_url, &client.to_string(), 0)
            .await;
        tracing::info!(component = %route.component, %method, %path, status = response.status().as_u16(), ms = ms(started), "request");
        response
    }

    /// A request from a sibling to `http://<target>.spin.internal/...`.
    pub async fn handle_chained(
        &self,
        target: &str,
        req: Request<WasiBody>,
        depth: u32,
    ) -> Response<Body> {
        let started = Instant::now();
        let (method, path) = (req.method().clone(), req.uri().path().to_string());
        let route = self.router.route_to_component(target, &path);
        let full_url = format!("http://localhost{}", path_and_query(&req));
        let response = self
            .execute(&route, req, &full_url, "0.0.0.0:0", depth)
            .await;
        tracing::info!(component = %target, %method, %path, status = response.status().as_u16(), ms = ms(started), chained = depth, "request");
        response
    }

    async fn execute(
        &self,
        route: &RouteMatch,
        mut req: Request<WasiBody>,
        full_url: &str,
        client: &str,
        depth: u32,
    ) -> Response<Body> {
        let component = &self.components[&route.component];
        let id = component.config.id.clone();
        set_spin_headers(&mut req, route, full_url, client);
        match full_url.parse() {
            Ok(uri) => *req.uri_mut() = uri,
            Err(_) => {
                return json_error(
                    StatusCode::BAD_REQUEST,
                    "bad_request",
                    "invalid request URL",
                )
            }
        }
        let deadline = Instant::now() + self.request_timeout;
        let mut store = match self.new_store(component, depth, deadline) {
            Ok(store) => store,
            Err(e) => {
                tracing::error!(component = %id, "cannot prepare instance: {e:#}");
                return json_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "host_error",
                    "the host could not prepare the component",
                );
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
            Err(e) => {
                return json_error(
                    StatusCode::BAD_REQUEST,
                    "bad_request",
                    &format!("invalid request: {e}"),
                )
            }
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
                tracing::error!(component = %id, "component answered with an error: {code:?}");
                json_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "component_error",
                    &format!("component `{id}` failed"),
                )
            }
            Ok(Err(_)) => match task.await {
                Ok(Err(_)) => timeout_response(&id),
                Ok(Ok(Err(e))) if Instant::now() >= deadline => {
                    tracing::error!(component = %id, "component interrupted at its deadline: {e:#}");
                    timeout_response(&id)
                }
                Ok(Ok(Err(e)))
                    if e.downcast_ref::<wasmtime::PoolConcurrencyLimitError>()
                        .is_some() =>
                {
                    tracing::warn!(component = %id, "no instance slot free: {e}");
                    json_error(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "overloaded",
                        "the host is at its instance limit; retry shortly",
                    )
                }
                Ok(Ok(Err(e))) => {
                    tracing::error!(component = %id, "component trapped: {e:?}");
                    json_error(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "component_trap",
                        &format!("component `{id}` crashed while handling the request"),
                    )
                }
                Ok(Ok(Ok(()))) => {
                    tracing::error!(component = %id, "component returned without a response");
                    json_error(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "no_response",
                        &format!("component `{id}` sent no response"),
                    )
                }
                Err(e) => {
                    tracing::error!(component = %id, "instance task failed: {e}");
                    json_error(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "host_error",
                        "the host failed to run the component",
                    )
                }
            },
            Err(_) => {
                task.abort();
                timeout_response(&id)
            }
        }
    }

    fn new_store(
        &self,
        component: &LoadedComponent,
        depth: u32,
        deadline: Instant,
    ) -> Result<Store<RequestState>> {
        let config = &component.config;
        let mut wasi = WasiCtxBuilder::new();
        wasi.stdout(config.stdout.clone())
            .stderr(config.stderr.clone())
            .envs(&config.environment);
        for (host, guest) in &config.mounts {
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
            hooks: Hooks {
                app: self.this.clone(),
                component: config.id.clone(),
                allowed: config.allowed_hosts.clone(),
                depth,
            },
            app: self.this.upgrade().context("the app is shutting down")?,
            component: config.clone(),
            open_stores: 0,
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

fn load_wasm(
    engine: &Engine,
    id: &str,
    wasm: &Path,
    cache: Option<&Path>,
) -> Result<wasmtime::component::Component> {
    if !wasm.exists() {
        bail!(
            "component `{id}`: {} does not exist; build the components first with `host build` (or `host up --build`)",
            wasm.display()
        );
    }
    engine::load_component(engine, wasm, cache).with_context(|| format!("component `{id}`"))
}

/// At most a quarter of the instance slots, so that every admitted request can chain.
fn admission_limit(options: &AppOptions) -> usize {
    let slots = (options.engine.max_instances / 4).max(1) as usize;
    let per_core = std::thread::available_parallelism().map_or(8, |n| n.get() * 8);
    options
        .max_concurrent_requests
        .unwrap_or(per_core)
        .clamp(1, slots)
}

fn timeout_response(id: &str) -> Response<Body> {
    tracing::warn!(component = %id, "request exceeded its deadline");
    json_error(
        StatusCode::GATEWAY_TIMEOUT,
        "timeout",
        &format!("component `{id}` did not answer in time"),
    )
}

fn ms(since: Instant) -> f64 {
    (since.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0
}

fn path_and_query<B>(req: &Request<B>) -> String {
    req.uri()
        .path_and_query()
        .map(|pq| pq.as_str().to_string())
        .unwrap_or_else(|| "/".into())
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

fn log_file(dir: &Path, id: &str, stream: &str) -> Result<OutputFile> {
    let path = dir.join(format!("{id}_{stream}.txt"));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    Ok(OutputFile::new(file))
}

/// `files` entries: a `{ source, destination }` directory is mounted as is; glob patterns are
/// copied (keeping their relative paths) into a staging folder mounted at `/`, as Spin does.
fn prepare_mounts(
    manifest: &LoadedManifest,
    id: &str,
    files: &[FileMount],
    state_dir: &Path,
) -> Result<Vec<(PathBuf, String)>> {
    let mut mounts = Vec::new();
    let mut patterns = Vec::new();
    for f in files {
        match f {
            FileMount::Mapped {
                source,
                destination,
            } => {
                let dir = manifest.resolve(source);
                if !dir.is_dir() {
                    bail!("field `component.{id}.files`: `{source}` is not a directory");
                }
                mounts.push((dir, destination.clone()));
            }
            FileMount::Pattern(p) => patterns.push(p),
        }
    }
    if !patterns.is_empty() {
        let staging = state_dir.join("files").join(id);
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir_all(&staging)?;
        for pattern in patterns {
            let full = manifest.dir.join(pattern);
            let matches = glob::glob(&full.to_string_lossy()).with_context(|| {
                format!("field `component.{id}.files`: invalid pattern `{pattern}`")
            })?;
            for entry in matches.flatten().filter(|p| p.is_file()) {
                let relative = entry.strip_prefix(&manifest.dir).unwrap_or(&entry);
                let target = staging.join(relative);
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::copy(&entry, &target)
                    .with_context(|| format!("cannot stage {}", entry.display()))?;
            }
        }
        mounts.push((staging, "/".to_string()));
    }
    Ok(mounts)
}
