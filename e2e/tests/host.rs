//! The host's behaviour, observed from outside: a fixture component deployed under several
//! configurations (e2e/manifests/host-test.toml) and driven over HTTP.

use e2e::TestHost;
use std::time::Duration;

const MANIFEST: &str = "e2e/manifests/host-test.toml";

async fn start() -> TestHost {
    TestHost::builder(MANIFEST)
        .variable("secret", "s3cret")
        .start()
        .await
}

async fn get(app: &TestHost, path: &str) -> (u16, String) {
    let res = reqwest::get(app.url(path)).await.expect("request");
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn post(app: &TestHost, path: &str, body: impl Into<reqwest::Body>) -> (u16, String) {
    let res = reqwest::Client::new()
        .post(app.url(path))
        .body(body)
        .send()
        .await
        .expect("request");
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn exact_routes_win_then_the_longest_wildcard_prefix() {
    let app = start().await;
    for (path, served_by) in [
        ("/fx/exact", "exact"),
        ("/fx/hello", "fixture"),
        ("/fx/deeper/hello", "deeper"),
        ("/fx/deeperx/hello", "fixture"),
        ("/hello", "root"),
        ("/private/hello", "root"),
    ] {
        assert_eq!(
            get(&app, path).await,
            (200, format!("hello from {served_by}")),
            "{path}"
        );
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn components_receive_spin_routing_headers_that_clients_cannot_spoof() {
    let app = start().await;
    let res = reqwest::Client::new()
        .get(app.url("/fx/headers?q=1"))
        .header("spin-client-addr", "6.6.6.6:666")
        .send()
        .await
        .unwrap();
    let body = res.text().await.unwrap();
    let addr = app.addr();
    for line in [
        format!("spin-full-url: http://{addr}/fx/headers?q=1"),
        "spin-path-info: /headers".to_string(),
        "spin-matched-route: /fx/...".to_string(),
        "spin-raw-component-route: /fx/...".to_string(),
        "spin-component-route: /fx".to_string(),
        "spin-base-path: /".to_string(),
    ] {
        assert!(
            body.lines().any(|l| l == line),
            "missing `{line}` in:\n{body}"
        );
    }
    let client = body
        .lines()
        .find(|l| l.starts_with("spin-client-addr: "))
        .unwrap();
    assert!(
        client.starts_with("spin-client-addr: 127.0.0.1:"),
        "{client}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn variables_come_from_templates_defaults_and_overrides() {
    let app = start().await;
    assert_eq!(get(&app, "/fx/var/greeting").await, (200, "bonjour".into()));
    assert_eq!(
        get(&app, "/fx/var/secret").await,
        (200, "Secret: s3cret".into())
    );
    let (status, body) = get(&app, "/fx/var/not_declared").await;
    assert_eq!(status, 404);
    assert!(body.contains("Undefined"), "{body}");
    app.stop().await;

    let app = TestHost::builder(MANIFEST)
        .variable("secret", "x")
        .variable("greeting", "salut")
        .start()
        .await;
    assert_eq!(get(&app, "/fx/var/greeting").await, (200, "salut".into()));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn key_value_round_trips_and_respects_spin_limits() {
    let app = start().await;
    assert_eq!(get(&app, "/fx/kv/fixture/get/k").await.0, 404);
    assert_eq!(
        post(&app, "/fx/kv/fixture/set/k", "v1").await,
        (200, "set".into())
    );
    assert_eq!(get(&app, "/fx/kv/fixture/get/k").await, (200, "v1".into()));
    assert_eq!(
        get(&app, "/fx/kv/fixture/exists/k").await,
        (200, "true".into())
    );
    assert_eq!(
        post(&app, "/fx/kv/default/set/d", "in default").await.0,
        200
    );
    assert_eq!(get(&app, "/fx/kv/fixture/keys/-").await, (200, "k".into()));
    assert_eq!(get(&app, "/fx/kv/fixture/delete/k").await.0, 200);
    assert_eq!(get(&app, "/fx/kv/fixture/get/k").await.0, 404);

    let long_key = "k".repeat(257);
    let (status, body) = post(&app, &format!("/fx/kv/fixture/set/{long_key}"), "v").await;
    assert_eq!(status, 500);
    assert!(body.contains("limit"), "{body}");
    let (status, body) = post(&app, "/fx/kv/fixture/set/big", vec![b'x'; (1 << 20) + 1]).await;
    assert_eq!(status, 500);
    assert!(body.contains("limit"), "{body}");
    assert_eq!(
        post(&app, "/fx/kv/fixture/set/max", vec![b'x'; 1 << 20])
            .await
            .0,
        200
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn batch_operations_read_write_and_delete_many_keys() {
    let app = start().await;
    assert_eq!(
        get(&app, "/fx/batch/fixture").await,
        (200, "a=A,missing=-,c=C b-exists=false".into())
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_component_cannot_open_a_store_it_does_not_declare() {
    let app = start().await;
    for path in [
        "/other/kv/fixture/get/k",
        "/fx/kv/other/get/k",
        "/fx/kv/undeclared/get/k",
        "/caller/kv/default/get/k",
    ] {
        let (status, body) = get(&app, path).await;
        assert_eq!(status, 403, "{path}");
        assert!(body.contains("AccessDenied"), "{path}: {body}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn thirty_two_concurrent_cas_writers_lose_no_update() {
    let app = start().await;
    let client = reqwest::Client::new();
    let writers = (0..32).map(|_| {
        let (client, url) = (client.clone(), app.url("/fx/cas/fixture/counter"));
        tokio::spawn(async move {
            for _ in 0..5 {
                let res = client.post(&url).send().await.unwrap();
                assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
            }
        })
    });
    for w in futures::future::join_all(writers).await {
        w.unwrap();
    }
    assert_eq!(
        get(&app, "/fx/kv/fixture/get/counter").await,
        (200, "160".into())
    );

    let incrementers = (0..32).map(|_| {
        let (client, url) = (client.clone(), app.url("/fx/kv/fixture/increment/hits"));
        tokio::spawn(async move { client.post(&url).send().await.unwrap().status().as_u16() })
    });
    for i in futures::future::join_all(incrementers).await {
        assert_eq!(i.unwrap(), 200);
    }
    // A counter's stored bytes are the backend's own (8 bytes in SQLite, text in Redis): read
    // it back through one more increment.
    let next = client
        .post(app.url("/fx/kv/fixture/increment/hits"))
        .send()
        .await
        .unwrap();
    assert_eq!(next.text().await.unwrap(), "33");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn service_chaining_reaches_private_components_in_process() {
    let app = start().await;
    let (status, body) = get(&app, "/caller/fetch?url=http://private.spin.internal/hello").await;
    assert_eq!((status, body.as_str()), (200, "200 hello from private"));
    let (status, body) = get(
        &app,
        "/caller/fetch?url=http://fixture.spin.internal/fx/headers",
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.contains("spin-path-info: /headers"), "{body}");
    assert!(body.contains("spin-client-addr: 0.0.0.0:0"), "{body}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn outbound_requests_outside_the_allow_list_are_denied() {
    let app = start().await;
    for url in [
        "http://other.spin.internal/hello",
        "http://example.com/",
        "https://127.0.0.1:1/",
    ] {
        let (status, body) = get(&app, &format!("/caller/fetch?url={url}")).await;
        assert_eq!(status, 502, "{url}: {body}");
        assert!(
            body.contains("denied") || body.contains("Denied"),
            "{url}: {body}"
        );
    }
    // The fixture component declares no outbound hosts at all.
    let (status, _) = get(&app, "/fx/fetch?url=http://private.spin.internal/hello").await;
    assert_eq!(status, 502);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn allowed_plain_http_goes_out_over_the_network() {
    let app = start().await;
    let url = format!("http://127.0.0.1:{}/fx/hello", app.addr().port());
    assert_eq!(
        get(&app, &format!("/caller/fetch?url={url}")).await,
        (200, "200 hello from fixture".into())
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trapping_component_fails_only_its_own_request() {
    let app = start().await;
    let (status, body) = get(&app, "/fx/trap").await;
    assert_eq!(status, 500);
    assert!(body.contains("\"code\":\"component_trap\""), "{body}");
    assert_eq!(get(&app, "/fx/hello").await.0, 200);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_looping_component_is_stopped_at_its_deadline_while_others_are_served() {
    let app = TestHost::builder(MANIFEST)
        .variable("secret", "s")
        .request_timeout(Duration::from_millis(1500))
        .start()
        .await;
    let looping = tokio::spawn(reqwest::get(app.url("/fx/loop")));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = std::time::Instant::now();
    assert_eq!(get(&app, "/fx/hello").await.0, 200);
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "served while another request loops"
    );
    let res = looping.await.unwrap().unwrap();
    assert_eq!(res.status(), 504);
    assert!(res.text().await.unwrap().contains("timeout"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn memory_beyond_the_cap_fails_the_request_not_the_host() {
    let app = TestHost::builder(MANIFEST)
        .variable("secret", "s")
        .max_memory_mb(64)
        .start()
        .await;
    assert_eq!(get(&app, "/fx/grow/8").await.0, 200);
    assert_eq!(get(&app, "/fx/grow/128").await.0, 500);
    assert_eq!(get(&app, "/fx/hello").await.0, 200);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn files_are_mounted_read_only() {
    let app = start().await;
    assert_eq!(
        get(&app, "/fx/file/static/hello.txt").await,
        (200, "a file mounted read-only\n".into())
    );
    assert_eq!(get(&app, "/fx/file/etc/passwd").await.0, 404);
    assert_eq!(get(&app, "/fx/file/static/../../etc/passwd").await.0, 404);
    assert_eq!(get(&app, "/fx/write-file").await.0, 403);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn guest_output_is_written_to_per_component_log_files() {
    let app = start().await;
    assert_eq!(get(&app, "/fx/stdout").await.0, 200);
    let logs = app.state_dir().join("logs");
    let stdout = std::fs::read_to_string(logs.join("fixture_stdout.txt")).unwrap();
    let stderr = std::fs::read_to_string(logs.join("fixture_stderr.txt")).unwrap();
    assert!(stdout.contains("fixture says hello on stdout"), "{stdout}");
    assert!(stderr.contains("fixture says hello on stderr"), "{stderr}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unrouted_paths_get_a_json_404() {
    let app = TestHost::builder("e2e/manifests/no-catch-all.toml")
        .start()
        .await;
    let res = reqwest::get(app.url("/nowhere")).await.unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["content-type"], "application/json");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn key_value_data_survives_a_restart() {
    let mut app = start().await;
    assert_eq!(
        post(&app, "/fx/kv/fixture/set/durable", "kept").await.0,
        200
    );
    app.restart().await;
    assert_eq!(
        get(&app, "/fx/kv/fixture/get/durable").await,
        (200, "kept".into())
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn stopping_lets_in_flight_requests_finish() {
    let app = start().await;
    let slow = tokio::spawn(reqwest::get(app.url("/fx/sleep/600")));
    tokio::time::sleep(Duration::from_millis(150)).await;
    let addr = app.addr();
    app.stop().await;
    let res = slow.await.unwrap().unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "slept");
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "no longer listening"
    );
}
