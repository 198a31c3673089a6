//! One wasmtime engine for the whole app, and compiled components cached on disk: compiling
//! with Cranelift costs ~0.4 s per component, loading a cached artifact a few milliseconds.
//! The cache key covers the wasm bytes and the engine settings, so a stale artifact is never used.

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use wasmtime::component::Component;
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

/// How often the epoch advances; deadlines and fair yielding are measured in these ticks.
pub const EPOCH_TICK: Duration = Duration::from_millis(10);

#[derive(Debug, Clone)]
pub struct EngineSettings {
    /// Linear-memory cap per instance, in bytes.
    pub max_memory: usize,
    /// Pre-reserve instance slots (fast instantiation) rather than allocate on demand.
    pub pooling: bool,
    /// Component instances alive at once under pooling. A request holds one per component
    /// it runs, so a chained request (webapp → motus → auth) holds three.
    pub max_instances: u32,
}

impl Default for EngineSettings {
    fn default() -> Self {
        Self {
            max_memory: 256 << 20,
            pooling: true,
            max_instances: 1000,
        }
    }
}

pub fn new_engine(settings: &EngineSettings) -> Result<Engine> {
    let mut config = Config::new();
    config.wasm_component_model(true).epoch_interruption(true);
    if settings.pooling {
        let mut pool = PoolingAllocationConfig::default();
        pool.total_component_instances(settings.max_instances)
            // A component built by wit-component holds a few core instances and tables (its
            // module plus shims) and usually one memory.
            .total_core_instances(settings.max_instances * 5)
            .total_memories(settings.max_instances * 2)
            .total_tables(settings.max_instances * 4)
            .max_memory_size(settings.max_memory)
            // Resetting a slot with madvise costs a TLB shoot-down on every core per request;
            // rewriting the few pages a request dirtied (found with PAGEMAP_SCAN where the kernel
            // has it) and batching the remaining decommits is cheaper: +20-60 % req/s in
            // docs/benchmarks.md. Batches stay small because a queued slot keeps its memory
            // (a login's 12 MiB Argon2 buffer): 16 grew the login peak to 350 MiB, 4 to 260.
            .linear_memory_keep_resident(1 << 20)
            .table_keep_resident(64 << 10)
            .pagemap_scan(wasmtime::Enabled::Auto)
            .decommit_batch_size(4);
        config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        match Engine::new(&config) {
            Ok(engine) => return Ok(engine),
            Err(e) => {
                tracing::warn!(
                    "pooling allocator unavailable ({e}); allocating instances on demand"
                );
                config.allocation_strategy(InstanceAllocationStrategy::OnDemand);
            }
        }
    }
    Engine::new(&config).map_err(anyhow::Error::from)
}

/// Advances the engine's epoch every [`EPOCH_TICK`] until dropped.
pub struct EpochTicker(Arc<AtomicBool>);

impl EpochTicker {
    pub fn start(engine: &Engine) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let (engine, flag) = (engine.clone(), stop.clone());
        std::thread::Builder::new()
            .name("epoch-ticker".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    std::thread::sleep(EPOCH_TICK);
                    engine.increment_epoch();
                }
            })
            .expect("spawn epoch thread");
        Self(stop)
    }
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Loads `wasm`, from the compiled cache in `cache_dir` when it holds a matching artifact.
pub fn load_component(engine: &Engine, wasm: &Path, cache_dir: Option<&Path>) -> Result<Component> {
    let bytes = std::fs::read(wasm).with_context(|| format!("cannot read {}", wasm.display()))?;
    let Some(cache_dir) = cache_dir else {
        return compile(engine, &bytes, wasm);
    };
    let artifact = cache_dir.join(format!("{}.cwasm", cache_key(engine, &bytes)));
    if artifact.exists() {
        // SAFETY: the artifact was written by `Component::serialize` of this same engine
        // configuration (the key includes it) into a directory only this host writes.
        match unsafe { Component::deserialize_file(engine, &artifact) } {
            Ok(component) => return Ok(component),
            Err(e) => tracing::warn!(
                "ignoring unusable cached artifact {}: {e}",
                artifact.display()
            ),
        }
    }
    let component = compile(engine, &bytes, wasm)?;
    if let Err(e) = store_artifact(&component, &artifact) {
        tracing::warn!(
            "cannot cache compiled component at {}: {e:#}",
            artifact.display()
        );
    }
    Ok(component)
}

fn compile(engine: &Engine, bytes: &[u8], wasm: &Path) -> Result<Component> {
    let started = std::time::Instant::now();
    let component = Component::new(engine, bytes)
        .map_err(anyhow::Error::from)
        .with_context(|| format!("{} is not a valid WebAssembly component", wasm.display()))?;
    tracing::debug!(wasm = %wasm.display(), ms = started.elapsed().as_millis() as u64, "compiled");
    Ok(component)
}

fn store_artifact(component: &Component, artifact: &Path) -> Result<()> {
    let dir = artifact.parent().context("cache path has no parent")?;
    std::fs::create_dir_all(dir)?;
    // Write then rename, so a concurrent reader never sees half an artifact.
    let tmp = dir.join(format!(
        ".tmp-{}-{}",
        std::process::id(),
        artifact.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, component.serialize()?)?;
    std::fs::rename(&tmp, artifact)?;
    Ok(())
}

fn cache_key(engine: &Engine, bytes: &[u8]) -> String {
    let mut engine_hash = std::collections::hash_map::DefaultHasher::new();
    engine
        .precompile_compatibility_hash()
        .hash(&mut engine_hash);
    format!(
        "{}-{:016x}",
        hex::encode(&Sha256::digest(bytes)[..16]),
        engine_hash.finish()
    )
}

/// `$XDG_CACHE_HOME/motus-host` or `~/.cache/motus-host`.
pub fn default_cache_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .map(|d| d.join("motus-host"))
}
