use super::*;

fn headers(values: &[&[u8]]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for value in values {
        map.append(HEADER, HeaderValue::from_bytes(value).unwrap());
    }
    map
}

fn is_generated(id: &RequestId) -> bool {
    id.as_str().len() == 16 && id.as_str().bytes().all(|b| b.is_ascii_hexdigit())
}

#[test]
fn a_short_id_of_safe_characters_is_kept_as_sent() {
    for sent in [
        "a",
        "5f0c2a9e1b7d4c3a",
        "123e4567-e89b-12d3-a456-426614174000",
        "lb.frontend_01-7f",
        "7F000001:8296_7F00001E:1F90_4F7B0A69_0003:790A",
        &"x".repeat(MAX_LEN),
    ] {
        let id = RequestId::at_edge(&headers(&[sent.as_bytes()]));
        assert_eq!(id.as_str(), sent);
    }
}

#[test]
fn an_id_that_could_forge_a_log_field_or_line_is_replaced() {
    let long = "x".repeat(MAX_LEN + 1);
    let five_hundred = "a".repeat(500);
    let refused: [&[u8]; 11] = [
        b"",
        long.as_bytes(),
        five_hundred.as_bytes(),
        b"abc status=200",
        b"abc\tcomponent=auth",
        b"a=b",
        b"\"quoted\"",
        b"caf\xc3\xa9",
        b"semi;colon",
        b"slash/ed",
        b"{json}",
    ];
    for sent in refused {
        let id = RequestId::at_edge(&headers(&[sent]));
        assert!(is_generated(&id), "{sent:?} gave {id}");
    }
}

#[test]
fn control_characters_are_refused_even_where_a_header_could_not_carry_them() {
    for sent in [&b"abc\ndef"[..], b"abc\r\nx", b"a\0b", b"a\x7fb", b"a\x1bb"] {
        assert_eq!(RequestId::accept(sent), None, "{sent:?}");
    }
}

#[test]
fn without_an_id_or_with_two_a_fresh_one_is_generated() {
    assert!(is_generated(&RequestId::at_edge(&HeaderMap::new())));
    let two = RequestId::at_edge(&headers(&[b"first", b"second"]));
    assert!(is_generated(&two), "{two}");
}

#[test]
fn generated_ids_differ_from_one_request_to_the_next() {
    let ids: std::collections::HashSet<String> = (0..1000)
        .map(|_| RequestId::generate().to_string())
        .collect();
    assert_eq!(ids.len(), 1000);
}

#[test]
fn the_fallback_differs_from_one_call_to_the_next_too() {
    assert_ne!(fallback(), fallback());
}

#[test]
fn setting_the_id_replaces_the_one_a_request_carried() {
    let mut map = headers(&[b"forged", b"twice"]);
    let id = RequestId::generate();
    id.set_on(&mut map);
    let values: Vec<_> = map.get_all(HEADER).iter().collect();
    assert_eq!(values, [id.as_str()]);
}
