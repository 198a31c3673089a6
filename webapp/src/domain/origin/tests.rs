use super::*;

fn h(pairs: &[(&str, &str)]) -> Headers {
    Headers::new(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
}

const LOCAL: (&str, &str) = ("spin-full-url", "http://127.0.0.1:3000/api/login");

#[test]
fn a_request_without_origin_or_fetch_metadata_is_accepted() {
    assert_eq!(check_same_origin(&h(&[LOCAL])), Ok(()));
}

#[test]
fn a_same_origin_request_is_accepted() {
    let ok = [
        vec![LOCAL, ("origin", "http://127.0.0.1:3000")],
        vec![
            LOCAL,
            ("origin", "HTTP://127.0.0.1:3000"),
            ("sec-fetch-site", "same-origin"),
        ],
        vec![
            ("host", "motus.example"),
            ("origin", "http://motus.example:80"),
        ],
        vec![
            ("spin-full-url", "http://10.0.0.5:3000/api/login"),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "motus.example"),
            ("origin", "https://motus.example"),
        ],
        vec![
            ("spin-full-url", "http://[::1]:3000/x"),
            ("origin", "http://[::1]:3000"),
        ],
        vec![LOCAL, ("sec-fetch-site", "none")],
    ];
    for headers in ok {
        assert_eq!(check_same_origin(&h(&headers)), Ok(()), "{headers:?}");
    }
}

#[test]
fn a_cross_site_request_is_refused() {
    let refused = [
        vec![LOCAL, ("origin", "http://evil.example")],
        vec![LOCAL, ("origin", "http://127.0.0.1:3001")],
        vec![LOCAL, ("origin", "https://127.0.0.1:3000")],
        vec![LOCAL, ("origin", "null")],
        vec![LOCAL, ("origin", "http://127.0.0.1:3000/path")],
        vec![LOCAL, ("sec-fetch-site", "cross-site")],
        vec![LOCAL, ("sec-fetch-site", "same-site")],
        vec![("origin", "http://127.0.0.1:3000")],
    ];
    for headers in refused {
        assert_eq!(
            check_same_origin(&h(&headers)),
            Err(CrossSite),
            "{headers:?}"
        );
    }
}

/// Spin 4 keeps a client's `spin-*` lines and adds its own after them.
const FORGED: (&str, &str) = ("spin-full-url", "https://evil.example/api/login");

#[test]
fn a_forged_full_url_in_front_of_the_hosts_opens_no_origin() {
    let forged = h(&[FORGED, LOCAL, ("origin", "https://evil.example")]);
    assert_eq!(check_same_origin(&forged), Err(CrossSite));
    let honest = h(&[FORGED, LOCAL, ("origin", "http://127.0.0.1:3000")]);
    assert_eq!(check_same_origin(&honest), Ok(()));
}

#[test]
fn a_forged_full_url_in_front_of_the_hosts_does_not_claim_https() {
    assert!(!is_https(&h(&[FORGED, LOCAL])));
    let downgrade = ("spin-full-url", "http://motus.example/api/login");
    let tls = ("spin-full-url", "https://motus.example/api/login");
    assert!(is_https(&h(&[downgrade, tls])));
}

#[test]
fn https_is_detected_from_the_url_or_a_proxy_header() {
    assert!(!is_https(&h(&[LOCAL])));
    assert!(is_https(&h(&[(
        "spin-full-url",
        "https://motus.example/api/login"
    )])));
    assert!(is_https(&h(&[LOCAL, ("x-forwarded-proto", "https, http")])));
    assert!(!is_https(&h(&[])));
}
