//! Drives load with `wrk` (Debian package) and reads its report.

use anyhow::{bail, Context, Result};
use std::process::Command;

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Load {
    pub requests_per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
}

pub fn ensure_installed() -> Result<()> {
    if Command::new("wrk").arg("--version").output().is_ok() {
        return Ok(());
    }
    eprintln!("bench: installing wrk");
    let status = Command::new("sh")
        .arg("-c")
        .arg("apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk)")
        .status()?;
    if !status.success() {
        bail!("wrk is needed: apt-get install wrk");
    }
    Ok(())
}

/// `connections` connections on 2 threads for `seconds`; `script` is a wrk Lua script that
/// shapes the requests, `headers` are sent with each one ("Name: value").
pub fn run(
    url: &str,
    script: Option<&std::path::Path>,
    headers: &[&str],
    connections: u32,
    seconds: u64,
) -> Result<Load> {
    let threads = connections.min(2).to_string();
    let mut command = Command::new("wrk");
    let duration = format!("{seconds}s");
    // A login waits ~1 s behind 31 others: wrk's 2 s default timeout would count queueing as errors.
    command.args([
        "-t",
        &threads,
        "-c",
        &connections.to_string(),
        "-d",
        &duration,
        "--timeout",
        "10s",
        "--latency",
    ]);
    let debug = debug_script(script)?;
    if let Some(script) = debug.as_deref().or(script) {
        command.arg("-s").arg(script);
    }
    for header in headers {
        command.args(["-H", header]);
    }
    let output = command.arg(url).output().context("run wrk")?;
    let text = String::from_utf8_lossy(&output.stdout);
    // What the scripts print (BENCH_WRK_DEBUG's failed answers).
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    if debug.is_some() {
        eprint!("{text}");
    }
    parse(&text).with_context(|| format!("unexpected wrk output:\n{text}"))
}

pub fn parse(text: &str) -> Option<Load> {
    let value_after = |prefix: &str| -> Option<&str> {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .and_then(|rest| rest.split_whitespace().next())
    };
    let requests_per_sec = value_after("Requests/sec:")?.parse().ok()?;
    let p50_ms = duration_ms(value_after("50%")?)?;
    let p99_ms = duration_ms(value_after("99%")?)?;
    let non_2xx: u64 = value_after("Non-2xx or 3xx responses:")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let socket_errors: u64 = text
        .lines()
        .find(|l| l.trim().starts_with("Socket errors:"))
        .map(|l| {
            l.split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse::<u64>().ok())
                .sum()
        })
        .unwrap_or(0);
    Some(Load {
        requests_per_sec,
        p50_ms,
        p99_ms,
        errors: non_2xx + socket_errors,
    })
}

/// With `BENCH_WRK_DEBUG=1`, the script gains a `response` hook that prints the first failed
/// answers of each thread (status and body), to see what a run's errors were. Off by default:
/// the hook costs wrk time on every answer.
fn debug_script(script: Option<&std::path::Path>) -> Result<Option<std::path::PathBuf>> {
    if std::env::var_os("BENCH_WRK_DEBUG").is_none() {
        return Ok(None);
    }
    let hook = "local shown = 0\nresponse = function(status, headers, body)\n  \
                if status >= 300 and shown < 3 then\n    shown = shown + 1\n    \
                io.stderr:write(\"wrk: \" .. status .. \" \" .. body .. \"\\n\")\n  end\nend\n";
    let base = script
        .map(std::fs::read_to_string)
        .transpose()?
        .unwrap_or_default();
    let path = std::env::temp_dir().join(format!("bench-wrk-debug-{}.lua", std::process::id()));
    std::fs::write(&path, base + hook)?;
    Ok(Some(path))
}

fn duration_ms(v: &str) -> Option<f64> {
    let (number, unit) = v.split_at(v.find(|c: char| c.is_ascii_alphabetic())?);
    let n: f64 = number.parse().ok()?;
    Some(match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrk_latency_report() {
        let sample = "Running 10s test @ http://127.0.0.1:3000/hello\n  2 threads and 32 connections\n\
            Latency Distribution\n     50%  812.00us\n     75%    1.20ms\n     90%    2.00ms\n     99%    4.51ms\n\
            51234 requests in 10.00s, 5.00MB read\n  Socket errors: connect 0, read 2, write 0, timeout 1\n\
            Non-2xx or 3xx responses: 4\nRequests/sec:   5123.40\nTransfer/sec:    500.00KB\n";
        let load = parse(sample).unwrap();
        assert_eq!(load.requests_per_sec, 5123.40);
        assert_eq!(load.p50_ms, 0.812);
        assert_eq!(load.p99_ms, 4.51);
        assert_eq!(load.errors, 7);
    }
}
