//! A small client for the black-box API tests: raw requests that keep status, headers and body
//! together (so a failed assertion shows what the server said), plus the few steps every test
//! repeats (register, start a game, play words, read stats).
//!
//! The helpers assert the status they expect: a test that only needs a player or a finished game
//! should not have to check the plumbing that produced it.

use crate::TestHost;
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::{json, Value};

/// A password every test account may use: long enough for auth's 8-character minimum.
pub const PASSWORD: &str = "correct horse battery";

/// One HTTP answer, read whole.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Reply {
    /// The body as JSON; panics with the raw text when it is not.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| {
            panic!(
                "status {} body is not JSON ({e}): {}",
                self.status, self.text
            )
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn header_all(&self, name: &str) -> Vec<String> {
        self.headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    }

    /// Asserts the status and returns the JSON body (`Null` for an empty one).
    #[track_caller]
    pub fn expect(&self, status: u16) -> Value {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        if self.text.is_empty() {
            Value::Null
        } else {
            self.json()
        }
    }

    /// Asserts the shared error shape `{"error":{"code","message"}}` with a JSON content type,
    /// and returns the code.
    #[track_caller]
    pub fn error_code(&self) -> String {
        let content_type = self.header("content-type").unwrap_or_default();
        assert!(
            content_type.starts_with("application/json"),
            "error content type {content_type:?}: {}",
            self.text
        );
        let body = self.json();
        let code = body["error"]["code"].as_str();
        let message = body["error"]["message"].as_str();
        assert!(
            code.is_some_and(|c| !c.is_empty()) && message.is_some_and(|m| !m.is_empty()),
            "not the shared error shape: {}",
            self.text
        );
        code.unwrap().to_owned()
    }

    /// Asserts an error answer with this status and code.
    #[track_caller]
    pub fn expect_error(&self, status: u16, code: &str) {
        assert_eq!(
            (self.status, self.error_code().as_str()),
            (status, code),
            "body: {}",
            self.text
        );
    }
}

/// A logged-in account.
#[derive(Debug, Clone)]
pub struct Session {
    pub username: String,
    pub token: String,
}

impl Session {
    pub fn token(&self) -> Option<&str> {
        Some(&self.token)
    }
}

