use super::*;

fn ok(p: &str) -> String {
    parse(p).unwrap().as_str().to_owned()
}

#[test]
fn root_serves_the_index() {
    assert_eq!(ok("/"), "index.html");
}

#[test]
fn plain_files_and_subfolders_are_accepted() {
    assert_eq!(ok("/app.js"), "app.js");
    assert_eq!(ok("/icons/logo-192.png"), "icons/logo-192.png");
    assert_eq!(ok("/fonts/x_y.v2.woff2"), "fonts/x_y.v2.woff2");
}

#[test]
fn harmless_escapes_are_decoded() {
    assert_eq!(ok("/app%2Ejs"), "app.js");
}

#[test]
fn traversal_attempts_are_bad_requests() {
    let cases = [
        "/..",
        "/../etc/passwd",
        "/css/../../secret",
        "/./index.html",
        "/%2e%2e/secret",
        "/%2E%2e%2fsecret",
        "/css%2fstyle.css",
        "/css%2Fstyle.css",
        "/css%5cstyle.css",
        "/..\\secret",
        "/a\\b",
        "/a%00.js",
        "/a\0.js",
        "//etc/passwd",
        "/css//style.css",
        "/css/",
        "etc/passwd",
        "",
        "/%",
        "/%zz",
        "/...",
    ];
    for case in cases {
        assert_eq!(parse(case), Err(Refusal::Traversal), "{case:?}");
    }
}

#[test]
fn unusual_but_harmless_paths_are_not_found() {
    let cases = [
        "/.env",
        "/.git/config",
        "/a b.js",
        "/C:/x",
        "/é.js",
        "/a/b/c/d/e.js",
    ];
    for case in cases {
        assert_eq!(parse(case), Err(Refusal::NotFound), "{case:?}");
    }
    assert_eq!(
        parse(&format!("/{}", "a".repeat(300))),
        Err(Refusal::NotFound)
    );
}

#[test]
fn extension_is_lower_cased() {
    assert_eq!(
        parse("/logo.SVG").unwrap().extension().as_deref(),
        Some("svg")
    );
    assert_eq!(parse("/LICENSE").unwrap().extension(), None);
}
