//! The app's hot path: an authenticated guess (`POST /motus/games/{id}/guesses`), which chains
//! motus → auth (`/auth/me`), reads and writes the game with compare-and-swap and looks the word
//! up in the dictionary. Each game takes six guesses, so the load spreads over many games.

use crate::wrk::{self, Load};
use anyhow::{bail, Context, Result};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Child;

/// A valid French word that is not the configured answer, so every guess is accepted and written.
const GUESS: &str = "MARCHE";
const ANSWER: &str = "MAISON";

pub struct GuessRun {
    pub load: Load,
    pub rss_mib: Option<u64>,
}

pub fn run(host_bin: &Path, root: &Path, seconds: u64, connections: u32) -> Result<GuessRun> {
    let state = tempfile::tempdir()?;
    let config = state.path().join("runtime-config.toml");
    std::fs::write(
        &config,
        ["auth", "motus", "score"]
            .map(|l| format!("[key_value_store.{l}]\ntype = \"spin\"\npath = \"{l}.db\"\n"))
            .concat(),
    )?;
    let port = crate::free_port();
    let addr = format!("127.0.0.1:{port}");
    let mut host: Child = std::process::Command::new(host_bin)
        .args(["up", "-f"])
        .arg(root.join("spin.toml"))
        .args(["--listen", &addr, "--runtime-config-file"])
        .arg(&config)
        .arg("--state-dir")
        .arg(state.path())
        .args(["--variable", &format!("answer_words={ANSWER}")])
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .context("spawn host")?;
    let result = (|| {
        crate::wait_for_200(
            &format!("http://{addr}/motus/daily"),
            std::time::Duration::from_secs(30),
        )?;
        let token = register(&addr)?;
        // Enough games that (almost) every guess in the run is accepted rather than 409.
        let games = ((seconds as usize) * 4000 / 6).max(500);
        let ids: Vec<String> = (0..games)
            .map(|_| new_game(&addr, &token))
            .collect::<Result<_>>()?;
        let script = state.path().join("guess.lua");
        std::fs::write(&script, lua_script(&ids, &token))?;
        let load = wrk::run_script(&format!("http://{addr}"), &script, connections, seconds)?;
        Ok(GuessRun {
            load,
            rss_mib: crate::rss_mib(host.id()),
        })
    })();
    let _ = host.kill();
    let _ = host.wait();
    result
}

fn register(addr: &str) -> Result<String> {
    let (status, body) = post(
        addr,
        "/auth/register",
        None,
        r#"{"username":"bencher","password":"a long enough password"}"#,
    )?;
    if status != 201 {
        bail!("register answered {status}: {body}");
    }
    field(&body, "token")
}

fn new_game(addr: &str, token: &str) -> Result<String> {
    let (status, body) = post(
        addr,
        "/motus/games",
        Some(token),
        r#"{"mode":"practice","length":6}"#,
    )?;
    if status != 201 {
        bail!("new game answered {status}: {body}");
    }
    field(&body, "id")
}

/// The value of a top-level string field, enough for the two answers read here.
fn field(json: &str, name: &str) -> Result<String> {
    let start = json
        .find(&format!("\"{name}\":\""))
        .map(|i| i + name.len() + 4)
        .context("field missing")?;
    let end = json[start..].find('"').context("unterminated string")?;
    Ok(json[start..start + end].to_string())
}

fn post(addr: &str, path: &str, token: Option<&str>, body: &str) -> Result<(u16, String)> {
    let mut stream = TcpStream::connect(addr)?;
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .context("no status line")?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

/// Each wrk thread walks the game list from a different offset.
fn lua_script(ids: &[String], token: &str) -> String {
    let list = ids
        .iter()
        .map(|id| format!("\"{id}\""))
        .collect::<Vec<_>>()
        .join(",");
    format!(
        r#"local ids = {{{list}}}
local counter = 0
setup = function(thread) thread:set("offset", math.random(#ids)) end
request = function()
  counter = counter + 1
  local id = ids[((counter + (offset or 0)) % #ids) + 1]
  return wrk.format("POST", "/motus/games/" .. id .. "/guesses",
    {{["Authorization"] = "Bearer {token}", ["Content-Type"] = "application/json"}}, '{{"word":"{GUESS}"}}')
end
"#
    )
}
