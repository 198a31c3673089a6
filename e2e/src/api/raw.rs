//! Requests on a bare TCP connection, for what reqwest cannot show: an answer sent before the
//! body was read, a target or head no client library would send.

use super::Reply;
use reqwest::header::HeaderMap;

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
