//! The run's figures side by side (our host, real Spin, the Flask seed), the ratios between them
//! and the targets of issue 14, as JSON (for tools) and Markdown (for docs).

use crate::wrk::Load;
use serde::Serialize;

/// One scenario on one system.
#[derive(Serialize, Clone, Debug)]
pub struct Measure {
    pub scenario: String,
    /// `host`, `spin` or `flask`.
    pub system: String,
    /// What authenticated the load: which field of auth's answer gave the bearer, or which
    /// cookies the webapp set.
    pub credential: Option<String>,
    #[serde(flatten)]
    pub load: Load,
    pub rss_idle_mib: Option<u64>,
    pub rss_peak_mib: Option<u64>,
    /// CPU time of the system's processes per request (user + system): less sensitive than
    /// latency to whatever else the machine runs.
    pub cpu_ms_per_request: Option<f64>,
    /// The same, for each server of the system in the order they were measured.
    #[serde(skip)]
    pub cpu_each: Vec<Option<f64>>,
}

/// What our host must reach on a scenario (2 cores, wrk on the same machine).
#[derive(Serialize, Default, Clone, Copy, Debug)]
pub struct Target {
    pub min_requests_per_sec: Option<f64>,
    pub max_p99_ms: Option<f64>,
    /// At least this many times the Flask baseline's req/s.
    pub min_times_baseline: Option<f64>,
}

pub struct Scenario {
    pub key: &'static str,
    pub title: &'static str,
    /// The Flask seed's scenario it is compared with.
    pub baseline: Option<&'static str>,
    pub target: Target,
}

const fn target(rps: Option<f64>, p99: Option<f64>, times: Option<f64>) -> Target {
    Target {
        min_requests_per_sec: rps,
        max_p99_ms: p99,
        min_times_baseline: times,
    }
}

pub const FLASK_GUESS: &str = "flask_guess";
pub const FLASK_FORWARD: &str = "flask_forward";

/// Every scenario, in the order of the tables. The app's run on our host and on real Spin; the
/// `flask_*` ones on the seed.
pub const SCENARIOS: [Scenario; 11] = [
    Scenario {
        key: "create",
        title: "new game, bearer, persisted (POST /motus/games)",
        baseline: Some(FLASK_GUESS),
        target: target(None, Some(10.0), Some(2.0)),
    },
    Scenario {
        key: "guess",
        title: "authenticated guess, persisted (POST /motus/games/{id}/guesses)",
        baseline: Some(FLASK_GUESS),
        target: target(None, Some(10.0), Some(2.0)),
    },
    Scenario {
        key: "web_create",
        title: "webapp: new game (POST /api/games, cookie)",
        baseline: Some(FLASK_FORWARD),
        target: target(None, Some(15.0), Some(5.0)),
    },
    Scenario {
        key: "web_guess",
        title: "webapp: guess (POST /api/games/{id}/guesses, cookie)",
        baseline: Some(FLASK_FORWARD),
        target: target(None, Some(15.0), Some(5.0)),
    },
    Scenario {
        key: "me",
        title: "webapp: GET /api/me (cookie)",
        baseline: Some(FLASK_FORWARD),
        target: target(Some(5000.0), Some(15.0), None),
    },
    Scenario {
        key: "login",
        title: "login (POST /auth/login, Argon2id, 32 accounts)",
        baseline: None,
        target: target(Some(20.0), None, None),
    },
    Scenario {
        key: "flow",
        title: "full game flow (new game + 6 guesses + record)",
        baseline: Some(FLASK_GUESS),
        target: target(None, None, None),
    },
    Scenario {
        key: "leaderboard",
        title: "leaderboard read (GET /score/leaderboard?period=all)",
        baseline: None,
        target: target(Some(4000.0), None, None),
    },
    Scenario {
        key: "hello",
        title: "hello component (GET /hello, no store)",
        baseline: None,
        target: target(None, None, None),
    },
    Scenario {
        key: FLASK_GUESS,
        title: "Flask seed: guess (POST /motus/guess, no auth, in memory)",
        baseline: None,
        target: target(None, None, None),
    },
    Scenario {
        key: FLASK_FORWARD,
        title: "Flask seed: webapp forwards a guess to motus (POST /api/guess)",
        baseline: None,
        target: target(None, None, None),
    },
];

