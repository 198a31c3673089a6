//! The challenge routes: offering a finished practice game, taking it up, the page, and every
//! way a link or a request can be wrong.

use super::*;

/// Alice's practice game on MAISON (the only answer here), won at once.
fn alices_won_game(service: &Service) -> String {
    let id = service.practice("alice");
    let won = service.guess("alice", &id, "MAISON");
    assert_eq!(won.body["status"], "won", "{}", won.body);
    id
}

fn offer(service: &Service, player: &str, game: &str) -> Reply {
    service.as_player(
        player,
        "POST",
        "/motus/challenges",
        json!({ "game_id": game }),
    )
}

/// A challenge on Alice's won game; its id.
fn challenge(service: &Service) -> String {
    let game = alices_won_game(service);
    let reply = offer(service, "alice", &game);
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

fn take_up(service: &Service, player: &str, id: &str) -> Reply {
    let path = format!("/motus/challenges/{id}/games");
    service.as_player(player, "POST", &path, Value::Null)
}

fn page(service: &Service, player: &str, id: &str) -> Reply {
    let path = format!("/motus/challenges/{id}");
    service.as_player(player, "GET", &path, Value::Null)
}

#[test]
fn a_challenge_is_made_once_per_game_and_its_link_says_nothing_of_the_word() {
    let service = Service::default();
    let game = alices_won_game(&service);
    let made = offer(&service, "alice", &game);
    assert_eq!(made.status, 201, "{}", made.body);
    let id = made.body["id"].as_str().unwrap();
    assert_eq!(id.len(), 32);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(
        made.response.header_value("location"),
        Some(format!("/motus/challenges/{id}").as_str())
    );
    assert_eq!(made.body["role"], "creator");
    assert_eq!(made.body["game"], json!(game));
    let again = offer(&service, "alice", &game);
    assert_eq!((again.status, again.body["id"].as_str()), (200, Some(id)));
}

#[test]
fn a_friend_takes_the_challenge_up_in_a_game_that_hides_the_word_until_it_ends() {
    let service = Service::default();
    let id = challenge(&service);
    let visit = page(&service, "bob", &id);
    assert_eq!(visit.status, 200, "{}", visit.body);
    assert_eq!(
        (visit.body["role"].clone(), visit.body["creator"].clone()),
        (json!("visitor"), json!("alice"))
    );
    assert!(!visit.body.to_string().contains("MAISON"), "{}", visit.body);

    let started = take_up(&service, "bob", &id);
    assert_eq!(started.status, 201, "{}", started.body);
    assert_eq!(started.body["mode"], "challenge");
    assert_eq!(started.body["challenge"], json!(id));
    let game = started.body["id"].as_str().unwrap().to_owned();
    let mid = service.guess("bob", &game, "MOUTON");
    assert_eq!(mid.status, 200, "{}", mid.body);
    for reply in [&started, &mid, &page(&service, "bob", &id)] {
        assert!(!reply.body.to_string().contains("MAISON"), "{}", reply.body);
    }
    let again = take_up(&service, "bob", &id);
    assert_eq!((again.status, again.body["id"].clone()), (200, json!(game)));

    let won = service.guess("bob", &game, "MAISON");
    assert_eq!(won.body["status"], "won");
    assert!(won.body.get("recorded").is_none(), "{}", won.body);
    let seen = page(&service, "bob", &id).body;
    assert_eq!(seen["answer"], "MAISON");
    let tries: Vec<_> = seen["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["player"].clone(), r["tries"].clone()))
        .collect();
    assert_eq!(
        tries,
        vec![(json!("alice"), json!(1)), (json!("bob"), json!(2))]
    );
    let calls = service.siblings.record_calls();
    assert!(calls.iter().all(|g| g.as_str() != game), "{calls:?}");
}

#[test]
fn an_altered_or_unknown_link_is_not_found() {
    let service = Service::default();
    let id = challenge(&service);
    let mut altered = id.clone().into_bytes();
    altered[0] = if altered[0] == b'0' { b'1' } else { b'0' };
    let altered = String::from_utf8(altered).unwrap();
    for wrong in [altered.as_str(), "0123", &id.to_uppercase(), "%2e%2e"] {
        page(&service, "bob", wrong).error(404, "not_found");
        take_up(&service, "bob", wrong).error(404, "not_found");
    }
}

#[test]
fn only_a_finished_practice_game_of_ones_own_can_be_offered() {
    let service = Service::default();
    let game = alices_won_game(&service);
    offer(&service, "bob", &game).error(404, "not_found");
    offer(&service, "alice", "not-an-id").error(404, "not_found");
    let playing = service.practice("alice");
    offer(&service, "alice", &playing).error(409, "game_not_finished");
    let daily = service.new_game("alice", "daily").body["id"].clone();
    service.guess("alice", daily.as_str().unwrap(), "MAISON");
    offer(&service, "alice", daily.as_str().unwrap()).error(422, "not_challengeable");
    let id = challenge(&service);
    let bobs = take_up(&service, "bob", &id).body["id"].clone();
    service.guess("bob", bobs.as_str().unwrap(), "MAISON");
    offer(&service, "bob", bobs.as_str().unwrap()).error(422, "not_challengeable");
}

#[test]
fn the_creator_cannot_play_their_own_challenge() {
    let service = Service::default();
    let id = challenge(&service);
    take_up(&service, "Alice", &id).error(409, "own_challenge");
}

#[test]
fn a_challenge_game_cannot_be_started_by_mode_nor_read_as_a_result() {
    let service = Service::default();
    service
        .new_game("bob", "challenge")
        .error(400, "invalid_json");
    let id = challenge(&service);
    let game = take_up(&service, "bob", &id).body["id"].clone();
    let game = game.as_str().unwrap();
    service.guess("bob", game, "MAISON");
    let path = format!("/motus/games/{game}/result");
    service
        .send(
            "GET",
            &path,
            Call {
                result_secret: Some(RESULT_SECRET),
                ..Call::default()
            },
        )
        .error(404, "not_found");
}

#[test]
fn the_routes_need_a_token_the_right_method_and_a_well_formed_body() {
    let service = Service::default();
    let id = challenge(&service);
    service
        .send("POST", "/motus/challenges", Call::default())
        .error(401, "unauthenticated");
    service
        .send("GET", &format!("/motus/challenges/{id}"), Call::default())
        .error(401, "unauthenticated");
    let reply = service.send("GET", "/motus/challenges", Call::default());
    reply.error(405, "method_not_allowed");
    assert_eq!(reply.response.header_value("allow"), Some("POST"));
    let reply = service.send(
        "GET",
        &format!("/motus/challenges/{id}/games"),
        Call::default(),
    );
    assert_eq!(reply.response.header_value("allow"), Some("POST"));
    service
        .as_player("alice", "POST", "/motus/challenges", json!({ "game": "x" }))
        .error(400, "invalid_json");
}
