//! Percent-encoding for the few places the BFF builds sibling URLs or reads encoded input.

/// Encodes everything except `A-Z a-z 0-9 - _ ~`.
///
/// `.` is encoded on purpose: a username such as `..` must stay one opaque path segment when it is put
/// into `/score/{player}` and never be read as a dot-segment by a router on the way.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Encodes one path segment for a sibling URL: like [`encode`] but keeps `.`, since siblings
/// match segments literally (score does not percent-decode `/score/{player}`) and usernames such
/// as `jean.dupont` are valid. A segment made only of dots stays fully encoded so it can never be
/// read as `.` or `..`.
pub fn encode_segment(s: &str) -> String {
    if s.bytes().all(|b| b == b'.') {
        return encode(s);
    }
    s.split('.').map(encode).collect::<Vec<_>>().join(".")
}

/// Decodes `%XX` escapes into bytes; `None` when an escape is malformed.
///
/// `+` is left alone: it only means a space in form bodies, never in paths or cookies.
pub fn decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Decodes into UTF-8 text; `None` for malformed escapes or invalid UTF-8.
pub fn decode_utf8(s: &str) -> Option<String> {
    String::from_utf8(decode(s)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_keeps_unreserved_characters_and_escapes_the_rest() {
        assert_eq!(encode("Marie-Anne_2~"), "Marie-Anne_2~");
        assert_eq!(encode("a.b c/é"), "a%2Eb%20c%2F%C3%A9");
        assert_eq!(encode(".."), "%2E%2E");
    }

    #[test]
    fn path_segments_keep_inner_dots_but_never_become_dot_segments() {
        assert_eq!(encode_segment("jean.dupont"), "jean.dupont");
        assert_eq!(encode_segment("a.b/c"), "a.b%2Fc");
        assert_eq!(encode_segment(".."), "%2E%2E");
        assert_eq!(encode_segment("."), "%2E");
        assert_eq!(encode_segment("x.."), "x..");
    }

    #[test]
    fn decoding_reverses_encoding() {
        for s in ["", "abc", "a.b c/é", "%", "x%y"] {
            assert_eq!(decode_utf8(&encode(s)).as_deref(), Some(s));
        }
    }

    #[test]
    fn malformed_escapes_are_rejected() {
        assert_eq!(decode("%"), None);
        assert_eq!(decode("%2"), None);
        assert_eq!(decode("%zz"), None);
        assert_eq!(decode_utf8("%FF"), None);
    }

    #[test]
    fn decoding_is_case_insensitive_on_hex_digits() {
        assert_eq!(decode("%2e%2E").unwrap(), b"..");
    }
}