pub fn scenario(key: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.key == key)
}

pub const MAX_IDLE_RSS_MIB: u64 = 100;
pub const MAX_LOAD_RSS_MIB: u64 = 300;

/// Our host on one scenario against real Spin, the Flask baseline and the target.
#[derive(Serialize, Debug)]
pub struct Verdict {
    pub scenario: String,
    pub times_spin: Option<f64>,
    pub times_baseline: Option<f64>,
    pub baseline: Option<String>,
    pub target: Target,
    pub met: bool,
    pub misses: Vec<String>,
}

/// Judges our host's figures on `scenario` against the other systems' and the target.
pub fn judge(measures: &[Measure], scenario: &Scenario) -> Option<Verdict> {
    let find = |system: &str, key: &str| {
        measures
            .iter()
            .find(|m| m.system == system && m.scenario == key)
    };
    let ours = find("host", scenario.key)?;
    let rps = ours.load.requests_per_sec;
    // A system that served nothing in the run has no ratio (rather than an infinite one).
    let times = |other: &Measure| Some(rps / other.load.requests_per_sec).filter(|r| r.is_finite());
    let times_spin = find("spin", scenario.key).and_then(times);
    let base = scenario.baseline.and_then(|b| find("flask", b));
    let times_baseline = base.and_then(times);
    let t = scenario.target;
    let mut misses = Vec::new();
    if let Some(min) = t.min_requests_per_sec.filter(|m| rps < *m) {
        misses.push(format!("{rps:.0} req/s < {min:.0}"));
    }
    if let Some(max) = t.max_p99_ms.filter(|m| ours.load.p99_ms > *m) {
        misses.push(format!("p99 {:.1} ms > {max:.0} ms", ours.load.p99_ms));
    }
    if let (Some(min), Some(times)) = (t.min_times_baseline, times_baseline) {
        if times < min {
            misses.push(format!("{times:.2}× Flask < {min:.0}×"));
        }
    }
    if let Some(times) = times_spin.filter(|t| *t < 1.0) {
        misses.push(format!("{times:.2}× real Spin < 1×"));
    }
    if ours.load.errors > 0 {
        misses.push(format!("{} errors", ours.load.errors));
    }
    if let Some(idle) = ours.rss_idle_mib.filter(|r| *r > MAX_IDLE_RSS_MIB) {
        misses.push(format!("idle RSS {idle} MiB > {MAX_IDLE_RSS_MIB}"));
    }
    if let Some(peak) = ours.rss_peak_mib.filter(|r| *r > MAX_LOAD_RSS_MIB) {
        misses.push(format!("peak RSS {peak} MiB > {MAX_LOAD_RSS_MIB}"));
    }
    Some(Verdict {
        scenario: scenario.key.into(),
        times_spin,
        times_baseline,
        baseline: base.map(|b| b.scenario.clone()),
        target: t,
        met: misses.is_empty(),
        misses,
    })
}

#[derive(Serialize)]
pub struct ColdStart {
    pub uncached_ms: f64,
    pub cached_ms: f64,
}

#[derive(Serialize, Default)]
pub struct Report {
    pub date: String,
    pub machine: String,
    pub load_average_before: String,
    pub load_average_after: String,
    pub connections: u32,
    pub seconds: u64,
    pub load_generator: String,
    /// Real Spin's version, when it was measured.
    pub spin: Option<String>,
    /// Why a system was left out.
    pub skipped: Vec<String>,
    pub measures: Vec<Measure>,
    pub verdicts: Vec<Verdict>,
    pub native_hello: Option<Load>,
    pub cold_start: Option<ColdStart>,
}

fn system_name(system: &str) -> &str {
    match system {
        "host" => "ours",
        "spin" => "real Spin",
        "flask" => "Flask seed",
        other => other,
    }
}

