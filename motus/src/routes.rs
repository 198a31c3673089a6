//! Which handler a method and path lead to.

use spin_sdk::http::Method;

use crate::app::PlayError;
use crate::domain::ids::GameId;
use crate::errors::ApiError;

#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    /// `POST /motus/games`
    NewGame,
    /// `GET /motus/games/{id}`
    Game(GameId),
    /// `POST /motus/games/{id}/guesses`
    Guess(GameId),
    /// `POST /motus/guess`, the seed's route
    GuessCurrent,
    /// `GET /motus/games/{id}/result`, for score: the player's token or the shared secret
    Result(GameId),
    /// `GET /motus/daily`; no login
    Daily,
    /// `DELETE /motus/players/{player}`: the player's own token
    DeletePlayer(String),
}

impl Route {
    /// Whether the route needs a player's bearer token (`Result` takes the secret instead).
    pub fn needs_login(&self) -> bool {
        !matches!(self, Self::Result(_) | Self::Daily)
    }

    pub fn has_body(&self) -> bool {
        matches!(self, Self::NewGame | Self::Guess(_) | Self::GuessCurrent)
    }
}

pub fn route(method: &Method, path_and_query: &str) -> Result<Route, ApiError> {
    let path = path_and_query.split(['?', '#']).next().unwrap_or_default();
    let rest = path.strip_prefix("/motus").ok_or(ApiError::NoRoute)?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let segments: Vec<&str> = rest.split('/').skip(1).collect();
    let (allow, route) = match segments.as_slice() {
        ["games"] => ("POST", Ok(Route::NewGame)),
        ["games", id] => ("GET", game_id(id).map(Route::Game)),
        ["games", id, "guesses"] => ("POST", game_id(id).map(Route::Guess)),
        ["games", id, "result"] => ("GET", game_id(id).map(Route::Result)),
        ["guess"] => ("POST", Ok(Route::GuessCurrent)),
        ["daily"] => ("GET", Ok(Route::Daily)),
        ["players", player] => ("DELETE", Ok(Route::DeletePlayer((*player).to_owned()))),
        _ => return Err(ApiError::NoRoute),
    };
    if method.to_string() != allow {
        return Err(ApiError::MethodNotAllowed { allow });
    }
    route
}

/// A malformed id names no game: "not found", like an unknown one.
fn game_id(text: &str) -> Result<GameId, ApiError> {
    GameId::parse(text).map_err(|_| PlayError::NotFound.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0123456789abcdef0123456789abcdef";

    fn id() -> GameId {
        GameId::parse(ID).unwrap()
    }

    #[test]
    fn documented_routes_are_recognised() {
        let cases = [
            (Method::Post, "/motus/games".to_owned(), Route::NewGame),
            (Method::Post, "/motus/games/".to_owned(), Route::NewGame),
            (Method::Get, format!("/motus/games/{ID}"), Route::Game(id())),
            (
                Method::Post,
                format!("/motus/games/{ID}/guesses"),
                Route::Guess(id()),
            ),
            (
                Method::Get,
                format!("/motus/games/{ID}/result?x=1"),
                Route::Result(id()),
            ),
            (Method::Post, "/motus/guess".to_owned(), Route::GuessCurrent),
            (Method::Get, "/motus/daily".to_owned(), Route::Daily),
            (
                Method::Delete,
                "/motus/players/Alice".to_owned(),
                Route::DeletePlayer("Alice".into()),
            ),
        ];
        for (method, path, expected) in cases {
            assert_eq!(route(&method, &path).unwrap(), expected, "{method} {path}");
        }
    }

    #[test]
    fn wrong_methods_are_not_allowed() {
        let cases = [
            (Method::Get, "/motus/games".to_owned(), "POST"),
            (Method::Delete, format!("/motus/games/{ID}"), "GET"),
            (Method::Get, format!("/motus/games/{ID}/guesses"), "POST"),
            (Method::Post, format!("/motus/games/{ID}/result"), "GET"),
            (Method::Get, "/motus/guess".to_owned(), "POST"),
            (Method::Post, "/motus/daily".to_owned(), "GET"),
            (Method::Get, "/motus/players/alice".to_owned(), "DELETE"),
        ];
        for (method, path, allowed) in cases {
            match route(&method, &path) {
                Err(ApiError::MethodNotAllowed { allow }) => assert_eq!(allow, allowed, "{path}"),
                other => panic!("{method} {path}: {other:?}"),
            }
        }
    }

    #[test]
    fn unknown_paths_and_ids_are_not_found() {
        for path in [
            "/",
            "/motus",
            "/motus/",
            "/motus/nope",
            "/motusgames",
            "/motus/games/x/y/z",
            "/other/games",
        ] {
            assert!(
                matches!(route(&Method::Get, path), Err(ApiError::NoRoute)),
                "{path}"
            );
        }
        for path in [
            "/motus/games/abc",
            "/motus/games/..%2F..%2F/result",
            "/motus/games/ABCDEF0123456789ABCDEF0123456789",
        ] {
            assert!(
                matches!(
                    route(&Method::Get, path),
                    Err(ApiError::Play(PlayError::NotFound))
                ),
                "{path}"
            );
        }
    }

    #[test]
    fn only_results_and_the_daily_outline_skip_the_players_login() {
        assert!(!Route::Result(id()).needs_login());
        assert!(!Route::Daily.needs_login());
        assert!(Route::Game(id()).needs_login());
        assert!(Route::GuessCurrent.needs_login());
    }
}
