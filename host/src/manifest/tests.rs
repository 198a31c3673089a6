use super::*;

/// Every field this host reads; other modules' tests parse it too.
pub(crate) const GOOD: &str = r#"
    spin_manifest_version = 2
    [application]
    name = "demo"
    [variables]
    secret = { required = true, secret = true }
    [[trigger.http]]
    route = "/hello/..."
    component = "hello"
    [[trigger.http]]
    route = { private = true }
    component = "hello"
    [component.hello]
    source = "hello.wasm"
    files = ["static/**/*", { source = "assets", destination = "/assets" }]
    key_value_stores = ["default"]
    [component.hello.variables]
    token = "{{ secret }}"
    [component.hello.build]
    command = "cargo build"
"#;

#[test]
fn a_full_manifest_parses() {
    let m = parse(GOOD).unwrap();
    assert_eq!(m.trigger.http.len(), 2);
    assert!(matches!(
        m.trigger.http[1].route,
        RouteDecl::Private { private: true }
    ));
    assert_eq!(m.component["hello"].files.len(), 2);
}

#[test]
fn errors_name_the_offending_field() {
    let cases = [
        (
            GOOD.replace("source = \"hello.wasm\"", "sorce = \"x\""),
            "sorce",
        ),
        (
            GOOD.replace(
                "component = \"hello\"\n    [[",
                "component = \"nope\"\n    [[",
            ),
            "trigger.http[0].component",
        ),
        (GOOD.replace("= 2", "= 1"), "spin_manifest_version"),
        (GOOD.replace("/hello/...", "hello"), "trigger.http[0].route"),
        (
            GOOD.replace("token =", "Token ="),
            "component.hello.variables.Token",
        ),
    ];
    for (text, field) in cases {
        let err = format!("{:#}", parse(&text).unwrap_err());
        assert!(err.contains(field), "{err} should mention {field}");
    }
}