/// Talks to one running host. Cheap to clone: clones share the connection pool.
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    pub fn new(app: &TestHost) -> Api {
        Api {
            http: reqwest::Client::new(),
            base: app.url(""),
        }
    }

    /// A client whose connections leave from `source`, so the host sees another client address
    /// (`spin-client-addr`). On Linux every 127.x.y.z reaches a host listening on 127.0.0.1.
    pub fn from_address(app: &TestHost, source: std::net::IpAddr) -> Api {
        Api {
            http: reqwest::Client::builder()
                .local_address(source)
                .build()
                .expect("a client bound to a local address"),
            base: app.url(""),
        }
    }

    /// A client for a host serving at `base`, e.g. `http://127.0.0.1:3000` (a
    /// [`crate::HostProcess`]).
    pub fn at(base: impl Into<String>) -> Api {
        Api {
            http: reqwest::Client::new(),
            base: base.into(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends any request. `body` goes as is, with `content_type` when given.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: impl Into<reqwest::Body>,
    ) -> Reply {
        let mut req = self.http.request(method.clone(), self.url(path)).body(body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(content_type) = content_type {
            req = req.header("content-type", content_type);
        }
        self.read(req)
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// Like [`Api::send`] with extra headers, and transport errors returned instead of panicking
    /// (a server may close the connection before reading a huge body).
    pub async fn try_send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Result<Reply> {
        let mut req = self.http.request(method, self.url(path)).body(body);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        self.read(req).await
    }

    async fn read(&self, req: reqwest::RequestBuilder) -> reqwest::Result<Reply> {
        let res = req.send().await?;
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await?;
        Ok(Reply {
            status,
            headers,
            text,
        })
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(Method::GET, path, token, None, Vec::new()).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.json(Method::POST, path, token, body).await
    }

    pub async fn json(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> Reply {
        self.send(
            method,
            path,
            token,
            Some("application/json"),
            body.to_string(),
        )
        .await
    }

    pub async fn register_reply(&self, username: &str, password: &str) -> Reply {
        self.post(
            "/auth/register",
            None,
            json!({ "username": username, "password": password }),
        )
        .await
    }

    /// Registers `username` with [`PASSWORD`].
    pub async fn register(&self, username: &str) -> Session {
        let body = self.register_reply(username, PASSWORD).await.expect(201);
        session_of(&body)
    }

    /// Registers every name at once: each registration costs an Argon2id hash.
    pub async fn register_all(&self, usernames: &[String]) -> Vec<Session> {
        futures::future::join_all(usernames.iter().map(|name| self.register(name))).await
    }

    pub async fn login_reply(&self, username: &str, password: &str) -> Reply {
        self.post(
            "/auth/login",
            None,
            json!({ "username": username, "password": password }),
        )
        .await
    }

    pub async fn login(&self, username: &str, password: &str) -> Session {
        session_of(&self.login_reply(username, password).await.expect(200))
    }

    pub async fn me(&self, token: &str) -> Reply {
        self.get("/auth/me", Some(token)).await
    }

    pub async fn new_game_reply(&self, who: &Session, mode: &str, length: Option<u64>) -> Reply {
        let body = match length {
            Some(length) => json!({ "mode": mode, "length": length }),
            None => json!({ "mode": mode }),
        };
        self.post("/motus/games", who.token(), body).await
    }

    /// Starts a new practice game of `length` letters.
    pub async fn practice(&self, who: &Session, length: u64) -> Value {
        self.new_game_reply(who, "practice", Some(length))
            .await
            .expect(201)
    }

    pub async fn game(&self, who: &Session, id: &str) -> Reply {
        self.get(&format!("/motus/games/{id}"), who.token()).await
    }

    pub async fn guess(&self, who: &Session, id: &str, word: &str) -> Reply {
        self.post(
            &format!("/motus/games/{id}/guesses"),
            who.token(),
            json!({ "word": word }),
        )
        .await
    }

    /// Plays `words` in order in game `id`, each expected to be accepted; returns the last game.
    pub async fn play(&self, who: &Session, id: &str, words: &[&str]) -> Value {
        let mut game = Value::Null;
        for word in words {
            game = self.guess(who, id, word).await.expect(200);
        }
        game
    }

    /// motus's result of game `id`, read with `who`'s token or with no credentials at all.
    pub async fn result(&self, id: &str, who: Option<&Session>) -> Reply {
        let token = who.and_then(Session::token);
        self.get(&format!("/motus/games/{id}/result"), token).await
    }

    /// Asks score to record game `id` with `who`'s token (score shows it to motus), or none.
    pub async fn record(&self, id: &str, who: Option<&Session>) -> Reply {
        let token = who.and_then(Session::token);
        self.post("/score/games", token, json!({ "game_id": id }))
            .await
    }

    /// `player`'s history page, read as `who` (or anonymously).
    pub async fn history(&self, player: &str, who: Option<&Session>) -> Reply {
        let token = who.and_then(Session::token);
        self.get(&format!("/score/{player}/history?limit=100"), token)
            .await
    }

    /// `DELETE /{service}/players/{player}` with `who`'s token, or none.
    pub async fn delete_player(&self, service: &str, player: &str, who: Option<&Session>) -> Reply {
        let token = who.and_then(Session::token);
        let path = format!("/{service}/players/{player}");
        self.send(Method::DELETE, &path, token, None, Vec::new())
            .await
    }

    pub async fn stats(&self, player: &str) -> Value {
        self.get(&format!("/score/{player}"), None)
            .await
            .expect(200)
    }

    pub async fn leaderboard(&self, period: &str) -> Value {
        self.get(
            &format!("/score/leaderboard?period={period}&limit=100"),
            None,
        )
        .await
        .expect(200)
    }
}

fn session_of(body: &Value) -> Session {
    let field = |name: &str| {
        body[name]
            .as_str()
            .unwrap_or_else(|| panic!("no `{name}` in session answer {body}"))
            .to_owned()
    };
    Session {
        username: field("username"),
        token: field("token"),
    }
}

/// The `id` of a game answer.
pub fn id_of(game: &Value) -> String {
    game["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no game id in {game}"))
        .to_owned()
}

/// The number of accepted guesses in a game answer.
pub fn tries_of(game: &Value) -> usize {
    game["guesses"]
        .as_array()
        .unwrap_or_else(|| panic!("no guesses in {game}"))
        .len()
}

/// Score's documented points, restated here so the tests check the service against the
/// contract rather than against its own code: `10 × length × (7 − tries)` for a win, 0 for a loss.
pub fn points(won: bool, length: u64, tries: u64) -> u64 {
    if won {
        10 * length * (7 - tries)
    } else {
        0
    }
}

/// A word the tests plant as an answer (through the `answer_words` variable), with six other
/// dictionary words of its length and first letter to miss it with.
#[derive(Debug, Clone, Copy)]
pub struct Planted {
    pub word: &'static str,
    pub misses: [&'static str; 6],
}

/// One planted answer per length, so a practice game's length says which word it hides.
pub const PLANTED: [Planted; 5] = [
    Planted {
        word: "MAISON",
        misses: ["MOUTON", "MANGER", "MARCHE", "MIROIR", "MOULIN", "MUSCLE"],
    },
    Planted {
        word: "BATEAUX",
        misses: [
            "BALCONS", "BOUTONS", "BRIQUES", "BAGARRE", "BOUCHER", "BANANES",
        ],
    },
    Planted {
        word: "CHOCOLAT",
        misses: [
            "CAMPAGNE", "CHAPEAUX", "CHAUSSON", "CHAMEAUX", "CARTABLE", "CARROSSE",
        ],
    },
    Planted {
        word: "ABANDONNE",
        misses: [
            "ABONDANCE",
            "ACCELERER",
            "ACCENTUER",
            "ACCOMPLIR",
            "ALLUMETTE",
            "AVENTURES",
        ],
    },
    Planted {
        word: "CHAMPIGNON",
        misses: [
            "CONFITURES",
            "CALCULETTE",
            "CARACTERES",
            "CHANTEUSES",
            "CONSTRUIRE",
            "COMPTABLES",
        ],
    },
];

/// The value of `answer_words` that plants every word of [`PLANTED`].
pub fn all_planted() -> String {
    PLANTED.map(|p| p.word).join(",")
}

/// The planted answer of `length` letters.
pub fn planted(length: u64) -> Planted {
    *PLANTED
        .iter()
        .find(|p| p.word.len() as u64 == length)
        .unwrap_or_else(|| panic!("no planted word of {length}"))
}

impl Planted {
    /// The words that win at try `tries` (1–6), or lose with `None`.
    pub fn script(&self, tries: Option<usize>) -> Vec<&'static str> {
        match tries {
            Some(n) => self.misses[..n - 1]
                .iter()
                .copied()
                .chain([self.word])
                .collect(),
            None => self.misses.to_vec(),
        }
    }
}

/// A browser-like client of the webapp's `/api`: JSON bodies and the cookies the webapp set.
pub struct WebClient {
    pub api: Api,
    /// `name=value` pairs, as a browser would send them back.
    pub cookies: Vec<String>,
}

impl WebClient {
    pub fn new(api: Api) -> Self {
        Self {
            api,
            cookies: Vec::new(),
        }
    }

    /// One call with the current cookies; the answer's `Set-Cookie` headers are not applied.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let cookie = self.cookies.join("; ");
        let mut headers = vec![("content-type", "application/json")];
        if !cookie.is_empty() {
            headers.push(("cookie", cookie.as_str()));
        }
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        self.api
            .try_send(method, path, &headers, body)
            .await
            .unwrap()
    }

    /// Keeps the `name=value` part of every cookie set, dropping cleared ones.
    pub fn keep_cookies(&mut self, reply: &Reply) {
        for set in reply.header_all("set-cookie") {
            let pair = set.split(';').next().unwrap().to_owned();
            let name = pair.split('=').next().unwrap().to_owned();
            self.cookies.retain(|c| !c.starts_with(&format!("{name}=")));
            if !pair.ends_with('=') {
                self.cookies.push(pair);
            }
        }
    }

    /// A GET, keeping the cookies it sets, as a browser does.
    pub async fn get(&mut self, path: &str) -> Reply {
        let reply = self.call(Method::GET, path, None).await;
        self.keep_cookies(&reply);
        reply
    }

    /// A JSON POST, keeping the cookies it sets, as a browser does.
    pub async fn post(&mut self, path: &str, body: Value) -> Reply {
        let reply = self.call(Method::POST, path, Some(body)).await;
        self.keep_cookies(&reply);
        reply
    }
}

/// Sends a request on a raw connection while reading the answer at the same time, as curl does.
///
/// A server may answer (say 413) and close before reading a huge body; a client that first
/// writes the whole body, as reqwest does, then sees a reset instead of that answer. Reading
/// concurrently shows what the server actually said.
pub async fn send_full_duplex(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Reply {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    let head = request_head(addr, method, path, headers, body.len());
    // Write errors are expected once the server has answered and closed.
    let writing = tokio::spawn(async move {
        let _ = writer.write_all(head.as_bytes()).await;
        let _ = writer.write_all(&body).await;
    });
    let mut raw = Vec::new();
    let mut chunk = vec![0; 64 * 1024];
    loop {
        match reader.read(&mut chunk).await {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&chunk[..n]),
            // A reset after the answer arrived still leaves the answer readable here.
            Err(e) if !raw.is_empty() && e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("{method} {path}: {e}"),
        }
    }
    writing.abort();
    parse_response(&raw).unwrap_or_else(|| {
        panic!(
            "{method} {path}: unreadable answer {:?}",
            String::from_utf8_lossy(&raw)
        )
    })
}

/// Sends a request the simple way: the whole body first, then the answer is read. The host must
/// keep reading what it did not need (lingering close) for such a client to see an early answer.
pub async fn send_then_read(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Reply> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let head = request_head(addr, method, path, headers, body.len());
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    parse_response(&raw).ok_or_else(|| {
        std::io::Error::other(format!(
            "unreadable answer {:?}",
            String::from_utf8_lossy(&raw)
        ))
    })
}

/// The head of a one-request connection with a body of `length` bytes. Its `host` is `addr`
/// unless `headers` bring one of their own.
pub fn request_head(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    length: usize,
) -> String {
    let is_host = |name: &str| name.eq_ignore_ascii_case("host");
    let host = headers
        .iter()
        .find(|(name, _)| is_host(name))
        .map_or_else(|| addr.to_string(), |(_, value)| value.to_string());
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nhost: {host}\r\ncontent-length: {length}\r\n");
    for (name, value) in headers.iter().filter(|(name, _)| !is_host(name)) {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head + "connection: close\r\n\r\n"
}

/// An answer read off a raw connection: its head, and its body (de-chunked).
pub fn parse_response(raw: &[u8]) -> Option<Reply> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let mut headers = HeaderMap::new();
    for line in lines {
        let (name, value) = line.split_once(':')?;
        let name = reqwest::header::HeaderName::from_bytes(name.trim().as_bytes()).ok()?;
        headers.append(name, value.trim().parse().ok()?);
    }
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .get("transfer-encoding")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"chunked"));
    if chunked {
        body = dechunk(&body)?;
    }
    Some(Reply {
        status,
        headers,
        text: String::from_utf8(body).ok()?,
    })
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}
