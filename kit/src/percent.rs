//! Percent-encoding (RFC 3986) for what travels in URLs: sibling paths built from a player's
//! name, query values, and the encoded input a service must read back (paths, cookies, queries).

/// Encodes every byte but the unreserved `A-Z a-z 0-9 - _ ~`, as `%XX` (upper-case hex).
///
/// `.` is encoded too, though unreserved: a value such as `..` then stays one opaque segment and
/// is never read as a dot-segment by a router on the way.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Encodes one path segment: as [`encode`], but inner dots stay as they are, since siblings
/// match segments literally and names such as `jean.dupont` are valid. A segment made only of
/// dots is encoded whole, so it can never be read as `.` or `..`.
pub fn encode_segment(segment: &str) -> String {
    if segment.bytes().all(|b| b == b'.') {
        return encode(segment);
    }
    let parts: Vec<String> = segment.split('.').map(encode).collect();
    parts.join(".")
}

/// Decodes the `%XX` escapes (hex digits in either case) into bytes; `None` when an escape is
/// cut short or not hex.
///
/// `+` stays a `+`: it means a space only in form bodies, never in paths or cookies; a caller
/// reading a form replaces it first.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(byte) = bytes.next() {
        if byte != b'%' {
            out.push(byte);
            continue;
        }
        let high = hex_digit(bytes.next()?)?;
        let low = hex_digit(bytes.next()?)?;
        out.push((high << 4) | low);
    }
    Some(out)
}

/// [`decode`] into text; `None` too when the bytes are not UTF-8.
pub fn decode_utf8(text: &str) -> Option<String> {
    String::from_utf8(decode(text)?).ok()
}

fn hex_digit(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreserved_characters_stay_and_the_rest_is_escaped() {
        assert_eq!(encode("Marie-Anne_2~"), "Marie-Anne_2~");
        assert_eq!(encode("a.b c/é"), "a%2Eb%20c%2F%C3%A9");
        assert_eq!(encode(".."), "%2E%2E");
        assert_eq!(encode("%+&="), "%25%2B%26%3D");
    }

    #[test]
    fn a_segment_keeps_its_inner_dots_but_never_becomes_a_dot_segment() {
        assert_eq!(encode_segment("jean.dupont"), "jean.dupont");
        assert_eq!(encode_segment("a.b/c"), "a.b%2Fc");
        assert_eq!(encode_segment("x.."), "x..");
        assert_eq!(encode_segment("."), "%2E");
        assert_eq!(encode_segment(".."), "%2E%2E");
        assert_eq!(encode_segment(""), "");
    }

    #[test]
    fn decoding_gives_back_what_was_encoded() {
        for text in ["", "abc", "a.b c/é", "%", "x%y", "100%+", "ünïcödé ✓"] {
            assert_eq!(
                decode_utf8(&encode(text)).as_deref(),
                Some(text),
                "{text:?}"
            );
            assert_eq!(decode_utf8(&encode_segment(text)).as_deref(), Some(text));
        }
    }

    #[test]
    fn hex_digits_are_read_in_either_case_and_plus_is_left_alone() {
        assert_eq!(decode("%2e%2E").unwrap(), b"..");
        assert_eq!(decode("a+b%20c").unwrap(), b"a+b c");
    }

    #[test]
    fn cut_or_non_hex_escapes_and_non_utf8_text_are_refused() {
        for bad in ["%", "%2", "a%zz", "%g0", "%+1", "%-1"] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
        assert_eq!(decode_utf8("%FF"), None);
        assert_eq!(decode("%FF"), Some(vec![0xFF]));
    }
}
