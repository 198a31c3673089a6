//! CPU samples of the host (`perf record -e cpu-clock`, which works where hardware counters do
//! not, as in most VMs), summed by what the code is: the components' own compiled code, wasmtime
//! (instances, component-model calls, WASI), SQLite, the allocator, the HTTP server, the kernel.

use anyhow::{Context, Result};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Samples `pid` for `seconds` into `out`, in the background.
pub fn start(pid: u32, out: &Path, seconds: u64) -> Option<Child> {
    Command::new("perf")
        .args([
            "record",
            "-q",
            "-e",
            "cpu-clock",
            "-F",
            "999",
            "-p",
            &pid.to_string(),
            "-o",
        ])
        .arg(out)
        .args(["--", "sleep", &seconds.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()
}

/// One line of `perf report --sort dso,sym`: library, symbol, percent of the samples.
#[derive(Debug, PartialEq)]
pub struct Sample {
    pub dso: String,
    pub symbol: String,
    pub percent: f64,
}

pub fn report(data: &Path) -> Result<Vec<Sample>> {
    let out = Command::new("perf")
        .args([
            "report",
            "--stdio",
            "--no-children",
            "--sort",
            "dso,sym",
            "-i",
        ])
        .arg(data)
        .output()
        .context("perf report")?;
    Ok(parse(&String::from_utf8_lossy(&out.stdout)))
}

/// Lines like `  41.20%  host  [.] wasmtime::…`; comments and blank lines skipped.
pub fn parse(text: &str) -> Vec<Sample> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| {
            let (pct, rest) = l.trim().split_once('%')?;
            let percent: f64 = pct.trim().parse().ok()?;
            let rest = rest.trim();
            let (dso, symbol) = match rest.find("[.]").or_else(|| rest.find("[k]")) {
                Some(at) => (rest[..at].trim(), rest[at + 3..].trim()),
                None => (rest, ""),
            };
            Some(Sample {
                dso: dso.to_owned(),
                symbol: symbol.to_owned(),
                percent,
            })
        })
        .collect()
}

/// What a sample's code is.
pub fn category(dso: &str, symbol: &str) -> &'static str {
    let s = symbol.trim_start_matches('_').trim_start_matches('<');
    if dso.ends_with(".cwasm") || dso.contains("jitted") {
        "the components' compiled code (guest: spin-sdk, JSON, the game rules, SHA-256)"
    } else if dso.contains("kernel") {
        "kernel (TCP on loopback, scheduling, page faults, madvise, fsync)"
    } else if s.starts_with("wasmtime") || s.starts_with("cranelift") || s.contains("wasmtime") {
        "wasmtime (instantiation, component-model calls, WASI, memory reset)"
    } else if s.contains("sqlite")
        || s.starts_with("pcache")
        || s.starts_with("btree")
        || s.starts_with("vdbe")
        || s.contains("rusqlite")
        || s.starts_with("pager")
        || s.starts_with("wal")
    {
        "SQLite (the key-value stores)"
    } else if s.starts_with("mi_")
        || s.contains("mimalloc")
        || s.starts_with("malloc")
        || s.starts_with("free")
    {
        "allocator"
    } else if s.starts_with("hyper")
        || s.starts_with("tokio")
        || s.starts_with("mio")
        || s.starts_with("http")
        || s.starts_with("bytes")
    {
        "HTTP server and async runtime (hyper, tokio)"
    } else if s.starts_with("tracing") {
        "logging (tracing)"
    } else if s.starts_with("core::") || s.starts_with("alloc::") || s.starts_with("std::") {
        "Rust standard library (formatting, collections, hashing)"
    } else if s.starts_with("host::") || s.contains("host::") {
        "the host's own code (routing, key-value glue, logs)"
    } else if dso.starts_with("libc")
        || s.starts_with("memmove")
        || s.starts_with("memset")
        || s.starts_with("memcpy")
    {
        "libc (memcpy, memset, syscalls)"
    } else {
        "other"
    }
}

/// The samples' percent by category, largest first.
pub fn by_category(samples: &[Sample]) -> Vec<(String, f64)> {
    let mut sums: Vec<(String, f64)> = Vec::new();
    for s in samples {
        let c = category(&s.dso, &s.symbol);
        match sums.iter_mut().find(|(name, _)| name == c) {
            Some((_, pct)) => *pct += s.percent,
            None => sums.push((c.to_owned(), s.percent)),
        }
    }
    sums.sort_by(|a, b| b.1.total_cmp(&a.1));
    sums
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "# Samples: 10K\n#\n     4.20%  host  [.] wasmtime::runtime::component::instance::Instance::new\n\
        3.00%  [kernel.kallsyms]  [k] _raw_spin_unlock_irqrestore\n     2.50%  be21-9251.cwasm  [.] 0x0000000000012345\n\
        1.50%  host  [.] sqlite3VdbeExec\n     1.00%  host  [.] pcache1Fetch\n     0.50%  host  [.] _mi_page_malloc_zero\n\n";

    #[test]
    fn reads_library_symbol_and_percent() {
        let samples = parse(REPORT);
        assert_eq!(samples.len(), 6);
        assert_eq!(
            samples[0],
            Sample {
                dso: "host".into(),
                symbol: "wasmtime::runtime::component::instance::Instance::new".into(),
                percent: 4.2
            }
        );
        assert_eq!(samples[1].dso, "[kernel.kallsyms]");
    }

    #[test]
    fn sums_samples_by_what_the_code_is() {
        let sums = by_category(&parse(REPORT));
        let pct = |prefix: &str| {
            sums.iter()
                .find(|(c, _)| c.starts_with(prefix))
                .map(|(_, p)| *p)
        };
        assert_eq!(pct("wasmtime"), Some(4.2));
        assert_eq!(pct("SQLite"), Some(2.5));
        assert_eq!(pct("the components'"), Some(2.5));
        assert_eq!(pct("allocator"), Some(0.5));
        assert_eq!(sums[0].0.split(' ').next(), Some("wasmtime"));
    }
}
