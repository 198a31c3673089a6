//! `host up` and `spin up` on the same state directory see the same data: what our host wrote,
//! real Spin reads (accounts log in, games and stats are there, counters go on), and what Spin
//! wrote, our host reads. Both run the same components on the same SQLite files, one after the
//! other.
//!
//! Real Spin comes from `SPIN_BIN`, else `spin` on `PATH`, else `<repo>/../shared/spin/spin`;
//! without one the tests say they were skipped and pass.

use e2e::api::{all_planted, id_of, planted, Api, Session, PASSWORD};
use e2e::free_addr;
use e2e::spin::{SpinProcess, SpinStart};
use e2e::{repo_root, Backend, TestHost};
use serde_json::Value;
use std::net::SocketAddr;

#[tokio::test(flavor = "multi_thread")]
async fn accounts_and_games_cross_between_our_host_and_spin_in_both_directions() {
    if !spin_available() {
        return;
    }
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

    let spin = Spin::start("spin.toml", &app, &[("answer_words", &words)]).await;
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
}

#[tokio::test(flavor = "multi_thread")]
async fn counters_and_values_cross_between_our_host_and_spin_in_both_directions() {
    if !spin_available() {
        return;
    }
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

    let spin = Spin::start("e2e/manifests/host-test.toml", &app, &[("secret", "s")]).await;
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

/// Whether a real Spin CLI can be paired with our host here (`e2e::spin::binary`): not when there
/// is none, nor when the test kit itself targets Spin (`MOTUS_TEST_HOST=spin`), for these tests
/// need our host too. Says why the test is skipped.
fn spin_available() -> bool {
    if e2e::on_spin() {
        eprintln!("skipped: with MOTUS_TEST_HOST=spin there is no host of ours to pair Spin with");
        return false;
    }
    if e2e::spin::binary().is_none() {
        eprintln!(
            "skipped: no Spin binary (set SPIN_BIN, put `spin` on PATH, or provide \
             ../shared/spin/spin beside the repository)"
        );
        return false;
    }
    true
}

/// Real Spin on a [`TestHost`]'s state dir and runtime config (the test kit's launcher), on a port
/// of its own.
struct Spin {
    process: SpinProcess,
    addr: SocketAddr,
}

impl Spin {
    async fn start(manifest: &str, app: &TestHost, variables: &[(&str, &str)]) -> Spin {
        let addr = free_addr();
        let variables: Vec<(String, String)> = variables
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        let process = SpinProcess::start(SpinStart {
            manifest: &repo_root().join(manifest),
            runtime_config: app.runtime_config(),
            state_dir: app.state_dir(),
            variables: &variables,
            max_memory_bytes: 256 << 20,
            addr,
            log: app.state_dir().join("spin-interop.log"),
        })
        .await
        .unwrap_or_else(|log| panic!("real Spin did not start: {log}"));
        Spin { process, addr }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    fn stop(mut self) {
        self.process.stop();
    }
}
