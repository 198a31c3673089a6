//! A loaded application: the manifest resolved into its router, its components (see
//! [`crate::load`]) and stores, and the two ways a request reaches a component: from outside,
//! routed by path and admitted in turn, or from a sibling by id. What happens next is
//! [`crate::request`].

use crate::authority::BadAuthority;
use crate::engine::{self, EngineSettings, EpochTicker};
use crate::key_value::StoreManager;
use crate::load::{self, LoadedComponent};
use crate::manifest::LoadedManifest;
use crate::outbound::Components;
use crate::request::{Call, Instances};
use crate::request_id::RequestId;
use crate::router::Router;
use crate::runtime_config::RuntimeConfig;
use crate::variables::Resolver;
use crate::{json_error, logs, Body};
use anyhow::{Context, Result};
use http::{Request, Response};
use hyper_util::client::legacy::Client;
use spin_kit::errors::Code;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use wasmtime_wasi_http::WasiBody;

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

pub struct App {
    pub name: String,
    pub router: Router,
    pub runtime_config_source: Option<PathBuf>,
    pub logs_dir: PathBuf,
    components: HashMap<String, LoadedComponent>,
    instances: Instances,
    /// Bounds concurrent outside requests: their chained calls must still find free instance
    /// slots, and on a few cores more requests in flight only add memory (a login holds an
    /// Argon2 buffer while it waits for the CPU) and tail latency. Requests beyond it queue.
    admission: tokio::sync::Semaphore,
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
        let logs_dir = options.state_dir.join("logs");
        std::fs::create_dir_all(&logs_dir)
            .with_context(|| format!("cannot create {}", logs_dir.display()))?;
        let dirs = load::Dirs {
            cache: options.cache_dir.as_deref(),
            state: &options.state_dir,
            logs: &logs_dir,
        };
        let components = load::components(&engine, &loaded, &resolver, &dirs)?;
        let router = Router::from_manifest(manifest)
            .with_context(|| format!("manifest {}", loaded.path.display()))?;

        let ticker = EpochTicker::start(&engine);
        Ok(Arc::new_cyclic(|this: &Weak<App>| App {
            name: manifest.application.name.clone(),
            router,
            runtime_config_source: runtime.source,
            logs_dir,
            components,
            instances: Instances {
                engine,
                max_memory: options.engine.max_memory,
                request_timeout: options.request_timeout,
                stores: Arc::new(stores),
                client: Client::builder(hyper_util::rt::TokioExecutor::new()).build_http(),
                components: this.clone() as Weak<dyn Components>,
            },
            admission: tokio::sync::Semaphore::new(admission_limit(options)),
            _ticker: ticker,
        }))
    }

    /// The key-value stores, opened once and shared by every request.
    pub fn stores(&self) -> &StoreManager {
        &self.instances.stores
    }

    pub fn has_component(&self, id: &str) -> bool {
        self.components.contains_key(id)
    }

    /// A request from outside: routed by path; private components are unreachable.
    pub async fn handle_external(
        &self,
        req: Request<WasiBody>,
        client: std::net::SocketAddr,
    ) -> Response<Body> {
        let started = Instant::now();
        let (method, path) = (req.method().clone(), req.uri().path().to_string());
        // Given at the edge (crate::connection); a caller that skipped it gets one here.
        let id = match req.extensions().get::<RequestId>() {
            Some(id) => id.clone(),
            None => RequestId::at_edge(req.headers()),
        };
        // The router, the log line and the component all see this one path.
        let full_url = match crate::authority::component_uri(&req) {
            Ok(uri) => uri.to_string(),
            Err(BadAuthority(why)) => {
                logs::refused_request(&method, &path, 400, started, &id);
                return json_error(Code::InvalidHost, why);
            }
        };
        let Some(route) = self.router.route(&path) else {
            logs::refused_request(&method, &path, 404, started, &id);
            return json_error(Code::NotFound, &format!("no route matches {path}"));
        };
        let _permit = self.admission.acquire().await;
        let call = Call {
            route: &route,
            full_url: &full_url,
            client: &client.to_string(),
            depth: 0,
            request_id: &id,
        };
        let response = self.run(call, req).await;
        let status = response.status().as_u16();
        logs::request(&route.component, &method, &path, status, started, &id);
        response
    }

    /// A request from a sibling to `http://<target>.spin.internal/...`, made while serving the
    /// outside request `id`.
    pub async fn handle_chained(
        &self,
        target: &str,
        req: Request<WasiBody>,
        depth: u32,
        id: &RequestId,
    ) -> Response<Body> {
        let started = Instant::now();
        let (method, path) = (req.method().clone(), req.uri().path().to_string());
        let route = self.router.route_to_component(target, &path);
        let full_url = format!("http://localhost{}", path_and_query(&req));
        let call = Call {
            route: &route,
            full_url: &full_url,
            client: "0.0.0.0:0",
            depth,
            request_id: id,
        };
        let response = self.run(call, req).await;
        let status = response.status().as_u16();
        logs::chained_request(target, &method, &path, status, started, depth, id);
        response
    }

    async fn run(&self, call: Call<'_>, req: Request<WasiBody>) -> Response<Body> {
        let component = &self.components[&call.route.component];
        self.instances.run(component, call, req).await
    }
}

#[async_trait::async_trait]
impl Components for App {
    fn contains(&self, id: &str) -> bool {
        self.has_component(id)
    }

    async fn dispatch(
        &self,
        id: &str,
        request: Request<WasiBody>,
        depth: u32,
        request_id: &RequestId,
    ) -> Response<Body> {
        self.handle_chained(id, request, depth, request_id).await
    }
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

fn path_and_query<B>(req: &Request<B>) -> String {
    req.uri()
        .path_and_query()
        .map(|pq| pq.as_str().to_string())
        .unwrap_or_else(|| "/".into())
}
