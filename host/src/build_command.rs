//! `host build`: runs each component's `[component.X.build] command`, as `spin build` does.

use crate::manifest::LoadedManifest;
use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::Command;

/// Builds the named components (all when `only` is empty), in manifest order.
pub fn build(manifest_path: &Path, only: &[String]) -> Result<()> {
    let loaded = LoadedManifest::load(manifest_path)?;
    for name in only {
        if !loaded.manifest.component.contains_key(name) {
            bail!("no component `{name}` in {}", manifest_path.display());
        }
    }
    for (id, component) in &loaded.manifest.component {
        if !only.is_empty() && !only.contains(id) {
            continue;
        }
        let Some(build) = &component.build else {
            println!("Component `{id}` has no build command; skipping.");
            continue;
        };
        let workdir = build
            .workdir
            .as_deref()
            .map_or(loaded.dir.clone(), |w| loaded.resolve(w));
        println!("Building component {id} with `{}`", build.command);
        let status = Command::new("sh")
            .arg("-c")
            .arg(&build.command)
            .current_dir(&workdir)
            .status()
            .with_context(|| format!("cannot run the build command of component `{id}`"))?;
        if !status.success() {
            bail!("build of component `{id}` failed ({status})");
        }
    }
    println!("Finished building all Spin components");
    Ok(())
}
