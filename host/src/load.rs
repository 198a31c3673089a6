//! Loading an application's components: each wasm compiled (or read from the cache), linked
//! against what this host provides, and given at start-up what its instances will need: their
//! variables and stores, allowed hosts, environment, files and stdio log files.

use crate::engine;
use crate::manifest::{Component as ComponentDecl, LoadedManifest};
use crate::outbound::AllowedHosts;
use crate::state::{Grants, RequestState};
use crate::variables::Resolver;
use crate::{logs, mounts};
use anyhow::{bail, Context, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use wasmtime::component::{Component, Linker};
use wasmtime::Engine;
use wasmtime_wasi::cli::OutputFile;
use wasmtime_wasi_http::p2::bindings::ProxyPre;

/// A component ready to run: pre-linked, with what each of its instances is given.
pub(crate) struct LoadedComponent {
    pub pre: ProxyPre<RequestState>,
    pub grants: Arc<Grants>,
    pub allowed_hosts: Arc<AllowedHosts>,
    pub environment: Vec<(String, String)>,
    /// Host directory → guest path, mounted read-only.
    pub mounts: Vec<(PathBuf, String)>,
    pub stdout: OutputFile,
    pub stderr: OutputFile,
}

/// Where a component's files come from and go.
pub(crate) struct Dirs<'a> {
    /// Compiled components, if cached at all.
    pub cache: Option<&'a Path>,
    /// Staged `files` go under it.
    pub state: &'a Path,
    /// Component stdout/stderr files.
    pub logs: &'a Path,
}

/// Every component of `manifest`, by id; an error names the component and what is wrong.
pub(crate) fn components(
    engine: &Engine,
    manifest: &LoadedManifest,
    resolver: &Resolver,
    dirs: &Dirs,
) -> Result<HashMap<String, LoadedComponent>> {
    let mut linker = Linker::<RequestState>::new(engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
    crate::bindings::add_to_linker(&mut linker)?;
    compile_all(engine, manifest, dirs.cache)
        .into_iter()
        .map(|(id, compiled)| {
            let decl = &manifest.manifest.component[&id];
            let component = prepare(&linker, &id, &compiled?, decl, manifest, resolver, dirs)?;
            Ok((id, component))
        })
        .collect()
}

/// Compiling is the slow part of start-up (when the cache is cold): done in parallel.
fn compile_all(
    engine: &Engine,
    manifest: &LoadedManifest,
    cache: Option<&Path>,
) -> Vec<(String, Result<Component>)> {
    std::thread::scope(|scope| {
        let jobs: Vec<_> = manifest
            .manifest
            .component
            .iter()
            .map(|(id, c)| {
                let wasm = manifest.resolve(&c.source);
                (
                    id.clone(),
                    scope.spawn(move || compile(engine, id, &wasm, cache)),
                )
            })
            .collect();
        jobs.into_iter()
            .map(|(id, job)| (id, job.join().expect("compile thread panicked")))
            .collect()
    })
}

fn compile(engine: &Engine, id: &str, wasm: &Path, cache: Option<&Path>) -> Result<Component> {
    if !wasm.exists() {
        bail!(
            "component `{id}`: {} does not exist; build the components first with `host build` (or `host up --build`)",
            wasm.display()
        );
    }
    engine::load_component(engine, wasm, cache).with_context(|| format!("component `{id}`"))
}

fn prepare(
    linker: &Linker<RequestState>,
    id: &str,
    compiled: &Component,
    decl: &ComponentDecl,
    manifest: &LoadedManifest,
    resolver: &Resolver,
    dirs: &Dirs,
) -> Result<LoadedComponent> {
    let pre = linker
        .instantiate_pre(compiled)
        .map_err(anyhow::Error::from)
        .with_context(|| {
            format!("component `{id}` imports something this host does not provide")
        })?;
    let pre = ProxyPre::new(pre)
        .map_err(anyhow::Error::from)
        .with_context(|| format!("component `{id}` does not export wasi:http/incoming-handler"))?;
    let allowed = decl
        .allowed_outbound_hosts
        .iter()
        .map(|h| resolver.render(h))
        .collect::<Result<Vec<_>>>()
        .and_then(|hosts| AllowedHosts::parse(&hosts))
        .with_context(|| format!("field `component.{id}.allowed_outbound_hosts`"))?;
    Ok(LoadedComponent {
        pre,
        grants: Arc::new(Grants {
            key_value_stores: decl.key_value_stores.clone(),
            variables: resolver.render_component(id, &decl.variables)?,
        }),
        allowed_hosts: Arc::new(allowed),
        environment: decl
            .environment
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        mounts: mounts::prepare(manifest, id, &decl.files, dirs.state)?,
        stdout: logs::component_output(dirs.logs, id, "stdout")?,
        stderr: logs::component_output(dirs.logs, id, "stderr")?,
    })
}
