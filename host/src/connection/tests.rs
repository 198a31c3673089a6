use super::*;
use crate::request_id::RequestId;
use http_body_util::{BodyExt, Full};
use std::net::SocketAddr;
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

const QUICK: Timeouts = Timeouts {
    header_read: Duration::from_millis(400),
    keep_alive: Duration::from_millis(300),
};
const LIMITS: BodyLimits = BodyLimits {
    max_bytes: 1024,
    deadline: Duration::from_millis(400),
};

/// A server whose handler answers `<method> <path> <body length>`, saying in `x-handler-saw`
/// the request id it was given.
async fn server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let handler: Handler = Arc::new(|req: Request<Body>| {
        Box::pin(async move {
            let line = format!("{} {}", req.method(), req.uri().path());
            let saw = req
                .extensions()
                .get::<RequestId>()
                .map_or("none".to_owned(), |id| id.to_string());
            let length = req.into_body().collect().await.unwrap().to_bytes().len();
            let body = Full::new(format!("{line} {length}").into())
                .map_err(|never| match never {})
                .boxed_unsync();
            let mut response = Response::new(body);
            response
                .headers_mut()
                .insert("x-handler-saw", saw.parse().unwrap());
            // What a component might set: the host's id wins.
            response
                .headers_mut()
                .insert("x-request-id", "from-the-handler".parse().unwrap());
            response
        })
    });
    let (_keep, stop) = watch::channel(false);
    tokio::spawn(async move {
        let _keep = _keep;
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            tokio::spawn(serve(stream, QUICK, LIMITS, stop.clone(), handler.clone()));
        }
    });
    addr
}

/// Sends `request`, then reads until the server closes (or 5 s pass).
async fn exchange(request: &[u8]) -> (String, Duration) {
    let mut stream = TcpStream::connect(server().await).await.unwrap();
    let started = Instant::now();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    tokio::time::timeout(Duration::from_secs(5), read)
        .await
        .expect("the server closes the connection")
        .unwrap();
    (
        String::from_utf8_lossy(&answer).into_owned(),
        started.elapsed(),
    )
}

#[track_caller]
fn assert_json_error(answer: &str, status_line: &str, code: &str) {
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with(status_line), "{answer}");
    assert!(head.contains("content-type: application/json"), "{answer}");
    let json: serde_json::Value = serde_json::from_str(body).expect(answer);
    assert_eq!(json["error"]["code"], code, "{answer}");
}

/// The server closed the connection at `timeout`, not before and not much later.
#[track_caller]
fn assert_closed_at(took: Duration, timeout: Duration) {
    assert!(took >= timeout && took < Duration::from_secs(2), "{took:?}");
}

#[tokio::test]
async fn a_malformed_header_gets_a_json_400() {
    let (answer, _) = exchange(b"GET / HTTP/1.1\r\nhost: x\r\nbad header: y\r\n\r\n").await;
    assert_json_error(&answer, "HTTP/1.1 400 Bad Request", "bad_request");
}

#[tokio::test]
async fn a_malformed_request_line_gets_a_json_400() {
    let (answer, _) = exchange(b"NOT HTTP AT ALL\r\n\r\n").await;
    assert_json_error(&answer, "HTTP/1.1 400 Bad Request", "bad_request");
}

#[tokio::test]
async fn after_good_answers_on_the_same_connection_a_malformed_head_still_gets_json() {
    let (answer, _) = exchange(
        b"GET /a HTTP/1.1\r\nhost: x\r\n\r\n\
          HEAD /b HTTP/1.1\r\nhost: x\r\n\r\n\
          POST /c HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\n\r\nabc\
          GET /d HTTP/1.1\r\nhost: x\r\nx-bad: a\x01b\r\n\r\n",
    )
    .await;
    let answers: Vec<&str> = answer.split("HTTP/1.1 ").skip(1).collect();
    assert_eq!(answers.len(), 4, "{answer}");
    assert!(answers[0].ends_with("GET /a 0"), "{answer}");
    assert!(answers[2].ends_with("POST /c 3"), "{answer}");
    assert_json_error(
        &format!("HTTP/1.1 {}", answers[3]),
        "HTTP/1.1 400",
        "bad_request",
    );
}

#[tokio::test]
async fn too_many_headers_get_a_json_431() {
    let mut head = "GET / HTTP/1.1\r\nhost: x\r\n".to_owned();
    for i in 0..200 {
        head.push_str(&format!("x-{i}: y\r\n"));
    }
    let (answer, _) = exchange(format!("{head}\r\n").as_bytes()).await;
    assert_json_error(&answer, "HTTP/1.1 431", "headers_too_large");
}

#[tokio::test]
async fn a_target_over_64_kib_gets_a_json_414() {
    let path = "a".repeat(70_000);
    let (answer, _) = exchange(format!("GET /{path} HTTP/1.1\r\nhost: x\r\n\r\n").as_bytes()).await;
    assert_json_error(&answer, "HTTP/1.1 414", "uri_too_long");
}

