//! The run's figures against the targets, as JSON (for tools) and Markdown (for docs).

use crate::wrk::Load;
use serde::Serialize;

#[derive(Serialize)]
pub struct Measure {
    pub name: String,
    #[serde(flatten)]
    pub load: Load,
    pub rss_idle_mib: Option<u64>,
    pub rss_peak_mib: Option<u64>,
    /// Host CPU time per request (user + system): less sensitive than latency to whatever
    /// else the machine runs.
    pub host_cpu_ms_per_request: Option<f64>,
}

/// What a scenario must reach at 32 connections on the reference 2-core machine.
#[derive(Serialize, Default, Clone, Copy)]
pub struct Target {
    pub min_requests_per_sec: Option<f64>,
    pub max_p99_ms: Option<f64>,
}

pub const MAX_IDLE_RSS_MIB: u64 = 100;
pub const MAX_LOAD_RSS_MIB: u64 = 300;

#[derive(Serialize)]
pub struct Row {
    #[serde(flatten)]
    pub measure: Measure,
    pub target: Target,
    pub met: bool,
    pub misses: Vec<String>,
}

impl Row {
    pub fn judge(measure: Measure, target: Target) -> Row {
        let mut misses = Vec::new();
        let load = &measure.load;
        if let Some(min) = target
            .min_requests_per_sec
            .filter(|m| load.requests_per_sec < *m)
        {
            misses.push(format!("{:.0} req/s < {min:.0}", load.requests_per_sec));
        }
        if let Some(max) = target.max_p99_ms.filter(|m| load.p99_ms > *m) {
            misses.push(format!("p99 {:.1} ms > {max:.0} ms", load.p99_ms));
        }
        if load.errors > 0 {
            misses.push(format!("{} errors", load.errors));
        }
        if let Some(idle) = measure.rss_idle_mib.filter(|r| *r > MAX_IDLE_RSS_MIB) {
            misses.push(format!("idle RSS {idle} MiB > {MAX_IDLE_RSS_MIB}"));
        }
        if let Some(peak) = measure.rss_peak_mib.filter(|r| *r > MAX_LOAD_RSS_MIB) {
            misses.push(format!("peak RSS {peak} MiB > {MAX_LOAD_RSS_MIB}"));
        }
        Row {
            met: misses.is_empty(),
            measure,
            target,
            misses,
        }
    }
}

#[derive(Serialize)]
pub struct ColdStart {
    pub uncached_ms: f64,
    pub cached_ms: f64,
}

#[derive(Serialize)]
pub struct Report {
    pub date: String,
    pub machine: String,
    pub connections: u32,
    pub seconds: u64,
    pub load_generator: String,
    pub native_hello: Option<Load>,
    pub cold_start: Option<ColdStart>,
    pub scenarios: Vec<Row>,
}

impl Report {
    pub fn markdown(&self, command: &str) -> String {
        let mut out = format!(
            "Measured {} on {}, {} connections for {} s per scenario, load from {}, by `{command}` (what `scripts/bench` runs).\n\n",
            self.date, self.machine, self.connections, self.seconds, self.load_generator
        );
        out += "| scenario | req/s | p50 | p99 | errors | host CPU / req | host RSS idle → peak | target | met |\n\
                |---|---|---|---|---|---|---|---|---|\n";
        for row in &self.scenarios {
            let m = &row.measure;
            let rss = |r: Option<u64>| r.map_or("n/a".into(), |r| format!("{r} MiB"));
            let mut target = Vec::new();
            if let Some(min) = row.target.min_requests_per_sec {
                target.push(format!("≥ {min:.0} req/s"));
            }
            if let Some(max) = row.target.max_p99_ms {
                target.push(format!("p99 ≤ {max:.0} ms"));
            }
            target.push("0 errors".into());
            let met = if row.met {
                "yes".to_string()
            } else {
                format!("**no**: {}", row.misses.join(", "))
            };
            out += &format!(
                "| {} | {:.0} | {:.2} ms | {:.2} ms | {} | {} | {} → {} | {} | {met} |\n",
                m.name,
                m.load.requests_per_sec,
                m.load.p50_ms,
                m.load.p99_ms,
                m.load.errors,
                m.host_cpu_ms_per_request
                    .map_or("n/a".into(), |c| format!("{c:.2} ms")),
                rss(m.rss_idle_mib),
                rss(m.rss_peak_mib),
                target.join(", "),
            );
        }
        out += &format!(
            "\nMemory targets for every scenario: idle ≤ {MAX_IDLE_RSS_MIB} MiB, under load ≤ {MAX_LOAD_RSS_MIB} MiB \
             (peak = the host process's high-water mark, VmHWM). Each scenario runs on a fresh host.\n"
        );
        if let Some(native) = &self.native_hello {
            let hello = self
                .scenarios
                .iter()
                .find(|r| r.measure.name.starts_with("hello"));
            out += &format!(
                "\nFor scale, a native hyper \"hello\" server under the same load: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms{}.\n",
                native.requests_per_sec,
                native.p50_ms,
                native.p99_ms,
                hello.map_or(String::new(), |h| format!(
                    " (the host's hello reaches {:.2}× of it)",
                    h.measure.load.requests_per_sec / native.requests_per_sec
                )),
            );
        }
        if let Some(cold) = &self.cold_start {
            out += &format!(
                "Cold start (process start → first 200): {:.0} ms without the compiled-component cache, {:.0} ms with it.\n",
                cold.uncached_ms, cold.cached_ms
            );
        }
        out
    }
}
