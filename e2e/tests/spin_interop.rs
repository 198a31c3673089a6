//! `host up` and `spin up` on the same state directory see the same data: what our host wrote,
//! real Spin reads (accounts log in, games and stats are there, counters go on), and what Spin
//! wrote, our host reads. Both run the same components on the same SQLite files, one after the
//! other.
//!
//! Real Spin comes from `SPIN_BIN`, else `spin` on `PATH`, else `<repo>/../shared/spin/spin`;
//! without one the tests say they were skipped and pass.

use e2e::api::{all_planted, id_of, planted, Api, Session, PASSWORD};
use e2e::{repo_root, Backend, TestHost};
use serde_json::Value;
use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread")]
async fn accounts_and_games_cross_between_our_host_and_spin_in_both_directions() {
    let Some(spin) = spin_binary() else {
        return;
    };
    let words = all_planted();
    let mut app = TestHost::builder("spin.toml")
        .variable("answer_words", &words)
        .backend(Backend::Sqlite)
        .start()
        .await;
    let ours = Api::new(&app);
    let alice = ours.register("alice").await;
    let won = id_of(&ours.practice(&alice, 7).await);
    ours.play(&alice, &won, &planted(7).script(Some(3))).await;
    let ongoing = id_of(&ours.practice(&alice, 8).await);
    ours.play(&alice, &ongoing, &planted(8).misses[..2]).await;
    let daily = ours.new_game_reply(&alice, "daily", None).await.expect(201);
    let written_by_ours = snapshot(&ours, &alice, &[&won, &ongoing, &id_of(&daily)]).await;
    app.stop_keeping_state().await;

    let spin = Spin::start(&spin, "spin.toml", &app, &[("answer_words", &words)]).await;
    let on_spin = Api::at(spin.url(""));
    assert_eq!(
        snapshot(&on_spin, &alice, &[&won, &ongoing, &id_of(&daily)]).await,
        written_by_ours,
        "Spin shows what our host wrote"
    );
    on_spin.login("alice", PASSWORD).await;
    on_spin
        .register_reply("alice", PASSWORD)
        .await
        .expect_error(409, "username_taken");
    let resumed = on_spin
        .new_game_reply(&alice, "daily", None)
        .await
        .expect(200);
    assert_eq!(id_of(&resumed), id_of(&daily), "today's game goes on");
    let finished = on_spin
        .guess(&alice, &ongoing, "CHOCOLAT")
        .await
        .expect(200);
    assert_eq!(finished["status"], "won", "{finished}");
    let bob = on_spin.register("bob").await;
    let bobs = id_of(&on_spin.practice(&bob, 7).await);
    on_spin.play(&bob, &bobs, &planted(7).misses[..1]).await;
    let written_by_spin = [
        snapshot(&on_spin, &alice, &[&won, &ongoing, &id_of(&daily)]).await,
        snapshot(&on_spin, &bob, &[&bobs]).await,
    ];
    spin.stop();

    app.restart().await;
    assert_eq!(
        [
            snapshot(&ours, &alice, &[&won, &ongoing, &id_of(&daily)]).await,
            snapshot(&ours, &bob, &[&bobs]).await,
        ],
        written_by_spin,
        "our host shows what Spin wrote"
    );
    ours.login("bob", PASSWORD).await;
    ours.register_reply("bob", PASSWORD)
        .await
        .expect_error(409, "username_taken");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn counters_and_values_cross_between_our_host_and_spin_in_both_directions() {
    let Some(spin) = spin_binary() else {
        return;
    };
    let mut app = TestHost::builder("e2e/manifests/host-test.toml")
        .variable("secret", "s")
        .backend(Backend::Sqlite)
        .start()
        .await;
    let client = reqwest::Client::new();
    let call = |base: String, path: &str| {
        let (client, url) = (client.clone(), format!("{base}/fx/kv/fixture/{path}"));
        async move {
            let res = client.post(&url).body("from ours").send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    let ours = app.url("");
    for n in 1..=3 {
        assert_eq!(
            call(ours.clone(), "increment/hits").await,
            (200, n.to_string())
        );
    }
    assert_eq!(call(ours.clone(), "set/note").await.0, 200);
    app.stop_keeping_state().await;

    let spin = Spin::start(
        &spin,
        "e2e/manifests/host-test.toml",
        &app,
        &[("secret", "s")],
    )
    .await;
    let on_spin = spin.url("");
    assert_eq!(
        call(on_spin.clone(), "increment/hits").await,
        (200, "4".into()),
        "Spin goes on counting from our host's counter"
    );
    assert_eq!(
        call(on_spin.clone(), "get/note").await,
        (200, "from ours".into())
    );
    assert_eq!(
        call(on_spin.clone(), "increment/spins").await,
        (200, "1".into())
    );
    spin.stop();

    app.restart().await;
    assert_eq!(
        call(ours.clone(), "increment/hits").await,
        (200, "5".into()),
        "our host goes on counting from Spin's counter"
    );
    assert_eq!(
        call(ours.clone(), "increment/spins").await,
        (200, "2".into())
    );
    assert_eq!(
        call(ours.clone(), "keys/-").await,
        (200, "hits,note,spins".into())
    );
    app.stop().await;
}

/// What a player sees of their account, their games and the shared tables.
async fn snapshot(api: &Api, who: &Session, games: &[&str]) -> Vec<Value> {
    let mut seen = vec![
        api.me(&who.token).await.expect(200),
        api.stats(&who.username).await,
        api.get(&format!("/score/{}/history", who.username), None)
            .await
            .expect(200),
        api.leaderboard("all").await,
        api.get("/motus/daily", None).await.expect(200),
    ];
    for id in games {
        seen.push(api.game(who, id).await.expect(200));
    }
    seen
}

/// The Spin CLI to pair with our host: `SPIN_BIN`, else `spin` on `PATH`, else the copy beside
/// the repository. `None`, after saying why the test is skipped, when there is none, or when
/// the test kit itself targets Spin (`MOTUS_TEST_HOST=spin`): these tests need our host too.
fn spin_binary() -> Option<PathBuf> {
    if std::env::var("MOTUS_TEST_HOST").as_deref() == Ok("spin") {
        eprintln!("skipped: with MOTUS_TEST_HOST=spin there is no host of ours to pair Spin with");
        return None;
    }
    let from_env = std::env::var_os("SPIN_BIN")
        .filter(|bin| !bin.is_empty())
        .map(PathBuf::from);
    let on_path = || {
        std::env::var_os("PATH").and_then(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join("spin"))
                .find(|bin| bin.is_file())
        })
    };
    let beside = || Some(repo_root().join("../shared/spin/spin")).filter(|bin| bin.is_file());
    let found = from_env.or_else(on_path).or_else(beside);
    if found.is_none() {
        eprintln!(
            "skipped: no Spin binary (set SPIN_BIN, put `spin` on PATH, or provide \
             ../shared/spin/spin beside the repository)"
        );
    }
    found
}

/// `spin up` as a child process on a free port, on a [`TestHost`]'s state dir and runtime
/// config. Kept small and private: a general real-Spin launcher belongs in the test kit.
struct Spin {
    child: Option<Child>,
    addr: SocketAddr,
    stderr: PathBuf,
}

impl Spin {
    async fn start(bin: &Path, manifest: &str, app: &TestHost, variables: &[(&str, &str)]) -> Spin {
        let addr = free_addr();
        let stderr = app.state_dir().join("spin-stderr.txt");
        let mut cmd = Command::new(bin);
        cmd.arg("up")
            .arg("-f")
            .arg(repo_root().join(manifest))
            .args(["--listen", &addr.to_string()])
            .arg("--runtime-config-file")
            .arg(app.runtime_config())
            .arg("--state-dir")
            .arg(app.state_dir())
            .stdout(std::fs::File::create(app.state_dir().join("spin-stdout.txt")).unwrap())
            .stderr(std::fs::File::create(&stderr).unwrap())
            // `spin up` runs its trigger as a second process: a group of their own lets both be
            // stopped together.
            .process_group(0);
        for (name, value) in variables {
            cmd.args(["--variable", &format!("{name}={value}")]);
        }
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let mut spin = Spin {
            child: Some(child),
            addr,
            stderr,
        };
        spin.wait_until_serving().await;
        spin
    }

    /// Spin compiles every component on its first start: allow a generous minute.
    async fn wait_until_serving(&mut self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().unwrap()) {
                panic!(
                    "spin exited with {status} before serving: {}",
                    self.stderr_tail()
                );
            }
            if client.get(self.url("/")).send().await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("spin did not serve within 60 s: {}", self.stderr_tail());
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    fn stderr_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.stderr).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// Ctrl-C to the group, as a terminal sends it, so Spin closes its stores; then SIGKILL to
    /// whatever of the group is left, so no trigger process outlives the test.
    fn stop(mut self) {
        self.stop_group();
    }

    fn stop_group(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let group = format!("-{}", child.id());
        let _ = Command::new("kill").args(["-INT", "--", &group]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline && child.try_wait().unwrap().is_none() {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(std::process::Stdio::null())
            .status();
        let _ = child.wait();
    }
}

impl Drop for Spin {
    fn drop(&mut self) {
        if self.child.is_some() && std::thread::panicking() {
            eprintln!("spin's stderr:\n{}", self.stderr_tail());
        }
        self.stop_group();
    }
}

fn free_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}
