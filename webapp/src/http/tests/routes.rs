//! The route table: methods, paths and game ids.

use super::*;

const OTHER: &str = "fedcba9876543210fedcba9876543210";

fn id(s: &str) -> GameId {
    GameId::parse(s).unwrap()
}

#[test]
fn every_route_is_recognised_with_its_method() {
    let cases = [
        ("POST", "/api/register", Route::Register),
        ("POST", "/api/login", Route::Login),
        ("POST", "/api/logout", Route::Logout),
        ("GET", "/api/me", Route::Me),
        ("POST", "/api/games", Route::CreateGame),
        (
            "GET",
            &format!("/api/games/{OTHER}"),
            Route::Game(id(OTHER)),
        ),
        (
            "POST",
            &format!("/api/games/{GAME}/guesses"),
            Route::Guess(id(GAME)),
        ),
        ("GET", "/api/history", Route::History),
        ("GET", "/api/leaderboard", Route::Leaderboard),
        ("GET", "/api/daily", Route::Daily),
    ];
    for (method, path, route) in cases {
        assert_eq!(parse_route(method, path), Ok(route), "{method} {path}");
    }
}

#[test]
fn a_wrong_method_is_405_with_the_allowed_one() {
    assert_eq!(
        parse_route("GET", "/api/login"),
        Err(ApiError::method_not_allowed("POST").into())
    );
    assert_eq!(
        parse_route("DELETE", "/api/me"),
        Err(ApiError::method_not_allowed("GET").into())
    );
}

#[test]
fn unknown_paths_and_odd_game_ids_are_404() {
    for path in [
        "/api",
        "/api/",
        "/api/nope",
        "/api/me/",
        "/api/games/",
        "/api/games/a.b",
        "/api/games/g1",
        "/api/games/0123456789ABCDEF0123456789ABCDEF",
        "/api/games/%2e%2e",
        "/api/games/x/guesses/extra",
        "/apiary",
    ] {
        assert_eq!(
            parse_route("GET", path),
            Err(Code::NotFound.into()),
            "{path}"
        );
    }
    let long = format!("/api/games/{}", "a".repeat(33));
    assert_eq!(parse_route("GET", &long), Err(Code::NotFound.into()));
}

#[test]
fn only_posts_are_writes() {
    assert!(parse_route("POST", "/api/games").unwrap().is_write());
    assert!(!parse_route("GET", "/api/me").unwrap().is_write());
}

#[test]
fn api_paths_are_told_apart_from_static_ones() {
    assert!(is_api("/api/me") && is_api("/api"));
    assert!(!is_api("/apiary.css") && !is_api("/"));
    assert!(reads_body("POST", "/api/login"));
    assert!(!reads_body("GET", "/api/me") && !reads_body("POST", "/app.js"));
}
