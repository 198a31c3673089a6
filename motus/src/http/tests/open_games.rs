//! `GET /motus/games/open`: the caller's unfinished games, for resuming on any device.

use super::*;

fn open_games(service: &Service, player: &str) -> Reply {
    service.as_player(player, "GET", "/motus/games/open", Value::Null)
}

#[test]
fn unfinished_games_are_listed_with_their_guesses_and_never_their_answer() {
    let service = Service::default();
    let daily = service.new_game("alice", "daily").body["id"].clone();
    let practice = service.practice("alice");
    service.guess("alice", &practice, "MOUTON");
    service.guess("alice", &practice, "MARCHE");

    let reply = open_games(&service, "alice");
    assert_eq!(reply.status, 200, "{}", reply.body);
    let games = reply.body["games"].as_array().unwrap();
    let ids: Vec<_> = games.iter().map(|g| g["id"].clone()).collect();
    assert_eq!(ids, vec![json!(practice), daily.clone()]);
    assert_eq!(
        reply.body["current"],
        json!(practice),
        "left off in practice"
    );
    let words: Vec<_> = games[0]["guesses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["word"].clone())
        .collect();
    assert_eq!(words, vec![json!("MOUTON"), json!("MARCHE")]);
    assert_eq!(games[0]["status"], "playing");
    assert!(games.iter().all(|g| g.get("answer").is_none()));
    assert!(!reply.body.to_string().contains("MAISON"), "{}", reply.body);
}

#[test]
fn a_finished_game_leaves_the_list_and_nobody_sees_another_players_games() {
    let service = Service::default();
    let practice = service.practice("alice");
    assert_eq!(
        open_games(&service, "alice").body["games"][0]["id"],
        practice
    );
    service.guess("alice", &practice, "MAISON");
    let daily = service.send("GET", "/motus/daily", Call::default()).body;
    assert_eq!(
        open_games(&service, "alice").body,
        json!({ "games": [], "current": null, "daily": daily })
    );
    service.practice("bob");
    assert_eq!(
        open_games(&service, "alice").body,
        json!({ "games": [], "current": null, "daily": daily })
    );
}

#[test]
fn the_list_needs_a_valid_token_and_a_get() {
    let service = Service::default();
    service
        .send("GET", "/motus/games/open", Call::default())
        .error(401, "unauthenticated");
    let reply = service.send("POST", "/motus/games/open", Call::default());
    reply.error(405, "method_not_allowed");
    assert_eq!(reply.response.header_value("allow"), Some("GET"));
}

#[test]
fn a_finished_current_game_is_no_place_to_resume_even_with_older_ones_unfinished() {
    let service = Service::default();
    let older = service.practice("alice");
    let last = service.practice("alice");
    service.guess("alice", &last, "MAISON");
    let body = open_games(&service, "alice").body;
    assert_eq!(body["games"][0]["id"], older);
    assert_eq!(body["current"], Value::Null, "{body}");
    let daily = service.new_game("alice", "daily").body["id"].clone();
    assert_eq!(open_games(&service, "alice").body["current"], daily);
}
