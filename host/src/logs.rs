//! Where the host's logs go: one line per request on stderr once its answer is complete, ending
//! with the id of the outside request it served (docs/logging.md), and each component's
//! stdout/stderr appended to `<logs>/<id>_stdout.txt` and `<id>_stderr.txt`.

use crate::request_id::RequestId;
use anyhow::{Context, Result};
use http::Method;
use std::path::Path;
use std::time::Instant;
use wasmtime_wasi::cli::OutputFile;

/// A request a component answered, from outside.
pub(crate) fn request(
    component: &str,
    method: &Method,
    path: &str,
    status: u16,
    started: Instant,
    id: &RequestId,
) {
    tracing::info!(component = %component, %method, %path, status, ms = ms(started), request_id = %id, "request");
}

/// A request a component answered for a sibling, `depth` calls down a chain; `id` is the
/// outside request's that the chain serves.
pub(crate) fn chained_request(
    component: &str,
    method: &Method,
    path: &str,
    status: u16,
    started: Instant,
    depth: u32,
    id: &RequestId,
) {
    tracing::info!(component = %component, %method, %path, status, ms = ms(started), chained = depth, request_id = %id, "request");
}

/// A request the host answered itself, before any component ran.
pub(crate) fn refused_request(
    method: &Method,
    path: &str,
    status: u16,
    started: Instant,
    id: &RequestId,
) {
    tracing::info!(component = "-", %method, %path, status, ms = ms(started), request_id = %id, "request");
}

/// A request head that was never read whole: no method or path to show.
pub(crate) fn refused_head(status: u16, code: &str, id: &RequestId) {
    tracing::info!(
        component = "-",
        method = "-",
        path = "-",
        status,
        code,
        request_id = %id,
        "request"
    );
}

/// How long a request has taken, in milliseconds to two decimals.
fn ms(since: Instant) -> f64 {
    (since.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0
}

/// Where a component's `stream` (`stdout` or `stderr`) goes: appended to its file in `dir`.
pub(crate) fn component_output(dir: &Path, id: &str, stream: &str) -> Result<OutputFile> {
    let path = dir.join(format!("{id}_{stream}.txt"));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    Ok(OutputFile::new(file))
}
