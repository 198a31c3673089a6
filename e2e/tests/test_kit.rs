//! The test kit's own promise: a test host goes when the test drops it (at the end of the test,
//! or when it panics), so no test needs a stop at its end and the next one finds the port free.
//! On real Spin (`MOTUS_TEST_HOST=spin`) the same test covers `spin up` and its trigger process.

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_test_host_stops_serving_and_removes_its_state() {
    let (app, api) = e2e::start_planted("spin.toml").await;
    api.get("/motus/daily", None).await.expect(200);
    let addr = app.addr();
    let state = app.state_dir().to_path_buf();

    drop(app);

    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "something still listens on {addr}"
    );
    assert!(!state.exists(), "{} is left behind", state.display());
}
