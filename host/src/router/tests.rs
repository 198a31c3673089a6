use super::*;

fn router(routes: &[(&str, &str)]) -> Router {
    Router::new(routes.iter().map(|(raw, c)| Route::new(raw, c)).collect()).unwrap()
}

fn target(r: &Router, path: &str) -> Option<String> {
    r.route(path).map(|m| m.component)
}

#[test]
fn exact_routes_beat_wildcards_and_longest_prefix_wins() {
    let r = router(&[
        ("/...", "root"),
        ("/api/...", "api"),
        ("/api/users/...", "users"),
        ("/api/users/me", "me"),
    ]);
    let cases = [
        ("/", "root"),
        ("/index.html", "root"),
        ("/api", "api"),
        ("/api/", "api"),
        ("/api/games/1", "api"),
        ("/apix", "root"),
        ("/api/users", "users"),
        ("/api/users/42", "users"),
        ("/api/users/me", "me"),
        ("/api/users/me/", "me"),
        ("/api/users/me/x", "users"),
    ];
    for (path, want) in cases {
        assert_eq!(target(&r, path).as_deref(), Some(want), "path {path}");
    }
}

#[test]
fn unmatched_paths_have_no_component() {
    let r = router(&[("/auth/...", "auth"), ("/exact", "e")]);
    assert_eq!(target(&r, "/authx"), None);
    assert_eq!(target(&r, "/exact/more"), None);
    assert_eq!(target(&r, "/"), None);
}

#[test]
fn routing_headers_follow_spin() {
    let r = router(&[("/hello/...", "hello")]);
    let m = r.route("/hello/a/b").unwrap();
    assert_eq!(m.raw_route, "/hello/...");
    assert_eq!(m.component_route, "/hello");
    assert_eq!(m.path_info, "/a/b");
    let root = router(&[("/...", "all")]).route("/x").unwrap();
    assert_eq!(
        (root.component_route.as_str(), root.path_info.as_str()),
        ("", "/x")
    );
}

#[test]
fn duplicate_routes_are_rejected() {
    let routes = ["/a/...", "/a/..."]
        .iter()
        .map(|raw| Route::new(raw, "c"))
        .collect();
    assert!(Router::new(routes).is_err());
}

#[test]
fn chained_requests_use_the_callee_route_or_the_whole_path() {
    let r = router(&[("/auth/...", "auth")]);
    let m = r.route_to_component("auth", "/auth/me");
    assert_eq!(
        (m.component_route.as_str(), m.path_info.as_str()),
        ("/auth", "/me")
    );
    let private = r.route_to_component("internal", "/x/y");
    assert_eq!(private.path_info, "/x/y");
}

#[test]
fn the_manifest_gives_its_public_routes_and_private_ones_none() {
    let manifest = crate::manifest::parse(crate::manifest::tests::GOOD).unwrap();
    let r = Router::from_manifest(&manifest).unwrap();
    let listed: Vec<(&str, &str)> = r
        .routes()
        .iter()
        .map(|route| (route.raw.as_str(), route.component.as_str()))
        .collect();
    assert_eq!(listed, [("/hello/...", "hello")]);
    assert_eq!(target(&r, "/hello/x").as_deref(), Some("hello"));
}