#[tokio::test]
async fn a_half_sent_head_gets_a_json_408_at_the_header_timeout() {
    let (answer, took) = exchange(b"GET / HTTP/1.1\r\nhost: x\r\n").await;
    assert_json_error(&answer, "HTTP/1.1 408", "request_timeout");
    assert_closed_at(took, QUICK.header_read);
}

#[tokio::test]
async fn an_idle_connection_is_closed_without_an_answer() {
    let (answer, took) = exchange(b"").await;
    assert_eq!(answer, "");
    assert_closed_at(took, QUICK.keep_alive);
}

#[tokio::test]
async fn a_kept_alive_connection_is_closed_once_idle() {
    let (answer, took) = exchange(b"GET /a HTTP/1.1\r\nhost: x\r\n\r\n").await;
    assert!(
        answer.starts_with("HTTP/1.1 200") && answer.ends_with("GET /a 0"),
        "{answer}"
    );
    assert_closed_at(took, QUICK.keep_alive);
}

#[tokio::test]
async fn a_body_that_stops_coming_gets_a_json_408() {
    let (answer, took) =
        exchange(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\n\r\nab").await;
    assert_json_error(&answer, "HTTP/1.1 408", "request_timeout");
    assert!(took < Duration::from_secs(2), "{took:?}");
}

#[tokio::test]
async fn a_declared_body_over_the_cap_gets_a_json_413_unread() {
    let (answer, _) = exchange(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 5000\r\n\r\n").await;
    assert_json_error(&answer, "HTTP/1.1 413", "payload_too_large");
}

#[tokio::test]
async fn a_client_that_waits_for_100_continue_gets_it() {
    let mut stream = TcpStream::connect(server().await).await.unwrap();
    let head = "POST /e HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\nexpect: 100-continue\r\nconnection: close\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut interim = [0u8; 25];
    stream.read_exact(&mut interim).await.unwrap();
    assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    stream.write_all(b"abc").await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 200") && answer.ends_with("POST /e 3"),
        "{answer}"
    );
}

/// The values of header `name` in raw answers (the handler's bodies have no `: `).
fn header_values(answer: &str, name: &str) -> Vec<String> {
    answer
        .lines()
        .filter_map(|line| line.split_once(": "))
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.to_owned())
        .collect()
}

fn is_generated_id(value: &str) -> bool {
    value.len() == 16 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

#[tokio::test]
async fn a_client_id_of_safe_characters_reaches_the_handler_and_comes_back() {
    let (answer, _) =
        exchange(b"GET /a HTTP/1.1\r\nhost: x\r\nx-request-id: lb-42.a_b\r\n\r\n").await;
    assert_eq!(
        header_values(&answer, "x-handler-saw"),
        ["lb-42.a_b"],
        "{answer}"
    );
    assert_eq!(
        header_values(&answer, "x-request-id"),
        ["lb-42.a_b"],
        "{answer}"
    );
}

#[tokio::test]
async fn a_client_id_that_could_forge_a_log_field_is_replaced_for_the_handler_and_the_client() {
    let (answer, _) = exchange(
        b"GET /a HTTP/1.1\r\nhost: x\r\nx-request-id: abc status=500 component=auth\r\n\r\n",
    )
    .await;
    let sent_back = header_values(&answer, "x-request-id");
    assert_eq!(sent_back.len(), 1, "{answer}");
    assert!(is_generated_id(&sent_back[0]), "{answer}");
    assert_eq!(
        header_values(&answer, "x-handler-saw"),
        sent_back,
        "{answer}"
    );
}

#[tokio::test]
async fn every_request_on_a_connection_gets_its_own_id() {
    let (answer, _) =
        exchange(b"GET /a HTTP/1.1\r\nhost: x\r\n\r\nGET /b HTTP/1.1\r\nhost: x\r\n\r\n").await;
    let ids = header_values(&answer, "x-request-id");
    assert_eq!(ids.len(), 2, "{answer}");
    assert!(ids.iter().all(|id| is_generated_id(id)), "{answer}");
    assert_ne!(ids[0], ids[1]);
}

#[tokio::test]
async fn refusals_before_the_handler_carry_an_id_too() {
    for request in [
        &b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 5000\r\nx-request-id: big-1\r\n\r\n"[..],
        b"GET / HTTP/1.1\r\nhost: x\r\nbad header: y\r\n\r\n",
    ] {
        let (answer, _) = exchange(request).await;
        let ids = header_values(&answer, "x-request-id");
        assert_eq!(ids.len(), 1, "{answer}");
        assert!(ids[0] == "big-1" || is_generated_id(&ids[0]), "{answer}");
        assert!(
            header_values(&answer, "x-handler-saw").is_empty(),
            "{answer}"
        );
    }
}