fn ratio(r: Option<f64>) -> String {
    r.map_or("—".into(), |r| format!("{r:.2}×"))
}

fn mib(r: Option<u64>) -> String {
    r.map_or("n/a".into(), |r| format!("{r} MiB"))
}

impl Report {
    pub fn judge(&mut self) {
        self.verdicts = SCENARIOS
            .iter()
            .filter_map(|s| judge(&self.measures, s))
            .collect();
    }

    pub fn markdown(&self, command: &str) -> String {
        let mut out = format!(
            "Measured {} on {}; load average {} before the run, {} after. {} connections for {} s per \
             scenario and system, load from {}, by `{command}`.\n\n",
            self.date,
            self.machine,
            self.load_average_before,
            self.load_average_after,
            self.connections,
            self.seconds,
            self.load_generator
        );
        out += &format!(
            "Systems: **ours** = this repository's host; **real Spin** = {} on the same spin.toml, \
             components and kind of runtime config (SQLite); **Flask seed** = ../shared/anchors/flask-seed \
             under gunicorn, {} sync workers per service, in memory, no authentication.{}\n",
            self.spin.as_deref().unwrap_or("not measured"),
            crate::flask::WORKERS,
            self.skipped
                .iter()
                .map(|s| format!(" Left out: {s}."))
                .collect::<String>()
        );
        let mut credentials: Vec<&str> = self
            .measures
            .iter()
            .filter(|m| m.system == "host")
            .filter_map(|m| m.credential.as_deref())
            .collect();
        let mut seen = std::collections::HashSet::new();
        credentials.retain(|c| seen.insert(*c));
        if !credentials.is_empty() {
            out += &format!("Authenticated with: {}.\n", credentials.join("; "));
        }
        out += "\n| scenario | ours ÷ real Spin | ours ÷ Flask | target | met |\n|---|---|---|---|---|\n";
        for v in &self.verdicts {
            let s = scenario(&v.scenario).expect("known scenario");
            let mut target = Vec::new();
            if let Some(min) = v.target.min_requests_per_sec {
                target.push(format!("≥ {min:.0} req/s"));
            }
            if let Some(max) = v.target.max_p99_ms {
                target.push(format!("p99 ≤ {max:.0} ms"));
            }
            if let Some(times) = v.target.min_times_baseline {
                target.push(format!("≥ {times:.0}× Flask"));
            }
            target.push("≥ 1× Spin, 0 errors".into());
            let baseline = v.baseline.as_deref().map_or(String::new(), |b| {
                format!(
                    " ({})",
                    if b == FLASK_GUESS {
                        "guess"
                    } else {
                        "forwarding"
                    }
                )
            });
            let met = if v.met {
                "yes".to_string()
            } else {
                format!("**no**: {}", v.misses.join(", "))
            };
            out += &format!(
                "| {} | {} | {}{baseline} | {} | {met} |\n",
                s.title,
                ratio(v.times_spin),
                ratio(v.times_baseline),
                target.join(", ")
            );
        }
        out +=
            "\n| scenario | system | req/s | p50 | p99 | errors | CPU / req | RSS idle → peak |\n\
                |---|---|---|---|---|---|---|---|\n";
        for s in &SCENARIOS {
            for m in self.measures.iter().filter(|m| m.scenario == s.key) {
                out += &format!(
                    "| {} | {} | {:.0} | {:.2} ms | {:.2} ms | {} | {} | {} → {} |\n",
                    s.title,
                    system_name(&m.system),
                    m.load.requests_per_sec,
                    m.load.p50_ms,
                    m.load.p99_ms,
                    m.load.errors,
                    m.cpu_ms_per_request
                        .map_or("n/a".into(), |c| format!("{c:.2} ms")),
                    mib(m.rss_idle_mib),
                    mib(m.rss_peak_mib),
                );
            }
        }
        out += &format!(
            "\nCPU and memory are those of all the system's processes (Spin's trigger, gunicorn's workers). \
             Memory targets for ours: idle ≤ {MAX_IDLE_RSS_MIB} MiB, under load ≤ {MAX_LOAD_RSS_MIB} MiB \
             (peak = the processes' high-water marks, VmHWM). Each scenario runs on a fresh server.\n"
        );
        if let Some(native) = &self.native_hello {
            out += &format!(
                "\nFor scale, a native hyper \"hello\" server under the same load: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms.\n",
                native.requests_per_sec, native.p50_ms, native.p99_ms,
            );
        }
        if let Some(cold) = &self.cold_start {
            out += &format!(
                "Cold start of ours (process start → first 200): {:.0} ms without the compiled-component cache, {:.0} ms with it.\n",
                cold.uncached_ms, cold.cached_ms
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure(system: &str, scenario: &str, rps: f64, p99: f64) -> Measure {
        Measure {
            scenario: scenario.into(),
            system: system.into(),
            credential: None,
            load: Load {
                requests_per_sec: rps,
                p50_ms: p99 / 2.0,
                p99_ms: p99,
                errors: 0,
            },
            rss_idle_mib: Some(40),
            rss_peak_mib: Some(60),
            cpu_ms_per_request: Some(0.4),
            cpu_each: Vec::new(),
        }
    }

    #[test]
    fn ratios_divide_our_throughput_by_spin_and_the_flask_baseline() {
        let measures = [
            measure("host", "guess", 9000.0, 8.0),
            measure("spin", "guess", 3000.0, 20.0),
            measure("flask", FLASK_GUESS, 4000.0, 10.0),
        ];
        let v = judge(&measures, scenario("guess").unwrap()).unwrap();
        assert_eq!(v.times_spin, Some(3.0));
        assert_eq!(v.times_baseline, Some(2.25));
        assert!(v.met, "{:?}", v.misses);
    }

    #[test]
    fn a_scenario_slower_than_spin_or_short_of_the_flask_multiple_is_not_met() {
        let measures = [
            measure("host", "web_guess", 3000.0, 12.0),
            measure("spin", "web_guess", 3300.0, 11.0),
            measure("flask", FLASK_FORWARD, 900.0, 50.0),
        ];
        let v = judge(&measures, scenario("web_guess").unwrap()).unwrap();
        assert!(!v.met);
        assert!(
            v.misses.iter().any(|m| m.contains("× real Spin")),
            "{:?}",
            v.misses
        );
        assert!(
            v.misses.iter().any(|m| m.contains("× Flask < 5×")),
            "{:?}",
            v.misses
        );
    }

    #[test]
    fn a_missing_system_leaves_its_ratio_empty_rather_than_failing_the_scenario() {
        let measures = [measure("host", "login", 25.0, 1500.0)];
        let v = judge(&measures, scenario("login").unwrap()).unwrap();
        assert_eq!((v.times_spin, v.times_baseline), (None, None));
        assert!(v.met);
        assert!(judge(&measures, scenario("guess").unwrap()).is_none());
    }

    #[test]
    fn a_system_that_served_nothing_gives_no_ratio() {
        let measures = [
            measure("host", "login", 25.0, 1500.0),
            measure("spin", "login", 0.0, 0.0),
        ];
        let v = judge(&measures, scenario("login").unwrap()).unwrap();
        assert_eq!(v.times_spin, None);
    }

    #[test]
    fn the_markdown_shows_one_ratio_row_per_scenario_and_one_figure_row_per_system() {
        let mut report = Report {
            measures: vec![
                measure("host", "guess", 9000.0, 8.0),
                measure("spin", "guess", 3000.0, 20.0),
                measure("flask", FLASK_GUESS, 4000.0, 10.0),
            ],
            ..Report::default()
        };
        report.judge();
        let md = report.markdown("bench");
        assert!(md.contains("| 3.00× | 2.25× (guess) |"), "{md}");
        assert_eq!(md.matches("| real Spin | 3000 |").count(), 1, "{md}");
        assert_eq!(md.matches("| Flask seed | 4000 |").count(), 1, "{md}");
    }
}
