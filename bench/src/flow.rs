//! The full game flow, as a player's browser would drive it through the services: start a
//! practice game, miss five times, win with the sixth guess (motus then records the game with
//! score). Each of the connections is one player playing games back to back; every request's
//! latency is kept. At the end the players' score stats must count exactly the games won.

use crate::accounts;
use crate::report::Measure;
use crate::scenarios::{Under, ANSWER, MISSES, NEW_GAME};
use crate::wrk::Load;
use anyhow::{bail, Context, Result};
use std::time::{Duration, Instant};

pub fn run(under: &Under, seconds: u64, connections: u32) -> Result<Measure> {
    let bearers: Vec<accounts::Bearer> = (0..connections)
        .map(|i| accounts::register(&under.addr, &format!("flow{i}")))
        .collect::<Result<_>>()?;
    let credential = bearers
        .first()
        .map(|b| format!("bearer from `{}`", b.field));
    let tokens: Vec<String> = bearers.into_iter().map(|b| b.token).collect();
    eprintln!("bench:   flow on {}, {seconds} s", under.addr);
    let idle: Option<u64> = under.servers.iter().map(|s| s.rss_mib()).sum();
    let cpu = crate::scenarios::CpuMark::take(&under.servers);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let base = format!("http://{}", under.addr);
    let (latencies, errors, games) = runtime.block_on(async move {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(connections as usize)
            .build()?;
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let players: Vec<_> = tokens
            .into_iter()
            .map(|token| {
                let client = client.clone();
                let base = base.clone();
                tokio::spawn(async move { play_until(&client, &base, &token, deadline).await })
            })
            .collect();
        let mut latencies = Vec::new();
        let (mut errors, mut games) = (0u64, Vec::new());
        for player in players {
            let (l, e, g) = player.await??;
            latencies.extend(l);
            errors += e;
            games.push(g);
        }
        anyhow::Ok((latencies, errors, (games, started.elapsed())))
    })?;
    let (games, elapsed) = games;
    let recorded = recorded_wins(&under.addr, connections)?;
    let won: u64 = games.iter().sum();
    if recorded != won {
        bail!(
            "score counts {recorded} games won, the flow won {won}: a result was lost or doubled"
        );
    }
    let load = summarize(latencies, errors, elapsed);
    eprintln!(
        "bench: {won} games played and recorded ({:.0} games/s)",
        won as f64 / elapsed.as_secs_f64()
    );
    let cpu_each = cpu.per_request(&under.servers, &load, seconds);
    Ok(Measure {
        scenario: "flow".into(),
        system: String::new(),
        credential,
        cpu_ms_per_request: cpu_each.iter().copied().sum(),
        cpu_each,
        load,
        rss_idle_mib: idle,
        rss_peak_mib: under.servers.iter().map(|s| s.peak_rss_mib()).sum(),
    })
}

/// Plays whole games until the deadline; returns latencies, failed requests and games won.
async fn play_until(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    deadline: Instant,
) -> Result<(Vec<Duration>, u64, u64)> {
    let (mut latencies, mut errors, mut won) = (Vec::new(), 0u64, 0u64);
    'games: while Instant::now() < deadline {
        let started = Instant::now();
        let created = client
            .post(format!("{base}/motus/games"))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(NEW_GAME)
            .send()
            .await;
        latencies.push(started.elapsed());
        let id = match created {
            Ok(r) if r.status() == 201 => {
                let body: serde_json::Value = r.json().await?;
                body["id"].as_str().context("no id")?.to_owned()
            }
            _ => {
                errors += 1;
                continue;
            }
        };
        for word in MISSES.iter().chain([&ANSWER]) {
            let started = Instant::now();
            let answer = client
                .post(format!("{base}/motus/games/{id}/guesses"))
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body(format!(r#"{{"word":"{word}"}}"#))
                .send()
                .await;
            let ok = match answer {
                Ok(r) if r.status() == 200 => r.bytes().await.is_ok(),
                _ => false,
            };
            latencies.push(started.elapsed());
            if !ok {
                errors += 1;
                continue 'games;
            }
        }
        won += 1;
    }
    Ok((latencies, errors, won))
}

/// Games won across the flow's players, as score counts them.
fn recorded_wins(addr: &str, players: u32) -> Result<u64> {
    let mut total = 0;
    for i in 0..players {
        let (status, body) =
            crate::client::request(addr, "GET", &format!("/score/flow{i}"), &[], "")?;
        if status != 200 {
            bail!("GET /score/flow{i} answered {status}: {body}");
        }
        let stats: serde_json::Value = serde_json::from_str(&body)?;
        // Practice games (what the flow plays) are counted apart from daily ones.
        let practice = stats["practice"]["won"].as_u64().unwrap_or(0);
        total += stats["won"].as_u64().context("no won count")? + practice;
    }
    Ok(total)
}

fn summarize(mut latencies: Vec<Duration>, errors: u64, elapsed: Duration) -> Load {
    latencies.sort_unstable();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Load {
        requests_per_sec: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        errors,
    }
}
