//! A component's `files`: a `{ source, destination }` directory is mounted as is; glob patterns
//! are copied (keeping their paths relative to the manifest) into a staging folder mounted at
//! `/`, as Spin does. Every mount is read-only.

use crate::manifest::{FileMount, LoadedManifest};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// Host directory → guest path for each of component `id`'s `files` entries; glob patterns are
/// staged under `<state_dir>/files/<id>`, emptied first.
pub(crate) fn prepare(
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
