use super::*;

fn addr(raw: &str) -> String {
    ClientAddr::parse(Some(raw)).as_str().to_owned()
}

#[test]
fn the_port_is_dropped_so_every_connection_of_one_host_shares_a_budget() {
    assert_eq!(addr("127.0.0.1:50123"), "127.0.0.1");
    assert_eq!(addr("127.0.0.1:50124"), "127.0.0.1");
    assert_eq!(addr("203.0.113.9"), "203.0.113.9");
    assert_eq!(addr("::ffff:203.0.113.9"), "203.0.113.9");
    assert_eq!(addr("[::ffff:203.0.113.9]:80"), "203.0.113.9");
}

#[test]
fn an_ipv6_client_counts_by_its_64_bit_prefix() {
    assert_eq!(addr("[2001:db8:1:2::5]:443"), "2001:db8:1:2::/64");
    assert_eq!(addr("2001:db8:1:2:ffff::1"), "2001:db8:1:2::/64");
    assert_ne!(addr("2001:db8:1:3::1"), addr("2001:db8:1:2::1"));
}

#[test]
fn anything_unreadable_is_one_unknown_client() {
    for raw in ["", "localhost:80", "1.2.3", "a:b:c"] {
        assert_eq!(addr(raw), "unknown", "{raw:?}");
    }
    assert_eq!(ClientAddr::parse(None).as_str(), "unknown");
}

#[test]
fn a_forwarded_address_is_believed_only_with_the_configured_secret() {
    let resolve = |presented, configured| {
        ClientAddr::resolve(
            Some("0.0.0.0:0"),
            Some("198.51.100.7:4000"),
            presented,
            configured,
        )
        .as_str()
        .to_owned()
    };
    assert_eq!(resolve(Some("s3cret"), Some("s3cret")), "198.51.100.7");
    assert_eq!(resolve(Some("s3cret "), Some(" s3cret")), "198.51.100.7");
    assert_eq!(resolve(Some("guess"), Some("s3cret")), "0.0.0.0");
    assert_eq!(resolve(Some("s3cre"), Some("s3cret")), "0.0.0.0");
    assert_eq!(resolve(None, Some("s3cret")), "0.0.0.0");
    assert_eq!(
        resolve(Some(""), Some("")),
        "0.0.0.0",
        "empty: trust nobody"
    );
    assert_eq!(resolve(Some("x"), None), "0.0.0.0");
}

#[test]
fn without_a_forwarded_address_the_socket_address_counts() {
    let client = ClientAddr::resolve(Some("10.0.0.1:1"), None, Some("k"), Some("k"));
    assert_eq!(client.as_str(), "10.0.0.1");
}
