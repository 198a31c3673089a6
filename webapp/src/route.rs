//! The `/api` routes and the methods they accept.

use crate::error::ApiError;

/// A motus game id: opaque to us, but restricted so it can be put into a sibling URL verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GameId(String);

impl GameId {
    pub fn parse(s: &str) -> Option<GameId> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| GameId(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Register,
    Login,
    Logout,
    Me,
    CreateGame,
    Game(GameId),
    Guess(GameId),
    History,
    Leaderboard,
    Daily,
}

impl Route {
    /// POSTs change state: they get the same-origin and content-type checks.
    pub fn is_write(&self) -> bool {
        matches!(
            self,
            Route::Register | Route::Login | Route::Logout | Route::CreateGame | Route::Guess(_)
        )
    }
}

/// True for the paths this module answers (everything else is a static file).
pub fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

pub fn parse(method: &str, path: &str) -> Result<Route, ApiError> {
    let rest = path.strip_prefix("/api/").ok_or(ApiError::NotFound)?;
    let segments: Vec<&str> = rest.split('/').collect();
    let (route, allowed) = match segments.as_slice() {
        ["register"] => (Route::Register, "POST"),
        ["login"] => (Route::Login, "POST"),
        ["logout"] => (Route::Logout, "POST"),
        ["me"] => (Route::Me, "GET"),
        ["games"] => (Route::CreateGame, "POST"),
        ["games", id] => (
            Route::Game(GameId::parse(id).ok_or(ApiError::NotFound)?),
            "GET",
        ),
        ["games", id, "guesses"] => (
            Route::Guess(GameId::parse(id).ok_or(ApiError::NotFound)?),
            "POST",
        ),
        ["history"] => (Route::History, "GET"),
        ["leaderboard"] => (Route::Leaderboard, "GET"),
        ["daily"] => (Route::Daily, "GET"),
        _ => return Err(ApiError::NotFound),
    };
    if method == allowed {
        Ok(route)
    } else {
        Err(ApiError::MethodNotAllowed(allowed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            ("GET", "/api/games/g-12_ab", Route::Game(id("g-12_ab"))),
            ("POST", "/api/games/g1/guesses", Route::Guess(id("g1"))),
            ("GET", "/api/history", Route::History),
            ("GET", "/api/leaderboard", Route::Leaderboard),
            ("GET", "/api/daily", Route::Daily),
        ];
        for (method, path, route) in cases {
            assert_eq!(parse(method, path), Ok(route), "{method} {path}");
        }
    }

    #[test]
    fn a_wrong_method_is_405_with_the_allowed_one() {
        assert_eq!(
            parse("GET", "/api/login"),
            Err(ApiError::MethodNotAllowed("POST"))
        );
        assert_eq!(
            parse("DELETE", "/api/me"),
            Err(ApiError::MethodNotAllowed("GET"))
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
            "/api/games/%2e%2e",
            "/api/games/x/guesses/extra",
            "/apiary",
        ] {
            assert_eq!(parse("GET", path), Err(ApiError::NotFound), "{path}");
        }
        let long = format!("/api/games/{}", "a".repeat(65));
        assert_eq!(parse("GET", &long), Err(ApiError::NotFound));
    }

    #[test]
    fn only_posts_are_writes() {
        assert!(parse("POST", "/api/games").unwrap().is_write());
        assert!(!parse("GET", "/api/me").unwrap().is_write());
    }

    #[test]
    fn api_paths_are_told_apart_from_static_ones() {
        assert!(is_api("/api/me") && is_api("/api"));
        assert!(!is_api("/apiary.css") && !is_api("/"));
    }
}
